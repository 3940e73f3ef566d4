"""Shapley values: the axioms on random set functions, a hand example, and a real decomposition."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios import shapley
from scenarios.run import run_scenario
from scenarios.shapley import decompose, shapley_values, with_levers
from scenarios.spec import parse_scenario

FLOATS = st.floats(-1e3, 1e3, allow_nan=False)

TWO_LEVERS = """
name = "two_levers"
title_sv = "Deltid och sjukfrånvaro"
title_en = "Part time and sick leave"
[levers.part_time_hours]
extra_hours = 3.0
start_year = 2026
ramp_years = 3.0
uptake = 0.5
dropout = 0.05
sectors = [
    "elderly_care",
    "health_care",
    "preschool",
    "compulsory_school",
    "upper_secondary_school",
    "individual_family_care",
    "disability_support",
    "public_admin",
]
[levers.sick_leave]
reduction = 0.01
start_year = 2026
ramp_years = 3.0
sectors = [
    "elderly_care",
    "health_care",
    "preschool",
    "compulsory_school",
    "upper_secondary_school",
    "individual_family_care",
    "disability_support",
]
"""


def subsets(players: list[str]) -> list[frozenset[str]]:
    """All subsets of `players`, smallest first."""
    return [frozenset(c) for k in range(len(players) + 1) for c in combinations(players, k)]


@st.composite
def set_functions(draw: st.DrawFn) -> tuple[list[str], dict[frozenset[str], float]]:
    """Up to 5 players and an arbitrary float for every subset, the empty one included."""
    players = [f"p{i}" for i in range(draw(st.integers(0, 5)))]
    table = subsets(players)
    values = draw(st.lists(FLOATS, min_size=len(table), max_size=len(table)))
    return players, dict(zip(table, values, strict=True))


@settings(max_examples=200, deadline=None)
@given(set_functions())
def test_efficiency_values_sum_to_grand_coalition_minus_empty(game):
    players, v = game
    phi = shapley_values(players, v.__getitem__)
    assert set(phi) == set(players)
    everyone = frozenset(players)
    assert sum(phi.values()) == pytest.approx(v[everyone] - v[frozenset()], abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 3), st.data())
def test_symmetric_players_get_equal_values(n_others, data):
    """v depends on a and b only through how many of them are in the coalition."""
    others = [f"p{i}" for i in range(n_others)]
    table = {(s, k): data.draw(FLOATS) for s in subsets(others) for k in range(3)}

    def v(coalition: frozenset[str]) -> float:
        return table[(coalition - {"a", "b"}, len(coalition & {"a", "b"}))]

    phi = shapley_values(["a", *others, "b"], v)
    assert phi["a"] == pytest.approx(phi["b"], abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 4), st.data())
def test_null_player_gets_zero(n_others, data):
    others = [f"p{i}" for i in range(n_others)]
    table = {s: data.draw(FLOATS) for s in subsets(others)}
    phi = shapley_values(["null", *others], lambda s: table[s - {"null"}])
    assert phi["null"] == 0.0


def test_two_players_by_hand():
    """φa = ½·(1 − 0) + ½·(5 − 2) = 2, φb = ½·(2 − 0) + ½·(5 − 1) = 3."""
    v = {frozenset(): 0.0, frozenset("a"): 1.0, frozenset("b"): 2.0, frozenset("ab"): 5.0}
    assert shapley_values(["a", "b"], v.__getitem__) == pytest.approx({"a": 2.0, "b": 3.0})


def test_each_subset_is_evaluated_once():
    calls: list[frozenset[str]] = []

    def v(coalition: frozenset[str]) -> float:
        calls.append(coalition)
        return float(len(coalition) ** 2)

    phi = shapley_values(["a", "b", "c", "d"], v)
    assert sorted(calls, key=sorted) == sorted(subsets(["a", "b", "c", "d"]), key=sorted)
    assert phi == pytest.approx({p: 4.0 for p in "abcd"})


def test_dataarray_values():
    """The hand example scaled by a (year, sector) array gives the scaled values, cell by cell."""
    scale = xr.DataArray(
        np.arange(1.0, 7.0).reshape(3, 2),
        dims=["year", "sector"],
        coords={"year": [2030, 2031, 2032], "sector": ["care", "education"]},
    )
    v = {frozenset(): 0.0, frozenset("a"): 1.0, frozenset("b"): 2.0, frozenset("ab"): 5.0}
    phi = shapley_values(["a", "b"], lambda s: scale * v[s])
    xr.testing.assert_allclose(phi["a"], scale * 2.0)
    xr.testing.assert_allclose(phi["b"], scale * 3.0)


def test_duplicate_or_too_many_players_are_refused():
    with pytest.raises(ValueError, match="duplicated: a"):
        shapley_values(["a", "b", "a"], lambda s: 0.0)
    with pytest.raises(ValueError, match="at most 8 players"):
        shapley_values([f"p{i}" for i in range(9)], lambda s: 0.0)


def test_with_levers_keeps_only_the_chosen_levers():
    scenario = parse_scenario(TWO_LEVERS, "test")
    only = with_levers(scenario, frozenset({"sick_leave"}))
    assert list(only.levers.active()) == ["sick_leave"]
    assert only.levers.sick_leave == scenario.levers.sick_leave
    assert list(scenario.levers.active()) == ["part_time_hours", "sick_leave"]
    assert type(only).model_validate(only.model_dump()) == only


def test_decompose_two_levers_sums_to_the_combined_effect(inputs, monkeypatch):
    scenario = parse_scenario(TWO_LEVERS, "test")
    runs = []

    def counting(*args, **kwargs):
        runs.append(args[0])
        return run_scenario(*args, **kwargs)

    monkeypatch.setattr(shapley, "run_scenario", counting)
    ds = decompose(scenario, "2580", inputs, seed=3)
    assert len(runs) == 4
    assert ds.attrs["runs"] == 4
    assert ds.contribution.dims == ("lever", "year", "sector")
    assert list(ds.lever.values) == ["part_time_hours", "sick_leave"]
    np.testing.assert_allclose(ds.contribution.sum("lever"), ds.total, atol=1e-6)
    assert float(abs(ds.residual).max()) < 1e-6
    monkeypatch.undo()
    baseline = run_scenario(with_levers(scenario, frozenset()), "2580", inputs, seed=3)
    combined = run_scenario(scenario, "2580", inputs, seed=3)
    xr.testing.assert_allclose(ds.total, baseline.gap_fte - combined.gap_fte)
    assert float(ds.total.isel(year=-1).sum()) > 0  # both levers narrow the gap
    assert float(ds.share.sum()) == pytest.approx(1.0)
    assert (ds.share > 0).all()
    assert ds.share.attrs == {"units": "1", "year": 2033}
    assert ds.contribution.attrs == {"units": "fte"}
    assert ds.attrs["method"] == "exact Shapley over levers"
    assert (ds.attrs["scenario"], ds.attrs["region"], ds.attrs["seed"]) == ("two_levers", "2580", 3)


def test_decompose_refuses_no_levers_and_unknown_variables(inputs):
    scenario = parse_scenario(TWO_LEVERS, "test")
    with pytest.raises(ValueError, match="no active levers"):
        decompose(with_levers(scenario, frozenset()), "2580", inputs)
    with pytest.raises(ValueError, match="'nope' cannot be decomposed"):
        decompose(scenario, "2580", inputs, variable="nope")
