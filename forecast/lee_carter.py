"""Lee–Carter mortality model: log m(x,t) = a_x + b_x k_t, with k_t forecast as a random walk.

Fitted by SVD of the centred log rates, then k_t re-estimated so that each year's expected
deaths equal the observed total (Lee & Carter 1992). Forecasts are rate ratios to a base year,
which the population model applies to its own base-year death rates.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from forecast.timeseries import SeriesModel, central, fit_series, simulate


@dataclass(frozen=True, eq=False)
class LeeCarter:
    """Fitted Lee–Carter parameters: a and b per age, k per year, and k's series model if any."""

    ages: np.ndarray
    years: np.ndarray
    a: np.ndarray
    b: np.ndarray
    k: np.ndarray
    explained: float
    k_model: SeriesModel | None = None


def fit_lee_carter(
    deaths: np.ndarray,
    exposure: np.ndarray,
    ages: np.ndarray,
    years: np.ndarray,
    refit_k: bool = True,
) -> LeeCarter:
    """Fit a_x, b_x (sum 1) and k_t (sum 0) to (age, year) arrays of deaths and person-years.

    With refit_k, k_t is re-estimated per year to reproduce the observed total deaths, and its
    mean moved into a_x (a += b × mean k) so that k still sums to 0.
    """
    deaths = np.asarray(deaths, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    ages = np.asarray(ages)
    years = np.asarray(years)
    if deaths.shape != exposure.shape or deaths.shape != (ages.size, years.size):
        raise ValueError("deaths and exposure must both be shaped (len(ages), len(years))")
    log_m = log_rates(deaths, exposure)
    a = log_m.mean(axis=1)
    u, s, vt = np.linalg.svd(log_m - a[:, None], full_matrices=False)
    scale = u[:, 0].sum()
    b = u[:, 0] / scale
    k = s[0] * vt[0] * scale
    if refit_k:
        k = np.array([_refit_year(a, b, k[t], deaths[:, t], exposure[:, t]) for t in range(k.size)])
        a = a + b * k.mean()
        k = k - k.mean()
    explained = float(s[0] ** 2 / np.sum(s**2))
    return LeeCarter(ages=ages, years=years, a=a, b=b, k=k, explained=explained)


def log_rates(deaths: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """Log central death rates D/E, finite everywhere.

    A cell with no deaths gets half a death, 0.5 / (E + 1), the usual continuity correction.
    A cell with no exposure takes its age's rate pooled over all years (as corrected above).
    """
    if np.any(deaths < 0) or np.any(exposure < 0) or not np.all(np.isfinite(deaths + exposure)):
        raise ValueError("deaths and exposure must be finite and non-negative")
    if np.any((exposure == 0) & (deaths > 0)):
        raise ValueError("a cell has deaths but no exposure")
    if np.any(exposure.sum(axis=1) == 0):
        raise ValueError("an age has no exposure in any year")
    pooled = _corrected(deaths.sum(axis=1), exposure.sum(axis=1))
    return np.log(np.where(exposure > 0, _corrected(deaths, exposure), pooled[:, None]))


def _corrected(deaths: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """D/E where there are deaths, 0.5/(E + 1) where there are none."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(deaths > 0, deaths / exposure, 0.5 / (exposure + 1))


def _refit_year(
    a: np.ndarray, b: np.ndarray, k0: float, deaths: np.ndarray, exposure: np.ndarray
) -> float:
    """The k at which Σ_x E exp(a + b k) equals the year's observed deaths, searched around k0."""
    total = deaths.sum()
    if total <= 0:
        raise ValueError("a year has no deaths: its k cannot be re-estimated")

    def excess(k: float) -> float:
        return float(np.sum(exposure * np.exp(a + b * k)) - total)

    step = 1.0
    while excess(k0 - step) * excess(k0 + step) > 0:
        step *= 2
        if step > 1e6:
            raise ValueError("no k reproduces the year's deaths")
    return brentq(excess, k0 - step, k0 + step, xtol=1e-12)


def forecast_index(lc: LeeCarter) -> LeeCarter:
    """A copy of lc with k_t fitted as a random walk with drift (ARIMA(0,1,0), trend "t")."""
    model = fit_series("k", lc.years, lc.k, candidates=((0, 1, 0),), trend="t")
    return dataclasses.replace(lc, k_model=model)


def rate_ratios(
    lc: LeeCarter, base_year: int, years: np.ndarray, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Simulated m(x,t)/m(x,base_year) = exp(b_x (k_t − k_base)), shaped (draws, years, ages).

    k is the fitted index up to the last data year and each draw's simulated path after it, so a
    base year after the data takes the path's own value.
    """
    until = max(int(np.max(years)), base_year)
    k = np.broadcast_to(lc.k, (draws, lc.k.size))
    if until > lc.years[-1]:
        k = np.hstack([k, simulate(_k_model(lc), until, draws, rng)])
    return _ratios(lc, k, base_year, years)


def central_rate_ratios(lc: LeeCarter, base_year: int, years: np.ndarray) -> np.ndarray:
    """Rate ratios along the central forecast of k (the drift line), shaped (years, ages)."""
    until = max(int(np.max(years)), base_year)
    k = lc.k
    if until > lc.years[-1]:
        k = np.concatenate([k, central(_k_model(lc), until)])
    return _ratios(lc, k[None, :], base_year, years)[0]


def _k_model(lc: LeeCarter) -> SeriesModel:
    """The index's series model, which forecast_index must have set."""
    if lc.k_model is None:
        raise ValueError("k has no series model: call forecast_index first")
    return lc.k_model


def _ratios(lc: LeeCarter, k: np.ndarray, base_year: int, years: np.ndarray) -> np.ndarray:
    """exp(b_x (k_t − k_base)) from k paths (draws, years from the first data year on)."""
    years = np.asarray(years)
    if base_year < lc.years[0] or np.any(years <= base_year):
        raise ValueError("base_year must be within or after the data, and years after it")
    change = k[:, years - lc.years[0]] - k[:, [base_year - lc.years[0]]]
    return np.exp(change[:, :, None] * lc.b)


def life_expectancy(m: np.ndarray, a0: float = 0.1) -> float:
    """Life expectancy at birth from central death rates by single age, the last age open.

    Deaths fall mid-year (a_x = 0.5) except at age 0, where a0 (default 0.1, typical of low
    infant mortality) is used; q = m / (1 + (1 − a) m) and the open age lives l / m years.
    """
    m = np.asarray(m, dtype=float)
    if m.ndim != 1 or m.size == 0 or not np.all(np.isfinite(m)) or np.any(m <= 0):
        raise ValueError("m must be a non-empty 1-D array of positive finite rates")
    ax = np.full(m.size - 1, 0.5)
    ax[:1] = a0
    q = m[:-1] / (1 + (1 - ax) * m[:-1])
    lx = np.concatenate([[1.0], np.cumprod(1 - q)])
    closed = lx[1:] + ax * q * lx[:-1]
    return float(closed.sum() + lx[-1] / m[-1])
