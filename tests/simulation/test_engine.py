"""Tests of the shared simulation engine: clock, seeded streams, ramps, records."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecast.dims import SECTOR, YEAR
from simulation.engine import MonthlyClock, Ramp, Records, spawn_rngs


class TestMonthlyClock:
    def test_month_zero_is_january_of_start_year_and_last_is_december_of_end_year(self):
        clock = MonthlyClock(2025, 2027)
        assert clock.n_months == 36
        assert clock.date(0) == (2025, 1)
        assert clock.date(13) == (2026, 2)
        assert clock.date(35) == (2027, 12)
        assert clock.years == [2025, 2026, 2027]

    def test_month_outside_the_run_is_rejected(self):
        with pytest.raises(ValueError, match="month index"):
            MonthlyClock(2025, 2025).date(12)

    def test_from_years_requires_consecutive_years(self):
        assert MonthlyClock.from_years(range(2025, 2034)) == MonthlyClock(2025, 2033)
        with pytest.raises(ValueError, match="years must be consecutive"):
            MonthlyClock.from_years([2025, 2027])
        with pytest.raises(ValueError, match="years must contain"):
            MonthlyClock.from_years([])

    def test_end_before_start_is_rejected(self):
        with pytest.raises(ValueError, match="end_year"):
            MonthlyClock(2030, 2029)


class TestRamp:
    def test_zero_before_start_then_full_at_once_without_ramp(self):
        ramp = Ramp(2026, 0)
        assert ramp.rollout(2025, 12) == 0.0
        assert ramp.rollout(2026, 1) == 1.0
        assert ramp.rollout(2030, 6) == 1.0

    def test_two_year_ramp_rises_by_one_24th_a_month(self):
        ramp = Ramp(2026, 2)
        assert ramp.rollout(2025, 12) == 0.0
        assert ramp.rollout(2026, 1) == pytest.approx(1 / 24)
        assert ramp.rollout(2026, 12) == pytest.approx(12 / 24)
        assert ramp.rollout(2027, 11) == pytest.approx(23 / 24)
        assert ramp.rollout(2027, 12) == 1.0
        assert ramp.rollout(2028, 1) == 1.0

    def test_fractional_ramp_is_full_after_its_months(self):
        ramp = Ramp(2026, 1.5)
        assert ramp.rollout(2027, 5) == pytest.approx(17 / 18)
        assert ramp.rollout(2027, 6) == 1.0

    def test_mean_in_year_is_mean_of_months(self):
        ramp = Ramp(2026, 2)
        assert ramp.mean_in_year(2025) == 0.0
        assert ramp.mean_in_year(2026) == pytest.approx(13 / 48)
        assert ramp.mean_in_year(2027) == pytest.approx(37 / 48)
        assert ramp.mean_in_year(2028) == 1.0

    @pytest.mark.parametrize("ramp_years", [-0.5, float("nan"), float("inf")])
    def test_bad_ramp_years_is_rejected(self, ramp_years):
        with pytest.raises(ValueError, match="ramp_years"):
            Ramp(2026, ramp_years)

    @given(
        ramp_years=st.floats(0, 10),
        year=st.integers(2020, 2040),
        month=st.integers(1, 12),
    )
    def test_rollout_is_a_share_and_never_falls(self, ramp_years, year, month):
        ramp = Ramp(2030, ramp_years)
        now = ramp.rollout(year, month)
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        assert 0.0 <= now <= 1.0
        assert ramp.rollout(next_year, next_month) >= now


class TestSpawnRngs:
    def test_same_seed_gives_same_streams(self):
        a = [g.random(5) for g in spawn_rngs(42, 3)]
        b = [g.random(5) for g in spawn_rngs(42, 3)]
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x, y)

    def test_streams_differ_from_each_other_and_across_seeds(self):
        draws = [g.random(5) for g in spawn_rngs(42, 3)]
        assert not np.array_equal(draws[0], draws[1])
        assert not np.array_equal(draws[1], draws[2])
        other = spawn_rngs(43, 1)[0].random(5)
        assert not np.array_equal(draws[0], other)

    def test_adding_streams_leaves_earlier_streams_unchanged(self):
        two = [g.random(5) for g in spawn_rngs(7, 2)]
        five = [g.random(5) for g in spawn_rngs(7, 5)]
        np.testing.assert_array_equal(two[0], five[0])
        np.testing.assert_array_equal(two[1], five[1])

    def test_streams_are_uncorrelated(self):
        a, b = (g.standard_normal(20_000) for g in spawn_rngs(1, 2))
        # Independent N(0,1): the correlation has sd 1/sqrt(20 000) ≈ 0.007.
        assert abs(np.corrcoef(a, b)[0, 1]) < 0.04

    def test_no_global_state_is_used(self):
        np.random.seed(0)
        before = np.random.random()
        np.random.seed(0)
        spawn_rngs(3, 2)[0].random(10)
        assert np.random.random() == before

    def test_negative_seed_is_rejected(self):
        with pytest.raises(ValueError, match="seed"):
            spawn_rngs(-1, 2)


class TestRecords:
    def test_annual_mean_of_monthly_values_by_year_and_sector(self):
        records = Records()
        for m in range(24):
            records.append(month=m, year=2025 + m // 12, sector="b", takers=m)
            records.append(month=m, year=2025 + m // 12, sector="a", takers=1)
        result = records.annual_mean("takers", [2025, 2026], ["b", "a"])
        assert result.dims == (YEAR, SECTOR)
        assert result[SECTOR].values.tolist() == ["b", "a"]
        np.testing.assert_allclose(result.sel({SECTOR: "b"}).values, [5.5, 17.5])
        np.testing.assert_allclose(result.sel({SECTOR: "a"}).values, [1.0, 1.0])

    def test_missing_cells_are_nan_not_zero(self):
        records = Records()
        records.append(month=0, year=2025, sector="a", takers=3)
        result = records.annual_mean("takers", [2025, 2026], ["a", "b"])
        assert result.sel({YEAR: 2025, SECTOR: "a"}).item() == 3.0
        assert np.isnan(result.sel({YEAR: 2026, SECTOR: "a"}).item())
        assert np.isnan(result.sel({YEAR: 2025, SECTOR: "b"}).item())
        assert Records().annual_mean("takers", [2025], ["a"]).isnull().all()

    def test_to_frame_has_one_row_per_record(self):
        records = Records()
        records.append(month=0, year=2025, sector="a", takers=3)
        records.append(month=1, year=2025, sector="a", takers=4)
        frame = records.to_frame()
        assert list(frame.columns) == ["month", "year", "sector", "takers"]
        assert frame["takers"].tolist() == [3, 4]
