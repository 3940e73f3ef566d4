"""Retirements, recruitment need and the gap between labour demand and supply.

Exits from the workforce follow the fall of the employment rate with age from EXIT_FROM_AGE:
a cohort that was employed at a−1 and is employed at a lower rate at a has left work
(retirement, disability or early exit). That is the cohort-component view of the BLS
separations method, without occupational transfers.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from forecast.demography import cohort_exposure
from forecast.dims import AGE, FTE, PERSONS, REGION, SEX, YEAR
from forecast.inputs import Inputs

EXIT_FROM_AGE = 50


def retirements(population: xr.DataArray, inputs: Inputs) -> xr.DataArray:
    """Persons leaving employment for age reasons (year, region, sector) [persons].

    For each year t: the cohort aged a−1 at the end of t−1 times the drop in the
    employment rate from a−1 to a, for a ≥ EXIT_FROM_AGE; split by the unit's sector shares.
    The base year has no flow (0).
    """
    rate = inputs.employment_rate.to_numpy()
    drop = xr.DataArray(0.0 * rate, coords={AGE: inputs.employment_rate[AGE]}, dims=[AGE])
    drop[EXIT_FROM_AGE:] = (rate[EXIT_FROM_AGE - 1 : -1] - rate[EXIT_FROM_AGE:]).clip(min=0)
    stock = population.transpose(..., YEAR, REGION, SEX, AGE)
    values = stock.to_numpy()
    exposure = np.zeros_like(values)
    exposure[..., 1:, :, :, :] = cohort_exposure(values[..., :-1, :, :, :])
    exposure = stock.copy(data=exposure)
    exits = (exposure * drop).sum([SEX, AGE])
    share = inputs.sector_share.sel({REGION: population[REGION]})
    result = exits * share
    result.attrs["units"] = PERSONS
    return result


def gap(demand_fte: xr.DataArray, supply_fte: xr.DataArray) -> xr.DataArray:
    """Demand − supply [fte]; positive means a shortage."""
    result = demand_fte - supply_fte
    result.attrs["units"] = FTE
    return result


def recruitment_need(
    demand_fte: xr.DataArray, retired: xr.DataArray, fte_per_person: xr.DataArray
) -> xr.DataArray:
    """Retirements + growth in demand converted to persons [persons], per region and sector.

    Growth is counted where it happens (per projection unit), so units add up to counties.
    """
    growth = demand_fte.diff(YEAR).clip(min=0) / fte_per_person
    need = retired + growth.reindex({YEAR: demand_fte[YEAR]}, fill_value=0.0)
    need.attrs["units"] = PERSONS
    return need


def cumulative(flow: xr.DataArray, first: int, last: int) -> xr.DataArray:
    """Sum of a yearly flow (retirements, recruitment need …) over first…last, both included.

    A period outside the projected years is an error, not a silent zero.
    """
    years = flow[YEAR].to_numpy()
    if first > last or first < years.min() or last > years.max():
        raise ValueError(
            f"period {first}–{last} is outside the projected years {years.min()}–{years.max()}"
        )
    total = flow.sel({YEAR: slice(first, last)}).sum(YEAR)
    total.attrs = dict(flow.attrs)
    total.attrs["period"] = f"{first}-{last}"
    return total
