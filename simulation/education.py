"""Lever "vocational education pipeline": fill empty places, cut dropout, add places, played
out cohort by cohort in SimPy.

Three programme types (upper-secondary vocational programmes, adult vocational education
"yrkesvux" and higher vocational education "YH") take in students once a year. A programme's
baseline places are a per-capita rate of its age group in ``context.population``, so they
follow the region and its projected cohorts. The baseline projection already counts today's
graduates (population × employment rate), so this lever returns only the CHANGE against the
baseline pipeline: effect = pipeline(with lever) − pipeline(baseline). From ``start_year``,
along a ramp read at each intake, the lever fills a share of the empty places, prevents a share
of the dropouts and adds places (capacity takes time to build: the ramp). A SimPy process per
programme and intake year lets the cohort study month by month; students drop out, graduate
after the programme length and, after a delay, a share of the graduates take up work in their
programme's sectors and stay (no exits within the horizon).

Both pipelines play out the same students (common random numbers): each student draws one
uniform for completion (a Bernoulli draw, so cohort counts are binomial) that also sets the
dropout month, and one for entry and sector, from streams of their cohort. The lever's
students are a superset of the baseline's, so zero changes give exactly zero and more places
or higher rates never give fewer graduates. Entries are gross: a graduate's job in the target
sector is not netted against the job they might have had otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import simpy
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, model_validator

from forecast.dims import AGE, PERSONS, SECTOR, SEX, YEAR
from simulation.engine import (
    MONTHS_PER_YEAR,
    LeverContext,
    MonthlyClock,
    Ramp,
    check_sectors,
    finish,
    spawn_rngs,
)

LEVER = "education"
PROGRAMME = "programme"
PLACES = "places"
Share = Annotated[float, Field(ge=0, le=1)]


class Programme(BaseModel):
    """The baseline pipeline of one programme type; defaults and sources in DEFAULT_PROGRAMMES."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # [places per year per 1 000 residents aged age_min..age_max] baseline intake capacity
    places_per_1000: Annotated[float, Field(ge=0, le=1000)]
    age_min: Annotated[int, Field(ge=0, le=100)]  # [years] youngest age of the scaling group
    age_max: Annotated[int, Field(ge=0, le=100)]  # [years] oldest age of the scaling group
    fill_rate: Share  # [share] of the places taken by a starting student
    completion: Share  # [share] of the starters who graduate
    entry_share: Share  # [share] of the graduates who take up work in the target sectors
    duration_months: Annotated[int, Field(ge=1, le=72)]  # [months] intake to graduation
    intake_month: Annotated[int, Field(ge=1, le=12)]  # [month 1..12] the yearly intake
    entry_delay_months: Annotated[int, Field(ge=0, le=36)]  # [months] graduation to work
    # sector id → relative weight [1] of the graduates entering work (normalised to shares)
    sectors: Annotated[dict[str, Annotated[float, Field(ge=0)]], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> Programme:
        """Reject an empty age group and sector weights that sum to zero."""
        if self.age_min > self.age_max:
            raise ValueError(f"age_min ({self.age_min}) must be <= age_max ({self.age_max})")
        if sum(self.sectors.values()) <= 0:
            raise ValueError("sectors: the weights must sum to more than 0")
        return self


class Change(BaseModel):
    """What the lever changes in one programme at full rollout; all zero = no change."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fill_empty: Share = 0.0  # [share] of the empty places that get filled
    dropout_cut: Share = 0.0  # [share] of the dropouts that graduate instead
    extra_places: Annotated[float, Field(ge=0, le=5)] = 0.0  # [share] of the baseline places


# Baseline pipelines. Where the facts pack had no figure, official figures found with the
# search tool are cited by URL; the rest are marked assumption.
DEFAULT_PROGRAMMES: dict[str, Programme] = {
    # Gymnasiets yrkesprogram. Places: 32 781 first-year students on vocational programmes in
    # 2016/17 (Skolverket SIRIS, http://siris.skolverket.se/reports/rwservlet?cmdkey=common&
    # notgeo=&report=gy_elever&p_sub=1&p_flik=G&p_xtra=1&p_programkod=&p_ar=2016) per 105 911
    # residents aged 16 (scb_population_age_sex.csv, Riket 2016) = 309.5 per 1 000, over the
    # fill rate. Fill rate 0.9: assumption; seed 004 reports empty places without a figure.
    # Completion 0.758: examen within three years on yrkesprogram 2022 (Skolverket via
    # https://www.vilarare.se/yrkeslararen/yrkeslararutbildning/forbattrade-resultat-pa-
    # yrkesprogrammen/); seed 004 gives 20 % without examen for all programmes. Entry 0.43:
    # 11 200 of the 26 000 graduated 2014 had a job relevant to their education three years on
    # (https://scb.se/hitta-statistik/artiklar/2018/jobb-vantar-for-dig-som-valt-yrkesprogram/).
    # Three school years, August to June; two months to a job: assumption. Sector weights:
    # the 2016/17 first-year students by programme (SIRIS, above), each programme mapped to
    # its main employer sector (assumption): Naturbruk → agriculture; Industritekniska and
    # the riksrekryterande → industry; Bygg, El och energi, VVS → construction; Fordon och
    # transport, Handel, Hotell, Restaurang → trade_transport; Hantverk → business_services
    # (personal services); Vård och omsorg → elderly_care (assistant nurses); Barn och fritid →
    # preschool (child minders).
    "upper_secondary": Programme(
        places_per_1000=343.9,
        age_min=16,
        age_max=16,
        fill_rate=0.9,
        completion=0.758,
        entry_share=0.43,
        duration_months=35,
        intake_month=8,
        entry_delay_months=2,
        sectors={
            "agriculture": 2998,
            "industry": 1653,
            "construction": 10380,
            "trade_transport": 9284,
            "business_services": 2276,
            "elderly_care": 3362,
            "preschool": 2828,
        },
    ),
    # Regionalt yrkesvux. Places: Norrbotten 591 places 2018 (northern_investments.csv,
    # regionalt yrkesvux utbildningsplatser) per 149 235 residents aged 16–64 (Norrbotten
    # 2018, population_broad_age.csv) = 3.96 per 1 000. Fill rate 0.9: assumption (as upper
    # secondary). Completion 0.70: about 70 % of komvux course takers passed in 2021
    # (https://www.skolverket.se/skolutveckling/statistik/fler-statistiknyheter/statistik/
    # 2022-06-09-elever-och-studieresultat-i-komvux-2021). Entry 0.50: half of those who left
    # regional yrkesvux in 2018 were established on the labour market in 2019 (https://www.
    # skolverket.se/skolutveckling/statistik/fler-statistiknyheter/statistik/2021-12-06-
    # uppfoljning-av-regional-yrkesinriktad-vuxenutbildning-2020). A place is one full-time
    # study year, taken up in January; three months to a job: assumption. Sectors: about a
    # third study towards care (same Skolverket page), counted as elderly_care (mostly assistant
    # nurses; assumption); the rest is an assumption (drivers, building, industry, child care →
    # preschool, services).
    "yrkesvux": Programme(
        places_per_1000=3.96,
        age_min=16,
        age_max=64,
        fill_rate=0.9,
        completion=0.70,
        entry_share=0.50,
        duration_months=12,
        intake_month=1,
        entry_delay_months=3,
        sectors={
            "elderly_care": 0.34,
            "trade_transport": 0.20,
            "construction": 0.15,
            "industry": 0.15,
            "preschool": 0.10,
            "business_services": 0.06,
        },
    ),
    # Yrkeshögskolan. Places: Norrbotten 1 235 places granted for 2020 (northern_investments
    # .csv, yrkeshögskolan beviljade platser; a party website) per 147 567 residents aged
    # 16–64 (Norrbotten 2020, population_broad_age.csv) = 8.37 per 1 000; nationally 2020 it
    # was about 5.5 (69 400 eligible applicants at 2.0 per place, https://www.myh.se/Statistik/
    # Yrkeshogskoleutbildningar/Sokande/). Fill rate 0.93: 22 399 started of 24 069 places
    # 2018 (https://www.scb.se/hitta-statistik/statistik-efter-amne/utbildning-och-forskning/
    # eftergymnasial-yrkesutbildning/yrkeshogskolan/pong/tabell-och-diagram/sokande/
    # nyckeltal---sokande-till-yrkeshogskolan-2014-2018/). Completion 0.71: examensgrad 2019
    # (northern_investments.csv). Entry 0.58: 87 % had work, 67 % of them matching the
    # education (northern_investments.csv, 2020). 18 months: assumption (YH programmes run
    # one to two years). One month to a job: seven in ten had work within a month (MYH,
    # https://5dok.org/document/1y99r1jy-studerandes-syssels%C3%A4ttning-%C3%A5ret-yrkesh%C3%
    # B6gskolan-myndigheten-yrkesh%C3%B6gskolan.html). Sectors: students starting 2021 by
    # MYH area (https://www.scb.se/hitta-statistik/statistik-efter-amne/utbildning-och-
    # forskning/eftergymnasial-yrkesutbildning/yrkeshogskolan/pong/tabell-och-diagram/
    # studerande-och-examinerade/studerande-och-examinerade-inom-yrkeshogskolan-2021-efter-
    # utbildningsomrade-och-kon/), mapped to sectors (assumption): Data/IT, Ekonomi, Kultur,
    # Journalistik, Juridik, Friskvård, Säkerhet, Övrigt → business_services; Hotell and
    # Transport → trade_transport; Lantbruk → agriculture; Pedagogik → compulsory_school
    # (pupil assistants, leisure-time centres); Samhällsbyggnad → construction; Teknik och
    # tillverkning → industry; Hälso- och sjukvård → health_care.
    "yh": Programme(
        places_per_1000=8.37,
        age_min=16,
        age_max=64,
        fill_rate=0.93,
        completion=0.71,
        entry_share=0.58,
        duration_months=18,
        intake_month=8,
        entry_delay_months=1,
        sectors={
            "agriculture": 806,
            "industry": 4840,
            "construction": 4788,
            "trade_transport": 2053,
            "business_services": 14464,
            "compulsory_school": 876,
            "health_care": 5316,
        },
    ),
}

# The lever at full rollout (assumption: the seeds name the problems, not the targets). Half
# the empty places filled and a quarter of the dropouts kept (seed 004: empty places, 20 %
# without examen); 20 % more yrkesvux and YH places, modest next to the national YH expansion
# of 45 % to 2022 and Norrbotten's granted YH places doubling from 615 (2019) to 1 235 (2020)
# (northern_investments.csv). No extra upper-secondary places: seed 004 says they stand empty.
DEFAULT_CHANGES: dict[str, Change] = {
    "upper_secondary": Change(fill_empty=0.5, dropout_cut=0.25),
    "yrkesvux": Change(fill_empty=0.5, dropout_cut=0.25, extra_places=0.2),
    "yh": Change(fill_empty=0.5, dropout_cut=0.25, extra_places=0.2),
}


class Params(BaseModel):
    """Scenario parameters of the lever; defaults and their sources in the comments."""

    model_config = ConfigDict(extra="forbid")
    start_year: Annotated[int, Field(ge=2025, le=2050)] = 2026  # [year] assumption: next year
    # [years] linear ramp of all changes, read at each intake: assumption; new YH programmes
    # are granted in January for a first start the following autumn at the earliest (MYH,
    # https://www.myh.se/Nyhetsrum/Nyheter/2017/351-utbildningar-far-inga-i-yrkeshogskolan/)
    ramp_years: Annotated[float, Field(ge=0, le=10)] = 2.0
    # sector ids covered; None = every sector a programme trains for (graduates heading for an
    # uncovered sector are not counted)
    sectors: list[str] | None = None
    # programme id → baseline pipeline; sources in DEFAULT_PROGRAMMES
    programmes: Annotated[dict[str, Programme], Field(min_length=1)] = Field(
        default_factory=lambda: dict(DEFAULT_PROGRAMMES)
    )
    # programme id → the lever's changes; programmes not listed are unchanged; sources and
    # reasons in DEFAULT_CHANGES
    changes: dict[str, Change] = Field(default_factory=lambda: dict(DEFAULT_CHANGES))

    @model_validator(mode="after")
    def _changes_name_programmes(self) -> Params:
        """Reject changes to a programme that is not in ``programmes``."""
        unknown = [name for name in self.changes if name not in self.programmes]
        if unknown:
            raise ValueError(
                f"changes: unknown programme {unknown[0]!r}; known: {', '.join(self.programmes)}"
            )
        return self


@dataclass(frozen=True)
class _Intake:
    """One programme's intake in one year: baseline students and the lever's extra ones."""

    programme: int  # index into Params.programmes
    month: int  # [month] env time of the intake
    base_entrants: int  # [persons] starting in the baseline pipeline
    extra_entrants: int  # [persons] starting only with the lever (filled and added places)
    completion: float  # [share] baseline
    completion_lever: float  # [share] with the lever, >= completion
    duration: int  # [months]
    delay: int  # [months]
    entry_share: float  # [share]
    cumulative: np.ndarray  # cumulative sector shares over context.sectors


@dataclass
class _Tally:
    """What the cohorts report, by env month."""

    students: np.ndarray  # (month, programme) [persons] extra students enrolled
    graduates: np.ndarray  # (month, programme) [persons] extra graduates
    entries: np.ndarray  # (month, sector) [persons] extra graduates taking up work


def simulate(params: Params, context: LeverContext, seed: int) -> xr.Dataset:
    """Extra workers by year and sector from the changed pipelines, and the pipeline flows."""
    names = list(params.programmes)
    for name, programme in params.programmes.items():
        unknown = [s for s in programme.sectors if s not in context.sectors]
        if unknown:
            raise ValueError(
                f"levers.{LEVER}.programmes.{name}.sectors: unknown sector {unknown[0]!r}; "
                f"known: {', '.join(context.sectors)}"
            )
    trained = {s for p in params.programmes.values() for s, w in p.sectors.items() if w > 0}
    natural = [s for s in context.sectors if s in trained]
    covered = check_sectors(params.sectors, context, natural, LEVER)
    clock = MonthlyClock.from_years(context.years)
    ramp = Ramp(params.start_year, params.ramp_years)
    places = _baseline_places(params, context)

    env = simpy.Environment()
    tally = _Tally(
        students=np.zeros((clock.n_months, len(names))),
        graduates=np.zeros((clock.n_months, len(names))),
        entries=np.zeros((clock.n_months, len(context.sectors))),
    )
    added = np.zeros((len(clock.years), len(names)))
    entrants = np.zeros((len(clock.years), len(names)))
    rngs = spawn_rngs(seed, 2 * len(names) * len(clock.years))
    for i, name in enumerate(names):
        programme = params.programmes[name]
        change = params.changes.get(name, Change())
        for j, year in enumerate(clock.years):
            rollout = ramp.rollout(year, programme.intake_month)
            intake = _intake(i, j, programme, change, float(places[j, i]), rollout, context)
            added[j, i] = float(places[j, i]) * change.extra_places * rollout
            entrants[j, i] = intake.extra_entrants
            if intake.extra_entrants or intake.completion_lever > intake.completion:
                k = 2 * (i * len(clock.years) + j)
                env.process(_cohort(env, intake, (rngs[k], rngs[k + 1]), tally))
    env.run(until=clock.n_months)

    return finish(
        _effects(tally, clock, names, covered, context, places, added, entrants),
        LEVER,
        params,
        seed,
    )


def _baseline_places(params: Params, context: LeverContext) -> np.ndarray:
    """Baseline places (year, programme) [places]: each programme's rate per 1 000 residents
    of its age group times the region's projected residents of that age in the year."""
    by_age = context.population.sum(SEX)
    columns = []
    for name, p in params.programmes.items():
        ages = by_age[AGE].values
        if not ((ages >= p.age_min) & (ages <= p.age_max)).any():
            raise ValueError(
                f"levers.{LEVER}.programmes.{name}: the population has no ages in "
                f"[{p.age_min}, {p.age_max}]"
            )
        group = by_age.sel({AGE: slice(p.age_min, p.age_max)}).sum(AGE)
        columns.append(group.sel({YEAR: context.years}).values * p.places_per_1000 / 1000)
    return np.column_stack(columns)


def _intake(
    i: int,
    j: int,
    programme: Programme,
    change: Change,
    places: float,
    rollout: float,
    context: LeverContext,
) -> _Intake:
    """The intake of programme ``i`` in year index ``j`` at the lever's ``rollout`` [share]."""
    fill = programme.fill_rate + rollout * change.fill_empty * (1 - programme.fill_rate)
    base = round(places * programme.fill_rate)
    with_lever = round(places * (1 + rollout * change.extra_places) * fill)
    weights = np.array([programme.sectors.get(s, 0.0) for s in context.sectors])
    return _Intake(
        programme=i,
        month=MONTHS_PER_YEAR * j + programme.intake_month - 1,
        base_entrants=base,
        extra_entrants=max(with_lever - base, 0),
        completion=programme.completion,
        completion_lever=programme.completion
        + rollout * change.dropout_cut * (1 - programme.completion),
        duration=programme.duration_months,
        delay=programme.entry_delay_months,
        entry_share=programme.entry_share,
        cumulative=np.cumsum(weights) / weights.sum(),
    )


def _cohort(
    env: simpy.Environment,
    intake: _Intake,
    rngs: tuple[np.random.Generator, np.random.Generator],
    tally: _Tally,
) -> Generator[simpy.Event, Any, None]:
    """One intake: students start, drop out month by month, graduate, and take up work after
    the delay. Only the lever's part is recorded: rescued baseline students and extra ones."""
    yield env.timeout(intake.month)
    # Column 0 sets completion and dropout month, column 1 entry and sector; rows are students.
    base = rngs[0].random((intake.base_entrants, 2))
    extra = rngs[1].random((intake.extra_entrants, 2))
    c0, c1, length = intake.completion, intake.completion_lever, intake.duration
    enrolled = (
        _enrolled(_dropout_month(base[:, 0], c1, length), length)
        - _enrolled(_dropout_month(base[:, 0], c0, length), length)
        + _enrolled(_dropout_month(extra[:, 0], c1, length), length)
    )
    for k in range(length):
        tally.students[env.now, intake.programme] += enrolled[k]
        yield env.timeout(1)
    rescued = (base[:, 0] >= c0) & (base[:, 0] < c1)
    draws = np.concatenate([base[rescued, 1], extra[extra[:, 0] < c1, 1]])
    tally.graduates[env.now, intake.programme] += len(draws)
    yield env.timeout(intake.delay)
    working = draws[draws < intake.entry_share] / intake.entry_share
    sectors = np.searchsorted(intake.cumulative, working, side="right")
    np.add.at(tally.entries[env.now], np.minimum(sectors, len(intake.cumulative) - 1), 1.0)


def _dropout_month(u: np.ndarray, completion: float, length: int) -> np.ndarray:
    """Months each student stays [months]; inf for graduates (u < completion).

    Under a constant monthly hazard the survival to month t is completion^(t / length), so
    inverting it at ``u`` gives the dropout time; a higher completion never shortens a stay.
    """
    stay = np.full(u.shape, math.inf)
    leaves = u >= completion
    if completion > 0:
        tiny = np.finfo(float).tiny
        stay[leaves] = length * np.log(np.maximum(u[leaves], tiny)) / math.log(completion)
    else:
        stay[leaves] = 0.0
    return stay


def _enrolled(stay: np.ndarray, length: int) -> np.ndarray:
    """Students enrolled in each programme month k = 0..length-1 (those with stay > k)."""
    ordered = np.sort(stay)
    return len(stay) - np.searchsorted(ordered, np.arange(length), side="right")


def _effects(
    tally: _Tally,
    clock: MonthlyClock,
    names: list[str],
    covered: list[str],
    context: LeverContext,
    places: np.ndarray,
    added: np.ndarray,
    entrants: np.ndarray,
) -> xr.Dataset:
    """Annual results: the employed stock and students as annual means, flows as sums."""
    n_years = len(clock.years)
    mask = np.array([s in covered for s in context.sectors], dtype=float)
    stock = np.cumsum(tally.entries, axis=0) * mask
    persons = stock.reshape(n_years, MONTHS_PER_YEAR, -1).mean(axis=1)
    fte = persons * context.fte_per_person.sel({SECTOR: context.sectors}).values
    students = tally.students.reshape(n_years, MONTHS_PER_YEAR, -1).mean(axis=1)
    graduates = tally.graduates.reshape(n_years, MONTHS_PER_YEAR, -1).sum(axis=1)
    by_sector, by_programme = (YEAR, SECTOR), (YEAR, PROGRAMME)
    return xr.Dataset(
        {
            "extra_persons": (
                by_sector,
                persons,
                {
                    "description": "extra graduates working in the sector (annual mean of the "
                    "monthly stock; no exits within the horizon)"
                },
            ),
            "extra_fte": (
                by_sector,
                fte,
                {"description": "extra_persons × the sector's fte_per_person"},
            ),
            "extra_graduates": (
                by_programme,
                graduates,
                {"units": PERSONS, "description": "graduates beyond the baseline pipeline"},
            ),
            "extra_entrants": (
                by_programme,
                entrants,
                {
                    "units": PERSONS,
                    "description": "students starting beyond the baseline: places filled "
                    "that stood empty, and added places",
                },
            ),
            "extra_students": (
                by_programme,
                students,
                {
                    "units": PERSONS,
                    "description": "students enrolled beyond the baseline, annual mean",
                },
            ),
            "baseline_places": (
                by_programme,
                places,
                {"units": PLACES, "description": "places offered in the baseline per year"},
            ),
            "added_places": (
                by_programme,
                added,
                {"units": PLACES, "description": "places the lever adds per year"},
            ),
        },
        coords={YEAR: clock.years, SECTOR: list(context.sectors), PROGRAMME: names},
    )
