"""The explorer's lever controls: ranges inside the levers' own bounds, scenarios that
validate, and URLs that round-trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.lever_controls import (
    CONTROLS,
    LEVERS,
    ON_KEY,
    build_scenario,
    from_query,
    reference,
    reference_values,
    to_query,
)
from scenarios.spec import ScenarioError
from scenarios.sweep import field_bounds


def test_every_lever_has_a_control_and_every_slider_stays_inside_its_field():
    assert {c.lever for c in CONTROLS} == set(LEVERS)
    start = reference_values()
    for control in CONTROLS:
        assert control.low <= start[control.key] <= control.high, control.key
        if len(control.path) == 1:  # top-level fields: the pydantic bounds hold the slider
            bounds = field_bounds(control.lever, control.path[0])
            assert bounds.lo is None or bounds.lo <= control.low / control.scale + 1e-12
            assert bounds.hi is None or control.high / control.scale <= bounds.hi + 1e-12


def test_no_change_reproduces_the_reference_levers():
    scenario = build_scenario(set(LEVERS), reference_values())
    assert scenario.levers == reference().levers
    assert scenario.name == "eget_scenario"


def test_moved_values_land_in_the_scenario_in_the_field_unit():
    values = {**reference_values(), "part_time_hours.extra_hours": 4.5,
              "part_time_hours.uptake": 30.0, "education.changes.yh.extra_places": 50.0,
              "working_life.target_age": 67.0}  # fmt: skip
    scenario = build_scenario({"part_time_hours", "education", "working_life"}, values)
    assert set(scenario.levers.active()) == {"part_time_hours", "education", "working_life"}
    assert scenario.levers.part_time_hours.extra_hours == 4.5
    assert scenario.levers.part_time_hours.uptake == pytest.approx(0.3)
    assert scenario.levers.education.changes["yh"].extra_places == pytest.approx(0.5)
    assert scenario.levers.working_life.target_age == 67


def test_an_impossible_value_is_one_plain_message():
    values = {**reference_values(), "sick_leave.reduction": 80.0}
    with pytest.raises(ScenarioError, match=r"^levers\.sick_leave\.reduction: .*0\.5"):
        build_scenario({"sick_leave"}, values)


@given(
    on=st.sets(st.sampled_from(LEVERS)),
    moved=st.dictionaries(
        st.sampled_from([c.key for c in CONTROLS]), st.integers(0, 20), max_size=4
    ),
)
def test_the_url_round_trips(on, moved):
    by_key = {c.key: c for c in CONTROLS}
    values = reference_values()
    for key, notch in moved.items():
        c = by_key[key]
        values[key] = min(c.high, c.low + notch * c.step)
    back_on, back_values = from_query(to_query(on, values))
    assert back_on == on
    assert back_values == pytest.approx(values)


def test_a_broken_url_falls_back_to_the_reference():
    on, values = from_query(
        {ON_KEY: "part_time_hours,nonsense", "part_time_hours.extra_hours": "lots",
         "sick_leave.reduction": "99", "migration.recruits_per_year": "1000"}
    )  # fmt: skip
    assert on == {"part_time_hours"}
    start = reference_values()
    assert values["part_time_hours.extra_hours"] == start["part_time_hours.extra_hours"]
    assert values["sick_leave.reduction"] == start["sick_leave.reduction"]
    assert values["migration.recruits_per_year"] == 1000.0
