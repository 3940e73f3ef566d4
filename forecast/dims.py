"""Dimension names, coordinates and units shared by every model (see DESIGN.md, Conventions)."""

from __future__ import annotations

import numpy as np

SCENARIO = "scenario"
DRAW = "draw"
YEAR = "year"
REGION = "region"
SEX = "sex"
AGE = "age"
SECTOR = "sector"

SEXES: tuple[str, str] = ("female", "male")
# The welfare sectors (SKR's staffing method; data/derived/sectors.csv group "welfare"), in order
WELFARE_SECTORS: tuple[str, ...] = (
    "elderly_care",
    "health_care",
    "preschool",
    "compulsory_school",
    "upper_secondary_school",
    "individual_family_care",
    "disability_support",
)
MAX_AGE = 100  # 100 is the open group 100+
AGES = np.arange(MAX_AGE + 1)

PERSONS = "persons"
FTE = "fte"
HOURS_PER_WEEK = "hours_per_week"
PER_PERSON = "per person and year"
SHARE = "share"
