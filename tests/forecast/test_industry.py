"""Industry trends: damped exponential smoothing on short employment histories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.industry import DAMPING, fit_trend, nuts2_of, trend_index

YEARS = list(range(2024, 2034))


def test_a_flat_history_gives_a_flat_index():
    flat = pd.Series(1000.0, index=[2016, 2017, 2018, 2019, 2021])
    np.testing.assert_allclose(fit_trend(flat, YEARS, 2024), 1.0, atol=1e-6)


def test_a_steady_rise_continues_but_fades():
    """+2 %/yr for six years: the index keeps rising after the base year, each step smaller
    than the last (damped), and never faster than the history's own growth."""
    rising = pd.Series(1000.0 * 1.02 ** np.arange(6), index=range(2016, 2022))
    index = fit_trend(rising, YEARS, 2024)
    assert index[0] == pytest.approx(1.0)
    steps = np.diff(np.log(index))
    assert (steps > 0).all() and (np.diff(steps) < 0).all()
    assert steps[0] < np.log(1.02) * DAMPING**2


def test_units_follow_their_nuts2_region(inputs):
    assert nuts2_of(inputs, "2580") == "SE33" and nuts2_of(inputs, "2380") == "SE32"
    assert nuts2_of(inputs, "00X") == "00"
    index = trend_index(inputs, ["2580", "2584", "2380"], YEARS)
    np.testing.assert_array_equal(index.sel(region="2580"), index.sel(region="2584"))
    assert set(index.sector.values) == {
        "agriculture",
        "industry",
        "construction",
        "trade_transport",
    }
    np.testing.assert_allclose(index.sel(year=2024), 1.0)
