"""Benchmark: wall time of loading the inputs, of one central scenario run per region level,
and of runs with 100 and 1 000 draws.

Usage: python benchmarks/run_scenario.py [--repeat N]   (prints a Markdown table)
Record the output in benchmarks/RESULTS.md with the date and machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

from forecast.inputs import read_inputs
from scenarios.run import run_scenario
from scenarios.spec import load_scenario

CASES = [("00", "Riket"), ("25", "Norrbotten (14 municipalities)"), ("2580", "Luleå")]


def timed(func, repeat: int) -> float:
    """Median wall time of `repeat` calls [seconds]."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print("| step | median [ms] |\n|---|---|")
    print(f"| read_inputs (load + validate) | {timed(read_inputs, 5) * 1000:.0f} |")
    inputs = read_inputs()
    for preset in ("baseline", "part_time_plus3"):
        scenario = load_scenario(preset)
        for region, label in CASES:
            seconds = timed(lambda s=scenario, r=region: run_scenario(s, r, inputs), args.repeat)
            print(f"| {preset}, {label} ({region}), to 2033 | {seconds * 1000:.1f} |")
    scenario = load_scenario("baseline")
    for draws in (100, 1000):
        seconds = timed(lambda d=draws: run_scenario(scenario, "25", inputs, draws=d), 3)
        print(f"| baseline, Norrbotten (25), {draws} draws, to 2033 | {seconds * 1000:.0f} |")


if __name__ == "__main__":
    main()
