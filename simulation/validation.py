"""Lever "validation of foreign qualifications", played out candidate by candidate in SimPy.

Candidates with foreign qualifications arrive as a Poisson process from ``start_year`` (rate
ramped up over ``ramp_years``), each aiming at an occupation that belongs to a sector. They
queue first-come-first-served for one of ``assessors`` (``simpy.Resource``); after the
assessment a share ``needs_training`` queues for one of ``training_places`` and trains. While
waiting in either queue or training a candidate drops out at the hazard ``dropout_per_year``;
the rest enter their occupation after a job search and stay (no later exits are modelled).
Nothing arrives before ``start_year``; the capacities are open from then on. Every random
quantity of a candidate is drawn at arrival, so runs that differ only in capacity play out
the same candidates (common random numbers). Durations are assumptions: no validation
durations were found in the facts (SOURCES.md).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Annotated, Any, NamedTuple

import numpy as np
import simpy
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, model_validator

from forecast.dims import PERSONS, SECTOR, SHARE, YEAR
from simulation.engine import (
    MONTHS_PER_YEAR,
    LeverContext,
    MonthlyClock,
    Ramp,
    check_sectors,
    finish,
    spawn_rngs,
)

LEVER = "validation"
OCCUPATION = "occupation"
MONTHS = "months"
_SHARE_TOLERANCE = 1e-6


class Occupation(BaseModel):
    """A target occupation: the sector it works in and its share of the arriving candidates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sector: str  # sector id of the context the occupation belongs to
    share: Annotated[float, Field(ge=0, le=1)]  # [share] of arriving candidates


# Shares are an assumption: care-heavy because the seeds stress foreign staff in care
# (003_450b67a62cf0ac1f.txt, Region Västerbotten: "i kommuner som Lycksele, där vården till
# hälften bärs av utländsk arbetskraft"); no split of validations by occupation was found.
DEFAULT_OCCUPATIONS: dict[str, Occupation] = {
    "nurse": Occupation(sector="health_care", share=0.15),
    "assistant_nurse": Occupation(sector="elderly_care", share=0.25),
    "physician": Occupation(sector="health_care", share=0.10),
    "social_worker": Occupation(sector="individual_family_care", share=0.05),
    "teacher": Occupation(sector="compulsory_school", share=0.10),
    "preschool_teacher": Occupation(sector="preschool", share=0.10),
    "engineer": Occupation(sector="industry", share=0.25),
}


class Params(BaseModel):
    """Parameters of the validation lever; every default names its source or assumption."""

    model_config = ConfigDict(extra="forbid")
    start_year: Annotated[int, Field(ge=2025, le=2050)] = 2026  # [year] assumption: next year
    # [years] linear ramp of the arrival rate: assumption, a new programme takes about a year
    # to become known
    ramp_years: Annotated[float, Field(ge=0, le=10)] = 1.0
    # sector ids covered; None = the sectors of `occupations` (candidates aiming at an
    # occupation of an uncovered sector are not taken in)
    sectors: list[str] | None = None
    # [persons per year] northern_investments.csv antal_branschvalideringar, Riket 2018: 5 700,
    # × Norrbotten's population share 250 497 / 10 230 185 (population_change.csv, 2018);
    # 2020's 3 600 would give 88
    arrivals_per_year: Annotated[float, Field(ge=0, le=10_000)] = 140.0
    # target occupation → sector and share of the arrivals (shares sum to 1): assumption, see
    # DEFAULT_OCCUPATIONS
    occupations: Annotated[dict[str, Occupation], Field(min_length=1)] = Field(
        default_factory=lambda: dict(DEFAULT_OCCUPATIONS)
    )
    # [cases in parallel] an assessor works on one case at a time; assumption: sized for a
    # utilisation of about 0.83 at the default arrivals (140 / 12 × 2 / 28)
    assessors: Annotated[int, Field(ge=0, le=1_000)] = 28
    # [months] mean assessment time of one case: assumption, the facts have no validation
    # durations (SOURCES.md)
    assessment_months: Annotated[float, Field(ge=0, le=36)] = 2.0
    # [share] of the assessed who need supplementary training: assumption
    needs_training: Annotated[float, Field(ge=0, le=1)] = 0.5
    # [places] assumption: about 70 places are needed at the defaults; ≈ 6 % of the 1 235 YH
    # places granted in Norrbotten 2020 (northern_investments.csv, utbildningsplatser)
    training_places: Annotated[int, Field(ge=0, le=10_000)] = 80
    # [months] mean supplementary training: assumption, about a year (YH-flex credits 60 % of
    # a programme on average, northern_investments.csv andel_av_utbildningen_tillgodoraknad)
    training_months: Annotated[float, Field(ge=0, le=60)] = 12.0
    # [share per year] dropout while waiting or training: 1 − the YH examensgrad 71 % (2019,
    # northern_investments.csv), read as the loss over one year of training
    dropout_per_year: Annotated[float, Field(ge=0, lt=1)] = 0.29
    # [months] mean (exponential) job search from qualified to employed: assumption
    job_search_months: Annotated[float, Field(ge=0, le=36)] = 3.0
    # [1] gamma shape of the assessment and training durations (1 = exponential): assumption,
    # less spread than exponential
    duration_shape: Annotated[float, Field(gt=0, le=100)] = 2.0

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Params:
        """Reject an occupation table whose shares do not add up to 1."""
        total = sum(o.share for o in self.occupations.values())
        if abs(total - 1.0) > _SHARE_TOLERANCE:
            raise ValueError(f"occupations: shares must sum to 1, got {total:.6g}")
        return self


class _Candidate(NamedTuple):
    """Everything random about one candidate, drawn at arrival; times in [months]."""

    arrival: float
    occupation: int  # index into Params.occupations
    assessment: float
    needs_training: bool
    training: float
    patience: float  # exposure (waiting or training) until dropout; inf without dropout
    job_search: float


@dataclass
class _Log:
    """What the candidates report; times are months since January of the first year."""

    waits: list[tuple[float, float]] = field(default_factory=list)  # (start, wait)
    assessing: list[tuple[float, float]] = field(default_factory=list)  # (start, end)
    training: list[tuple[float, float]] = field(default_factory=list)  # (start, end)
    dropouts: list[float] = field(default_factory=list)
    entries: list[tuple[float, int]] = field(default_factory=list)  # (time, occupation)
    # candidate number → time it would leave a queue it is waiting in (see _candidate)
    waiting: dict[int, float] = field(default_factory=dict)


def simulate(params: Params, context: LeverContext, seed: int) -> xr.Dataset:
    """Simulate the validation programme over ``context.years``; effects by (year, sector)."""
    names = list(params.occupations)
    occupation_sectors = [params.occupations[n].sector for n in names]
    for name, sector in zip(names, occupation_sectors, strict=True):
        if sector not in context.sectors:
            raise ValueError(
                f"levers.{LEVER}.occupations: occupation {name!r} has unknown sector "
                f"{sector!r}; known: {', '.join(context.sectors)}"
            )
    natural = [s for s in context.sectors if s in occupation_sectors]
    covered = check_sectors(params.sectors, context, natural, LEVER)
    clock = MonthlyClock.from_years(context.years)
    (rng,) = spawn_rngs(seed, 1)
    candidates = _draw_candidates(params, clock, [s in covered for s in occupation_sectors], rng)

    env = simpy.Environment()
    assessors = simpy.Resource(env, params.assessors) if params.assessors else None
    places = simpy.Resource(env, params.training_places) if params.training_places else None
    log = _Log()
    env.process(_arrivals(env, candidates, assessors, places, log))
    env.run(until=clock.n_months)
    log.dropouts.extend(t for t in log.waiting.values() if t < clock.n_months)

    return finish(_effects(log, params, context, clock, candidates), LEVER, params, seed)


def _effects(
    log: _Log,
    params: Params,
    context: LeverContext,
    clock: MonthlyClock,
    candidates: list[_Candidate],
) -> xr.Dataset:
    """Turn the candidates' log into annual effects and queue statistics."""
    names = list(params.occupations)
    years = clock.years
    edges = np.arange(len(years) + 1, dtype=float) * MONTHS_PER_YEAR
    first = _first_month(params.start_year, clock)
    entries = np.array(log.entries, dtype=float).reshape(-1, 2)
    persons = np.zeros((len(years), len(context.sectors)))
    entrants = np.zeros((len(years), len(names)))
    for k, name in enumerate(names):
        times = entries[entries[:, 1] == k, 0]
        entrants[:, k] = np.histogram(times, edges)[0]
        # Time-mean over each year of the stock entered at `times` [persons].
        stock = np.clip(edges[1:, None] - times[None, :], 0, MONTHS_PER_YEAR).sum(axis=1)
        persons[:, context.sectors.index(params.occupations[name].sector)] += (
            stock / MONTHS_PER_YEAR
        )
    fte = dict(
        zip(
            context.fte_per_person[SECTOR].values.tolist(),
            context.fte_per_person.values.tolist(),
            strict=True,
        )
    )
    waits = np.array(log.waits, dtype=float).reshape(-1, 2)
    started = np.histogram(waits[:, 0], edges)[0]
    wait_sum = np.histogram(waits[:, 0], edges, weights=waits[:, 1])[0]
    mean_wait = np.divide(wait_sum, started, out=np.full(len(years), np.nan), where=started > 0)
    arrivals = np.histogram([c.arrival for c in candidates], edges)[0].astype(float)
    dropouts = np.histogram(log.dropouts, edges)[0].astype(float)
    by_sector = (YEAR, SECTOR)
    return xr.Dataset(
        {
            "extra_persons": (
                by_sector,
                persons,
                {
                    "description": "validated candidates working in their target occupation "
                    "(annual time-mean of the cumulative stock; no exits modelled)"
                },
            ),
            "extra_fte": (
                by_sector,
                persons * np.array([fte[s] for s in context.sectors]),
                {"description": "extra_persons × the sector's fte_per_person"},
            ),
            "entrants": (
                (YEAR, OCCUPATION),
                entrants,
                {"units": PERSONS, "description": "candidates entering their occupation"},
            ),
            "arrivals": (
                YEAR,
                arrivals,
                {"units": PERSONS, "description": "candidates joining the programme"},
            ),
            "assessments": (
                YEAR,
                started.astype(float),
                {"units": PERSONS, "description": "assessments begun in the year"},
            ),
            "mean_wait_months": (
                YEAR,
                mean_wait,
                {
                    "units": MONTHS,
                    "description": "mean wait in the assessment queue of the candidates whose "
                    "assessment began in the year; NaN if none began",
                },
            ),
            "assessor_utilisation": (
                YEAR,
                _utilisation(log.assessing, params.assessors, edges, first),
                {
                    "units": SHARE,
                    "description": "busy / available assessor time; NaN without capacity "
                    "(before start_year or zero assessors)",
                },
            ),
            "training_utilisation": (
                YEAR,
                _utilisation(log.training, params.training_places, edges, first),
                {
                    "units": SHARE,
                    "description": "occupied / available training place time; NaN without "
                    "capacity (before start_year or zero places)",
                },
            ),
            "dropouts": (
                YEAR,
                dropouts,
                {"units": PERSONS, "description": "candidates leaving while waiting or training"},
            ),
        },
        coords={YEAR: years, SECTOR: list(context.sectors), OCCUPATION: names},
    )


def _draw_candidates(
    params: Params, clock: MonthlyClock, covered: list[bool], rng: np.random.Generator
) -> list[_Candidate]:
    """All arrivals from ``start_year`` on with their random attributes, in arrival order.

    A homogeneous Poisson process is thinned by the ramp and by the covered occupations; all
    draws are made for every potential arrival, so they do not depend on the capacities.
    """
    first = _first_month(params.start_year, clock)
    n = int(rng.poisson(params.arrivals_per_year / MONTHS_PER_YEAR * (clock.n_months - first)))
    times = np.sort(rng.uniform(first, clock.n_months, n))
    keep = rng.uniform(size=n)
    shares = np.array([o.share for o in params.occupations.values()])
    occupation = rng.choice(len(shares), size=n, p=shares / shares.sum())
    k = params.duration_shape
    assessment = rng.gamma(k, params.assessment_months / k, n)
    needs = rng.uniform(size=n) < params.needs_training
    training = rng.gamma(k, params.training_months / k, n)
    exposure = rng.exponential(1.0, n)
    job_search = rng.exponential(1.0, n) * params.job_search_months
    hazard = -math.log1p(-params.dropout_per_year) / MONTHS_PER_YEAR  # [per month]
    patience = exposure / hazard if hazard > 0 else np.full(n, math.inf)

    ramp = Ramp(params.start_year, params.ramp_years)
    rollout = np.array([ramp.rollout(*clock.date(m)) for m in range(clock.n_months)])
    month = np.minimum(times.astype(int), clock.n_months - 1)  # guards uniform's rounding
    accepted = (keep < rollout[month]) & np.array(covered)[occupation]
    columns = (times, occupation, assessment, needs, training, patience, job_search)
    return [_Candidate(*row) for row in zip(*(c[accepted].tolist() for c in columns), strict=True)]


def _first_month(start_year: int, clock: MonthlyClock) -> int:
    """Month index of January of ``start_year``, clipped to the run [month]."""
    return min(max(MONTHS_PER_YEAR * (start_year - clock.start_year), 0), clock.n_months)


def _arrivals(
    env: simpy.Environment,
    candidates: list[_Candidate],
    assessors: simpy.Resource | None,
    places: simpy.Resource | None,
    log: _Log,
) -> Generator[simpy.Event, Any, None]:
    """Release the pre-drawn candidates into the programme at their arrival times."""
    for number, candidate in enumerate(candidates):
        yield env.timeout(candidate.arrival - env.now)
        env.process(_candidate(env, number, candidate, assessors, places, log))


def _candidate(
    env: simpy.Environment,
    number: int,
    candidate: _Candidate,
    assessors: simpy.Resource | None,
    places: simpy.Resource | None,
    log: _Log,
) -> Generator[simpy.Event, Any, None]:
    """One candidate: assessment queue, assessment, maybe training queue and training, entry.

    Leaving a queue is settled lazily: a candidate whose turn comes after the time it would
    have left frees the place at once, so the next in line starts at the same instant, just
    as if it had gone; those still queued at the end are counted by ``simulate``.
    """
    queued = env.now
    left = queued + candidate.patience  # when it would leave the assessment queue
    log.waiting[number] = left
    if assessors is None:
        return
    with assessors.request() as request:
        yield request
        del log.waiting[number]
        if env.now > left:
            log.dropouts.append(left)
            return
        patience = left - env.now  # exposure left for the training queue and training
        log.waits.append((env.now, env.now - queued))
        log.assessing.append((env.now, env.now + candidate.assessment))
        yield env.timeout(candidate.assessment)
    if candidate.needs_training:
        left = env.now + patience
        log.waiting[number] = left
        if places is None:
            return
        with places.request() as request:
            yield request
            del log.waiting[number]
            if env.now > left:
                log.dropouts.append(left)
                return
            in_training = min(candidate.training, left - env.now)
            log.training.append((env.now, env.now + in_training))
            yield env.timeout(in_training)
            if candidate.training > in_training:
                log.dropouts.append(env.now)
                return
    log.entries.append((env.now + candidate.job_search, candidate.occupation))


def _utilisation(
    intervals: list[tuple[float, float]], capacity: int, edges: np.ndarray, first: float
) -> np.ndarray:
    """Busy time of ``intervals`` in each year / (capacity × open time); NaN where none open."""
    spans = np.array(intervals, dtype=float).reshape(-1, 2)
    lo, hi = edges[:-1, None], edges[1:, None]
    busy = (np.minimum(spans[None, :, 1], hi) - np.maximum(spans[None, :, 0], lo)).clip(0)
    open_months = capacity * np.clip(edges[1:] - np.maximum(edges[:-1], first), 0, None)
    return np.divide(
        busy.sum(axis=1), open_months, out=np.full(len(edges) - 1, np.nan), where=open_months > 0
    )
