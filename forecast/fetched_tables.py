"""The tidy tables fetched from SCB, checked and arranged as (sex, age) arrays by region and
year, for forecast/scb_inputs.py.

Tables (one row per region, year and category; counts never negative): population (31 Dec
stock), births (by age of mother), deaths and migration (by age reached in the year),
employment_industry (by SNI 2007 section), employment_age (by age group); `projection`, SCB's
own projection, may come along but is not used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.dims import AGES, SEXES
from forecast.population import REST_OF_SWEDEN as REST

RIKET = "00"
WINDOW = 5  # reference years behind every rate: the latest five
FERTILE = slice(15, 50)  # mother ages 15–49; SCB's open groups −14 and 49+ at the edges
TABLES = {
    "population": ["region", "year", "sex", "age", "population"],
    "births": ["region", "year", "mother_age", "births"],
    "deaths": ["region", "year", "sex", "age", "deaths"],
    "migration": [
        "region",
        "year",
        "sex",
        "age",
        "immigrants",
        "emigrants",
        "domestic_in",
        "domestic_out",
    ],
    "employment_industry": ["region", "year", "industry", "sex", "employed"],
    "employment_age": ["region", "year", "sex", "age_group", "employed", "population"],
}
COUNTS = {
    "population": ["population"],
    "births": ["births"],
    "deaths": ["deaths"],
    "migration": ["immigrants", "emigrants", "domestic_in", "domestic_out"],
    "employment_industry": ["employed"],
    "employment_age": ["employed", "population"],
}
NEEDS_RIKET = ("population", "births", "deaths", "migration", "employment_industry")
ZERO = np.zeros((len(SEXES), len(AGES)))


def validate_tables(tables: Mapping[str, pd.DataFrame], region: str) -> dict[str, pd.DataFrame]:
    """Checked copies of the tidy tables (region codes text, years and ages whole numbers,
    counts floats); one ValueError naming the table and column for the first problem."""
    region = str(region)
    if not (region.isdigit() and len(region) in (2, 4)) or region == RIKET:
        raise ValueError(f"region must be a county (2 digits) or municipality (4), got {region!r}")
    out = {}
    for name, columns in TABLES.items():
        if name not in tables:
            raise ValueError(f"SCB tables: table {name!r} is missing")
        frame = tables[name]
        for column in columns:
            if column not in frame.columns:
                raise ValueError(f"SCB table {name!r}: column {column!r} is missing")
        frame = frame[columns].copy()
        frame["region"] = frame.region.astype(str)
        for column in ("year", "age", "mother_age"):
            if column in frame:
                frame[column] = _numbers(frame, name, column).astype(int)
        for column in COUNTS[name]:
            frame[column] = _numbers(frame, name, column)
            negative = frame[column] < 0
            if negative.any():
                row = frame[negative].iloc[0]
                raise ValueError(
                    f"SCB table {name!r}: column {column!r} has a negative count "
                    f"({row[column]:g} for region {row.region}, year {row.year})"
                )
        if name in NEEDS_RIKET and not (frame.region == RIKET).any():
            raise ValueError(f"SCB table {name!r}: column 'region' has no Riket ('00') rows")
        out[name] = frame
    years = out["population"].year[out["population"].region == RIKET]
    base = int(years.max())
    needed = set(range(base - WINDOW, base + 1))
    if not needed <= set(years):
        raise ValueError(
            f"SCB table 'population': column 'year' needs every year {base - WINDOW}–{base} "
            f"for the {WINDOW}-year rates, got {int(years.min())}–{base}"
        )
    return out


def _numbers(frame: pd.DataFrame, name: str, column: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce")
    if values.isna().any():
        bad = frame[column][values.isna()].iloc[0]
        raise ValueError(f"SCB table {name!r}: column {column!r} must be numeric, got {bad!r}")
    return values.astype(float)


def _cube(frame: pd.DataFrame, value: str) -> dict[tuple[str, int], np.ndarray]:
    """(region, year) → (sex, age) array of one count column."""
    table = frame.pivot_table(
        index=["region", "year"], columns=["sex", "age"], values=value, aggfunc="sum"
    )
    columns = pd.MultiIndex.from_product([list(SEXES), AGES], names=["sex", "age"])
    values = table.reindex(columns=columns, fill_value=0.0).fillna(0.0).to_numpy(float)
    values = values.reshape(len(table), len(SEXES), len(AGES))
    return {(str(r), int(y)): values[i] for i, (r, y) in enumerate(table.index)}


def _births(frame: pd.DataFrame) -> dict[tuple[str, int], np.ndarray]:
    """(region, year) → births by age of mother; the open ends at 15 and 49, as
    forecast.demography.with_mother_age maps SCB's −14 and 49+."""
    rows = frame.assign(age=frame.mother_age.clip(FERTILE.start, FERTILE.stop - 1))
    table = rows.pivot_table(
        index=["region", "year"], columns="age", values="births", aggfunc="sum"
    )
    values = table.reindex(columns=AGES, fill_value=0.0).fillna(0.0).to_numpy(float)
    return {(str(r), int(y)): values[i] for i, (r, y) in enumerate(table.index)}


@dataclass(frozen=True)
class Fetched:
    """The tidy tables as arrays, with the region's units and years."""

    region: str
    county: str
    municipalities: list[str]
    base_year: int
    window: list[int]  # reference years with a stock the year before
    population: dict
    deaths: dict
    births: dict
    migration: dict[str, dict]
    tables: dict[str, pd.DataFrame]

    def get(self, cube: dict, code: str, year: int) -> np.ndarray:
        """A (sex, age) or (age,) array of a region-year: 00X = Riket less the units, the
        county summed from the units if it was not fetched; zeros where missing."""
        zero = np.zeros_like(next(iter(cube.values())))
        if code == REST:
            rest = cube.get((RIKET, year), zero) - sum(
                cube.get((u, year), zero) for u in self.municipalities
            )
            return np.maximum(rest, 0.0)
        if (code, year) in cube:
            return cube[(code, year)]
        if code == self.county:
            return sum((cube.get((u, year), zero) for u in self.municipalities), zero)
        return zero

    def stock(self, code: str, year: int) -> np.ndarray:
        return self.get(self.population, code, year)

    def years_of(self, cube: dict, code: str = RIKET) -> list[int]:
        """Years with events for the region and a stock the year before."""
        return sorted(y for (r, y) in cube if r == code and (RIKET, y - 1) in self.population)


def fetched(tables: Mapping[str, pd.DataFrame], region: str) -> Fetched:
    """Validate the tables and arrange them by region and year."""
    t = validate_tables(tables, region)
    pop = t["population"]
    base_year = int(pop[pop.region == RIKET].year.max())
    if len(region) == 4:
        municipalities = [region]
    else:
        codes = pop.region.unique()
        municipalities = sorted(c for c in codes if len(c) == 4 and c.startswith(region))
        if not municipalities:
            raise ValueError(
                f"SCB table 'population': column 'region' has no municipality of {region}"
            )
    have = set(pop[pop.year == base_year].region)
    for code in municipalities:
        if code not in have:
            raise ValueError(
                f"SCB table 'population': column 'population' has no {base_year} figures for "
                f"region {code}"
            )
    window = [y for y in range(base_year - WINDOW + 1, base_year + 1) if y - 1 in set(pop.year)]
    if not window:
        raise ValueError("SCB table 'population': column 'year' needs at least two years")
    return Fetched(
        region=region,
        county=region[:2],
        municipalities=municipalities,
        base_year=base_year,
        window=window,
        population=_cube(pop, "population"),
        deaths=_cube(t["deaths"], "deaths"),
        births=_births(t["births"]),
        migration={
            k: _cube(t["migration"], k)
            for k in ("immigrants", "emigrants", "domestic_in", "domestic_out")
        },
        tables=t,
    )
