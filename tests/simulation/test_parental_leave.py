"""Tests of the "equal parental leave" lever: hand cases, conservation, randomness, validation."""

from __future__ import annotations

import dataclasses
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pydantic
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.dims import AGE, FTE, PERSONS, SECTOR, SEX, YEAR
from simulation.engine import LeverContext
from simulation.parental_leave import (
    BIRTHS_BY_MOTHER_AGE,
    FEMALE_SHARE,
    WORKING_DAYS_PER_YEAR,
    Params,
    births_to_employed_mothers,
    simulate,
)

YEARS = list(range(2025, 2031))
PRESET = Path(__file__).parents[2] / "scenarios" / "presets" / "parental_leave_equal.toml"
# Hand case: a million women aged 30, all employed in care, a million men aged 30 in industry,
# 200 000 births a year. Births per woman aged 30–34 are 200 000 × 750 / 2440 / 1e6, so the
# women in care have 61 475 births a year (about 5 100 a month).
WOMEN = 1e6
BIRTHS = 2e5
SHARE_30_34 = BIRTHS_BY_MOTHER_AGE[(30, 34)] / sum(BIRTHS_BY_MOTHER_AGE.values())
CARE_BIRTHS = BIRTHS * SHARE_30_34
# Mean over the year of the share of the steady state of couples whose child is under two,
# with the reform in force from January 2026 (cohorts of 1..12 and 13..24 months of births).
BUILD_UP = {2025: 0.0, 2026: 6.5 / 24, 2027: 18.5 / 24, 2028: 1.0, 2029: 1.0, 2030: 1.0}


def make_context(employed: dict[str, float], births: float = BIRTHS) -> LeverContext:
    """Every year the same: ``employed`` per sector, all aged 30; WOMEN women aged 30 and
    ``births`` residents aged 0 (half of them girls)."""
    sectors = list(employed)
    people = xr.DataArray(
        np.array([[[n] for n in employed.values()]] * len(YEARS)),
        dims=(YEAR, SECTOR, AGE),
        coords={YEAR: YEARS, SECTOR: sectors, AGE: [30]},
    )
    population = xr.DataArray(
        np.array([[[births / 2, WOMEN], [births / 2, WOMEN]]] * len(YEARS)),
        dims=(YEAR, SEX, AGE),
        coords={YEAR: YEARS, SEX: ["female", "male"], AGE: [0, 30]},
    )
    zeros = xr.zeros_like(people.sum(AGE))
    return LeverContext(
        years=YEARS,
        sectors=sectors,
        employed=people,
        part_timers=zeros,
        fte_per_person=xr.DataArray([0.9] * len(sectors), dims=SECTOR, coords={SECTOR: sectors}),
        retirements=zeros,
        population=population,
        full_time_hours=40.0,
        part_time_hours=30.0,
    )


HAND = make_context({"care": WOMEN, "industry": WOMEN})
HAND_SHARES = {"care": 1.0, "industry": 0.0}
# All sectors of the model at their sourced female shares, 100 000 employed in each.
MIXED = make_context(dict.fromkeys(FEMALE_SHARE, 1e5), births=1e5)


def run(context: LeverContext = HAND, seed: int = 1, **overrides: Any) -> xr.Dataset:
    """Hand case by default: equal split from January 2026, no ramp, everyone takes it up."""
    kwargs: dict[str, Any] = {
        "start_year": 2026,
        "ramp_years": 0.0,
        "shift": 0.375,
        "uptake": 1.0,
        "mothers_days": 262.5,
        "female_share": HAND_SHARES if context is HAND else {},
    }
    kwargs.update(overrides)
    return simulate(Params(**kwargs), context, seed)


def total(ds: xr.Dataset, name: str = "hours_moved") -> float:
    """Sum of a variable over all its cells."""
    return float(ds[name].sum())


class TestHandComputed:
    def test_births_to_employed_mothers_follow_the_age_pattern(self):
        births = births_to_employed_mothers(HAND, np.array([1.0, 0.0]))
        assert births.sel({SECTOR: "care"}).values == pytest.approx([CARE_BIRTHS] * len(YEARS))
        assert births.sel({SECTOR: "industry"}).values.tolist() == [0.0] * len(YEARS)

    def test_steady_state_moves_births_times_the_shifted_days(self):
        ds = run()
        # 61 475 couples × 0.375 × 262.5 days / 250 days = 24 206 FTE once all children born
        # under the reform are under two; the sampling sd of an annual mean is ~0.3 %.
        steady = CARE_BIRTHS * 0.375 * 262.5 / WORKING_DAYS_PER_YEAR
        expected = [BUILD_UP[y] * steady for y in YEARS]
        assert ds["hours_moved"].values == pytest.approx(expected, rel=0.02)
        assert ds["fte_gained"].sel({SECTOR: "care"}).values == pytest.approx(expected, rel=0.02)
        # All partners work in industry, which loses what care gains.
        lost = ds["fte_lost"].sel({SECTOR: "industry"}).values
        assert lost == pytest.approx(ds["hours_moved"].values, rel=1e-12)
        assert ds["extra_fte"].sel({SECTOR: "industry"}).values == pytest.approx(
            [-x for x in expected], rel=0.02
        )

    def test_ramp_halves_take_up_while_rolling_out(self):
        # Over two years, the rollout of the 2026 births averages 6.5/24; full rollout in 2028.
        ramped = run(ramp_years=2.0, seed=2)["hours_moved"].sel({YEAR: 2026}).item()
        full = run(seed=2)["hours_moved"].sel({YEAR: 2026}).item()
        # Births of month k of 2026 take it up with chance (k + 1) / 24: a weighted build-up.
        weights = sum((k + 1) / 24 * (12 - k) for k in range(12)) / sum(12 - k for k in range(12))
        assert ramped == pytest.approx(weights * full, rel=0.03)

    def test_zero_shift_or_uptake_or_a_late_start_gives_exactly_zero(self):
        for ds in (run(shift=0.0), run(uptake=0.0), run(start_year=2031)):
            for name in ("extra_fte", "fte_gained", "fte_lost", "hours_moved"):
                assert float(abs(ds[name]).sum()) == 0.0

    def test_nobody_new_is_employed(self):
        assert float(abs(run()["extra_persons"]).sum()) == 0.0

    def test_only_covered_mothers_sectors_gain(self):
        ds = run(MIXED, sectors=["elderly_care"])
        gained = ds["fte_gained"].sel({YEAR: 2029})
        assert gained.sel({SECTOR: "elderly_care"}).item() > 0
        assert float(gained.drop_sel({SECTOR: "elderly_care"}).sum()) == 0.0
        # Partners of care mothers work in every sector with men, care included.
        assert bool((ds["fte_lost"].sel({YEAR: 2029}) > 0).all())


class TestConservation:
    """Exact in this model: every moved day leaves a mother and reaches her partner in the same
    month, and a day is 1 / WORKING_DAYS_PER_YEAR FTE in every sector, so the sum of extra_fte
    over sectors is 0 in every year (up to float rounding), and the FTE lost by the partners'
    sectors equals the FTE gained by the mothers' sectors (hours_moved)."""

    def test_mixed_sectors_sum_to_zero_every_year(self):
        ds = run(MIXED, ramp_years=1.5)
        assert float(ds["hours_moved"].sel({YEAR: 2030})) > 100
        net = ds["extra_fte"].sum(SECTOR).values
        assert np.abs(net).max() <= 1e-9 * float(ds["hours_moved"].max())
        assert ds["fte_lost"].sum(SECTOR).values == pytest.approx(ds["hours_moved"].values)

    @settings(max_examples=15, deadline=None)
    @given(
        shares=st.lists(st.floats(0, 0.95), min_size=len(FEMALE_SHARE), max_size=len(FEMALE_SHARE)),
        shift=st.floats(0, 1),
        ramp_years=st.floats(0, 4),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_any_shares_conserve_total_fte(self, shares, shift, ramp_years, seed):
        female_share = dict(zip(FEMALE_SHARE, shares, strict=True))
        ds = run(MIXED, seed, shift=shift, ramp_years=ramp_years, female_share=female_share)
        net = ds["extra_fte"].sum(SECTOR).values
        assert np.abs(net).max() <= 1e-9 * max(1.0, float(ds["hours_moved"].max()))


class TestMonotonicity:
    @settings(max_examples=15, deadline=None)
    @given(
        low=st.floats(0, 0.9),
        gap=st.floats(0.01, 0.5),
        ramp_years=st.floats(0, 4),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_larger_shift_never_moves_fewer_hours(self, low, gap, ramp_years, seed):
        high = min(1.0, low + gap)
        small = run(MIXED, seed, shift=low, ramp_years=ramp_years)
        large = run(MIXED, seed, shift=high, ramp_years=ramp_years)
        assert bool((large["hours_moved"] >= small["hours_moved"]).all())
        assert total(large) > total(small)


class TestRandomness:
    def test_same_seed_gives_identical_results(self):
        xr.testing.assert_identical(run(MIXED, 3, ramp_years=1.5), run(MIXED, 3, ramp_years=1.5))

    def test_different_seeds_give_different_results(self):
        assert not run(MIXED, 3)["extra_fte"].equals(run(MIXED, 4)["extra_fte"])


class TestValidation:
    @pytest.mark.parametrize(
        "field, value",
        [
            ("shift", 1.2),
            ("shift", -0.1),
            ("uptake", 1.5),
            ("mothers_days", 500.0),
            ("ramp_years", 11.0),
            ("start_year", 2024),
            ("female_share", {"care": 1.5}),
            ("typo", 1),
        ],
    )
    def test_out_of_range_params_are_rejected(self, field, value):
        with pytest.raises(pydantic.ValidationError, match=field):
            Params(**{field: value})

    def test_unknown_sector_is_rejected(self):
        with pytest.raises(ValueError, match="sectors: unknown sector 'mining'"):
            run(sectors=["mining"])

    def test_female_share_for_an_unknown_sector_is_rejected(self):
        with pytest.raises(ValueError, match="female_share: unknown sector 'elder_care'"):
            run(female_share={**HAND_SHARES, "elder_care": 0.9})

    def test_sector_without_a_female_share_is_rejected(self):
        with pytest.raises(ValueError, match="no female share for sector 'mining'"):
            run(make_context({"elderly_care": WOMEN, "mining": WOMEN}), female_share={})

    def test_region_without_men_to_take_over_is_rejected(self):
        with pytest.raises(ValueError, match="no employed men aged 20–54 in 2025"):
            run(female_share={"care": 1.0, "industry": 1.0})

    def test_population_without_newborns_is_rejected(self):
        context = dataclasses.replace(HAND, population=HAND.population.sel({AGE: [30]}))
        with pytest.raises(ValueError, match=r"context\.population has no age 0"):
            run(context, female_share=HAND_SHARES)

    def test_more_births_than_employed_women_is_rejected(self):
        with pytest.raises(ValueError, match="births to employed mothers exceed"):
            run(
                make_context({"care": 10.0, "industry": WOMEN}, births=WOMEN * 1e3),
                female_share=HAND_SHARES,
            )


class TestPreset:
    def test_preset_table_is_valid_params(self):
        with PRESET.open("rb") as f:
            preset = tomllib.load(f)
        params = Params(**preset["levers"]["parental_leave"])
        assert params.shift == pytest.approx(1 - 0.5 / 0.8)
        assert preset["horizon"] == 2033


class TestNorrbotten:
    def test_defaults_give_a_plausible_effect(self, context):
        params = Params()
        started = time.perf_counter()
        ds = simulate(params, context, seed=0)
        assert time.perf_counter() - started < 1.0  # ~10 ms; generous for slow CI machines
        assert ds.attrs["lever"] == "parental_leave"
        assert ds.attrs["seed"] == 0
        assert Params.model_validate_json(ds.attrs["params"]) == params
        assert ds[YEAR].values.tolist() == context.years
        assert ds[SECTOR].values.tolist() == context.sectors
        units = {name: ds[name].attrs["units"] for name in ds.data_vars}
        assert units == {
            "extra_persons": PERSONS,
            "extra_fte": FTE,
            "fte_gained": FTE,
            "fte_lost": FTE,
            "births_to_employed_mothers": PERSONS,
            "hours_moved": FTE,
        }
        assert ds["hours_moved"].dims == (YEAR,)
        assert ds["extra_fte"].dims == (YEAR, SECTOR)
        extra = ds["extra_fte"]
        assert float(abs(extra.sel({YEAR: slice(None, 2025)})).sum()) == 0.0
        assert np.abs(extra.sum(SECTOR).values).max() < 1e-9
        # Most of Norrbotten's ~1 600–1 800 births a year are to employed mothers.
        births = ds["births_to_employed_mothers"].sum(SECTOR)
        population_births = context.population.sum(SEX).sel({AGE: 0})
        assert bool(((births > 0.6 * population_births) & (births <= population_births)).all())
        # Fully in force by 2031: births × 0.375 × 262.5 / 250 ≈ 630 FTE, noise ~ 3 %.
        moved = ds["hours_moved"].sel({YEAR: 2033}).item()
        assert moved == pytest.approx(
            births.sel({YEAR: 2033}).item() * 0.375 * 262.5 / WORKING_DAYS_PER_YEAR, rel=0.12
        )
        # Welfare sectors gain, male-dominated ones lose; a few per cent of employment moves.
        net_2033 = extra.sel({YEAR: 2033})
        for sector in (
            "elderly_care",
            "health_care",
            "preschool",
            "compulsory_school",
            "public_admin",
        ):
            assert net_2033.sel({SECTOR: sector}).item() > 0
        for sector in ("industry", "construction"):
            assert net_2033.sel({SECTOR: sector}).item() < 0
        fte = context.employed.sum(AGE) * context.fte_per_person
        care_gain = net_2033.sel({SECTOR: "elderly_care"}).item()
        assert 0.001 < care_gain / fte.sel({YEAR: 2033, SECTOR: "elderly_care"}).item() < 0.02
