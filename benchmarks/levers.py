"""Benchmark: the five SimPy levers for Norrbotten, 100 replications each, to 2033.

Times the simulations alone (`lever_effects`, the target is under 10 s on the 2-core
machine) and the whole run with 100 population draws, and counts the SimPy events processed
(by wrapping simpy.Environment.step) to report events per second.

Usage: python benchmarks/levers.py [--draws N] [--scenario all_levers]
Record the output in benchmarks/RESULTS.md with the date and machine.
"""

from __future__ import annotations

import argparse
import time

import simpy

from forecast.inputs import read_inputs
from scenarios.levers import lever_context, lever_effects
from scenarios.run import run_scenario
from scenarios.spec import load_scenario

REGION = "25"


class EventCounter:
    """Counts every event any SimPy environment processes while installed."""

    def __init__(self) -> None:
        self.events = 0
        self._step = simpy.Environment.step

    def __enter__(self) -> EventCounter:
        counter, step = self, self._step

        def counted(env: simpy.Environment) -> None:
            counter.events += 1
            step(env)

        simpy.Environment.step = counted
        return self

    def __exit__(self, *exc: object) -> None:
        simpy.Environment.step = self._step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--scenario", default="all_levers")
    args = parser.parse_args()
    inputs = read_inputs()
    scenario = load_scenario(args.scenario)
    context = lever_context(inputs, REGION, scenario.horizon)
    print(f"| {scenario.name}, Norrbotten, {args.draws} replications | value |\n|---|---|")
    for name in scenario.levers.active():
        single = scenario.model_copy(
            update={"levers": scenario.levers.model_copy(update=dict.fromkeys(
                [n for n in scenario.levers.active() if n != name]))}
        )  # fmt: skip
        with EventCounter() as counter:
            start = time.perf_counter()
            lever_effects(single, context, seed=0, draws=args.draws)
            seconds = time.perf_counter() - start
        print(f"| {name}: simulation [s] / SimPy events | {seconds:.2f} / {counter.events:,} |")
    with EventCounter() as counter:
        start = time.perf_counter()
        lever_effects(scenario, context, seed=0, draws=args.draws)
        seconds = time.perf_counter() - start
    print(f"| all levers: simulation [s] | {seconds:.2f} |")
    print(f"| all levers: SimPy events per second | {counter.events / seconds:,.0f} |")
    start = time.perf_counter()
    run_scenario(scenario, REGION, inputs, seed=0, draws=args.draws)
    print(f"| whole run with {args.draws} population draws [s] | "
          f"{time.perf_counter() - start:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
