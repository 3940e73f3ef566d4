"""Tests of the in-migration lever: hand cases, housing limits, leaving, validation, defaults."""

from __future__ import annotations

from typing import Any

import numpy as np
import pydantic
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.dims import AGE, AGES, SECTOR, SEX, SEXES, YEAR
from simulation.engine import LeverContext
from simulation.migration import Params, simulate

YEARS = list(range(2025, 2031))  # base year 2025; the lever starts in 2026
SECTORS = ["industry", "care", "education"]
EMPLOYED = {"industry": 2000.0, "care": 1500.0, "education": 500.0}  # base-year shares .5/.375/.125
FTE_PER_PERSON = {"industry": 0.95, "care": 0.9, "education": 0.9}
N = 1200  # recruits per year in the hand cases: 100 a month


def small_context() -> LeverContext:
    """A hand-made context: three sectors, employed spread evenly over ages 20–64."""
    ages = np.zeros(len(AGES))
    ages[20:65] = 1 / 45
    employed = xr.DataArray(
        np.array([[EMPLOYED[s] * ages for s in SECTORS]] * len(YEARS)),
        dims=(YEAR, SECTOR, AGE),
        coords={YEAR: YEARS, SECTOR: SECTORS, AGE: AGES},
    )
    per_sector = xr.DataArray(np.zeros((len(YEARS), len(SECTORS))), dims=(YEAR, SECTOR))
    return LeverContext(
        years=YEARS,
        sectors=SECTORS,
        employed=employed,
        part_timers=per_sector,
        fte_per_person=xr.DataArray(
            list(FTE_PER_PERSON.values()), dims=SECTOR, coords={SECTOR: SECTORS}
        ),
        retirements=per_sector,
        population=xr.DataArray(np.zeros((len(YEARS), 2, len(AGES))), dims=(YEAR, SEX, AGE)),
        full_time_hours=40.0,
        part_time_hours=30.0,
    )


CONTEXT = small_context()


def run(seed: int = 1, **overrides: Any) -> xr.Dataset:
    """Hand case: N recruits a year into care from 2026, no ramp, unlimited housing, nobody
    leaves, each with exactly one employed partner and no children; ``overrides`` change it."""
    fields: dict[str, Any] = {
        "start_year": 2026,
        "ramp_years": 0.0,
        "recruits_per_year": N,
        "sector_shares": {"care": 1.0},
        "partners_per_household": 1.0,
        "partner_employment": 1.0,
        "children_per_household": 0.0,
        "housing_stock": 10**9,
        "dwellings_built_per_year": 0,
        "leave_rate_per_year": 0.0,
    }
    fields.update(overrides)
    return simulate(Params(**fields), CONTEXT, seed)


def persons_per_year(flow: xr.DataArray) -> list[float]:
    """A (year, sex, age) flow summed to persons per year."""
    return flow.sum([SEX, AGE]).values.tolist()


class TestHandComputed:
    def test_unlimited_housing_and_no_leaving_houses_every_recruit_in_its_month(self):
        # 100 households arrive each month, so the annual mean stock of the first year is
        # 100 × (1 + … + 12) / 12 = 650 and every later year adds exactly N = 1200.
        ds = run(worker_male_share=1.0)
        assert ds["arrived_households"].values.tolist() == [0, N, N, N, N, N]
        assert ds["households"].values.tolist() == [0, 650, 1850, 3050, 4250, 5450]
        assert ds["gave_up"].values.tolist() == [0.0] * 6
        assert ds["housing_wait_months"].values.tolist() == [0.0] * 6
        # Worker (male, by worker_male_share = 1) plus partner (female) per household.
        arrivals = ds["arrivals"].sum(AGE)
        assert arrivals.sel({SEX: "male"}).values.tolist() == [0, N, N, N, N, N]
        assert arrivals.sel({SEX: "female"}).values.tolist() == [0, N, N, N, N, N]
        assert persons_per_year(ds["departures"]) == [0.0] * 6
        adults = ds["arrivals"].sum([YEAR, SEX])
        assert adults.sel({AGE: slice(25, 44)}).sum().item() == 2 * 5 * N

    def test_extra_persons_grow_by_n_times_one_plus_partners_times_employment(self):
        # Every year after the first adds N × (1 + partners × partner_employment) = 2400
        # employed: N workers in care plus N partners spread over the sectors.
        total = run()["extra_persons"].sum(SECTOR)
        # Exact per sector; the sum over sectors only adds float rounding.
        assert total.values.tolist() == pytest.approx([0, 1300, 3700, 6100, 8500, 10900], abs=1e-9)
        assert np.diff(total.values)[1:].tolist() == pytest.approx([2 * N] * 4, abs=1e-9)

    def test_without_partner_employment_only_the_target_sector_gains(self):
        ds = run(partner_employment=0.0)
        persons = ds["extra_persons"]
        assert persons.sel({SECTOR: "care"}).values.tolist() == ds["households"].values.tolist()
        assert persons.sel({SECTOR: ["industry", "education"]}).sum().item() == 0.0
        fte = ds["extra_fte"].sel({SECTOR: "care"})
        np.testing.assert_allclose(fte.values, 0.9 * persons.sel({SECTOR: "care"}).values)

    def test_establishment_movers_go_to_their_sector(self):
        ds = run(recruits_per_year=0, establishment_movers_per_year=600, partners_per_household=0.0)
        persons = ds["extra_persons"]
        assert persons.sel({SECTOR: "industry"}).values.tolist() == [0, 325, 925, 1525, 2125, 2725]
        assert persons.sel({SECTOR: ["care", "education"]}).sum().item() == 0.0

    def test_housing_binds_exactly_when_building_is_half_the_recruits(self):
        # 600 dwellings each January: January to June's 100 applicants are housed at once,
        # July to December's find none and give up (max_wait_months = 0).
        ds = run(housing_stock=0, dwellings_built_per_year=600, max_wait_months=0)
        assert ds["arrived_households"].values.tolist() == [0, 600, 600, 600, 600, 600]
        assert ds["gave_up"].values.tolist() == [0, 600, 600, 600, 600, 600]
        assert ds["free_dwellings"].values.tolist() == [0.0] * 6

    def test_waiting_households_are_housed_next_january_or_give_up(self):
        # 600 dwellings each January, up to 6 months' patience: July–December's applicants
        # wait and take January's dwellings (waits 6, 5, …, 1), so from 2027 January–June's
        # applicants find none and give up in July–December.
        ds = run(housing_stock=0, dwellings_built_per_year=600, max_wait_months=6)
        assert ds["arrived_households"].values.tolist() == [0, 600, 600, 600, 600, 600]
        assert ds["gave_up"].values.tolist() == [0, 0, 600, 600, 600, 600]
        assert ds["housing_wait_months"].values.tolist() == [0, 0, 3.5, 3.5, 3.5, 3.5]

    def test_dwellings_freed_by_leavers_are_reused_in_the_month_they_free_up(self):
        # leave_rate 1: every household leaves after one month; 100 dwellings serve all.
        ds = run(housing_stock=100, leave_rate_per_year=1.0)
        assert ds["arrived_households"].values.tolist() == [0, N, N, N, N, N]
        assert ds["gave_up"].values.tolist() == [0.0] * 6
        assert ds["households"].values.tolist() == [0, 100, 100, 100, 100, 100]
        # February–December's households leave in their arrival year, December's in the next.
        assert persons_per_year(ds["departures"]) == [0, 2200, 2400, 2400, 2400, 2400]

    def test_departures_carry_the_ages_reached_in_the_year_of_leaving(self):
        ds = run(housing_stock=100, leave_rate_per_year=1.0, partners_per_household=0.0)
        ages = ds["departures"].sum([YEAR, SEX])
        assert ages.sel({AGE: slice(25, 45)}).sum().item() == ages.sum().item()
        # Only December's households leave a year older: age 45 occurs, and is rare.
        assert 0 < ages.sel({AGE: 45}).item() < 0.05 * ages.sum().item()

    def test_before_start_year_nothing_happens(self):
        ds = run()
        base = ds.sel({YEAR: 2025})
        for name in ("extra_persons", "extra_fte", "arrivals", "departures", "households"):
            assert float(base[name].sum()) == 0.0


class TestSampling:
    def test_household_composition_matches_its_means(self):
        # 6 000 households: sd of the mean members per household ≈ 0.9 / √6000 ≈ 0.012, and of
        # the employed partner share ≈ 0.5 / √6000 ≈ 0.0065; tolerances are over 4 sd.
        ds = run(partners_per_household=0.6, partner_employment=0.83, children_per_household=0.57)
        households = ds["arrived_households"].sum().item()
        assert households == 5 * N
        members = ds["arrivals"].sum().item() / households
        assert members == pytest.approx(1 + 0.6 + 0.57, abs=0.05)
        last = ds.sel({YEAR: 2030})
        employed_partners = last["extra_persons"].sum().item() - last["households"].item()
        assert employed_partners / last["households"].item() == pytest.approx(0.6 * 0.83, abs=0.03)
        children = ds["arrivals"].sel({AGE: slice(0, 17)}).sum().item()
        assert children / households == pytest.approx(0.57, abs=0.04)

    def test_households_decay_at_the_leave_rate(self):
        # Expected stock: each month 500 arrive; a household survives a month with
        # (1 − 0.2)^(1/12). Relative sd of the stock is well below 1 %.
        ds = run(recruits_per_year=6000, leave_rate_per_year=0.2)
        keep = 0.8 ** (1 / 12)
        months = np.arange(60)
        stock = np.array([500 * (keep ** (m - months[: m + 1])).sum() for m in months])
        expected = stock.reshape(5, 12).mean(axis=1)
        np.testing.assert_allclose(ds["households"].values[1:], expected, rtol=0.02)

    def test_default_split_gives_a_third_to_industry_and_the_rest_by_employed(self):
        ds = run(
            recruits_per_year=12000,
            sector_shares=None,
            partners_per_household=0.0,
        )
        share = ds["extra_persons"].sel({YEAR: 2030}) / ds["extra_persons"].sel({YEAR: 2030}).sum()
        expected = {"industry": 1 / 3, "care": 2 / 3 * 0.75, "education": 2 / 3 * 0.25}
        for sector, value in expected.items():
            assert share.sel({SECTOR: sector}).item() == pytest.approx(value, abs=0.01)

    def test_default_split_over_chosen_sectors_without_industry(self):
        ds = run(sector_shares=None, sectors=["care", "education"], partners_per_household=0.0)
        persons = ds["extra_persons"].sel({YEAR: 2030})
        assert persons.sel({SECTOR: "industry"}).item() == 0.0
        care_share = persons.sel({SECTOR: "care"}).item() / persons.sum().item()
        assert care_share == pytest.approx(0.75, abs=0.03)


class TestZeroAndMonotone:
    def test_no_housing_and_no_building_means_no_arrivals(self):
        ds = run(housing_stock=0, dwellings_built_per_year=0, max_wait_months=0)
        for name in ("extra_persons", "extra_fte", "arrivals", "departures", "households"):
            assert float(ds[name].sum()) == 0.0
        assert ds["gave_up"].sum().item() == 5 * N

    def test_no_recruits_means_no_effect(self):
        ds = run(recruits_per_year=0.0)
        assert float(ds["arrivals"].sum()) == 0.0
        assert float(ds["extra_fte"].sum()) == 0.0

    @settings(max_examples=15, deadline=None)
    @given(
        stock=st.integers(0, 3000),
        more_stock=st.integers(0, 3000),
        built=st.integers(0, 1500),
        more_built=st.integers(0, 1500),
        wait=st.integers(0, 12),
    )
    def test_more_housing_never_gives_fewer_arrivals(
        self, stock: int, more_stock: int, built: int, more_built: int, wait: int
    ):
        common = {"max_wait_months": wait, "ramp_years": 1.5, "sector_shares": None}
        low = run(housing_stock=stock, dwellings_built_per_year=built, **common)
        high = run(
            housing_stock=stock + more_stock, dwellings_built_per_year=built + more_built, **common
        )
        housed_low = low["arrived_households"].cumsum(YEAR).values
        housed_high = high["arrived_households"].cumsum(YEAR).values
        assert np.all(housed_high >= housed_low)


class TestSeeds:
    def test_same_seed_gives_an_identical_dataset(self):
        kwargs = {"children_per_household": 0.6, "leave_rate_per_year": 0.1, "sector_shares": None}
        xr.testing.assert_identical(run(seed=7, **kwargs), run(seed=7, **kwargs))

    def test_different_seeds_give_different_arrivals(self):
        a, b = run(seed=1), run(seed=2)
        assert not np.array_equal(a["arrivals"].values, b["arrivals"].values)


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"sectors": ["care", "mining"]}, "levers.migration.sectors: unknown sector 'mining'"),
            ({"sector_shares": {"mining": 1.0}}, "levers.migration.sector_shares: unknown"),
            ({"establishment_sector": "mining"}, "levers.migration.establishment_sector"),
        ],
    )
    def test_unknown_sectors_raise_value_error(self, overrides: dict[str, Any], message: str):
        with pytest.raises(ValueError, match=message):
            run(**overrides)

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"sector_shares": {"care": 0.5, "industry": 0.4}}, "sector_shares must sum to 1"),
            ({"sector_shares": {"care": 1.0}, "sectors": ["industry"]}, "not in sectors"),
            ({"recruits_per_year": -1.0}, "recruits_per_year"),
            ({"partners_per_household": 1.5}, "partners_per_household"),
            ({"max_wait_months": -1}, "max_wait_months"),
            ({"leave_rate_per_year": 1.2}, "leave_rate_per_year"),
            ({"housing": 10}, "housing"),
        ],
    )
    def test_bad_parameters_raise_validation_error(self, overrides: dict[str, Any], message: str):
        with pytest.raises(pydantic.ValidationError, match=message):
            Params(**overrides)


def test_defaults_on_norrbotten_give_plausible_magnitudes(context: LeverContext):
    ds = simulate(Params(), context, seed=0)
    assert ds["extra_persons"].dims == (YEAR, SECTOR)
    assert ds["extra_persons"][YEAR].values.tolist() == context.years
    assert ds["extra_persons"][SECTOR].values.tolist() == context.sectors
    assert ds["arrivals"][SEX].values.tolist() == list(SEXES)
    assert ds.attrs["lever"] == "migration"
    assert Params.model_validate_json(ds.attrs["params"]) == Params()
    assert float(ds.sel({YEAR: slice(None, 2025)})["extra_fte"].sum()) == 0.0
    # About 1 300 households a year at full pace, 2.2 persons each, partly held up by housing.
    arrivals = ds["arrivals"].sum([SEX, AGE]).sel({YEAR: 2033}).item()
    assert 2000 < arrivals < 3500
    departures = ds["departures"].sum([SEX, AGE]).sel({YEAR: 2033}).item()
    assert 0 < departures < arrivals
    # Eight years of recruiting: several thousand FTE, a small share of Norrbotten's ~128 000
    # employed.
    fte_2033 = ds["extra_fte"].sel({YEAR: 2033}).sum().item()
    assert 5000 < fte_2033 < 12000
    assert ds["extra_fte"].sel({YEAR: 2033, SECTOR: "industry"}).item() > 0.2 * fte_2033
    assert np.all(np.isfinite(ds["extra_fte"].values))
    assert ds["housing_wait_months"].max().item() <= Params().max_wait_months
