"""Results on disk: one NetCDF file per run, written atomically, attributes kept readable."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import xarray as xr


def _plain(value: object) -> str | int | float:
    """NetCDF attributes hold text and numbers only; anything else becomes text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str | int | float):
        return value
    return str(value)


def write_result(ds: xr.Dataset, path: Path | str) -> Path:
    """Write a Result as NetCDF: to a temporary file beside the target, then renamed over it,
    so a crash never leaves a half-written result."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = ds.copy()
    out.attrs = {key: _plain(value) for key, value in ds.attrs.items()}
    for name in out.variables:
        out[name].attrs = {key: _plain(value) for key, value in out[name].attrs.items()}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        out.to_netcdf(temporary, engine="scipy")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def read_result(path: Path | str) -> xr.Dataset:
    """Read a Result written by write_result (loaded into memory, the file closed)."""
    with xr.open_dataset(path, engine="scipy") as ds:
        return ds.load()
