"""Shared helpers for the scripts that derive data/derived/ from data/official/.

Arrays are (sex, age) with sex ordered female, male and ages 0..100 (100 = 100+).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parent
OFFICIAL = DATA / "official"
SEXES = ("female", "male")
AGES = np.arange(101)
BASE_YEAR = 2024
COUNTIES = ("22", "23", "24", "25")


def read_official(name: str) -> pd.DataFrame:
    """Read one copied official table with region codes kept as text."""
    return pd.read_csv(
        OFFICIAL / f"{name}.csv.gz",
        dtype={"region_code": str, "from_region_code": str, "to_region_code": str},
    )


def age_one_year(stock: np.ndarray, death_prob: np.ndarray) -> np.ndarray:
    """Survive a 31 Dec stock one year (age reached in the year), keep age 0 unchanged.

    Used only to carry a single-age distribution forward before raking to published
    totals, so holding the newborn cohort at last year's size is a documented stop-gap.
    """
    nxt = np.zeros_like(stock)
    nxt[:, 1:] = stock[:, :-1] * (1.0 - death_prob[:, 1:])
    nxt[:, 100] += stock[:, 100] * (1.0 - death_prob[:, 100])
    nxt[:, 0] = stock[:, 0]
    return nxt


BROAD_GROUPS = {
    "0-15": (0, 15),
    "16-24": (16, 24),
    "25-44": (25, 44),
    "45-64": (45, 64),
    "65+": (65, 100),
}


def rake(stock: np.ndarray, total: float | None, groups: dict[str, float] | None) -> np.ndarray:
    """Scale a (sex, age) stock to published age-group totals and then to the total.

    Within a group both sexes and all single ages get the same factor (proportional
    raking), so the carried-forward shape is kept and the published figures are met.
    """
    out = stock.copy()
    if groups:
        for name, target in groups.items():
            lo, hi = BROAD_GROUPS[name]
            current = out[:, lo : hi + 1].sum()
            if current > 0:
                out[:, lo : hi + 1] *= target / current
    if total is not None and out.sum() > 0:
        out *= total / out.sum()
    return out


def integerise(stock: np.ndarray) -> np.ndarray:
    """Round a non-negative array to integers that keep its (rounded) total exactly.

    Largest-remainder rounding: published totals stay exact after derivation.
    """
    flat = stock.ravel()
    target = round(flat.sum())
    floor = np.floor(flat)
    short = target - int(floor.sum())
    order = np.argsort(-(flat - floor), kind="stable")
    floor[order[:short]] += 1
    return floor.reshape(stock.shape)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a derived table deterministically (gzip without timestamp for .gz)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        df.to_csv(
            path, index=False, float_format="%.10g", compression={"method": "gzip", "mtime": 0}
        )
    else:
        df.to_csv(path, index=False, float_format="%.10g")
