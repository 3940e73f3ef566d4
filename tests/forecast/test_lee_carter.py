"""Lee–Carter: recovering a, b, k from synthetic surfaces, rate ratios, life expectancy."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.lee_carter import (
    LeeCarter,
    central_rate_ratios,
    fit_lee_carter,
    forecast_index,
    life_expectancy,
    rate_ratios,
)

AGES = np.arange(101)
YEARS = np.arange(1980, 2020)
EXPOSURE = np.full((AGES.size, YEARS.size), 1e5)
# Gompertz–Makeham log rates with an infant bump; b positive, falling with age and summing to 1.
TRUE_A = np.log(0.0002 + 0.00003 * np.exp(0.1 * AGES) + 0.003 * (AGES == 0))
TRUE_B = (1.5 - AGES / 100) / np.sum(1.5 - AGES / 100)


def _true_k() -> np.ndarray:
    noise = np.random.default_rng(7).normal(0, 1, YEARS.size)
    k = np.linspace(30, -30, YEARS.size) + noise
    return k - k.mean()


def _expected_deaths() -> np.ndarray:
    return EXPOSURE * np.exp(TRUE_A[:, None] + TRUE_B[:, None] * _true_k())


def _poisson_deaths(seed: int = 8) -> np.ndarray:
    return np.random.default_rng(seed).poisson(_expected_deaths()).astype(float)


def _forecast_model() -> LeeCarter:
    return forecast_index(fit_lee_carter(_poisson_deaths(), EXPOSURE, AGES, YEARS))


@pytest.mark.parametrize("refit_k", [False, True])
def test_noise_free_surface_is_recovered_exactly(refit_k):
    lc = fit_lee_carter(_expected_deaths(), EXPOSURE, AGES, YEARS, refit_k=refit_k)
    k = _true_k()
    assert np.abs(lc.a - TRUE_A).max() < 1e-9
    assert np.abs(lc.b - TRUE_B).max() < 1e-12
    assert np.abs(lc.k - k).max() < 1e-9 * np.ptp(k)
    assert lc.explained > 0.99


def test_poisson_noise_surface_is_recovered_within_sampling_error():
    lc = fit_lee_carter(_poisson_deaths(), EXPOSURE, AGES, YEARS)
    k = _true_k()
    # About 1.5× the worst error over 40 seeds: young ages have only ~20 deaths a year.
    assert np.abs(lc.a - TRUE_A).max() < 0.2
    assert np.abs(lc.b - TRUE_B).max() < 0.008
    assert np.abs(lc.k - k).max() < 0.03 * np.ptp(k)
    assert lc.b.sum() == pytest.approx(1, abs=1e-12)
    assert lc.k.sum() == pytest.approx(0, abs=1e-9)


def test_refitted_k_reproduces_each_years_total_deaths():
    deaths = _poisson_deaths()
    lc = fit_lee_carter(deaths, EXPOSURE, AGES, YEARS)
    fitted = (EXPOSURE * np.exp(lc.a[:, None] + lc.b[:, None] * lc.k)).sum(axis=0)
    np.testing.assert_allclose(fitted, deaths.sum(axis=0), rtol=1e-9)


def test_cells_without_deaths_or_exposure_stay_finite():
    deaths = _poisson_deaths()
    exposure = EXPOSURE.copy()
    deaths[5:15, :] = 0
    deaths[100, 3], exposure[100, 3] = 0, 0
    lc = fit_lee_carter(deaths, exposure, AGES, YEARS)
    assert all(np.all(np.isfinite(x)) for x in (lc.a, lc.b, lc.k))


def test_forecast_index_fits_a_random_walk_with_drift():
    model = _forecast_model().k_model
    assert model is not None
    assert (model.order, model.trend, model.last_year) == ((0, 1, 0), "t", 2019)
    assert model.params["drift"] == pytest.approx(-60 / 39, abs=3 * model.std_errors["drift"])


def test_rate_ratios_shape_positive_and_centred_on_the_drift_line():
    lc = _forecast_model()
    years = np.arange(2020, 2034)
    ratios = rate_ratios(lc, 2019, years, 2000, np.random.default_rng(1))
    centre = central_rate_ratios(lc, 2019, years)
    drift = lc.k_model.params["drift"]
    assert ratios.shape == (2000, years.size, AGES.size)
    assert np.all(ratios > 0)
    np.testing.assert_allclose(centre, np.exp(np.outer(drift * (years - 2019), lc.b)), rtol=1e-12)
    np.testing.assert_allclose(np.median(ratios, axis=0), centre, rtol=0.01)


def test_base_year_after_the_data_uses_each_paths_own_index():
    lc = _forecast_model()
    years = np.arange(2025, 2034)
    from_data = rate_ratios(lc, 2019, np.arange(2020, 2034), 300, np.random.default_rng(2))
    from_2024 = rate_ratios(lc, 2024, years, 300, np.random.default_rng(2))
    np.testing.assert_allclose(from_2024, from_data[:, 5:] / from_data[:, [4]], rtol=1e-12)


def test_rate_ratios_need_a_forecast_index():
    lc = fit_lee_carter(_expected_deaths(), EXPOSURE, AGES, YEARS)
    with pytest.raises(ValueError, match="forecast_index"):
        rate_ratios(lc, 2019, np.arange(2020, 2025), 10, np.random.default_rng(0))


@pytest.mark.parametrize("a0", [0.1, 0.5])
def test_constant_hazard_gives_exactly_its_inverse(a0):
    # q = m / (1 + (1 − a) m) makes deaths / person-years = m at every age, so e0 = 1/m.
    assert life_expectancy(np.full(101, 0.02), a0=a0) == pytest.approx(50, rel=1e-12)


def test_default_infant_separation_factor_is_a_tenth():
    m0, m, a0 = 0.1, 0.02, 0.1
    q0 = m0 / (1 + (1 - a0) * m0)
    # Age 0 lives 1 − q0 + a0 q0 years; from age 1 on each survivor lives 1/m years.
    expected = 1 - q0 + a0 * q0 + (1 - q0) / m
    assert life_expectancy(np.r_[m0, np.full(100, m)]) == pytest.approx(expected, rel=1e-12)


def test_lower_mortality_gives_longer_life():
    m = np.exp(TRUE_A)
    assert life_expectancy(0.9 * m) > life_expectancy(m) > 70
