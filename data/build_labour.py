"""Derive the labour-market inputs (employment rates, sectors, hours, welfare drivers).

Every figure is either read from data/official/ or marked `assumption` with its reason;
data/SOURCES.md explains each derivation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from build_common import AGES, read_official

RAMS_BASIS = "nattbefolkning 20-64"
SECTORS = [  # id, Swedish label, English label, RAMS industry groups
    (
        "agriculture",
        "Jord- och skogsbruk",
        "Agriculture and forestry",
        ["Jordbruk, skogsbruk och fiske"],
    ),
    (
        "industry",
        "Industri och energi",
        "Manufacturing, mining and energy",
        ["Tillverkning och utvinning", "Energiförsörjning; miljöverksamhet"],
    ),
    ("construction", "Bygg", "Construction", ["Byggverksamhet"]),
    (
        "trade_transport",
        "Handel, transport, hotell och restaurang",
        "Trade, transport and hospitality",
        ["Handel", "Transport och magasinering", "Hotell- och restaurangverksamhet"],
    ),
    (
        "business_services",
        "Företagstjänster m.m.",
        "Business and other services",
        [
            "Information och kommunikation",
            "Finans- och försäkringsverksamhet",
            "Fastighetsverksamhet",
            "Företagstjänster",
            "Personliga och kulturella tjänster",
            "Okänd verksamhet",
        ],
    ),
    (
        "public_admin",
        "Offentlig förvaltning",
        "Public administration",
        ["Offentlig förvaltning och försvar"],
    ),
    ("education", "Utbildning", "Education", ["Utbildning och forskning"]),
    ("care", "Vård och omsorg", "Health and social care", ["Vård och omsorg; sociala tjänster"]),
]
FULL_TIME_HOURS = 40.0  # Arbetstidslagen's normal working week [hours_per_week]
PART_TIME_HOURS = 30.0  # assumption: no published average for part-timers in the facts


def sector_shares() -> pd.DataFrame:
    """Share of employed persons (20–64, RAMS 2020 or 2015) by sector for Riket and counties.

    Groups a county publishes keep their own share; the unpublished remainder is split
    in national proportions. Municipalities use their county's shares.
    """
    emp = read_official("employment_by_industry")
    emp = emp[emp.basis.str.startswith(RAMS_BASIS) & (emp.sex == "totalt")]
    group_of = {g: s for s, *_, groups in SECTORS for g in groups}
    nat = emp[(emp.region_code == "00") & (emp.year == 2020)].set_index("industry").employed
    nat_groups = nat.drop("Förvärvsarbetande totalt")
    rows = []
    for region, year in (("00", 2020), ("22", None), ("23", 2020), ("24", 2020), ("25", 2015)):
        if year is None:
            own = pd.Series(dtype=float)
            total = 1.0
            method = "no county industry table in the facts: Riket 2020 shares"
        else:
            r = emp[(emp.region_code == region) & (emp.year == year)].set_index("industry")
            total = r.employed["Förvärvsarbetande totalt"]
            own = r.employed.drop("Förvärvsarbetande totalt") / total
            method = (
                f"RAMS {year} own shares for {len(own)} of {len(nat_groups)} industry "
                "groups, remainder in Riket 2020 proportions"
            )
        missing = nat_groups.drop(own.index)
        share = pd.concat([own, missing / missing.sum() * (1 - own.sum())])
        by_sector = share.groupby(share.index.map(group_of)).sum()
        by_sector /= by_sector.sum()  # published groups are rounded: renormalise to 1
        status = "official" if len(missing) == 0 else "derived"
        for sector, *_ in SECTORS:
            rows.append((region, sector, by_sector[sector], status, method))
    return pd.DataFrame(rows, columns=["region_code", "sector", "share", "status", "method"])


def sectors_table() -> pd.DataFrame:
    """Sector list with labels and part-time shares (SKR 2022 for municipal sectors, LO/AKU)."""
    staff = read_official("public_sector_staff")
    hrs = read_official("retirement_and_hours")
    full_time_kommun = staff[
        (staff.year == "2022")
        & (staff.employer == "kommun")
        & (staff.measure == "andel_heltidsarbetande")
    ].value.iloc[0]
    lo = hrs[hrs.measure.str.startswith("andel_deltid_")].value.astype(float)
    private_pt = lo.mean() / 100
    rows = []
    for sector, sv, en, groups in SECTORS:
        welfare = sector in ("education", "care", "public_admin")
        pt = (100 - full_time_kommun) / 100 if welfare else private_pt
        how = (
            "SKR: share of municipal staff working full time 2022"
            if welfare
            else "LO/AKU 2019: mean part-time share of men and women in blue- and white-collar jobs"
        )
        rows.append((sector, sv, en, "; ".join(groups), pt, how))
    return pd.DataFrame(
        rows,
        columns=[
            "sector",
            "label_sv",
            "label_en",
            "industries",
            "part_time_share",
            "part_time_method",
        ],
    )


def employment_rates() -> pd.DataFrame:
    """Employment rate by single age 0–100 (both sexes), pooled from published age groups.

    16–64: RAMS förvärvsintensitet 2023 for Arjeplog, Arvidsjaur, Boden and Gällivare,
    pooled with their 2023 populations as weights; 65–74: AKU 2023 Riket; other ages 0.
    """
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
    return pd.DataFrame({"age": AGES, "employment_rate": rate, "method": method})


ACTIVITIES = [  # activity, sector, sv, en, share of sector staff, status, method
    (
        "health_care",
        "care",
        "Hälso- och sjukvård",
        "Health care",
        264300 / 714100,
        "derived",
        "AKU 2019: employees of regions / employees in care units",
    ),
    (
        "elderly_care",
        "care",
        "Äldreomsorg m.m.",
        "Elderly and other social care",
        1 - 264300 / 714100,
        "derived",
        "remainder of the care sector (includes LSS and IFO)",
    ),
    (
        "preschool",
        "education",
        "Förskola",
        "Preschool",
        0.30,
        "assumption",
        "no staff split of education in the facts",
    ),
    (
        "compulsory_school",
        "education",
        "Grundskola och fritidshem",
        "Compulsory school",
        0.40,
        "assumption",
        "no staff split of education in the facts",
    ),
    (
        "other_education",
        "education",
        "Gymnasium, vuxen- och högskola",
        "Other education",
        0.30,
        "assumption",
        "no staff split of education in the facts",
    ),
    (
        "public_admin",
        "public_admin",
        "Offentlig förvaltning",
        "Public administration",
        1.0,
        "derived",
        "whole sector, driven by the total population",
    ),
]


def service_use() -> pd.DataFrame:
    """Users per inhabitant by single age for each welfare activity (the SKR driver)."""
    use = {a[0]: np.zeros(101) for a in ACTIVITIES}
    how = {}
    use["health_care"][:] = 1.0
    how["health_care"] = "assumption: equal use per inhabitant (no use by age in the facts)"
    e = use["elderly_care"]
    e[65:75], e[80:95], e[95:] = 0.04, 0.38, 0.94
    e[75:80] = np.sqrt(0.04 * 0.38)
    how["elderly_care"] = (
        "Socialstyrelsen: 65–74 4 % (2017), 80+ 38 % home help or special "
        "housing (2012), 95+ 94 % (2017); 75–79 geometric mean of neighbours"
    )
    p = use["preschool"]
    p[1:4], p[4:6] = 0.780, 0.943
    how["preschool"] = "SCB: enrolled 1–3 78.0 %, 4–5 94.3 % (2019)"
    c = use["compulsory_school"]
    c[6], c[7:16] = 0.979, 1.0
    how["compulsory_school"] = "6-year-olds in preschool class 97.9 % (2019/20); 7–15 compulsory"
    use["other_education"][16:25] = 1.0
    how["other_education"] = "assumption: population 16–24"
    use["public_admin"][:] = 1.0
    how["public_admin"] = "total population"
    rows = [
        pd.DataFrame({"activity": a, "age": AGES, "users_per_person": v, "method": how[a]})
        for a, v in use.items()
    ]
    return pd.concat(rows, ignore_index=True)


def build_labour() -> dict[str, pd.DataFrame]:
    """All labour derived tables, keyed by file name."""
    activities = pd.DataFrame(
        ACTIVITIES,
        columns=[
            "activity",
            "sector",
            "label_sv",
            "label_en",
            "share_of_sector",
            "status",
            "method",
        ],
    )
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
        "sector_shares.csv": sector_shares(),
        "employment_rates.csv": employment_rates(),
        "welfare_activities.csv": activities,
        "service_use.csv": service_use(),
        "labour_constants.csv": constants,
    }
