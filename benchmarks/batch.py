"""Benchmark: wall time of a batch (regions × draws, default all regions × 200 draws with the
all_levers preset), single process ("sync") against a local Dask cluster of 2 workers.

The cluster is timed in three parts: starting it (worker processes, imports), running the
batch on it (each worker loads the inputs and the cached numba kernel on its first task) and
closing it. The sync run starts with the inputs loaded in this process (as the CLI has them
by then); the workers load their own during the run. Both modes return every Dataset to this
process; nothing is written to disk.

Usage: python benchmarks/batch.py [--draws 200] [--regions all|2580,2505] [--workers 2]
Record the output in benchmarks/RESULTS.md with the date and machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from importlib.metadata import version
from pathlib import Path

from distributed import LocalCluster

from scenarios.batch import all_regions, run_batch
from scenarios.projection import default_inputs
from scenarios.spec import load_scenario


def machine() -> str:
    """CPU model, cores, memory and the versions that matter, for the table's heading."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [ln for ln in cpuinfo.read_text().splitlines() if ln.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    packages = ", ".join(f"{p} {version(p)}" for p in ("numpy", "xarray", "numba", "distributed"))
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; "
        f"Python {platform.python_version()}, {packages}"
    )


def timed(func) -> float:
    """Wall time of one call [seconds]."""
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--regions", default="all", help='"all" or codes, e.g. 2580,2505')
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", default="all_levers")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    inputs = default_inputs()  # loaded before timing, as the CLI has them by then
    regions = all_regions(inputs) if args.regions == "all" else args.regions.split(",")

    def batch(scheduler: str) -> None:
        run_batch(scenario, regions, draws=args.draws, scheduler=scheduler)

    sync = timed(lambda: batch("sync"))
    start = time.perf_counter()
    cluster = LocalCluster(
        n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    started = time.perf_counter() - start
    run = timed(lambda: batch(cluster.scheduler_address))
    closed = timed(cluster.close)
    total = started + run + closed

    print(f"Machine: {machine()}\n")
    print(f"{scenario.name}, {len(regions)} regions × {args.draws} draws, to {scenario.horizon}\n")
    print("| mode | wall [s] | speed-up |\n|---|---|---|")
    print(f"| sync (one process) | {sync:.1f} | 1.00 |")
    print(
        f"| local cluster, {args.workers} workers × 1 thread, total | {total:.1f} "
        f"| {sync / total:.2f} |"
    )
    print(f"| … starting the cluster | {started:.1f} | |")
    print(f"| … running the batch on it | {run:.1f} | {sync / run:.2f} |")
    print(f"| … closing the cluster | {closed:.1f} | |")


if __name__ == "__main__":
    main()
