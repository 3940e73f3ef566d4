"""The runner: Scenario + Inputs → Result, an xarray Dataset that describes itself."""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version

import xarray as xr

from forecast.balance import exit_rates, expansion, gap, recruitment_need, replacement
from forecast.demand import labour_demand
from forecast.dims import AGE, FTE, PERSONS, REGION, SECTOR, SEX, YEAR
from forecast.inputs import Inputs
from forecast.population import FLOWS
from forecast.rates import fit_rate_models
from forecast.supply import employed_by_age, fte_per_person, labour_supply
from scenarios.establishments import establishment_flows
from scenarios.levers import (
    EXIT_CHANGES,
    LEVER,
    brings_people,
    cached_context,
    combined,
    lever_effects,
    lever_fte,
    moved_in,
)
from scenarios.projection import default_inputs, projection_of
from scenarios.spec import Scenario, resolved_toml

DESCRIPTIONS = {
    "employed": "employed residents by sex and age",
    "supply_persons": "employed residents by sector (plus the levers' extra staff)",
    "supply_fte": "full-time equivalents of the employed residents by sector",
    "demand_persons": "staff needed: demand in FTE ÷ the sector's FTE per person",
    "demand_fte": "staff needed in FTE: base-year staffing × users, trend or constant, "
    "plus announced establishments' jobs",
    "gap_fte": "demand − supply; positive means a shortage",
    "retirements": "staff leaving work to retirement or disability (exit hazard by age)",
    "expansion_need": "change in staff needed from the year before; negative when it falls",
    "replacement_need": "staff to replace: retirements and deaths",
    "recruitment_need": "expansion + replacement per municipality and sector, at least 0",
    "establishment_jobs": "direct and indirect jobs of announced establishments added since "
    "the base year",
}


def package_version() -> str:
    try:
        return version("workforce-scenarios")
    except PackageNotFoundError:
        return "unknown"


def inputs_hash(
    inputs: Inputs, toml: str, region: str, seed: int, draws: int, replications: int | None = None
) -> str:
    """One fingerprint of everything a result depends on: data, scenario, region, seed, draws,
    lever replications and the package version."""
    reps = "" if replications is None else str(replications)
    parts = (inputs.vintage, toml, region, str(seed), str(draws), reps, package_version())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def run_scenario(
    scenario: Scenario,
    region: str,
    inputs: Inputs | None = None,
    seed: int = 0,
    draws: int = 0,
    replications: int | None = None,
) -> xr.Dataset:
    """Project population, supply, demand and balance for one region under one scenario.

    draws = 0 gives the central path with no draw dimension; draws = N gives N coherent
    random paths of fertility, mortality and migration along a `draw` dimension, and each
    lever runs `replications` seeded replications dealt out over them (default: one per
    draw; the explorer uses fewer to answer within a second).
    """
    inputs = inputs or default_inputs()
    units = inputs.units_of(region)
    if scenario.horizon <= inputs.base_year:
        raise ValueError(
            f"horizon must be after the base year {inputs.base_year}, got {scenario.horizon}"
        )
    flows = establishment_flows(scenario.establishments, inputs, scenario.horizon)
    added_jobs, background = flows if flows else (None, None)
    background_key = scenario.establishments.model_dump_json()
    effects = {}
    if scenario.levers.active():
        context, key = cached_context(inputs, region, scenario.horizon, background, background_key)
        effects = lever_effects(scenario, context, seed, draws, replications, key)
    moved = moved_in(effects, inputs, units)
    extra = combined(moved, background, inputs)
    extra_key = background_key if moved is None and background is not None else None
    projection = projection_of(inputs, scenario.horizon, draws, seed, extra, extra_key)
    projection = projection.sel({REGION: units})
    population = projection.population
    by_unit = labour_supply(population, inputs)
    supply = by_unit.sum(REGION)
    per_person = fte_per_person(inputs)
    base_fte = by_unit.supply_fte.isel({YEAR: 0})
    jobs = None if added_jobs is None else added_jobs.sel({REGION: units})
    jobs_fte = None if jobs is None else jobs * per_person
    demand_by_unit = labour_demand(population, base_fte, inputs, scenario.productivity, jobs_fte)
    staff_by_unit = demand_by_unit / per_person
    leavers = replacement(staff_by_unit, exit_rates(population, inputs))
    growth = expansion(staff_by_unit)
    by_lever = lever_fte(
        effects, supply.supply_fte, inputs, scenario, draws, seed, units, background
    )
    direct = [e for e in effects.values() if not brings_people(e)]
    supply_fte = supply.supply_fte + sum(e.extra_fte for e in direct)
    supply_persons = supply.supply_persons + sum(e.extra_persons for e in direct)
    exits = sum(e[k] * sign for e in direct for k, sign in EXIT_CHANGES.items() if k in e)
    retired = leavers.retirements.sum(REGION) + exits
    replace = (leavers.retirements + leavers.deaths).sum(REGION) + exits
    need = recruitment_need(growth, leavers.retirements + leavers.deaths).sum(REGION) + exits
    demand = demand_by_unit.sum(REGION)
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
            "employed": employed_by_age(population, inputs)
            .sum(REGION)
            .transpose(..., YEAR, SEX, AGE),
            "demand_persons": staff_by_unit.sum(REGION).transpose(..., YEAR, SECTOR),
            "demand_fte": demand.transpose(..., YEAR, SECTOR),
            "gap_fte": gap(demand, supply_fte).transpose(..., YEAR, SECTOR),
            "retirements": retired.transpose(..., YEAR, SECTOR),
            "expansion_need": growth.sum(REGION).transpose(..., YEAR, SECTOR),
            "replacement_need": replace.transpose(..., YEAR, SECTOR),
            "recruitment_need": need.transpose(..., YEAR, SECTOR),
            "lever_fte": by_lever.sum(LEVER).transpose(..., YEAR, SECTOR),
        }
    )
    if jobs is not None:
        ds["establishment_jobs"] = jobs.sum(REGION).transpose(YEAR, SECTOR)
    if effects:
        ds["lever_fte_by_lever"] = by_lever.transpose(LEVER, ..., YEAR, SECTOR)
    for name in ds.data_vars:
        ds[name].attrs["units"] = FTE if name.endswith("_fte") else PERSONS
    for name, text in DESCRIPTIONS.items():
        if name in ds:
            ds[name].attrs["description"] = text
    toml = resolved_toml(scenario)
    ds.attrs.update(
        scenario=scenario.name,
        scenario_json=scenario.model_dump_json(),
        scenario_toml=toml,
        inputs_hash=inputs_hash(inputs, toml, region, seed, draws, replications),
        region=region,
        region_name=inputs.region_name(region),
        seed=seed,
        draws=draws,
        lever_replications=draws if replications is None else replications,
        rate_models="\n".join(fit_rate_models(inputs).describe()),
        data_vintage=inputs.vintage,
        base_year=inputs.base_year,
        horizon=scenario.horizon,
        version=package_version(),
    )
    return ds
