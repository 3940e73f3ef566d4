"""Lever "+N hours a week for part-time workers" (or full time as the norm), played out
month by month in SimPy.

Employers roll out the offer along a ramp; each part-timer newly covered takes it up once
with probability ``uptake``; takers go back to their old hours at a yearly rate ``dropout``
and some leave work altogether under the heavier load (``leave_rate``). The core result is
per part-timer; ``simulate`` scales it by the region's projected part-timers.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Hashable, Sequence
from typing import Annotated, Any

import numpy as np
import simpy
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field

from forecast.dims import FTE, HOURS_PER_WEEK, SECTOR, SHARE, WELFARE_SECTORS, YEAR
from simulation.engine import (
    LeverContext,
    MonthlyClock,
    Ramp,
    Records,
    check_sectors,
    finish,
    spawn_rngs,
)

LEVER = "part_time_hours"
# Guards the floor of the covered head count against float error, e.g. 0.29 * 100 < 29.
_COUNT_TOLERANCE = 1e-9


class Params(BaseModel):
    """Scenario parameters of the lever; defaults and their sources in the comments."""

    model_config = ConfigDict(extra="forbid")
    # [hours_per_week] SKR's lever "deltidsanställda arbetar 3 timmar mer" (seed 003)
    extra_hours: Annotated[float, Field(gt=0, le=20)] = 3.0
    # take part-timers all the way to full time instead (heltid som norm); caps extra_hours
    full_time_norm: bool = False
    start_year: Annotated[int, Field(ge=2025, le=2050)] = 2026
    # [years] to full employer rollout: assumption (no rollout figures in the facts)
    ramp_years: Annotated[float, Field(ge=0, le=10)] = 3.0
    # [share] SKR 2019: about one in five municipal part-timers can and want to work more
    # (retirement_and_hours.csv, andel_av_kommunernas_deltidsanstallda_som_kan_och_vill…)
    uptake: Annotated[float, Field(ge=0, le=1)] = 0.2
    # [share per year] back to the old hours: assumption
    dropout: Annotated[float, Field(ge=0, le=1)] = 0.05
    # [share per year] takers who leave work under the heavier load: assumption
    leave_rate: Annotated[float, Field(ge=0, le=1)] = 0.0
    # sector ids covered; None = the welfare sectors SKR's lever is about
    sectors: list[str] | None = None


WELFARE = (*WELFARE_SECTORS, "public_admin")


def simulate(params: Params, context: LeverContext, seed: int) -> xr.Dataset:
    """Extra persons (those who leave: negative) and FTE by year and sector in the region."""
    sectors = check_sectors(params.sectors, context, WELFARE, LEVER)
    base = context.part_timers.isel({YEAR: 0}, drop=True).sel({SECTOR: sectors})
    hours = xr.full_like(base, context.part_time_hours)
    extra = context.full_time_hours if params.full_time_norm else params.extra_hours
    per = simulate_extra_hours(
        base,
        extra_hours=extra,
        part_time_hours=hours,
        full_time_hours=context.full_time_hours,
        uptake=params.uptake,
        dropout=params.dropout,
        leave_rate=params.leave_rate,
        start_year=params.start_year,
        ramp_years=params.ramp_years,
        years=context.years,
        seed=seed,
    )
    part_timers = context.part_timers.sel({SECTOR: sectors})
    effects = xr.Dataset(
        {
            "extra_persons": -per.left_share * part_timers,
            "extra_fte": per.extra_fte_per_part_timer * part_timers,
            "takeup_share": per.takeup_share,
        }
    ).reindex({SECTOR: context.sectors}, fill_value=0.0)
    return finish(effects, LEVER, params, seed)


def simulate_extra_hours(
    part_timers: xr.DataArray,
    *,
    extra_hours: float,
    part_time_hours: xr.DataArray,
    full_time_hours: float,
    uptake: float,
    dropout: float,
    start_year: int,
    ramp_years: float,
    years: Sequence[int],
    seed: int,
    leave_rate: float = 0.0,
) -> xr.Dataset:
    """Effect of offering part-timers ``extra_hours`` more a week, per part-timer and year.

    Parameters
    ----------
    part_timers : dims (sector,) [persons] part-time employees per sector in the base year;
        rounded to whole persons, who are the simulated population.
    extra_hours : [hours_per_week] requested increase per part-timer, > 0.
    part_time_hours : dims (sector,) [hours_per_week] average contracted hours of part-timers,
        in [0, full_time_hours].
    full_time_hours : [hours_per_week] the full-time week, > 0; caps the extra hours.
    uptake : [share] probability that a part-timer covered by the rollout takes the offer.
    dropout : [share per year] yearly probability that a taker returns to the old hours.
    leave_rate : [share per year] yearly probability that a taker leaves work (workload).
    start_year, ramp_years : the lever's start [year] and linear ramp to full rollout
        [years]; see ``engine.Ramp``.
    years : the projection years, consecutive; the simulation covers all of them.
    seed : run seed; sector ``i`` draws from ``spawn_rngs(seed, n_sectors)[i]``.

    Returns
    -------
    Dataset over (year, sector) with ``takeup_share`` [share] (annual mean of monthly
    takers / part-timers), ``extra_hours_per_taker`` [hours_per_week] and
    ``left_share`` [share] (annual mean of part-timers who left work under the lever) and
    ``extra_fte_per_part_timer`` [fte] = (takeup_share * extra_hours_per_taker − left_share *
    part_time_hours) / full_time_hours. Years before ``start_year`` are 0.
    """
    part_time_hours = _validate(
        part_timers, extra_hours, part_time_hours, full_time_hours, uptake, dropout, leave_rate,
        seed,
    )  # fmt: skip
    clock = MonthlyClock.from_years(years)
    ramp = Ramp(int(start_year), float(ramp_years))
    sectors = part_timers[SECTOR].values
    persons = [round(float(n)) for n in part_timers.values]
    monthly_dropout = 1.0 - (1.0 - dropout) ** (1.0 / 12.0)
    monthly_leave = 1.0 - (1.0 - leave_rate) ** (1.0 / 12.0)

    env = simpy.Environment()
    records = Records()
    rngs = spawn_rngs(seed, len(sectors))
    for sector, n, rng in zip(sectors, persons, rngs, strict=True):
        env.process(
            _part_timers_of_sector(
                env, clock, ramp, sector, n, uptake, (monthly_dropout, monthly_leave), rng, records
            )
        )
    env.run(until=clock.n_months)

    mean_takers = records.annual_mean("takers", clock.years, sectors)
    population = xr.DataArray(np.array(persons, dtype=float), dims=SECTOR, coords={SECTOR: sectors})
    takeup_share = (mean_takers / population.where(population > 0)).fillna(0.0)
    mean_left = records.annual_mean("left", clock.years, sectors)
    left_share = (mean_left / population.where(population > 0)).fillna(0.0)
    own_hours = part_time_hours.drop_vars([c for c in part_time_hours.coords if c != SECTOR])
    hours_per_taker = np.minimum(extra_hours, full_time_hours - own_hours)
    hours_per_taker = hours_per_taker.broadcast_like(takeup_share)
    fte_per_part_timer = (takeup_share * hours_per_taker - left_share * own_hours) / (
        full_time_hours
    )

    ds = xr.Dataset(
        {
            "takeup_share": takeup_share.assign_attrs(
                units=SHARE, description="annual mean share of part-timers working extra hours"
            ),
            "extra_hours_per_taker": hours_per_taker.assign_attrs(
                units=HOURS_PER_WEEK, description="extra hours per taker, capped at full time"
            ),
            "left_share": left_share.assign_attrs(
                units=SHARE, description="annual mean share of part-timers who left work"
            ),
            "extra_fte_per_part_timer": fte_per_part_timer.assign_attrs(
                units=FTE, description="extra FTE per part-timer; multiply by part-timers"
            ),
        },
        attrs={
            "lever": LEVER,
            "seed": int(seed),
            "extra_hours": float(extra_hours),
            "full_time_hours": float(full_time_hours),
            "uptake": float(uptake),
            "dropout": float(dropout),
            "leave_rate": float(leave_rate),
            "start_year": int(start_year),
            "ramp_years": float(ramp_years),
        },
    )
    return ds.transpose(YEAR, SECTOR)


def _part_timers_of_sector(
    env: simpy.Environment,
    clock: MonthlyClock,
    ramp: Ramp,
    sector: Hashable,
    persons: int,
    uptake: float,
    monthly_exits: tuple[float, float],
    rng: np.random.Generator,
    records: Records,
) -> Generator[simpy.Event, Any, None]:
    """One sector's part-timers, month by month: drop back or leave, get offered, take up,
    record."""
    monthly_dropout, monthly_leave = monthly_exits
    takers = left = 0
    covered = 0  # part-timers whose employer has rolled out the offer so far
    for m in range(clock.n_months):
        year, month = clock.date(m)
        takers -= int(rng.binomial(takers, monthly_dropout))
        leaving = int(rng.binomial(takers, monthly_leave)) if monthly_leave > 0 else 0
        takers -= leaving
        left += leaving
        # The cumulative floor carries the fractional remainder from month to month.
        now_covered = math.floor(persons * ramp.rollout(year, month) + _COUNT_TOLERANCE)
        takers += int(rng.binomial(now_covered - covered, uptake))
        covered = now_covered
        records.append(month=m, year=year, sector=sector, takers=takers, left=left)
        yield env.timeout(1)


def _validate(
    part_timers: xr.DataArray,
    extra_hours: float,
    part_time_hours: xr.DataArray,
    full_time_hours: float,
    uptake: float,
    dropout: float,
    leave_rate: float,
    seed: int,
) -> xr.DataArray:
    """Check the arguments (ValueError naming the parameter); return ``part_time_hours``
    aligned to the sectors of ``part_timers``."""
    for name, arr in (("part_timers", part_timers), ("part_time_hours", part_time_hours)):
        if arr.dims != (SECTOR,):
            raise ValueError(f"{name} must have dims ({SECTOR!r},), got {arr.dims}")
    if not bool(np.all(np.isfinite(part_timers.values) & (part_timers.values >= 0))):
        raise ValueError("part_timers must be finite and >= 0 [persons]")
    if not (math.isfinite(full_time_hours) and full_time_hours > 0):
        raise ValueError(f"full_time_hours must be > 0 [hours_per_week], got {full_time_hours}")
    if not (math.isfinite(extra_hours) and extra_hours > 0):
        raise ValueError(f"extra_hours must be > 0 [hours_per_week], got {extra_hours}")
    if not 0 <= uptake <= 1:
        raise ValueError(f"uptake must be in [0, 1] [share], got {uptake}")
    for name, value in (("dropout", dropout), ("leave_rate", leave_rate)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} must be in [0, 1] [share per year], got {value}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    missing = set(part_timers[SECTOR].values.tolist()) - set(
        part_time_hours[SECTOR].values.tolist()
    )
    if missing:
        raise ValueError(f"part_time_hours lacks sectors {sorted(missing)}")
    hours = part_time_hours.sel({SECTOR: part_timers[SECTOR].values})
    if not bool(np.all((hours.values >= 0) & (hours.values <= full_time_hours))):
        raise ValueError(
            f"part_time_hours must be in [0, full_time_hours={full_time_hours}] "
            f"[hours_per_week], got {hours.values.tolist()}"
        )
    return hours
