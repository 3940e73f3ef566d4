"""Labour demand: welfare staff follow their users by age (SKR's method), other sectors constant.

Demand in year t = base-year staff × Σ_activity share × users(t) / users(base year), where
users are the population weighted by each activity's use per person by age. Sectors without
welfare activities keep their base-year staffing until industry trends are modelled.
"""

from __future__ import annotations

import xarray as xr

from forecast.dims import AGE, FTE, SECTOR, SEX, YEAR
from forecast.inputs import Inputs


def users(population: xr.DataArray, inputs: Inputs) -> xr.DataArray:
    """Users of each welfare activity (year, region, activity) [users], both sexes."""
    result = (population.sum(SEX) * inputs.service_use).sum(AGE)
    result.attrs["units"] = "users"
    return result


def demand_index(population: xr.DataArray, inputs: Inputs, base_year: int) -> xr.DataArray:
    """Staff needed relative to the base year (year, region, sector) [1 = base staffing]."""
    u = users(population, inputs)
    base = u.sel({YEAR: base_year})
    growth = (u / base.where(base > 0)).fillna(1.0)
    acts = inputs.activities
    parts = []
    for sector in inputs.sectors.index:
        rows = acts[acts.sector == sector]
        if len(rows) == 0:
            parts.append(xr.ones_like(growth.isel(activity=0, drop=True)))
            continue
        weights = xr.DataArray(
            rows.share_of_sector.to_numpy(float),
            coords={"activity": list(rows.index)},
            dims=["activity"],
        )
        parts.append((growth.sel(activity=list(rows.index)) * weights).sum("activity"))
    index = xr.concat(parts, dim=SECTOR).assign_coords({SECTOR: list(inputs.sectors.index)})
    return index


def labour_demand(
    population: xr.DataArray, base_fte: xr.DataArray, inputs: Inputs, productivity: float = 0.0
) -> xr.DataArray:
    """Demand (year, region, sector) [fte]: base-year staffing scaled by the demand index.

    productivity [share per year] lowers staff per user (0 = SKR's "if nothing changes").
    """
    base_year = int(population[YEAR][0])
    index = demand_index(population, inputs, base_year)
    factor = (1.0 - productivity) ** (population[YEAR] - base_year)
    demand = base_fte * index * factor
    demand.attrs["units"] = FTE
    return demand
