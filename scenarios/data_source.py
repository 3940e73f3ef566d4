"""Which inputs a region runs on: the embedded data, or data fetched from SCB.

`workforce data fetch --region CODE` caches SCB's tables and builds an inputs folder for the
region under the cache (`<cache>/inputs/<region>`). Every command then finds it: with
`--data fetched`, or automatically for a region the embedded data does not cover.
"""

from __future__ import annotations

import argparse
from functools import lru_cache
from pathlib import Path

import pandas as pd

from forecast.inputs import DEFAULT_DATA, InputError, Inputs, read_inputs
from forecast.scb_cache import cache_dir
from forecast.scb_inputs import build_fetched_inputs
from scenarios.projection import default_inputs

DATA_HELP = "inputs: auto (embedded, else fetched), embedded, fetched, or a folder (auto)"


def add_data_option(command: argparse.ArgumentParser) -> None:
    """A command reads its inputs as `--data` says (see inputs_for)."""
    command.add_argument("--data", default="auto", help=DATA_HELP)


def fetched_root() -> Path:
    """Where the fetched regions' inputs folders live."""
    return cache_dir().parent / "inputs"


def fetched_dir(region: str) -> Path:
    return fetched_root() / region


def fetched_regions() -> list[str]:
    """Regions with a built inputs folder from SCB, in code order."""
    root = fetched_root()
    if not root.exists():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "regions.csv").exists())


@lru_cache(maxsize=8)
def _read(folder: str) -> Inputs:
    return read_inputs(folder)


def inputs_for(region: str | None, data: str = "auto") -> Inputs:
    """The inputs for `region`: `embedded`, `fetched` (built by `workforce data fetch`), a
    folder path, or `auto` (embedded when it covers the region, else fetched if present)."""
    embedded = default_inputs()
    covered = region is None or region in embedded.regions.index
    if data == "embedded" or (data == "auto" and covered):
        return embedded
    if data in ("auto", "fetched"):
        folder = _fetched_folder_of(region)
        if folder is None:
            raise InputError(
                f"no data for region {region!r}: it is not in the embedded data and nothing is "
                f"fetched for it — run `workforce data fetch --region {region}`"
            )
        return _read(str(folder))
    return _read(str(Path(data)))


def _fetched_folder_of(region: str | None) -> Path | None:
    """The fetched folder holding `region`: its own, or a fetched county containing it."""
    if region is None:
        return None
    if (fetched_dir(region) / "regions.csv").exists():
        return fetched_dir(region)
    for code in fetched_regions():
        regions = pd.read_csv(fetched_dir(code) / "regions.csv", dtype=str)
        if region in set(regions.region_code):
            return fetched_dir(code)
    return None


def build_for(region: str, tables: dict[str, pd.DataFrame]) -> Path:
    """Build (atomically) the inputs folder of a fetched region from its tidy tables."""
    embedded = default_inputs().regions
    names = {code: str(row["name"]) for code, row in embedded.iterrows()}
    folder = build_fetched_inputs(tables, region, fetched_dir(region), names, embedded=DEFAULT_DATA)
    _read.cache_clear()
    return folder
