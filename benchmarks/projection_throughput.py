"""Benchmark: throughput of the population projection in cell-years per second.

A cell is one region × sex × age × draw; a cell-year is one cell advanced one year. Runs
1 000 draws of every projection unit (44 municipalities and the rest of Sweden) from the base
year to 2033 on one core (the kernel is single-threaded), after a warm-up that compiles it.

Usage: python benchmarks/projection_throughput.py [--draws N] [--repeat N]
Record the output in benchmarks/RESULTS.md with the date and machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from forecast.inputs import read_inputs
from forecast.population import project
from forecast.rates import simulate_paths

HORIZON = 2033


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    inputs = read_inputs()
    start = time.perf_counter()
    paths = simulate_paths(inputs, HORIZON, args.draws, seed=0)
    simulate_seconds = time.perf_counter() - start
    project(inputs, HORIZON, paths)  # warm-up: compile or load the cached kernel
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        project(inputs, HORIZON, paths)
        times.append(time.perf_counter() - start)
    cells = inputs.population.size * args.draws
    years = HORIZON - inputs.base_year
    seconds = statistics.median(times)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    print("| measure | value |\n|---|---|")
    print(f"| cells (units × sexes × ages × draws) | {cells:,} |")
    print(f"| projected years | {years} |")
    print(f"| simulate rate paths [s] | {simulate_seconds:.2f} |")
    print(f"| project, median of {args.repeat} [s] | {seconds:.3f} |")
    print(f"| throughput [million cell-years per second] | {cells * years / seconds / 1e6:.0f} |")


if __name__ == "__main__":
    main()
