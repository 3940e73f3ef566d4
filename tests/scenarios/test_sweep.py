"""Sweeps and goal seeking: grid and target parsing, lever copies, a goal with a hand-computed
answer, an unreachable goal, whole-number search and a small sweep (about 5 s in all)."""

from __future__ import annotations

import re

import pytest

from forecast.supply import labour_supply
from scenarios.establishments import establishment_flows
from scenarios.projection import projection_of
from scenarios.spec import ScenarioError, load_scenario, parse_scenario
from scenarios.sweep import (
    Target,
    goal_seek,
    lever_field,
    parse_grid,
    parse_target,
    sweep,
    with_lever,
)
from simulation import hours

REGION = "2580"  # Luleå: one municipality keeps the runs fast
WELFARE = list(hours.WELFARE)  # the lever's default sectors
# Everyone takes the offer from January 2025 and nobody drops back or leaves: the lever's
# effect is exactly part-timers × extra_hours / full_time_hours (40 h).
EXACT = """
name = "exact_hours"
title_sv = "Alla deltidare fler timmar"
title_en = "All part-timers more hours"
[levers.part_time_hours]
extra_hours = 3.0
start_year = 2025
ramp_years = 0
uptake = 1.0
dropout = 0.0
leave_rate = 0.0
"""


@pytest.fixture(scope="module")
def exact():
    return parse_scenario(EXACT, "test")


@pytest.fixture(scope="module")
def part_timers_2033(inputs, exact) -> float:
    """Welfare part-timers in the region in 2033, from the central projection with the
    in-migrants of the scenario's announced establishments (as the lever sees them)."""
    flows = establishment_flows(exact.establishments, inputs, 2033)
    background = flows[1] if flows else None
    population = projection_of(inputs, 2033, draws=0, seed=0, extra=background).population
    population = population.sel(region=inputs.units_of(REGION))
    part_timers = labour_supply(population, inputs).part_timers.sum("region")
    return float(part_timers.sel(year=2033, sector=WELFARE).sum())


def test_goal_finds_the_hand_computed_extra_hours(exact, inputs, part_timers_2033):
    hand = part_timers_2033 * 2.5 / 40.0
    tolerance = 1e-3  # [FTE]
    result = goal_seek(
        exact, REGION, "part_time_hours.extra_hours", f"lever_fte.total@2033={hand}", inputs,
        tolerance=tolerance, x_tolerance=1e-9,
    )  # fmt: skip
    assert result.achieved and result.reachable
    assert abs(result.measured - hand) <= tolerance
    # |f| ≤ tolerance bounds the error in hours through the slope part_timers / 40
    assert abs(result.value - 2.5) <= tolerance * 40.0 / part_timers_2033 + 1e-12
    assert 2 < result.evaluations < 40
    assert "part_time_hours.extra_hours = 2.5" in result.message


def test_unreachable_goal_names_both_ends(exact, inputs, part_timers_2033):
    result = goal_seek(
        exact, REGION, "part_time_hours.extra_hours", "lever_fte.total@2033=1e6", inputs
    )
    assert not result.reachable and not result.achieved
    assert result.evaluations == 2
    # part-timers work 30 h, so extra hours are capped at 10: the top of (0, 20] gives 10 h
    top = part_timers_2033 * 10.0 / 40.0
    assert result.value == 20 and result.measured == pytest.approx(top)
    assert "cannot be reached" in result.message
    assert "part_time_hours.extra_hours = 0.002" in result.message  # (0 is not allowed)
    assert f"{top:.6g} at 20" in result.message


def test_whole_number_fields_search_whole_numbers(inputs):
    """No assessor gives no validated workers; one gives some: 10 FTE lies in between."""
    scenario = load_scenario("baseline")
    result = goal_seek(scenario, REGION, "validation.assessors", "lever_fte.total@2033=10", inputs)
    assert result.reachable and not result.achieved
    assert result.value in (0, 1) and isinstance(result.value, int)
    assert "lies between validation.assessors = 0" in result.message
    assert result.evaluations <= 13  # log2(1000) + the two ends


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("gap_fte.mining@2033=0", "unknown series 'mining' (series: total, elderly_care"),
        ("gap_fte.total@2040=0", "year 2040 is outside the run (2024–2033"),
        ("gap_fte.total@2020=0", "year 2020 is outside the run"),
    ],
)
def test_goal_checks_the_target_against_the_data_before_running(exact, inputs, target, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        goal_seek(exact, REGION, "part_time_hours.uptake", target, inputs)


def test_goal_rejects_a_bad_lever_path(exact, inputs):
    with pytest.raises(
        ValueError, match=re.escape("lever 'part_time_hours': expected LEVER.FIELD")
    ):
        goal_seek(exact, REGION, "part_time_hours", "gap_fte.total@2033=0", inputs)


def test_sweep_stacks_runs_along_the_lever_path(exact, inputs):
    ds = sweep(exact, REGION, "part_time_hours.extra_hours=1:3:1", inputs)
    path = "part_time_hours.extra_hours"
    assert ds.attrs["sweep"] == path and ds.attrs["region"] == REGION
    assert ds[path].values.tolist() == [1.0, 2.0, 3.0]
    assert set(ds.data_vars) == {"gap_fte", "supply_fte", "demand_fte", "lever_fte"}
    assert ds.lever_fte.dims == (path, "year", "sector")
    lever = ds.lever_fte.sel(year=2033).sum("sector").values
    assert lever[0] > 0 and (lever[1:] > lever[:-1]).all()
    # the lever adds to supply only: gap + lever FTE does not depend on the lever value
    closed = (ds.gap_fte + ds.lever_fte).sel(year=2033)
    assert float(abs(closed - closed.isel({path: 0})).max()) < 1e-6


def test_with_lever_switches_a_lever_on_with_its_defaults():
    baseline = load_scenario("baseline")
    on = with_lever(baseline, "part_time_hours", "uptake", 0.7)
    assert on.levers.part_time_hours.uptake == 0.7
    assert on.levers.part_time_hours.extra_hours == 3.0  # the lever's default
    assert baseline.levers.part_time_hours is None  # the original is untouched
    preset = load_scenario("part_time_plus3")
    changed = with_lever(preset, "part_time_hours", "extra_hours", 5)
    assert changed.levers.part_time_hours.uptake == preset.levers.part_time_hours.uptake
    assert changed.levers.part_time_hours.sectors == WELFARE
    assert with_lever(baseline, "validation", "assessors", 12.0).levers.validation.assessors == 12


@pytest.mark.parametrize(
    ("lever", "field", "value", "message"),
    [
        ("part_time_hours", "start_year", 2040, "start_year \\(2040\\) is after the horizon"),
        ("part_time_hours", "uptake", 1.5, "levers.part_time_hours.uptake.*less than or equal"),
        ("working_life", "min_exit_age", 67, "min_exit_age"),
        ("validation", "assessors", 2.5, "assessors takes whole numbers, got 2.5"),
    ],
)
def test_with_lever_rejects_invalid_values(lever, field, value, message):
    with pytest.raises(ScenarioError, match=message):
        with_lever(load_scenario("baseline"), lever, field, value)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("part_time_hours.extra_hours=1:5:1", [1.0, 2.0, 3.0, 4.0, 5.0]),
        ("part_time_hours.uptake=0.1:0.3:0.1", [0.1, 0.2, 0.3]),  # no float noise, stop kept
        ("part_time_hours.extra_hours=1:2.5:1", [1.0, 2.0]),  # stop off the grid: not passed
        ("part_time_hours.uptake = 0.5, 0.25 ,1", [0.5, 0.25, 1.0]),
        ("sick_leave.reduction=0.02", [0.02]),
        ("validation.assessors=10:30:10", [10, 20, 30]),
    ],
)
def test_parse_grid(spec, expected):
    lever, field, values = parse_grid(spec)
    assert f"{lever}.{field}" == spec.partition("=")[0].strip()
    assert values == expected
    assert all(type(v) is type(expected[0]) for v in values)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("part_time_hours.extra_hours", "expected LEVER.FIELD=START:STOP:STEP or"),
        ("extra_hours=1:5:1", "expected LEVER.FIELD"),
        ("hours.extra_hours=1", "unknown lever 'hours' (levers: working_life, part_time_hours"),
        ("part_time_hours.extra=1", "no numeric field 'extra' (numeric fields: extra_hours, "),
        ("part_time_hours.sectors=1", "no numeric field 'sectors'"),
        ("part_time_hours.full_time_norm=1", "no numeric field 'full_time_norm'"),
        ("part_time_hours.uptake=", "no values after '='"),
        ("part_time_hours.uptake=a,b", "'a' is not a number"),
        ("part_time_hours.uptake=0.1,,0.2", "'' is not a number"),
        ("part_time_hours.uptake=nan", "'nan' is not a finite number"),
        ("part_time_hours.uptake=0:1", "a range needs START:STOP:STEP, got '0:1'"),
        ("part_time_hours.uptake=0:1:0", "step must be > 0, got 0"),
        ("part_time_hours.uptake=0:1:-0.1", "step must be > 0, got -0.1"),
        ("part_time_hours.uptake=0.5:0.1:0.1", "empty grid: stop 0.1 is below start 0.5"),
        ("part_time_hours.uptake=0:1:0.0001", "10001 grid points; at most 500"),
        ("part_time_hours.uptake=0.5:1.5:0.5", "uptake = 1.5 is outside the allowed range [0, 1]"),
        ("part_time_hours.extra_hours=0,1", "extra_hours = 0 is outside the allowed range (0, 20]"),
        ("validation.dropout_per_year=1",
         "dropout_per_year = 1 is outside the allowed range [0, 1)"),
        ("validation.assessors=1.5", "assessors takes whole numbers, got 1.5"),
        ("part_time_hours.uptake=0.2,0.2", "values repeat"),
    ],
)  # fmt: skip
def test_parse_grid_errors(spec, message):
    with pytest.raises(ValueError) as error:
        parse_grid(spec)
    assert str(error.value).startswith(f"lever grid {spec!r}: ")
    assert message in str(error.value)


def test_lever_field():
    assert lever_field(" migration.recruits_per_year ") == ("migration", "recruits_per_year")
    with pytest.raises(ValueError, match=re.escape("lever 'x.y': unknown lever 'x'")):
        lever_field("x.y")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("gap_fte.total@2033=0", Target("gap_fte", "total", 2033, 0.0)),
        ("gap_fte.care@2030=-100", Target("gap_fte", "care", 2030, -100.0)),
        (" lever_fte.total@2033=1.5e2 ", Target("lever_fte", "total", 2033, 150.0)),
        ("population.total@2030=80000", Target("population", "total", 2030, 80000.0)),
    ],
)
def test_parse_target(spec, expected):
    assert parse_target(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("gap_fte@2033=0", "expected VARIABLE.SERIES@YEAR=VALUE"),
        ("gap_fte.total=0", "expected VARIABLE.SERIES@YEAR=VALUE"),
        ("gap_fte.total@33=0", "expected VARIABLE.SERIES@YEAR=VALUE"),
        ("gap.total@2033=0", "unknown variable 'gap' (variables: gap_fte, supply_fte"),
        ("population.care@2033=0", "population has only the series 'total'"),
        ("gap_fte.total@2033=zero", "'zero' is not a number"),
        ("gap_fte.total@2033=inf", "'inf' is not a finite number"),
    ],
)
def test_parse_target_errors(spec, message):
    with pytest.raises(ValueError) as error:
        parse_target(spec)
    assert str(error.value).startswith(f"target {spec!r}: ")
    assert message in str(error.value)
