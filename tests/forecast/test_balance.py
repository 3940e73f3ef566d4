"""Tests for the balance helpers that do not need a projection."""

import pytest
import xarray as xr

from forecast.balance import cumulative


def test_cumulative_sums_the_period_inclusive_and_keeps_units():
    flow = xr.DataArray(
        [1.0, 2.0, 4.0, 8.0],
        coords={"year": [2024, 2025, 2026, 2027]},
        dims=["year"],
        attrs={"units": "persons"},
    )
    total = cumulative(flow, 2025, 2026)
    assert float(total) == 6.0
    assert total.attrs == {"units": "persons", "period": "2025-2026"}
    assert float(cumulative(flow, 2024, 2027)) == 15.0


@pytest.mark.parametrize("first,last", [(2023, 2025), (2026, 2028), (2027, 2026)])
def test_cumulative_rejects_a_period_outside_the_projection(first, last):
    flow = xr.DataArray(
        [1.0, 2.0, 4.0, 8.0], coords={"year": [2024, 2025, 2026, 2027]}, dims=["year"]
    )
    with pytest.raises(ValueError, match="outside the projected years 2024–2027"):
        cumulative(flow, first, last)
