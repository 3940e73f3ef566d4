"""Scenario files: presets load; every kind of mistake gives one message naming file and key."""

from __future__ import annotations

import pytest

from scenarios.spec import ScenarioError, list_presets, load_scenario, parse_scenario

VALID = """
name = "mine"
title_sv = "Mitt"
title_en = "Mine"
[levers.part_time_hours]
extra_hours = 3
"""


def test_presets_load():
    assert {"baseline", "part_time_plus3"} <= set(list_presets())
    for name in list_presets():
        assert load_scenario(name).name == name
    assert load_scenario("baseline").levers.part_time_hours is None


def test_defaults_fill_a_partial_lever():
    lever = parse_scenario(VALID, "mine.toml").levers.part_time_hours
    assert (lever.extra_hours, lever.uptake, lever.start_year) == (3.0, 0.2, 2026)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            VALID + "uptake = 1.5\n",
            r"mine\.toml: key 'levers\.part_time_hours\.uptake' = 1\.5: "
            r"Input should be less than or equal to 1",
        ),
        (VALID + "speed = 2\n", r"key 'levers\.part_time_hours\.speed' = 2: unknown key"),
        (
            VALID.replace("extra_hours = 3", 'extra_hours = "three"'),
            r"key 'levers\.part_time_hours\.extra_hours' = 'three'",
        ),
        (VALID + "start_year = 2040\n", r"start_year \(2040\) is after the horizon \(2033\)"),
        ("name = ", r"mine\.toml: not valid TOML"),
        (VALID.replace('name = "mine"', 'name = "Mitt scenario"'), r"key 'name'"),
    ],
)
def test_bad_scenarios_are_rejected_with_a_clear_message(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(text, "mine.toml")


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file or preset"):
        load_scenario(tmp_path / "nope.toml")
