"""Deterministic cohort-component projection by single age (0–100+), sex and region.

Stocks are at 31 December; events are counted by age reached during the year (the SCB
convention of the embedded deaths and migration), so the cohort aged a−1 at the end of
year t−1 becomes the cohort aged a at the end of year t:

    P(a, t) = P(a−1, t−1) − D(a, t) − O(a, t) + I(a, t)       (a ≥ 1; 100 is open)
    P(0, t) = B(t) − D(0, t) − O(0, t) + I(0, t)

The balancing identity is enforced here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from forecast.dims import AGE, AGES, PERSONS, REGION, SEX, SEXES, YEAR
from forecast.inputs import Inputs

COMPONENTS = ("births", "deaths", "in_migrants", "out_migrants")


def cohort_exposure(stock: np.ndarray) -> np.ndarray:
    """People who reach each age during the year: last year's stock one age younger.

    [persons], shape (..., age); age 0 is filled by births, so it is zero here.
    """
    exposure = np.zeros_like(stock)
    exposure[..., 1:] = stock[..., :-1]
    exposure[..., -1] += stock[..., -1]
    return exposure


def project_step(
    stock: np.ndarray,
    death_prob: np.ndarray,
    out_rate: np.ndarray,
    in_migrants: np.ndarray,
    asfr: np.ndarray,
    share_male: float,
) -> dict[str, np.ndarray]:
    """Advance (region, sex, age) stocks one year; return the new stock and its components.

    Deaths and out-migration compete for the same people, so their combined probability is
    capped at 1 (out-migration gives way); that keeps every stock non-negative.
    """
    exposure = cohort_exposure(stock)
    out_prob = np.minimum(out_rate, 1.0 - death_prob)
    deaths = death_prob * exposure
    out = out_prob * exposure
    new = exposure - deaths - out + in_migrants
    women = (stock[:, 0, :-1] + new[:, 0, 1:]) / 2  # mean of the cohort's two year-end stocks
    births_total = (asfr[:, 1:] * women).sum(axis=-1)
    births = births_total[:, None] * np.array([1.0 - share_male, share_male])
    deaths[..., 0] = death_prob[..., 0] * births
    out[..., 0] = out_prob[..., 0] * births
    new[..., 0] = births - deaths[..., 0] - out[..., 0] + in_migrants[..., 0]
    return {
        "population": new,
        "births": births,
        "deaths": deaths,
        "in_migrants": np.broadcast_to(in_migrants, new.shape).copy(),
        "out_migrants": out,
    }


def project(
    inputs: Inputs,
    units: Sequence[str],
    horizon: int,
    extra_in_migrants: xr.DataArray | None = None,
) -> xr.Dataset:
    """Project the given projection units from the base year to `horizon` (inclusive).

    extra_in_migrants (year, region, sex, age) [persons] are flows added by interventions.
    Returns population (year, region, sex, age) and the components of change per year.
    """
    base = inputs.base_year
    if not base < horizon <= 2050:
        raise ValueError(f"horizon must be between {base + 1} and 2050, got {horizon}")
    years = np.arange(base, horizon + 1)
    sel = {REGION: list(units)}
    stock = inputs.population.sel(sel).transpose(REGION, SEX, AGE).to_numpy()
    q = inputs.death_prob.sel(sel).transpose(REGION, SEX, AGE).to_numpy()
    o = inputs.out_rate.sel(sel).transpose(REGION, SEX, AGE).to_numpy()
    inflow = inputs.in_migrants.sel(sel).transpose(REGION, SEX, AGE).to_numpy()
    asfr = inputs.asfr.sel(sel).transpose(REGION, AGE).to_numpy()

    shape = (len(years), *stock.shape)
    population = np.zeros(shape)
    population[0] = stock
    flows = {name: np.zeros(shape) for name in COMPONENTS if name != "births"}
    births = np.zeros(shape[:-1])
    for i, year in enumerate(years[1:], start=1):
        extra = 0.0
        if extra_in_migrants is not None and year in extra_in_migrants[YEAR]:
            extra = extra_in_migrants.sel({YEAR: year, **sel}).transpose(REGION, SEX, AGE).values
        q_year = q * (1.0 - inputs.mortality_improvement) ** (year - base)
        step = project_step(
            population[i - 1], q_year, o, inflow + extra, asfr, inputs.share_male_births
        )
        population[i] = step["population"]
        births[i] = step["births"]
        for name in flows:
            flows[name][i] = step[name]

    coords = {YEAR: years, REGION: list(units), SEX: list(SEXES), AGE: AGES}
    dims = [YEAR, REGION, SEX, AGE]
    ds = xr.Dataset(
        {
            "population": (dims, population),
            "births": (dims[:-1], births),
            **{name: (dims, values) for name, values in flows.items()},
        },
        coords=coords,
    )
    for name in ds.data_vars:
        ds[name].attrs["units"] = PERSONS
    ds.attrs["base_year"] = base
    return ds
