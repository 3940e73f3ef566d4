"""Shared machinery for the SimPy interventions: monthly clock, seeded random streams,
lever ramps and the collector that turns per-month records into annual xarray results.

Every intervention builds its own ``simpy.Environment`` whose time unit is one month;
month index ``m = 0`` is January of the first projection year (DESIGN.md, Simulation).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from forecast.dims import FTE, PERSONS, SECTOR, YEAR

MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class MonthlyClock:
    """Calendar of a simulation: January of ``start_year`` to December of ``end_year``.

    Env time is measured in months [month]; ``date(m)`` maps a month index to a calendar date.
    """

    start_year: int
    end_year: int

    def __post_init__(self) -> None:
        if self.end_year < self.start_year:
            raise ValueError(
                f"end_year must be >= start_year ({self.start_year}), got {self.end_year}"
            )

    @classmethod
    def from_years(cls, years: Sequence[int]) -> MonthlyClock:
        """Clock covering ``years``, which must be non-empty, ascending and consecutive."""
        years = [int(y) for y in years]
        if not years:
            raise ValueError("years must contain at least one year, got an empty sequence")
        if years != list(range(years[0], years[0] + len(years))):
            raise ValueError(f"years must be consecutive and ascending, got {years}")
        return cls(years[0], years[-1])

    @property
    def years(self) -> list[int]:
        """The calendar years covered, in order."""
        return list(range(self.start_year, self.end_year + 1))

    @property
    def n_months(self) -> int:
        """Number of simulated months [month]."""
        return MONTHS_PER_YEAR * (self.end_year - self.start_year + 1)

    def date(self, m: int) -> tuple[int, int]:
        """Calendar ``(year, month)`` of month index ``m``; month runs 1..12."""
        if not 0 <= m < self.n_months:
            raise ValueError(f"month index must be in [0, {self.n_months}), got {m}")
        return self.start_year + m // MONTHS_PER_YEAR, m % MONTHS_PER_YEAR + 1


def spawn_rngs(seed: int, n: int) -> list[np.random.Generator]:
    """``n`` statistically independent generators derived from the run's ``seed``.

    Uses ``SeedSequence(seed).spawn(n)`` so that stream ``i`` depends only on ``(seed, i)``:
    adding a sector at the end never changes the draws of the sectors before it.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(n)]


@dataclass(frozen=True)
class Ramp:
    """Rollout of a lever: 0 before January of ``start_year``, then linear up to 1.

    ``rollout`` in the k-th month since the start (k = 0 is January of ``start_year``) is
    ``min(1, (k + 1) / (12 * ramp_years))``; ``ramp_years = 0`` means fully in force from
    January of ``start_year``. ``ramp_years`` is in [years] and may be fractional.
    """

    start_year: int
    ramp_years: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.ramp_years) and self.ramp_years >= 0):
            raise ValueError(
                f"ramp_years must be a finite number >= 0 [years], got {self.ramp_years}"
            )

    def rollout(self, year: int, month: int) -> float:
        """Share of the lever in force [share] in calendar ``(year, month)``, month 1..12."""
        since_start = MONTHS_PER_YEAR * (year - self.start_year) + (month - 1)
        if since_start < 0:
            return 0.0
        if self.ramp_years == 0:
            return 1.0
        return min(1.0, (since_start + 1) / (MONTHS_PER_YEAR * self.ramp_years))

    def mean_in_year(self, year: int) -> float:
        """Annual mean of the monthly rollout [share]: the lever's value in ``year``."""
        return sum(self.rollout(year, month) for month in range(1, 13)) / MONTHS_PER_YEAR


@dataclass
class Records:
    """Flat per-month records appended by processes, aggregated once at the end."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def append(self, **fields: Any) -> None:
        """Store one record, e.g. ``append(month=m, year=y, sector=s, takers=n)``."""
        self.rows.append(fields)

    def to_frame(self) -> pd.DataFrame:
        """All records as a DataFrame, one row per record."""
        return pd.DataFrame(self.rows)

    def annual_mean(
        self, value: str, years: Sequence[int], sectors: Sequence[Hashable]
    ) -> xr.DataArray:
        """Annual mean of the monthly ``value`` over dims (year, sector).

        Coordinates are exactly ``years`` and ``sectors`` (keeping the caller's order and
        dtype); a (year, sector) cell without records is NaN, so a silent gap cannot pass
        as a zero.
        """
        frame = self.to_frame()
        if frame.empty:
            table = np.full((len(years), len(sectors)), np.nan)
        else:
            table = (
                frame.pivot_table(index=YEAR, columns=SECTOR, values=value, aggfunc="mean")
                .reindex(index=list(years), columns=list(sectors))
                .to_numpy(dtype=float)
            )
        return xr.DataArray(
            table, dims=(YEAR, SECTOR), coords={YEAR: list(years), SECTOR: list(sectors)}
        )


@dataclass(frozen=True)
class LeverContext:
    """What a lever may read from the region's projection (central path), base year first.

    Levers never edit the projection: they return effects (DESIGN.md, Data flow) that the
    runner adds as explicit flows.
    """

    years: list[int]  # projection years, the base year first
    sectors: list[str]  # sector ids, in Inputs.sectors order
    employed: xr.DataArray  # (year, sector, age) [persons] employed residents, both sexes
    part_timers: xr.DataArray  # (year, sector) [persons]
    fte_per_person: xr.DataArray  # (sector,) [fte] mean FTE of an employed person
    retirements: xr.DataArray  # (year, sector) [persons] exits from work at older ages
    population: xr.DataArray  # (year, sex, age) [persons] residents of the region
    full_time_hours: float  # [hours_per_week]
    part_time_hours: float  # [hours_per_week] mean contracted hours of part-timers
    # the municipalities (projection units) that make up the region, and every unit's
    # population (year, region, age) [persons]; empty/None in small hand-made contexts
    region_units: list[str] = field(default_factory=list)
    unit_population: xr.DataArray | None = None


def check_sectors(
    sectors: Sequence[str] | None, context: LeverContext, default: Sequence[str], lever: str
) -> list[str]:
    """The sectors a lever covers (`default` when None); ValueError naming unknown ones."""
    chosen = list(default if sectors is None else sectors)
    unknown = [s for s in chosen if s not in context.sectors]
    if unknown:
        raise ValueError(
            f"levers.{lever}.sectors: unknown sector {unknown[0]!r}; "
            f"known: {', '.join(context.sectors)}"
        )
    return chosen


def finish(effects: xr.Dataset, lever: str, params: Any, seed: int) -> xr.Dataset:
    """Label a lever's effects: units on the common variables, lever, seed and parameters."""
    units = {"extra_persons": PERSONS, "extra_fte": FTE}
    for name, unit in units.items():
        effects[name].attrs["units"] = unit
    return effects.transpose(YEAR, SECTOR, ...).assign_attrs(
        lever=lever, seed=int(seed), params=params.model_dump_json()
    )
