"""Derive the demographic inputs (base population, schedules, migration) from data/official/.

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
    read_official,
    to_array,
)

SHRINK_EVENTS = 50.0  # prior weight [expected events] pulling small-area factors to the county
MORTALITY_YEARS = range(2016, 2020)  # pre-pandemic years with national stocks and deaths
FERTILITY_YEARS = range(2011, 2016)  # last years with county births by age of mother
MIGRATION_YEARS = range(2020, 2025)
LULEA_AREA = ("2514", "2560", "2580", "2581", "2582")
TFR_SOURCE_YEAR = 2024


class PopulationSources:
    """The official tables the demographic derivations read, loaded once."""

    def __init__(self) -> None:
        self.scb_pop = read_official("scb_population_age_sex")
        self.lulea_pop = read_official("scb_lulea_population_age_sex")
        self.change = read_official("population_change")
        self.broad = read_official("population_broad_age")
        self.lulea_deaths = read_official("scb_lulea_deaths_age_sex")
        self.county_deaths = read_official("scb_deaths_age_sex")
        self.births = read_official("scb_births_mother_age")
        self.lulea_births = read_official("scb_lulea_births_mother_age")
        self.migration = read_official("scb_lulea_migration_age_sex")
        self.vital = read_official("vital_rates")

    def published(self, column: str) -> pd.Series:
        """First published value of a population_change column by (region, year)."""
        rows = self.change.dropna(subset=[column])
        return rows.groupby(["region_code", "year"])[column].first()

    def broad_groups(self, region: str, year: int) -> dict[str, float] | None:
        rows = self.broad[(self.broad.region_code == region) & (self.broad.year == year)]
        return dict(zip(rows.age_group, rows.population, strict=True)) if len(rows) else None


def stock(df: pd.DataFrame, region: str, year: int, value: str = "value") -> np.ndarray:
    rows = df[(df.region_code == region) & (df.year == year)]
    if "measure" in rows:
        rows = rows[rows.measure == "population_dec31"]
    return to_array(rows, value)


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
    prov = pd.DataFrame(notes, columns=["region_code", "status", "method"])
    return s2023, s2024, prov


def women_exposure(prev: np.ndarray, now: np.ndarray) -> np.ndarray:
    """Women by age reached in the year: mean of the cohort's two year-end stocks [persons]."""
    w = np.zeros(101)
    w[1:] = (prev[0, :-1] + now[0, 1:]) / 2
    return w


def fertility_schedules(src: PopulationSources) -> pd.DataFrame:
    """Age-specific fertility (15–49) for Riket and the four counties, scaled to TFR 2024."""
    rows = []
    b = src.births.copy()
    b["age"] = b.mother_age.replace({"-14": "15", "49+": "49", "unknown": "-1"}).astype(int)
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
            by = b[(b.region_code == region) & (b.year == y)]
            known = by[by.age >= 15].groupby("age").value.sum()
            share_known = by.value.sum() / known.sum()  # spread unknown ages proportionally
            births[known.index.to_numpy()] += known.to_numpy() * share_known
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


def county_of(code: str) -> str:
    return code[:2]


def expected_deaths(q: np.ndarray, prev: np.ndarray) -> float:
    """Deaths in a year if the cohorts in `prev` die at probabilities q (age reached)."""
    exposure = np.zeros_like(prev)
    exposure[:, 1:] = prev[:, :-1]
    exposure[:, 100] += prev[:, 100]
    return float((q[:, 1:] * exposure[:, 1:]).sum())


def county_smr(src: PopulationSources) -> dict[str, float]:
    """Indirectly standardised mortality ratio of each county vs Riket, 2011–2015."""
    out = {}
    d = src.county_deaths
    for county in ("22", "23", "24", "25"):
        observed = expected = 0.0
        for y in range(2011, 2016):
            nat_d = to_array(d[(d.region_code == "00") & (d.year == y)])
            nat_p = stock(src.scb_pop, "00", y)
            rate = np.divide(nat_d, nat_p, out=np.zeros_like(nat_d), where=nat_p > 0)
            observed += d[(d.region_code == county) & (d.year == y)].value.sum()
            expected += (rate * stock(src.scb_pop, county, y)).sum()
        out[county] = observed / expected
    return out


def demographic_factors(src, q, fert, s2023, s2024) -> pd.DataFrame:
    """Mortality and fertility level factors per region, by indirect standardisation."""
    deaths_pub = src.published("deaths")
    births_pub = src.published("births")
    smr_c = county_smr(src)
    period = deaths_pub[("00", BASE_YEAR)] / expected_deaths(q, s2023["00"])
    ld = src.lulea_deaths
    lb = src.lulea_births
    rows = [
        (
            "00",
            period,
            "Riket 2024 deaths / expected with the 2016–2019 schedule",
            1.0,
            "Riket schedule scaled to the published TFR 2024",
        )
    ]
    for code in sorted(c for c in s2024 if c != "00"):
        c = county_of(code)
        if code in LULEA_AREA:
            obs = sum(
                ld[(ld.region_code == code) & (ld.year == y)].value.sum() for y in MORTALITY_YEARS
            )
            exp = sum(
                expected_deaths(q, stock(src.lulea_pop, code, y - 1)) for y in MORTALITY_YEARS
            )
            how_m = "own deaths by age 2016–2019 vs national schedule"
        elif (code, BASE_YEAR) in deaths_pub:
            obs = deaths_pub[(code, BASE_YEAR)]
            exp = expected_deaths(q, s2023[code]) * period
            how_m = "own published deaths 2024 vs national schedule at the 2024 level"
        else:
            obs, exp, how_m = 0.0, 0.0, "county ratio 2011–2015 (no own deaths in the data)"
        smr = (obs + SHRINK_EVENTS * smr_c[c]) / (exp + SHRINK_EVENTS)
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
        rows.append((code, period * smr, how_m, fert_factor, how_f))
    return pd.DataFrame(
        rows,
        columns=[
            "region_code",
            "mortality_factor",
            "mortality_method",
            "fertility_factor",
            "fertility_method",
        ],
    )


def migration_profiles(src: PopulationSources) -> dict[str, np.ndarray]:
    """Pooled Luleå-area age profiles 2020–2024: in-migrant shares and out-migration rates."""
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    out = {}
    for measure in ("in_migrants", "out_migrants", "immigrants", "emigrants"):
        out[measure] = to_array(m[m.measure == measure]) / len(MIGRATION_YEARS)
    exposure = np.zeros((2, 101))
    for code in LULEA_AREA:
        for y in MIGRATION_YEARS:
            prev = stock(src.lulea_pop, code, y - 1)
            exposure[:, 1:] += prev[:, :-1]
            exposure[:, 100] += prev[:, 100]
    exposure /= len(MIGRATION_YEARS)
    exposure[:, 0] = exposure[:, 1]  # newborn exposure ≈ one-year-olds (births not by area)
    out["out_rate"] = out["out_migrants"] / exposure
    out["emigration_rate"] = out["emigrants"] / exposure
    return out


def shifted(prev: np.ndarray) -> np.ndarray:
    """Cohort exposure by age reached: the stock a year younger, 100+ kept open."""
    e = np.zeros_like(prev)
    e[:, 1:] = prev[:, :-1]
    e[:, 100] += prev[:, 100]
    e[:, 0] = prev[:, 0]
    return e


def migration_totals(src, s2024, factors, q, fert, s2023) -> pd.DataFrame:
    """Yearly in- and out-migrant totals per region and how each was obtained."""
    ins, outs = src.published("in_migrants_total"), src.published("out_migrants_total")
    totals = src.published("population_dec31")
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    rows = {}
    for code in s2024:
        if code in LULEA_AREA:
            own = m[m.region_code == code].groupby("measure").value.sum() / len(MIGRATION_YEARS)
            rows[code] = (own["in_migrants"], own["out_migrants"], "observed by age 2020–2024")
            continue
        years = [y for y in range(2015, BASE_YEAR + 1) if (code, y) in ins and (code, y) in outs]
        if years:
            y = years[-1]
            rows[code] = (ins[(code, y)], outs[(code, y)], f"published totals {y}")
    pop = {c: s.sum() for c, s in s2024.items()}
    ref_rate = {}
    for county in ("22", "23", "24", "25"):
        known = [c for c in rows if county_of(c) == county and c != "00"]
        ref_rate[county] = sum(rows[c][0] for c in known) / sum(pop[c] for c in known)
    for code in s2024:
        if code in rows:
            continue
        f = factors.set_index("region_code").loc[code]
        asfr = np.zeros(101)
        asfr[15:50] = fert[fert.region_code == county_of(code)].asfr.to_numpy()
        births = f.fertility_factor * float((asfr * women_exposure(s2023[code], s2024[code])).sum())
        deaths = f.mortality_factor * expected_deaths(q, s2023[code])
        if code in set(src.lulea_pop.region_code):
            y0, p0 = 2019, stock(src.lulea_pop, code, 2019).sum()
        else:
            y0 = min(y for (c, y) in totals.index if c == code and y >= 2019)
            p0 = totals[(code, y0)]
        net = (pop[code] - p0) / (BASE_YEAR - y0) - (births - deaths)
        inflow = ref_rate[county_of(code)] * pop[code]
        rows[code] = (
            inflow,
            max(inflow - net, 0.0),
            f"in: county in-migration rate of municipalities with data; out: in minus "
            f"net migration {y0}–{BASE_YEAR} (population change less modelled births "
            f"and deaths)",
        )
    return pd.DataFrame(
        [(c, *v) for c, v in sorted(rows.items())],
        columns=["region_code", "in_migrants", "out_migrants", "method"],
    )


def migration_by_age(src, s2024, totals: pd.DataFrame) -> pd.DataFrame:
    """In-migrants [persons/year] and out-migration rates [per person/year] by sex and age."""
    prof = migration_profiles(src)
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    frames = []
    for row in totals.itertuples():
        code = row.region_code
        if code in LULEA_AREA:
            own = m[m.region_code == code]
            inflow = to_array(own[own.measure == "in_migrants"]) / len(MIGRATION_YEARS)
            exposure = sum(shifted(stock(src.lulea_pop, code, y - 1)) for y in MIGRATION_YEARS)
            outflow = to_array(own[own.measure == "out_migrants"])
            rate = np.divide(outflow, exposure, out=np.zeros_like(outflow), where=exposure > 0)
            status = "official"
        else:
            in_shape = prof["immigrants" if code == "00" else "in_migrants"]
            out_shape = prof["emigration_rate" if code == "00" else "out_rate"]
            inflow = row.in_migrants * in_shape / in_shape.sum()
            scale = row.out_migrants / (out_shape * shifted(s2024[code])).sum()
            rate = out_shape * scale
            status = "derived"
        for i, sex in enumerate(SEXES):
            frames.append(
                pd.DataFrame(
                    {
                        "region_code": code,
                        "sex": sex,
                        "age": AGES,
                        "in_migrants": inflow[i],
                        "out_rate": rate[i],
                        "status": status,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def population_table(s2024: dict, prov: pd.DataFrame) -> pd.DataFrame:
    frames = []
    status = prov.set_index("region_code").status
    for code, arr in sorted(s2024.items()):
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


def regions_table(src: PopulationSources) -> pd.DataFrame:
    """Region codes, names, level and parent; counties and Riket flagged with coverage notes."""
    names = src.scb_pop.groupby("region_code").region_name.first()
    rows = [("00", "Riket", "country", "", "")]
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
    period = factors.set_index("region_code").loc["00", "mortality_factor"]
    reference_mid = (MORTALITY_YEARS[0] + MORTALITY_YEARS[-1]) / 2
    improvement = 1 - period ** (1 / (BASE_YEAR - reference_mid))
    constants = pd.DataFrame(
        {
            "name": ["share_male_births", "mortality_improvement"],
            "value": [sex_ratio_at_birth(src), improvement],
            "unit": ["share", "share per year"],
            "method": [
                "Riket live births by sex 2011–2015",
                "yearly decline of death probabilities implied by Riket deaths 2024 against "
                "the 2016–2019 schedule",
            ],
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
        "migration_age_sex.csv.gz": migration_by_age(src, s2024, totals),
        "demographic_constants.csv": constants,
    }
