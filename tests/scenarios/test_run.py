"""The runner end to end: lever effect against a hand computation, reproducibility, attrs."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from forecast.supply import labour_supply
from scenarios.establishments import establishment_flows
from scenarios.projection import projection_of
from scenarios.run import run_scenario
from scenarios.spec import load_scenario, parse_scenario
from scenarios.summary import quantiles

FULL_UPTAKE = """
name = "full_uptake"
title_sv = "Alla deltidare +3 timmar"
title_en = "All part-timers +3 hours"
[levers.part_time_hours]
extra_hours = 3.0
start_year = 2027
ramp_years = 0
uptake = 1.0
dropout = 0.0
sectors = ["elderly_care", "health_care", "preschool", "compulsory_school",
           "upper_secondary_school", "individual_family_care", "disability_support",
           "agriculture", "industry", "construction", "trade_transport", "business_services",
           "public_admin", "other_education"]
"""


def test_full_uptake_without_ramp_matches_hand_computation(inputs):
    """Every part-timer works 3 h more from 2027: extra FTE = part-timers × 3 / 40, exactly."""
    scenario = parse_scenario(FULL_UPTAKE, "test")
    ds = run_scenario(scenario, "25", inputs, seed=7)
    _, newcomers = establishment_flows(scenario.establishments, inputs, 2033)
    population = projection_of(inputs, 2033, draws=0, seed=0, extra=newcomers).population
    population = population.sel(region=inputs.units_of("25"))
    part_timers = labour_supply(population, inputs).part_timers.sum("region")
    hand = part_timers * 3.0 / 40.0
    after = {"year": slice(2027, None)}
    xr.testing.assert_allclose(
        ds.lever_fte.sel(after), hand.sel(after).transpose(*ds.lever_fte.dims)
    )
    assert float(abs(ds.lever_fte.sel(year=slice(None, 2026))).max()) == 0.0
    baseline = run_scenario(load_scenario("baseline"), "25", inputs, seed=7)
    np.testing.assert_allclose(baseline.gap_fte - ds.gap_fte, ds.lever_fte, atol=1e-9)


def test_part_time_preset_narrows_the_gap_from_its_start_year(inputs):
    base = run_scenario(load_scenario("baseline"), "25", inputs)
    lever = run_scenario(load_scenario("part_time_plus3"), "25", inputs)
    gap_base = base.gap_fte.sum("sector")
    gap_lever = lever.gap_fte.sum("sector")
    start = 2026
    assert (gap_lever.sel(year=slice(start, None)) < gap_base.sel(year=slice(start, None))).all()
    xr.testing.assert_equal(
        gap_lever.sel(year=slice(None, start - 1)), gap_base.sel(year=slice(None, start - 1))
    )
    assert float(lever.lever_fte.sel(sector=["agriculture", "industry"]).sum()) == 0.0


def test_same_seed_same_result_and_attrs_recorded(inputs):
    scenario = load_scenario("part_time_plus3")
    first = run_scenario(scenario, "2580", inputs, seed=3)
    second = run_scenario(scenario, "2580", inputs, seed=3)
    xr.testing.assert_identical(first, second)
    other = run_scenario(scenario, "2580", inputs, seed=4)
    assert not first.lever_fte.equals(other.lever_fte)
    for key in ("scenario", "scenario_json", "region", "seed", "data_vintage", "base_year"):
        assert key in first.attrs
    assert first.attrs["seed"] == 3
    assert "part_time_hours" in first.attrs["scenario_json"]


def test_gap_is_demand_minus_supply_and_zero_in_base_year(inputs):
    ds = run_scenario(load_scenario("baseline"), "24", inputs)
    xr.testing.assert_allclose(ds.gap_fte, ds.demand_fte - ds.supply_fte)
    assert float(abs(ds.gap_fte.isel(year=0)).max()) < 1e-9


def test_recruitment_is_expansion_plus_replacement_in_a_municipality(inputs):
    """In one unit the need is exactly max(0, expansion + replacement); retirements are part
    of replacement and never exceed last year's staff; flows are zero in the base year."""
    ds = run_scenario(load_scenario("baseline"), "2580", inputs)
    xr.testing.assert_allclose(
        ds.recruitment_need, (ds.expansion_need + ds.replacement_need).clip(min=0)
    )
    assert (ds.retirements <= ds.replacement_need + 1e-9).all()
    staff_before = ds.demand_persons.shift(year=1).isel(year=slice(1, None))
    assert (ds.retirements.isel(year=slice(1, None)) <= staff_before).all()
    for name in ("retirements", "expansion_need", "replacement_need", "recruitment_need"):
        assert float(abs(ds[name].isel(year=0)).max()) == 0.0, name
    xr.testing.assert_allclose(
        ds.expansion_need.isel(year=slice(1, None)),
        ds.demand_persons.diff("year"),
    )


def test_county_result_is_the_sum_of_its_municipalities(inputs):
    scenario = load_scenario("baseline")
    county = run_scenario(scenario, "23", inputs)
    parts = [run_scenario(scenario, m, inputs) for m in inputs.units_of("23")]
    for name in (
        "population",
        "supply_fte",
        "demand_fte",
        "gap_fte",
        "retirements",
        "recruitment_need",
    ):
        np.testing.assert_allclose(county[name], sum(p[name] for p in parts), rtol=1e-10)


def test_every_draw_adds_up_from_municipalities_to_the_country(inputs):
    scenario = load_scenario("baseline")
    county = run_scenario(scenario, "25", inputs, seed=5, draws=8)
    parts = [run_scenario(scenario, m, inputs, seed=5, draws=8) for m in inputs.units_of("25")]
    assert county.sizes["draw"] == 8
    for name in ("population", "gap_fte", "domestic_in", "deaths"):
        np.testing.assert_allclose(county[name], sum(p[name] for p in parts), rtol=1e-10)
    assert county.attrs["draws"] == 8
    assert "Lee–Carter" in county.attrs["rate_models"]
    country = run_scenario(scenario, "00", inputs)
    pieces = [run_scenario(scenario, r, inputs) for r in ("22", "23", "24", "25", "00X")]
    np.testing.assert_allclose(country.population, sum(p.population for p in pieces), rtol=1e-10)
    np.testing.assert_allclose(country.domestic_in, country.domestic_out, rtol=1e-10)


def test_quantiles_of_any_output_are_ordered(inputs):
    draws = run_scenario(load_scenario("baseline"), "2580", inputs, seed=2, draws=30)
    bands = quantiles(draws)
    assert list(bands["quantile"].values) == ["p025", "p10", "p50", "p90", "p975"]
    gap = bands.gap_fte.sum("sector").isel(year=-1).values
    assert (np.diff(gap) >= 0).all() and gap[0] < gap[-1]
    assert "draw" not in bands.population.dims


NO_EFFECT = """
name = "no_effect"
title_sv = "Alla spakar utan verkan"
title_en = "Every lever without effect"
[levers.working_life]
uptake = 0.0
[levers.part_time_hours]
uptake = 0.0
[levers.validation]
arrivals_per_year = 0
[levers.migration]
recruits_per_year = 0
[levers.sick_leave]
reduction = 0.0
[levers.parental_leave]
shift = 0.0
[levers.education.changes.upper_secondary]
fill_empty = 0.0
dropout_cut = 0.0
[levers.education.changes.yrkesvux]
fill_empty = 0.0
dropout_cut = 0.0
extra_places = 0.0
[levers.education.changes.yh]
fill_empty = 0.0
dropout_cut = 0.0
extra_places = 0.0
[levers.shared_services]
group = ["2505"]
"""


def test_levers_without_effect_equal_the_baseline_exactly(inputs):
    baseline = run_scenario(load_scenario("baseline"), "25", inputs, seed=3)
    idle = run_scenario(parse_scenario(NO_EFFECT, "test"), "25", inputs, seed=3)
    assert set(idle.lever_fte_by_lever.lever.values) == {
        "working_life", "part_time_hours", "validation", "migration", "sick_leave",
        "parental_leave", "education", "shared_services",
    }  # fmt: skip
    for name in ("population", "supply_persons", "supply_fte", "demand_fte", "gap_fte",
                 "retirements", "recruitment_need"):  # fmt: skip
        np.testing.assert_array_equal(idle[name], baseline[name], err_msg=name)


def test_every_lever_preset_helps_and_replicates_with_the_draws(inputs):
    base = run_scenario(load_scenario("baseline"), "25", inputs)
    for preset in ("working_life_66", "part_time_plus3", "validation_push",
                   "in_migration_push", "sick_leave_minus1"):  # fmt: skip
        ds = run_scenario(load_scenario(preset), "25", inputs)
        gain = (base.gap_fte - ds.gap_fte).sum("sector").sel(year=2033)
        assert float(gain) > 50, preset
    moved = run_scenario(load_scenario("parental_leave_equal"), "25", inputs).lever_fte
    assert abs(float(moved.sum("sector").sel(year=2033))) < 1e-6  # hours move, none are made
    assert float(moved.sel(year=2033, sector="elderly_care")) > 10
    shared = run_scenario(load_scenario("shared_services"), "25", inputs).lever_fte
    assert float(shared.sum("sector").sel(year=2033)) > 0
    education = run_scenario(load_scenario("education_pipeline"), "25", inputs).lever_fte
    assert float(education.sum("sector").sel(year=2033)) > 500
    first = run_scenario(load_scenario("validation_push"), "25", inputs, seed=1, draws=5)
    again = run_scenario(load_scenario("validation_push"), "25", inputs, seed=1, draws=5)
    xr.testing.assert_identical(first, again)
    spread = first.lever_fte_by_lever.sum(["lever", "sector"]).sel(year=2033)
    assert float(spread.std("draw")) > 0  # each draw is its own replication


NO_ESTABLISHMENTS = """
name = "no_establishments"
title_sv = "Utan etableringar"
title_en = "Without establishments"
[establishments]
include = false
"""


def test_establishments_add_jobs_to_demand_and_households_to_the_population(inputs):
    """Boden (Stegra, 1 500 direct jobs from 2027): demand in industry rises by the direct
    jobs in FTE, services by the indirect ones; movers raise the population and the schools'
    demand; switched off, nothing of it remains."""
    with_them = run_scenario(load_scenario("baseline"), "2582", inputs)
    without = run_scenario(parse_scenario(NO_ESTABLISHMENTS, "test"), "2582", inputs)
    assert "establishment_jobs" not in without
    jobs = with_them.establishment_jobs.sel(year=2030)
    assert float(jobs.sel(sector="industry")) == 1500.0
    assert float(jobs.sel(sector=["trade_transport", "business_services"]).sum()) == 1000.0
    per_person = 1 - 0.2375 + 0.2375 * 30 / 40  # industry's FTE per employed person
    extra = (with_them.demand_fte - without.demand_fte).sel(year=2030, sector="industry")
    assert float(extra) == pytest.approx(1500.0 * per_person, rel=1e-9)  # same trend in both
    movers = (with_them.population - without.population).sum(["sex", "age"]).sel(year=2030)
    assert float(movers) > 2000
    more_pupils = (with_them.demand_fte - without.demand_fte).sel(year=2033)
    assert float(more_pupils.sel(sector="compulsory_school")) > 0
    xr.testing.assert_equal(with_them.population.isel(year=0), without.population.isel(year=0))


def test_a_group_of_municipalities_is_the_sum_of_its_members(inputs):
    """Luleå–Boden (data/region_groups.csv) equals Luleå + Boden in every baseline output."""
    scenario = load_scenario("baseline")
    group = run_scenario(scenario, "g_lulea_boden", inputs)
    members = [run_scenario(scenario, code, inputs) for code in ("2580", "2582")]
    assert group.attrs["region_name"] == "Luleå–Boden"
    for name in ("population", "births", "supply_fte", "demand_fte", "gap_fte", "retirements",
                 "expansion_need", "replacement_need", "recruitment_need"):  # fmt: skip
        xr.testing.assert_allclose(group[name], members[0][name] + members[1][name])
