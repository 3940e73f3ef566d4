"""Lever "shared services between municipalities" (avtalssamverkan), played out in SimPy.

A small municipality needs a minimum staff for a service whatever its size (a legally secure
social services unit, specialist teachers); a group that pools the service replaces its
members' floors by one. Per service, a member alone needs ``max(floor, scale × users)`` FTE;
a pool of the joined members needs ``max(floor, scale × pooled users) × (1 + overhead)``,
shared among them in proportion to their users. A member's freed FTE is its own need minus
its share (negative for a large member that carries the pool's overhead). Users are the
members' projected residents of the service's age band (``context.unit_population``), so the
group may reach beyond the run's region; the region's effect sums its own members only.

Each member is a SimPy process that joins once, in a month drawn along the ramp (uniform
over the ramp months, so the expected share joined is ``engine.Ramp``'s rollout); the pool
exists while at least two members have joined. A group of one never pools and frees exactly
0. With ``ramp_years = 0`` everyone joins in January of ``start_year`` and replications are
identical. The freed FTE are working time of staff who stay employed (redeployed to other
tasks), so ``extra_persons`` is 0 (counting them as persons too would count them twice).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Annotated, Any

import numpy as np
import simpy
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from forecast.dims import AGE, FTE, MAX_AGE, REGION, SECTOR, SHARE, YEAR
from simulation.engine import (
    MONTHS_PER_YEAR,
    LeverContext,
    MonthlyClock,
    Ramp,
    check_sectors,
    finish,
    spawn_rngs,
)

LEVER = "shared_services"
MEMBER = "member"
# The pool is observed in the middle of each month, after the month's joins (at whole months).
_MID_MONTH = 0.5


class Service(BaseModel):
    """A service that can be pooled: its sector, its users and its staffing rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sector: str  # sector id of the context the service's staff work in
    age_min: Annotated[int, Field(ge=0, le=MAX_AGE)]  # [years of age] youngest users
    age_max: Annotated[int, Field(ge=0, le=MAX_AGE)]  # [years of age] oldest users (100 = 100+)
    users_per_person: Annotated[float, Field(gt=0, le=1)] = 1.0  # [share] of the age band
    fte_per_1000_users: Annotated[float, Field(ge=0, le=1000)]  # [fte per 1 000 users]
    min_floor_fte: Annotated[float, Field(ge=0, le=100)]  # [fte] minimum per municipality

    @model_validator(mode="after")
    def _ages_in_order(self) -> Service:
        """The age band must not be empty."""
        if self.age_min > self.age_max:
            raise ValueError(f"age_min ({self.age_min}) must be <= age_max ({self.age_max})")
        return self


# No staffing figures for these services are in the facts (SOURCES.md: "no municipality-level
# staff counts"), so scales and floors are assumptions; override them in a scenario.
DEFAULT_SERVICES: dict[str, Service] = {
    # Individual and family care's case work (myndighetsutövning), as pooled by Bjurholm and
    # Nordmaling from 1 January 2025 (seed 003_450b67a62cf0ac1f.txt, "Avtalssamverkan inom
    # socialtjänsten"). Users: all residents. Assumption: 1.5 FTE per 1 000 inhabitants, and a
    # floor of 6 FTE for separate child/youth (in pairs), adult, income-support and family-law
    # case work plus a share of the on-call rota, which a municipality needs whatever its size.
    "social_services": Service(
        sector="individual_family_care",
        age_min=0,
        age_max=MAX_AGE,
        fte_per_1000_users=1.5,
        min_floor_fte=6.0,
    ),
    # Special-needs teachers (speciallärare/specialpedagoger) of preschool class and compulsory
    # school, ages 6–15; seed 003 cites remote teaching as the way to share scarce teachers.
    # Assumption: 10 FTE per 1 000 pupils (one per about 100 pupils), and a floor of 3 FTE: one
    # each for reading and writing, mathematics, and the special-education competence the
    # pupil health team must have access to (skollagen 2 kap. 25 §).
    "specialist_teachers": Service(
        sector="compulsory_school",
        age_min=6,
        age_max=15,
        fte_per_1000_users=10.0,
        min_floor_fte=3.0,
    ),
}


class Params(BaseModel):
    """Scenario parameters of the lever; defaults and their sources in the comments."""

    model_config = ConfigDict(extra="forbid")
    start_year: Annotated[int, Field(ge=2025, le=2050)] = 2026  # [year] assumption: next year
    # [years] over which the members join. Assumption: each council decides on its own within
    # a year (Bjurholm and Nordmaling decided in December 2024 and started on 1 January 2025,
    # seed 003_450b67a62cf0ac1f.txt); 0 = all join in January of start_year
    ramp_years: Annotated[float, Field(ge=0, le=10)] = 1.0
    # municipality codes (SCB, four digits) that pool; default the pair of seed 003:
    # Bjurholm 2403 and Nordmaling 2401 (Västerbotten, so a Norrbotten run gets nothing)
    group: list[str] = Field(default_factory=lambda: ["2403", "2401"], min_length=1)
    # the pooled services, by name; default DEFAULT_SERVICES (sources there)
    services: dict[str, Service] = Field(default_factory=lambda: dict(DEFAULT_SERVICES))
    # [fte] minimum staff per municipality that replaces every service's own floor; None =
    # each service's min_floor_fte
    min_floor_fte: Annotated[float, Field(ge=0, le=100)] | None = None
    # [share] extra staff time of a pool for travel and coordination. Assumption: 5 % for
    # neighbours such as Bjurholm and Nordmaling (no figure in the facts or seeds)
    overhead_share: Annotated[float, Field(ge=0, le=1)] = 0.05
    # sector ids covered; None = the sectors of `services` (services of an uncovered sector
    # are not pooled)
    sectors: list[str] | None = None

    @field_validator("group")
    @classmethod
    def _municipality_codes(cls, group: list[str]) -> list[str]:
        """Every member is a distinct four-digit municipality code."""
        for code in group:
            if not (len(code) == 4 and code.isascii() and code.isdigit()):
                raise ValueError(f"{code!r} is not a municipality code (four digits, e.g. '2403')")
        duplicates = sorted({code for code in group if group.count(code) > 1})
        if duplicates:
            raise ValueError(f"municipality {duplicates[0]!r} appears more than once")
        return group


def simulate(params: Params, context: LeverContext, seed: int) -> xr.Dataset:
    """Freed FTE by year and sector in the region's members, and by member of the group."""
    services = _covered_services(params, context)
    group = list(params.group)
    users = _users(group, services, context)
    floor = np.array([s.min_floor_fte for s in services.values()], dtype=float)
    if params.min_floor_fte is not None:
        floor = np.full(len(services), params.min_floor_fte)
    scale = np.array([s.fte_per_1000_users / 1000.0 for s in services.values()])
    freed, pooled_share = simulate_pooling(
        users,
        floor=floor,
        scale=scale,
        overhead=params.overhead_share,
        ramp=Ramp(params.start_year, params.ramp_years),
        years=context.years,
        seed=seed,
    )
    in_region = np.array([code in context.region_units for code in group], dtype=bool)
    extra = np.zeros((len(context.years), len(context.sectors)))
    for k, service in enumerate(services.values()):
        extra[:, context.sectors.index(service.sector)] += freed[:, in_region, k].sum(axis=1)
    by_sector = {YEAR: context.years, SECTOR: context.sectors}
    by_member = {YEAR: context.years, MEMBER: group}
    effects = xr.Dataset(
        {
            "extra_persons": xr.DataArray(
                np.zeros_like(extra),
                dims=(YEAR, SECTOR),
                coords=by_sector,
                attrs={"description": "no new persons: pooling frees time of staff employed"},
            ),
            "extra_fte": xr.DataArray(
                extra,
                dims=(YEAR, SECTOR),
                coords=by_sector,
                attrs={"description": "FTE freed by the group's members in the region"},
            ),
            "freed_fte_by_member": xr.DataArray(
                freed.sum(axis=2),
                dims=(YEAR, MEMBER),
                coords=by_member,
                attrs={
                    "units": FTE,
                    "description": "own need alone minus share of the pool's need, all "
                    "covered services; negative where a member carries more than it saves",
                },
            ),
            "pooled_share": xr.DataArray(
                pooled_share,
                dims=(YEAR, MEMBER),
                coords=by_member,
                attrs={
                    "units": SHARE,
                    "description": "annual mean share of months in a pool of two or more",
                },
            ),
        }
    )
    return finish(effects, LEVER, params, seed)


def simulate_pooling(
    users: np.ndarray,
    *,
    floor: np.ndarray,
    scale: np.ndarray,
    overhead: float,
    ramp: Ramp,
    years: list[int],
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Members join the pool month by month; annual means of what each frees.

    ``users`` is (year, member, service) [persons]; ``floor`` [fte] and ``scale`` [fte per
    user] are (service,); ``overhead`` [share] >= 0. Member ``i`` draws its join month from
    ``spawn_rngs(seed, n_members)[i]``. Returns the freed FTE (year, member, service) [fte]
    and the share of months pooled (year, member) [share].
    """
    if not (math.isfinite(overhead) and overhead >= 0):
        raise ValueError(f"overhead must be a finite number >= 0 [share], got {overhead}")
    clock = MonthlyClock.from_years(years)
    n_years, n_members, n_services = users.shape
    if n_years != len(years):
        raise ValueError(f"users covers {n_years} years, expected {len(years)}")
    env = simpy.Environment()
    joined = np.zeros(n_members, dtype=bool)
    for i, rng in enumerate(spawn_rngs(seed, n_members)):
        env.process(_member(env, i, _join_month(ramp, clock, rng), joined))
    freed = np.zeros((clock.n_months, n_members, n_services))
    pooled = np.zeros((clock.n_months, n_members))
    rule = (floor, scale, overhead)
    env.process(_pool(env, clock, joined, users, rule, freed, pooled))
    env.run(until=clock.n_months)
    return _annual_mean(freed, n_years), _annual_mean(pooled, n_years)


def freed_in_pool(
    users: np.ndarray, in_pool: np.ndarray, floor: np.ndarray, scale: np.ndarray, overhead: float
) -> np.ndarray:
    """FTE each member frees (member, service) [fte] when the members ``in_pool`` pool.

    Alone a member needs ``max(floor, scale × users)``; the pool needs ``max(floor, scale ×
    pooled users) × (1 + overhead)``, shared by users (equally if it has none). Members
    outside the pool, and a pool of fewer than two, free 0.
    """
    n_pooled = int(in_pool.sum())
    if n_pooled < 2:
        return np.zeros_like(users, dtype=float)
    pooled_users = np.where(in_pool[:, None], users, 0.0)
    total = pooled_users.sum(axis=0)
    equal = np.where(in_pool[:, None], 1.0 / n_pooled, 0.0) * np.ones_like(pooled_users)
    weight = np.divide(pooled_users, total, out=equal, where=total > 0)
    pool_need = np.maximum(floor, scale * total) * (1.0 + overhead)
    alone = np.maximum(floor, scale * users)
    return np.where(in_pool[:, None], alone - weight * pool_need, 0.0)


def _member(
    env: simpy.Environment, i: int, join_month: int, joined: np.ndarray
) -> Generator[simpy.Event, Any, None]:
    """One member municipality: waits for its council's decision, then joins for good."""
    yield env.timeout(join_month)
    joined[i] = True


def _pool(
    env: simpy.Environment,
    clock: MonthlyClock,
    joined: np.ndarray,
    users: np.ndarray,
    rule: tuple[np.ndarray, np.ndarray, float],
    freed: np.ndarray,
    pooled: np.ndarray,
) -> Generator[simpy.Event, Any, None]:
    """The pool, observed mid-month: who is in it and what each member frees that month."""
    floor, scale, overhead = rule
    yield env.timeout(_MID_MONTH)
    for m in range(clock.n_months):
        year_index = m // MONTHS_PER_YEAR
        in_pool = joined & (joined.sum() >= 2)
        freed[m] = freed_in_pool(users[year_index], in_pool, floor, scale, overhead)
        pooled[m] = in_pool
        yield env.timeout(1)


def _join_month(ramp: Ramp, clock: MonthlyClock, rng: np.random.Generator) -> int:
    """A member's join month [month index]: ``P(joined by the k-th ramp month) = rollout``.

    Inverts ``min(1, (k + 1) / (12 × ramp_years))`` with one uniform draw (drawn also when
    ``ramp_years`` is 0, so a member's stream does not depend on the ramp).
    """
    u = 1.0 - rng.random()  # uniform on (0, 1]
    offset = 0
    if ramp.ramp_years > 0:
        offset = max(0, math.ceil(u * MONTHS_PER_YEAR * ramp.ramp_years) - 1)
    start = MONTHS_PER_YEAR * (ramp.start_year - clock.start_year)
    return max(0, start + offset)


def _annual_mean(monthly: np.ndarray, n_years: int) -> np.ndarray:
    """Annual means of a (month, ...) array: (year, ...)."""
    return monthly.reshape(n_years, MONTHS_PER_YEAR, *monthly.shape[1:]).mean(axis=1)


def _covered_services(params: Params, context: LeverContext) -> dict[str, Service]:
    """The services of the covered sectors, with the floor override; ValueError naming a
    service whose sector the context does not know."""
    for name, service in params.services.items():
        if service.sector not in context.sectors:
            raise ValueError(
                f"levers.{LEVER}.services.{name}.sector: unknown sector {service.sector!r}; "
                f"known: {', '.join(context.sectors)}"
            )
    default = list(dict.fromkeys(s.sector for s in params.services.values()))
    sectors = check_sectors(params.sectors, context, default, LEVER)
    return {name: s for name, s in params.services.items() if s.sector in sectors}


def _users(group: list[str], services: dict[str, Service], context: LeverContext) -> np.ndarray:
    """Users (year, member, service) [persons] of every member from the unit populations;
    ValueError when the context has none or lacks a member or a year."""
    population = context.unit_population
    if population is None:
        raise ValueError(
            f"levers.{LEVER} needs the population of every municipality "
            "(context.unit_population), but this context has none"
        )
    units = [str(code) for code in population[REGION].values]
    unknown = [code for code in group if code not in units]
    if unknown:
        raise ValueError(
            f"levers.{LEVER}.group: {unknown[0]!r} is not a municipality of the projection; "
            f"known: {', '.join(u for u in units if len(u) == 4 and u.isdigit())}"
        )
    missing = sorted(set(context.years) - {int(y) for y in population[YEAR].values})
    if missing:
        raise ValueError(f"context.unit_population lacks the years {missing}")
    members = population.sel({REGION: group, YEAR: context.years}).transpose(YEAR, REGION, AGE)
    columns = [
        members.sel({AGE: slice(s.age_min, s.age_max)}).sum(AGE).to_numpy() * s.users_per_person
        for s in services.values()
    ]
    if not columns:
        return np.zeros((len(context.years), len(group), 0))
    return np.stack(columns, axis=-1)
