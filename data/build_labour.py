"""Derive the labour-market inputs: sectors, their shares of the employed, employment rates
by age and sex, hours, and the exit hazard behind replacement demand.

Every figure is either read from data/official/ or marked `assumption` with its reason;
data/SOURCES.md explains each derivation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from build_common import AGES, SEXES, read_official
from build_industry import industry_history
from build_welfare import cost_per_user, higher_education_share, service_use
from scipy.optimize import fsolve

from forecast.sector_map import (
    CARE,
    CARE_GROUP,
    EDUCATION_GROUP,
    SCHOOLS,
    SECTORS,
    sector_values,
    welfare_split,
)

RAMS_BASIS = "nattbefolkning 20-64"
FULL_TIME_HOURS = 40.0  # Arbetstidslagen's normal working week [hours_per_week]
PART_TIME_HOURS = 30.0  # assumption: no published average for part-timers in the facts
TARGET_EXIT_AGE = 64.2  # Pensionsmyndigheten: average age of exit from the labour force 2021–22
EXIT_SPREAD = 2.0  # [years] logistic scale of the exit hazard: assumption
EXIT_FROM_AGE, LAST_WORKING_AGE = 50, 74


def _group_shares(emp: pd.DataFrame, region: str, year: int | None) -> tuple[pd.Series, str, str]:
    """RAMS shares of the 16 industry groups; unpublished groups in Riket 2020 proportions."""
    nat = emp[(emp.region_code == "00") & (emp.year == 2020)].set_index("industry").employed
    nat_groups = nat.drop("Förvärvsarbetande totalt")
    if year is None:
        own, total = pd.Series(dtype=float), 1.0
        method = "no county industry table in the facts: Riket 2020 shares"
    else:
        r = emp[(emp.region_code == region) & (emp.year == year)].set_index("industry")
        total = r.employed["Förvärvsarbetande totalt"]
        own = r.employed.drop("Förvärvsarbetande totalt") / total
        method = (
            f"RAMS {year} own shares for {len(own)} of {len(nat_groups)} industry groups, "
            "remainder in Riket 2020 proportions"
        )
    missing = nat_groups.drop(own.index)
    share = pd.concat([own, missing / missing.sum() * (1 - own.sum())])
    share /= share.sum()  # published groups are rounded: renormalise to 1
    return share, ("official" if len(missing) == 0 else "derived"), method


def sector_shares(population: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Share of employed persons by sector for every region and projection unit.

    Industry groups come from the county's RAMS table (20–64, 2020 or 2015); care and
    education are split into welfare sectors by each region's own users (build_welfare).
    """
    emp = read_official("employment_by_industry")
    emp = emp[emp.basis.str.startswith(RAMS_BASIS) & (emp.sex == "totalt")]
    rams_years = {"00": 2020, "22": None, "23": 2020, "24": 2020, "25": 2015}
    use = service_use()
    use_of = use.pivot(index="sector", columns="age", values="users_per_person")
    by_age = population.groupby(["region_code", "age"]).population.sum().unstack("age")
    by_age.loc["00"] = by_age.sum()
    unit_cost = cost_per_user(use, by_age.loc["00"].to_numpy(float))
    education_riket = emp[
        (emp.region_code == "00") & (emp.year == 2020) & (emp.industry == EDUCATION_GROUP)
    ].employed.iloc[0]
    higher = higher_education_share(float(education_riket))
    rows = []
    codes = ["00", *regions.index[regions.level.isin(["county", "municipality", "rest"])]]
    for code in codes:
        level = regions.loc[code, "level"]
        owner = code if level in ("country", "county") else regions.loc[code, "parent"]
        members = regions.index[regions.parent == code] if level == "county" else [code]
        ages = by_age.loc[list(members)].sum() if code != "00" else by_age.loc["00"]
        users = {s: float((use_of.loc[s].to_numpy() * ages.to_numpy()).sum()) for s in unit_cost}
        care, education = welfare_split(users, unit_cost, higher)
        groups, status, method = _group_shares(emp, owner, rams_years[owner])
        values = sector_values(groups, care, education)
        for sector, _, _, _, industries, _ in SECTORS:
            if industries == [CARE_GROUP]:
                how = method + "; care split by users × Kolada cost per user (build_welfare)"
            elif industries == [EDUCATION_GROUP]:
                how = method + "; education split by users × Kolada cost per user, UKÄ"
            else:
                how = method
            status_of = status if sector not in CARE + SCHOOLS else "derived"
            rows.append((code, sector, values[sector], status_of, how))
    return pd.DataFrame(rows, columns=["region_code", "sector", "share", "status", "method"])


def sectors_table() -> pd.DataFrame:
    """Sector list with labels, demand driver and part-time shares (SKR, LO/AKU)."""
    staff = read_official("public_sector_staff")
    hrs = read_official("retirement_and_hours")

    def full_time(year: str, employer: str, area: str, measure: str) -> float:
        rows = staff[
            (staff.year == year)
            & (staff.employer == employer)
            & (staff.area == area)
            & (staff.measure == measure)
        ]
        return float(rows.value.iloc[0])

    kommun = full_time("2022", "kommun", "alla verksamheter", "andel_heltidsarbetande")
    region = full_time("2022", "region", "alla verksamheter", "andel_heltidsarbetande")
    rise = kommun - full_time("2014", "kommun", "alla verksamheter", "andel_heltidsarbetande")
    median = "median_andel_heltidsarbetande_bland_kommuner"
    care_2014 = full_time("2014", "kommun", "omsorg om äldre och funktionshindrade", median)
    upper_2014 = full_time("2014", "kommun", "gymnasieskola och komvux", median)
    lo = hrs[hrs.measure.str.startswith("andel_deltid_")].value.astype(float)
    rising = "plus the rise of all municipal staff 2014–2022 (SKR)"
    full_time_of = {
        "elderly_care": (
            care_2014 + rise,
            f"SKR 2014 median in elderly and disability care {rising}",
        ),
        "disability_support": (
            care_2014 + rise,
            f"SKR 2014 median in elderly and disability care {rising}",
        ),
        "upper_secondary_school": (
            upper_2014 + rise,
            f"SKR 2014 median in upper-secondary {rising}",
        ),
        "health_care": (region, "SKR: share of region staff working full time 2022"),
    }
    rows = []
    for sector, group, sv, en, industries, driver in SECTORS:
        if sector in full_time_of:
            share, how = full_time_of[sector]
            pt = 1 - share / 100
        elif group == "welfare" or sector in ("public_admin", "other_education"):
            pt, how = 1 - kommun / 100, "SKR: share of municipal staff working full time 2022"
        else:
            pt = lo.mean() / 100
            how = "LO/AKU 2019: mean part-time share of men and women, blue- and white-collar"
        rows.append((sector, group, sv, en, "; ".join(industries), driver, pt, how))
    return pd.DataFrame(
        rows,
        columns=[
            "sector",
            "group",
            "label_sv",
            "label_en",
            "industries",
            "demand_driver",
            "part_time_share",
            "part_time_method",
        ],
    )


def _both_sexes_profile() -> tuple[np.ndarray, np.ndarray, float]:
    """Employment rate by single age, both sexes, as published: RAMS 2023 (16–64) and
    AKU 2023 (65–74); with the AKU 65–74 rate [share]."""
    rates = read_official("employment_rates")
    pop = read_official("scb_lulea_population_age_sex")
    pop = pop[(pop.year == 2023) & (pop.measure == "population_dec31")]
    fi = rates[
        (rates.measure == "forvarvsintensitet_procent")
        & (rates.year == "2023")
        & (rates.age_group != "20-64")
    ]
    rate = np.zeros(101)
    method = np.full(101, "outside the labour model's ages 16–74", dtype=object)
    for group, rows in fi.groupby("age_group"):
        lo, hi = (int(x) for x in group.split("-"))
        weights = [
            pop[(pop.region_code == r) & pop.age.between(lo, hi)].value.sum()
            for r in rows.region_code
        ]
        rate[lo : hi + 1] = np.average(rows.value, weights=weights) / 100
        method[lo : hi + 1] = "RAMS 2023, four Norrbotten municipalities, population-weighted"
    aku = rates[
        (rates.region_code == "00")
        & (rates.year == "2023")
        & (rates.age_group == "65-74")
        & (rates.measure == "sysselsattningsgrad_procent_AKU")
    ].value.iloc[0]
    rate[65:75] = aku / 100
    method[65:75] = "AKU 2023 Riket, ages 65–74"
    return rate, method, aku / 100


def employment_rates() -> pd.DataFrame:
    """Employment rate by single age and sex.

    From 50 the rate follows survival in work under the exit hazard, so the stock of older
    workers and the exits from it agree. The both-sexes profile is scaled, per broad age
    group, by each sex's rate relative to both sexes in the Luleå functional area 2024 (SCB
    BAS employed by workplace ÷ population).
    """
    rate, method, aku = _both_sexes_profile()
    _, survival, how = _exit_curve(rate[EXIT_FROM_AGE - 1], aku)
    older = slice(EXIT_FROM_AGE, LAST_WORKING_AGE + 1)
    rate[older] = rate[EXIT_FROM_AGE - 1] * survival[older]
    method[older] = f"rate at {EXIT_FROM_AGE - 1} × survival in work ({how})"
    emp = read_official("scb_employment_workplace_age_sex")
    pop = read_official("scb_lulea_population_age_sex")
    area = emp.region_code.unique()
    pop = pop[(pop.year == 2024) & (pop.measure == "population_dec31")]
    pop = pop[pop.region_code.isin(area)]
    rows = []
    for sex in SEXES:
        factor = np.ones(101)
        for group in ("15-24", "25-54", "55-74"):
            lo, hi = (int(x) for x in group.split("-"))
            at = emp[(emp.year == 2024) & (emp.age_group == group)]
            inside = pop.age.between(lo, hi)
            own = at[at.sex == sex].value.sum() / pop[inside & (pop.sex == sex)].value.sum()
            both = at[at.sex.isin(SEXES)].value.sum() / pop[inside].value.sum()
            factor[max(lo, 16) : hi + 1] = own / both
        rows.append(
            pd.DataFrame(
                {
                    "age": AGES,
                    "sex": sex,
                    "employment_rate": (rate * factor).clip(max=1.0),
                    "method": [
                        f"{m}; × {sex} ÷ both sexes, Luleå area 2024 (BAS)" if r > 0 else m
                        for m, r in zip(method, rate, strict=True)
                    ],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _exit_curve(level: float, aku_65_74: float) -> tuple[np.ndarray, np.ndarray, str]:
    """Exit hazard and survival in work by age from EXIT_FROM_AGE, logistic in age.

    Its midpoint and scale are solved so that (1) workers in work at 50 leave at
    Pensionsmyndigheten's average exit age (64.2) and (2) `level` × survival averages AKU's
    employment rate over 65–74; everyone has left by LAST_WORKING_AGE + 1.
    """
    ages = np.arange(EXIT_FROM_AGE, LAST_WORKING_AGE + 1)

    def curve(midpoint: float, scale: float) -> tuple[np.ndarray, np.ndarray]:
        h = 1 / (1 + np.exp(-(ages - midpoint) / scale))
        h[-1] = 1.0
        return h, np.cumprod(np.r_[1.0, 1 - h[:-1]])

    def misfit(p: np.ndarray) -> list[float]:
        h, still = curve(*p)
        exit_age = float(((ages + 0.5) * still * h).sum())
        return [exit_age - TARGET_EXIT_AGE, level * still[ages >= 65].mean() - aku_65_74]

    midpoint, scale = fsolve(misfit, [66.0, 2.0])
    h, still = curve(midpoint, scale)
    hazard, survival = np.zeros(101), np.zeros(101)
    hazard[ages], hazard[LAST_WORKING_AGE + 1 :] = h, 1.0
    survival[:EXIT_FROM_AGE], survival[ages] = 1.0, still
    method = (
        f"logistic exit hazard from {EXIT_FROM_AGE}: midpoint {midpoint:.2f}, scale "
        f"{scale:.2f}, solved for mean exit age {TARGET_EXIT_AGE} (Pensionsmyndigheten "
        f"2021–22) and AKU 2023 employment {aku_65_74:.0%} at 65–74"
    )
    return hazard, survival, method


def exit_hazard() -> pd.DataFrame:
    """Yearly probability that a worker aged a leaves work (retirement or disability)."""
    rate, _, aku = _both_sexes_profile()
    hazard, _, method = _exit_curve(rate[EXIT_FROM_AGE - 1], aku)
    return pd.DataFrame({"age": AGES, "exit_hazard": hazard, "method": method})


def build_labour(population: pd.DataFrame, regions: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """All labour derived tables, keyed by file name."""
    constants = pd.DataFrame(
        [
            (
                "full_time_hours",
                FULL_TIME_HOURS,
                "hours_per_week",
                "official",
                "Arbetstidslagen: normal working week of 40 hours",
            ),
            (
                "part_time_hours",
                PART_TIME_HOURS,
                "hours_per_week",
                "assumption",
                "average contracted hours of part-timers; not in the facts",
            ),
        ],
        columns=["name", "value", "unit", "status", "method"],
    )
    return {
        "sectors.csv": sectors_table(),
        "sector_shares.csv": sector_shares(population, regions.set_index("region_code")),
        "employment_rates.csv": employment_rates(),
        "service_use.csv": service_use(),
        "exit_hazard.csv": exit_hazard(),
        "industry_history.csv": industry_history(),
        "labour_constants.csv": constants,
    }
