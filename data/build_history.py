"""Derive the yearly histories the rate models are fitted on (see data/SOURCES.md, History).

Mortality: Riket deaths and mean population by sex and age 1969–2020 (Lee–Carter).
Fertility: Riket total fertility 1969–2015 from births by age of mother, and the published
values after 2015. Migration: Luleå-area yearly flows 2007–2024. Municipal totals: every
published 31 December population of the 44 municipalities.
"""

from __future__ import annotations

import pandas as pd
from build_common import read_official
from build_migration import MIGRATION_MEASURES
from build_sources import LULEA_AREA, stock

from forecast.demography import births_by_age, with_mother_age, women_exposure


def mortality_history() -> pd.DataFrame:
    """Riket deaths (age at death) and mean population (exposure) by sex, age and year."""
    deaths = read_official("scb_deaths_age_sex")
    deaths = deaths[deaths.region_code == "00"][["year", "sex", "age", "value"]]
    exposure = read_official("scb_population_mean_riket")[["year", "sex", "age", "value"]]
    table = deaths.merge(exposure, on=["year", "sex", "age"], suffixes=("_d", "_e"))
    table = table.rename(columns={"value_d": "deaths", "value_e": "exposure"})
    return table.sort_values(["sex", "age", "year"], ignore_index=True)[
        ["sex", "age", "year", "deaths", "exposure"]
    ]


def fertility_history() -> pd.DataFrame:
    """Riket total fertility rate per year: derived where births by age exist, else published."""
    pop = read_official("scb_population_age_sex")
    births = read_official("scb_births_mother_age")
    births = with_mother_age(births[births.region_code == "00"])
    rows = []
    for year in sorted(births.year.unique()):
        if year - 1 not in set(pop.year):
            continue
        asfr = births_by_age(births[births.year == year])
        women = women_exposure(stock(pop, "00", year - 1), stock(pop, "00", year))
        rows.append((year, float((asfr[15:50] / women[15:50]).sum()), "derived"))
    vital = read_official("vital_rates")
    published = vital[(vital.measure == "tfr") & (vital.region_code == "00")]
    have = {r[0] for r in rows}
    for r in published.itertuples():
        if r.year.isdigit() and int(r.year) not in have:
            rows.append((int(r.year), float(r.value), "official"))
    return pd.DataFrame(sorted(rows), columns=["year", "tfr", "status"])


def migration_history() -> pd.DataFrame:
    """Luleå-area yearly flows [persons] and the population at the start of each year."""
    mig = read_official("scb_lulea_migration_age_sex")
    pop = read_official("scb_lulea_population_age_sex")
    area = mig[mig.region_code.isin(LULEA_AREA)]
    flows = area.pivot_table(index="year", columns="measure", values="value", aggfunc="sum")
    flows = flows[list(MIGRATION_MEASURES.values())]
    flows.columns = list(MIGRATION_MEASURES)
    start = pop[pop.region_code.isin(LULEA_AREA)].groupby("year").value.sum()
    flows["population_start"] = start.reindex(flows.index - 1).to_numpy()
    return flows.dropna().reset_index()


def municipal_totals() -> pd.DataFrame:
    """31 December totals of the 44 municipalities, from the most complete SCB table first."""
    single = read_official("scb_lulea_population_age_sex")
    single = single[single.region_code.str.len() == 4].groupby(["region_code", "year"]).value.sum()
    scb = read_official("scb_population_total_municipal").set_index(["region_code", "year"]).value
    change = read_official("population_change").dropna(subset=["population_dec31"])
    change = change[change.region_code.str.len() == 4]
    published = change.groupby(["region_code", "year"]).population_dec31.first()
    combined = single.combine_first(scb).combine_first(published).rename("population")
    frame = combined.reset_index().sort_values(["region_code", "year"], ignore_index=True)
    return frame.astype({"population": int})


def build_history() -> dict[str, pd.DataFrame]:
    """All history tables, keyed by file name."""
    return {
        "mortality_history.csv.gz": mortality_history(),
        "fertility_history.csv": fertility_history(),
        "migration_history.csv": migration_history(),
        "municipal_totals.csv": municipal_totals(),
    }
