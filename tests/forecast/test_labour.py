"""Supply, demand and replacement on the embedded inputs: the identities the SKR method
promises, checked on hand-made populations and as hypothesis properties."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from forecast.balance import exit_rates, expansion, recruitment_need, replacement
from forecast.demand import labour_demand, users
from forecast.dims import AGE, REGION, SECTOR, SEX, YEAR
from forecast.supply import employed_by_age, labour_supply

YEARS = [2024, 2025, 2026]
UNITS = ["2580", "2584"]


def population(inputs, factors: list[np.ndarray]) -> xr.DataArray:
    """The units' base population times one (sex, age) factor array per year."""
    base = inputs.population.sel({REGION: UNITS})
    years = [base * f for f in factors]
    return xr.concat(years, dim=YEAR).assign_coords({YEAR: YEARS[: len(factors)]})


def user_sectors(inputs) -> list[str]:
    return list(inputs.sectors.index[inputs.sectors.demand_driver == "users"])


def test_demand_scales_exactly_with_users_under_constant_staff_per_user(inputs):
    rng = np.random.default_rng(3)
    shape = (2, 101)
    pop = population(inputs, [np.ones(shape), rng.uniform(0.5, 1.5, shape), np.full(shape, 2.0)])
    base_fte = labour_supply(pop, inputs).supply_fte.isel({YEAR: 0})
    demand = labour_demand(pop, base_fte, inputs)
    sectors = user_sectors(inputs)
    u = users(pop, inputs).sel({SECTOR: sectors})
    ratio = demand.sel({SECTOR: sectors}) / base_fte.sel({SECTOR: sectors})
    expected = (u / u.isel({YEAR: 0})).transpose(*ratio.dims)
    xr.testing.assert_allclose(ratio, expected, rtol=1e-12)
    # a population doubled in every age doubles every user-driven sector's demand
    np.testing.assert_allclose(ratio.sel({YEAR: 2026}), 2.0, rtol=1e-12)


def test_an_unchanged_population_gives_no_expansion_in_demographic_sectors(inputs):
    pop = population(inputs, [np.ones((2, 101))] * 3)
    base_fte = labour_supply(pop, inputs).supply_fte.isel({YEAR: 0})
    demand = labour_demand(pop, base_fte, inputs)
    fte = labour_supply(pop, inputs).supply_fte.isel({YEAR: 0}) * 0 + 1  # any FTE per person
    growth = expansion(demand / fte)
    steady = inputs.sectors.index[inputs.sectors.demand_driver != "trend"]
    assert float(abs(growth.sel({SECTOR: list(steady)})).max()) == 0.0


def test_productivity_lowers_only_welfare_staff_per_user(inputs):
    pop = population(inputs, [np.ones((2, 101))] * 3)
    base_fte = labour_supply(pop, inputs).supply_fte.isel({YEAR: 0})
    plain = labour_demand(pop, base_fte, inputs)
    leaner = labour_demand(pop, base_fte, inputs, productivity=0.01)
    welfare = list(inputs.sectors.index[inputs.sectors.group == "welfare"])
    other = list(inputs.sectors.index[inputs.sectors.group != "welfare"])
    xr.testing.assert_allclose(
        leaner.sel({SECTOR: welfare, YEAR: 2026}),
        plain.sel({SECTOR: welfare, YEAR: 2026}) * 0.99**2,
    )
    xr.testing.assert_equal(leaner.sel({SECTOR: other}), plain.sel({SECTOR: other}))


def test_supply_by_sector_adds_up_to_the_employed(inputs):
    pop = population(inputs, [np.ones((2, 101)), np.full((2, 101), 1.1)])
    supply = labour_supply(pop, inputs)
    employed = employed_by_age(pop, inputs).sum([SEX, AGE])
    xr.testing.assert_allclose(supply.supply_persons.sum(SECTOR), employed, rtol=1e-12)
    assert (supply.supply_fte <= supply.supply_persons + 1e-9).all()


@given(
    scale=st.lists(st.floats(0.0, 3.0), min_size=3, max_size=3),
    staff=st.floats(0.0, 1e5),
)
def test_retirements_and_deaths_never_exceed_last_years_staff(inputs, scale, staff):
    pop = population(inputs, [np.full((2, 101), s) for s in scale])
    rates = exit_rates(pop, inputs)
    assert ((rates.retire >= 0) & (rates.retire + rates.die <= 1)).all()
    demand = xr.full_like(pop.isel({SEX: 0, AGE: 0}, drop=True), staff)
    leavers = replacement(demand, rates)
    before = demand.shift({YEAR: 1}).fillna(0.0)
    assert (leavers.retirements + leavers.deaths <= before + 1e-6).all()
    need = recruitment_need(expansion(demand), leavers.retirements + leavers.deaths)
    assert (need >= 0).all()


def test_exit_hazard_reproduces_the_published_exit_age(inputs):
    """Workers in work at 50 leave, on average, at Pensionsmyndigheten's 64.2 years."""
    h = inputs.exit_hazard.sel({AGE: slice(50, 74)}).to_numpy()
    still = np.cumprod(np.r_[1.0, 1 - h[:-1]])
    ages = np.arange(50, 75)
    assert float(((ages + 0.5) * still * h).sum()) == pytest.approx(64.2, abs=1e-6)
    assert float(inputs.exit_hazard.sel({AGE: slice(0, 49)}).max()) == 0.0
