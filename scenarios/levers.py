"""Levers in a run: simulate each active lever, turn its effects into flows, measure its FTE."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np
import xarray as xr

from forecast.balance import exit_rates, replacement
from forecast.dims import AGE, DRAW, REGION, SECTOR, SEX, YEAR
from forecast.inputs import Inputs
from forecast.supply import employed_by_age, fte_per_person, labour_supply
from scenarios.projection import projection_of
from scenarios.spec import Scenario
from simulation import (
    education,
    hours,
    migration,
    parental_leave,
    shared_services,
    sick_leave,
    validation,
    working_life,
)
from simulation.engine import LeverContext

LEVER = "lever"

LEVER_MODULES: dict[str, ModuleType] = {
    "working_life": working_life,
    "part_time_hours": hours,
    "validation": validation,
    "sick_leave": sick_leave,
    "migration": migration,
    "parental_leave": parental_leave,
    "education": education,
    "shared_services": shared_services,
}
# Effects that change the exits from work: stayers defer exits; health exits add to them.
EXIT_CHANGES = {"deferred_exits": 1.0, "health_exits": 1.0, "avoided_exits": -1.0}


def lever_seed(seed: int, lever: int, replication: int) -> int:
    """The seed of one lever's replication, derived from the run seed (independent streams)."""
    return int(np.random.SeedSequence([seed, lever, replication]).generate_state(1)[0])


CACHE_SIZE = 512  # simulated lever runs and contexts kept per process (explorer, sweeps)
_SIMULATED: dict[tuple, xr.Dataset] = {}
_CONTEXTS: dict[tuple, LeverContext] = {}


def _remember(cache: dict, key: tuple, make: Callable[[], object]):
    """The cached value for key, made (and the oldest entry dropped when full) if missing."""
    if key not in cache:
        if len(cache) >= CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = make()
    return cache[key]


def lever_effects(
    scenario: Scenario,
    context: LeverContext,
    seed: int,
    draws: int,
    replications: int | None = None,
    context_key: tuple | None = None,
) -> dict[str, xr.Dataset]:
    """Each active lever's simulated effects; with draws, `replications` seeded replications
    (default: one per draw) dealt out over the draws in turn.

    With a `context_key` (what the context was built from) each replication is cached, so
    changing one lever re-simulates that lever only. A lever's streams depend on its name,
    the run seed and the replication, not on which other levers are on.
    """
    reps = draws if replications is None else replications
    if draws > 0 and not 1 <= reps <= draws:
        raise ValueError(f"replications must be between 1 and draws ({draws}), got {reps}")
    effects = {}
    for name, params in scenario.levers.active().items():
        simulate = LEVER_MODULES[name].simulate
        lever = list(LEVER_MODULES).index(name)

        def one(stream: int, simulate=simulate, params=params, name=name) -> xr.Dataset:
            if context_key is None:
                return simulate(params, context, stream)
            key = (*context_key, name, params.model_dump_json(), stream)
            return _remember(_SIMULATED, key, lambda: simulate(params, context, stream))

        if draws == 0:
            effects[name] = one(seed)
            continue
        runs = [one(lever_seed(seed, lever, r)) for r in range(reps)]
        stacked = xr.concat(runs, dim=DRAW, combine_attrs="drop_conflicts")
        if reps < draws:  # deal the replications out over the draws in turn
            stacked = stacked.isel({DRAW: [d % reps for d in range(draws)]})
        effects[name] = stacked
    return effects


def cached_context(
    inputs: Inputs,
    region: str,
    horizon: int,
    background: xr.DataArray | None,
    background_key: str,
) -> tuple[LeverContext, tuple]:
    """The lever context of a region (cached) and the key it is cached under."""
    key = (inputs.vintage, region, horizon, background_key)
    context = _remember(
        _CONTEXTS, key, lambda: lever_context(inputs, region, horizon, background, background_key)
    )
    return context, key


def brings_people(effect: xr.Dataset) -> bool:
    """A lever that moves people in and out gives `arrivals` and `departures` by age."""
    return "departures" in effect and AGE in effect["arrivals"].dims


def combined(
    moved: xr.DataArray | None, background: xr.DataArray | None, inputs: Inputs
) -> xr.DataArray | None:
    """The levers' in-migrants (region's units) plus the background in-migrants (all units),
    on all units."""
    if moved is None or background is None:
        return moved if background is None else background
    units = list(inputs.population[REGION].values)
    return moved.reindex({REGION: units}, fill_value=0.0) + background


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


def lever_context(
    inputs: Inputs,
    region: str,
    horizon: int,
    background: xr.DataArray | None = None,
    background_key: str | None = None,
) -> LeverContext:
    """What the levers may read: the region's central projection (with the `background`
    in-migrants of announced establishments, cached under `background_key`), by sector and
    age."""
    projection = projection_of(inputs, horizon, 0, 0, background, background_key)
    units = inputs.units_of(region)
    population = projection.population.sel({REGION: units})
    share = inputs.sector_share.sel({REGION: population[REGION]})
    employed = (employed_by_age(population, inputs).sum(SEX) * share).sum(REGION)
    by_unit = labour_supply(population, inputs)
    supply = by_unit.sum(REGION)
    leavers = replacement(by_unit.supply_persons, exit_rates(population, inputs))
    return LeverContext(
        years=[int(y) for y in population[YEAR].values],
        sectors=list(inputs.sectors.index),
        employed=employed.transpose(YEAR, SECTOR, AGE),
        part_timers=supply.part_timers.transpose(YEAR, SECTOR),
        fte_per_person=fte_per_person(inputs),
        retirements=leavers.retirements.sum(REGION).transpose(YEAR, SECTOR),
        population=population.sum(REGION).transpose(YEAR, SEX, AGE),
        full_time_hours=inputs.full_time_hours,
        part_time_hours=inputs.part_time_hours,
        region_units=list(units),
        unit_population=projection.population.sum(SEX).transpose(YEAR, REGION, AGE),
    )


def lever_fte(
    effects: dict[str, xr.Dataset],
    supply_fte: xr.DataArray,
    inputs: Inputs,
    scenario: Scenario,
    draws: int,
    seed: int,
    units: list[str],
    background: xr.DataArray | None = None,
) -> xr.DataArray:
    """Extra FTE (lever, [draw,] year, sector) of each lever: its own simulated FTE, or for
    levers that bring people, the supply their extra residents give (against the same paths
    without them, but with the `background` in-migrants every run has)."""
    parts = []
    for name, effect in effects.items():
        if brings_people(effect):
            without = projection_of(inputs, scenario.horizon, draws, seed, background)
            without = without.sel({REGION: units})
            base = labour_supply(without.population, inputs).supply_fte.sum(REGION)
            parts.append(supply_fte - base)
        else:
            parts.append(effect.extra_fte)
        parts[-1] = parts[-1].expand_dims({LEVER: [name]})
    if not parts:  # no lever: one zero row, so the total is zero
        return xr.zeros_like(supply_fte).expand_dims({LEVER: ["none"]})
    return xr.concat(parts, dim=LEVER)
