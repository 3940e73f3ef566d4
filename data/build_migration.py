"""Derive the migration inputs (flows by age and sex, totals, the rest of Sweden) from
data/official/; every method is described in data/SOURCES.md (Migration).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from build_common import AGES, BASE_YEAR, SEXES
from build_sources import (
    LULEA_AREA,
    MIGRATION_YEARS,
    OLD,
    REST,
    PopulationSources,
    county_of,
    stock,
)

from forecast.demography import expected_deaths, lagged_exposure, to_array, women_exposure
from forecast.net_migration import gross_from_net, residual_net_migration


def migration_profiles(src: PopulationSources) -> dict[str, np.ndarray]:
    """Pooled Luleå-area age profiles 2020–2024: in-migrant shares and out-migration rates."""
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    out = {}
    for measure in (
        "in_migrants",
        "out_migrants",
        "immigrants",
        "emigrants",
        "domestic_out_migrants",
    ):
        out[measure] = to_array(m[m.measure == measure]) / len(MIGRATION_YEARS)
    exposure = np.zeros((2, 101))
    for code in LULEA_AREA:
        for y in MIGRATION_YEARS:
            prev = stock(src.lulea_pop, code, y - 1)
            exposure[:, 1:] += prev[:, :-1]
            exposure[:, 100] += prev[:, 100]
    exposure /= len(MIGRATION_YEARS)
    exposure[:, 0] = exposure[:, 1]  # newborn exposure ≈ one-year-olds (births not by area)
    out["out_rate"] = out["out_migrants"] / exposure
    out["emigration_rate"] = out["emigrants"] / exposure
    old = out["domestic_out_migrants"][:, OLD:].sum(axis=1) / exposure[:, OLD:].sum(axis=1)
    out["domestic_out_rate"] = out["domestic_out_migrants"] / exposure
    out["domestic_out_rate"][:, OLD:] = old[:, None]  # few movers: one rate for 90+
    return out


def migration_totals(src, s2024, factors, q, fert, s2023) -> pd.DataFrame:
    """Yearly in- and out-migrant totals per region and how each was obtained."""
    ins, outs = src.published("in_migrants_total"), src.published("out_migrants_total")
    totals = src.published("population_dec31")
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    rows = {}
    for code in (c for c in s2024 if c != REST):
        if code in LULEA_AREA:
            own = m[m.region_code == code].groupby("measure").value.sum() / len(MIGRATION_YEARS)
            rows[code] = (own["in_migrants"], own["out_migrants"], "observed by age 2020–2024")
            continue
        years = [y for y in range(2015, BASE_YEAR + 1) if (code, y) in ins and (code, y) in outs]
        if years:
            y = years[-1]
            rows[code] = (ins[(code, y)], outs[(code, y)], f"published totals {y}")
    pop = {c: s.sum() for c, s in s2024.items()}
    ref_rate = {}
    for county in ("22", "23", "24", "25"):
        known = [c for c in rows if county_of(c) == county and c != "00"]
        ref_rate[county] = sum(rows[c][0] for c in known) / sum(pop[c] for c in known)
    for code in s2024:
        if code in rows or code == REST:
            continue
        f = factors.set_index("region_code").loc[code]
        asfr = np.zeros(101)
        asfr[15:50] = fert[fert.region_code == county_of(code)].asfr.to_numpy()
        births = f.fertility_factor * float((asfr * women_exposure(s2023[code], s2024[code])).sum())
        factor = np.array([f.mortality_factor_female, f.mortality_factor_male])[:, None]
        deaths = expected_deaths(q * factor, s2023[code])
        if code in set(src.lulea_pop.region_code):
            y0, p0 = 2019, stock(src.lulea_pop, code, 2019).sum()
        else:
            y0 = min(y for (c, y) in totals.index if c == code and y >= 2019)
            p0 = totals[(code, y0)]
        net = (pop[code] - p0) / (BASE_YEAR - y0) - (births - deaths)
        inflow = ref_rate[county_of(code)] * pop[code]
        rows[code] = (
            inflow,
            max(inflow - net, 0.0),
            f"in: county in-migration rate of municipalities with data; out: in minus "
            f"net migration {y0}–{BASE_YEAR} (population change less modelled births "
            f"and deaths)",
        )
    return pd.DataFrame(
        [(c, *v) for c, v in sorted(rows.items())],
        columns=["region_code", "in_migrants", "out_migrants", "method"],
    )


MIGRATION_MEASURES = {
    "immigrants": "immigrants",
    "domestic_in": "domestic_in_migrants",
    "emigrants": "emigrants",
    "domestic_out": "domestic_out_migrants",
}


def pooled_shares(src: PopulationSources) -> tuple[np.ndarray, np.ndarray]:
    """Luleå-area 2020–2024 shares (sex, age): immigrants of in-migrants, emigrants of out."""
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    total = {k: to_array(m[m.measure == k]) for k in ("in_migrants", "out_migrants")}
    imm = to_array(m[m.measure == "immigrants"])
    emi = to_array(m[m.measure == "emigrants"])
    ins, outs = total["in_migrants"], total["out_migrants"]
    return (
        np.divide(imm, ins, out=np.full_like(imm, imm.sum() / ins.sum()), where=ins > 0),
        np.divide(emi, outs, out=np.full_like(emi, emi.sum() / outs.sum()), where=outs > 0),
    )


def rate_for(total: float, shape: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """A rate schedule of the given age shape whose events on `exposure` sum to `total`."""
    events = (shape * exposure).sum()
    return shape * (total / events) if events > 0 else np.zeros_like(shape)


def migration_by_age(src, s2024, totals: pd.DataFrame, q, factors) -> pd.DataFrame:
    """Immigrants and domestic in-migrants [persons/year]; emigration and domestic
    out-migration rates [per person/year], by region, sex and age."""
    prof = migration_profiles(src)
    imm_share, emi_share = pooled_shares(src)
    m = src.migration[src.migration.year.isin(MIGRATION_YEARS)]
    out_shape = prof["out_rate"]
    yearly = set(src.lulea_pop.region_code) - set(LULEA_AREA) - {"25"}
    mortality = factors.set_index("region_code")[
        ["mortality_factor_female", "mortality_factor_male"]
    ]
    columns = {}
    for row in totals.itertuples():
        code = row.region_code
        if code == "00":
            continue
        if code in LULEA_AREA:
            own = m[m.region_code == code]
            years = len(MIGRATION_YEARS)
            counts = {
                k: to_array(own[own.measure == v]) / years for k, v in MIGRATION_MEASURES.items()
            }
            lagged = sum(
                lagged_exposure(stock(src.lulea_pop, code, y - 1)) for y in MIGRATION_YEARS
            )
            lagged = lagged / years
            rates = {
                k: np.divide(counts[k], lagged, out=np.zeros_like(lagged), where=lagged > 0)
                for k in ("emigrants", "domestic_out")
            }
            status = "official"
        elif code in yearly:
            stocks = [stock(src.lulea_pop, code, y) for y in range(MIGRATION_YEARS[0] - 1, 2025)]
            death_prob = np.minimum(q * mortality.loc[code].to_numpy()[:, None], 1.0)
            net = residual_net_migration(stocks, death_prob)
            inflow, out_total = gross_from_net(
                net, out_shape, row.in_migrants, lagged_exposure(s2024[code])
            )
            counts = {"immigrants": inflow * imm_share, "domestic_in": inflow * (1 - imm_share)}
            rates = {
                "emigrants": out_total * emi_share,
                "domestic_out": out_total * (1 - emi_share),
            }
            status = "derived"
        else:
            inflow = row.in_migrants * prof["in_migrants"] / prof["in_migrants"].sum()
            out_total = rate_for(row.out_migrants, out_shape, lagged_exposure(s2024[code]))
            counts = {"immigrants": inflow * imm_share, "domestic_in": inflow * (1 - imm_share)}
            rates = {
                "emigrants": out_total * emi_share,
                "domestic_out": out_total * (1 - emi_share),
            }
            status = "derived"
        columns[code] = (counts["immigrants"], counts["domestic_in"], *rates.values(), status)
    columns[REST] = rest_of_sweden_migration(src, s2024, columns, prof)
    frames = []
    for code, (imm, dom_in, emi_rate, dom_rate, status) in sorted(columns.items()):
        for i, sex in enumerate(SEXES):
            frames.append(
                pd.DataFrame(
                    {
                        "region_code": code,
                        "sex": sex,
                        "age": AGES,
                        "immigrants": imm[i],
                        "domestic_in": dom_in[i],
                        "emigration_rate": emi_rate[i],
                        "domestic_out_rate": dom_rate[i],
                        "status": status,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def rest_of_sweden_migration(src, s2024, columns: dict, prof: dict) -> tuple:
    """Migration of the rest of Sweden, so that national totals and domestic moves balance.

    International: Riket's published immigrants and emigrants 2024 less the 44 modelled
    municipalities', in Luleå-area age shapes. Domestic out-migration: the Luleå-area rate
    schedule (no national figure in the facts). Domestic in-migration: all domestic movers of
    the base year (every unit's rate × exposure) less those moving into the 44 municipalities.
    """
    imm_pub = src.published("in_from_abroad")[("00", BASE_YEAR)]
    emi_pub = src.published("out_to_abroad")[("00", BASE_YEAR)]
    rest = s2024[REST]
    exposure = lagged_exposure(rest)
    north_imm = sum(c[0] for c in columns.values()).sum()
    north_emi = sum((c[2] * lagged_exposure(s2024[k])).sum() for k, c in columns.items())
    imm_shape = prof["immigrants"] / prof["immigrants"].sum()
    immigrants = (imm_pub - north_imm) * imm_shape
    emigration = rate_for(emi_pub - north_emi, prof["emigration_rate"], exposure)
    domestic_rate = prof["domestic_out_rate"]
    movers = domestic_rate * exposure + sum(
        c[3] * lagged_exposure(s2024[k]) for k, c in columns.items()
    )
    domestic_in = movers - sum(c[1] for c in columns.values())
    if (domestic_in < 0).any():
        raise ValueError("rest of Sweden: fewer domestic movers than in-migrants to the north")
    return immigrants, domestic_in, emigration, domestic_rate, "derived"
