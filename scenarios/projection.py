"""The projection a run starts from: the embedded inputs and all units projected, the central
path cached per data vintage and horizon."""

from __future__ import annotations

from functools import lru_cache

import xarray as xr

from forecast.dims import DRAW
from forecast.inputs import Inputs, read_inputs
from forecast.population import project
from forecast.rates import central_paths, simulate_paths


@lru_cache(maxsize=1)
def default_inputs() -> Inputs:
    """The embedded dataset, loaded and validated once per process."""
    return read_inputs()


_CENTRAL: dict[tuple[str, int, str | None], xr.Dataset] = {}


def projection_of(
    inputs: Inputs,
    horizon: int,
    draws: int,
    seed: int,
    extra: xr.DataArray | None = None,
    extra_key: str | None = None,
) -> xr.Dataset:
    """All units projected along the central path (draws = 0) or `draws` random paths;
    `extra` are in-migrants (establishments' movers, levers' recruits). The central path is
    cached without extra flows, or with extra flows that `extra_key` names."""
    if draws < 0:
        raise ValueError(f"draws must be 0 (central path) or more, got {draws}")
    if draws > 0:
        return project(inputs, horizon, simulate_paths(inputs, horizon, draws, seed), extra)
    if extra is not None and extra_key is None:
        return project(inputs, horizon, central_paths(inputs, horizon), extra).isel(
            {DRAW: 0}, drop=True
        )
    key = (inputs.vintage, horizon, extra_key if extra is not None else None)
    if key not in _CENTRAL:
        central = project(inputs, horizon, central_paths(inputs, horizon), extra)
        _CENTRAL[key] = central.isel({DRAW: 0}, drop=True)
    return _CENTRAL[key]
