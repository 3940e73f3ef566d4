"""Yearly ARIMA series: drift recovery, simulated spread, gaps, order choice, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.timeseries import SeriesModel, central, fit_series, simulate

DRIFT, SIGMA, STEPS = -1.5, 0.8, 60
YEARS = np.arange(1960, 1961 + STEPS)


def _random_walk(seed: int = 11) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 10 + np.concatenate([[0.0], np.cumsum(DRIFT + SIGMA * rng.standard_normal(STEPS))])


def _drift_model(values: np.ndarray | None = None) -> SeriesModel:
    values = _random_walk() if values is None else values
    return fit_series("k", YEARS, values, candidates=((0, 1, 0),), trend="t")


def test_drift_and_its_standard_error_are_recovered():
    model = _drift_model()
    drift, se = model.params["drift"], model.std_errors["drift"]
    assert model.order == (0, 1, 0)
    assert abs(drift - DRIFT) < 3 * se
    assert se == pytest.approx(SIGMA / np.sqrt(STEPS), rel=0.2)
    assert se == pytest.approx(np.sqrt(model.params["sigma2"] / STEPS), rel=0.01)


def test_central_forecast_moves_by_exactly_the_drift():
    values = _random_walk()
    model = _drift_model(values)
    path = central(model, 2030)
    assert path.shape == (2030 - 2020,)
    steps = np.diff(np.concatenate([[values[-1]], path]))
    np.testing.assert_allclose(steps, model.params["drift"], rtol=0, atol=1e-9)


@pytest.mark.parametrize("h", [1, 9])
def test_simulated_changes_have_drift_mean_and_random_walk_spread(h):
    values = _random_walk()
    model = _drift_model(values)
    draws = 4000
    paths = simulate(model, 2020 + h, draws, np.random.default_rng(5), parameter_uncertainty=False)
    change = paths[:, h - 1] - values[-1]
    sd = np.sqrt(model.params["sigma2"] * h)
    assert abs(change.mean() - h * model.params["drift"]) < 4 * sd / np.sqrt(draws)
    assert change.std() == pytest.approx(sd, rel=0.05)


def test_parameter_uncertainty_adds_drift_error_times_horizon():
    values = _random_walk()
    model = _drift_model(values)
    h = 30
    paths = simulate(model, 2020 + h, 4000, np.random.default_rng(6))
    change = paths[:, h - 1] - values[-1]
    expected = np.sqrt(model.params["sigma2"] * h + (model.std_errors["drift"] * h) ** 2)
    assert change.std() == pytest.approx(expected, rel=0.05)


def test_series_with_gaps_fits_and_simulates():
    values = _random_walk()
    values[:3] = np.nan
    values[25:31] = np.nan
    values[-2:] = np.nan
    model = _drift_model(values)
    assert (model.first_year, model.last_year) == (1963, 2018)
    assert model.n_observed == values.size - 11
    assert abs(model.params["drift"] - DRIFT) < 3 * model.std_errors["drift"]
    paths = simulate(model, 2025, 10, np.random.default_rng(1))
    assert paths.shape == (10, 7)
    assert np.all(np.isfinite(paths))


def test_fewer_than_eight_observations_raises():
    values = np.full(YEARS.size, np.nan)
    values[[3, 5, 9, 20, 30, 40, 50]] = np.arange(7.0)
    with pytest.raises(ValueError, match="7 observed values"):
        fit_series("tfr", YEARS, values)


def test_simulating_up_to_the_last_year_raises():
    with pytest.raises(ValueError, match="not after the last observed year"):
        simulate(_drift_model(), 2020, 5, np.random.default_rng(0))


def test_lowest_aic_order_is_chosen_for_autocorrelated_changes():
    rng = np.random.default_rng(3)
    changes = np.zeros(80)
    for t in range(1, 80):
        changes[t] = 0.8 * changes[t - 1] + rng.standard_normal()
    model = fit_series("migration", np.arange(1940, 2020), np.cumsum(changes))
    assert model.order == (1, 1, 0)
    assert model.params["ar.L1"] == pytest.approx(0.8, abs=3 * model.std_errors["ar.L1"])
    assert "drift" not in model.params


def test_same_seed_same_paths_other_seed_other_paths():
    model = _drift_model()
    first = simulate(model, 2033, 50, np.random.default_rng(42))
    again = simulate(model, 2033, 50, np.random.default_rng(42))
    other = simulate(model, 2033, 50, np.random.default_rng(43))
    assert np.array_equal(first, again)
    assert not np.allclose(first, other)


def test_describe_names_order_drift_and_period():
    text = _drift_model().describe()
    assert text.startswith("k: ARIMA(0,1,0) with drift -1.")
    assert "fitted on 1960–2020 (61 obs)" in text


def test_ar1_with_mean_reverts_to_its_mean():
    """trend="c" with d=0: a stationary AR(1) whose forecast returns to the fitted mean."""
    rng = np.random.default_rng(5)
    values = np.empty(200)
    values[0] = 3.0
    for t in range(1, values.size):
        values[t] = 2.0 + 0.5 * (values[t - 1] - 2.0) + 0.1 * rng.standard_normal()
    model = fit_series("ar1", np.arange(1800, 2000), values, candidates=((1, 0, 0),), trend="c")
    assert model.params["mean"] == pytest.approx(2.0, abs=0.05)
    assert model.params["ar.L1"] == pytest.approx(0.5, abs=0.15)
    path = central(model, 2050)
    assert path[-1] == pytest.approx(model.params["mean"], abs=1e-6)
    assert "mean" in model.describe()
