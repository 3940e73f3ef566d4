"""Regenerate data/derived/ from the official copies in data/official/.

Usage: python data/build.py            write the derived files
       python data/build.py --check    exit 1 if the committed files differ from a rebuild
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd
from build_common import DATA, write_csv
from build_history import build_history
from build_labour import build_labour
from build_population import build_population

DERIVED = DATA / "derived"


def build(target: Path) -> list[Path]:
    """Write every derived table into `target` and return the paths written."""
    population = build_population()
    labour = build_labour(population["population_base.csv.gz"], population["regions.csv"])
    tables = {**population, **build_history(), **labour}
    paths = []
    for name, frame in tables.items():
        write_csv(frame, target / name)
        paths.append(target / name)
    return paths


def differences(target: Path) -> list[str]:
    """Names of committed derived files that differ from a fresh build."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(Path(tmp))
        bad = []
        for path in fresh:
            committed = target / path.name
            if not committed.exists():
                bad.append(f"{path.name} (missing)")
            elif not pd.read_csv(committed).equals(pd.read_csv(path)):
                bad.append(path.name)
        return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    if args.check:
        bad = differences(DERIVED)
        if bad:
            print("derived files out of date: " + ", ".join(bad), file=sys.stderr)
            return 1
        print("derived files match a fresh build")
        return 0
    for path in build(DERIVED):
        print(f"wrote {path.relative_to(DATA.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
