"""Yearly series models (ARIMA via statsmodels) with simulated future paths.

Used for Lee–Carter's mortality index, log total fertility and log migration levels. Series may
have gaps (NaN years): statsmodels' state-space ARIMA skips missing observations in the Kalman
filter, so a gap counts as the right number of unobserved years.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.arima.model import ARIMA, ARIMAResults

MIN_OBSERVED = 8
DEFAULT_CANDIDATES: tuple[tuple[int, int, int], ...] = ((0, 1, 0), (1, 1, 0), (0, 1, 1))
# statsmodels calls the trend="t" coefficient "x1"; with d=1 it is the yearly drift.
# With trend="c" and d=0 the constant is the series' mean (statsmodels fits ARIMA errors).
_PARAM_NAMES = {"x1": "drift", "const": "mean", "sigma2": "sigma2"}


@dataclass(frozen=True)
class SeriesModel:
    """A fitted yearly ARIMA model: what was chosen, its estimates and the results to simulate."""

    name: str
    order: tuple[int, int, int]
    trend: str
    params: dict[str, float]
    std_errors: dict[str, float]
    aic: float
    first_year: int
    last_year: int
    n_observed: int
    results: ARIMAResults = field(compare=False, repr=False)

    def describe(self) -> str:
        """One-line human summary of the order, estimates (with s.e.) and fitting period."""
        terms = ["without drift"] if self.trend == "n" else []
        for key, value in self.params.items():
            if key != "sigma2":
                label = "with drift" if key == "drift" else key
                terms.append(f"{label} {value:.3g} (s.e. {self.std_errors[key]:.2g})")
        p, d, q = self.order
        return (
            f"{self.name}: ARIMA({p},{d},{q}) {', '.join(terms)}, "
            f"σ {math.sqrt(self.params['sigma2']):.3g}, "
            f"fitted on {self.first_year}–{self.last_year} ({self.n_observed} obs)"
        )


def fit_series(
    name: str,
    years: np.ndarray,
    values: np.ndarray,
    candidates: tuple[tuple[int, int, int], ...] = DEFAULT_CANDIDATES,
    trend: str = "n",
) -> SeriesModel:
    """Fit each candidate ARIMA order by maximum likelihood and keep the one with the lowest AIC.

    NaN values are missing years (kept in the series, leading/trailing ones trimmed). trend="t"
    with d=1 is a drift: statsmodels adds the trend as a regressor t in levels (ARIMA errors);
    trend="c" with d=0 is the mean a stationary series returns to.
    """
    if trend not in ("n", "c", "t"):
        raise ValueError(f"{name}: trend must be 'n', 'c' or 't', not {trend!r}")
    years, values = _trimmed(name, years, values)
    fits = [f for f in (_fit_order(values, order, trend) for order in candidates) if f]
    if not fits:
        raise ValueError(f"{name}: no candidate ARIMA order converged")
    best = min(fits, key=lambda r: r.aic)
    names = [_PARAM_NAMES.get(n, n) for n in best.param_names]
    return SeriesModel(
        name=name,
        order=tuple(best.model.order),
        trend=trend,
        params=dict(zip(names, map(float, best.params), strict=True)),
        std_errors=dict(zip(names, map(float, best.bse), strict=True)),
        aic=float(best.aic),
        first_year=int(years[0]),
        last_year=int(years[-1]),
        n_observed=int(np.count_nonzero(~np.isnan(values))),
        results=best,
    )


def _trimmed(name: str, years: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Check the inputs and drop leading and trailing missing years."""
    years = np.asarray(years, dtype=int)
    values = np.asarray(values, dtype=float)
    if years.shape != values.shape or years.ndim != 1:
        raise ValueError(f"{name}: years and values must be 1-D of equal length")
    if np.any(np.diff(years) != 1):
        raise ValueError(f"{name}: years must be consecutive")
    if np.any(np.isinf(values)):
        raise ValueError(f"{name}: values must be finite or NaN (missing)")
    observed = np.flatnonzero(~np.isnan(values))
    if observed.size < MIN_OBSERVED:
        raise ValueError(
            f"{name}: {observed.size} observed values, at least {MIN_OBSERVED} are needed"
        )
    keep = slice(observed[0], observed[-1] + 1)
    return years[keep], values[keep]


def _fit_order(values: np.ndarray, order: tuple[int, int, int], trend: str) -> ARIMAResults | None:
    """Fit one ARIMA order on a plain array (no date index); None if the optimiser failed."""
    with warnings.catch_warnings():
        # statsmodels falls back to zero starting values for AR/MA terms and says so; harmless.
        warnings.filterwarnings("ignore", message="Non-(stationary|invertible) starting")
        # Non-convergence is detected from mle_retvals below and the candidate is dropped.
        warnings.simplefilter("ignore", ConvergenceWarning)
        # Observed information: for a random walk with drift it gives s.e. exactly σ̂/√n.
        results = ARIMA(values, order=order, trend=trend).fit(cov_type="oim")
    retvals = results.mle_retvals or {}
    return results if retvals.get("converged", True) else None


def simulate(
    model: SeriesModel,
    until_year: int,
    draws: int,
    rng: np.random.Generator,
    parameter_uncertainty: bool = True,
) -> np.ndarray:
    """Simulated values (draws, years last_year+1 … until_year) on the model's own scale.

    Paths start from the end of the data (statsmodels anchor="end", shocks from rng). With
    parameter_uncertainty and a drift, each draw also gets (drift_draw − drift) × h for h = 1, 2, …
    steps ahead, drift_draw ~ N(drift, s.e.²) drawn from rng after the paths.
    """
    steps = _steps(model, until_year)
    sim = model.results.simulate(steps, anchor="end", repetitions=draws, rng=rng)
    paths = np.asarray(sim).reshape(steps, draws).T
    if parameter_uncertainty and "drift" in model.params:
        error = model.std_errors["drift"] * rng.standard_normal(draws)
        paths = paths + np.outer(error, np.arange(1, steps + 1))
    return paths


def central(model: SeriesModel, until_year: int) -> np.ndarray:
    """The point forecast (forecast mean) for years last_year+1 … until_year."""
    return np.asarray(model.results.forecast(_steps(model, until_year)))


def _steps(model: SeriesModel, until_year: int) -> int:
    """Years to forecast after the last observation; at least one."""
    if until_year <= model.last_year:
        raise ValueError(
            f"{model.name}: until_year {until_year} is not after the last observed year "
            f"{model.last_year}"
        )
    return until_year - model.last_year
