"""Scenario files: presets load; every kind of mistake gives one message naming file and key."""

from __future__ import annotations

import pytest

from scenarios.spec import (
    ScenarioError,
    list_presets,
    load_scenario,
    parse_scenario,
    resolved_toml,
)
from simulation import hours

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
        (
            VALID.replace('title_en = "Mine"', ""),
            r"mine\.toml: key 'title_en' is missing: it is required",
        ),
        ('title_sv = "a"\ntitle_en = "b"\n', r"key 'name' is missing: it is required"),
        (VALID + "dropout = -0.1\n", r"'levers\.part_time_hours\.dropout' = -0\.1"),
        (VALID + "ramp_years = 11\n", r"'levers\.part_time_hours\.ramp_years' = 11"),
        (VALID + 'sectors = "care"\n', r"'levers\.part_time_hours\.sectors' = 'care'"),
        (VALID + 'full_time_norm = "maybe"\n', r"'levers\.part_time_hours\.full_time_norm'"),
        (VALID.replace("extra_hours = 3", "extra_hours = 0"), r"greater than 0"),
        (VALID.replace("extra_hours = 3", "extra_hours = 25"), r"less than or equal to 20"),
        (VALID + "[levers.sick_leave]\nreduction = 0.9\n", r"'levers\.sick_leave\.reduction'"),
        (VALID + "[levers.teleport]\n", r"key 'levers\.teleport' = \{\}: unknown key"),
        (VALID + "[levers.validation]\nassessors = 2.5\n", r"'levers\.validation\.assessors'"),
        (VALID + "[levers.validation]\nassessors = -1\n", r"greater than or equal to 0"),
        (VALID + "[levers.working_life]\ntarget_age = 80\n", r"working_life\.target_age"),
        (VALID + "[levers.migration]\nrecruits_per_year = -5\n", r"migration\.recruits"),
        (VALID.replace('name = "mine"', 'name = "mine"\nhorizon = 2024'), r"key 'horizon' = 2024"),
        (VALID.replace('name = "mine"', 'name = "mine"\nhorizon = 2051'), r"key 'horizon' = 2051"),
        (VALID.replace('name = "mine"', 'name = "mine"\nproductivity = 0.2'), r"'productivity'"),
        (VALID.replace('name = "mine"', 'name = "mine"\ncolour = "red"'), r"'colour'.*unknown"),
        ('extends = "nonexistent"\n' + VALID, r"nonexistent: no such scenario file or preset"),
        ("extends = 3\n" + VALID, r"key 'extends' = 3: must be a preset name or path"),
        (
            VALID.replace(
                "[levers.part_time_hours]\nextra_hours = 3", "[levers]\npart_time_hours = 3"
            ),
            r"'levers\.part_time_hours' = 3",
        ),
    ],
)
def test_bad_scenarios_are_rejected_with_a_clear_message(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(text, "mine.toml")


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file or preset"):
        load_scenario(tmp_path / "nope.toml")


def test_extends_inherits_and_overrides(tmp_path):
    child = tmp_path / "more.toml"
    child.write_text(
        'extends = "part_time_plus3"\nname = "more"\n[levers.part_time_hours]\nuptake = 0.8\n'
    )
    scenario = load_scenario(child)
    parent = load_scenario("part_time_plus3")
    assert scenario.name == "more" and scenario.title_sv == parent.title_sv
    lever = scenario.levers.part_time_hours
    assert lever.uptake == 0.8 and lever.sectors == list(hours.WELFARE)
    grandchild = tmp_path / "most.toml"
    grandchild.write_text('extends = "more.toml"\nname = "most"\nhorizon = 2030\n')
    assert load_scenario(grandchild).levers.part_time_hours.uptake == 0.8


def test_an_extends_cycle_is_reported(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\nname = "a"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\nname = "b"\n')
    with pytest.raises(ScenarioError, match="chain longer than 10"):
        load_scenario(tmp_path / "a.toml")


@pytest.mark.parametrize("name", list_presets())
def test_resolved_toml_round_trips(name, tmp_path):
    scenario = load_scenario(name)
    written = tmp_path / "resolved.toml"
    written.write_text(resolved_toml(scenario))
    again = load_scenario(written)
    assert again == scenario
    assert resolved_toml(again) == resolved_toml(scenario)
