"""Announced establishments: their direct and indirect jobs, and the people who move in.

The table (data/official/establishments.csv) lists, per establishment and year, the direct
jobs in place [persons, a stock]; the last listed year is carried forward. Indirect jobs
follow from a multiplier, in the same municipality. The growth of those jobs draws mover
households (a worker, a partner, children) whose size, sex and age come from the
in-migration lever's assumptions (simulation/migration.py), passed in as arguments because
forecast/ does not import simulation/ (DESIGN.md, Layout).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, model_validator

from forecast.dims import AGE, AGES, PERSONS, REGION, SECTOR, SEX, SEXES, YEAR

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "official" / "establishments.csv"
COLUMNS = [
    "establishment_id",
    "name",
    "municipality_code",
    "sector",
    "year",
    "direct_jobs",
    "status",
    "source_url",
    "note",
]
_SHARE_TOLERANCE = 1e-9
# Age bands as in simulation/migration.py: (first age, last age, share) [years, share].
Bands = Sequence[tuple[int, int, float]]


class EstablishmentError(ValueError):
    """An establishments file that cannot be used; the message names file, line and column."""


class Params(BaseModel):
    """Establishment parameters; every default names its source or says it is an assumption."""

    model_config = ConfigDict(extra="forbid")
    # add the establishments' jobs and newcomers at all
    include: bool = True
    # [indirect jobs per direct job] Almega (northern_investments.csv nya_jobb_totalt 50 000,
    # of which nya_jobb_tjanstesektorn 20 000 in services): 20 000 / 30 000, taking the
    # service jobs as the indirect ones. Higher claims for sensitivity runs: "each new industry
    # job generates at least two more" (Akademikern, indirekta_jobb_per_industrijobb_minst = 2)
    # and Northvolt's "double or even triple" (Näringsliv).
    indirect_per_direct: Annotated[float, Field(ge=0, le=10)] = 2 / 3
    # [share] split of the indirect jobs over sectors, summing to 1: Almega's indirect jobs are
    # service jobs, so the two private service sectors, in proportion to Norrbotten's employed
    # (sector_shares.csv region 25: trade_transport 0.166, business_services 0.247), rounded.
    # Welfare is left out: it follows the newcomers through the population-driven demand.
    indirect_sectors: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=lambda: {"trade_transport": 0.4, "business_services": 0.6}
    )
    # [share] of new jobs (direct + indirect) filled by a household moving into the region:
    # northern_investments.csv needs 100 000 new inhabitants (behov_nya_invanare_minst) for
    # 50 000 new jobs (Almega nya_jobb_totalt), 2 persons per job, / 2.17 persons per mover
    # household (1 worker + 0.6 partners + 0.57 children, simulation/migration.py Params)
    in_mover_share: Annotated[float, Field(ge=0, le=1)] = 0.92
    # alternative establishments CSV; None = data/official/establishments.csv
    file: str | None = None

    @model_validator(mode="after")
    def _check_indirect_sectors(self) -> Params:
        """The indirect split must be non-empty and sum to one."""
        total = sum(self.indirect_sectors.values())
        if not math.isclose(total, 1.0, abs_tol=_SHARE_TOLERANCE):
            raise ValueError(f"indirect_sectors must sum to 1, got {total}")
        return self

    def path(self) -> Path:
        """The establishments CSV to read."""
        return Path(self.file) if self.file is not None else DEFAULT_FILE


def read_establishments(
    path: Path | str, municipalities: Iterable[str], sectors: Iterable[str]
) -> pd.DataFrame:
    """The validated table, one row per establishment and year (direct_jobs [persons]).

    Raises EstablishmentError naming the file, the line (header = line 1) and the column.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise EstablishmentError(f"{path}: cannot be read as CSV ({exc})") from exc
    for column in COLUMNS:
        if column not in frame.columns:
            raise EstablishmentError(f"{path}: line 1, column {column}: missing column")
    known_units, known_sectors = set(municipalities), set(sectors)
    years, jobs = [], []
    seen: dict[tuple[str, int], int] = {}
    for i, row in enumerate(frame[COLUMNS].itertuples(index=False)):
        line = i + 2  # the header is line 1

        def fail(column: str, problem: str, line: int = line) -> EstablishmentError:
            return EstablishmentError(f"{path}: line {line}, column {column}: {problem}")

        if not row.establishment_id.strip():
            raise fail("establishment_id", "empty")
        if row.municipality_code not in known_units:
            raise fail("municipality_code", f"unknown municipality {row.municipality_code!r}")
        if row.sector not in known_sectors:
            raise fail(
                "sector",
                f"unknown sector {row.sector!r}; known: {', '.join(sorted(known_sectors))}",
            )
        try:
            year = int(row.year)
        except ValueError:
            raise fail("year", f"must be a whole year, got {row.year!r}") from None
        try:
            value = float(row.direct_jobs)
        except ValueError:
            raise fail("direct_jobs", f"must be a number, got {row.direct_jobs!r}") from None
        if not (math.isfinite(value) and value >= 0):
            raise fail("direct_jobs", f"must be a number ≥ 0, got {row.direct_jobs!r}")
        if not row.source_url.strip():
            raise fail("source_url", "missing: every row needs its source")
        key = (row.establishment_id, year)
        if key in seen:
            raise fail(
                "establishment_id",
                f"duplicate of line {seen[key]} ({row.establishment_id!r}, year {year})",
            )
        seen[key] = line
        years.append(year)
        jobs.append(value)
    return frame[COLUMNS].assign(year=np.array(years, dtype=int), direct_jobs=np.array(jobs))


def jobs(
    table: pd.DataFrame, params: Params, years: list[int], units: list[str], sectors: list[str]
) -> xr.DataArray:
    """(year, region, sector) direct + indirect jobs of the establishments [persons].

    Direct jobs sit in the establishment's municipality and sector from its first listed year
    (zero before), the last listed year carried forward; indirect jobs = direct ×
    indirect_per_direct, split by indirect_sectors, in the same municipality. Establishments
    outside ``units`` are ignored; all zero when ``params.include`` is False.
    """
    out = np.zeros((len(years), len(units), len(sectors)))
    unknown = sorted(set(params.indirect_sectors) - set(sectors))
    if unknown:
        raise EstablishmentError(
            f"establishments.indirect_sectors: unknown sector {unknown[0]!r}; "
            f"known: {', '.join(sectors)}"
        )
    unit_index = {u: i for i, u in enumerate(units)}
    sector_index = {s: i for i, s in enumerate(sectors)}
    wanted = np.asarray(years)
    rows = table[table.municipality_code.isin(unit_index)] if params.include else table.iloc[:0]
    for establishment, group in rows.groupby("establishment_id", sort=True):
        group = group.sort_values("year")
        # the listed row in force in each wanted year: the last with year ≤ wanted year
        at = np.searchsorted(group.year.to_numpy(), wanted, side="right") - 1
        for t, k in enumerate(at):
            if k < 0:
                continue
            row = group.iloc[k]
            if row.sector not in sector_index:
                raise EstablishmentError(f"{establishment}: unknown sector {row.sector!r}")
            direct = float(row.direct_jobs)
            u = unit_index[row.municipality_code]
            out[t, u, sector_index[row.sector]] += direct
            for sector, share in params.indirect_sectors.items():
                out[t, u, sector_index[sector]] += direct * params.indirect_per_direct * share
    return xr.DataArray(
        out,
        dims=(YEAR, REGION, SECTOR),
        coords={YEAR: list(years), REGION: list(units), SECTOR: list(sectors)},
        attrs={
            "units": PERSONS,
            "description": "direct and indirect jobs of announced establishments (stock)",
        },
    )


def increase(stock: xr.DataArray) -> xr.DataArray:
    """(year, region) yearly change of the total jobs [persons per year].

    The first year is the base year: its jobs are already in the base data, so its change is 0.
    """
    total = stock.sum(SECTOR) if SECTOR in stock.dims else stock
    change = total.diff(YEAR, label="upper")
    first = xr.zeros_like(total.isel({YEAR: [0]}))
    return xr.concat([first, change], dim=YEAR).assign_attrs(units=f"{PERSONS} per year")


def household_profile(
    worker_male_share: float,
    partners_per_household: float,
    children_per_household: float,
    adult_bands: Bands,
    child_bands: Bands,
    child_male_share: float,
) -> xr.DataArray:
    """(sex, age) expected members of one mover household [persons per household].

    The expected-value form of the households drawn in simulation/migration.py: pass its
    Params (worker_male_share [share], partners_per_household [partners per household],
    children_per_household [children per household]) and its module constants ADULT_BANDS,
    CHILD_BANDS and CHILD_MALE_SHARE [share], so the numbers live in one place. Workers and
    partners share the adult age profile; a partner is of the other sex.
    """
    adults, children = _age_profile(adult_bands), _age_profile(child_bands)
    male = worker_male_share + partners_per_household * (1 - worker_male_share)
    female = (1 - worker_male_share) + partners_per_household * worker_male_share
    by_sex = {
        "female": female * adults + children_per_household * (1 - child_male_share) * children,
        "male": male * adults + children_per_household * child_male_share * children,
    }
    return xr.DataArray(
        np.stack([by_sex[s] for s in SEXES]),
        dims=(SEX, AGE),
        coords={SEX: list(SEXES), AGE: AGES},
        attrs={"units": f"{PERSONS} per household"},
    )


def newcomers(jobs_increase: xr.DataArray, params: Params, household: xr.DataArray) -> xr.DataArray:
    """(year, region, sex, age) people moving in because of new jobs [persons per year].

    Each year's increase in total jobs (``jobs_increase`` (year, region[, sector]) [persons
    per year], summed over sector, clipped at 0) × in_mover_share households, each bringing
    ``household`` (sex, age) [persons per household], e.g. from household_profile. Expected
    values, no random draws; no one arrives when jobs fall.
    """
    total = jobs_increase.sum(SECTOR) if SECTOR in jobs_increase.dims else jobs_increase
    share = params.in_mover_share if params.include else 0.0
    households = total.clip(min=0) * share
    arrivals = (households * household).transpose(YEAR, REGION, SEX, AGE)
    return arrivals.assign_attrs(
        units=f"{PERSONS} per year",
        description="members of households moving in to fill new establishment jobs, by age "
        "reached in the arrival year",
    )


def _age_profile(bands: Bands) -> np.ndarray:
    """(age,) probabilities [share]: each band's share spread evenly over its ages.

    The same rule as simulation/migration.py's _age_profile (not importable from forecast/).
    """
    profile = np.zeros(len(AGES))
    for low, high, share in bands:
        profile[low : high + 1] = share / (high - low + 1)
    return profile / profile.sum()
