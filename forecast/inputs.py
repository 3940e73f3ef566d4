"""The Inputs schema: load the embedded dataset (data/derived/) and validate it once.

Every problem raises InputError with one message naming the file, the row and what is wrong.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecast.dims import (
    AGE,
    AGES,
    PER_PERSON,
    PERSONS,
    REGION,
    SECTOR,
    SEX,
    SEXES,
    SHARE,
    YEAR,
)
from forecast.files import read_text_table

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "data" / "derived"
GROUPS_FILE = "region_groups.csv"  # in the data folder or, for the embedded data, in data/
GROUP_COLUMNS = ["group_id", "name", "kind", "members", "source"]
REQUIRED = {
    "regions.csv": ["region_code", "name", "level", "parent", "coverage_note"],
    "population_base.csv.gz": ["region_code", "year", "sex", "age", "population", "status"],
    "mortality_schedule.csv": ["sex", "age", "death_prob"],
    "fertility_schedule.csv": ["region_code", "age", "asfr"],
    "demographic_factors.csv": [
        "region_code",
        "mortality_factor_female",
        "mortality_factor_male",
        "fertility_factor",
        "mortality_evidence",
        "fertility_evidence",
    ],
    "demographic_constants.csv": ["name", "value"],
    "migration_age_sex.csv.gz": [
        "region_code",
        "sex",
        "age",
        "immigrants",
        "domestic_in",
        "emigration_rate",
        "domestic_out_rate",
    ],
    "mortality_history.csv.gz": ["sex", "age", "year", "deaths", "exposure"],
    "fertility_history.csv": ["year", "tfr"],
    "migration_history.csv": [
        "year",
        "immigrants",
        "domestic_in",
        "emigrants",
        "domestic_out",
        "population_start",
    ],
    "municipal_totals.csv": ["region_code", "year", "population"],
    "sectors.csv": [
        "sector",
        "group",
        "label_sv",
        "label_en",
        "demand_driver",
        "part_time_share",
    ],
    "sector_shares.csv": ["region_code", "sector", "share"],
    "employment_rates.csv": ["age", "sex", "employment_rate"],
    "service_use.csv": ["sector", "age", "users_per_person"],
    "exit_hazard.csv": ["age", "exit_hazard"],
    "industry_history.csv": ["region_code", "sector", "year", "employed"],
    "labour_constants.csv": ["name", "value"],
}
NON_NEGATIVE = {
    "population_base.csv.gz": ["population"],
    "mortality_schedule.csv": ["death_prob"],
    "fertility_schedule.csv": ["asfr"],
    "demographic_factors.csv": [
        "mortality_factor_female",
        "mortality_factor_male",
        "fertility_factor",
        "mortality_evidence",
        "fertility_evidence",
    ],
    "migration_age_sex.csv.gz": [
        "immigrants",
        "domestic_in",
        "emigration_rate",
        "domestic_out_rate",
    ],
    "mortality_history.csv.gz": ["deaths", "exposure"],
    "fertility_history.csv": ["tfr"],
    "migration_history.csv": [
        "immigrants",
        "domestic_in",
        "emigrants",
        "domestic_out",
        "population_start",
    ],
    "municipal_totals.csv": ["population"],
    "sectors.csv": ["part_time_share"],
    "sector_shares.csv": ["share"],
    "employment_rates.csv": ["employment_rate"],
    "service_use.csv": ["users_per_person"],
    "exit_hazard.csv": ["exit_hazard"],
    "industry_history.csv": ["employed"],
}
SHARE_TOLERANCE = 1e-6


class InputError(ValueError):
    """A data file is missing, malformed or inconsistent; the message says where."""


@dataclass(frozen=True)
class Inputs:
    """Everything the projection needs, per projection unit (each municipality and the rest
    of Sweden), and the yearly histories the rate models are fitted on.

    Counties and Riket are not projected on their own: they are sums of projection units.
    """

    regions: pd.DataFrame  # indexed by region_code
    base_year: int
    population: xr.DataArray  # (region, sex, age) [persons] at 31 Dec of base_year
    death_prob: xr.DataArray  # (region, sex, age) [per person and year], by age reached
    asfr: xr.DataArray  # (region, age) [births per woman and year]
    share_male_births: float  # [share]
    immigrants: xr.DataArray  # (region, sex, age) [persons per year]
    emigration_rate: xr.DataArray  # (region, sex, age) [per person and year]
    domestic_out_rate: xr.DataArray  # (region, sex, age) [per person and year]
    domestic_share: xr.DataArray  # (region, sex, age) [share of all domestic movers]; sums to 1
    mortality_evidence: xr.DataArray  # (region,) [events] behind each unit's mortality level
    fertility_evidence: xr.DataArray  # (region,) [events] behind each unit's fertility level
    mortality_history: xr.Dataset  # deaths, exposure (sex, age, year): Riket, for Lee–Carter
    tfr_history: pd.Series  # Riket total fertility by year [births per woman]; gaps missing
    migration_history: pd.DataFrame  # Luleå-area yearly flows [persons], indexed by year
    municipal_totals: xr.DataArray  # (region, year) [persons] at 31 Dec; NaN where unpublished
    employment_rate: xr.DataArray  # (sex, age) [share]
    sector_share: xr.DataArray  # (region, sector) [share of employed persons]
    sectors: pd.DataFrame  # indexed by sector: group, labels, demand_driver, part_time_share
    service_use: xr.DataArray  # (sector, age) [users per person], user-driven sectors only
    exit_hazard: xr.DataArray  # (age,) [per worker and year] retirement and disability exits
    industry_history: pd.DataFrame  # employed by NUTS2 region, sector, year [persons]
    full_time_hours: float  # [hours_per_week]
    part_time_hours: float  # [hours_per_week]
    vintage: str

    def units_of(self, region: str) -> list[str]:
        """Projection units that make up a region: itself, a county's municipalities, or a
        group's members (each expanded the same way)."""
        if region not in self.regions.index:
            known = ", ".join(self.regions.index)
            raise InputError(f"unknown region code {region!r}; known codes: {known}")
        level = self.regions.loc[region, "level"]
        if level == "country":
            return list(self.population[REGION].values)
        if level == "county":
            return list(self.regions.index[self.regions.parent == region])
        if level == "group":
            members = str(self.regions.loc[region, "members"]).split(";")
            return list(dict.fromkeys(u for m in members for u in self.units_of(m)))
        return [region]

    def region_name(self, region: str) -> str:
        return str(self.regions.loc[region, "name"])


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    if not path.exists():
        raise InputError(f"{path}: file is missing")
    try:
        frame = pd.read_csv(path, dtype={"region_code": str, "parent": str})
    except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({exc})") from exc
    missing = [c for c in REQUIRED[name] if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    for column in NON_NEGATIVE.get(name, []):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() | (values < 0)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"{path}: row {row + 2}: {column} must be a non-negative number, "
                f"got {frame[column].astype(str).iloc[row]!r}"
            )
    return frame


def _check_regions(path: Path, frame: pd.DataFrame, known: pd.Index) -> None:
    unknown = ~frame.region_code.isin(known)
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            f"{path}: row {row + 2}: unknown region code "
            f"{frame.region_code.iloc[row]!r} (not in regions.csv)"
        )


def _check_sums(path: Path, frame: pd.DataFrame, by: str, value: str) -> None:
    sums = frame.groupby(by)[value].sum()
    bad = sums[(sums - 1).abs() > SHARE_TOLERANCE]
    if len(bad):
        raise InputError(
            f"{path}: {value} for {by} {bad.index[0]!r} sums to {bad.iloc[0]:.6f}, expected 1"
        )


def with_groups(regions: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """The regions plus the groups of municipalities (level "group", a `members` column).

    Groups come from the data folder's region_groups.csv, or for the embedded data from
    data/region_groups.csv; a member that is not a region is an error naming the row.
    """
    path = folder / GROUPS_FILE
    if not path.exists() and folder.resolve() == DEFAULT_DATA.resolve():
        path = DEFAULT_DATA.parent / GROUPS_FILE
    if not path.exists():
        return regions.assign(members="")
    groups = read_text_table(path, GROUP_COLUMNS, InputError)
    for row, group in enumerate(groups.itertuples(index=False)):
        members = group.members.split(";")
        unknown = [m for m in members if m not in regions.index]
        if not group.group_id or group.group_id in regions.index:
            raise InputError(
                f"{path}: row {row + 2}: group_id {group.group_id!r} is empty or a region code"
            )
        if unknown or not group.members:
            raise InputError(
                f"{path}: row {row + 2}: group {group.group_id!r} has unknown member "
                f"{(unknown or [''])[0]!r} (not in regions.csv)"
            )
    rows = pd.DataFrame(
        {
            "name": groups.name.to_numpy(),
            "level": "group",
            "parent": "",
            "coverage_note": "",
            "members": groups.members.to_numpy(),
        },
        index=pd.Index(groups.group_id, name=regions.index.name),
    )
    return pd.concat([regions.assign(members=""), rows])


DRIVERS = ("users", "trend", "constant")


def _check_drivers(folder: Path, sectors: pd.DataFrame, history: pd.DataFrame) -> None:
    """Every sector has a known demand driver; trend sectors have an employment history."""
    for row, (sector, driver) in enumerate(sectors.demand_driver.items()):
        if driver not in DRIVERS:
            raise InputError(
                f"{folder / 'sectors.csv'}: row {row + 2}: demand_driver of {sector!r} is "
                f"{driver!r}; expected one of {', '.join(DRIVERS)}"
            )
        if driver == "trend" and sector not in set(history.sector):
            raise InputError(
                f"{folder / 'industry_history.csv'}: no employment history for the trend "
                f"sector {sector!r}"
            )


def _grid(frame: pd.DataFrame, value: str, dims: list[str], coords: dict) -> xr.DataArray:
    """Turn long rows into a dense DataArray over the given coordinates (missing → error)."""
    series = frame.rename(columns={"region_code": REGION}).set_index(dims)[value].astype(float)
    index = pd.MultiIndex.from_product([coords[d] for d in dims], names=dims)
    dense = series.reindex(index)
    if dense.isna().any():
        raise InputError(f"{value}: no value for {dense.index[dense.isna()][0]}")
    return xr.DataArray(
        dense.to_numpy().reshape([len(coords[d]) for d in dims]),
        coords={d: coords[d] for d in dims},
        dims=dims,
    )


def _vintage(folder: Path, base_year: int) -> str:
    digest = hashlib.sha256()
    for name in sorted(REQUIRED):
        digest.update((folder / name).read_bytes())
    kind = (
        "embedded SCB-based data"
        if folder.resolve() == DEFAULT_DATA.resolve()
        else f"data in {folder}"
    )
    return f"{kind}, base year {base_year}, sha256 {digest.hexdigest()[:12]}"


def histories(t: dict[str, pd.DataFrame]) -> dict:
    """The yearly series the rate models are fitted on, as labelled arrays."""
    mortality = t["mortality_history.csv.gz"].set_index([SEX, AGE, YEAR])[["deaths", "exposure"]]
    totals = t["municipal_totals.csv"].rename(columns={"region_code": REGION})
    return {
        "mortality_history": xr.Dataset.from_dataframe(mortality.astype(float)),
        "tfr_history": t["fertility_history.csv"].set_index(YEAR).tfr.astype(float),
        "migration_history": t["migration_history.csv"].set_index(YEAR).astype(float),
        "municipal_totals": xr.DataArray.from_series(
            totals.set_index([REGION, YEAR]).population.astype(float)
        ),
    }


def read_inputs(folder: Path | str | None = None) -> Inputs:
    """Load and validate the embedded dataset (or WORKFORCE_DATA, or the given folder)."""
    folder = Path(folder or os.environ.get("WORKFORCE_DATA") or DEFAULT_DATA)
    t = {name: _read(folder, name) for name in REQUIRED}
    regions = t["regions.csv"].fillna({"parent": "", "coverage_note": ""}).set_index("region_code")
    regions = with_groups(regions, folder)
    for name in (
        "population_base.csv.gz",
        "fertility_schedule.csv",
        "demographic_factors.csv",
        "migration_age_sex.csv.gz",
        "sector_shares.csv",
        "municipal_totals.csv",
    ):
        _check_regions(folder / name, t[name], regions.index)
    _check_sums(folder / "sector_shares.csv", t["sector_shares.csv"], "region_code", "share")

    pop = t["population_base.csv.gz"]
    units = sorted(pop.region_code.unique())
    base_year = int(pop.year.max())
    if pop.year.nunique() != 1:
        raise InputError(
            f"{folder / 'population_base.csv.gz'}: holds several years; expected one base year"
        )
    grid = {REGION: units, SEX: list(SEXES), AGE: AGES}
    population = _grid(pop, "population", [REGION, SEX, AGE], grid)

    factors = t["demographic_factors.csv"].set_index("region_code")
    missing = [u for u in units if u not in factors.index]
    if missing:
        raise InputError(
            f"{folder / 'demographic_factors.csv'}: no factors for region {missing[0]}"
        )
    q_nat = _grid(t["mortality_schedule.csv"], "death_prob", [SEX, AGE], grid)
    mort = xr.DataArray(
        factors.loc[units, [f"mortality_factor_{sex}" for sex in SEXES]].to_numpy(float),
        coords={REGION: units, SEX: list(SEXES)},
        dims=[REGION, SEX],
    )
    death_prob = (q_nat * mort).clip(max=1.0).transpose(REGION, SEX, AGE)

    fert_rows = t["fertility_schedule.csv"]
    schedule = fert_rows.pivot(index="region_code", columns="age", values="asfr")
    schedule = schedule.reindex(columns=AGES, fill_value=0.0)
    parent = [u if u in schedule.index else regions.loc[u, "parent"] for u in units]
    fert = factors.loc[units, "fertility_factor"].to_numpy(float)
    asfr = xr.DataArray(
        schedule.loc[parent].to_numpy(float) * fert[:, None],
        coords={REGION: units, AGE: AGES},
        dims=[REGION, AGE],
    )

    mig = t["migration_age_sex.csv.gz"]
    migration = {
        name: _grid(mig, name, [REGION, SEX, AGE], grid)
        for name in ("immigrants", "domestic_in", "emigration_rate", "domestic_out_rate")
    }
    movers = migration["domestic_in"].sum(REGION)
    domestic_share = (migration["domestic_in"] / movers.where(movers > 0)).fillna(0.0)

    sectors = t["sectors.csv"].set_index("sector")
    _check_drivers(folder, sectors, t["industry_history.csv"])
    shares = t["sector_shares.csv"]
    share_of = shares.pivot(index="region_code", columns="sector", values="share")
    owner = [u if u in share_of.index else regions.loc[u, "parent"] for u in units]
    sector_share = xr.DataArray(
        share_of.loc[owner, list(sectors.index)].to_numpy(float),
        coords={REGION: units, SECTOR: list(sectors.index)},
        dims=[REGION, SECTOR],
    )
    sector_share = sector_share / sector_share.sum(SECTOR)  # exact after the CSV's rounding

    emp = _grid(t["employment_rates.csv"], "employment_rate", [SEX, AGE], grid)
    drivers = sectors[sectors.demand_driver == "users"].index
    use = _grid(
        t["service_use.csv"], "users_per_person", [SECTOR, AGE], {SECTOR: list(drivers), AGE: AGES}
    )
    hazard = _grid(t["exit_hazard.csv"], "exit_hazard", [AGE], grid)
    constants = {
        **t["demographic_constants.csv"].set_index("name").value.to_dict(),
        **t["labour_constants.csv"].set_index("name").value.to_dict(),
    }

    for array, unit in (
        (population, PERSONS),
        (death_prob, PER_PERSON),
        (migration["emigration_rate"], PER_PERSON),
        (migration["domestic_out_rate"], PER_PERSON),
        (migration["immigrants"], "persons per year"),
        (domestic_share, SHARE),
        (asfr, "births per woman and year"),
        (emp, SHARE),
        (sector_share, SHARE),
        (use, "users per person"),
        (hazard, PER_PERSON),
    ):
        array.attrs["units"] = unit
    return Inputs(
        regions=regions,
        base_year=base_year,
        population=population,
        death_prob=death_prob,
        asfr=asfr,
        share_male_births=float(constants["share_male_births"]),
        immigrants=migration["immigrants"],
        emigration_rate=migration["emigration_rate"],
        domestic_out_rate=migration["domestic_out_rate"],
        domestic_share=domestic_share,
        **{
            name: xr.DataArray(
                factors.loc[units, name].to_numpy(float).clip(min=1.0),
                coords={REGION: units},
                dims=[REGION],
                attrs={"units": "events"},
            )
            for name in ("mortality_evidence", "fertility_evidence")
        },
        **histories(t),
        employment_rate=emp,
        sector_share=sector_share,
        sectors=sectors,
        service_use=use,
        exit_hazard=hazard,
        industry_history=t["industry_history.csv"],
        full_time_hours=float(constants["full_time_hours"]),
        part_time_hours=float(constants["part_time_hours"]),
        vintage=_vintage(folder, base_year),
    )
