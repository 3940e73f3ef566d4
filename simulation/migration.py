"""Lever "recruit households from outside the region", limited by housing, played out in SimPy.

Recruitment campaigns (split over target sectors) and establishment-driven movers send
applicant households month by month; each needs a dwelling from a ``simpy.Container``
(free dwellings at the start, refilled each January by building). Households are housed
first come, first served and give up after ``max_wait_months``. A housed household brings a
worker, possibly a partner (employed at ``partner_employment``) and children; it leaves
again, whole, at a yearly hazard. The result gives explicit person flows (arrivals and
departures by sex and age) for the population projection and the extra employed by sector.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Annotated, Any

import numpy as np
import simpy
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, model_validator

from forecast.dims import AGE, AGES, MAX_AGE, PERSONS, SECTOR, SEX, SEXES, YEAR
from simulation.engine import (
    MONTHS_PER_YEAR,
    LeverContext,
    MonthlyClock,
    Ramp,
    check_sectors,
    finish,
    spawn_rngs,
)

LEVER = "migration"
HOUSEHOLDS = "households"
DWELLINGS = "dwellings"
MONTHS = "months"
# Guards the floor of cumulative applicants against float error, e.g. 0.29 * 100 < 29.
_COUNT_TOLERANCE = 1e-9
_SHARE_TOLERANCE = 1e-6
# Age reached in the arrival year [years] of workers and partners, by five-year band with
# its share: in-migrants aged 25–44 to Luleå and Boden 2015–2024 (in_migrants in
# ../shared/facts/scb_lulea_migration_age_sex.csv); partners are given the same profile
# (assumption: couples of similar age).
ADULT_BANDS = ((25, 29, 0.45), (30, 34, 0.28), (35, 39, 0.17), (40, 44, 0.10))
# Children's ages 0–17 by band, same source and years (in-migrants aged 0–5, 6–12, 13–17).
CHILD_BANDS = ((0, 5, 0.44), (6, 12, 0.32), (13, 17, 0.24))
# Share of boys among in-migrant children 0–17, Luleå and Boden 2015–2024 (same file).
CHILD_MALE_SHARE = 0.525
_MALE = SEXES.index("male")
_FEMALE = SEXES.index("female")


class Params(BaseModel):
    """Parameters of the in-migration lever; every default names its source or assumption."""

    model_config = ConfigDict(extra="forbid")
    # [year] assumption: campaigns start the year after the base data
    start_year: Annotated[int, Field(ge=2025, le=2050)] = 2026
    # [years] linear ramp of both flows of applicants: assumption, campaigns and establishments
    # take about two years to reach full pace
    ramp_years: Annotated[float, Field(ge=0, le=10)] = 2.0
    # target sectors of the recruitment campaign; None = every sector of the context
    sectors: list[str] | None = None
    # [share] split of the recruits over target sectors, summing to 1; None = the default
    # split: establishment_share to establishment_sector, the rest over the other target
    # sectors in proportion to their employed persons in the base year
    sector_shares: dict[str, Annotated[float, Field(ge=0, le=1)]] | None = None
    # [households per year] applicants from the campaign at full pace: northern_investments.csv
    # nya_arbetstillfallen, 30 000 new jobs in Norrbotten, spread over the 15 years of
    # nya_invanare "100 000 nya invånare på 15 år", / (1 + 0.6 × 0.83) workers per household
    recruits_per_year: Annotated[float, Field(ge=0, le=100_000)] = 1300.0
    # [households per year] applicants who move with an establishment (its own staff, into
    # establishment_sector) at full pace: assumption, off by default
    establishment_movers_per_year: Annotated[float, Field(ge=0, le=100_000)] = 0.0
    # sector of the new establishments: steel, batteries and mining (northern_investments.csv)
    establishment_sector: str = "industry"
    # [share] of the recruits going to establishment_sector in the default split:
    # northern_investments.csv indirekta_jobb_per_industrijobb_minst = 2 (each industry job
    # brings at least two more), so 1 of 3 new jobs is in industry
    establishment_share: Annotated[float, Field(ge=0, le=1)] = 1 / 3
    # [share] men among recruited workers: 1/3 × 0.77 (men among employed in SNI B–E, SE33
    # 2021, employment_by_industry.csv) + 2/3 × 0.55 (men among employed aged 25–34,
    # Norrbotten 2022, employment_rates.csv sysselsatta_antal_BAS)
    worker_male_share: Annotated[float, Field(ge=0, le=1)] = 0.62
    # [partners per household] chance that a worker moves with a partner (of the other sex):
    # assumption; seed 002_1d3ac91a03360b43.txt (Luleå–Boden) says families move, no number
    partners_per_household: Annotated[float, Field(ge=0, le=1)] = 0.6
    # [share] employed among partners: employed women aged 25–34, Norrbotten 2022 (11 825 /
    # 14 240, employment_rates.csv sysselsatta_antal_BAS / befolkning_antal_31dec)
    partner_employment: Annotated[float, Field(ge=0, le=1)] = 0.83
    # [children per household] mean (Poisson): in-migrants aged 0–17 per in-migrant aged
    # 25–44, Luleå and Boden 2015–2024 (0.36, scb_lulea_migration_age_sex.csv in_migrants),
    # × 1.6 adults per household
    children_per_household: Annotated[float, Field(ge=0, le=5)] = 0.57
    # [dwellings] free dwellings open to movers at the start: assumption, the facts have no
    # vacancy figures
    housing_stock: Annotated[int, Field(ge=0, le=1_000_000_000)] = 500
    # [dwellings per year] dwellings open to movers added each January from start_year:
    # assumption (the facts have no building figures), set below the default recruits so
    # that housing binds from about the third year
    dwellings_built_per_year: Annotated[int, Field(ge=0, le=1_000_000)] = 700
    # [months] longest wait for a dwelling before a household gives up: assumption, a job
    # offer is held open about half a year
    max_wait_months: Annotated[int, Field(ge=0, le=60)] = 6
    # [share per year] chance that a mover household leaves again within a year, on top of
    # the out-migration the projection applies to every resident: assumption, the facts have
    # no retention figures
    leave_rate_per_year: Annotated[float, Field(ge=0, le=1)] = 0.1

    @model_validator(mode="after")
    def _check_sector_shares(self) -> Params:
        """Shares must sum to one and lie within ``sectors`` when both are given."""
        if self.sector_shares is None:
            return self
        total = sum(self.sector_shares.values())
        if not math.isclose(total, 1.0, abs_tol=_SHARE_TOLERANCE):
            raise ValueError(f"sector_shares must sum to 1, got {total}")
        if self.sectors is not None:
            outside = sorted(set(self.sector_shares) - set(self.sectors))
            if outside:
                raise ValueError(f"sector_shares names sectors {outside} not in sectors")
        return self


@dataclass
class _Housing:
    """Shared state of the processes: the waiting queue and what the office records."""

    n_months: int
    queue: deque[list[int]] = field(default_factory=deque)  # [applied month, sector, waiting]
    released: np.ndarray = field(init=False)  # (month,) dwellings freed by leavers
    gave_up: np.ndarray = field(init=False)  # (month,) households giving up
    free: np.ndarray = field(init=False)  # (month,) free dwellings after allocation
    arrival: list[np.ndarray] = field(default_factory=list)  # per housed batch: month
    sector: list[np.ndarray] = field(default_factory=list)  # per batch: worker's sector index
    wait: list[np.ndarray] = field(default_factory=list)  # per batch: months waited
    leave: list[np.ndarray] = field(default_factory=list)  # per batch: month of leaving

    def __post_init__(self) -> None:
        """Zeroed per-month tallies."""
        self.released = np.zeros(self.n_months, dtype=np.int64)
        self.gave_up = np.zeros(self.n_months, dtype=np.int64)
        self.free = np.zeros(self.n_months, dtype=np.int64)


def simulate(params: Params, context: LeverContext, seed: int) -> xr.Dataset:
    """Arrivals, departures and extra employed of the mover households over context.years.

    Random streams of ``spawn_rngs(seed, 4)``: 0 and 1 split the recruits and the
    establishment movers over sectors, 2 draws leaving, 3 draws who is in the households.
    """
    recruit_shares, establishment = _target_shares(params, context)
    clock = MonthlyClock.from_years(context.years)
    ramp = Ramp(params.start_year, params.ramp_years)
    recruit_rng, mover_rng, leave_rng, people_rng = spawn_rngs(seed, 4)
    monthly_leave = 1.0 - (1.0 - params.leave_rate_per_year) ** (1.0 / MONTHS_PER_YEAR)

    env = simpy.Environment()
    stock = simpy.Container(env, init=params.housing_stock)
    state = _Housing(clock.n_months)
    # Created in this order, the processes act in this order within every month.
    env.process(_builder(env, clock, stock, params, state))
    for rate, shares, rng in (
        (params.recruits_per_year, recruit_shares, recruit_rng),
        (params.establishment_movers_per_year, establishment, mover_rng),
    ):
        env.process(_campaign(env, clock, ramp, rate, shares, rng, state))
    env.process(_housing_office(env, clock, stock, params, monthly_leave, leave_rng, state))
    env.run(until=clock.n_months)
    return _results(params, context, state, people_rng, seed)


def _target_shares(params: Params, context: LeverContext) -> tuple[np.ndarray, np.ndarray]:
    """Split [share] of the recruits and of the establishment movers over context.sectors."""
    targets = check_sectors(params.sectors, context, context.sectors, LEVER)
    for name, ids in (
        ("sector_shares", list(params.sector_shares or {})),
        ("establishment_sector", [params.establishment_sector]),
    ):
        unknown = [s for s in ids if s not in context.sectors]
        if unknown:
            raise ValueError(
                f"levers.{LEVER}.{name}: unknown sector {unknown[0]!r}; "
                f"known: {', '.join(context.sectors)}"
            )
    index = {s: i for i, s in enumerate(context.sectors)}
    establishment = np.zeros(len(context.sectors))
    establishment[index[params.establishment_sector]] = 1.0
    employed = context.employed.isel({YEAR: 0}).sum(AGE).sel({SECTOR: context.sectors}).values
    if not employed.sum() > 0:
        raise ValueError("context.employed has no persons in the base year to spread partners")
    shares = np.zeros(len(context.sectors))
    if params.sector_shares is not None:
        for sector, share in params.sector_shares.items():
            shares[index[sector]] = share
        return shares / shares.sum(), establishment
    others = [index[s] for s in targets if s != params.establishment_sector]
    if others:
        total = float(employed[others].sum())
        if not total > 0:
            raise ValueError(
                f"levers.{LEVER}.sectors: no employed persons in the base year in {targets}, "
                "so the default split is undefined; give sector_shares"
            )
        shares[others] = employed[others] / total
    if params.establishment_sector in targets:
        weight = params.establishment_share if others else 1.0
        shares *= 1.0 - weight
        shares[index[params.establishment_sector]] = weight
    return shares, establishment


def _builder(
    env: simpy.Environment,
    clock: MonthlyClock,
    stock: simpy.Container,
    params: Params,
    state: _Housing,
) -> Generator[simpy.Event, Any, None]:
    """Put back the dwellings freed by leavers, and each January from start_year new ones."""
    for m in range(clock.n_months):
        year, month = clock.date(m)
        built = params.dwellings_built_per_year if month == 1 and year >= params.start_year else 0
        freed = built + int(state.released[m])
        if freed > 0:
            # Not yielded: the stock has no upper bound, so the put succeeds at once, and the
            # builder keeps its place before the campaigns and the office in every month.
            stock.put(freed)
        yield env.timeout(1)


def _campaign(
    env: simpy.Environment,
    clock: MonthlyClock,
    ramp: Ramp,
    per_year: float,
    shares: np.ndarray,
    rng: np.random.Generator,
    state: _Housing,
) -> Generator[simpy.Event, Any, None]:
    """One source of applicants: ``per_year`` × rollout a year, queued by target sector."""
    wanted = 0.0  # cumulative applicants [households]; the floor carries the fraction
    sent = 0
    for m in range(clock.n_months):
        wanted += per_year * ramp.rollout(*clock.date(m)) / MONTHS_PER_YEAR
        now_sent = math.floor(wanted + _COUNT_TOLERANCE)
        if now_sent > sent:
            by_sector = rng.multinomial(now_sent - sent, shares)
            state.queue.extend([m, s, int(n)] for s, n in enumerate(by_sector) if n > 0)
        sent = now_sent
        yield env.timeout(1)


def _housing_office(
    env: simpy.Environment,
    clock: MonthlyClock,
    stock: simpy.Container,
    params: Params,
    monthly_leave: float,
    rng: np.random.Generator,
    state: _Housing,
) -> Generator[simpy.Event, Any, None]:
    """House the queue first come, first served; those who waited too long give up."""
    for m in range(clock.n_months):
        housed: list[tuple[int, int, int]] = []  # (sector, households, months waited)
        for entry in state.queue:
            take = min(int(stock.level), entry[2])
            if take == 0:
                break
            yield stock.get(take)
            entry[2] -= take
            housed.append((entry[1], take, m - entry[0]))
        waiting: deque[list[int]] = deque()
        for entry in state.queue:
            if m - entry[0] >= params.max_wait_months:
                state.gave_up[m] += entry[2]
            elif entry[2] > 0:
                waiting.append(entry)
        state.queue = waiting
        _register(housed, m, monthly_leave, rng, state)
        state.free[m] = int(stock.level)
        yield env.timeout(1)


def _register(
    housed: list[tuple[int, int, int]],
    m: int,
    monthly_leave: float,
    rng: np.random.Generator,
    state: _Housing,
) -> None:
    """Record the households housed in month ``m``; schedule their leaving and dwellings."""
    if not housed:
        return
    sectors, counts, waits = np.array(housed, dtype=np.int64).T
    n = int(counts.sum())
    # Present from month m; gone (and the dwelling free) from month `leave`.
    if monthly_leave > 0:
        leave = np.minimum(m + rng.geometric(monthly_leave, size=n), state.n_months)
    else:
        leave = np.full(n, state.n_months, dtype=np.int64)
    state.released += np.bincount(leave, minlength=state.n_months + 1)[: state.n_months]
    state.arrival.append(np.full(n, m, dtype=np.int64))
    state.sector.append(np.repeat(sectors, counts))
    state.wait.append(np.repeat(waits, counts))
    state.leave.append(leave)


def _age_profile(bands: tuple[tuple[int, int, float], ...]) -> np.ndarray:
    """(age,) probabilities [share]: each band's share spread evenly over its ages."""
    profile = np.zeros(len(AGES))
    for low, high, share in bands:
        profile[low : high + 1] = share / (high - low + 1)
    return profile / profile.sum()


def _results(
    params: Params,
    context: LeverContext,
    state: _Housing,
    rng: np.random.Generator,
    seed: int,
) -> xr.Dataset:
    """Draw the households' members and sum everything up by year (and sex, age, sector)."""
    n_years, n_sectors = len(context.years), len(context.sectors)
    n_months = state.n_months
    arrival, sector, wait, leave = (
        np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        for parts in (state.arrival, state.sector, state.wait, state.leave)
    )
    n = len(arrival)
    # Every draw is made for every household, so the members of one do not depend on others.
    worker_sex = np.where(rng.random(n) < params.worker_male_share, _MALE, _FEMALE)
    adults = _age_profile(ADULT_BANDS)
    worker_age = rng.choice(len(AGES), size=n, p=adults)
    has_partner = rng.random(n) < params.partners_per_household
    partner_age = rng.choice(len(AGES), size=n, p=adults)
    partner_works = has_partner & (rng.random(n) < params.partner_employment)
    structure = context.employed.isel({YEAR: 0}).sum(AGE).sel({SECTOR: context.sectors}).values
    partner_sector = rng.choice(n_sectors, size=n, p=structure / structure.sum())
    children = rng.poisson(params.children_per_household, size=n)
    household = np.repeat(np.arange(n), children)
    child_age = rng.choice(len(AGES), size=len(household), p=_age_profile(CHILD_BANDS))
    child_sex = np.where(rng.random(len(household)) < CHILD_MALE_SHARE, _MALE, _FEMALE)

    # Every member: household index, sex and age reached in the arrival year.
    members = np.concatenate([np.arange(n), np.flatnonzero(has_partner), household])
    sex = np.concatenate([worker_sex, 1 - worker_sex[has_partner], child_sex])
    age = np.concatenate([worker_age, partner_age[has_partner], child_age])
    arrived_year = arrival[members] // MONTHS_PER_YEAR
    arrivals = _count_by_sex_age(arrived_year, sex, age, n_years)
    gone = leave[members] < n_months
    left_year = leave[members][gone] // MONTHS_PER_YEAR
    aged = np.minimum(age[gone] + left_year - arrived_year[gone], MAX_AGE)
    departures = _count_by_sex_age(left_year, sex[gone], aged, n_years)

    # Employed persons by month and sector: +1 from the arrival month, −1 from leaving.
    job_sector = np.concatenate([sector, partner_sector[partner_works]])
    job_household = np.concatenate([np.arange(n), np.flatnonzero(partner_works)])
    change = np.zeros((n_months + 1, n_sectors), dtype=np.int64)  # whole persons: exact sums
    np.add.at(change, (arrival[job_household], job_sector), 1)
    np.add.at(change, (leave[job_household], job_sector), -1)
    persons = _annual_mean(np.cumsum(change, axis=0)[:n_months])
    present = np.cumsum(
        np.bincount(arrival, minlength=n_months + 1) - np.bincount(leave, minlength=n_months + 1)
    )[:n_months]

    housed_by_year = np.bincount(arrival // MONTHS_PER_YEAR, minlength=n_years)
    wait_by_year = np.bincount(arrival // MONTHS_PER_YEAR, weights=wait, minlength=n_years)
    extra_persons = xr.DataArray(
        persons,
        dims=(YEAR, SECTOR),
        coords={YEAR: list(context.years), SECTOR: list(context.sectors)},
    )
    fte_per_person = context.fte_per_person.sel({SECTOR: context.sectors}).values
    effects = xr.Dataset(
        {
            "extra_persons": extra_persons.assign_attrs(
                description="employed members of mover households: the recruited worker in "
                "the target sector and employed partners spread like the base year's "
                "employed (annual mean of the monthly stock)"
            ),
            "extra_fte": (extra_persons * fte_per_person).assign_attrs(
                description="extra_persons × fte_per_person of the sector"
            ),
            "arrivals": _by_sex_age(arrivals, context.years).assign_attrs(
                units=f"{PERSONS} per year",
                description="members of mover households moving in, by age reached in the "
                "year; an explicit in-flow for the population projection",
            ),
            "departures": _by_sex_age(departures, context.years).assign_attrs(
                units=f"{PERSONS} per year",
                description="members of mover households moving out again (whole households), "
                "by age reached in the year; an explicit out-flow for the projection",
            ),
            "households": _by_year(_annual_mean(present), context.years).assign_attrs(
                units=HOUSEHOLDS,
                description="mover households living in the region (annual mean)",
            ),
            "arrived_households": _by_year(
                housed_by_year.astype(float), context.years
            ).assign_attrs(
                units=f"{HOUSEHOLDS} per year", description="households housed in the year"
            ),
            "gave_up": _by_year(_yearly_sum(state.gave_up), context.years).assign_attrs(
                units=f"{HOUSEHOLDS} per year",
                description="applicant households giving up after max_wait_months unhoused",
            ),
            "housing_wait_months": _by_year(
                np.divide(
                    wait_by_year,
                    housed_by_year,
                    out=np.zeros(n_years),
                    where=housed_by_year > 0,
                ),
                context.years,
            ).assign_attrs(
                units=MONTHS,
                description="mean wait for a dwelling of the households housed in the "
                "year; 0 when none was housed",
            ),
            "free_dwellings": _by_year(
                state.free[MONTHS_PER_YEAR - 1 :: MONTHS_PER_YEAR].astype(float), context.years
            ).assign_attrs(
                units=DWELLINGS, description="dwellings open to movers still free in December"
            ),
        }
    )
    return finish(effects, LEVER, params, seed)


def _count_by_sex_age(
    year_index: np.ndarray, sex: np.ndarray, age: np.ndarray, n_years: int
) -> np.ndarray:
    """(year, sex, age) counts [persons] of the persons given by their indices."""
    shape = (n_years, len(SEXES), len(AGES))
    flat = np.ravel_multi_index((year_index, sex, age), shape)
    return np.bincount(flat, minlength=math.prod(shape)).reshape(shape).astype(float)


def _annual_mean(monthly: np.ndarray) -> np.ndarray:
    """Annual means of a (month, ...) array: (year, ...)."""
    return monthly.reshape(-1, MONTHS_PER_YEAR, *monthly.shape[1:]).mean(axis=1)


def _yearly_sum(monthly: np.ndarray) -> np.ndarray:
    """Annual sums of a (month,) array as floats: (year,)."""
    return monthly.reshape(-1, MONTHS_PER_YEAR).sum(axis=1).astype(float)


def _by_year(values: np.ndarray, years: list[int]) -> xr.DataArray:
    """A (year,) array as a DataArray over ``years``."""
    return xr.DataArray(values, dims=YEAR, coords={YEAR: list(years)})


def _by_sex_age(values: np.ndarray, years: list[int]) -> xr.DataArray:
    """A (year, sex, age) array as a DataArray over ``years``, SEXES and AGES."""
    return xr.DataArray(
        values,
        dims=(YEAR, SEX, AGE),
        coords={YEAR: list(years), SEX: list(SEXES), AGE: AGES},
    )
