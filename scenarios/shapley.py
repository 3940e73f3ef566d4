"""Shapley decomposition of a combined scenario's effect over its levers.

Levers interact, so one-at-a-time differences need not add up to the combined effect; exact
Shapley values split it fairly and, by construction, sum to it (efficiency).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from math import factorial
from typing import TypeVar

import xarray as xr

from forecast.dims import FTE, YEAR
from forecast.inputs import Inputs
from scenarios.levers import LEVER
from scenarios.run import run_scenario
from scenarios.spec import Scenario

T = TypeVar("T")

# Exact Shapley values need all 2^n coalitions; 2^8 = 256 scenario runs is the practical limit.
MAX_PLAYERS = 8
# Contributions must sum to the total; allowed float error relative to the effect's size.
RESIDUAL_TOLERANCE = 1e-9
METHOD = "exact Shapley over levers"


def shapley_values(players: Sequence[str], value: Callable[[frozenset[str]], T]) -> dict[str, T]:
    """Exact Shapley value of each player, evaluating `value` once for each of the 2^n subsets.

    T may be a float or an xarray DataArray: only +, − and * by a float are used.
    """
    players = list(players)
    if len(set(players)) != len(players):
        duplicates = sorted({p for p in players if players.count(p) > 1})
        raise ValueError(f"players must be distinct; duplicated: {', '.join(duplicates)}")
    if len(players) > MAX_PLAYERS:
        raise ValueError(
            f"exact Shapley values need 2^n evaluations; at most {MAX_PLAYERS} players "
            f"({2**MAX_PLAYERS} runs) is the practical limit, got {len(players)}"
        )
    n = len(players)
    values = {
        frozenset(subset): value(frozenset(subset))
        for size in range(n + 1)
        for subset in combinations(players, size)
    }
    weights = [factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)]
    result = {}
    for player in players:
        others = [p for p in players if p != player]
        total = None
        for size in range(n):
            for subset in combinations(others, size):
                coalition = frozenset(subset)
                term = (values[coalition | {player}] - values[coalition]) * weights[size]
                total = term if total is None else total + term
        result[player] = total
    return result


def with_levers(scenario: Scenario, keep: frozenset[str]) -> Scenario:
    """A copy of the scenario with only the levers in `keep` switched on (others set to None)."""
    off = {name: None for name in scenario.levers.active() if name not in keep}
    return scenario.model_copy(update={"levers": scenario.levers.model_copy(update=off)})


def decompose(
    scenario: Scenario,
    region: str,
    inputs: Inputs | None = None,
    seed: int = 0,
    variable: str = "gap_fte",
) -> xr.Dataset:
    """Split the scenario's effect on `variable` (baseline − scenario, so for gap_fte the
    reduction of the gap) into one Shapley contribution per active lever; 2^n central runs."""
    players = list(scenario.levers.active())
    if not players:
        raise ValueError(f"scenario {scenario.name!r} has no active levers; nothing to decompose")
    runs: dict[frozenset[str], xr.DataArray] = {}

    def run(levers: frozenset[str]) -> xr.DataArray:
        """`variable` of the central run with only `levers` on, run once per coalition."""
        if levers not in runs:
            result = run_scenario(with_levers(scenario, levers), region, inputs, seed)
            if variable not in result or YEAR not in result[variable].dims:
                allowed = [k for k, v in result.data_vars.items() if YEAR in v.dims]
                raise ValueError(
                    f"variable {variable!r} cannot be decomposed; "
                    f"choose one by year: {', '.join(allowed)}"
                )
            runs[levers] = result[variable].reset_coords(drop=True)  # e.g. a scalar `draw`
        return runs[levers]

    def value(levers: frozenset[str]) -> xr.DataArray:
        """The coalition's effect: baseline minus the run with only these levers."""
        return run(frozenset()) - run(levers)

    phi = shapley_values(players, value)
    contribution = xr.concat([phi[p].expand_dims({LEVER: [p]}) for p in players], dim=LEVER)
    total = value(frozenset(players))
    residual = contribution.sum(LEVER) - total
    units = runs[frozenset()].attrs.get("units", FTE)
    worst = float(abs(residual).max())
    if worst > RESIDUAL_TOLERANCE * (float(abs(total).max()) + 1.0):
        raise RuntimeError(f"Shapley contributions miss the total by up to {worst} {units}")
    last = {YEAR: -1}
    other = [d for d in total.dims if d != YEAR]
    denominator = total.isel(last).sum(other)
    share = contribution.isel(last).sum(other) / denominator.where(denominator != 0)
    ds = xr.Dataset(
        {
            "contribution": contribution.transpose(LEVER, YEAR, ...),
            "total": total.transpose(YEAR, ...),
            "residual": residual.transpose(YEAR, ...),
            "share": share.drop_vars(YEAR),
        }
    )
    for name in ds.data_vars:  # replace attrs the levers' arrays carried along
        ds[name].attrs = {"units": units}
    ds["share"].attrs = {"units": "1", "year": int(total[YEAR][-1])}
    ds.attrs.update(
        scenario=scenario.name,
        region=region,
        seed=seed,
        variable=variable,
        definition=f"{variable}(baseline) − {variable}(only the levers in the coalition)",
        method=METHOD,
        runs=len(runs),
    )
    return ds
