"""Headline series of a Result: population age groups and sector totals, for CLI and reports."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from forecast.dims import AGE, SECTOR, SEX, YEAR

AGE_GROUPS = {
    "total": (0, 100),
    "0-19": (0, 19),
    "20-66": (20, 66),
    "67+": (67, 100),
    "80+": (80, 100),
    "85+": (85, 100),
}
SECTOR_VARIABLES = ("supply_fte", "demand_fte", "gap_fte", "retirements", "recruitment_need")


def population_groups(ds: xr.Dataset) -> pd.DataFrame:
    """Population by headline age group (rows) and year (columns) [persons]."""
    pop = ds.population.sum(SEX)
    rows = {
        name: pop.sel({AGE: slice(lo, hi)}).sum(AGE).to_series()
        for name, (lo, hi) in AGE_GROUPS.items()
    }
    return pd.DataFrame(rows).T


def sector_table(ds: xr.Dataset, variable: str) -> pd.DataFrame:
    """One variable by sector plus a total row (rows) and year (columns)."""
    table = ds[variable].transpose(SECTOR, YEAR).to_pandas()
    table.loc["total"] = table.sum()
    return table.loc[["total", *table.index[:-1]]]


def summary(ds: xr.Dataset) -> dict:
    """The JSON document of `workforce run --json`: every series aligned with `years`."""

    def series(frame: pd.DataFrame) -> dict[str, list[float]]:
        return {str(k): [round(float(v), 3) for v in row] for k, row in frame.iterrows()}

    doc = {
        "scenario": ds.attrs["scenario"],
        "region": ds.attrs["region"],
        "region_name": ds.attrs["region_name"],
        "seed": int(ds.attrs["seed"]),
        "data_vintage": ds.attrs["data_vintage"],
        "years": [int(y) for y in ds[YEAR]],
        "population": series(population_groups(ds)),
    }
    for variable in SECTOR_VARIABLES:
        doc[variable] = series(sector_table(ds, variable))
    return doc
