"""The `workforce` command: run, compare and decompose scenarios, report, back-test, regions,
fetch real data from SCB.

User errors (unknown region, bad scenario file, broken data) print one line and exit 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from forecast.backtest import backtest_regions, backtest_table, run_backtest
from forecast.dims import SECTOR, YEAR
from forecast.inputs import InputError
from forecast.scb_cache import ScbCache
from forecast.scb_fetch import fetch_region
from scenarios.batch import BatchError, all_regions, check_regions, run_batch
from scenarios.cli_local import add_local_commands
from scenarios.data_source import add_data_option, build_for, inputs_for
from scenarios.report import write_report
from scenarios.results import write_result
from scenarios.run import run_scenario
from scenarios.shapley import decompose
from scenarios.spec import ScenarioError, list_presets, load_scenario
from scenarios.summary import intervals, population_groups, sector_table, summary
from scenarios.sweep import goal_seek, parse_grid, sweep


@contextmanager
def progress(what: str) -> Iterator[None]:
    """Tell the user on stderr that a longer computation runs, and how long it took."""
    print(f"workforce: {what} …", file=sys.stderr, end="", flush=True)
    start = time.perf_counter()
    yield
    print(f" {time.perf_counter() - start:.1f} s", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> None:
    inputs = inputs_of(args)
    scenario = load_scenario(args.scenario)
    periods = parse_periods(args.period, inputs.base_year, scenario.horizon)
    ds = run_scenario(scenario, args.region, inputs, seed=args.seed)
    draws = None
    if args.draws:
        with progress(f"{args.draws} draws"):
            draws = run_scenario(scenario, args.region, inputs, seed=args.seed, draws=args.draws)
    if args.out:
        written = write_result(draws if draws is not None else ds, args.out)
        print(f"workforce: wrote {written}", file=sys.stderr)
    if args.json:
        print(json.dumps(summary(ds, draws, periods), ensure_ascii=False))
        return
    print(
        f"{scenario.title_sv} / {scenario.title_en} — {ds.attrs['region_name']} "
        f"({args.region}), seed {args.seed}"
    )
    print(f"data: {ds.attrs['data_vintage']}\n")
    if draws is not None:
        bands = intervals(draws)["population"]["total"]
        line = (
            f"Total population {scenario.horizon}, 80 % interval over {args.draws} draws: "
            f"{bands['p10'][-1]:,.0f} – {bands['p90'][-1]:,.0f} (median {bands['p50'][-1]:,.0f})"
        )
        print(line.replace(",", " ") + "\n")
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


def cmd_compare(args: argparse.Namespace) -> None:
    inputs = inputs_of(args)
    scenarios = [load_scenario(name) for name in args.scenarios]
    with progress(f"{len(scenarios)} scenarios"):
        results = [run_scenario(s, args.region, inputs, seed=args.seed) for s in scenarios]
    first, horizon = results[0], results[0].attrs["horizon"]
    differences = {
        r.attrs["scenario"]: (r.gap_fte - first.gap_fte).sum(SECTOR) for r in results[1:]
    }
    by_year = pd.DataFrame(
        {"gap " + first.attrs["scenario"]: first.gap_fte.sum(SECTOR).to_series()}
    )
    by_year = by_year.join(pd.DataFrame({f"Δ {k}": v.to_series() for k, v in differences.items()}))
    by_sector = pd.DataFrame(
        {f"Δ {r.attrs['scenario']}": (r.gap_fte - first.gap_fte).sel({YEAR: horizon}).to_series()
         for r in results[1:]}
    )  # fmt: skip
    if args.json:
        doc = {
            "region": args.region,
            "against": first.attrs["scenario"],
            "by_year": by_year.round(3).to_dict(),
            "by_sector": by_sector.round(3).to_dict(),
        }
        print(json.dumps(doc, ensure_ascii=False, default=str))
        return
    print(
        f"{first.attrs['region_name']} ({args.region}): gap = demand − supply [FTE], and each "
        f"scenario's difference from {first.attrs['scenario']} (negative = smaller gap)\n"
    )
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(by_year.round().astype(int).to_string(), "\n")
        print(f"Difference by sector in {horizon} [FTE]")
        print(by_sector.round().astype(int).to_string())


def cmd_decompose(args: argparse.Namespace) -> None:
    scenario = load_scenario(args.scenario)
    runs = 2 ** len(scenario.levers.active())
    with progress(f"{runs} runs for the Shapley decomposition"):
        parts = decompose(scenario, args.region, inputs_of(args), args.seed, args.variable)
    year = int(parts.share.attrs["year"])
    table = pd.DataFrame(
        {
            "contribution": parts.contribution.sel({YEAR: year}).sum(SECTOR).to_series(),
            "share": parts.share.to_series(),
        }
    )
    total = float(parts.total.sel({YEAR: year}).sum())
    if args.json:
        doc = {"scenario": scenario.name, "region": args.region, "year": year,
               "variable": args.variable, "total": total,
               "levers": table.round(6).to_dict(orient="index")}  # fmt: skip
        print(json.dumps(doc, ensure_ascii=False))
        return
    print(
        f"{scenario.name}, {args.region}, {year}: reduction of {args.variable} against the "
        f"baseline, split over the levers by exact Shapley values ({runs} runs) [FTE]\n"
    )
    print(table.round(3).to_string())
    print(f"total {total:.1f} = the sum of the contributions")


def cmd_sweep(args: argparse.Namespace) -> None:
    scenario = load_scenario(args.scenario)
    values = parse_grid(args.lever)[2]
    with progress(f"{len(values)} runs"):
        ds = sweep(scenario, args.region, args.lever, inputs_of(args), args.seed)
    if args.out:
        print(f"workforce: wrote {write_result(ds, args.out)}", file=sys.stderr)
    path, horizon = ds.attrs["sweep"], scenario.horizon
    table = pd.DataFrame(
        {
            name: ds[name].sum(SECTOR).sel({YEAR: horizon}).to_series()
            for name in ("lever_fte", "supply_fte", "demand_fte", "gap_fte")
        }
    )
    if args.json:
        print(table.round(3).reset_index().to_json(orient="records", force_ascii=False))
        return
    print(f"{scenario.name}, {args.region}: {path} swept; totals in {horizon} [FTE]\n")
    print(table.round(1).to_string())


def cmd_goal(args: argparse.Namespace) -> None:
    scenario = load_scenario(args.scenario)
    with progress("goal seeking"):
        result = goal_seek(scenario, args.region, args.lever, args.target, inputs_of(args),
                           args.seed)  # fmt: skip
    if args.json:
        print(json.dumps(dataclasses.asdict(result), ensure_ascii=False, default=str))
        return
    print(result.message)


def cmd_batch(args: argparse.Namespace) -> None:
    inputs = inputs_of(args)
    scenario = load_scenario(args.scenario)
    regions = all_regions(inputs) if args.regions == "all" else args.regions.split(",")
    check_regions(regions, inputs)

    def report(done: int, total: int) -> None:
        print(f"\rworkforce: {done}/{total} regions done", end="", file=sys.stderr, flush=True)

    start = time.perf_counter()
    run_batch(
        scenario, regions, draws=args.draws, seed=args.seed, scheduler=args.scheduler,
        out_dir=Path(args.out), progress=report,
    )  # fmt: skip
    print(
        f"\nworkforce: {len(regions)} results in {args.out} ({time.perf_counter() - start:.1f} s)",
        file=sys.stderr,
    )


def cmd_backtest(args: argparse.Namespace) -> None:
    inputs = inputs_of(args)
    regions = backtest_regions()
    if args.region not in regions:
        raise ValueError(
            f"no back-test for region {args.region!r}; available: {', '.join(regions)} "
            "(municipalities with single ages every year since 2006, and Norrbotten)"
        )
    with progress(f"back-test from {args.base_year}, {args.draws} draws"):
        result = run_backtest(args.base_year, inputs, draws=args.draws, seed=args.seed)
    table = backtest_table(result, args.region)
    if args.json:
        print(table.to_json(orient="records", force_ascii=False))
        return
    name = inputs.region_name(args.region)
    print(
        f"Back-test {name} ({args.region}): projected from 31 Dec {args.base_year} with data "
        f"known then, {args.draws} draws, seed {args.seed}; total population [persons], "
        f"absolute percentage errors [%]"
    )
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.round(2).to_string(index=False))
    print(
        f"\n80 % interval coverage, {name}: {table.inside_80.mean():.0%}; all back-test "
        f"regions and age groups: {result.coverage:.0%}"
    )


def parse_periods(texts: list[str] | None, base_year: int, horizon: int) -> list[tuple[int, int]]:
    """`--period FIRST-LAST` values as year pairs inside base_year…horizon (default: all of it)."""
    periods = []
    for text in texts or [f"{base_year}-{horizon}"]:
        match = re.fullmatch(r"(\d{4})-(\d{4})", text.strip())
        if not match:
            raise ValueError(f"--period {text!r}: expected FIRST-LAST with four-digit years, "
                             f"e.g. {base_year + 2}-{base_year + 3}")  # fmt: skip
        first, last = int(match[1]), int(match[2])
        if first > last:
            raise ValueError(f"--period {text!r}: the first year comes after the last")
        if first < base_year or last > horizon:
            raise ValueError(f"--period {text!r} is outside the projection {base_year}-{horizon}")
        periods.append((first, last))
    return periods


def cmd_report(args: argparse.Namespace) -> None:
    inputs = inputs_of(args)
    scenario = load_scenario(args.scenario)
    periods = parse_periods(args.period, inputs.base_year, scenario.horizon)
    with progress(f"{args.draws} draws" if args.draws else "running"):
        ds = run_scenario(scenario, args.region, inputs, seed=args.seed, draws=args.draws)
    for path in write_report(ds, inputs.sectors, Path(args.out), periods, args.lang):
        print(f"workforce: wrote {path}", file=sys.stderr)


def cmd_regions(args: argparse.Namespace) -> None:
    regions = inputs_of(args).regions
    indents = {"country": "", "county": "  ", "rest": "  ", "municipality": "    ", "group": ""}
    for code, row in regions.iterrows():
        members = f"  ({row.members.replace(';', ', ')})" if row.level == "group" else ""
        print(f"{code:>6}  {indents[row.level]}{row['name']}{members}")


def inputs_of(args: argparse.Namespace):
    """The inputs a command runs on: `--data` (auto, embedded, fetched or a folder) for its
    `--region`."""
    return inputs_for(getattr(args, "region", None), getattr(args, "data", "auto"))


def cmd_data_fetch(args: argparse.Namespace) -> None:
    cache = ScbCache()
    start = time.perf_counter()
    tables = fetch_region(
        args.region, args.from_year, refresh=args.refresh, cache=cache,
        progress=lambda line: print(f"workforce: {line}", file=sys.stderr, flush=True),
    )  # fmt: skip
    print(
        f"workforce: {len(tables)} tables for {args.region} in {cache.folder} "
        f"({time.perf_counter() - start:.1f} s):",
        file=sys.stderr,
    )
    for key, data in tables.items():
        print(f"  {cache.paths(key, args.region)[0].name}  {len(data)} rows", file=sys.stderr)
    try:
        folder = build_for(args.region, tables)
    except ValueError as exc:  # e.g. too few years fetched for the five-year rates
        print(
            f"workforce: the tables are cached, but no model inputs could be built: {exc} "
            "(fetch from an earlier year with --from, e.g. 2000)",
            file=sys.stderr,
        )
        return
    print(f"workforce: model inputs for {args.region} in {folder}", file=sys.stderr)


def cmd_data_info(_: argparse.Namespace) -> None:
    cache = ScbCache()
    entries = cache.entries()
    if entries.empty:
        print(f"nothing cached yet — run workforce data fetch --region CODE ({cache.folder})")
        return
    print(f"SCB tables cached in {cache.folder}\n")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(entries.to_string(index=False))


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
    run.add_argument(
        "--draws", type=int, default=0, help="random paths for the intervals (default 0: none)"
    )
    run.add_argument("--out", help="also write the result as NetCDF to this file")
    run.add_argument(
        "--period",
        action="append",
        help="FIRST-LAST for the JSON's cumulative flows, repeatable (default: base year-horizon)",
    )
    run.set_defaults(func=cmd_run)
    compare = sub.add_parser("compare", help="differences between scenarios, against the first")
    compare.add_argument("scenarios", nargs="+", help="two or more presets or TOML files")
    compare.add_argument("--region", required=True, help="SCB region code")
    compare.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    compare.add_argument("--json", action="store_true", help="print one JSON document")
    compare.set_defaults(func=cmd_compare)
    split = sub.add_parser("decompose", help="each lever's share of a scenario's effect")
    split.add_argument("scenario", help="preset or TOML file with several levers")
    split.add_argument("--region", required=True, help="SCB region code")
    split.add_argument("--variable", default="gap_fte", help="result variable (gap_fte)")
    split.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    split.add_argument("--json", action="store_true", help="print one JSON document")
    split.set_defaults(func=cmd_decompose)
    grid = sub.add_parser("sweep", help="run a scenario over a grid of one lever value")
    grid.add_argument("scenario", help="preset or TOML file")
    grid.add_argument(
        "--lever", required=True, help="e.g. part_time_hours.extra_hours=1:5:1 or …=1,2,4"
    )
    grid.add_argument("--region", required=True, help="SCB region code")
    grid.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    grid.add_argument("--out", help="also write the sweep as NetCDF to this file")
    grid.add_argument("--json", action="store_true", help="print the table as JSON")
    grid.set_defaults(func=cmd_sweep)
    goal = sub.add_parser("goal", help="find the lever value that reaches a target")
    goal.add_argument("scenario", help="preset or TOML file")
    goal.add_argument(
        "--lever", required=True, help="lever value to vary, e.g. part_time_hours.uptake"
    )
    goal.add_argument(
        "--target", required=True, help="VARIABLE.SERIES@YEAR=VALUE, e.g. gap_fte.total@2033=0"
    )
    goal.add_argument("--region", required=True, help="SCB region code")
    goal.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    goal.add_argument("--json", action="store_true", help="print the result as JSON")
    goal.set_defaults(func=cmd_goal)
    batch = sub.add_parser("batch", help="run many regions (× draws) on Dask, one file each")
    batch.add_argument("scenario", help="preset or TOML file")
    batch.add_argument("--regions", default="all", help="comma-separated codes, or all")
    batch.add_argument("--draws", type=int, default=0, help="random paths (default 0)")
    batch.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    batch.add_argument(
        "--scheduler", help="address of a dask.distributed scheduler (default: a local cluster)"
    )
    batch.add_argument("--out", required=True, help="folder for the NetCDF results")
    batch.set_defaults(func=cmd_batch)
    report = sub.add_parser("report", help="write a council report (Markdown and Excel)")
    report.add_argument("scenario", help="preset name or a TOML file")
    report.add_argument("--region", required=True, help="SCB region code, e.g. 25 or 2580")
    report.add_argument("--out", default=".", help="folder for the files (default: here)")
    report.add_argument(
        "--period", action="append", help="FIRST-LAST, repeatable (default: base year-horizon)"
    )
    report.add_argument("--lang", choices=["sv", "en"], default="sv", help="language (sv)")
    report.add_argument("--draws", type=int, default=0, help="random paths (default 0: none)")
    report.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    report.set_defaults(func=cmd_report)
    add_local_commands(sub)
    test = sub.add_parser("backtest", help="how well the population model did on the past")
    test.add_argument("--region", required=True, help="municipality code or 25 (Norrbotten)")
    test.add_argument("--base-year", type=int, default=2014, help="projection start (2011–2020)")
    test.add_argument("--draws", type=int, default=500, help="random paths (default 500)")
    test.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    test.add_argument("--json", action="store_true", help="print the table as JSON")
    test.set_defaults(func=cmd_backtest)
    data = sub.add_parser("data", help="real data from SCB: fetch it, see what is cached")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    fetch = data_sub.add_parser("fetch", help="download a region's tables from SCB's API")
    fetch.add_argument("--region", required=True, help="SCB region code, e.g. 25 or 2580")
    fetch.add_argument(
        "--from", dest="from_year", type=int, default=2000, help="first year (default 2000)"
    )
    fetch.add_argument("--refresh", action="store_true", help="fetch again even if cached")
    fetch.set_defaults(func=cmd_data_fetch)
    info = data_sub.add_parser("info", help="what is cached from SCB, and how old it is")
    info.set_defaults(func=cmd_data_info)
    sub.add_parser("regions", help="list region codes and names").set_defaults(func=cmd_regions)
    sub.add_parser("presets", help="list preset scenarios").set_defaults(func=cmd_presets)
    for name, command in sub.choices.items():  # every command that reads inputs
        if name not in ("data", "survey"):  # survey's subcommand has its own
            add_data_option(command)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except (ScenarioError, InputError, ValueError, BatchError) as exc:
        print(f"workforce: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`: not an error
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
