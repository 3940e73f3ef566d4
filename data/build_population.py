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
from scipy.optimize import brentq

from forecast.lee_carter import life_expectancy
from forecast.net_migration import gross_from_net, residual_net_migration

SHRINK_EVENTS = 50.0  # prior weight [expected events] pulling small-area factors to the county
MORTALITY_YEARS = range(2016, 2020)  # pre-pandemic years with national stocks and deaths
FERTILITY_YEARS = range(2011, 2016)  # last years with county births by age of mother
MIGRATION_YEARS = range(2020, 2025)
LULEA_AREA = ("2514", "2560", "2580", "2581", "2582")
TFR_SOURCE_YEAR = 2024
OLD = 90  # from this age the pooled domestic out-migration rate is one value (few movers)
REST = "00X"  # Riket minus the 44 modelled municipalities, projected as one unit


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
    for stocks in (s2023, s2024):
        stocks[REST] = stocks["00"] - sum(v for k, v in stocks.items() if k != "00")
        if (stocks[REST] < 0).any():
            raise ValueError("rest of Sweden: negative population in some age")
    notes.append((REST, "derived", "Riket less the 44 municipalities, by sex and single age"))
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


def expected_by_sex(q: np.ndarray, prev: np.ndarray) -> np.ndarray:
    """Deaths (female, male) in a year if the cohorts in `prev` die at probabilities q."""
    exposure = shifted(prev)
    return (q[:, 1:] * exposure[:, 1:]).sum(axis=1)


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


def migration_profiles(src: PopulationSources) -> dict[str, np.ndarray]:
    """Pooled Luleå-area age profiles 2020–2024: in-migrant shares and out-migration rates."""
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    out = {}
    for measure in (
        "in_migrants",
        "out_migrants",
        "immigrants",
        "emigrants",
        "domestic_out_migrants",
    ):
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
    old = out["domestic_out_migrants"][:, OLD:].sum(axis=1) / exposure[:, OLD:].sum(axis=1)
    out["domestic_out_rate"] = out["domestic_out_migrants"] / exposure
    out["domestic_out_rate"][:, OLD:] = old[:, None]  # few movers: one rate for 90+
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
    for code in (c for c in s2024 if c != REST):
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
        if code in rows or code == REST:
            continue
        f = factors.set_index("region_code").loc[code]
        asfr = np.zeros(101)
        asfr[15:50] = fert[fert.region_code == county_of(code)].asfr.to_numpy()
        births = f.fertility_factor * float((asfr * women_exposure(s2023[code], s2024[code])).sum())
        factor = np.array([f.mortality_factor_female, f.mortality_factor_male])[:, None]
        deaths = expected_deaths(q * factor, s2023[code])
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


MIGRATION_MEASURES = {
    "immigrants": "immigrants",
    "domestic_in": "domestic_in_migrants",
    "emigrants": "emigrants",
    "domestic_out": "domestic_out_migrants",
}


def pooled_shares(src: PopulationSources) -> tuple[np.ndarray, np.ndarray]:
    """Luleå-area 2020–2024 shares (sex, age): immigrants of in-migrants, emigrants of out."""
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    total = {k: to_array(m[m.measure == k]) for k in ("in_migrants", "out_migrants")}
    imm = to_array(m[m.measure == "immigrants"])
    emi = to_array(m[m.measure == "emigrants"])
    ins, outs = total["in_migrants"], total["out_migrants"]
    return (
        np.divide(imm, ins, out=np.full_like(imm, imm.sum() / ins.sum()), where=ins > 0),
        np.divide(emi, outs, out=np.full_like(emi, emi.sum() / outs.sum()), where=outs > 0),
    )


def rate_for(total: float, shape: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """A rate schedule of the given age shape whose events on `exposure` sum to `total`."""
    events = (shape * exposure).sum()
    return shape * (total / events) if events > 0 else np.zeros_like(shape)


def migration_by_age(src, s2024, totals: pd.DataFrame, q, factors) -> pd.DataFrame:
    """Immigrants and domestic in-migrants [persons/year]; emigration and domestic
    out-migration rates [per person/year], by region, sex and age."""
    prof = migration_profiles(src)
    imm_share, emi_share = pooled_shares(src)
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    out_shape = prof["out_rate"]
    yearly = set(src.lulea_pop.region_code) - set(LULEA_AREA) - {"25"}
    mortality = factors.set_index("region_code")[
        ["mortality_factor_female", "mortality_factor_male"]
    ]
    columns = {}
    for row in totals.itertuples():
        code = row.region_code
        if code == "00":
            continue
        if code in LULEA_AREA:
            own = m[m.region_code == code]
            years = len(MIGRATION_YEARS)
            counts = {
                k: to_array(own[own.measure == v]) / years for k, v in MIGRATION_MEASURES.items()
            }
            lagged = sum(shifted(stock(src.lulea_pop, code, y - 1)) for y in MIGRATION_YEARS)
            lagged = lagged / years
            rates = {
                k: np.divide(counts[k], lagged, out=np.zeros_like(lagged), where=lagged > 0)
                for k in ("emigrants", "domestic_out")
            }
            status = "official"
        elif code in yearly:
            stocks = [stock(src.lulea_pop, code, y) for y in range(MIGRATION_YEARS[0] - 1, 2025)]
            death_prob = np.minimum(q * mortality.loc[code].to_numpy()[:, None], 1.0)
            net = residual_net_migration(stocks, death_prob)
            inflow, out_total = gross_from_net(
                net, out_shape, row.in_migrants, shifted(s2024[code])
            )
            counts = {"immigrants": inflow * imm_share, "domestic_in": inflow * (1 - imm_share)}
            rates = {
                "emigrants": out_total * emi_share,
                "domestic_out": out_total * (1 - emi_share),
            }
            status = "derived"
        else:
            inflow = row.in_migrants * prof["in_migrants"] / prof["in_migrants"].sum()
            out_total = rate_for(row.out_migrants, out_shape, shifted(s2024[code]))
            counts = {"immigrants": inflow * imm_share, "domestic_in": inflow * (1 - imm_share)}
            rates = {
                "emigrants": out_total * emi_share,
                "domestic_out": out_total * (1 - emi_share),
            }
            status = "derived"
        columns[code] = (counts["immigrants"], counts["domestic_in"], *rates.values(), status)
    columns[REST] = rest_of_sweden_migration(src, s2024, columns, prof)
    frames = []
    for code, (imm, dom_in, emi_rate, dom_rate, status) in sorted(columns.items()):
        for i, sex in enumerate(SEXES):
            frames.append(
                pd.DataFrame(
                    {
                        "region_code": code,
                        "sex": sex,
                        "age": AGES,
                        "immigrants": imm[i],
                        "domestic_in": dom_in[i],
                        "emigration_rate": emi_rate[i],
                        "domestic_out_rate": dom_rate[i],
                        "status": status,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def rest_of_sweden_migration(src, s2024, columns: dict, prof: dict) -> tuple:
    """Migration of the rest of Sweden, so that national totals and domestic moves balance.

    International: Riket's published immigrants and emigrants 2024 less the 44 modelled
    municipalities', in Luleå-area age shapes. Domestic out-migration: the Luleå-area rate
    schedule (no national figure in the facts). Domestic in-migration: all domestic movers of
    the base year (every unit's rate × exposure) less those moving into the 44 municipalities.
    """
    imm_pub = src.published("in_from_abroad")[("00", BASE_YEAR)]
    emi_pub = src.published("out_to_abroad")[("00", BASE_YEAR)]
    rest = s2024[REST]
    exposure = shifted(rest)
    north_imm = sum(c[0] for c in columns.values()).sum()
    north_emi = sum((c[2] * shifted(s2024[k])).sum() for k, c in columns.items())
    imm_shape = prof["immigrants"] / prof["immigrants"].sum()
    immigrants = (imm_pub - north_imm) * imm_shape
    emigration = rate_for(emi_pub - north_emi, prof["emigration_rate"], exposure)
    domestic_rate = prof["domestic_out_rate"]
    movers = domestic_rate * exposure + sum(c[3] * shifted(s2024[k]) for k, c in columns.items())
    domestic_in = movers - sum(c[1] for c in columns.values())
    if (domestic_in < 0).any():
        raise ValueError("rest of Sweden: fewer domestic movers than in-migrants to the north")
    return immigrants, domestic_in, emigration, domestic_rate, "derived"


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
