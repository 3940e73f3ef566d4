"""The runner: Scenario + Inputs → Result, an xarray Dataset that describes itself."""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

import xarray as xr

from forecast.balance import gap, recruitment_need, retirements
from forecast.demand import labour_demand
from forecast.dims import AGE, DRAW, FTE, PERSONS, REGION, SECTOR, SEX, YEAR
from forecast.inputs import Inputs, read_inputs
from forecast.population import FLOWS, project
from forecast.rates import central_paths, fit_rate_models, simulate_paths
from forecast.supply import fte_per_person, labour_supply
from scenarios.spec import Scenario
from simulation.hours import simulate_extra_hours


@lru_cache(maxsize=1)
def default_inputs() -> Inputs:
    """The embedded dataset, loaded and validated once per process."""
    return read_inputs()


def package_version() -> str:
    try:
        return version("workforce-scenarios")
    except PackageNotFoundError:
        return "unknown"


def part_time_lever(
    scenario: Scenario, part_timers: xr.DataArray, inputs: Inputs, seed: int
) -> xr.DataArray:
    """Extra FTE (year, sector) from the +hours lever; zeros when the scenario has none."""
    lever = scenario.levers.part_time_hours
    zeros = xr.zeros_like(part_timers)
    if lever is None:
        return zeros
    sectors = lever.sectors or list(inputs.sectors.index)
    unknown = [s for s in sectors if s not in inputs.sectors.index]
    if unknown:
        raise ValueError(
            f"scenario {scenario.name!r}: levers.part_time_hours.sectors has "
            f"unknown sector {unknown[0]!r}; known: {', '.join(inputs.sectors.index)}"
        )
    base = part_timers.isel({YEAR: 0}).sel({SECTOR: sectors})
    if DRAW in base.dims:  # the base year is observed: the same in every draw
        base = base.isel({DRAW: 0}, drop=True)
    hours = xr.full_like(base, inputs.part_time_hours)
    sim = simulate_extra_hours(
        base,
        extra_hours=lever.extra_hours,
        part_time_hours=hours,
        full_time_hours=inputs.full_time_hours,
        uptake=lever.uptake,
        dropout=lever.dropout,
        start_year=lever.start_year,
        ramp_years=lever.ramp_years,
        years=[int(y) for y in part_timers[YEAR]],
        seed=seed,
    )
    effect = sim.extra_fte_per_part_timer * part_timers.sel({SECTOR: sectors})
    effect = effect.reindex({SECTOR: part_timers[SECTOR]}, fill_value=0.0)
    return effect.transpose(..., YEAR, SECTOR)


_CENTRAL: dict[tuple[str, int], xr.Dataset] = {}


def projection_of(inputs: Inputs, horizon: int, draws: int, seed: int) -> xr.Dataset:
    """All units projected along the central path (draws = 0, cached) or `draws` random paths."""
    if draws < 0:
        raise ValueError(f"draws must be 0 (central path) or more, got {draws}")
    if draws > 0:
        return project(inputs, horizon, simulate_paths(inputs, horizon, draws, seed))
    key = (inputs.vintage, horizon)
    if key not in _CENTRAL:
        central = project(inputs, horizon, central_paths(inputs, horizon))
        _CENTRAL[key] = central.isel({DRAW: 0}, drop=True)
    return _CENTRAL[key]


def run_scenario(
    scenario: Scenario,
    region: str,
    inputs: Inputs | None = None,
    seed: int = 0,
    draws: int = 0,
) -> xr.Dataset:
    """Project population, supply, demand and balance for one region under one scenario.

    draws = 0 gives the central path with no draw dimension; draws = N gives N coherent
    random paths of fertility, mortality and migration along a `draw` dimension.
    """
    inputs = inputs or default_inputs()
    units = inputs.units_of(region)
    projection = projection_of(inputs, scenario.horizon, draws, seed).sel({REGION: units})
    population = projection.population
    by_unit = labour_supply(population, inputs)
    supply = by_unit.sum(REGION)
    per_person = fte_per_person(inputs)
    base_fte = by_unit.supply_fte.isel({YEAR: 0})
    demand_by_unit = labour_demand(population, base_fte, inputs, scenario.productivity)
    retired_by_unit = retirements(population, inputs)
    need = recruitment_need(demand_by_unit, retired_by_unit, per_person).sum(REGION)
    demand = demand_by_unit.sum(REGION)
    lever = part_time_lever(scenario, supply.part_timers, inputs, seed)
    supply_fte = supply.supply_fte + lever
    totals = projection[list(FLOWS)].sum([REGION, SEX])
    flows_in = totals.immigrants + totals.domestic_in
    flows_out = totals.emigrants + totals.domestic_out

    ds = xr.Dataset(
        {
            "population": population.sum(REGION).transpose(..., YEAR, SEX, AGE),
            **{
                name: projection[name].sum([REGION, SEX]).transpose(..., YEAR)
                for name in ("births", *FLOWS)
            },
            "in_migrants": flows_in.transpose(..., YEAR),
            "out_migrants": flows_out.transpose(..., YEAR),
            "supply_persons": supply.supply_persons.transpose(..., YEAR, SECTOR),
            "supply_fte": supply_fte.transpose(..., YEAR, SECTOR),
            "demand_fte": demand.transpose(..., YEAR, SECTOR),
            "gap_fte": gap(demand, supply_fte).transpose(..., YEAR, SECTOR),
            "retirements": retired_by_unit.sum(REGION).transpose(..., YEAR, SECTOR),
            "recruitment_need": need.transpose(..., YEAR, SECTOR),
            "lever_fte": lever,
        }
    )
    for name in ds.data_vars:
        ds[name].attrs["units"] = FTE if name.endswith("_fte") else PERSONS
    ds.attrs.update(
        scenario=scenario.name,
        scenario_json=scenario.model_dump_json(),
        region=region,
        region_name=inputs.region_name(region),
        seed=seed,
        draws=draws,
        rate_models="\n".join(fit_rate_models(inputs).describe()),
        data_vintage=inputs.vintage,
        base_year=inputs.base_year,
        horizon=scenario.horizon,
        version=package_version(),
    )
    return ds
