"""Results on disk: one NetCDF file per run, written atomically, attributes kept readable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from forecast.files import atomic_write

INT32 = np.iinfo(np.int32)


def netcdf_attr(value: object) -> str | int | float:
    """An attribute value NetCDF-3 can store: str, int32-range int or float; else its str."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str | float):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and INT32.min <= value <= INT32.max:
        return value
    return str(value)


def for_netcdf(ds: xr.Dataset) -> xr.Dataset:
    """A shallow copy of `ds` whose dataset and variable attrs all suit NetCDF-3."""
    out = ds.copy(deep=False)
    out.attrs = {k: netcdf_attr(v) for k, v in ds.attrs.items()}
    for name, variable in ds.variables.items():
        out[name].attrs = {k: netcdf_attr(v) for k, v in variable.attrs.items()}
    return out


def write_result(ds: xr.Dataset, path: Path | str) -> Path:
    """Write a Result as NetCDF, atomically (see atomic_write)."""
    return atomic_write(path, lambda tmp: for_netcdf(ds).to_netcdf(tmp, engine="scipy"))


def read_result(path: Path | str) -> xr.Dataset:
    """Read a Result written by write_result (loaded into memory, the file closed)."""
    with xr.open_dataset(path, engine="scipy") as ds:
        return ds.load()
