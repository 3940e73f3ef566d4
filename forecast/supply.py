"""Labour supply: employed persons, part-timers and FTE by sector from the projected population."""

from __future__ import annotations

import xarray as xr

from forecast.dims import AGE, FTE, PERSONS, REGION, SECTOR, SEX
from forecast.inputs import Inputs


def employed_by_age(population: xr.DataArray, inputs: Inputs) -> xr.DataArray:
    """Employed persons (year, region, sex, age) [persons] = population × employment rate."""
    employed = population * inputs.employment_rate
    employed.attrs["units"] = PERSONS
    return employed


def part_time_share(inputs: Inputs) -> xr.DataArray:
    """Share of each sector's employed who work part time (sector,) [share]."""
    return xr.DataArray(
        inputs.sectors.part_time_share.to_numpy(float),
        coords={SECTOR: list(inputs.sectors.index)},
        dims=[SECTOR],
    )


def fte_per_person(inputs: Inputs) -> xr.DataArray:
    """Average FTE of an employed person by sector [fte]: full-timers 1, part-timers h/H."""
    pt = part_time_share(inputs)
    fte = 1.0 - pt + pt * inputs.part_time_hours / inputs.full_time_hours
    fte.attrs["units"] = FTE
    return fte


def labour_supply(population: xr.DataArray, inputs: Inputs) -> xr.Dataset:
    """Supply (year, region, sector) for each projection unit in `population`.

    Each unit's employed residents are split by its sector shares (held at the base year);
    part-timers and FTE follow the sector's part-time share and hours.
    """
    employed = employed_by_age(population, inputs).sum([SEX, AGE])
    share = inputs.sector_share.sel({REGION: population[REGION]})
    persons = employed * share
    ds = xr.Dataset(
        {
            "supply_persons": persons,
            "part_timers": persons * part_time_share(inputs),
            "supply_fte": persons * fte_per_person(inputs),
        }
    )
    for name, unit in (("supply_persons", PERSONS), ("part_timers", PERSONS), ("supply_fte", FTE)):
        ds[name].attrs["units"] = unit
    return ds
