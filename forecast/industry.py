"""Industry demand: damped trends of employment in the trend-driven sectors.

A damped additive-trend exponential smoothing (statsmodels Holt–Winters) on log employment
per NUTS2 region and sector, 2016–2021 (2020, not in the facts, interpolated log-linearly).
Short series: the damping is fixed at DAMPING so a five-year drift fades instead of running on.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from forecast.dims import REGION, SECTOR, YEAR
from forecast.inputs import Inputs

DAMPING = 0.8  # [per year] trend damping φ: assumption (Gardner's typical range 0.8–0.98)
NUTS2_OF_COUNTY = {"22": "SE32", "23": "SE32", "24": "SE33", "25": "SE33"}
NATIONAL = "00"


def fit_trend(history: pd.Series, years: list[int], base_year: int) -> np.ndarray:
    """Employment index (base_year = 1) for `years` from one yearly series [persons]."""
    full = history.reindex(range(int(history.index.min()), int(history.index.max()) + 1))
    log = np.log(full.astype(float)).interpolate()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # AIC of an exact fit: log(0), unused
        model = ExponentialSmoothing(
            log.to_numpy(), trend="add", damped_trend=True, initialization_method="estimated"
        )
        fit = model.fit(damping_trend=DAMPING)
        last = int(full.index.max())
        steps = max(max(years), base_year) - last
        ahead = fit.forecast(steps)
    path = dict(zip(range(last + 1, last + 1 + steps), ahead, strict=True))
    path.update(log.to_dict())
    return np.exp(np.array([path[y] for y in years]) - path[base_year])


_CACHE: dict[tuple[str, tuple[int, ...]], xr.DataArray] = {}


def _trends(inputs: Inputs, years: tuple[int, ...]) -> xr.DataArray:
    """Trend indices for every NUTS2 region and trend sector (cached per data vintage)."""
    key = (inputs.vintage, years)
    if key not in _CACHE:
        _CACHE[key] = _fit_all(inputs, years)
    return _CACHE[key]


def _fit_all(inputs: Inputs, years: tuple[int, ...]) -> xr.DataArray:
    history = inputs.industry_history
    trend = inputs.sectors.index[inputs.sectors.demand_driver == "trend"]
    regions = sorted(history.region_code.unique())
    values = np.ones((len(regions), len(trend), len(years)))
    for i, region in enumerate(regions):
        for j, sector in enumerate(trend):
            rows = history[(history.region_code == region) & (history.sector == sector)]
            series = rows.set_index(YEAR).employed
            values[i, j] = fit_trend(series, list(years), inputs.base_year)
    return xr.DataArray(
        values,
        coords={"nuts2": regions, SECTOR: list(trend), YEAR: list(years)},
        dims=["nuts2", SECTOR, YEAR],
        attrs={"units": "index, base year = 1"},
    )


def nuts2_of(inputs: Inputs, unit: str) -> str:
    """The NUTS2 region whose trend a projection unit follows (the rest of Sweden: Riket's)."""
    county = inputs.regions.loc[unit, "parent"]
    return NUTS2_OF_COUNTY.get(str(county), NATIONAL)


def trend_index(inputs: Inputs, units: list[str], years: list[int]) -> xr.DataArray:
    """Employment index of the trend sectors (year, region, sector) [base year = 1]."""
    trends = _trends(inputs, tuple(years))
    picked = trends.sel(nuts2=[nuts2_of(inputs, u) for u in units])
    return (
        picked.rename(nuts2=REGION).assign_coords({REGION: units}).transpose(YEAR, REGION, SECTOR)
    )
