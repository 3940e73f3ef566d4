"""Announced establishments in a run: the jobs they add to demand and the households they
draw into the projection, for every unit (so any region's result stays a sum of its parts)."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from forecast.dims import REGION, YEAR
from forecast.establishments import (
    Params,
    household_profile,
    increase,
    jobs,
    newcomers,
    read_establishments,
)
from forecast.inputs import DEFAULT_DATA, Inputs
from simulation import migration

_CACHE: dict[tuple[str, str, int], tuple[xr.DataArray, xr.DataArray]] = {}


def household() -> xr.DataArray:
    """Persons per mover household (sex, age): the in-migration lever's default household."""
    p = migration.Params()
    return household_profile(
        p.worker_male_share,
        p.partners_per_household,
        p.children_per_household,
        migration.ADULT_BANDS,
        migration.CHILD_BANDS,
        migration.CHILD_MALE_SHARE,
    )


def establishment_flows(
    params: Params, inputs: Inputs, horizon: int
) -> tuple[xr.DataArray, xr.DataArray] | None:
    """Jobs added since the base year (year, region, sector) [persons] and the newcomers
    (year, region, sex, age) [persons per year] they draw; None when switched off."""
    if not params.include:
        return None
    key = (inputs.vintage, params.model_dump_json(), horizon)
    if key not in _CACHE:
        units = list(inputs.population[REGION].values)
        # the shipped file names the embedded municipalities; fetched inputs may hold others
        embedded = pd.read_csv(DEFAULT_DATA / "regions.csv", dtype={"region_code": str})
        municipalities = {
            *inputs.regions.index[inputs.regions.level == "municipality"],
            *embedded.region_code[embedded.level == "municipality"],
        }
        sectors = list(inputs.sectors.index)
        table = read_establishments(params.path(), municipalities, sectors)
        years = list(range(inputs.base_year, horizon + 1))
        stock = jobs(table, params, years, units, sectors)
        added = stock - stock.sel({YEAR: inputs.base_year})
        people = newcomers(increase(stock), params, household())
        _CACHE[key] = (added, people)
    return _CACHE[key]
