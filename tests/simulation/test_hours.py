"""Tests of the "+N hours a week for part-timers" simulation: hand cases, theory, validation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.dims import FTE, HOURS_PER_WEEK, SECTOR, SHARE, YEAR
from simulation.hours import simulate_extra_hours

YEARS = list(range(2025, 2031))


def per_sector(values: dict[str, float]) -> xr.DataArray:
    """A (sector,) DataArray from a {sector: value} dict."""
    return xr.DataArray(list(values.values()), dims=SECTOR, coords={SECTOR: list(values)})


def run(
    part_timers: dict[str, float] | None = None,
    hours: dict[str, float] | None = None,
    **overrides: Any,
) -> xr.Dataset:
    """Hand case: 1000 part-timers at 30 h, +3 h, full time 40, certain uptake, from 2026."""
    part_timers = part_timers or {"care": 1000.0}
    kwargs: dict[str, Any] = {
        "extra_hours": 3.0,
        "part_time_hours": per_sector(hours or dict.fromkeys(part_timers, 30.0)),
        "full_time_hours": 40.0,
        "uptake": 1.0,
        "dropout": 0.0,
        "start_year": 2026,
        "ramp_years": 0.0,
        "years": YEARS,
        "seed": 1,
    }
    kwargs.update(overrides)
    return simulate_extra_hours(per_sector(part_timers), **kwargs)


class TestHandComputed:
    def test_three_hours_on_thirty_is_0_075_fte_per_part_timer_from_start_year(self):
        ds = run()
        fte = ds["extra_fte_per_part_timer"].sel({SECTOR: "care"})
        assert fte.sel({YEAR: 2025}).item() == 0.0
        assert fte.sel({YEAR: slice(2026, None)}).values.tolist() == [0.075] * 5
        assert (fte * 1000).sel({YEAR: 2030}).item() == pytest.approx(75.0, abs=1e-12)
        assert ds["takeup_share"].sel({SECTOR: "care"}).values.tolist() == [0, 1, 1, 1, 1, 1]

    def test_extra_hours_are_capped_at_full_time(self):
        ds = run(part_timers={"care": 1000.0, "retail": 500.0}, hours={"care": 38, "retail": 30})
        per_taker = ds["extra_hours_per_taker"].sel({YEAR: 2026})
        assert per_taker.sel({SECTOR: "care"}).item() == 2.0
        assert per_taker.sel({SECTOR: "retail"}).item() == 3.0
        fte = ds["extra_fte_per_part_timer"].sel({YEAR: 2027})
        assert fte.sel({SECTOR: "care"}).item() == 2 / 40
        assert fte.sel({SECTOR: "retail"}).item() == 3 / 40

    # Both sizes make every monthly step of 1/24 a whole number of persons; with 216, the
    # float product 216 * 13/24 is 116.99999999999999, which must still count as 117.
    @pytest.mark.parametrize("persons", [24_000.0, 216.0])
    def test_two_year_ramp_with_certain_uptake(self, persons):
        share = run(part_timers={"care": persons}, ramp_years=2.0)["takeup_share"]
        share = share.sel({SECTOR: "care"})
        assert share.sel({YEAR: 2025}).item() == 0.0
        assert share.sel({YEAR: 2026}).item() == pytest.approx(13 / 48, rel=1e-12)
        assert share.sel({YEAR: 2027}).item() == pytest.approx(37 / 48, rel=1e-12)
        assert share.sel({YEAR: slice(2028, None)}).values.tolist() == [1.0] * 3

    def test_fractional_covered_persons_are_carried_not_lost(self):
        # 100 persons over 24 months: 100/24 a month, never a whole number until the end.
        share = run(part_timers={"care": 100.0}, ramp_years=2.0)["takeup_share"]
        assert share.sel({SECTOR: "care", YEAR: 2026}).item() == pytest.approx(13 / 48, abs=0.01)
        assert share.sel({SECTOR: "care", YEAR: 2028}).item() == 1.0

    def test_start_after_last_year_gives_zeros(self):
        ds = run(start_year=2031)
        assert float(abs(ds["extra_fte_per_part_timer"]).sum()) == 0.0

    def test_start_before_first_year_is_in_force_from_the_first_month(self):
        ds = run(start_year=2020)
        assert ds["takeup_share"].values.ravel().tolist() == [1.0] * len(YEARS)

    def test_sector_without_part_timers_has_zero_takeup(self):
        ds = run(part_timers={"care": 1000.0, "mining": 0.0})
        assert ds["takeup_share"].sel({SECTOR: "mining"}).values.tolist() == [0.0] * len(YEARS)

    def test_non_integer_part_timers_are_rounded_to_whole_persons(self):
        ds = run(part_timers={"care": 1234.6})
        assert ds["takeup_share"].sel({SECTOR: "care", YEAR: 2027}).item() == 1.0

    def test_part_time_hours_are_matched_by_sector_label_not_position(self):
        hours = xr.DataArray([38.0, 30.0], dims=SECTOR, coords={SECTOR: ["retail", "care"]})
        ds = run(part_timers={"care": 10.0, "retail": 10.0}, part_time_hours=hours)
        per_taker = ds["extra_hours_per_taker"].sel({YEAR: 2025})
        assert per_taker.sel({SECTOR: "care"}).item() == 3.0
        assert per_taker.sel({SECTOR: "retail"}).item() == 2.0


class TestWorkload:
    def test_everyone_leaving_at_once_removes_their_hours(self):
        """Certain uptake in January 2026, certain leaving from February: in 2026 they work
        +3 h one month and are gone eleven; afterwards each part-timer's 30 h are lost."""
        ds = run(leave_rate=1.0)
        first = ds.sel({YEAR: 2026})
        np.testing.assert_allclose(first["left_share"], 11 / 12)
        np.testing.assert_allclose(
            first["extra_fte_per_part_timer"], (3.0 / 12 - 30.0 * 11 / 12) / 40.0
        )
        later = ds.sel({YEAR: slice(2027, None)})
        np.testing.assert_allclose(later["extra_fte_per_part_timer"], -30.0 / 40.0)

    def test_leaving_lowers_the_gain(self):
        calm = run(uptake=0.5, seed=3)
        strained = run(uptake=0.5, leave_rate=0.2, seed=3)
        assert float(strained["extra_fte_per_part_timer"].sum()) < float(
            calm["extra_fte_per_part_timer"].sum()
        )


class TestResultDescribesItself:
    def test_dims_units_and_attrs(self):
        ds = run(uptake=0.4, dropout=0.1, ramp_years=1.5, seed=9)
        for name in ds.data_vars:
            assert ds[name].dims == (YEAR, SECTOR)
        assert ds[YEAR].values.tolist() == YEARS
        assert ds["takeup_share"].attrs["units"] == SHARE
        assert ds["extra_hours_per_taker"].attrs["units"] == HOURS_PER_WEEK
        assert ds["extra_fte_per_part_timer"].attrs["units"] == FTE
        assert ds.attrs == {
            "lever": "part_time_hours",
            "seed": 9,
            "extra_hours": 3.0,
            "full_time_hours": 40.0,
            "uptake": 0.4,
            "dropout": 0.1,
            "leave_rate": 0.0,
            "start_year": 2026,
            "ramp_years": 1.5,
        }


class TestRandomness:
    def test_same_seed_gives_identical_results(self):
        a = run(part_timers={"care": 5000.0, "retail": 800.0}, uptake=0.5, dropout=0.2, seed=3)
        b = run(part_timers={"care": 5000.0, "retail": 800.0}, uptake=0.5, dropout=0.2, seed=3)
        xr.testing.assert_identical(a, b)

    def test_different_seeds_give_different_results(self):
        a = run(part_timers={"care": 5000.0}, uptake=0.5, seed=3)
        b = run(part_timers={"care": 5000.0}, uptake=0.5, seed=4)
        assert not a["takeup_share"].equals(b["takeup_share"])

    @settings(max_examples=30, deadline=None)
    @given(
        uptake=st.floats(0, 1),
        dropout=st.floats(0, 1),
        ramp_years=st.floats(0, 4),
        extra_hours=st.floats(0.5, 20),
        hours=st.floats(0, 40),
        seed=st.integers(0, 2**32),
    )
    def test_shares_stay_in_bounds_and_fte_is_capped(
        self, uptake, dropout, ramp_years, extra_hours, hours, seed
    ):
        ds = run(
            part_timers={"care": 37.0, "retail": 1000.0},
            hours={"care": hours, "retail": 30.0},
            uptake=uptake,
            dropout=dropout,
            ramp_years=ramp_years,
            extra_hours=extra_hours,
            seed=seed,
        )
        share = ds["takeup_share"]
        assert bool(((share >= 0) & (share <= 1)).all())
        assert bool((share.sel({YEAR: 2025}) == 0).all())
        cap = ds["extra_hours_per_taker"]
        assert bool(((cap >= 0) & (cap <= extra_hours)).all())
        assert bool((cap.sel({SECTOR: "care"}) <= 40.0 - hours + 1e-12).all())
        fte = ds["extra_fte_per_part_timer"]
        assert bool(((fte >= 0) & (fte <= cap / 40.0 + 1e-15)).all())

    @settings(max_examples=15, deadline=None)
    @given(uptake=st.floats(0, 1), seed=st.integers(0, 2**32))
    def test_takeup_over_many_part_timers_is_close_to_uptake(self, uptake, seed):
        # 20 sectors × 10 000 = 200 000 part-timers: sd of the share ≤ 0.0011, so 1 % is ~9 sd.
        sectors = {f"s{i}": 10_000.0 for i in range(20)}
        share = run(part_timers=sectors, uptake=uptake, seed=seed)["takeup_share"]
        assert float(share.sel({YEAR: 2027}).mean()) == pytest.approx(uptake, abs=0.01)

    def test_dropout_matches_geometric_survival(self):
        # Everyone covered in Jan 2026 takes up with prob u; in month m after that a taker is
        # still there with prob (1-d)^(m/12). 10^6 persons: sd of a share ≤ 0.0005.
        uptake, dropout = 0.6, 0.3
        sectors = {f"s{i}": 100_000.0 for i in range(10)}
        share = run(part_timers=sectors, uptake=uptake, dropout=dropout, seed=11)["takeup_share"]
        survive = (1 - dropout) ** (np.arange(12 * 5) / 12)
        expected = uptake * survive.reshape(5, 12).mean(axis=1)
        simulated = share.sel({YEAR: slice(2026, None)}).mean(SECTOR).values
        np.testing.assert_allclose(simulated, expected, atol=0.003)


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"uptake": 1.2}, r"uptake must be in \[0, 1\]"),
            ({"uptake": -0.1}, r"uptake must be in \[0, 1\]"),
            ({"uptake": float("nan")}, r"uptake must be in \[0, 1\]"),
            ({"dropout": 1.5}, r"dropout must be in \[0, 1\]"),
            ({"dropout": -1.0}, r"dropout must be in \[0, 1\]"),
            ({"extra_hours": 0.0}, "extra_hours must be > 0"),
            ({"extra_hours": -3.0}, "extra_hours must be > 0"),
            ({"ramp_years": -1.0}, "ramp_years must be a finite number >= 0"),
            ({"full_time_hours": 0.0}, "full_time_hours must be > 0"),
            ({"full_time_hours": 25.0}, "part_time_hours must be in"),
            ({"years": [2025, 2027]}, "years must be consecutive"),
            ({"years": []}, "years must contain"),
            ({"seed": -1}, "seed must be a non-negative integer"),
        ],
    )
    def test_bad_scalar_arguments_name_the_parameter(self, overrides, message):
        with pytest.raises(ValueError, match=message):
            run(**overrides)

    def test_negative_part_timers_are_rejected(self):
        with pytest.raises(ValueError, match="part_timers must be finite and >= 0"):
            run(part_timers={"care": -5.0})

    def test_missing_sector_in_part_time_hours_is_rejected(self):
        hours = per_sector({"care": 30.0})
        with pytest.raises(ValueError, match=r"part_time_hours lacks sectors \['retail'\]"):
            run(part_timers={"care": 10.0, "retail": 10.0}, part_time_hours=hours)

    def test_wrong_dims_are_rejected(self):
        wrong = xr.DataArray([[1000.0]], dims=(YEAR, SECTOR), coords={SECTOR: ["care"]})
        with pytest.raises(ValueError, match="part_timers must have dims"):
            simulate_extra_hours(
                wrong,
                extra_hours=3,
                part_time_hours=per_sector({"care": 30.0}),
                full_time_hours=40,
                uptake=1,
                dropout=0,
                start_year=2026,
                ramp_years=0,
                years=YEARS,
                seed=1,
            )
