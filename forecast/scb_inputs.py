"""Build a complete inputs folder (the schema of forecast/inputs.py) from tidy tables fetched
from SCB for one region: its municipalities (or the municipality itself) are the projection
units, with the rest of Sweden (`00X` = Riket less them) so that the country adds up.

The methods are the embedded build's (data/build_population.py, data/build_migration.py,
data/build_history.py; data/SOURCES.md) where the fetched tables allow, with the latest five
years as the reference window. The tables are checked in forecast/fetched_tables.py; the labour
files are built in forecast/scb_labour.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.demography import (
    cohort_exposure,
    expected_by_sex,
    lagged_exposure,
    safe_ratio,
    women_exposure,
)
from forecast.dims import AGES, SEXES
from forecast.fetched_tables import FERTILE, REST, RIKET, ZERO, Fetched, fetched
from forecast.inputs import DEFAULT_DATA, REQUIRED, read_inputs
from forecast.scb_labour import COPIED, labour_tables

SHRINK_EVENTS = 50.0  # prior weight [events] toward the wider level, as data/build_sources.py
OLD = 90  # from this age one pooled rate per sex (few movers), as data/build_migration.py


def death_prob(f: Fetched, years: list[int]) -> np.ndarray:
    """Riket probability of dying by age reached, pooled over `years`, converted as
    data/build_population.national_death_prob: q(a) = deaths(a, t) / stock(a−1, t−1); q(0)
    with births ≈ stock(0) + deaths(0); q(100) on the stock aged 99 and 100+."""
    deaths, exposure = np.zeros_like(ZERO), np.zeros_like(ZERO)
    for y in years:
        d, prev = f.get(f.deaths, RIKET, y), f.stock(RIKET, y - 1)
        deaths += d
        exposure += cohort_exposure(prev)
        exposure[:, 0] += f.stock(RIKET, y)[:, 0] + d[:, 0]
    return safe_ratio(deaths, exposure)


def _expected_births(asfr: np.ndarray, f: Fetched, code: str) -> float:
    y = f.base_year
    return float((asfr * women_exposure(f.stock(code, y - 1), f.stock(code, y))).sum())


def fertility_schedules(f: Fetched) -> tuple[dict[str, np.ndarray], float]:
    """ASFR of Riket and the county over the window, all scaled by one factor so Riket's sums
    to its base-year TFR (as data/build_population.fertility_schedules); and that TFR."""
    schedules = {}
    for code in dict.fromkeys([RIKET, f.county]):
        births, women = np.zeros(len(AGES)), np.zeros(len(AGES))
        for y in f.window:
            births += f.get(f.births, code, y)
            women += women_exposure(f.stock(code, y - 1), f.stock(code, y))
        schedules[code] = safe_ratio(births, women)
    tfr = tfr_of(f, f.base_year)
    level = tfr / schedules[RIKET].sum()
    return {code: s * level for code, s in schedules.items()}, tfr


def tfr_of(f: Fetched, year: int) -> float:
    """Riket total fertility in a year from births by age of mother and women by age reached."""
    women = women_exposure(f.stock(RIKET, year - 1), f.stock(RIKET, year))
    return float(safe_ratio(f.get(f.births, RIKET, year), women)[FERTILE].sum())


def demographic_factors(f: Fetched, q: np.ndarray, asfr: dict[str, np.ndarray]) -> pd.DataFrame:
    """Mortality (by sex) and fertility level factors per unit, with the events behind them.

    Mortality: the Riket level in the base year (its deaths ÷ those expected with the schedule)
    × the unit's standardised mortality ratio against Riket's own rates of each year, over all
    years with deaths, (observed + 50) / (expected + 50) per sex — the embedded shrinkage.
    Fertility: (own births + 50) / (expected + 50) in the base year against the county schedule.
    The rest of Sweden closes Riket's expected deaths and its births (as the embedded build).
    """
    y = f.base_year
    riket_deaths = f.get(f.deaths, RIKET, y)
    period = riket_deaths[:, 1:].sum() / expected_by_sex(q, f.stock(RIKET, y - 1)).sum()
    riket_births = f.get(f.births, RIKET, y).sum()
    yearly_q = {yy: death_prob(f, [yy]) for yy in f.years_of(f.deaths)}
    rows = [
        (
            RIKET,
            period,
            period,
            f"Riket {y} deaths / expected with the {_span(f.window)} schedule",
            1.0,
            f"Riket schedule scaled to the TFR {y}",
            riket_deaths.sum(),
            riket_births,
        ),
    ]
    expected_deaths, expected_births = {}, {}
    for code in f.municipalities:
        years = [yy for yy in f.years_of(f.deaths, code) if yy in yearly_q]
        obs = sum((f.get(f.deaths, code, yy)[:, 1:].sum(axis=1) for yy in years), np.zeros(2))
        exp = sum(
            (expected_by_sex(yearly_q[yy], f.stock(code, yy - 1)) for yy in years), np.zeros(2)
        )
        female, male = period * (obs + SHRINK_EVENTS) / (exp + SHRINK_EVENTS)
        how_m = f"Riket {y} level × own deaths ÷ expected at Riket's rates {_span(years)}, shrunk"
        expected_deaths[code] = np.array([female, male]) * expected_by_sex(q, f.stock(code, y - 1))
        own = f.get(f.births, code, y).sum()
        exp_b = _expected_births(asfr[f.county], f, code)
        if own > 0:
            fert, how_f = (own + SHRINK_EVENTS) / (exp_b + SHRINK_EVENTS), f"own births {y}"
        else:
            fert, how_f = 1.0, "county schedule (no own births in the fetched table)"
        expected_births[code] = fert * exp_b
        rows.append(
            (
                code,
                female,
                male,
                how_m,
                fert,
                how_f + " vs county schedule, shrunk",
                obs.sum() + SHRINK_EVENTS,
                own + SHRINK_EVENTS,
            )
        )
    rest_deaths = period * expected_by_sex(q, f.stock(RIKET, y - 1)) - sum(expected_deaths.values())
    female, male = safe_ratio(rest_deaths, expected_by_sex(q, f.stock(REST, y - 1)))
    rest_births = riket_births - sum(expected_births.values())
    rows.append(
        (
            REST,
            female,
            male,
            f"Riket {y} level less the units' expected deaths",
            rest_births / _expected_births(asfr[RIKET], f, REST),
            f"Riket births {y} less the units' expected births",
            riket_deaths.sum(),
            riket_births,
        )
    )
    frame = pd.DataFrame(
        rows,
        columns=[
            "region_code",
            "mortality_factor_female",
            "mortality_factor_male",
            "mortality_method",
            "fertility_factor",
            "fertility_method",
            "mortality_evidence",
            "fertility_evidence",
        ],
    )
    if (frame[["mortality_factor_female", "mortality_factor_male", "fertility_factor"]] <= 0).any(
        axis=None
    ):
        raise ValueError("SCB tables: the units' deaths or births exceed Riket's (00X below 0)")
    return frame


def _span(years: list[int]) -> str:
    return f"{min(years)}–{max(years)}" if years else "(no years)"


def migration_by_age(f: Fetched) -> pd.DataFrame:
    """Per unit, sex and age: immigrants and domestic in-migrants [persons per year] and the
    emigration and domestic out-migration rates [per person and year], window means.

    Rates are flows ÷ the mean cohort exposure (people reaching the age; age 0 ≈ the stock
    aged 0), as the embedded observed Luleå-area flows (data/build_migration.py); ages 90+
    pooled into one rate per sex, as its domestic schedule. 00X = Riket less the units.
    """
    frames = []
    for code in [REST, *f.municipalities]:
        mean = {
            k: sum(f.get(cube, code, y) for y in f.window) / len(f.window)
            for k, cube in f.migration.items()
        }
        exposure = sum(lagged_exposure(f.stock(code, y - 1)) for y in f.window) / len(f.window)
        rates = {}
        for flow in ("emigrants", "domestic_out"):
            rate = safe_ratio(mean[flow], exposure)
            rate[:, OLD:] = safe_ratio(mean[flow][:, OLD:].sum(1), exposure[:, OLD:].sum(1))[
                :, None
            ]
            rates[flow] = rate
        for i, sex in enumerate(SEXES):
            frames.append(
                pd.DataFrame(
                    {
                        "region_code": code,
                        "sex": sex,
                        "age": AGES,
                        "immigrants": mean["immigrants"][i],
                        "domestic_in": mean["domestic_in"][i],
                        "emigration_rate": rates["emigrants"][i],
                        "domestic_out_rate": rates["domestic_out"][i],
                        "status": "derived" if code == REST else "official",
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def histories(f: Fetched) -> dict[str, pd.DataFrame]:
    """The yearly series the rate models are fitted on (see forecast/rates.py)."""
    mortality = []
    for y in f.years_of(f.deaths):
        d, prev, now = f.deaths[(RIKET, y)], f.stock(RIKET, y - 1), f.stock(RIKET, y)
        exposure = np.zeros_like(ZERO)  # person-years of the cohort reaching each age
        exposure[:, 1:] = (prev[:, :-1] + now[:, 1:]) / 2
        exposure[:, -1] += prev[:, -1] / 2
        exposure[:, 0] = (now[:, 0] + d[:, 0]) / 2
        for i, sex in enumerate(SEXES):
            mortality.append(
                pd.DataFrame(
                    {"sex": sex, "age": AGES, "year": y, "deaths": d[i], "exposure": exposure[i]}
                )
            )
    tfr = [(y, tfr_of(f, y), "derived") for y in f.years_of(f.births)]
    flows = []
    for y in f.years_of(f.migration["immigrants"]):
        sums = {
            k: sum(f.get(cube, u, y).sum() for u in f.municipalities)
            for k, cube in f.migration.items()
        }
        start = sum(f.stock(u, y - 1).sum() for u in f.municipalities)
        flows.append(
            (
                y,
                sums["immigrants"],
                sums["domestic_in"],
                sums["emigrants"],
                sums["domestic_out"],
                start,
            )
        )
    pop = f.tables["population"]
    # the attraction swings are calibrated on growth relative to the mean over these regions:
    # with a single municipality the county and Riket stand in as comparators
    compared = list(f.municipalities)
    if len(compared) == 1:
        compared += [c for c in (f.county, RIKET) if c not in compared]
    totals = pop[pop.region.isin(compared)].groupby(["region", "year"]).population.sum()
    return {
        "mortality_history.csv.gz": pd.concat(mortality, ignore_index=True).sort_values(
            ["sex", "age", "year"], ignore_index=True
        ),
        "fertility_history.csv": pd.DataFrame(tfr, columns=["year", "tfr", "status"]),
        "migration_history.csv": pd.DataFrame(flows, columns=REQUIRED["migration_history.csv"]),
        "municipal_totals.csv": totals.rename_axis(["region_code", "year"])
        .reset_index()
        .astype({"population": int}),
    }


def regions_table(f: Fetched, names: Mapping[str, str], fetched_on: str) -> pd.DataFrame:
    note = f"Fetched from SCB (PxWeb) on {fetched_on}; built by forecast/scb_inputs.py."
    county_note = note
    if len(f.region) == 4:
        county_note += (
            f" Only {f.region} was fetched: the county's other municipalities are in 00X."
        )
    rest_note = (
        f"Sweden outside {', '.join(f.municipalities)}: Riket less the fetched municipalities, "
        "projected as one unit so that the country adds up and moves within Sweden balance. " + note
    )
    rows = [
        (RIKET, names.get(RIKET, "Riket"), "country", "", note),
        (REST, names.get(REST, "Övriga Sverige"), "rest", RIKET, rest_note),
        (f.county, names.get(f.county, f.county), "county", RIKET, county_note),
        *[(m, names.get(m, m), "municipality", f.county, note) for m in f.municipalities],
    ]
    return pd.DataFrame(rows, columns=["region_code", "name", "level", "parent", "coverage_note"])


def _long(arrays: dict[str, np.ndarray], value: str, **extra) -> pd.DataFrame:
    return pd.concat(
        [
            pd.DataFrame({"region_code": code, **extra, "sex": sex, "age": AGES, value: a[i]})
            for code, a in arrays.items()
            for i, sex in enumerate(SEXES)
        ],
        ignore_index=True,
    )


def input_tables(
    f: Fetched, names: Mapping[str, str], fetched_on: str, embedded: Path
) -> dict[str, pd.DataFrame]:
    """Every file of the inputs folder, keyed by file name."""
    y = f.base_year
    units = [REST, *f.municipalities]
    population = _long({u: np.round(f.stock(u, y)) for u in units}, "population", year=y)
    population["population"] = population.population.astype(int)
    population["status"] = np.where(population.region_code == REST, "derived", "official")
    q = death_prob(f, f.window)
    asfr, _ = fertility_schedules(f)
    fertility = pd.DataFrame(
        [(code, a, s[a]) for code, s in asfr.items() for a in range(FERTILE.start, FERTILE.stop)],
        columns=["region_code", "age", "asfr"],
    )
    mortality = _long({"": q}, "death_prob").drop(columns="region_code")
    embedded_constants = pd.read_csv(embedded / "demographic_constants.csv")
    constants = embedded_constants.assign(
        method=embedded_constants.method
        + "; embedded value: the fetched tables have no births by sex"
    )
    base = {u: f.stock(u, y) for u in [RIKET, f.county, *units]}
    return {
        "regions.csv": regions_table(f, names, fetched_on),
        "population_base.csv.gz": population,
        "mortality_schedule.csv": mortality,
        "fertility_schedule.csv": fertility,
        "demographic_factors.csv": demographic_factors(f, q, asfr),
        "demographic_constants.csv": constants,
        "migration_age_sex.csv.gz": migration_by_age(f),
        **histories(f),
        **labour_tables(f.tables, f.region, f.county, f.municipalities, base, embedded),
    }


def _write(frame: pd.DataFrame, path: Path) -> None:
    """Write one table deterministically (gzip without timestamp), as data/build_common."""
    compression = {"method": "gzip", "mtime": 0} if path.suffix == ".gz" else None
    frame.to_csv(path, index=False, float_format="%.10g", compression=compression)


def build_fetched_inputs(
    tables: Mapping[str, pd.DataFrame],
    region: str,
    out_dir: Path,
    names: Mapping[str, str] | None = None,
    *,
    fetched_on: str | None = None,
    embedded: Path = DEFAULT_DATA,
) -> Path:
    """Write an inputs folder for `region` from the fetched tidy tables; return its path.

    The folder is written under a temporary name next to `out_dir`, checked with read_inputs
    and only then renamed into place, so a failed build leaves no half-written folder (and
    an existing folder is replaced only by a complete one).
    """
    out_dir = Path(out_dir)
    fetched_on = fetched_on or dt.date.today().isoformat()
    f = fetched(tables, str(region))
    frames = input_tables(f, names or {}, fetched_on, Path(embedded))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for name, frame in frames.items():
            _write(frame, tmp / name)
        (tmp / "README.md").write_text(readme(f, fetched_on), encoding="utf-8")
        read_inputs(tmp)
        if out_dir.exists():
            old = tmp.with_name(tmp.name + ".old")
            out_dir.rename(old)
            tmp.rename(out_dir)
            shutil.rmtree(old)
        else:
            tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def readme(f: Fetched, fetched_on: str) -> str:
    copied = "\n".join(f"- `{name}`: {why}" for name, why in COPIED.items())
    return f"""# Inputs fetched from SCB on {fetched_on}

Region {f.region}: units {", ".join(f.municipalities)} and 00X (Riket less them); base year
{f.base_year}; reference window {_span(f.window)}. Built by forecast/scb_inputs.py with the
embedded build's methods (data/SOURCES.md); status `derived` marks figures computed from the
fetched ones (00X by subtraction), `official` figures taken as fetched.

- demography: population_base, mortality_schedule, demographic_factors, fertility_schedule,
  migration_age_sex and the histories from the fetched tables;
- demographic_constants.csv: the embedded share of boys (no births by sex fetched);
- employment_rates.csv: the embedded profile rescaled to the fetched rates by age group;
- sector_shares.csv: fetched employment by SNI section (forecast/sector_map.py).

Copied from the embedded data (data/derived/; their method columns say so), not regional:
{copied}
"""
