"""Back-test measures: age groups, naive benchmarks, APE, interval coverage and error tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from forecast.accuracy import (
    AGE_GROUPS,
    MEASURE,
    absolute_percentage_error,
    by_age_group,
    error_table,
    interval_coverage,
    naive_constant,
    naive_growth,
    summary_table,
)
from forecast.dims import AGE, AGES, REGION, SEX, SEXES, YEAR


def _population(values: np.ndarray) -> xr.DataArray:
    """(year, sex, age) persons for two years from a (2, 2, 101) array."""
    return xr.DataArray(
        values,
        dims=(YEAR, SEX, AGE),
        coords={YEAR: [2014, 2015], SEX: list(SEXES), AGE: AGES},
    )


def _series(values: list[float], first_year: int) -> xr.DataArray:
    years = np.arange(first_year, first_year + len(values))
    return xr.DataArray(values, dims=YEAR, coords={YEAR: years})


def _table_array(values: list[list[float]], years: list[int]) -> xr.DataArray:
    """(year, region, measure) with regions "01", "03" and the single measure "total"."""
    return xr.DataArray(
        np.asarray(values, dtype=float)[..., None],
        dims=(YEAR, REGION, MEASURE),
        coords={YEAR: years, REGION: ["01", "03"], MEASURE: ["total"]},
    )


def test_age_groups_are_the_published_ones_in_order():
    assert list(AGE_GROUPS) == ["total", "0-15", "16-24", "25-44", "45-64", "65+"]


def test_by_age_group_sums_known_counts_and_sex():
    values = np.zeros((2, 2, 101))
    values[0, 0, :] = 1  # one woman per age in 2014
    values[0, 1, 100] = 7  # seven men aged 100+ in 2014
    values[1, 1, 15] = 3  # 2015: boundary ages land in the lower group
    values[1, 0, 16] = 5
    values[1, 1, 64] = 2
    values[1, 0, 65] = 4
    groups = by_age_group(_population(values))
    assert groups.dims == (YEAR, MEASURE)
    expected = {
        2014: {"total": 108, "0-15": 16, "16-24": 9, "25-44": 20, "45-64": 20, "65+": 43},
        2015: {"total": 14, "0-15": 3, "16-24": 5, "25-44": 0, "45-64": 2, "65+": 4},
    }
    for year, counts in expected.items():
        assert groups.sel({YEAR: year}).to_series().to_dict() == counts


def test_by_age_group_keeps_other_dims_and_works_without_sex():
    values = np.arange(2 * 101, dtype=float).reshape(2, 101)
    population = xr.DataArray(values, dims=(REGION, AGE), coords={REGION: ["01", "25"], AGE: AGES})
    groups = by_age_group(population)
    assert groups.dims == (REGION, MEASURE)
    assert list(groups[REGION].values) == ["01", "25"]
    assert float(groups.sel({REGION: "25", MEASURE: "total"})) == values[1].sum()


def test_by_age_group_rejects_missing_ages():
    population = _population(np.ones((2, 2, 101))).isel({AGE: slice(0, 100)})
    with pytest.raises(ValueError, match="100"):
        by_age_group(population)


@settings(max_examples=40, deadline=None)
@given(arrays(np.int64, (2, 2, 101), elements=st.integers(0, 10**6)))
def test_total_is_the_sum_over_all_ages_and_of_the_groups(values):
    groups = by_age_group(_population(values))
    total = groups.sel({MEASURE: "total"})
    np.testing.assert_array_equal(total.values, values.sum(axis=(1, 2)))
    parts = groups.drop_sel({MEASURE: "total"}).sum(MEASURE)
    np.testing.assert_array_equal(parts.values, total.values)


def test_naive_constant_holds_the_base_year_value():
    observed = _series([100, 104, 110], 2012)
    constant = naive_constant(observed, 2013, [2014, 2016])
    assert list(constant[YEAR].values) == [2014, 2016]
    np.testing.assert_array_equal(constant.values, [104, 104])


def test_naive_constant_rejects_a_missing_base_year():
    with pytest.raises(ValueError, match="2020"):
        naive_constant(_series([1, 2], 2012), 2020, [2021])


def test_naive_growth_continues_the_geometric_mean_growth():
    observed = _series([100, 101, 103, 105, 108, 110], 2009)
    years = [2014, 2015, 2019, 2024]
    growth = naive_growth(observed, 2014, years)
    expected = [110 * 1.1 ** ((t - 2014) / 5) for t in years]
    np.testing.assert_allclose(growth.values, expected, rtol=1e-12)
    np.testing.assert_allclose(float(growth.sel({YEAR: 2019})), 121.0, rtol=1e-12)


def test_naive_growth_with_a_shorter_window_and_extra_dims():
    observed = xr.DataArray(
        [[50.0, 0.0], [60.0, 30.0], [72.0, 40.0]],
        dims=(YEAR, REGION),
        coords={YEAR: [2012, 2013, 2014], REGION: ["01", "03"]},
    )
    growth = naive_growth(observed, 2014, [2016], window=2)
    assert growth.dims == (YEAR, REGION)
    # 50 → 72 over two years; the region that started at zero is held constant
    np.testing.assert_allclose(growth.sel({YEAR: 2016}).values, [72 * 72 / 50, 40.0])


def test_naive_growth_names_the_missing_start_year():
    observed = _series([100, 110], 2013)
    with pytest.raises(ValueError, match="2009"):
        naive_growth(observed, 2014, [2015])


def test_absolute_percentage_error_by_hand():
    observed = xr.DataArray([200.0, 50.0, 0.0], dims=REGION, coords={REGION: ["a", "b", "c"]})
    over = xr.DataArray([210.0, 60.0, 5.0], dims=REGION, coords={REGION: ["a", "b", "c"]})
    under = 2 * observed - over
    ape = absolute_percentage_error(over, observed)
    np.testing.assert_allclose(ape.values, [5.0, 20.0, np.nan])
    np.testing.assert_array_equal(absolute_percentage_error(under, observed).values, ape.values)


def test_absolute_percentage_error_uses_common_coords():
    observed = _series([100, 200, 400], 2014)
    forecast = _series([150, 100], 2015)
    ape = absolute_percentage_error(forecast, observed)
    assert list(ape[YEAR].values) == [2015, 2016]
    np.testing.assert_allclose(ape.values, [25.0, 75.0])


def test_interval_coverage_counts_inclusive_bounds_and_ignores_nan():
    observed = xr.DataArray([10.0, 20.0, 30.0, 40.0, np.nan], dims=REGION)
    lower = xr.DataArray([10.0, 15.0, 31.0, 35.0, 0.0], dims=REGION)
    upper = xr.DataArray([12.0, 20.0, 35.0, 45.0, 99.0], dims=REGION)
    assert interval_coverage(lower, upper, observed) == 0.75


def test_interval_coverage_without_cells_raises():
    empty = xr.DataArray([np.nan], dims=REGION)
    with pytest.raises(ValueError, match="no cell"):
        interval_coverage(empty, empty, empty)


@pytest.fixture
def table() -> pd.DataFrame:
    observed = _table_array([[100, 200], [110, 190], [121, 180]], [2014, 2015, 2016])
    forecasts = {
        "model": _table_array([[100, 200], [99, 190], [121, 198]], [2014, 2015, 2016]),
        "constant": naive_constant(observed, 2014, [2015, 2016]),
    }
    return error_table(forecasts, observed, 2014)


def test_error_table_rows_horizons_and_ape(table):
    assert list(table.columns) == [
        "region",
        "measure",
        "year",
        "horizon",
        "method",
        "forecast",
        "observed",
        "ape",
    ]
    assert len(table) == 2 * 2 * 2  # methods × regions × target years (the base year excluded)
    assert set(table["horizon"]) == {1, 2}
    assert (table["year"] - table["horizon"] == 2014).all()
    assert table["region"].map(type).eq(str).all()
    ape = table.set_index(["method", "region", "year"])["ape"]
    expected = {
        ("model", "01", 2015): 10.0,
        ("model", "01", 2016): 0.0,
        ("model", "03", 2015): 0.0,
        ("model", "03", 2016): 10.0,
        ("constant", "01", 2015): 100 * 10 / 110,
        ("constant", "01", 2016): 100 * 21 / 121,
        ("constant", "03", 2015): 100 * 10 / 190,
        ("constant", "03", 2016): 100 * 20 / 180,
    }
    for key, value in expected.items():
        assert ape[key] == pytest.approx(value)


def test_error_table_rejects_arrays_with_sex_or_age():
    observed = _table_array([[1, 2], [3, 4]], [2014, 2015]).expand_dims({SEX: list(SEXES)})
    with pytest.raises(ValueError, match="model"):
        error_table({"model": observed}, observed, 2014)


def test_summary_table_medians_and_means_by_hand(table):
    summary = summary_table(table)
    assert list(summary.columns) == [
        "horizon",
        "median_ape_model",
        "median_ape_constant",
        "mean_ape_model",
        "mean_ape_constant",
    ]
    by_horizon = summary.set_index("horizon")
    assert by_horizon.loc[1, "median_ape_model"] == pytest.approx(5.0)
    assert by_horizon.loc[2, "median_ape_model"] == pytest.approx(5.0)
    assert by_horizon.loc[1, "median_ape_constant"] == pytest.approx((1000 / 110 + 1000 / 190) / 2)
    assert by_horizon.loc[2, "mean_ape_constant"] == pytest.approx((2100 / 121 + 2000 / 180) / 2)


def test_summary_table_by_region_and_horizon(table):
    summary = summary_table(table, by=("region", "horizon"))
    assert len(summary) == 4
    row = summary.set_index(["region", "horizon"]).loc[("03", 2)]
    assert row["median_ape_model"] == pytest.approx(10.0)


def test_summary_table_needs_a_grouping(table):
    with pytest.raises(ValueError, match="group by"):
        summary_table(table, by=())
