"""Back-test: rebuild the model's inputs as they could have been known in an earlier year,
project to the latest observed year and compare with what happened.

Units are the 18 municipalities with single ages every year 2006–2024 (Norrbotten's 14, Umeå,
Skellefteå, Sundsvall, Östersund) and the rest of Sweden; Norrbotten is the sum of its 14.
Every rate uses only figures up to the base year B (five-year windows B−4 … B), with the
methods of data/SOURCES.md where the data allow and the fallbacks listed there (Back-test).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import xarray as xr

from forecast.accuracy import (
    MEASURE,
    by_age_group,
    error_table,
    naive_constant,
    naive_growth,
)
from forecast.demography import (
    births_by_age,
    cohort_exposure,
    expected_deaths,
    lagged_exposure,
    safe_ratio,
    to_array,
    with_mother_age,
    women_exposure,
)
from forecast.dims import AGE, AGES, DRAW, PER_PERSON, PERSONS, REGION, SEX, SEXES, SHARE, YEAR
from forecast.inputs import DEFAULT_DATA, Inputs
from forecast.net_migration import gross_from_net, residual_net_migration
from forecast.population import REST_OF_SWEDEN, project
from forecast.rates import simulate_paths

OFFICIAL = DEFAULT_DATA.parent / "official"
LULEA_AREA = ("2514", "2560", "2580", "2581", "2582")
COUNTY = "25"
WINDOW = 5  # years behind every rate: B−4 … B
SHRINK = 50.0  # prior weight [expected events] pulling small-area factors to the county
LAST_COUNTY_YEAR = 2015  # county deaths and births by age end here
OLD = 90  # from this age one pooled domestic out-migration rate (few movers)
NAIVE_WINDOW = 5  # years of growth behind the constant-growth benchmark
QUANTILES = {"p10": 0.10, "p50": 0.50, "p90": 0.90}


@cache
def official(name: str) -> pd.DataFrame:
    """One embedded official table, region codes as text (read once per process)."""
    return pd.read_csv(OFFICIAL / f"{name}.csv.gz", dtype={"region_code": str})


@cache
def stock(region: str, year: int) -> np.ndarray:
    """31 December stock (sex, age): the yearly single-age table, else the long SCB table.

    Cached and read-only: callers build new arrays from it.
    """
    t = official("scb_lulea_population_age_sex")
    rows = t[(t.region_code == region) & (t.year == year) & (t.measure == "population_dec31")]
    if rows.empty:
        t = official("scb_population_age_sex")
        rows = t[(t.region_code == region) & (t.year == year)]
    if rows.empty:
        raise ValueError(f"no single-age population for {region} in {year}")
    array = to_array(rows)
    array.flags.writeable = False
    return array


def events(name: str, region: str, years: range, measure: str | None = None) -> np.ndarray:
    """Deaths, births or migrants (sex, age) of a region summed over years."""
    t = official(name)
    rows = t[(t.region_code == region) & t.year.isin(years)]
    if measure is not None:
        rows = rows[rows.measure == measure]
    return to_array(rows)


def backtest_units() -> list[str]:
    """The rest of Sweden first (the projection needs it there), then the 18 municipalities."""
    t = official("scb_lulea_population_age_sex")
    return [REST_OF_SWEDEN, *sorted(c for c in t.region_code.unique() if len(c) == 4)]


def backtest_regions() -> list[str]:
    """Regions a back-test reports on: the 18 municipalities and Norrbotten."""
    return sorted([*backtest_units()[1:], COUNTY])


def window(base_year: int, last: int | None = None) -> range:
    end = min(base_year, last) if last else base_year
    return range(end - WINDOW + 1, end + 1)


def exposure_sum(region: str, years: range) -> np.ndarray:
    """People reaching each age in the given years (cohort exposure; age 0 ≈ the stock at 0)."""
    return sum(lagged_exposure(stock(region, y - 1)) for y in years)


def national_death_prob(base_year: int) -> tuple[np.ndarray, float]:
    """Riket probability of dying by age reached, pooled B−3 … B, and its level in year B."""
    years = range(base_year - 3, base_year + 1)
    deaths = events("scb_lulea_deaths_age_sex", "00", years)
    exposure = exposure_sum("00", years)
    exposure[:, 0] = sum(stock("00", y)[:, 0] for y in years) + deaths[:, 0]
    q = safe_ratio(deaths, exposure)
    expected = expected_deaths(q, stock("00", base_year - 1))
    observed = events("scb_lulea_deaths_age_sex", "00", range(base_year, base_year + 1))
    return q, float(observed[:, 1:].sum() / expected)


def deaths_expected(q: np.ndarray, region: str, years: range) -> float:
    """Deaths the region's cohorts would have in the years at probabilities q [persons]."""
    return sum(expected_deaths(q, stock(region, y - 1)) for y in years)


def county_smr(county: str, base_year: int) -> float:
    """County deaths against Riket's rates (both by age at death), last five county years."""
    d = official("scb_deaths_age_sex")
    observed = expected = 0.0
    for y in window(base_year, LAST_COUNTY_YEAR):
        nat = to_array(d[(d.region_code == "00") & (d.year == y)])
        rate = safe_ratio(nat, stock("00", y))
        observed += d[(d.region_code == county) & (d.year == y)].value.sum()
        expected += (rate * stock(county, y)).sum()
    return observed / expected


def mortality_factors(
    units: list[str], q: np.ndarray, period: float, base_year: int
) -> tuple[dict, dict]:
    """Level factors per unit: shrunk own SMR (Luleå area) or the county's; the rest of Sweden
    makes Riket's expected deaths add up. Also the events behind each level (evidence)."""
    years = range(base_year - 3, base_year + 1)
    factors, evidence = {}, {}
    for code in units[1:]:
        prior = county_smr(code[:2], base_year)
        own = 0.0
        if code in LULEA_AREA:
            own = events("scb_lulea_deaths_age_sex", code, years)[:, 1:].sum()
            exp = deaths_expected(q, code, years)  # same years as q: no period factor
            prior = (own + SHRINK * prior) / (exp + SHRINK)
        factors[code] = period * prior
        evidence[code] = own + SHRINK
    e = {c: deaths_expected(q, c, range(base_year, base_year + 1)) for c in units[1:]}
    national = period * deaths_expected(q, "00", range(base_year, base_year + 1))
    rest = (national - sum(factors[c] * e[c] for c in e)) / (national / period - sum(e.values()))
    return {REST_OF_SWEDEN: rest, **factors}, {REST_OF_SWEDEN: national, **evidence}


def women(region: str, year: int) -> np.ndarray:
    """Women by age reached in the year in the region [persons]."""
    return women_exposure(stock(region, year - 1), stock(region, year))


def fertility(units: list[str], base_year: int, tfr: pd.Series) -> tuple[np.ndarray, float, dict]:
    """(region, age) schedules: county shapes (last five county years) scaled to Riket's TFR
    in B, municipal level factors from own births; the rest of Sweden closes Riket. Also the
    share of boys and the events behind each level (evidence)."""
    b = with_mother_age(official("scb_births_mother_age"))
    years = window(base_year, LAST_COUNTY_YEAR)
    schedules = {}
    for region in ("00", "22", "23", "24", "25"):
        births, exposure = np.zeros(len(AGES)), np.zeros(len(AGES))
        for y in years:
            births += births_by_age(b[(b.region_code == region) & (b.year == y)])
            exposure += women(region, y)
        schedules[region] = safe_ratio(births, exposure)
    level = float(tfr[tfr.index <= base_year].iloc[-1]) / schedules["00"].sum()
    schedules = {r: s * level for r, s in schedules.items()}
    asfr, expected, evidence = {}, {}, {}
    lb = official("scb_lulea_births_mother_age")
    for code in units[1:]:
        shape = schedules[code[:2]]
        own_years = range(base_year - WINDOW + 1, base_year + 1)
        own = lb[(lb.region_code == code) & lb.year.isin(own_years)].value.sum()
        exp = sum(float((shape * women(code, y)).sum()) for y in own_years)
        factor = (own + SHRINK) / (exp + SHRINK) if own > 0 else 1.0
        asfr[code] = shape * factor
        evidence[code] = own + SHRINK
        expected[code] = float((asfr[code] * women(code, base_year)).sum())
    national = float((schedules["00"] * women("00", base_year)).sum())
    rest_women = women("00", base_year) - sum(women(c, base_year) for c in units[1:])
    rest = (national - sum(expected.values())) / float((schedules["00"] * rest_women).sum())
    asfr[REST_OF_SWEDEN] = schedules["00"] * rest
    evidence[REST_OF_SWEDEN] = national
    riket = b[(b.region_code == "00") & b.year.isin(years)].groupby("sex").value.sum()
    return np.stack([asfr[u] for u in units]), float(riket["male"] / riket.sum()), evidence


@dataclass(frozen=True)
class Migration:
    """Per unit (sex, age): immigrants and domestic in-migrants [persons per year], emigration
    and domestic out-migration rates [per person and year]."""

    immigrants: dict[str, np.ndarray]
    domestic_in: dict[str, np.ndarray]
    emigration: dict[str, np.ndarray]
    domestic_out: dict[str, np.ndarray]


def migration(units: list[str], base_year: int, q: np.ndarray, factors: dict) -> Migration:
    """Observed flows for the Luleå area; elsewhere the municipality's own net migration by
    age (residual of its stocks) with gross flows in Luleå-area shapes; the rest of Sweden
    from Riket's residual net migration (international) and the pool of domestic movers."""
    years = window(base_year)
    name = "scb_lulea_migration_age_sex"
    pooled = {
        m: sum(events(name, c, years, m) for c in LULEA_AREA)
        for m in ("immigrants", "domestic_in_migrants", "emigrants", "domestic_out_migrants")
    }
    area_exposure = sum(exposure_sum(c, years) for c in LULEA_AREA)
    inflow = pooled["immigrants"] + pooled["domestic_in_migrants"]
    outflow = pooled["emigrants"] + pooled["domestic_out_migrants"]
    in_rate = inflow.sum() / area_exposure.sum()
    out_shape = safe_ratio(outflow, area_exposure)
    imm_share = safe_ratio(pooled["immigrants"], inflow)
    emi_share = safe_ratio(pooled["emigrants"], outflow)
    mig = Migration({}, {}, {}, {})
    n = len(years)
    for code in units[1:]:
        exposure = exposure_sum(code, years)
        if code in LULEA_AREA:
            mig.immigrants[code] = events(name, code, years, "immigrants") / n
            mig.domestic_in[code] = events(name, code, years, "domestic_in_migrants") / n
            for target, measure in ((mig.emigration, "emigrants"),
                                    (mig.domestic_out, "domestic_out_migrants")):  # fmt: skip
                flow = events(name, code, years, measure)
                target[code] = safe_ratio(flow, exposure)
            continue
        stocks = [stock(code, y) for y in range(years[0] - 1, years[-1] + 1)]
        net = residual_net_migration(stocks, np.minimum(q * factors[code], 1.0))
        base = lagged_exposure(stock(code, base_year))
        total_in = in_rate * stock(code, base_year).sum()
        gross_in, out_rate = gross_from_net(net, out_shape, total_in, base)
        mig.immigrants[code] = gross_in * imm_share
        mig.domestic_in[code] = gross_in * (1 - imm_share)
        mig.emigration[code] = out_rate * emi_share
        mig.domestic_out[code] = out_rate * (1 - emi_share)
    _rest_of_sweden(mig, units, base_year, pooled, area_exposure)
    return mig


def _rest_of_sweden(mig: Migration, units: list[str], base_year: int, pooled: dict,
                    area_exposure: np.ndarray) -> None:  # fmt: skip
    """International flows of the rest of Sweden from Riket's residual net migration by age
    (positive part as immigrants, negative part as an emigration rate); domestic out-migration
    at the Luleå-area rate; domestic in-migrants = all movers less the municipalities'."""
    years = window(base_year)
    n = len(years)
    net = np.zeros((2, len(AGES)))
    for y in years:
        prev, now = stock("00", y - 1), stock("00", y)
        deaths = events("scb_lulea_deaths_age_sex", "00", range(y, y + 1))
        net[:, 1:] += now[:, 1:] - cohort_exposure(prev)[:, 1:] + deaths[:, 1:]
    net /= n
    north_net = sum(
        mig.immigrants[c] - mig.emigration[c] * cohort_exposure(stock(c, base_year))
        for c in units[1:]
    )
    rest_net = net - north_net
    rest_stock = stock("00", base_year) - sum(stock(c, base_year) for c in units[1:])
    exposure = lagged_exposure(rest_stock)
    mig.immigrants[REST_OF_SWEDEN] = np.maximum(rest_net, 0.0)
    mig.emigration[REST_OF_SWEDEN] = safe_ratio(np.maximum(-rest_net, 0.0), exposure)
    rate = safe_ratio(pooled["domestic_out_migrants"], area_exposure)
    rate[:, OLD:] = (
        pooled["domestic_out_migrants"][:, OLD:].sum(axis=1) / area_exposure[:, OLD:].sum(axis=1)
    )[:, None]
    mig.domestic_out[REST_OF_SWEDEN] = rate
    movers = rate * exposure + sum(
        mig.domestic_out[c] * cohort_exposure(stock(c, base_year)) for c in units[1:]
    )
    mig.domestic_in[REST_OF_SWEDEN] = np.maximum(
        movers - sum(mig.domestic_in[c] for c in units[1:]), 0.0
    )


def _grid(values: dict[str, np.ndarray], units: list[str], unit: str) -> xr.DataArray:
    array = xr.DataArray(
        np.stack([values[u] for u in units]),
        coords={REGION: units, SEX: list(SEXES), AGE: AGES},
        dims=[REGION, SEX, AGE],
    )
    array.attrs["units"] = unit
    return array


def _levels(values: dict[str, float], units: list[str]) -> xr.DataArray:
    array = xr.DataArray([float(values[u]) for u in units], coords={REGION: units}, dims=[REGION])
    return array.assign_attrs(units="events")


def inputs_as_of(base_year: int, current: Inputs) -> Inputs:
    """The demographic inputs and histories as they stood at the end of base_year.

    Labour fields are the current ones (the back-test evaluates the population model only).
    """
    if not 2011 <= base_year <= 2020:
        raise ValueError(
            f"back-test base year must be 2011–2020 (single ages for Riket end in 2020, "
            f"flows start in 2006), got {base_year}"
        )
    units = backtest_units()
    q, period = national_death_prob(base_year)
    factors, deaths_evidence = mortality_factors(units, q, period, base_year)
    tfr = current.tfr_history[current.tfr_history.index <= base_year]
    asfr, share_male, births_evidence = fertility(units, base_year, tfr)
    mig = migration(units, base_year, q, factors)
    stocks = {u: stock(u, base_year) for u in units[1:]}
    stocks[REST_OF_SWEDEN] = stock("00", base_year) - sum(stocks.values())
    death_prob = {u: np.minimum(q * factors[u], 1.0) for u in units}
    domestic = _grid(mig.domestic_in, units, PERSONS)
    movers = domestic.sum(REGION)
    regions = current.regions.loc[["00", REST_OF_SWEDEN, COUNTY, *units[1:]]]
    history = current.mortality_history
    return dataclasses.replace(
        current,
        regions=regions,
        base_year=base_year,
        population=_grid(stocks, units, PERSONS),
        death_prob=_grid(death_prob, units, PER_PERSON),
        asfr=xr.DataArray(asfr, coords={REGION: units, AGE: AGES}, dims=[REGION, AGE]),
        share_male_births=share_male,
        immigrants=_grid(mig.immigrants, units, "persons per year"),
        emigration_rate=_grid(mig.emigration, units, PER_PERSON),
        domestic_out_rate=_grid(mig.domestic_out, units, PER_PERSON),
        domestic_share=(domestic / movers.where(movers > 0)).fillna(0.0).assign_attrs(units=SHARE),
        mortality_evidence=_levels(deaths_evidence, units),
        fertility_evidence=_levels(births_evidence, units),
        mortality_history=history.sel({YEAR: history[YEAR] <= base_year}),
        tfr_history=tfr,
        migration_history=current.migration_history.loc[:base_year],
        municipal_totals=current.municipal_totals.sel(
            {YEAR: current.municipal_totals[YEAR] <= base_year}
        ),
        vintage=f"back-test as of {base_year}; {current.vintage}",
    )


def observed_groups(units: list[str], years: range) -> xr.DataArray:
    """Observed population by published age group (year, region, measure), Norrbotten summed."""
    frames = [
        by_age_group(
            xr.DataArray(
                np.stack([stock(u, y) for y in years]),
                coords={YEAR: list(years), SEX: list(SEXES), AGE: AGES},
                dims=[YEAR, SEX, AGE],
            )
        ).expand_dims({REGION: [u]})
        for u in units
    ]
    grouped = xr.concat(frames, dim=REGION)
    county = grouped.sel({REGION: [u for u in units if u.startswith(COUNTY)]}).sum(REGION)
    return xr.concat([grouped, county.expand_dims({REGION: [COUNTY]})], dim=REGION)


@dataclass(frozen=True)
class Backtest:
    """What a back-test found: errors per method, the model's intervals and their coverage."""

    base_year: int
    last_year: int
    draws: int
    seed: int
    errors: pd.DataFrame  # error_table: region, measure, year, horizon, method, ape, …
    intervals: pd.DataFrame  # region, measure, year, horizon, p10, p50, p90, observed, inside

    @property
    def coverage(self) -> float:
        """Share of observed values inside the model's 80 % interval."""
        return float(self.intervals.inside.mean())


def run_backtest(
    base_year: int, current: Inputs, draws: int = 500, seed: int = 0, last_year: int = 2024
) -> Backtest:
    """Project the back-test units from base_year to last_year and score them."""
    if draws < 10:
        raise ValueError(f"a back-test needs at least 10 draws for its intervals, got {draws}")
    inputs = inputs_as_of(base_year, current)
    paths = simulate_paths(inputs, last_year, draws, seed)
    projection = project(inputs, last_year, paths).population
    municipalities = backtest_units()[1:]
    by_unit = by_age_group(projection.sel({REGION: municipalities}))
    county = by_unit.sel({REGION: [u for u in municipalities if u.startswith(COUNTY)]}).sum(REGION)
    model = xr.concat([by_unit, county.expand_dims({REGION: [COUNTY]})], dim=REGION)
    bands = model.quantile(list(QUANTILES.values()), dim=DRAW).assign_coords(
        quantile=list(QUANTILES)
    )
    observed = observed_groups(municipalities, range(base_year - NAIVE_WINDOW, last_year + 1))
    target = list(range(base_year + 1, last_year + 1))
    forecasts = {
        "model": bands.sel(quantile="p50", drop=True).sel({YEAR: target}),
        "constant": naive_constant(observed, base_year, target),
        "growth": naive_growth(observed, base_year, target, NAIVE_WINDOW),
    }
    errors = error_table(
        {k: v.transpose(YEAR, REGION, MEASURE) for k, v in forecasts.items()}, observed, base_year
    )
    seen = observed.sel({YEAR: target})
    frame = bands.sel({YEAR: target}).to_dataset("quantile").assign(observed=seen)
    intervals = frame.to_dataframe().reset_index()
    intervals["horizon"] = intervals[YEAR] - base_year
    intervals["inside"] = (intervals.p10 <= intervals.observed) & (
        intervals.observed <= intervals.p90
    )
    return Backtest(base_year, last_year, draws, seed, errors, intervals)


def horizon_summary(result: Backtest, region: str | None = None) -> pd.DataFrame:
    """By horizon: median APE of total population for the model and both benchmarks, and the
    80 % interval coverage — over the 18 municipalities, or for one region when given."""
    errors = result.errors[result.errors[MEASURE] == "total"]
    bands = result.intervals[result.intervals[MEASURE] == "total"]
    if region is None:
        errors = errors[errors[REGION] != COUNTY]
        bands = bands[bands[REGION] != COUNTY]
    else:
        errors, bands = errors[errors[REGION] == region], bands[bands[REGION] == region]
    table = errors.pivot_table(index="horizon", columns="method", values="ape", aggfunc="median")
    table = table[["model", "constant", "growth"]].add_prefix("median_ape_")
    table["coverage_80"] = bands.groupby("horizon").inside.mean()
    return table.reset_index()


def backtest_table(result: Backtest, region: str) -> pd.DataFrame:
    """One region's total population by target year: observed, the model's median and 80 %
    interval, and each method's absolute percentage error."""
    bands = result.intervals
    bands = bands[(bands[REGION] == region) & (bands[MEASURE] == "total")]
    errors = result.errors
    errors = errors[(errors[REGION] == region) & (errors[MEASURE] == "total")]
    ape = errors.pivot_table(index=YEAR, columns="method", values="ape").add_prefix("ape_")
    table = bands.set_index(YEAR)[["horizon", "observed", "p10", "p50", "p90", "inside"]]
    table = table.rename(columns={"inside": "inside_80"})
    return table.join(ape[["ape_model", "ape_constant", "ape_growth"]]).reset_index()
