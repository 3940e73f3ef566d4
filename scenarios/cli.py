"""The `workforce` command: run scenarios, list regions and presets.

User errors (unknown region, bad scenario file, broken data) print one line and exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from forecast.inputs import InputError
from scenarios.run import default_inputs, run_scenario
from scenarios.spec import ScenarioError, list_presets, load_scenario
from scenarios.summary import population_groups, sector_table, summary


def cmd_run(args: argparse.Namespace) -> None:
    inputs = default_inputs()
    scenario = load_scenario(args.scenario)
    ds = run_scenario(scenario, args.region, inputs, seed=args.seed)
    if args.json:
        print(json.dumps(summary(ds), ensure_ascii=False))
        return
    print(
        f"{scenario.title_sv} / {scenario.title_en} — {ds.attrs['region_name']} "
        f"({args.region}), seed {args.seed}"
    )
    print(f"data: {ds.attrs['data_vintage']}\n")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print("Population [persons]")
        print(population_groups(ds).round().astype(int).to_string(), "\n")
        for variable, title in (
            ("demand_fte", "Demand [FTE]"),
            ("supply_fte", "Supply [FTE]"),
            ("gap_fte", "Gap = demand − supply [FTE]"),
            ("recruitment_need", "Recruitment need [persons]"),
        ):
            print(title)
            print(sector_table(ds, variable).round().astype(int).to_string(), "\n")


def cmd_regions(_: argparse.Namespace) -> None:
    regions = default_inputs().regions
    for code, row in regions.iterrows():
        indent = {"country": "", "county": "  ", "rest": "  ", "municipality": "    "}[row.level]
        print(f"{code:>6}  {indent}{row['name']}")


def cmd_presets(_: argparse.Namespace) -> None:
    for name in list_presets():
        scenario = load_scenario(name)
        print(f"{name:<20} {scenario.title_sv} / {scenario.title_en}")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="workforce", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a preset or scenario file for a region")
    run.add_argument("scenario", help="preset name (see `workforce presets`) or a TOML file")
    run.add_argument("--region", required=True, help="SCB region code, e.g. 25 or 2580")
    run.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    run.add_argument("--json", action="store_true", help="print one JSON document")
    run.set_defaults(func=cmd_run)
    sub.add_parser("regions", help="list region codes and names").set_defaults(func=cmd_regions)
    sub.add_parser("presets", help="list preset scenarios").set_defaults(func=cmd_presets)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except (ScenarioError, InputError, ValueError) as exc:
        print(f"workforce: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`: not an error
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
