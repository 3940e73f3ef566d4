"""Back-test measures: projection errors by horizon against naive benchmarks, interval coverage.

Pure and IO-free: arrays in, arrays or tidy frames out. Errors are absolute percentage errors
(APE) of published age-group totals, the figures users compare with SCB/regionfakta.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from forecast.dims import AGE, AGES, REGION, SEX, YEAR

MEASURE = "measure"

AGE_GROUPS: dict[str, tuple[int, int]] = {
    "total": (0, 100),
    "0-15": (0, 15),
    "16-24": (16, 24),
    "25-44": (25, 44),
    "45-64": (45, 64),
    "65+": (65, 100),
}

TABLE_DIMS = (REGION, MEASURE, YEAR)


def by_age_group(population: xr.DataArray) -> xr.DataArray:
    """Sum persons over sex and into the published age groups (new last dim `measure`).

    All single ages 0..100 must be present, so no group is silently undercounted.
    """
    missing = np.setdiff1d(AGES, population[AGE].values)
    if missing.size:
        raise ValueError(f"population lacks ages {missing.tolist()}")
    if SEX in population.dims:
        population = population.sum(SEX, skipna=False)
    ages = population[AGE]
    groups = [
        population.isel({AGE: ((ages >= low) & (ages <= high)).values}).sum(AGE, skipna=False)
        for low, high in AGE_GROUPS.values()
    ]
    grouped = xr.concat(groups, dim=pd.Index(list(AGE_GROUPS), name=MEASURE))
    return grouped.transpose(..., MEASURE)


def _at_year(observed: xr.DataArray, year: int) -> xr.DataArray:
    """The observed values of one year, without the year coordinate; ValueError if absent."""
    if year not in observed[YEAR].values:
        raise ValueError(f"year {year} is not in the observed data")
    return observed.sel({YEAR: year}, drop=True)


def _years(years: Sequence[int]) -> xr.DataArray:
    return xr.DataArray(np.asarray(years), dims=YEAR, coords={YEAR: np.asarray(years)})


def naive_constant(observed: xr.DataArray, base_year: int, years: Sequence[int]) -> xr.DataArray:
    """Benchmark 1: the base-year value held constant for every target year."""
    base = _at_year(observed, base_year)
    return base.expand_dims({YEAR: np.asarray(years)})


def naive_growth(
    observed: xr.DataArray, base_year: int, years: Sequence[int], window: int = 5
) -> xr.DataArray:
    """Benchmark 2: the geometric mean yearly growth over the last `window` years, continued.

    value(t) = value(base) × (value(base) / value(base − window)) ** ((t − base) / window);
    held constant where value(base − window) is 0.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 year, got {window}")
    base = _at_year(observed, base_year)
    earlier = _at_year(observed, base_year - window)
    ratio = xr.where(earlier != 0, base / earlier.where(earlier != 0), 1.0)
    exponent = (_years(years) - base_year) / window
    return (base * ratio**exponent).transpose(YEAR, ...)


def absolute_percentage_error(forecast: xr.DataArray, observed: xr.DataArray) -> xr.DataArray:
    """100 × |forecast − observed| / observed on common coordinates; NaN where observed is 0."""
    forecast, observed = xr.align(forecast, observed, join="inner")
    return 100 * abs(forecast - observed) / abs(observed.where(observed != 0))


def interval_coverage(lower: xr.DataArray, upper: xr.DataArray, observed: xr.DataArray) -> float:
    """Share of observed values with lower ≤ observed ≤ upper, over all cells without NaN."""
    lower, upper, observed = xr.align(lower, upper, observed, join="inner")
    valid = lower.notnull() & upper.notnull() & observed.notnull()
    cells = int(valid.sum())
    if cells == 0:
        raise ValueError("no cell has a lower bound, an upper bound and an observed value")
    inside = (lower <= observed) & (observed <= upper) & valid
    return int(inside.sum()) / cells


def _method_rows(
    method: str, forecast: xr.DataArray, observed: xr.DataArray, base_year: int
) -> pd.DataFrame:
    """Tidy rows of one method: target years after the base year present in both arrays."""
    if set(forecast.dims) != set(TABLE_DIMS):
        raise ValueError(f"forecast {method!r} has dims {forecast.dims}, expected {TABLE_DIMS}")
    forecast, observed = xr.align(
        forecast.reset_coords(drop=True), observed.reset_coords(drop=True), join="inner"
    )
    target = forecast[YEAR] > base_year
    forecast, observed = forecast.sel({YEAR: target}), observed.sel({YEAR: target})
    ds = xr.Dataset(
        {
            "forecast": forecast,
            "observed": observed,
            "ape": absolute_percentage_error(forecast, observed),
        }
    )
    rows = ds.to_dataframe(dim_order=list(TABLE_DIMS)).reset_index()
    return rows.assign(horizon=rows[YEAR] - base_year, method=method)


def error_table(
    forecasts: Mapping[str, xr.DataArray], observed: xr.DataArray, base_year: int
) -> pd.DataFrame:
    """One row per method × region × measure × target year with forecast, observed and APE.

    Arrays have dims (year, region, measure), as `by_age_group` returns without sex and age.
    """
    if not forecasts:
        raise ValueError("no forecasts to evaluate")
    rows = [_method_rows(name, f, observed, base_year) for name, f in forecasts.items()]
    columns = [REGION, MEASURE, YEAR, "horizon", "method", "forecast", "observed", "ape"]
    return pd.concat(rows, ignore_index=True)[columns]


def summary_table(table: pd.DataFrame, by: Sequence[str] = ("horizon",)) -> pd.DataFrame:
    """Median and mean APE per method (columns `median_ape_<method>`, …) for each group of `by`.

    NaN errors (observed 0) are left out; nothing is rounded.
    """
    keys = list(by)
    if not keys:
        raise ValueError("summary_table needs at least one column to group by")
    stats = table.groupby([*keys, "method"])["ape"].agg(["median", "mean"]).unstack("method")
    methods = table["method"].unique()
    wide = pd.DataFrame(
        {f"{stat}_ape_{m}": stats[(stat, m)] for stat in ("median", "mean") for m in methods}
    )
    return wide.reset_index()
