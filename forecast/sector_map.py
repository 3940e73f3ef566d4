"""The model's 14 sectors as SCB industry groups, and the split of care and education into the
welfare sectors: shared by the data build (data/build_labour.py, data/build_welfare.py) and
the build from fetched SCB tables (forecast/scb_labour.py), so both map industries the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

CARE_GROUP = "Vård och omsorg; sociala tjänster"
EDUCATION_GROUP = "Utbildning och forskning"
# id, group, Swedish label, English label, RAMS industry groups, demand driver
SECTORS = [
    ("elderly_care", "welfare", "Äldreomsorg", "Elderly care", [CARE_GROUP], "users"),
    ("health_care", "welfare", "Hälso- och sjukvård", "Health care", [CARE_GROUP], "users"),
    ("preschool", "welfare", "Förskola", "Preschool", [EDUCATION_GROUP], "users"),
    (
        "compulsory_school",
        "welfare",
        "Grundskola, förskoleklass och fritidshem",
        "Compulsory school and leisure-time centres",
        [EDUCATION_GROUP],
        "users",
    ),
    (
        "upper_secondary_school",
        "welfare",
        "Gymnasieskola",
        "Upper-secondary school",
        [EDUCATION_GROUP],
        "users",
    ),
    (
        "individual_family_care",
        "welfare",
        "Individ- och familjeomsorg",
        "Individual and family care",
        [CARE_GROUP],
        "users",
    ),
    (
        "disability_support",
        "welfare",
        "Stöd till personer med funktionsnedsättning (LSS)",
        "Disability support (LSS)",
        [CARE_GROUP],
        "users",
    ),
    (
        "agriculture",
        "other",
        "Jord- och skogsbruk",
        "Agriculture and forestry",
        ["Jordbruk, skogsbruk och fiske"],
        "trend",
    ),
    (
        "industry",
        "other",
        "Industri, gruvor och energi",
        "Manufacturing, mining and energy",
        ["Tillverkning och utvinning", "Energiförsörjning; miljöverksamhet"],
        "trend",
    ),
    ("construction", "other", "Bygg", "Construction", ["Byggverksamhet"], "trend"),
    (
        "trade_transport",
        "other",
        "Handel, transport, hotell och restaurang",
        "Trade, transport and hospitality",
        ["Handel", "Transport och magasinering", "Hotell- och restaurangverksamhet"],
        "trend",
    ),
    (
        "business_services",
        "other",
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
        "constant",
    ),
    (
        "public_admin",
        "other",
        "Offentlig förvaltning",
        "Public administration",
        ["Offentlig förvaltning och försvar"],
        "users",
    ),
    (
        "other_education",
        "other",
        "Högskola och forskning",
        "Higher education and research",
        [EDUCATION_GROUP],
        "constant",
    ),
]
# SNI 2007 section → RAMS industry group (SCB's aggregation of the sections into the 16
# groups of the RAMS tables; "unknown" is SNI 00, activity not known). Consistent with
# data/build_industry.py (agriculture A, industry B–E, construction F, trade G).
SNI_GROUPS = {
    "A": "Jordbruk, skogsbruk och fiske",
    "B": "Tillverkning och utvinning",
    "C": "Tillverkning och utvinning",
    "D": "Energiförsörjning; miljöverksamhet",
    "E": "Energiförsörjning; miljöverksamhet",
    "F": "Byggverksamhet",
    "G": "Handel",
    "H": "Transport och magasinering",
    "I": "Hotell- och restaurangverksamhet",
    "J": "Information och kommunikation",
    "K": "Finans- och försäkringsverksamhet",
    "L": "Fastighetsverksamhet",
    "M": "Företagstjänster",
    "N": "Företagstjänster",
    "O": "Offentlig förvaltning och försvar",
    "P": EDUCATION_GROUP,
    "Q": CARE_GROUP,
    "R": "Personliga och kulturella tjänster",
    "S": "Personliga och kulturella tjänster",
    "T": "Personliga och kulturella tjänster",
    "U": "Personliga och kulturella tjänster",
    "unknown": "Okänd verksamhet",
}

CARE = ("elderly_care", "health_care", "individual_family_care", "disability_support")
SCHOOLS = ("preschool", "compulsory_school", "upper_secondary_school")
# health care's part of the care industry: AKU 2019 employees of regions / employees in care
HEALTH_SHARE_OF_CARE = 264300 / 714100


def welfare_split(
    users: Mapping[str, float], unit_cost: Mapping[str, float], higher_education: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Shares of the care and of the education industry by sector for one region.

    Health care keeps its national share of care; the rest of care and the schools' part of
    education follow cost per user × the region's users; universities keep their national
    share (other_education).
    """
    weight = {s: unit_cost[s] * users[s] for s in unit_cost}
    social = sum(weight[s] for s in CARE if s != "health_care")
    care = {"health_care": HEALTH_SHARE_OF_CARE}
    for s in CARE[:1] + CARE[2:]:
        care[s] = (1 - HEALTH_SHARE_OF_CARE) * weight[s] / social
    schools = sum(weight[s] for s in SCHOOLS)
    education = {s: (1 - higher_education) * weight[s] / schools for s in SCHOOLS}
    education["other_education"] = higher_education
    return care, education


def sector_values(
    groups: Mapping[str, float], care: Mapping[str, float], education: Mapping[str, float]
) -> dict[str, float]:
    """Each sector's value (share or count) from its industry groups' values, care and
    education split by `care` and `education` (welfare_split)."""
    out = {}
    for sector, _, _, _, industries, _ in SECTORS:
        if industries == [CARE_GROUP]:
            out[sector] = groups[CARE_GROUP] * care[sector]
        elif industries == [EDUCATION_GROUP]:
            out[sector] = groups[EDUCATION_GROUP] * education[sector]
        else:
            out[sector] = sum(groups[g] for g in industries)
    return out
