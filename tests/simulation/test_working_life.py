"""Tests of the "longer working life" lever: hand cases, bounds, randomness, validation."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np
import pydantic
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.dims import AGE, AGES, FTE, PERSONS, SECTOR, SEX, SEXES, YEAR
from simulation.engine import LeverContext
from simulation.working_life import Params, exits_by_age, simulate

YEARS = list(range(2025, 2035))  # 2025 is the base year: no exits in it
# Sector shares of the employed; with 1200 residents of every age each year, "care" has 120
# exits a year at 60, 240 at 65 and 120 at 75 (10, 20 and 10 a month), the others half that.
SHARES = {"care": 0.5, "industry": 0.25, "trade": 0.25, "agriculture": 0.0}
FTE_PER_PERSON = 0.9


def employment_rate() -> np.ndarray:
    """Rate by age [share]: 0.8 at 20–59, 0.6 at 60–64, 0.2 at 65–74, else 0."""
    rate = np.zeros(len(AGES))
    rate[20:60], rate[60:65], rate[65:75] = 0.8, 0.6, 0.2
    return rate


def make_context(scale: float = 1.0, rate: np.ndarray | None = None) -> LeverContext:
    """A stationary hand-made region: 1200 × scale residents of every age, SHARES by sector."""
    rate = employment_rate() if rate is None else rate
    sectors = list(SHARES)
    shares = np.array(list(SHARES.values()))
    residents = 1200.0 * scale
    employed = np.broadcast_to(
        residents * shares[None, :, None] * rate[None, None, :],
        (len(YEARS), len(sectors), len(AGES)),
    )
    drop = np.clip(rate[:-1] - rate[1:], 0, None)
    drop[: 50 - 1] = 0.0
    retirements = np.outer(np.r_[0.0, np.ones(len(YEARS) - 1)], residents * drop.sum() * shares)
    dims3 = {YEAR: YEARS, SECTOR: sectors, AGE: AGES}
    return LeverContext(
        years=YEARS,
        sectors=sectors,
        employed=xr.DataArray(employed.copy(), dims=list(dims3), coords=dims3),
        part_timers=xr.DataArray(
            np.zeros((len(YEARS), len(sectors))),
            dims=(YEAR, SECTOR),
            coords={YEAR: YEARS, SECTOR: sectors},
        ),
        fte_per_person=xr.DataArray(
            np.full(len(sectors), FTE_PER_PERSON), dims=SECTOR, coords={SECTOR: sectors}
        ),
        retirements=xr.DataArray(
            retirements, dims=(YEAR, SECTOR), coords={YEAR: YEARS, SECTOR: sectors}
        ),
        population=xr.DataArray(
            np.full((len(YEARS), 2, len(AGES)), residents / 2),
            dims=(YEAR, SEX, AGE),
            coords={YEAR: YEARS, SEX: list(SEXES), AGE: AGES},
        ),
        full_time_hours=40.0,
        part_time_hours=30.0,
    )


HAND = make_context()
BIG = make_context(scale=100.0)


def certain(**overrides: Any) -> Params:
    """Full uptake from January 2025, no ramp, no health exits, stay to 66, offer from 60."""
    fields: dict[str, Any] = {
        "start_year": 2025,
        "ramp_years": 0.0,
        "uptake": 1.0,
        "health_exit_rate": 0.0,
        "target_age": 66,
        "min_exit_age": 60,
    }
    fields.update(overrides)
    return Params(**fields)


def build_up(per_year: float, stay_years: int) -> list[float]:
    """Annual mean stock of a cohort flow of ``per_year`` from 2026 staying ``stay_years``.

    In the k-th year of joining the stock is per_year·k plus the month-by-month build-up
    per_year·(1 + … + 12)/144 = per_year·13/24; from year stay_years on, per_year·stay_years.
    """
    return [0.0] + [
        per_year * k + per_year * 13 / 24 if k < stay_years else per_year * stay_years
        for k in range(len(YEARS) - 1)
    ]


class TestExitsByAge:
    def test_hand_context_exits_at_60_65_and_75(self):
        exits = exits_by_age(HAND).sel({YEAR: 2030, SECTOR: "care"})
        assert exits.sel({AGE: [60, 65, 75]}).values == pytest.approx([120, 240, 120])
        assert float(exits.sum()) == pytest.approx(480)
        assert float(exits.drop_sel({AGE: [60, 65, 75]}).sum()) == 0.0

    def test_real_context_exits_add_up_to_retirements(self, context):
        exits = exits_by_age(context)
        assert float(exits.min()) >= 0.0
        np.testing.assert_allclose(exits.sum(AGE), context.retirements, rtol=1e-12, atol=1e-9)
        # Exits peak around the pension ages (65 with the smooth employment-rate curve by sex
        # and age, or 66 as it falls more slowly there).
        assert int(exits.sum([YEAR, SECTOR]).idxmax(AGE)) in (65, 66)

    def test_retirements_without_a_drop_in_employment_are_rejected(self):
        flat = employment_rate()
        flat[20:] = 0.8
        with pytest.raises(ValueError, match="no drop in the employment rate"):
            exits_by_age(dataclasses.replace(make_context(rate=flat), retirements=HAND.retirements))

    def test_non_finite_retirements_are_rejected(self):
        bad = HAND.retirements.copy()
        bad[1, 0] = np.nan
        with pytest.raises(ValueError, match=r"context\.retirements must be finite"):
            exits_by_age(dataclasses.replace(HAND, retirements=bad))


class TestHandComputed:
    def test_full_uptake_keeps_every_would_be_exit_until_66_exactly(self):
        ds = simulate(certain(), HAND, seed=1).sel({SECTOR: "care"})
        at_65, at_60 = build_up(240, 1), build_up(120, 6)
        expected = [a + b for a, b in zip(at_65, at_60, strict=True)]
        assert ds["extra_persons"].values.tolist() == expected
        # Once every cohort is in, the stock is the sum of the deferred cohorts.
        assert expected[-3:] == [240 * 1 + 120 * 6] * 3
        assert ds["extra_persons_60_plus"].values.tolist() == expected
        # The 60-year-olds of 2026 turn 65 in 2031, month by month.
        assert ds["extra_persons_65_plus"].sel({YEAR: [2030, 2031, 2032]}).values.tolist() == [
            240,
            240 + 65,
            240 + 120,
        ]
        assert ds["extra_fte"].values == pytest.approx(np.array(expected) * 0.8 * FTE_PER_PERSON)

    def test_exit_flows_of_the_full_uptake_case(self):
        ds = simulate(certain(), HAND, seed=1).sel({SECTOR: "care"})
        assert ds["pool_exits"].values.tolist() == pytest.approx([0] + [360] * 9)
        assert ds["avoided_exits"].values.tolist() == [0] + [360] * 9
        assert ds["deferred_exits"].values.tolist() == [0, 0] + [240] * 5 + [360] * 3
        assert ds["health_exits"].values.tolist() == [0] * 10
        # Nobody is lost: avoided − deferred = the stock left in the last month.
        left = ds["avoided_exits"].sum() - ds["deferred_exits"].sum()
        assert float(left) == 960

    def test_target_65_keeps_only_the_exits_at_60(self):
        ds = simulate(certain(target_age=65), HAND, seed=1).sel({SECTOR: "industry"})
        assert ds["extra_persons"].values.tolist() == build_up(60, 5)
        assert ds["extra_persons_65_plus"].values.tolist() == [0] * 10

    def test_offer_from_65_keeps_only_the_exits_at_65(self):
        ds = simulate(certain(min_exit_age=65), HAND, seed=1).sel({SECTOR: "trade"})
        assert ds["extra_persons"].values.tolist() == build_up(120, 1)

    def test_nothing_before_start_year_and_full_effect_from_it(self):
        ds = simulate(certain(start_year=2028), HAND, seed=1).sel({SECTOR: "care"})
        assert ds["extra_persons"].sel({YEAR: slice(None, 2027)}).values.tolist() == [0] * 3
        assert ds["avoided_exits"].sel({YEAR: 2028}).item() == 360

    def test_start_after_last_year_gives_zeros(self):
        ds = simulate(certain(start_year=2040), HAND, seed=1)
        assert float(abs(ds[["extra_persons", "avoided_exits"]]).to_array().sum()) == 0.0

    def test_sector_without_employed_and_uncovered_sectors_are_zero(self):
        ds = simulate(certain(sectors=["care", "agriculture"]), HAND, seed=1)
        for sector in ("agriculture", "industry", "trade"):
            assert float(ds["extra_persons"].sel({SECTOR: sector}).sum()) == 0.0
        assert float(ds["pool_exits"].sel({SECTOR: "industry"}).sum()) > 0

    def test_uptake_by_sector_overrides_the_default(self):
        ds = simulate(certain(uptake_by_sector={"industry": 0.0}), HAND, seed=1)
        assert float(ds["extra_persons"].sel({SECTOR: "industry"}).sum()) == 0.0
        assert ds["extra_persons"].sel({SECTOR: "trade"}).values.tolist() == [
            a + b for a, b in zip(build_up(120, 1), build_up(60, 6), strict=True)
        ]


class TestExpectedValues:
    """Random cases on a region 100 times larger; tolerances are >= 5 standard errors."""

    def test_half_uptake_keeps_half(self):
        full = simulate(certain(), BIG, seed=2)["extra_persons"]
        half = simulate(certain(uptake=0.5), BIG, seed=2)["extra_persons"]
        ratio = half.sel({SECTOR: "care", YEAR: slice(2027, None)}) / full.sel(
            {SECTOR: "care", YEAR: slice(2027, None)}
        )
        assert ratio.values == pytest.approx(0.5, abs=0.015)  # s.e. < 0.003

    def test_one_year_ramp_covers_month_k_with_share_k_over_12(self):
        ds = simulate(certain(start_year=2026, ramp_years=1.0), BIG, seed=3)
        avoided = ds["avoided_exits"].sel({SECTOR: "care"})
        # 36 000 would-be exits a year: 3000 a month, covered (k + 1)/12 in month k of 2026;
        # binomial s.e. sqrt(3000 · Σ p(1 − p)) ≈ 77.
        assert avoided.sel({YEAR: 2026}).item() == pytest.approx(3000 * 6.5, abs=400)
        assert avoided.sel({YEAR: 2027}).item() == 36_000

    def test_health_exits_thin_each_cohort_month_by_month(self):
        rate = 0.3
        ds = simulate(certain(min_exit_age=65, health_exit_rate=rate), BIG, seed=4)
        care = ds.sel({SECTOR: "care", YEAR: slice(2028, None)})
        stay = (1 - rate) ** (np.arange(12) / 12)  # staying share after k months
        # s.e. about 60 persons for the stock and 70 for each flow.
        assert care["extra_persons"].values == pytest.approx(2000 * stay.sum(), abs=350)
        assert care["deferred_exits"].values == pytest.approx(24_000 * stay[-1], abs=400)
        assert care["health_exits"].values == pytest.approx(24_000 * (1 - stay[-1]), abs=400)


class TestBounds:
    def test_zero_uptake_gives_zero_effect(self):
        ds = simulate(certain(uptake=0.0), HAND, seed=5)
        for name in ("extra_persons", "extra_fte", "avoided_exits", "deferred_exits"):
            assert float(abs(ds[name]).sum()) == 0.0
        assert float(ds["pool_exits"].sum()) > 0

    @settings(max_examples=15, deadline=None)
    @given(
        ages=st.lists(st.integers(61, 69), min_size=2, max_size=2, unique=True).map(sorted),
        min_exit_age=st.integers(50, 60),
        hours=st.lists(st.floats(0.1, 1.0), min_size=2, max_size=2).map(sorted),
    )
    def test_later_target_and_more_hours_never_give_less(self, ages, min_exit_age, hours):
        short = simulate(certain(target_age=ages[0], min_exit_age=min_exit_age), HAND, 0)
        long = simulate(certain(target_age=ages[1], min_exit_age=min_exit_age), HAND, 0)
        assert bool((long["extra_persons"] >= short["extra_persons"]).all())
        few = simulate(certain(hours_share=hours[0]), HAND, 0)["extra_fte"]
        many = simulate(certain(hours_share=hours[1]), HAND, 0)["extra_fte"]
        assert bool((many >= few).all())

    @settings(max_examples=15, deadline=None)
    @given(
        uptake=st.floats(0, 1),
        ramp_years=st.floats(0, 4),
        health=st.floats(0, 1),
        seed=st.integers(0, 2**32),
    )
    def test_effect_stays_between_zero_and_full_uptake(self, uptake, ramp_years, health, seed):
        ds = simulate(
            certain(uptake=uptake, ramp_years=ramp_years, health_exit_rate=health), HAND, seed
        )
        full = simulate(certain(), HAND, 0)
        assert bool((ds["extra_persons"] >= 0).all())
        assert bool((ds["extra_persons"] <= full["extra_persons"]).all())
        assert bool((ds["extra_persons_65_plus"] <= ds["extra_persons"]).all())
        assert bool((ds["avoided_exits"] <= ds["pool_exits"] + 1e-9).all())
        left = ds["avoided_exits"] - ds["deferred_exits"] - ds["health_exits"]
        assert bool((left.sum(YEAR) >= 0).all())


class TestRandomness:
    def test_same_seed_gives_identical_results(self):
        params = certain(uptake=0.4, ramp_years=2.0, health_exit_rate=0.1)
        xr.testing.assert_identical(simulate(params, HAND, 7), simulate(params, HAND, 7))

    def test_different_seeds_give_different_results(self):
        params = certain(uptake=0.4, health_exit_rate=0.1)
        a, b = simulate(params, HAND, 7), simulate(params, HAND, 8)
        assert not a["extra_persons"].equals(b["extra_persons"])

    def test_a_sector_draws_the_same_whatever_else_is_covered(self):
        params = certain(uptake=0.4, health_exit_rate=0.1)
        alone = simulate(params.model_copy(update={"sectors": ["trade"]}), HAND, 9)
        every = simulate(params, HAND, 9)
        xr.testing.assert_identical(
            alone["extra_persons"].sel({SECTOR: "trade"}),
            every["extra_persons"].sel({SECTOR: "trade"}),
        )


class TestValidation:
    def test_unknown_sector_is_named(self):
        with pytest.raises(ValueError, match="unknown sector 'mining'"):
            simulate(Params(sectors=["care", "mining"]), HAND, 0)

    def test_duplicate_sectors_are_rejected(self):
        with pytest.raises(ValueError, match="duplicate sector"):
            simulate(Params(sectors=["care", "care"]), HAND, 0)

    def test_uptake_for_an_uncovered_sector_is_rejected(self):
        with pytest.raises(ValueError, match="uptake_by_sector: sector 'trade' is not covered"):
            simulate(Params(sectors=["care"], uptake_by_sector={"trade": 0.5}), HAND, 0)

    def test_negative_seed_is_rejected(self):
        with pytest.raises(ValueError, match="seed"):
            simulate(Params(), HAND, -1)

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"uptake": 1.5}, "uptake"),
            ({"uptake_by_sector": {"care": -0.1}}, "uptake_by_sector"),
            ({"target_age": 70}, "target_age"),
            ({"min_exit_age": 49}, "min_exit_age"),
            ({"min_exit_age": 66, "target_age": 66}, "must be below target_age"),
            ({"hours_share": 0.0}, "hours_share"),
            ({"health_exit_rate": -0.1}, "health_exit_rate"),
            ({"start_year": 2024}, "start_year"),
            ({"ramp_years": 11}, "ramp_years"),
            ({"retire_at": 66}, "Extra inputs are not permitted"),
        ],
    )
    def test_out_of_range_parameters_are_rejected(self, fields, message):
        with pytest.raises(pydantic.ValidationError, match=message):
            Params(**fields)


class TestRealContext:
    def test_defaults_on_norrbotten_are_plausible(self, context):
        started = time.perf_counter()
        ds = simulate(Params(), context, seed=0)
        elapsed = time.perf_counter() - started
        assert elapsed < 0.5  # one call takes ~15 ms; generous for busy machines
        assert ds[YEAR].values.tolist() == context.years
        assert ds[SECTOR].values.tolist() == context.sectors
        assert ds.attrs["lever"] == "working_life"
        assert ds.attrs["seed"] == 0
        assert Params.model_validate_json(ds.attrs["params"]) == Params()
        for name in ds.data_vars:
            assert ds[name].dims == (YEAR, SECTOR)
            assert ds[name].attrs["description"]
        assert ds["extra_persons"].attrs["units"] == PERSONS
        assert ds["extra_fte"].attrs["units"] == FTE
        before = ds.sel({YEAR: slice(None, 2025)})
        assert float(abs(before[["extra_persons", "avoided_exits"]]).to_array().sum()) == 0.0
        # Some 2 300 exits a year at 60–65 in Norrbotten; a quarter stays, at 0.8 of an FTE.
        fte_2033 = float(ds["extra_fte"].sel({YEAR: 2033}).sum())
        assert 400 < fte_2033 < 1200
        persons = ds["extra_persons"].sel({YEAR: 2033})
        assert bool((persons > 0).all())
        assert float(persons.sum()) < 0.02 * float(context.employed.sel({YEAR: 2033}).sum())
        assert bool((ds["avoided_exits"] <= ds["pool_exits"] + 1e-9).all())
        assert bool((ds["extra_persons_65_plus"] <= ds["extra_persons"]).all())
