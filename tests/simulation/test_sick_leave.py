"""Tests of the "lower sick leave" simulation: theory, hand cases, validation, real context."""

from __future__ import annotations

from typing import Any

import numpy as np
import pydantic
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.dims import AGE, FTE, PERSONS, SECTOR, SEX, SHARE, YEAR
from simulation.engine import LeverContext
from simulation.sick_leave import BASE_RATES, DEFAULT_SECTORS, Params, simulate

YEARS = list(range(2025, 2031))
PERSONS_IN_CARE = 10_000_000.0


def make_context(persons: dict[str, float], fte_per_person: float = 0.9) -> LeverContext:
    """A context with ``persons`` employed per sector in every year (all aged 40)."""
    sectors = list(persons)
    employed = xr.DataArray(
        np.array([[[n] for n in persons.values()]] * len(YEARS)),
        dims=(YEAR, SECTOR, AGE),
        coords={YEAR: YEARS, SECTOR: sectors, AGE: [40]},
    )
    zeros = xr.zeros_like(employed.sum(AGE))
    return LeverContext(
        years=YEARS,
        sectors=sectors,
        employed=employed,
        part_timers=zeros,
        fte_per_person=xr.DataArray(
            [fte_per_person] * len(sectors), dims=SECTOR, coords={SECTOR: sectors}
        ),
        retirements=zeros,
        population=xr.DataArray(
            np.zeros((len(YEARS), 2, 1)),
            dims=(YEAR, SEX, AGE),
            coords={YEAR: YEARS, SEX: ["female", "male"], AGE: [40]},
        ),
        full_time_hours=40.0,
        part_time_hours=30.0,
    )


def run(persons: dict[str, float] | None = None, seed: int = 1, **overrides: Any) -> xr.Dataset:
    """Hand case: ten million in care at 8 % sick leave, −3 points from 2026, fast recovery."""
    kwargs: dict[str, Any] = {
        "start_year": 2026,
        "ramp_years": 0.0,
        "reduction": 0.03,
        "recovery_rate": 0.5,
        "base_rates": {"care": 0.08},
        "sectors": ["care"],
    }
    kwargs.update(overrides)
    return simulate(Params(**kwargs), make_context(persons or {"care": PERSONS_IN_CARE}), seed)


def expected_averted_share(
    base: float, reduction: float, recovery: float, start_year: int, ramp_years: float
) -> list[float]:
    """Annual means of the expected averted share, by the two-state model's recursion."""

    def incidence(rate: float) -> float:
        return rate * recovery / (1 - rate)

    share, annual = 0.0, []
    for year in YEARS:
        months = []
        for month in range(12):
            k = 12 * (year - start_year) + month
            rollout = (
                0.0 if k < 0 else 1.0 if ramp_years == 0 else min(1, (k + 1) / (12 * ramp_years))
            )
            now = incidence(base - reduction * rollout)
            share = share * (1 - recovery - now) + (1 - base) * (incidence(base) - now)
            months.append(share)
        annual.append(sum(months) / 12)
    return annual


class TestTheory:
    def test_no_ramp_reaches_the_target_and_extra_fte_is_the_fall_times_fte(self):
        ds = run()
        fte = ds["extra_fte"].sel({SECTOR: "care"})
        assert fte.sel({YEAR: 2025}).item() == 0.0
        # (0.08 - 0.05) * 1e7 persons * 0.9 FTE; the sampling sd of an annual mean is ~0.1 %.
        assert fte.sel({YEAR: slice(2027, None)}).values == pytest.approx([270_000] * 4, rel=0.01)
        rate = ds["sick_leave_rate"].sel({SECTOR: "care", YEAR: slice(2027, None)})
        assert rate.values == pytest.approx([0.05] * 4, abs=2e-4)

    def test_first_year_lags_by_the_geometric_adjustment(self):
        # The averted share relaxes to 0.03 at 1 - q a month, q = r + i = 0.5 + 0.05 * 0.5 / 0.95.
        q = 0.5 + 0.05 * 0.5 / 0.95
        first_year = 0.03 * (1 - sum((1 - q) ** k for k in range(1, 13)) / 12)
        fte = run()["extra_fte"].sel({SECTOR: "care", YEAR: 2026}).item()
        assert fte == pytest.approx(first_year * 9_000_000, rel=0.01)

    @pytest.mark.parametrize("recovery", [0.5, 0.2])
    def test_ramp_follows_the_expected_path(self, recovery):
        ds = run(ramp_years=2.0, recovery_rate=recovery, seed=5)
        averted = ds["sick_leave_rate_base"] - ds["sick_leave_rate"]
        expected = expected_averted_share(0.08, 0.03, recovery, 2026, 2.0)
        assert expected[-1] == pytest.approx(0.03, rel=0.01)  # settled after the ramp
        # The sampling sd of an annual mean is below 1e-4 at ten million persons.
        assert averted.sel({SECTOR: "care"}).values == pytest.approx(expected, abs=4e-4)


class TestHandComputed:
    def test_zero_reduction_gives_exactly_zero(self):
        ds = run(reduction=0.0)
        assert float(abs(ds["extra_fte"]).sum()) == 0.0
        xr.testing.assert_equal(ds["sick_leave_rate"], ds["sick_leave_rate_base"])

    def test_start_after_last_year_gives_zeros(self):
        assert float(abs(run(start_year=2031)["extra_fte"]).sum()) == 0.0

    def test_nobody_new_is_employed(self):
        assert float(abs(run()["extra_persons"]).sum()) == 0.0

    def test_uncovered_sectors_keep_their_base_rate_and_get_nothing(self):
        ds = run(persons={"care": PERSONS_IN_CARE, "industry": PERSONS_IN_CARE})
        assert ds["extra_fte"].sel({SECTOR: "industry"}).values.tolist() == [0.0] * len(YEARS)
        rate = ds["sick_leave_rate"].sel({SECTOR: "industry"})
        assert rate.values.tolist() == [BASE_RATES["industry"]] * len(YEARS)

    def test_reduction_to_zero_never_goes_below_zero(self):
        ds = run(reduction=0.08, persons={"care": 1000.0})
        assert float(ds["sick_leave_rate"].min()) >= 0.0
        assert ds["sick_leave_rate"].sel({SECTOR: "care", YEAR: 2030}).item() < 0.03

    def test_sector_without_employees_gets_nothing(self):
        ds = run(persons={"care": 0.0})
        assert float(abs(ds["extra_fte"]).sum()) == 0.0


class TestRandomness:
    def test_same_seed_gives_identical_results(self):
        xr.testing.assert_identical(run(seed=3, ramp_years=1.5), run(seed=3, ramp_years=1.5))

    def test_different_seeds_give_different_results(self):
        assert not run(seed=3)["extra_fte"].equals(run(seed=4)["extra_fte"])

    @settings(max_examples=15, deadline=None)
    @given(
        low=st.floats(0, 0.05),
        gap=st.floats(0.002, 0.03),
        ramp_years=st.floats(0, 4),
        recovery=st.floats(0.05, 0.5),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_larger_reduction_never_gives_less_effect(self, low, gap, ramp_years, recovery, seed):
        # 1e8 persons keep the sampling noise far below the effect of a 0.2-point gap.
        kwargs = {"persons": {"care": 1e8}, "ramp_years": ramp_years, "recovery_rate": recovery}
        small = run(reduction=low, seed=seed, **kwargs)
        large = run(reduction=low + gap, seed=seed, **kwargs)
        assert float(large["extra_fte"].sum()) > float(small["extra_fte"].sum())
        for ds in (small, large):
            assert float(ds["extra_fte"].min()) >= 0.0
            assert bool((ds["sick_leave_rate"] <= ds["sick_leave_rate_base"]).all())


class TestValidation:
    @pytest.mark.parametrize(
        "field, value",
        [
            ("reduction", -0.01),
            ("recovery_rate", 0.0),
            ("recovery_rate", 0.6),
            ("ramp_years", 11.0),
            ("start_year", 2024),
            ("base_rates", {"care": 0.6}),
            ("typo", 1),
        ],
    )
    def test_out_of_range_params_are_rejected(self, field, value):
        with pytest.raises(pydantic.ValidationError, match=field):
            Params(**{field: value})

    def test_reduction_above_a_base_rate_names_the_sector(self):
        with pytest.raises(ValueError, match=r"reduction: 0\.09 exceeds .* 'care' \(0\.08\)"):
            run(reduction=0.09)

    def test_unknown_sector_is_rejected(self):
        with pytest.raises(ValueError, match="unknown sector 'mining'"):
            run(sectors=["mining"])

    def test_base_rate_for_an_unknown_sector_is_rejected(self):
        with pytest.raises(ValueError, match="base_rates: unknown sector 'elder_care'"):
            run(base_rates={"care": 0.08, "elder_care": 0.05})

    def test_sector_without_a_base_rate_is_rejected(self):
        with pytest.raises(ValueError, match="no base sick-leave rate for sector 'mining'"):
            run(persons={"care": 10.0, "mining": 10.0})


class TestNorrbotten:
    def test_defaults_give_a_plausible_effect(self, context):
        params = Params()
        ds = simulate(params, context, seed=0)
        assert ds.attrs["lever"] == "sick_leave"
        assert ds.attrs["seed"] == 0
        assert Params.model_validate_json(ds.attrs["params"]) == params
        for name in ds.data_vars:
            assert ds[name].dims == (YEAR, SECTOR)
        assert ds[YEAR].values.tolist() == context.years
        assert ds[SECTOR].values.tolist() == context.sectors
        units = {name: ds[name].attrs["units"] for name in ds.data_vars}
        assert units == {
            "extra_persons": PERSONS,
            "extra_fte": FTE,
            "sick_leave_rate_base": SHARE,
            "sick_leave_rate": SHARE,
        }
        fte = context.employed.sum(AGE) * context.fte_per_person
        xr.testing.assert_allclose(
            ds["extra_fte"], (ds["sick_leave_rate_base"] - ds["sick_leave_rate"]) * fte
        )
        extra = ds["extra_fte"]
        assert float(abs(extra.sel({YEAR: slice(None, 2025)})).sum()) == 0.0
        others = [s for s in context.sectors if s not in DEFAULT_SECTORS]
        assert float(abs(extra.sel({SECTOR: others})).sum()) == 0.0
        # At most one point of the FTE in the welfare sectors, and well on the way.
        total_2033 = float(extra.sel({YEAR: 2033}).sum())
        ceiling = 0.01 * float(fte.sel({YEAR: 2033, SECTOR: list(DEFAULT_SECTORS)}).sum())
        assert 0.6 * ceiling < total_2033 < 1.15 * ceiling
        rate = ds["sick_leave_rate"].sel({YEAR: 2033, SECTOR: "elderly_care"}).item()
        assert 0.055 < rate < 0.0705
