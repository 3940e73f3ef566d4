"""Lever "equal parental leave", played out month by month in SimPy.

Mothers take most parental-benefit days in a child's first two years, and many of them work
in the female-dominated welfare sectors. The lever moves a share ``shift`` of the mothers'
days to their partners. Each mothers' sector has a SimPy process. Every month it draws births
to the employed mothers of the sector (binomial, from the region's births, the mothers' age
pattern and the sector's female share). Couples of children born once the reform is rolled
out take the shift up (binomial). Each couple draws the father's sector from the men's
employment (multinomial).

A couple moves its days evenly over the child's first 24 months. The mothers' sector gains
the FTE and the fathers' sectors lose the same FTE in the same month. The lever moves hours
between sectors and creates none: the sum of ``extra_fte`` over sectors is 0 in every year.
Nobody new is employed, so ``extra_persons`` is 0.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Annotated, Any

import numpy as np
import simpy
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field

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

LEVER = "parental_leave"

# [persons] employed (women, men) by sector. The SE33 (Övre Norrland) rows are SCB RAMS 2021,
# dagbefolkning (employment_by_industry.csv, SNI sections A–F). The file has regional rows by sex
# only for sections A–G, so sectors that reach beyond them use SCB AKU 2019 for riket
# (employees 20–64, main job, same file).
_WOMEN_MEN: dict[str, tuple[float, float]] = {
    "agriculture": (2246, 6919),  # SE33 2021, A
    "industry": (1745 + 5225 + 829 + 247, 4702 + 19971 + 1770 + 1029),  # SE33 2021, B–E
    "construction": (2283, 20335),  # SE33 2021, F
    # riket AKU 2019: handel + transportföretag + hotell och restauranger
    "trade_transport": (212900 + 52000 + 51500, 265300 + 163700 + 58000),
    # riket AKU 2019: information och kommunikation + kreditinstitut och försäkring +
    # fastighetsbolag + företagstjänster + personliga och kulturella tjänster
    "business_services": (
        67100 + 48800 + 30600 + 240000 + 105900,
        151900 + 44500 + 33400 + 297600 + 71100,
    ),
    "public_admin": (214200, 138700),  # riket AKU 2019: civila myndigheter och försvaret
    # riket AKU 2019: utbildningsväsendet (no split by school form), for every education sector
    **dict.fromkeys(
        ("preschool", "compulsory_school", "upper_secondary_school", "other_education"),
        (405500, 150100),
    ),
    # riket AKU 2019: enheter för vård och omsorg (no split by kind of care), for every care
    # sector
    **dict.fromkeys(
        ("elderly_care", "health_care", "individual_family_care", "disability_support"),
        (564700, 149400),
    ),
}
# [share] women among the employed of a sector. Assumption: the share is the same at every age.
FEMALE_SHARE: dict[str, float] = {s: w / (w + m) for s, (w, m) in _WOMEN_MEN.items()}

# [persons] live births by the mother's age group (first and last age, inclusive): Norrbotten
# (25), 2015 (scb_births_mother_age.csv, BE0101E2; no births under 15 or at 49+). Only the
# relative pattern is used; the region's births come from context.population at age 0.
BIRTHS_BY_MOTHER_AGE: dict[tuple[int, int], float] = {
    (15, 19): 14,
    (20, 24): 347,
    (25, 29): 853,
    (30, 34): 750,
    (35, 39): 372,
    (40, 44): 99,
    (45, 49): 5,
}
# [years of age] the ages at which the employed women may become mothers.
MOTHER_AGES = (min(a for a, _ in BIRTHS_BY_MOTHER_AGE), max(b for _, b in BIRTHS_BY_MOTHER_AGE))
# [years of age] ages of the partners who take over the days. Assumption: fathers are on
# average a few years older than the mothers, whose births fall at 15–49.
FATHER_AGES = (20, 54)
# [months] the mothers' days are the days taken before the child turns two (Params.mothers_days)
# and are spread evenly over those months. Assumption: taking them evenly is a simplification.
LEAVE_MONTHS = 24
# [days per year] working days in a full-time year: 52 weeks × 5 days minus about 10 weekday
# public holidays. Assumption: one net benefit day keeps the parent off work one working day.
WORKING_DAYS_PER_YEAR = 250.0

# Result variables besides extra_persons/extra_fte: units and description.
_OUTPUTS = {
    "fte_gained": (FTE, "mothers' absence the lever removes, by the mothers' sector"),
    "fte_lost": (FTE, "absence the partners take over, by the partners' sector"),
    "births_to_employed_mothers": (
        PERSONS,
        "expected births a year to mothers employed in the sector (whom the lever can reach)",
    ),
}

Share = Annotated[float, Field(ge=0, le=1)]


class Params(BaseModel):
    """Scenario parameters of the lever; defaults and their sources in the comments."""

    model_config = ConfigDict(extra="forbid")
    start_year: Annotated[int, Field(ge=2025, le=2050)] = 2026  # [year] assumption: next year;
    # the reform applies to children born from January of start_year.
    # [years] until all couples of newborns are reached. After the third reserved month (2016),
    # the men's share of benefit days rose from 26 % (2015) to 30 % (2018). Source: Ersatta
    # dagar för vård av barn 1974–2020, SCB Jämställdhet from Försäkringskassan,
    # https://www.scb.se/hitta-statistik/temaomraden/jamstalldhet/ekonomisk-jamstalldhet/inkomster-och-loner/ersatta-dagar-for-vard-av-barn-1974-/
    ramp_years: Annotated[float, Field(ge=0, le=10)] = 3.0
    # [share of the mothers' days] moved to the partner. Equal split of the first two years:
    # for children born 2013, men took 20 % of those days (Försäkringskassan, in
    # http://www.metro.se/nyheter/utbildning-nyckeln-till-jamstalldhet/Hdzpcw!GY6ycNpaZUV17sfl7Zg/),
    # so shift = 1 − 0.5 / 0.8 = 0.375. By 2023 men took 31 % of all days
    # (https://www.forsakringskassan.se/statistik-och-analys/barn-och-familj/statistik-inom-omradet-barn-och-familj---foraldrapenning),
    # so an equal split of all days would need 1 − 0.5 / 0.69 = 0.275.
    shift: Share = 0.375
    # [share of couples] couples of newborns who follow the reform, once it is rolled out.
    # Assumption: all of them, so shift is the mean share moved; lower it for partial uptake.
    uptake: Share = 1.0
    # [days per child] net parental-benefit days the mother takes before the child turns two.
    # Norrbotten, children born 2013, 262.5 days (Försäkringskassan, in
    # http://www.metro.se/nyheter/mammor-tar-ut-allt-mindre-foraldraledighet/EVHpeB!uEPhX4flgUWNg/;
    # Västerbotten 249.7, Gävleborg 295). It has fallen since (294 days for children born 2003).
    mothers_days: Annotated[float, Field(ge=0, le=480)] = 262.5
    # [share] per-sector female shares that replace FEMALE_SHARE (sources there); simulate
    # rejects unknown sector ids.
    female_share: dict[str, Share] = Field(default_factory=dict)
    # the mothers' sectors whose days are moved; None = all sectors, since the reform is
    # national. Partners can be in any sector.
    sectors: list[str] | None = None


def simulate(params: Params, context: LeverContext, seed: int) -> xr.Dataset:
    """FTE moved between sectors (gains in the mothers' sectors, losses in the partners'),
    by year and sector, with the total moved each year (``hours_moved``)."""
    covered = check_sectors(params.sectors, context, context.sectors, LEVER)
    female = _female_shares(params, context)
    employed = _employed(context)  # (year, sector, age) [persons]
    ages = context.employed[AGE].to_numpy()
    births = births_to_employed_mothers(context, female)  # (year, sector) [persons per year]
    fathers = _fathers_mix(employed, ages, female, context.years)  # (year, sector) [share]
    pool = np.rint(_in_ages(employed, ages, MOTHER_AGES) * female).astype(np.int64)

    clock = MonthlyClock.from_years(context.years)
    ramp = Ramp(params.start_year, params.ramp_years)
    take_up = params.uptake * np.array(
        [ramp.rollout(*clock.date(m)) for m in range(clock.n_months)]
    )
    chance = _monthly_birth_chance(births.to_numpy(), pool)
    # [fte] one couple's moved absence in a month (monthly state; annual means give FTE-years)
    per_couple = (
        params.shift * params.mothers_days / LEAVE_MONTHS
        / (WORKING_DAYS_PER_YEAR / MONTHS_PER_YEAR)
    )  # fmt: skip
    monthly_fathers = np.repeat(fathers, MONTHS_PER_YEAR, axis=0)  # (month, sector)
    n_sectors = len(context.sectors)
    gained = np.zeros((clock.n_months, n_sectors))
    lost = np.zeros((clock.n_months, n_sectors))
    env = simpy.Environment()
    rngs = spawn_rngs(seed, n_sectors)
    for i, (sector, rng) in enumerate(zip(context.sectors, rngs, strict=True)):
        if sector in covered:
            # Births and take-up do not depend on the state, so they are drawn up front.
            born = rng.binomial(
                np.repeat(pool[:, i], MONTHS_PER_YEAR), np.repeat(chance[:, i], MONTHS_PER_YEAR)
            )
            sharing = rng.binomial(born, take_up)
            env.process(
                _couples_of_sector(
                    env, sharing, monthly_fathers, per_couple, rng, (gained[:, i], lost)
                )
            )
    env.run(until=clock.n_months)

    shape = (len(clock.years), MONTHS_PER_YEAR, n_sectors)
    values = {
        "fte_gained": gained.reshape(shape).mean(axis=1),
        "fte_lost": lost.reshape(shape).mean(axis=1),
        "births_to_employed_mothers": births.to_numpy(),
    }
    effects = xr.Dataset(
        {
            name: ((YEAR, SECTOR), table, {"units": unit, "description": text})
            for name, table in values.items()
            for unit, text in [_OUTPUTS[name]]
        },
        coords={YEAR: clock.years, SECTOR: list(context.sectors)},
    )
    effects["extra_fte"] = (effects["fte_gained"] - effects["fte_lost"]).assign_attrs(
        description="fte_gained − fte_lost: hours moved between sectors; sums to 0 over sectors"
    )
    effects["extra_persons"] = xr.zeros_like(effects["extra_fte"]).assign_attrs(
        description="no new persons: the lever moves absence between employed parents"
    )
    effects["hours_moved"] = (
        effects["fte_gained"]
        .sum(SECTOR)
        .assign_attrs(
            units=FTE,
            description="mothers' absence moved to the partners, summed over sectors",
        )
    )
    return finish(effects, LEVER, params, seed)


def births_to_employed_mothers(context: LeverContext, female_share: np.ndarray) -> xr.DataArray:
    """Expected births a year to mothers employed in each sector (year, sector) [persons].

    The region's births (residents aged 0 in context.population) are split by the mother's age
    group as in BIRTHS_BY_MOTHER_AGE. Each group's births per woman then apply to the employed
    women of the group in the sector (context.employed × ``female_share``, dims (sector,)).
    """
    population = context.population.transpose(YEAR, SEX, AGE)
    if 0 not in population[AGE].values:
        raise ValueError("context.population has no age 0: the region's births are needed")
    values = population.to_numpy()
    if not bool(np.all(np.isfinite(values) & (values >= 0))):
        raise ValueError("context.population must be finite and >= 0 [persons]")
    births = population.sum(SEX).sel({AGE: 0}).to_numpy()  # (year,)
    women = population.sel({SEX: "female"}).to_numpy()  # (year, age)
    employed = _employed(context)
    ages = context.employed[AGE].to_numpy()
    total = sum(BIRTHS_BY_MOTHER_AGE.values())
    result = np.zeros(employed.shape[:2])
    for group, count in BIRTHS_BY_MOTHER_AGE.items():
        in_group = _in_ages(women, population[AGE].to_numpy(), group)
        rate = np.divide(
            births * count / total, in_group, out=np.zeros_like(births), where=in_group > 0
        )
        result += rate[:, None] * _in_ages(employed, ages, group) * female_share
    return xr.DataArray(
        result,
        dims=(YEAR, SECTOR),
        coords={YEAR: list(context.years), SECTOR: list(context.sectors)},
        attrs={"units": PERSONS},
    )


def _couples_of_sector(
    env: simpy.Environment,
    sharing: np.ndarray,
    fathers_mix: np.ndarray,
    per_couple: float,
    rng: np.random.Generator,
    out: tuple[np.ndarray, np.ndarray],
) -> Generator[simpy.Event, Any, None]:
    """One mothers' sector month by month: fathers' sectors of the new sharing couples, then
    the moved FTE of all couples whose child is under two.

    ``sharing`` (month,) are the couples of the month's newborns who take the shift up;
    ``fathers_mix`` (month, sector) the fathers' sector distribution. ``out`` = (this sector's
    gains by month, losses (month, sector) shared by every process). Couples are held in a ring
    of LEAVE_MONTHS birth cohorts by father's sector, so gains and losses count the same
    couples.
    """
    gains, losses = out
    ring = np.zeros((LEAVE_MONTHS, fathers_mix.shape[1]), dtype=np.int64)
    active = np.zeros(fathers_mix.shape[1], dtype=np.int64)
    for m in range(len(sharing)):
        slot = m % LEAVE_MONTHS
        active -= ring[slot]  # this cohort's children turned two: its days are used up
        ring[slot] = rng.multinomial(sharing[m], fathers_mix[m]) if sharing[m] else 0
        active += ring[slot]
        gains[m] = active.sum() * per_couple
        losses[m] += active * per_couple
        yield env.timeout(1)


def _monthly_birth_chance(births: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Monthly chance (year, sector) [share per month] that a woman of the pool gives birth;
    ValueError if the expected births exceed the pool."""
    chance = np.divide(births / MONTHS_PER_YEAR, pool, out=np.zeros_like(births), where=pool > 0)
    if bool(np.any(chance > 1)):
        raise ValueError(
            "births to employed mothers exceed the employed women aged "
            f"{MOTHER_AGES[0]}–{MOTHER_AGES[1]} in a month: "
            "check context.population at age 0 against context.employed"
        )
    return chance


def _fathers_mix(
    employed: np.ndarray, ages: np.ndarray, female_share: np.ndarray, years: list[int]
) -> np.ndarray:
    """Sector distribution (year, sector) [share] of the employed men at FATHER_AGES;
    ValueError for a year without such men, who would have to take over the days."""
    men = _in_ages(employed, ages, FATHER_AGES) * (1.0 - female_share)
    total = men.sum(axis=1, keepdims=True)
    if bool(np.any(total <= 0)):
        year = years[int(np.argmax(total[:, 0] <= 0))]
        raise ValueError(
            f"no employed men aged {FATHER_AGES[0]}–{FATHER_AGES[1]} in {year} to take over the "
            "mothers' days (context.employed × (1 − female share))"
        )
    return men / total


def _employed(context: LeverContext) -> np.ndarray:
    """context.employed as an array (year, sector, age) [persons]; ValueError if not finite
    and non-negative."""
    values = context.employed.transpose(YEAR, SECTOR, AGE).sel({SECTOR: context.sectors})
    values = values.to_numpy()
    if not bool(np.all(np.isfinite(values) & (values >= 0))):
        raise ValueError("context.employed must be finite and >= 0 [persons]")
    return values


def _in_ages(counts: np.ndarray, ages: np.ndarray, group: tuple[int, int]) -> np.ndarray:
    """Sum of ``counts`` (…, age) over the ages in [group[0], group[1]] (0 if none)."""
    return counts[..., (ages >= group[0]) & (ages <= group[1])].sum(axis=-1)


def _female_shares(params: Params, context: LeverContext) -> np.ndarray:
    """Female share [share] for every sector of the context, in its order: FEMALE_SHARE with
    the scenario's overrides; ValueError for unknown or missing sectors."""
    unknown = [s for s in params.female_share if s not in context.sectors]
    if unknown:
        raise ValueError(
            f"levers.{LEVER}.female_share: unknown sector {unknown[0]!r}; "
            f"known: {', '.join(context.sectors)}"
        )
    shares = FEMALE_SHARE | params.female_share
    missing = [s for s in context.sectors if s not in shares]
    if missing:
        raise ValueError(f"levers.{LEVER}.female_share: no female share for sector {missing[0]!r}")
    return np.array([shares[s] for s in context.sectors])
