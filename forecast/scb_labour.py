"""Labour files of an inputs folder built from fetched SCB tables (forecast/scb_inputs.py).

Regional: sector shares from employment by SNI section, and employment rates rescaled to the
region's rates by age group. The rest is national in the embedded data and copied (COPIED).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.dims import AGES, SEXES
from forecast.fetched_tables import REST, RIKET
from forecast.sector_map import CARE, SCHOOLS, SECTORS, SNI_GROUPS, sector_values, welfare_split

COPIED = {
    "sectors.csv": "sectors, demand drivers and part-time shares (SKR, LO/AKU): national",
    "service_use.csv": "users per inhabitant by age (Socialstyrelsen, SCB, Stockholm): "
    "national profiles",
    "exit_hazard.csv": "exit hazard solved for the national mean exit age 64.2 "
    "(Pensionsmyndigheten) and AKU Riket 65–74",
    "labour_constants.csv": "full-time and part-time hours: national",
    "industry_history.csv": "employment of the trend sectors for SE32, SE33 and Riket: a "
    "national trend (counties outside 22–25 follow Riket's)",
}
METHOD_COLUMN = {
    "sectors.csv": "part_time_method",
    "service_use.csv": "method",
    "exit_hazard.csv": "method",
    "labour_constants.csv": "method",
}
NOTE = "copied from the embedded data (national, not fetched)"
GROUPS = list(dict.fromkeys(SNI_GROUPS.values()))  # the 16 RAMS industry groups


def labour_tables(
    tables: Mapping[str, pd.DataFrame],
    region: str,
    county: str,
    municipalities: list[str],
    base: Mapping[str, np.ndarray],
    embedded: Path,
) -> dict[str, pd.DataFrame]:
    """The labour files keyed by file name; `base` holds the base-year (sex, age) stocks of
    Riket, the county, the units and 00X."""
    out = {}
    for name in COPIED:
        frame = pd.read_csv(embedded / name, dtype={"region_code": str})
        column = METHOD_COLUMN.get(name)
        if column:
            frame[column] = frame[column].fillna("").astype(str) + f"; {NOTE}"
        out[name] = frame
    out["employment_rates.csv"] = employment_rates(
        tables["employment_age"], region, municipalities, base[region], embedded
    )
    out["sector_shares.csv"] = sector_shares(
        tables["employment_industry"], county, municipalities, base, embedded
    )
    return out


def _age_range(group: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)|\+)\s*", str(group))
    if not match:
        raise ValueError(
            f"SCB table 'employment_age': column 'age_group' must look like '16-19' or "
            f"'65+', got {group!r}"
        )
    lo = int(match.group(1))
    return lo, int(match.group(2)) if match.group(2) else int(AGES[-1])


def _own_rows(frame: pd.DataFrame, region: str, municipalities: list[str]) -> pd.DataFrame:
    """The region's rows, else (a county not fetched as such) its municipalities'."""
    rows = frame[frame.region == region]
    return rows if len(rows) else frame[frame.region.isin(municipalities)]


def employment_rates(
    emp_age: pd.DataFrame,
    region: str,
    municipalities: list[str],
    stock: np.ndarray,
    embedded: Path,
) -> pd.DataFrame:
    """Employment rate by sex and single age: the embedded profile, scaled within each
    fetched age group so that the region's base-year population at the profile's rates has
    the region's fetched employment rate (latest year); the embedded profile elsewhere."""
    out = pd.read_csv(embedded / "employment_rates.csv")
    rows = _own_rows(emp_age, region, municipalities)
    rows = rows[rows.sex.isin(SEXES)]
    if rows.empty:
        out["method"] = out.method + f"; no fetched employment rates for {region}: embedded"
        return out
    year = int(rows.year.max())
    groups = rows[rows.year == year].groupby(["sex", "age_group"])[["employed", "population"]]
    for (sex, group), r in groups.sum().iterrows():
        lo, hi = _age_range(str(group))
        at = (out.sex == sex) & out.age.between(lo, hi) & (out.employment_rate > 0)
        if not at.any() or r.population <= 0:
            continue
        profile = out.loc[at, "employment_rate"].to_numpy(float)
        weights = stock[SEXES.index(sex), out.loc[at, "age"].to_numpy(int)]
        modelled = np.average(profile, weights=weights) if weights.sum() > 0 else profile.mean()
        factor = (r.employed / r.population) / modelled
        out.loc[at, "employment_rate"] = np.minimum(profile * factor, 1.0)
        out.loc[at, "method"] = out.loc[at, "method"] + (
            f"; × {factor:.3f} to the fetched {sex} employment rate {group} {year} of "
            f"{region} (SCB, by residence)"
        )
    return out


def implied_unit_costs(embedded: Path) -> tuple[dict[str, float], float]:
    """Relative cost per user of the care and school sectors, and universities' share of the
    education industry, as the embedded build used them (data/build_welfare.py: Kolada 2017,
    UKÄ), recovered from its Riket sector shares: within care (less health care) and within
    the schools, a sector's share ∝ cost per user × Riket's users, and only these ratios
    enter welfare_split."""
    shares = pd.read_csv(embedded / "sector_shares.csv", dtype={"region_code": str})
    riket = shares[shares.region_code == RIKET].set_index("sector").share
    population = pd.read_csv(embedded / "population_base.csv.gz", dtype={"region_code": str})
    by_age = population.groupby("age").population.sum().reindex(AGES, fill_value=0)
    use = _use_of(embedded)
    cost = {
        s: float(riket[s] / (use.loc[s].to_numpy() * by_age.to_numpy()).sum())
        for s in (*CARE, *SCHOOLS)
        if s != "health_care"
    }
    higher = float(riket["other_education"] / riket[[*SCHOOLS, "other_education"]].sum())
    return cost, higher


def _use_of(embedded: Path) -> pd.DataFrame:
    use = pd.read_csv(embedded / "service_use.csv")
    table = use.pivot(index="sector", columns="age", values="users_per_person")
    return table.reindex(columns=AGES, fill_value=0.0)


def welfare_shares(
    groups: pd.Series, by_age: np.ndarray, use: pd.DataFrame, cost: dict, higher: float
) -> dict[str, float]:
    """Sector shares of one region from its industry-group shares and its population by age
    (both sexes), care and education split by its own users (forecast/sector_map.py)."""
    users = {s: float((use.loc[s].to_numpy() * by_age).sum()) for s in cost}
    care, education = welfare_split(users, cost, higher)
    return sector_values(groups, care, education)


def sector_shares(
    emp: pd.DataFrame,
    county: str,
    municipalities: list[str],
    base: Mapping[str, np.ndarray],
    embedded: Path,
) -> pd.DataFrame:
    """Share of employed residents by sector for Riket, the county, each unit and 00X.

    Employment by SNI 2007 section (latest year, women and men) is summed into the 16 RAMS
    industry groups and mapped onto the 14 sectors as the embedded build does; 00X is Riket
    less the units; a region without figures takes its county's (Riket's) groups.
    """
    unknown = sorted(set(emp.industry) - set(SNI_GROUPS))
    if unknown:
        raise ValueError(
            f"SCB table 'employment_industry': column 'industry' has {unknown[0]!r}; expected "
            f"an SNI 2007 section letter or 'unknown'"
        )
    rows = emp[emp.sex.isin(SEXES)] if emp.sex.isin(SEXES).any() else emp
    year = int(rows.year.max())
    rows = rows[rows.year == year].assign(group=lambda r: r.industry.map(SNI_GROUPS))
    counts = rows.pivot_table(index="region", columns="group", values="employed", aggfunc="sum")
    counts = counts.reindex(columns=GROUPS, fill_value=0.0).fillna(0.0)
    if RIKET not in counts.index:
        raise ValueError(f"SCB table 'employment_industry': column 'region' has no Riket {year}")
    own = [m for m in municipalities if m in counts.index]
    found = {}
    for code in [RIKET, county, *municipalities, REST]:
        if code == REST:
            c = (counts.loc[RIKET] - counts.loc[own].sum()).clip(lower=0.0)
        elif code in counts.index:
            c = counts.loc[code]
        elif code == county and own:
            c = counts.loc[own].sum()
        else:
            continue
        if c.sum() > 0:
            found[code] = c / c.sum()
    use = _use_of(embedded)
    cost, higher = implied_unit_costs(embedded)
    how = (
        f"SCB employed residents by SNI 2007 section {year}, summed into the RAMS industry "
        "groups (forecast/sector_map.py); care and education split by users × cost per user "
        "(Kolada 2017, UKÄ, as data/build_welfare.py)"
    )
    out = []
    for code in [RIKET, county, *municipalities, REST]:
        if code in found:
            groups, status, method = found[code], "official", how
        else:
            owner = county if code in municipalities and county in found else RIKET
            groups, status = found[owner], "derived"
            method = f"no fetched employment for {code}: the industry groups of {owner}; {how}"
        if code == REST:
            status, method = "derived", f"Riket less the units; {how}"
        values = welfare_shares(groups, base[code].sum(axis=0), use, cost, higher)
        for sector, *_ in SECTORS:
            welfare = sector in CARE + SCHOOLS or sector == "other_education"
            out.append((code, sector, values[sector], "derived" if welfare else status, method))
    return pd.DataFrame(out, columns=["region_code", "sector", "share", "status", "method"])
