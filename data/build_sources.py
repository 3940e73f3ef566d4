"""The official tables and constants the demographic and migration derivations share."""

from __future__ import annotations

import numpy as np
import pandas as pd
from build_common import read_official

from forecast.demography import to_array

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


def county_of(code: str) -> str:
    return code[:2]
