"""What the explorer computes when a lever moves: one scenario for one region with its
population futures, levers simulated once and cached, so a change answers within a second.

The explorer and `benchmarks/explorer.py` both call :func:`live_run`, so the benchmark
measures exactly what a council meeting waits for.
"""

from __future__ import annotations

import xarray as xr

from forecast.inputs import Inputs
from scenarios.run import run_scenario
from scenarios.spec import Scenario

LIVE_DRAWS = 100  # population futures behind every interval the explorer shows
# Each lever is simulated once (its seeded replication) and that path is added to every
# population future: the intervals show the population's uncertainty; the CLI's --draws runs
# one lever replication per draw when the levers' own randomness should be in them too.
LIVE_REPLICATIONS = 1


def live_run(scenario: Scenario, region: str, inputs: Inputs, seed: int) -> xr.Dataset:
    """The scenario with LIVE_DRAWS population futures and the levers' cached simulations."""
    return run_scenario(scenario, region, inputs, seed, LIVE_DRAWS, LIVE_REPLICATIONS)
