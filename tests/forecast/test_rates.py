"""Rate models on the embedded histories: fitted values, central and simulated paths."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.lee_carter import life_expectancy
from forecast.rates import central_paths, fit_rate_models, simulate_paths


def test_models_fit_on_the_embedded_histories(inputs):
    models = fit_rate_models(inputs)
    for sex in ("female", "male"):
        lc = models.mortality[sex]
        assert lc.years[0] == 1969 and lc.years[-1] == 2020
        assert -3.0 < lc.k_model.params["drift"] < -0.5  # mortality has fallen every decade
    assert models.fertility.n_observed >= 50
    assert models.fertility.last_year == 2024
    assert set(models.migration) == {"immigration", "emigration", "mobility"}
    assert 0.0 < float(models.attraction_sd.sel(region="2580")) < 0.02
    assert float(models.attraction_sd.sel(region="00X")) == 0.0  # the rest takes the remainder
    assert len(models.describe()) == 7


def test_lee_carter_reproduces_published_life_expectancy(inputs):
    """Fitted Riket e0 in 2015 and 2020 against SCB's published values (vital_rates)."""
    published = {("female", 2015): 84.0, ("male", 2015): 80.3, ("female", 2020): 84.3,
                 ("male", 2020): 80.6}  # fmt: skip
    models = fit_rate_models(inputs)
    for (sex, year), e0 in published.items():
        lc = models.mortality[sex]
        t = int(np.flatnonzero(lc.years == year)[0])
        fitted = life_expectancy(np.exp(lc.a + lc.b * lc.k[t]))
        assert fitted == pytest.approx(e0, abs=0.4)  # measured within 0.2 years


def test_central_path_starts_at_the_base_year_level(inputs):
    paths = central_paths(inputs, 2033)
    assert list(paths.years) == list(range(2025, 2034))
    assert paths.draws == 1
    first = paths.mortality[0, 0]
    assert np.all((first > 0.9) & (first < 1.01))  # a year changes rates by less than 10 %
    assert np.all(np.diff(paths.mortality[0, :, :, 80], axis=0) < 0)  # keeps improving
    for factor in (paths.fertility, paths.immigration, paths.emigration, paths.mobility):
        assert 0.5 < factor[0, 0] < 1.5
    assert np.all(paths.attraction == 1.0) and np.all(paths.retention == 1.0)
    assert np.all(paths.unit_mortality == 1.0) and np.all(paths.unit_fertility == 1.0)


def test_simulated_paths_are_reproducible_and_spread(inputs):
    a = simulate_paths(inputs, 2033, draws=300, seed=11)
    b = simulate_paths(inputs, 2033, draws=300, seed=11)
    c = simulate_paths(inputs, 2033, draws=300, seed=12)
    names = ("mortality", "fertility", "immigration", "emigration", "mobility", "attraction",
             "retention", "unit_mortality", "unit_fertility")  # fmt: skip
    for name in names:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        assert not np.array_equal(getattr(a, name), getattr(c, name))
    spread = np.percentile(a.fertility, 90, axis=0) - np.percentile(a.fertility, 10, axis=0)
    assert spread[0] < spread[-1]  # fertility uncertainty grows with the horizon
    central = central_paths(inputs, 2033)
    median = np.median(a.mortality[:, -1, :, 80], axis=0)
    np.testing.assert_allclose(median, central.mortality[0, -1, :, 80], rtol=0.05)
    assert (a.attraction >= 0).all() and (a.retention >= 0).all()
    assert np.all(a.attraction[:, :, 0] == 1.0) and np.all(a.retention[:, :, 0] == 1.0)
    # Ånge has no own births in the data (prior weight 50): its level spreads by 1/√50 = 14 %
    ange = list(inputs.population.region.values).index("2260")
    assert np.std(a.unit_fertility[:, ange]) == pytest.approx(50**-0.5, rel=0.25)
    assert np.std(a.unit_mortality[:, 0]) < 0.01  # the rest of Sweden: 91 268 deaths


def test_too_few_draws_or_early_horizon_is_rejected(inputs):
    with pytest.raises(ValueError, match="draws must be at least 1"):
        simulate_paths(inputs, 2033, draws=0, seed=0)
    with pytest.raises(ValueError, match="horizon must be after the base year 2024"):
        central_paths(inputs, 2024)


def test_county_mortality_reproduces_the_published_life_expectancy_gaps(inputs):
    """County minus Riket e0 from the base-year death probabilities (population-weighted)
    against SCB's 2014–2018 gaps, which calibrate the county level (data/SOURCES.md)."""
    published = {"22": (-1.1, -1.1), "23": (-0.6, -0.6), "24": (-0.4, -0.2), "25": (-0.9, -1.5)}

    def e0(region: str, sex: str) -> float:
        units = inputs.units_of(region)
        q = inputs.death_prob.sel(region=units, sex=sex).to_numpy()
        stock = inputs.population.sel(region=units, sex=sex).to_numpy()
        weight = np.concatenate([stock[:, :1], stock[:, :-1]], axis=1)
        weight[:, -1] += stock[:, -1]
        pooled = (q * weight).sum(axis=0) / weight.sum(axis=0)
        return life_expectancy(-np.log1p(-np.minimum(pooled, 1 - 1e-9)))

    for i, sex in enumerate(("female", "male")):
        riket = e0("00", sex)
        for county, gaps in published.items():
            # measured within 0.56 years; Västerbotten's own 2024 deaths pull it lower
            assert e0(county, sex) - riket == pytest.approx(gaps[i], abs=0.7)
