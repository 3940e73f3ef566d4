"""The committed derived files are exactly what data/build.py produces from data/official/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def test_derived_files_match_a_fresh_build():
    result = subprocess.run(
        [sys.executable, "data/build.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_derived_population_reproduces_published_totals():
    """Raked municipalities equal SCB's published 31 Dec 2024 totals wherever they exist."""
    base = pd.read_csv(ROOT / "data/derived/population_base.csv.gz", dtype={"region_code": str})
    totals = base.groupby("region_code").population.sum()
    published = pd.read_csv(
        ROOT / "data/official/population_change.csv.gz", dtype={"region_code": str}
    )
    published = published[published.year == 2024].dropna(subset=["population_dec31"])
    published = published.groupby("region_code").population_dec31.first()
    common = totals.index.intersection(published.index)
    assert len(common) >= 30
    pd.testing.assert_series_equal(
        totals[common].astype(float), published[common].astype(float), check_names=False
    )


def test_every_official_row_keeps_its_source():
    for path in (ROOT / "data/official").glob("*.csv.gz"):
        frame = pd.read_csv(path, nrows=50)
        assert "source_url" in frame.columns, path.name
        assert frame.source_url.notna().all(), path.name
