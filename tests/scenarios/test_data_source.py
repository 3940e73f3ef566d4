"""Fetched SCB data through the whole model: a fake region's tidy tables are built into an
inputs folder in the cache, and the commands find and run it."""

from __future__ import annotations

import json

import pytest

from scenarios.cli import main
from scenarios.data_source import build_for, fetched_regions, inputs_for
from tests.forecast.test_scb_inputs import BASE, FAKE, tidy_from_embedded


@pytest.fixture(scope="module")
def cache(inputs, tmp_path_factory):
    """A cache folder holding the built inputs of fake county 99 (9901, 9902)."""
    folder = tmp_path_factory.mktemp("cache") / "scb"
    patch = pytest.MonkeyPatch()
    patch.setenv("WORKFORCE_CACHE", str(folder))
    build_for("99", tidy_from_embedded(inputs, FAKE, range(2000, BASE + 1)))
    yield folder
    patch.undo()


def test_fetched_regions_are_found_for_the_county_and_its_municipalities(cache, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE", str(cache))
    assert fetched_regions() == ["99"]
    county = inputs_for("99")
    assert county.units_of("99") == ["9901", "9902"]
    assert inputs_for("9901").vintage == county.vintage  # the county's folder holds it
    assert "data in" in county.vintage
    assert inputs_for("2580").vintage.startswith("embedded")


def test_the_whole_model_runs_on_fetched_data_with_the_baseline(cache, monkeypatch, capsys):
    """The baseline (announced establishments included) runs for the fake county; the county
    is the sum of its municipalities."""
    monkeypatch.setenv("WORKFORCE_CACHE", str(cache))
    assert main(["run", "baseline", "--region", "99", "--data", "fetched", "--json"]) == 0
    county = json.loads(capsys.readouterr().out)
    parts = []
    for code in ("9901", "9902"):
        assert main(["run", "baseline", "--region", code, "--json"]) == 0  # found automatically
        parts.append(json.loads(capsys.readouterr().out))
    assert county["region"] == "99" and county["years"][-1] == 2033
    for key in ("gap_fte", "recruitment_need"):
        total = county[key]["total"][-1]
        assert total == pytest.approx(sum(p[key]["total"][-1] for p in parts), abs=0.01)
    assert county["population"]["total"][0] == pytest.approx(
        sum(p["population"]["total"][0] for p in parts)
    )
