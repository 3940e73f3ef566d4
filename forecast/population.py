"""Cohort-component projection by draw, single age (0–100+), sex and projection unit.

Stocks are at 31 December; events are counted by age reached during the year (the SCB
convention of the embedded deaths and migration), so the cohort aged a−1 at the end of
year t−1 becomes the cohort aged a at the end of year t:

    P(a, t) = P(a−1, t−1) − D − E − O + I + M       (a ≥ 1; 100 is open)
    P(0, t) = B(t) − D − E − O + I + M

with deaths D, emigrants E, domestic out-migrants O, domestic in-migrants I and immigrants
M. Domestic moves run through one national pool per draw, sex and age: every unit's
out-migrants enter it and each unit takes its share, the shares summing to one, so moves
within Sweden create and destroy nobody. All units (the 44 municipalities and the rest of
Sweden) are projected together for that reason. The balancing identity is enforced here and
nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from numba import njit

from forecast.dims import AGE, AGES, DRAW, PERSONS, REGION, SEX, SEXES, YEAR
from forecast.inputs import Inputs
from forecast.rates import RatePaths

FLOWS = ("deaths", "emigrants", "domestic_out", "domestic_in", "immigrants")
REST_OF_SWEDEN = "00X"  # the unit that takes the domestic movers the municipalities do not


@dataclass(frozen=True)
class BaseRates:
    """Base-year rates of every unit as (region, sex, age) arrays, in projection order."""

    death_prob: np.ndarray
    emigration_rate: np.ndarray
    domestic_out_rate: np.ndarray
    domestic_share: np.ndarray
    immigrants: np.ndarray
    asfr: np.ndarray  # (region, age)
    share_male: float

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The (region, sex, age) rates in the order the kernel reads them."""
        return (
            self.death_prob,
            self.emigration_rate,
            self.domestic_out_rate,
            self.domestic_share,
            self.immigrants,
        )

    @classmethod
    def of(cls, inputs: Inputs) -> BaseRates:
        order = (REGION, SEX, AGE)
        return cls(
            death_prob=inputs.death_prob.transpose(*order).to_numpy(),
            emigration_rate=inputs.emigration_rate.transpose(*order).to_numpy(),
            domestic_out_rate=inputs.domestic_out_rate.transpose(*order).to_numpy(),
            domestic_share=inputs.domestic_share.transpose(*order).to_numpy(),
            immigrants=inputs.immigrants.transpose(*order).to_numpy(),
            asfr=inputs.asfr.transpose(REGION, AGE).to_numpy(),
            share_male=inputs.share_male_births,
        )


@njit(cache=True)
def _exits(e, q, emi, dom):
    """Deaths, emigrants and domestic out-migrants of e exposed people.

    Deaths come first; emigration and domestic moves share what is left, together capped so
    that nobody leaves twice and no stock goes negative.
    """
    q = min(q, 1.0)
    leaving = emi + dom
    room = 1.0 if leaving <= 1.0 - q else (1.0 - q) / leaving
    return q * e, emi * room * e, dom * room * e


@njit(cache=True)
def _arrivals(lo, hi, d, pool, rates, taken, attraction, immigration, extra, new, flows):
    """Share out the pool of domestic movers aged lo … hi−1 and add immigrants, every unit.

    Unit 0 (the rest of Sweden) takes what the municipalities do not; if their shares would
    exceed the pool, they are scaled down, so domestic in-migrants always equal out-migrants.
    """
    units, sexes = new.shape[1], new.shape[2]
    taken[:, lo:hi] = 0.0
    for r in range(1, units):
        for s in range(sexes):
            for a in range(lo, hi):
                taken[s, a] += rates[3][r, s, a] * attraction[d, r]
    for r in range(units):
        for s in range(sexes):
            domestic = arrived = 0.0
            for a in range(lo, hi):
                if r == 0:
                    into = pool[s, a] * (1.0 - min(taken[s, a], 1.0))
                else:
                    share = rates[3][r, s, a] * attraction[d, r] / max(taken[s, a], 1.0)
                    into = share * pool[s, a]
                m = rates[4][r, s, a] * immigration[d] * attraction[d, r] + extra[d, r, s, a]
                new[d, r, s, a] += into + m
                domestic += into
                arrived += m
            flows[d, r, s, 3] += domestic
            flows[d, r, s, 4] += arrived


@njit(cache=True)
def _step(
    stock, rates, asfr, share_male, mort, fert, emig, mob, immigration, attraction, retention,
    unit_mort, unit_fert, extra, new, births, flows,
):  # fmt: skip
    """Advance (draw, region, sex, age) stocks one year in place of `new`.

    rates = (death_prob, emigration_rate, domestic_out_rate, domestic_share, immigrants), each
    (region, sex, age); the path factors are this year's (draw, …) slices and the unit levels
    (draw, region). births gets (draw, region, sex); flows (draw, region, sex, flow) in the
    order of FLOWS.
    """
    n_draws, units, sexes, ages = stock.shape
    pool = np.zeros((sexes, ages))
    taken = np.zeros((sexes, ages))
    exposure = np.zeros(ages)
    for d in range(n_draws):
        pool[:] = 0.0
        flows[d] = 0.0
        for r in range(units):
            for s in range(sexes):
                exposure[1:] = stock[d, r, s, :-1]
                exposure[ages - 1] += stock[d, r, s, ages - 1]
                dead_sum = emi_sum = dom_sum = 0.0
                level, stay = unit_mort[d, r], retention[d, r]
                for a in range(1, ages):
                    e = exposure[a]
                    dead, emi, dom = _exits(
                        e,
                        rates[0][r, s, a] * mort[d, s, a] * level,
                        rates[1][r, s, a] * emig[d] * stay,
                        rates[2][r, s, a] * mob[d] * stay,
                    )
                    new[d, r, s, a] = max(e - dead - emi - dom, 0.0)  # no -1e-16 stocks
                    pool[s, a] += dom
                    dead_sum += dead
                    emi_sum += emi
                    dom_sum += dom
                flows[d, r, s, 0] = dead_sum
                flows[d, r, s, 1] = emi_sum
                flows[d, r, s, 2] = dom_sum
        _arrivals(1, ages, d, pool, rates, taken, attraction, immigration, extra, new, flows)
        for r in range(units):
            total = 0.0
            for a in range(1, ages):
                total += asfr[r, a] * (stock[d, r, 0, a - 1] + new[d, r, 0, a]) / 2
            total *= fert[d] * unit_fert[d, r]
            for s in range(sexes):
                born = total * (share_male if s == 1 else 1.0 - share_male)
                births[d, r, s] = born
                dead, emi, dom = _exits(
                    born,
                    rates[0][r, s, 0] * mort[d, s, 0] * unit_mort[d, r],
                    rates[1][r, s, 0] * emig[d] * retention[d, r],
                    rates[2][r, s, 0] * mob[d] * retention[d, r],
                )
                new[d, r, s, 0] = max(born - dead - emi - dom, 0.0)
                pool[s, 0] += dom
                flows[d, r, s, 0] += dead
                flows[d, r, s, 1] += emi
                flows[d, r, s, 2] += dom
        _arrivals(0, 1, d, pool, rates, taken, attraction, immigration, extra, new, flows)


def project(
    inputs: Inputs,
    horizon: int,
    paths: RatePaths,
    extra_immigrants: xr.DataArray | None = None,
) -> xr.Dataset:
    """Project every unit from the base year to `horizon` along each draw of `paths`.

    extra_immigrants ([draw,] year, region, sex, age) [persons] are flows added by
    interventions (per draw when they have a draw dimension).
    Returns population (draw, year, region, sex, age), and births and every flow
    (draw, year, region, sex) [persons]; the base year's flows are 0.
    """
    base = inputs.base_year
    if not base < horizon <= 2050:
        raise ValueError(f"horizon must be between {base + 1} and 2050, got {horizon}")
    units = [str(u) for u in inputs.population[REGION].values]
    if units[0] != REST_OF_SWEDEN:
        raise ValueError(f"the rest of Sweden ({REST_OF_SWEDEN}) must be the first unit")
    years = np.arange(base, horizon + 1)
    if paths.years[0] != base + 1 or paths.years[-1] < horizon:
        raise ValueError(f"rate paths cover {paths.years[0]}–{paths.years[-1]}, need to {horizon}")
    for name in ("attraction", "retention", "unit_mortality", "unit_fertility"):
        if getattr(paths, name).shape[-1] != len(units):
            raise ValueError(f"rate paths: {name} is not for these {len(units)} units")
    rates = BaseRates.of(inputs)
    stock0 = inputs.population.transpose(REGION, SEX, AGE).to_numpy()
    n = paths.draws
    population = np.empty((len(years), n, *stock0.shape))  # year first: each year contiguous
    population[0] = stock0
    births = np.zeros((len(years), n, *stock0.shape[:-1]))
    flows = np.zeros((len(years), n, *stock0.shape[:-1], len(FLOWS)))
    for i, year in enumerate(years[1:], start=1):
        t = i - 1
        _step(
            population[i - 1],
            rates.arrays,
            rates.asfr,
            rates.share_male,
            paths.mortality[:, t],
            paths.fertility[:, t],
            paths.emigration[:, t],
            paths.mobility[:, t],
            paths.immigration[:, t],
            paths.attraction[:, t],
            paths.retention[:, t],
            paths.unit_mortality,
            paths.unit_fertility,
            _extra(extra_immigrants, year, units, (n, *stock0.shape)),
            population[i],
            births[i],
            flows[i],
        )
    dims = [YEAR, DRAW, REGION, SEX]
    coords = {DRAW: np.arange(n), YEAR: years, REGION: units, SEX: list(SEXES), AGE: AGES}
    ds = xr.Dataset(
        {
            "population": ([*dims, AGE], population),
            "births": (dims, births),
            **{name: (dims, flows[..., k]) for k, name in enumerate(FLOWS)},
        },
        coords=coords,
    ).transpose(DRAW, YEAR, ...)
    for name in ds.data_vars:
        ds[name].attrs["units"] = PERSONS
    ds.attrs["base_year"] = base
    return ds


def _extra(
    extra: xr.DataArray | None, year: int, units: list[str], shape: tuple[int, ...]
) -> np.ndarray:
    """Intervention immigrants of one year as (draw, region, sex, age), zeros where none.

    Without a draw dimension the same flow goes to every draw (a read-only broadcast view).
    """
    if extra is None or year not in extra[YEAR]:
        return np.broadcast_to(0.0, shape)
    values = extra.sel({YEAR: year}).reindex({REGION: units}, fill_value=0.0)
    if DRAW not in values.dims:
        return np.broadcast_to(values.transpose(REGION, SEX, AGE).to_numpy().astype(float), shape)
    if values.sizes[DRAW] != shape[0]:
        raise ValueError(f"extra immigrants have {values.sizes[DRAW]} draws, paths {shape[0]}")
    return values.transpose(DRAW, REGION, SEX, AGE).to_numpy().astype(float)
