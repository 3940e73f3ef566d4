"""The runner: Scenario + Inputs → Result, an xarray Dataset that describes itself."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from types import ModuleType

import numpy as np
import xarray as xr

from forecast.balance import gap, recruitment_need, retirements
from forecast.demand import labour_demand
from forecast.dims import AGE, DRAW, FTE, PERSONS, REGION, SECTOR, SEX, YEAR
from forecast.inputs import Inputs, read_inputs
from forecast.population import FLOWS, project
from forecast.rates import central_paths, fit_rate_models, simulate_paths
from forecast.supply import employed_by_age, fte_per_person, labour_supply
from scenarios.spec import Scenario, resolved_toml
from simulation import hours, migration, sick_leave, validation, working_life
from simulation.engine import LeverContext

LEVER = "lever"


@lru_cache(maxsize=1)
def default_inputs() -> Inputs:
    """The embedded dataset, loaded and validated once per process."""
    return read_inputs()


def package_version() -> str:
    try:
        return version("workforce-scenarios")
    except PackageNotFoundError:
        return "unknown"


LEVER_MODULES: dict[str, ModuleType] = {
    "working_life": working_life,
    "part_time_hours": hours,
    "validation": validation,
    "sick_leave": sick_leave,
    "migration": migration,
}
# Effects that change the exits from work: stayers defer exits; health exits add to them.
EXIT_CHANGES = {"deferred_exits": 1.0, "health_exits": 1.0, "avoided_exits": -1.0}


def lever_seed(seed: int, lever: int, replication: int) -> int:
    """The seed of one lever's replication, derived from the run seed (independent streams)."""
    return int(np.random.SeedSequence([seed, lever, replication]).generate_state(1)[0])


def lever_effects(
    scenario: Scenario, context: LeverContext, seed: int, draws: int
) -> dict[str, xr.Dataset]:
    """Each active lever's simulated effects; with draws, one replication per draw."""
    effects = {}
    for i, (name, params) in enumerate(scenario.levers.active().items()):
        simulate = LEVER_MODULES[name].simulate
        if draws == 0:
            effects[name] = simulate(params, context, seed)
            continue
        runs = [simulate(params, context, lever_seed(seed, i, d)) for d in range(draws)]
        effects[name] = xr.concat(runs, dim=DRAW, combine_attrs="drop_conflicts")
    return effects


def brings_people(effect: xr.Dataset) -> bool:
    """A lever that moves people in and out gives `arrivals` and `departures` by age."""
    return "departures" in effect and AGE in effect["arrivals"].dims


def moved_in(
    effects: dict[str, xr.Dataset], inputs: Inputs, units: list[str]
) -> xr.DataArray | None:
    """Net extra in-migrants ([draw,] year, region, sex, age) of the levers that bring people,
    spread over the region's units by their base-year population."""
    flows = [e.arrivals - e.departures for e in effects.values() if brings_people(e)]
    if not flows:
        return None
    people = inputs.population.sel({REGION: units}).sum([SEX, AGE])
    return sum(flows) * (people / people.sum())


_CENTRAL: dict[tuple[str, int], xr.Dataset] = {}


def projection_of(
    inputs: Inputs, horizon: int, draws: int, seed: int, extra: xr.DataArray | None = None
) -> xr.Dataset:
    """All units projected along the central path (draws = 0, cached without extra flows)
    or `draws` random paths; `extra` are in-migrants the levers bring."""
    if draws < 0:
        raise ValueError(f"draws must be 0 (central path) or more, got {draws}")
    if draws > 0:
        return project(inputs, horizon, simulate_paths(inputs, horizon, draws, seed), extra)
    if extra is not None:
        return project(inputs, horizon, central_paths(inputs, horizon), extra).isel(
            {DRAW: 0}, drop=True
        )
    key = (inputs.vintage, horizon)
    if key not in _CENTRAL:
        central = project(inputs, horizon, central_paths(inputs, horizon))
        _CENTRAL[key] = central.isel({DRAW: 0}, drop=True)
    return _CENTRAL[key]


def lever_context(inputs: Inputs, region: str, horizon: int) -> LeverContext:
    """What the levers may read: the region's central projection, by sector and age."""
    projection = projection_of(inputs, horizon, draws=0, seed=0)
    population = projection.population.sel({REGION: inputs.units_of(region)})
    share = inputs.sector_share.sel({REGION: population[REGION]})
    employed = (employed_by_age(population, inputs).sum(SEX) * share).sum(REGION)
    supply = labour_supply(population, inputs).sum(REGION)
    return LeverContext(
        years=[int(y) for y in population[YEAR].values],
        sectors=list(inputs.sectors.index),
        employed=employed.transpose(YEAR, SECTOR, AGE),
        part_timers=supply.part_timers.transpose(YEAR, SECTOR),
        fte_per_person=fte_per_person(inputs),
        retirements=retirements(population, inputs).sum(REGION).transpose(YEAR, SECTOR),
        population=population.sum(REGION).transpose(YEAR, SEX, AGE),
        full_time_hours=inputs.full_time_hours,
        part_time_hours=inputs.part_time_hours,
    )


def lever_fte(
    effects: dict[str, xr.Dataset],
    supply_fte: xr.DataArray,
    inputs: Inputs,
    scenario: Scenario,
    draws: int,
    seed: int,
    units: list[str],
) -> xr.DataArray:
    """Extra FTE (lever, [draw,] year, sector) of each lever: its own simulated FTE, or for
    levers that bring people, the supply their extra residents give (against the same paths
    without them)."""
    parts = []
    for name, effect in effects.items():
        if brings_people(effect):
            without = projection_of(inputs, scenario.horizon, draws, seed).sel({REGION: units})
            base = labour_supply(without.population, inputs).supply_fte.sum(REGION)
            parts.append(supply_fte - base)
        else:
            parts.append(effect.extra_fte)
        parts[-1] = parts[-1].expand_dims({LEVER: [name]})
    if not parts:  # no lever: one zero row, so the total is zero
        return xr.zeros_like(supply_fte).expand_dims({LEVER: ["none"]})
    return xr.concat(parts, dim=LEVER)


def inputs_hash(inputs: Inputs, toml: str, region: str, seed: int, draws: int) -> str:
    """One fingerprint of everything a result depends on: data, scenario, region, seed, draws
    and the package version."""
    parts = (inputs.vintage, toml, region, str(seed), str(draws), package_version())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


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
    effects = {}
    if scenario.levers.active():
        context = lever_context(inputs, region, scenario.horizon)
        effects = lever_effects(scenario, context, seed, draws)
    extra = moved_in(effects, inputs, units)
    projection = projection_of(inputs, scenario.horizon, draws, seed, extra)
    projection = projection.sel({REGION: units})
    population = projection.population
    by_unit = labour_supply(population, inputs)
    supply = by_unit.sum(REGION)
    per_person = fte_per_person(inputs)
    base_fte = by_unit.supply_fte.isel({YEAR: 0})
    demand_by_unit = labour_demand(population, base_fte, inputs, scenario.productivity)
    retired_by_unit = retirements(population, inputs)
    need = recruitment_need(demand_by_unit, retired_by_unit, per_person).sum(REGION)
    demand = demand_by_unit.sum(REGION)
    by_lever = lever_fte(effects, supply.supply_fte, inputs, scenario, draws, seed, units)
    direct = [e for e in effects.values() if not brings_people(e)]
    supply_fte = supply.supply_fte + sum(e.extra_fte for e in direct)
    supply_persons = supply.supply_persons + sum(e.extra_persons for e in direct)
    exits = sum(e[k] * sign for e in direct for k, sign in EXIT_CHANGES.items() if k in e)
    retired = retired_by_unit.sum(REGION) + exits
    need = need + exits
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
            "supply_persons": supply_persons.transpose(..., YEAR, SECTOR),
            "supply_fte": supply_fte.transpose(..., YEAR, SECTOR),
            "demand_fte": demand.transpose(..., YEAR, SECTOR),
            "gap_fte": gap(demand, supply_fte).transpose(..., YEAR, SECTOR),
            "retirements": retired.transpose(..., YEAR, SECTOR),
            "recruitment_need": need.transpose(..., YEAR, SECTOR),
            "lever_fte": by_lever.sum(LEVER).transpose(..., YEAR, SECTOR),
        }
    )
    if effects:
        ds["lever_fte_by_lever"] = by_lever.transpose(LEVER, ..., YEAR, SECTOR)
    for name in ds.data_vars:
        ds[name].attrs["units"] = FTE if name.endswith("_fte") else PERSONS
    toml = resolved_toml(scenario)
    ds.attrs.update(
        scenario=scenario.name,
        scenario_json=scenario.model_dump_json(),
        scenario_toml=toml,
        inputs_hash=inputs_hash(inputs, toml, region, seed, draws),
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
