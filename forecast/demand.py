"""Labour demand by sector: welfare staff follow their users (SKR's "if nothing changes"
method), industries follow damped employment trends, the rest keeps its base-year staffing.

Demand in year t = base-year staff × index(t) (+ the jobs of announced establishments), where
the index is users(t) / users(base year) for user-driven sectors, the NUTS2 employment trend
for trend sectors, and 1 for constant sectors.
"""

from __future__ import annotations

import xarray as xr

from forecast.dims import AGE, FTE, REGION, SECTOR, SEX, YEAR
from forecast.industry import trend_index
from forecast.inputs import Inputs


def users(population: xr.DataArray, inputs: Inputs) -> xr.DataArray:
    """Users of each user-driven sector ([draw,] year, region, sector) [users], both sexes."""
    result = xr.dot(population.sum(SEX), inputs.service_use, dim=AGE)
    result.attrs["units"] = "users"
    return result


def demand_index(population: xr.DataArray, inputs: Inputs) -> xr.DataArray:
    """Staff needed relative to the base year ([draw,] year, region, sector) [1 = base]."""
    base_year = int(population[YEAR][0])
    u = users(population, inputs)
    base = u.sel({YEAR: base_year})
    by_users = (u / base.where(base > 0)).fillna(1.0)
    units = list(population[REGION].values)
    trend = trend_index(inputs, units, [int(y) for y in population[YEAR].values])
    ones = xr.ones_like(base.isel({SECTOR: 0}, drop=True))
    parts = []
    for sector in inputs.sectors.index:
        if sector in by_users[SECTOR]:
            parts.append(by_users.sel({SECTOR: sector}, drop=True))
        elif sector in trend[SECTOR]:
            parts.append(ones * trend.sel({SECTOR: sector}, drop=True))
        else:
            parts.append(ones * xr.ones_like(population[YEAR], dtype=float))
    index = xr.concat(parts, dim=SECTOR).assign_coords({SECTOR: list(inputs.sectors.index)})
    index = index.transpose(..., YEAR, REGION, SECTOR)
    index.attrs["units"] = "index, base year = 1"
    return index


def labour_demand(
    population: xr.DataArray,
    base_fte: xr.DataArray,
    inputs: Inputs,
    productivity: float = 0.0,
    extra_fte: xr.DataArray | None = None,
) -> xr.DataArray:
    """Demand ([draw,] year, region, sector) [fte]: base staffing × demand index + extra.

    productivity [share per year] lowers welfare staff per user (0 = SKR's "if nothing
    changes"); extra_fte (year, region, sector) [fte] adds establishments' jobs.
    """
    base_year = int(population[YEAR][0])
    index = demand_index(population, inputs)
    welfare = xr.DataArray(
        (inputs.sectors.group == "welfare").to_numpy(),
        coords={SECTOR: list(inputs.sectors.index)},
        dims=[SECTOR],
    )
    factor = xr.where(welfare, (1.0 - productivity) ** (population[YEAR] - base_year), 1.0)
    demand = base_fte * index * factor
    if extra_fte is not None:
        demand = demand + extra_fte
    demand.attrs["units"] = FTE
    return demand
