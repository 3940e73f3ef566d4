"""Replacement demand, expansion and recruitment need, and the gap between demand and supply.

Replacement follows the BLS separations idea with SKR's staffing view: each sector's staff
(demand, in persons) has the age and sex structure of the region's employed, and leaves work
at the exit hazard by age (retirement and disability, calibrated to the average exit age)
plus the death probability. Occupational transfers are not modelled.
"""

from __future__ import annotations

import xarray as xr

from forecast.dims import AGE, FTE, PERSONS, SEX, YEAR
from forecast.inputs import Inputs
from forecast.supply import employed_by_age

EXIT_FROM_AGE = 50  # [years] the exit hazard starts here (data/build_labour.py)


def exit_rates(population: xr.DataArray, inputs: Inputs) -> xr.Dataset:
    """Share of last year's workers who leave in year t ([draw,] year, region) [per worker].

    `retire` is exits to retirement or disability, `die` deaths; the base year has none.
    The stock aged a at the end of t−1 leaves at the hazard of age a and dies at the
    probability of the age a+1 it reaches in t.
    """
    employed = employed_by_age(population, inputs)
    total = employed.sum([SEX, AGE])
    reached = inputs.death_prob.shift({AGE: -1}).fillna(inputs.death_prob)
    rates = xr.Dataset(
        {
            "retire": xr.dot(employed, inputs.exit_hazard, dim=[SEX, AGE]) / total,
            "die": xr.dot(employed, reached, dim=[SEX, AGE]) / total,
        }
    )
    return rates.shift({YEAR: 1}).fillna(0.0)


def replacement(demand_persons: xr.DataArray, rates: xr.Dataset) -> xr.Dataset:
    """Retirements and deaths among last year's staff ([draw,] year, region, sector) [persons]."""
    staff = demand_persons.shift({YEAR: 1}).fillna(0.0)
    out = xr.Dataset({"retirements": staff * rates.retire, "deaths": staff * rates.die})
    for name in out.data_vars:
        out[name].attrs["units"] = PERSONS
    return out


def expansion(demand_persons: xr.DataArray) -> xr.DataArray:
    """Change in staff needed from the year before [persons]; negative when demand falls."""
    change = demand_persons.diff(YEAR).reindex({YEAR: demand_persons[YEAR]}, fill_value=0.0)
    change.attrs["units"] = PERSONS
    return change


def gap(demand_fte: xr.DataArray, supply_fte: xr.DataArray) -> xr.DataArray:
    """Demand − supply [fte]; positive means a shortage."""
    result = demand_fte - supply_fte
    result.attrs["units"] = FTE
    return result


def recruitment_need(expansion_need: xr.DataArray, replacement_need: xr.DataArray) -> xr.DataArray:
    """People to hire [persons]: expansion + replacement, at least 0.

    Computed per projection unit and sector, so a county's need is the sum of its
    municipalities' needs (a fall in one place does not cancel hiring in another).
    """
    need = (expansion_need + replacement_need).clip(min=0.0)
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
