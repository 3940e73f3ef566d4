"""Lever "longer working life": would-be retirees stay on part time until ``target_age``.

Employers roll out an offer such as the 80-90-100 model (80 % time, 90 % pay, 100 % pension
contributions) along a ramp. Each month the baseline's would-be exits at ages in
[min_exit_age, target_age) form a cohort (context.retirements split by exit age with the drop
in the employment rate seen in context.employed); a binomial share uptake × rollout stays on,
working hours_share of the sector's FTE per person, until reaching target_age, while a monthly
health hazard removes some. Stayers are extra persons; their later exits are reported as flows.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Annotated, Any, Self

import numpy as np
import simpy
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, model_validator

from forecast.balance import EXIT_FROM_AGE
from forecast.dims import AGE, FTE, PERSONS, SECTOR, SEX, YEAR
from simulation.engine import (
    MONTHS_PER_YEAR,
    LeverContext,
    MonthlyClock,
    Ramp,
    check_sectors,
    finish,
    spawn_rngs,
)

LEVER = "working_life"
# Guards the floor of cumulative head counts against float error, e.g. 0.29 * 100 < 29.
_COUNT_TOLERANCE = 1e-9
# Monthly series each sector's process writes, in this order: three stocks, three flows.
_SERIES = ("persons", "persons_60_plus", "persons_65_plus", "avoided", "deferred", "health")
# Result variables: units and description.
_OUTPUTS = {
    "extra_persons": (PERSONS, "annual mean of monthly stayers: would-be retirees still working"),
    "extra_fte": (FTE, "extra_persons × hours_share × the sector's FTE per employed person"),
    "extra_persons_60_plus": (PERSONS, "annual mean of monthly stayers aged 60 or more"),
    "extra_persons_65_plus": (PERSONS, "annual mean of monthly stayers aged 65 or more"),
    "pool_exits": (
        PERSONS,
        "baseline exits in the year at ages in [min_exit_age, target_age): whom the lever can keep",
    ),
    "avoided_exits": (
        PERSONS,
        "baseline exits in the year that did not happen: persons staying on",
    ),
    "deferred_exits": (PERSONS, "stayers leaving in the year on reaching target_age"),
    "health_exits": (PERSONS, "stayers leaving in the year before target_age, for health reasons"),
}
# A probability or share in [0, 1].
Share = Annotated[float, Field(ge=0, le=1)]


class Params(BaseModel):
    """Parameters of the longer-working-life lever; defaults are sourced or marked assumption."""

    model_config = ConfigDict(extra="forbid")

    start_year: Annotated[int, Field(ge=2025, le=2050)] = 2026  # [year] assumption: the
    # first full year after the 2024 base year in which employers can act.
    ramp_years: Annotated[float, Field(ge=0, le=10)] = 3.0  # [years] assumption: employers
    # adopt the offer gradually; seed 003 (Västerbotten, beredningen för kompetensförsörjning
    # 2025) finds it at some employers while Region Västerbotten still writes its strategy.
    sectors: list[str] | None = None  # sector ids covered; None = all sectors: seed 003
    # finds 80-90-100 and similar offers at public employers, industry and haulage alike.
    uptake: Share = 0.25  # [share] of would-be exits before target_age who stay on.
    # Assumption: a minority, as the unions in seed 003 call working past pension age
    # "begränsad" (low pay, hard work); uptake = 1 is SKR's "förlängt arbetsliv till 66 år"
    # (seed 003, äldreomsorgen) as an upper bound.
    uptake_by_sector: dict[str, Share] = Field(default_factory=dict)  # [share] by sector id,
    # overriding `uptake`; default none (assumption: no sourced differences between sectors).
    target_age: Annotated[int, Field(ge=51, le=69)] = 66  # [years of age] stayers work
    # until this age: SKR's "förlängt arbetsliv till 66 år" (seed 003); at most the LAS age
    # 69 (retirement_and_hours.csv, LAS_alder 2023).
    min_exit_age: Annotated[int, Field(ge=EXIT_FROM_AGE, le=68)] = 60  # [years of age]
    # youngest exit age the offer reaches: Region Västerbotten offers staff over 60 shorter
    # hours with kept pension contributions (seed 003).
    hours_share: Annotated[float, Field(ge=0.1, le=1)] = 0.8  # [share] of their previous
    # FTE that stayers work: the 80 % time of the 80-90-100 model (seed 003). AKU 2023 hours
    # of 65–69-year-olds, 24–27 h a week (retirement_and_hours.csv,
    # genomsnittlig_arbetstid_per_vecka_*_65_69), suggest less for those past 65.
    health_exit_rate: Share = 0.04  # [share per year] of stayers leaving before target_age
    # for health reasons. Assumption: about twice Norrbotten's 18.2 long sickness cases
    # (> 60 days) per 1000 aged 16–64 in Dec 2017 (retirement_and_hours.csv), since
    # sickness rises with age.

    @model_validator(mode="after")
    def _ages_in_order(self) -> Self:
        """Reject an empty age band: nobody exits at an age in [min_exit_age, target_age)."""
        if self.min_exit_age >= self.target_age:
            raise ValueError(
                f"min_exit_age ({self.min_exit_age}) must be below target_age ({self.target_age})"
            )
        return self


def simulate(params: Params, context: LeverContext, seed: int) -> xr.Dataset:
    """Effects of the lever on ``context`` over (year, sector); zero outside covered sectors.

    Sector ``i`` of ``context.sectors`` draws from ``spawn_rngs(seed, n_sectors)[i]``, so
    covering more sectors never changes the draws of the others.
    """
    covered = check_sectors(params.sectors, context, context.sectors, LEVER)
    if len(set(covered)) != len(covered):
        raise ValueError(f"levers.{LEVER}.sectors: duplicate sector ids in {covered}")
    stray = sorted(set(params.uptake_by_sector) - set(covered))
    if stray:
        raise ValueError(
            f"levers.{LEVER}.uptake_by_sector: sector {stray[0]!r} is not covered; "
            f"covered: {', '.join(covered)}"
        )
    clock = MonthlyClock.from_years(context.years)
    ramp = Ramp(params.start_year, params.ramp_years)
    rollout = np.array([ramp.rollout(*clock.date(m)) for m in range(clock.n_months)])
    ages = np.arange(params.min_exit_age, params.target_age)
    pool = exits_by_age(context).sel({AGE: ages})
    monthly_exits = _whole_persons_by_month(pool.to_numpy())  # (month, sector, age)
    monthly_health = 1.0 - (1.0 - params.health_exit_rate) ** (1.0 / MONTHS_PER_YEAR)

    series = np.zeros((len(_SERIES), clock.n_months, len(context.sectors)))
    env = simpy.Environment()
    for i, (sector, rng) in enumerate(
        zip(context.sectors, spawn_rngs(seed, len(context.sectors)), strict=True)
    ):
        if sector in covered:
            uptake = params.uptake_by_sector.get(sector, params.uptake)
            env.process(
                _stayers_of_sector(
                    env,
                    monthly_exits[:, i, :],
                    ages,
                    params.target_age,
                    uptake * rollout,
                    monthly_health,
                    rng,
                    series[:, :, i],
                )
            )
    env.run(until=clock.n_months)

    by_year = series.reshape(len(_SERIES), len(clock.years), MONTHS_PER_YEAR, -1)
    stocks, flows = by_year[:3].mean(axis=2), by_year[3:].sum(axis=2)
    fte_per_stayer = params.hours_share * context.fte_per_person.sel({SECTOR: context.sectors})
    values = {
        "extra_persons": stocks[0],
        "extra_fte": stocks[0] * fte_per_stayer.to_numpy(),
        "extra_persons_60_plus": stocks[1],
        "extra_persons_65_plus": stocks[2],
        "pool_exits": pool.sum(AGE).to_numpy(),
        "avoided_exits": flows[0],
        "deferred_exits": flows[1],
        "health_exits": flows[2],
    }
    effects = xr.Dataset(
        {
            name: (
                (YEAR, SECTOR),
                table,
                {"units": _OUTPUTS[name][0], "description": _OUTPUTS[name][1]},
            )
            for name, table in values.items()
        },
        coords={YEAR: clock.years, SECTOR: list(context.sectors)},
    )
    return finish(effects, LEVER, params, seed)


def exits_by_age(context: LeverContext) -> xr.DataArray:
    """Baseline exits (year, sector, age) [persons]: context.retirements split by exit age.

    Exits at age a in year t are taken as proportional to the employed aged a−1 a year
    earlier times the relative drop in the employment rate from a−1 to a (ages >=
    EXIT_FROM_AGE), the rate being employed / population; the base year uses its own stock.
    """
    employed = context.employed.transpose(YEAR, SECTOR, AGE).sel({SECTOR: context.sectors})
    retirements = context.retirements.transpose(YEAR, SECTOR).sel({SECTOR: context.sectors})
    values = employed.to_numpy()
    if not bool(np.all(np.isfinite(values) & (values >= 0))):
        raise ValueError("context.employed must be finite and >= 0 [persons]")
    if not bool(np.all(np.isfinite(retirements.to_numpy()) & (retirements.to_numpy() >= 0))):
        raise ValueError("context.retirements must be finite and >= 0 [persons]")
    population = context.population.sum(SEX).sel({AGE: employed[AGE]}).to_numpy()
    total = values.sum(axis=1)
    rate = np.divide(total, population, out=np.zeros_like(total), where=population > 0)
    previous = np.concatenate([[0], np.arange(len(context.years) - 1)])  # base year: itself
    before = rate[previous, :-1]  # rate at age a−1 one year earlier
    drop = np.zeros_like(rate)
    drop[:, 1:] = np.clip(
        1.0 - np.divide(rate[:, 1:], before, out=np.ones_like(before), where=before > 0), 0, 1
    )
    drop[:, employed[AGE].to_numpy() < EXIT_FROM_AGE] = 0.0
    raw = np.zeros_like(values)
    raw[:, :, 1:] = values[previous][:, :, :-1] * drop[:, None, 1:]
    raw_total = raw.sum(axis=2)
    retired = retirements.to_numpy()
    unexplained = (retired > 0) & (raw_total <= 0)
    if unexplained.any():
        t, s = np.argwhere(unexplained)[0]
        raise ValueError(
            f"context.retirements is {retired[t, s]:g} in {context.years[t]}, "
            f"{context.sectors[s]!r}, but context.employed shows no drop in the "
            f"employment rate from age {EXIT_FROM_AGE} up to split it by age"
        )
    scale = np.divide(retired, raw_total, out=np.zeros_like(retired), where=raw_total > 0)
    return employed.copy(data=raw * scale[:, :, None]).assign_attrs(units=PERSONS)


def _whole_persons_by_month(exits: np.ndarray) -> np.ndarray:
    """Annual exits (year, sector, age) spread evenly over months as whole persons.

    The floor of the cumulative sum carries fractions from month to month, so the total
    over the run loses less than one person per (sector, age).
    """
    per_month = np.repeat(exits / MONTHS_PER_YEAR, MONTHS_PER_YEAR, axis=0)
    whole = np.floor(np.cumsum(per_month, axis=0) + _COUNT_TOLERANCE)
    return np.diff(whole, axis=0, prepend=0.0).astype(np.int64)


def _stayers_of_sector(
    env: simpy.Environment,
    would_exit: np.ndarray,
    ages: np.ndarray,
    target_age: int,
    stay_probability: np.ndarray,
    monthly_health: float,
    rng: np.random.Generator,
    out: np.ndarray,
) -> Generator[simpy.Event, Any, None]:
    """One sector's stayers month by month: leave at target age, leave on health, join, record.

    ``would_exit`` (month, age) are the baseline's exits; ``stay_probability`` (month,) is
    uptake × rollout; ``out`` (series, month) receives the monthly values of ``_SERIES``.
    Stayers are held by months since joining (rows) and exit age (columns); exit ages that
    never occur are left out, which keeps the monthly draws small.
    """
    occurring = would_exit.any(axis=0)
    if not occurring.any():
        return
    ages, would_exit = ages[occurring], would_exit[:, occurring]
    # Each would-be exiter decides once, in the month of the exit, whether to stay on.
    joins = rng.binomial(would_exit, stay_probability[:, None])
    out[3] = joins.sum(axis=1)
    stay_months = MONTHS_PER_YEAR * (target_age - ages)
    columns = np.arange(len(ages))
    tenure = np.arange(stay_months.max() + 1)[:, None]
    stayers = np.zeros((len(tenure), len(ages)), dtype=np.int64)
    # Rows of stock_weights @ stayers.ravel(): all stayers, those aged 60+, those aged 65+.
    stock_weights = np.stack(
        [
            np.ones(stayers.shape),
            tenure >= MONTHS_PER_YEAR * np.maximum(0, 60 - ages),
            tenure >= MONTHS_PER_YEAR * np.maximum(0, 65 - ages),
        ]
    ).reshape(3, -1)
    for m in range(len(would_exit)):
        stayers[1:] = stayers[:-1]
        stayers[0] = 0
        out[4, m] = stayers[stay_months, columns].sum()
        stayers[stay_months, columns] = 0
        if monthly_health > 0:
            leavers = rng.binomial(stayers, monthly_health)
            stayers -= leavers
            out[5, m] = leavers.sum()
        stayers[0] = joins[m]
        out[:3, m] = stock_weights @ stayers.ravel()
        yield env.timeout(1)
