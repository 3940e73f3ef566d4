"""Welfare sectors: who uses each service by age, and the cost per user behind the split of
the care and education industries into the seven welfare sectors (forecast/sector_map.py).

Every figure is read from data/official/ (Socialstyrelsen, SCB, Kolada, UKÄ, AKU) or marked
`assumption` with its reason; data/SOURCES.md explains each derivation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from build_common import AGES, read_official

LSS_BANDS = ((0, 6), (7, 12), (13, 22), (23, 64), (65, None))


def _cost(costs: pd.DataFrame, activity: str) -> float:
    return float(costs[costs.activity == activity].value.iloc[0])


def elderly_care_use() -> np.ndarray:
    """Share of each age with elderly care [users per person], by published age band."""
    rows = read_official("welfare_use_by_age")
    rows = rows[
        (rows.service == "elderly_care")
        & (rows.region_code == "0180")
        & (rows.year == "2018-01")
        & (rows.sex == "total")
        & (rows.measure == "share_with_any_elderly_care")
    ]
    use = np.zeros(101)
    for row in rows.itertuples():
        if row.age_from == 65 and pd.isna(row.age_to):
            continue  # the 65+ total, not a band
        hi = 100 if pd.isna(row.age_to) else int(row.age_to)
        use[int(row.age_from) : hi + 1] = row.value / 100
    return use


def disability_use() -> np.ndarray:
    """Persons with LSS support per inhabitant by age [users per person], Riket 2021."""
    rows = read_official("welfare_use_by_age")
    rows = rows[
        (rows.service == "disability_support")
        & (rows.region_code == "00")
        & (rows.year == "2021")
        & rows.measure.str.startswith("persons_with_lss_support_per_10000_personkrets_")
    ]
    use = np.zeros(101)
    for lo, hi in LSS_BANDS:  # the page also has overlapping bands: use this partition
        band = rows[
            (rows.age_from == lo) & ((rows.age_to == hi) | (hi is None and rows.age_to.isna()))
        ]
        use[lo : (hi or 100) + 1] = band.value.sum() / 2 / 10000  # mean of women and men
    return use


def service_use() -> pd.DataFrame:
    """Users per inhabitant by single age for every sector whose demand follows its users.

    Schools count cost-weighted pupils (a preschool-class pupil weighs 62 719 / 115 373 of a
    compulsory-school pupil), so one driver covers preschool class, school and leisure centres.
    """
    costs = read_official("welfare_costs")
    use: dict[str, np.ndarray] = {}
    how: dict[str, str] = {}
    use["elderly_care"] = elderly_care_use()
    how["elderly_care"] = (
        "share with any elderly care by five-year band, Stockholm city January 2018 (the "
        "only single-band profile found); 90+ one band"
    )
    use["health_care"] = np.ones(101)
    how["health_care"] = "equal use per inhabitant: no health-care use by age in the facts (gap)"
    p = np.zeros(101)
    p[1:4], p[4:6] = 0.780, 0.943
    use["preschool"] = p
    how["preschool"] = "SCB: enrolled 1–3 78.0 %, 4–5 94.3 % (2019)"
    school = _cost(costs, "compulsory_school")
    c = np.zeros(101)
    c[6] = 0.979 * _cost(costs, "preschool_class") / school
    c[7:16] = 1.0
    leisure = _cost(costs, "leisure_time_centre") / school
    c[6:10] += 0.74 * leisure
    c[10:13] += 0.17 * leisure
    use["compulsory_school"] = c
    how["compulsory_school"] = (
        "pupil equivalents: 7–15 compulsory; 6-year-olds in preschool class 97.9 % (2019/20); "
        "leisure-time centres 74 % of 6–9 and 17 % of 10–12 (municipal, 2019); weighted by "
        "Kolada 2017 cost per pupil relative to compulsory school"
    )
    u = np.zeros(101)
    u[16:19] = 1.0
    use["upper_secondary_school"] = u
    how["upper_secondary_school"] = "population 16–18 (no enrolment share in the facts)"
    use["individual_family_care"] = np.ones(101)
    how["individual_family_care"] = "equal use per inhabitant (Kolada reports cost per inhabitant)"
    use["disability_support"] = disability_use()
    how["disability_support"] = (
        "persons with LSS support per inhabitant by age band, Riket 2021 (Socialstyrelsen via "
        "SCB): the three personkretsar summed, mean of women and men"
    )
    use["public_admin"] = np.ones(101)
    how["public_admin"] = "total population"
    rows = [
        pd.DataFrame({"sector": s, "age": AGES, "users_per_person": v, "method": how[s]})
        for s, v in use.items()
    ]
    return pd.concat(rows, ignore_index=True)


def cost_per_user(use: pd.DataFrame, riket: np.ndarray) -> dict[str, float]:
    """Kolada 2017 cost per user [SEK per year] of the care and school sectors.

    Per-inhabitant costs are turned into per-user costs with Riket's base-year population
    by age (`riket`, ages 0–100, both sexes), so a region's cost is cost × its users.
    """
    costs = read_official("welfare_costs")
    users = {
        s: float((use[use.sector == s].users_per_person.to_numpy() * riket).sum())
        for s in use.sector.unique()
    }
    return {
        "elderly_care": _cost(costs, "elderly_care") * riket[65:].sum() / users["elderly_care"],
        "disability_support": _cost(costs, "disability_support")
        * riket[:65].sum()
        / users["disability_support"],
        "individual_family_care": (
            _cost(costs, "individual_family_care") - _cost(costs, "social_assistance")
        )
        * riket.sum()
        / users["individual_family_care"],
        "preschool": _cost(costs, "preschool"),
        "compulsory_school": _cost(costs, "compulsory_school"),
        "upper_secondary_school": _cost(costs, "upper_secondary_school"),
    }


def higher_education_share(rams_education_riket: float) -> float:
    """Universities' part of the RAMS education industry: UKÄ employees 2017 / RAMS 2020."""
    costs = read_official("welfare_costs")
    return _cost(costs, "higher_education") / rams_education_riket
