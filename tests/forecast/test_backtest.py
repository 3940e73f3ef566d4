"""The back-test: inputs as known in the base year, and errors against naive benchmarks."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.backtest import (
    backtest_regions,
    backtest_table,
    horizon_summary,
    inputs_as_of,
    run_backtest,
)


@pytest.fixture(scope="module")
def result(inputs):
    return run_backtest(2014, inputs, draws=200, seed=0)


def test_inputs_use_only_what_was_known_in_the_base_year(inputs):
    old = inputs_as_of(2014, inputs)
    assert old.base_year == 2014
    assert float(old.population.sum()) == 9_747_355  # SCB, Riket 31 Dec 2014
    assert list(old.population.region.values[:2]) == ["00X", "2281"]
    np.testing.assert_allclose(old.domestic_share.sum("region"), 1.0, rtol=1e-12)
    assert int(old.mortality_history.year.max()) == 2014
    assert old.tfr_history.index.max() == 2014
    assert old.migration_history.index.max() == 2014
    assert int(old.municipal_totals.year.max()) == 2014
    assert (old.death_prob <= 1).all() and (old.immigrants >= 0).all()
    assert len(old.units_of("25")) == 14


def test_model_beats_holding_the_population_constant(result):
    table = horizon_summary(result)
    assert list(table.horizon) == list(range(1, 11))
    late = table[table.horizon >= 5]
    assert (late.median_ape_model < late.median_ape_constant).all()
    assert table.median_ape_model.iloc[-1] < 4.0  # measured 2.5 % after ten years
    assert 0.3 < result.coverage < 1.0  # measured 52 % over all regions, groups and years


def test_errors_cover_every_method_region_group_and_year(result):
    assert len(result.errors) == 3 * 19 * 6 * 10
    assert sorted(result.errors.region.unique()) == backtest_regions()
    luleå = backtest_table(result, "2580")
    assert list(luleå.year) == list(range(2015, 2025))
    assert luleå.observed.iloc[-1] == 79_645  # SCB, Luleå 31 Dec 2024
    assert (luleå.p10 <= luleå.p50).all() and (luleå.p50 <= luleå.p90).all()


def test_base_year_outside_the_data_is_rejected(inputs):
    with pytest.raises(ValueError, match="back-test base year must be 2011–2020"):
        inputs_as_of(2008, inputs)
    with pytest.raises(ValueError, match="at least 10 draws"):
        run_backtest(2014, inputs, draws=2)
