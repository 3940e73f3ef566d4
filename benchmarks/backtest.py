"""Back-test of the population model: project from 2014 and 2017 with the data known then,
compare with SCB's stocks up to 2024, and record the tables the README quotes.

Usage: python benchmarks/backtest.py           write benchmarks/backtest.csv and BACKTEST.md
       python benchmarks/backtest.py --check   exit 1 if a fresh run differs from the CSV
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.backtest import COUNTY, Backtest, horizon_summary, run_backtest
from forecast.inputs import read_inputs

HERE = Path(__file__).resolve().parent
BASE_YEARS = (2014, 2017)
DRAWS = 500
SEED = 0
KEY = ["base_year", "region", "measure", "year"]


def tidy(result: Backtest) -> pd.DataFrame:
    """One row per region × age group × target year: bands, observed and every method's APE."""
    ape = result.errors.pivot_table(
        index=["region", "measure", "year"], columns="method", values="ape"
    ).add_prefix("ape_")
    bands = result.intervals.set_index(["region", "measure", "year"])
    table = bands[["horizon", "observed", "p10", "p50", "p90", "inside"]].join(ape)
    table = table.rename(columns={"inside": "inside_80"}).reset_index()
    return table.assign(base_year=result.base_year)[
        [*KEY, "horizon", "observed", "p10", "p50", "p90", "inside_80",
         "ape_model", "ape_constant", "ape_growth"]
    ]  # fmt: skip


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table (no extra dependency for three small tables)."""
    rows = [list(frame.columns), ["---"] * frame.shape[1], *frame.astype(str).values.tolist()]
    return "\n".join("| " + " | ".join(map(str, row)) + " |" for row in rows)


def markdown(results: list[Backtest]) -> str:
    """The summary users read: errors by horizon, benchmarks, coverage by age group."""
    intro = [
        f"Written by `python benchmarks/backtest.py` ({DRAWS} draws, seed {SEED}); the full "
        "table is `benchmarks/backtest.csv`. Each run rebuilds the inputs with only the "
        "figures known at the end of its base year (`forecast/backtest.py`, data/SOURCES.md), "
        "projects the 18 municipalities with single ages every year since 2006 and the rest "
        "of Sweden, and compares with SCB's 31 December stocks up to 2024.",
        "APE = absolute percentage error of the projected median. Benchmarks: *constant* "
        "holds the base-year population; *growth* continues the last five years' growth "
        "rate. Coverage = share of observed values inside the model's 80 % interval.",
    ]
    lines = [
        "# Back-test of the population model",
        "",
        textwrap.fill(intro[0], 92),
        "",
        textwrap.fill(intro[1], 92),
    ]
    for result in results:
        table = horizon_summary(result).round(2)
        county = horizon_summary(result, COUNTY).round(2)
        groups = result.intervals.groupby("measure").inside.mean().round(2)
        lines += [
            "",
            f"## From 31 December {result.base_year}",
            "",
            "Total population, median over the 18 municipalities:",
            "",
            markdown_table(table),
            "",
            "Norrbotten (sum of its 14 municipalities):",
            "",
            markdown_table(county),
            "",
            "80 % interval coverage by age group, all regions and years: "
            + ", ".join(f"{g} {v:.0%}" for g, v in groups.items())
            + f"; overall {result.coverage:.0%}.",
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    inputs = read_inputs()
    results = [run_backtest(year, inputs, DRAWS, SEED) for year in BASE_YEARS]
    fresh = pd.concat([tidy(r) for r in results], ignore_index=True)
    path = HERE / "backtest.csv"
    if args.check:
        committed = pd.read_csv(path, dtype={"region": str})
        same = committed.shape == fresh.shape and np.allclose(
            committed.select_dtypes("number"), fresh.select_dtypes("number"), rtol=1e-4
        )
        print("back-test matches benchmarks/backtest.csv" if same else "back-test changed")
        return 0 if same else 1
    for target, text in (
        (path, fresh.to_csv(index=False)),
        (HERE / "BACKTEST.md", markdown(results)),
    ):
        with tempfile.NamedTemporaryFile("w", dir=HERE, delete=False, suffix=".tmp") as tmp:
            tmp.write(text)
        Path(tmp.name).replace(target)  # atomic: no half-written table
        print(f"wrote {target.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
