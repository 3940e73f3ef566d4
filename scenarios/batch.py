"""Many regions × draws in one call: one task per region, run in this process or on Dask.

Each task loads the embedded inputs itself (`default_inputs()`, cached per worker process),
so only the scenario and the region code travel to the workers and a Dataset comes back.
Results are written (when asked) by the calling process, atomically, as tasks finish.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import xarray as xr

from forecast.inputs import Inputs
from scenarios.projection import default_inputs
from scenarios.results import write_result
from scenarios.run import run_scenario
from scenarios.spec import Scenario

if TYPE_CHECKING:
    from distributed import Client

SYNC = "sync"

Progress = Callable[[int, int], None]


class BatchError(RuntimeError):
    """One region of a batch failed (or the cluster cannot be reached); the message names it."""


def all_regions(inputs: Inputs) -> list[str]:
    """Every region a user can ask for: Riket, the counties and the municipalities (not the
    'rest of Sweden' projection unit nor the groups), in the order of regions.csv."""
    regions = inputs.regions
    return list(regions.index[~regions.level.isin(["rest", "group"])])


def check_regions(regions: Sequence[str], inputs: Inputs) -> list[str]:
    """The regions without duplicates, in the given order; unknown codes raise one ValueError
    listing them all (and the known codes) before any work starts."""
    unique = list(dict.fromkeys(regions))
    if not unique:
        raise ValueError("no regions given")
    unknown = [r for r in unique if r not in inputs.regions.index]
    if unknown:
        raise ValueError(
            f"unknown region code(s) {', '.join(map(repr, unknown))}; "
            f"known codes: {', '.join(inputs.regions.index)}"
        )
    return unique


def _run_region(scenario: Scenario, region: str, draws: int, seed: int) -> xr.Dataset:
    """One task: a region's run, with the inputs loaded (once) in the process that runs it."""
    return run_scenario(scenario, region, draws=draws, seed=seed)


def output_path(out_dir: Path, scenario: Scenario, region: str) -> Path:
    """Where a region's result is written: `<out_dir>/<scenario>_<region>.nc`."""
    return out_dir / f"{scenario.name}_{region}.nc"


def _describe(region: str, inputs: Inputs, exc: BaseException) -> str:
    """The one-line message of a failed region: code, name and the original error."""
    return f"region {region} ({inputs.region_name(region)}) failed: {type(exc).__name__}: {exc}"


def _run_sync(
    scenario: Scenario, regions: list[str], draws: int, seed: int
) -> Iterator[tuple[str, xr.Dataset]]:
    """Regions one after another in this process, without Dask."""
    for region in regions:
        try:
            yield region, _run_region(scenario, region, draws, seed)
        except Exception as exc:
            raise BatchError(_describe(region, default_inputs(), exc)) from exc


def _run_dask(
    client: Client, scenario: Scenario, regions: list[str], draws: int, seed: int
) -> Iterator[tuple[str, xr.Dataset]]:
    """One Dask task per region, yielded as they finish (closing the client drops the rest)."""
    from distributed import as_completed

    futures = {
        client.submit(_run_region, scenario, region, draws, seed, pure=False): region
        for region in regions
    }
    for future in as_completed(futures):
        region = futures[future]
        try:
            result = future.result()
        except Exception as exc:
            raise BatchError(_describe(region, default_inputs(), exc)) from exc
        yield region, result


@contextmanager
def _dask_client(scheduler: str | None) -> Iterator[Client]:
    """A client of a local cluster started (and closed) for the call, or of a running one."""
    # Imported here: the "sync" path and the CLI's start-up do not pay for loading distributed.
    from distributed import Client, LocalCluster

    if scheduler is None:
        workers = os.cpu_count() or 1
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(scheduler)
    except OSError as exc:
        raise BatchError(f"cannot connect to the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        yield client


def _collect(
    results: Iterator[tuple[str, xr.Dataset]],
    scenario: Scenario,
    total: int,
    out_dir: Path | None,
    progress: Progress | None,
) -> dict[str, xr.Dataset]:
    """Gather finished regions, writing each (when asked) and reporting progress."""
    done: dict[str, xr.Dataset] = {}
    for region, ds in results:
        if out_dir is not None:
            path = output_path(out_dir, scenario, region)
            try:
                write_result(ds, path)
            except Exception as exc:
                raise BatchError(f"region {region}: cannot write {path}: {exc}") from exc
        done[region] = ds
        if progress is not None:
            progress(len(done), total)
    return done


def run_batch(
    scenario: Scenario,
    regions: Sequence[str],
    draws: int = 0,
    seed: int = 0,
    scheduler: str | None = None,
    out_dir: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, xr.Dataset]:
    """Run `scenario` for each region (`run_scenario(scenario, region, draws=, seed=)`).

    scheduler: None starts a local Dask cluster for the call (one single-threaded worker
    process per core); "sync" runs here without Dask; anything else is the address of a
    running Dask scheduler (e.g. "tcp://127.0.0.1:8786"), whose workers must have this package
    installed. With `out_dir`, each result is also written atomically as
    `<out_dir>/<scenario>_<region>.nc`. `progress(done, total)` is called as regions finish.
    Returns the Datasets by region, in the order given; a failed region raises BatchError.
    """
    if draws < 0:
        raise ValueError(f"draws must be 0 (central path) or more, got {draws}")
    regions = check_regions(regions, default_inputs())
    if out_dir is not None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
    if scheduler == SYNC:
        tasks = _run_sync(scenario, regions, draws, seed)
        results = _collect(tasks, scenario, len(regions), out_dir, progress)
    else:
        with _dask_client(scheduler) as client:
            tasks = _run_dask(client, scenario, regions, draws, seed)
            results = _collect(tasks, scenario, len(regions), out_dir, progress)
    return {region: results[region] for region in regions}
