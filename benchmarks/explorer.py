"""Benchmark: how long the explorer computes after a lever moves (issue 6's 1-second target).

A county (Norrbotten, 14 municipalities) with 100 population draws and all eight levers on,
through `scenarios.explorer.live_run`, exactly as the explorer calls it. After one cold run,
each step changes one lever value (a value not seen before, so the run itself is never a
cache hit; the other levers' simulations are reused from the cache) and times the run.

Usage: python benchmarks/explorer.py [--region 25] [--steps 20]
Record the output in benchmarks/RESULTS.md with the date and machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

from scenarios.explorer import LIVE_DRAWS, live_run
from scenarios.projection import default_inputs
from scenarios.spec import load_scenario
from scenarios.sweep import with_lever

CHANGES = [  # (lever, field, first value, step): what a presenter would move
    ("part_time_hours", "extra_hours", 1.0, 0.25),
    ("sick_leave", "reduction", 0.002, 0.001),
    ("migration", "recruits_per_year", 500.0, 100.0),
    ("working_life", "uptake", 0.1, 0.05),
    ("validation", "arrivals_per_year", 60.0, 20.0),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="25")
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    inputs = default_inputs()
    scenario = load_scenario("all_levers")
    start = time.perf_counter()
    live_run(scenario, args.region, inputs, seed=0)
    cold = time.perf_counter() - start
    times = []
    for step in range(args.steps):
        lever, field, first, size = CHANGES[step % len(CHANGES)]
        value = first + size * (step // len(CHANGES))
        scenario = with_lever(scenario, lever, field, value)
        start = time.perf_counter()
        live_run(scenario, args.region, inputs, seed=0)
        times.append(time.perf_counter() - start)
    print(
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(f"all_levers, region {args.region}, {LIVE_DRAWS} draws, one lever changed per step\n")
    print("| measure | seconds |")
    print("|---|---|")
    print(f"| first run (cold: every lever simulated) | {cold:.2f} |")
    print(f"| after a lever change, median of {args.steps} | {statistics.median(times):.2f} |")
    print(f"| after a lever change, slowest | {max(times):.2f} |")


if __name__ == "__main__":
    main()
