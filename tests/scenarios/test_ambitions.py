"""Population targets: the net in-migration each needs, and all of them against the country."""

from __future__ import annotations

import json

import pytest

from scenarios import ambitions
from scenarios.cli import main

HEADER = "region_code,target_population,target_year,source\n"


def write(tmp_path, rows: str):
    path = tmp_path / "mal.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_hand_made_target_needs_exactly_its_shortfall_per_year(tmp_path, inputs):
    """Target = the projection + 1 000 a year for 10 years: the need is the projected net
    migration + 1 000 a year; a target equal to the projection needs the projection's net."""
    first = ambitions.needs(
        ambitions.read_ambitions(write(tmp_path, "2580,1,2034,x\n"), inputs), inputs
    )
    projected = first.projected_population.iloc[0]
    net = first.projected_net_migration_per_year.iloc[0]
    rows = f"2580,{projected + 10_000},2034,x\n2582,1,2034,x\n"
    table = ambitions.needs(ambitions.read_ambitions(write(tmp_path, rows), inputs), inputs)
    luleå = table.set_index("region_code").loc["2580"]
    assert luleå.shortfall == pytest.approx(10_000)
    assert luleå.needed_net_migration_per_year == pytest.approx(net + 1_000)
    same = f"2580,{projected},2034,x\n"
    exact = ambitions.needs(ambitions.read_ambitions(write(tmp_path, same), inputs), inputs)
    assert exact.shortfall.iloc[0] == pytest.approx(0, abs=1e-6)
    assert exact.needed_net_migration_per_year.iloc[0] == pytest.approx(net)


def test_all_targets_add_up_against_the_country(inputs):
    table = ambitions.needs(ambitions.read_ambitions(ambitions.DEFAULT_FILE, inputs), inputs)
    counties, country = ambitions.add_up(table, inputs)
    assert country["extra_people"] == pytest.approx(table.shortfall.clip(lower=0).sum())
    assert country["riket_if_all_from_abroad"] == pytest.approx(
        country["riket_projected"] + country["extra_people"]
    )
    assert counties.shortfall.sum() == pytest.approx(table.shortfall.sum())
    assert set(counties.county) == {"24", "25"}
    umeå = table.set_index("region_code").loc["2480"]
    assert 2_000 < umeå.needed_net_migration_per_year < 3_000  # Norran 2022: about 2 500 a year
    text = " ".join(ambitions.sentences(counties, country, inputs.base_year, "sv"))
    assert "nollsummespel" in text and "Västerbottens län" in text


@pytest.mark.parametrize(
    "rows, message",
    [
        ("9999,1000,2030,x\n", r"row 2: unknown region '9999'"),
        ("2580,-5,2030,x\n", r"row 2: target_population must be > 0"),
        ("2580,1000,2070,x\n", r"row 2: target_year must be 2025–2050, got 2070"),
        ("2580,1000,2030,\n", r"row 2: source is empty"),
        ("2580,1000,2030,x\n2580,2000,2035,x\n", r"region '2580' has more than one target"),
    ],
)
def test_bad_targets_are_named_with_file_and_row(tmp_path, inputs, rows, message):
    with pytest.raises(ambitions.AmbitionError, match=message):
        ambitions.read_ambitions(write(tmp_path, rows), inputs)


def test_cli_prints_the_check_and_json(capsys):
    assert main(["ambitions", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {t["region_code"] for t in doc["targets"]} == {"2580", "2480", "2482"}
    assert doc["country"]["extra_people"] > 0
