"""Derive the demographic inputs (base population, schedules, levels) from data/official/;
migration is in build_migration.py.

Every method here is described in data/SOURCES.md; run `python data/build.py` to regenerate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from build_common import (
    AGES,
    BASE_YEAR,
    SEXES,
    age_one_year,
    integerise,
    rake,
)
from build_migration import migration_by_age, migration_totals
from build_sources import (
    FERTILITY_YEARS,
    LULEA_AREA,
    MIGRATION_YEARS,
    MORTALITY_YEARS,
    REST,
    SHRINK_EVENTS,
    TFR_SOURCE_YEAR,
    PopulationSources,
    county_of,
    stock,
)
from scipy.optimize import brentq

from forecast.demography import (
    births_by_age,
    expected_by_sex,
    expected_deaths,
    to_array,
    with_mother_age,
    women_exposure,
)
from forecast.lee_carter import life_expectancy


def national_death_prob(src: PopulationSources) -> np.ndarray:
    """Probability of dying in the year by age reached (sex, age), Riket 2016–2019 pooled.

    q(a) = deaths reached a / stock aged a-1 a year before; q(0) uses births ≈ stock(0) +
    deaths(0), i.e. ignores infant migration; q(100) uses the stock aged 99 and 100+.
    """
    deaths = np.zeros((2, 101))
    exposure = np.zeros((2, 101))
    d = src.lulea_deaths[src.lulea_deaths.region_code == "00"]
    for y in MORTALITY_YEARS:
        dy = to_array(d[d.year == y])
        prev = stock(src.scb_pop, "00", y - 1)
        now = stock(src.scb_pop, "00", y)
        deaths += dy
        exposure[:, 1:] += prev[:, :-1]
        exposure[:, 100] += prev[:, 100]
        exposure[:, 0] += now[:, 0] + dy[:, 0]
    return deaths / exposure


def carry_forward(
    src: PopulationSources, region: str, start: np.ndarray, start_year: int, q: np.ndarray
) -> dict[int, np.ndarray]:
    """Carry a single-age stock from start_year to BASE_YEAR by cohort ageing and raking."""
    totals = src.published("population_dec31")
    stocks = {start_year: start}
    current = start
    for y in range(start_year + 1, BASE_YEAR + 1):
        total = totals.get((region, y))
        current = rake(age_one_year(current, q), total, src.broad_groups(region, y))
        if total is not None:
            current = integerise(current)
        stocks[y] = current
    return stocks


def base_populations(src: PopulationSources, q: np.ndarray) -> tuple[dict, dict, pd.DataFrame]:
    """Stocks 2023 and 2024 for Riket and every municipality, with their provenance."""
    official = set(src.lulea_pop.region_code) - {"25"}
    munis = sorted(src.scb_pop.loc[src.scb_pop.region_code.str.len() == 4, "region_code"].unique())
    totals = src.published("population_dec31")
    s2023, s2024, notes = {}, {}, []
    for code in munis:
        if code in official:
            s2023[code] = stock(src.lulea_pop, code, 2023)
            s2024[code] = stock(src.lulea_pop, code, 2024)
            notes.append((code, "official", "SCB single ages 2024 (scb_lulea_population_age_sex)"))
            continue
        carried = carry_forward(src, code, stock(src.scb_pop, code, 2019), 2019, q)
        s2023[code], s2024[code] = carried[2023], integerise(carried[2024])
        raked = [y for y in range(2020, 2025) if (code, y) in totals]
        notes.append(
            (
                code,
                "derived",
                "SCB single ages 2019 carried forward by cohort ageing, "
                f"raked to published totals {raked}",
            )
        )
    carried = carry_forward(src, "00", stock(src.scb_pop, "00", 2020), 2020, q)
    s2023["00"], s2024["00"] = carried[2023], integerise(carried[2024])
    notes.append(
        (
            "00",
            "derived",
            "SCB single ages 2020 carried forward by cohort ageing, "
            "raked to published totals 2021-2024 and age groups 2023",
        )
    )
    for stocks in (s2023, s2024):
        stocks[REST] = stocks["00"] - sum(v for k, v in stocks.items() if k != "00")
        if (stocks[REST] < 0).any():
            raise ValueError("rest of Sweden: negative population in some age")
    notes.append((REST, "derived", "Riket less the 44 municipalities, by sex and single age"))
    prov = pd.DataFrame(notes, columns=["region_code", "status", "method"])
    return s2023, s2024, prov


def fertility_schedules(src: PopulationSources) -> pd.DataFrame:
    """Age-specific fertility (15–49) for Riket and the four counties, scaled to TFR 2024."""
    rows = []
    b = with_mother_age(src.births)
    tfr_now = src.vital[
        (src.vital.measure == "tfr")
        & (src.vital.region_code == "00")
        & (src.vital.year == str(TFR_SOURCE_YEAR))
    ].value.iloc[0]
    schedules = {}
    for region in ("00", "22", "23", "24", "25"):
        births = np.zeros(101)
        exposure = np.zeros(101)
        for y in FERTILITY_YEARS:
            births += births_by_age(b[(b.region_code == region) & (b.year == y)])
            exposure += women_exposure(
                stock(src.scb_pop, region, y - 1), stock(src.scb_pop, region, y)
            )
        schedules[region] = np.where(exposure > 0, births / np.maximum(exposure, 1), 0.0)
    level = tfr_now / schedules["00"][15:50].sum()
    for region, asfr in schedules.items():
        for age in range(15, 50):
            rows.append((region, age, asfr[age] * level))
    return pd.DataFrame(rows, columns=["region_code", "age", "asfr"])


def sex_ratio_at_birth(src: PopulationSources) -> float:
    """Share of boys among live births, Riket in the fertility reference years."""
    b = src.births[(src.births.region_code == "00") & src.births.year.isin(FERTILITY_YEARS)]
    by_sex = b.groupby("sex").value.sum()
    return float(by_sex["male"] / by_sex.sum())


def county_relative_mortality(src: PopulationSources, q: np.ndarray) -> dict[str, np.ndarray]:
    """Relational model per county and sex: θ × the national death rates give the published
    gap in life expectancy at birth to Riket (2014–2018, SCB via regionfakta)."""
    v = src.vital
    e0 = v[(v.measure == "life_expectancy_0") & (v.year == "2014-2018")]
    e0 = e0.set_index(["region_code", "sex"]).value
    rates = -np.log1p(-np.minimum(q, 1 - 1e-9))
    out = {}
    for county in ("22", "23", "24", "25"):
        theta = np.ones(2)
        for i, sex in enumerate(SEXES):
            target = life_expectancy(rates[i]) + e0[(county, sex)] - e0[("00", sex)]
            theta[i] = brentq(lambda t, i=i, y=target: life_expectancy(t * rates[i]) - y, 0.5, 2)
        out[county] = theta
    return out


def demographic_factors(src, q, fert, s2023, s2024) -> pd.DataFrame:
    """Mortality (by sex) and fertility level factors per region.

    Mortality: the Riket level in 2024 × the county's relational factor (life expectancy) ×
    the municipality's own standardised mortality ratio against that, shrunk toward 1.
    Fertility: own births against the county schedule, shrunk toward 1.
    """
    deaths_pub = src.published("deaths")
    births_pub = src.published("births")
    theta = county_relative_mortality(src, q)
    period = deaths_pub[("00", BASE_YEAR)] / expected_deaths(q, s2023["00"])
    ld = src.lulea_deaths
    lb = src.lulea_births
    rows = [
        (
            "00",
            period,
            period,
            "Riket 2024 deaths / expected with the 2016–2019 schedule",
            1.0,
            "Riket schedule scaled to the published TFR 2024",
            deaths_pub[("00", BASE_YEAR)],
            births_pub[("00", BASE_YEAR)],
        )
    ]
    for code in sorted(c for c in s2024 if c not in ("00", REST)):
        c = county_of(code)
        county_q = q * theta[c][:, None]
        if code in LULEA_AREA:
            obs = sum(
                ld[(ld.region_code == code) & (ld.year == y)].value.sum() for y in MORTALITY_YEARS
            )
            exp = sum(
                expected_deaths(county_q, stock(src.lulea_pop, code, y - 1))
                for y in MORTALITY_YEARS
            )
            how_m = "county life-expectancy gap × own deaths by age 2016–2019"
        elif (code, BASE_YEAR) in deaths_pub:
            yearly = code in set(src.lulea_pop.region_code)
            years = [
                y for y in MIGRATION_YEARS if (code, y) in deaths_pub and (yearly or y == 2024)
            ]
            obs = sum(deaths_pub[(code, y)] for y in years)
            exp = period * sum(
                expected_deaths(
                    county_q, stock(src.lulea_pop, code, y - 1) if yearly else s2023[code]
                )
                for y in years
            )
            how_m = f"county life-expectancy gap × own published deaths {years}"
        else:
            obs, exp, how_m = 0.0, 0.0, "county life-expectancy gap 2014–2018 (no own deaths)"
        smr = (obs + SHRINK_EVENTS) / (exp + SHRINK_EVENTS)
        asfr = np.zeros(101)
        asfr[15:50] = fert[fert.region_code == c].asfr.to_numpy()
        exp_b = float((asfr * women_exposure(s2023[code], s2024[code])).sum())
        own = lb[(lb.region_code == code) & (lb.year == BASE_YEAR)].value.sum()
        if own == 0 and (code, BASE_YEAR) in births_pub:
            own = births_pub[(code, BASE_YEAR)]
        if own > 0:
            fert_factor = (own + SHRINK_EVENTS) / (exp_b + SHRINK_EVENTS)
            how_f = "own births 2024 vs county schedule"
        else:
            fert_factor, how_f = 1.0, "county schedule (no own births in the data)"
        female, male = period * smr * theta[c]
        evidence = (obs + SHRINK_EVENTS, own + SHRINK_EVENTS)
        rows.append((code, female, male, how_m, fert_factor, how_f, *evidence))
    rows.append(rest_of_sweden_factors(rows, q, fert, s2023, s2024, births_pub[("00", BASE_YEAR)]))
    return pd.DataFrame(
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


def rest_of_sweden_factors(rows, q, fert, s2023, s2024, births_2024: float) -> tuple:
    """Levels for the rest of Sweden that make the national deaths and births add up.

    Mortality (by sex): Riket's expected deaths at its 2024 level less the 44 municipalities'.
    Fertility: Riket's published births 2024 less the 44 municipalities' expected births.
    """
    factor = {r[0]: r for r in rows}
    munis = [c for c in factor if c != "00"]
    deaths = factor["00"][1] * expected_by_sex(q, s2023["00"]) - sum(
        np.array(factor[c][1:3]) * expected_by_sex(q, s2023[c]) for c in munis
    )

    def births(code: str, region: str) -> float:
        asfr = np.zeros(101)
        asfr[15:50] = fert[fert.region_code == region].asfr.to_numpy()
        return float((asfr * women_exposure(s2023[code], s2024[code])).sum())

    rest_births = births_2024 - sum(factor[c][4] * births(c, county_of(c)) for c in munis)
    female, male = deaths / expected_by_sex(q, s2023[REST])
    return (
        REST,
        female,
        male,
        "Riket 2024 level less the 44 municipalities' expected deaths",
        rest_births / births(REST, "00"),
        "Riket published births 2024 less the 44 municipalities' expected births",
        factor["00"][6],
        factor["00"][7],
    )


def population_table(s2024: dict, prov: pd.DataFrame) -> pd.DataFrame:
    frames = []
    status = prov.set_index("region_code").status
    for code, arr in sorted((c, a) for c, a in s2024.items() if c != "00"):
        for i, sex in enumerate(SEXES):
            frames.append(
                pd.DataFrame(
                    {
                        "region_code": code,
                        "year": BASE_YEAR,
                        "sex": sex,
                        "age": AGES,
                        "population": arr[i].astype(int),
                        "status": status[code],
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


THIN_COUNTIES = {
    "22": "Västernorrland: single ages only for 2019 (Sundsvall every year); no births, deaths "
    "or industry table for the county in the facts. Fetch from SCB for better figures.",
    "23": "Jämtland: single ages only for 2019 (Östersund every year); no county births, deaths "
    "or migration in the facts. Fetch from SCB for better figures.",
}


REST_NOTE = (
    "Sweden outside the 44 municipalities of the four northern counties, projected as one "
    "unit so that the country adds up and moves within Sweden balance."
)


def regions_table(src: PopulationSources) -> pd.DataFrame:
    """Region codes, names, level and parent; counties and Riket flagged with coverage notes."""
    names = src.scb_pop.groupby("region_code").region_name.first()
    rows = [
        ("00", "Riket", "country", "", ""),
        (REST, "Övriga Sverige", "rest", "00", REST_NOTE),
    ]
    for code in sorted(names.index):
        if code == "00":
            continue
        level = "county" if len(code) == 2 else "municipality"
        parent = "00" if level == "county" else code[:2]
        note = THIN_COUNTIES.get(code[:2], "")
        rows.append((code, names[code], level, parent, note))
    return pd.DataFrame(rows, columns=["region_code", "name", "level", "parent", "coverage_note"])


def build_population() -> dict[str, pd.DataFrame]:
    """All demographic derived tables, keyed by file name."""
    src = PopulationSources()
    q = national_death_prob(src)
    s2023, s2024, prov = base_populations(src, q)
    fert = fertility_schedules(src)
    factors = demographic_factors(src, q, fert, s2023, s2024)
    totals = migration_totals(src, s2024, factors, q, fert, s2023)
    mortality = pd.concat(
        [
            pd.DataFrame({"sex": sex, "age": AGES, "death_prob": q[i]})
            for i, sex in enumerate(SEXES)
        ],
        ignore_index=True,
    )
    constants = pd.DataFrame(
        {
            "name": ["share_male_births"],
            "value": [sex_ratio_at_birth(src)],
            "unit": ["share"],
            "method": ["Riket live births by sex 2011–2015"],
        }
    )
    return {
        "regions.csv": regions_table(src),
        "population_base.csv.gz": population_table(s2024, prov),
        "population_provenance.csv": prov,
        "mortality_schedule.csv": mortality,
        "fertility_schedule.csv": fert,
        "demographic_factors.csv": factors,
        "migration_totals.csv": totals,
        "migration_age_sex.csv.gz": migration_by_age(src, s2024, totals, q, factors),
        "demographic_constants.csv": constants,
    }
