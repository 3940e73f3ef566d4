"""The `workforce` commands about local evidence (employer surveys, population targets) and
the slide deck."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from scenarios import ambitions, survey
from scenarios.data_source import add_data_option, inputs_for
from scenarios.deck import write_deck
from scenarios.i18n import format_number
from scenarios.run import run_scenario
from scenarios.spec import load_scenario


def cmd_survey_compare(args: argparse.Namespace) -> None:
    inputs = inputs_for(getattr(args, "region", None), args.data)
    areas = survey.read_areas(sectors=list(inputs.sectors.index))
    reported = survey.read_survey(args.file, inputs, areas)
    scenario = load_scenario(args.scenario)
    result = run_scenario(scenario, args.region, inputs, seed=args.seed)
    table = survey.compare(reported, result, areas, args.region)
    if args.json:
        print(table.round(1).to_json(orient="records", force_ascii=False))
        return
    print(f"{inputs.region_name(args.region)} ({args.region}) — {scenario.name}")
    shown = survey.comparison_table(table, args.lang)
    print(shown.round(2).to_string(index=False))
    print()
    print(survey.explanation(table, args.lang))


def cmd_ambitions(args: argparse.Namespace) -> None:
    inputs = inputs_for(getattr(args, "region", None), args.data)
    targets = ambitions.read_ambitions(args.file, inputs)
    table = ambitions.needs(targets, inputs)
    counties, country = ambitions.add_up(table, inputs)
    if args.json:
        doc = {
            "targets": json.loads(table.round(1).to_json(orient="records", force_ascii=False)),
            "counties": json.loads(counties.round(4).to_json(orient="records", force_ascii=False)),
            "country": {k: round(v, 1) for k, v in country.items()},
        }
        print(json.dumps(doc, ensure_ascii=False))
        return
    shown = ambitions.ambitions_table(table, args.lang, inputs.base_year)
    print(shown.to_string(index=False, float_format=lambda v: format_number(v, args.lang)))
    print()
    for sentence in ambitions.sentences(counties, country, inputs.base_year, args.lang):
        print(sentence)


def cmd_deck(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    inputs = inputs_for(args.region, args.data)
    scenario = load_scenario(args.scenario)
    inputs.units_of(args.region)  # an unknown region: one line, before any work
    out = Path(args.out or f"deck_{args.region}_{scenario.name}.pptx")

    def progress(step: str) -> None:
        print(f"workforce: {step} …", file=sys.stderr, flush=True)

    path = write_deck(out, args.region, scenario, inputs, args.lang, args.seed, progress=progress)
    print(f"workforce: wrote {path} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)


def add_deck(sub: argparse._SubParsersAction) -> None:
    """`deck`: a PPTX of one scenario for one region."""
    deck = sub.add_parser("deck", help="a slide deck (PPTX) of a scenario for a region")
    deck.add_argument("--region", required=True, help="SCB region code or group, e.g. 25")
    deck.add_argument("--scenario", default="baseline", help="preset or TOML (baseline)")
    deck.add_argument("--lang", choices=["sv", "en"], default="sv", help="language (sv)")
    deck.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    deck.add_argument("--out", help="the PPTX file (deck_<region>_<scenario>.pptx)")
    deck.set_defaults(func=cmd_deck)


def add_local_commands(sub: argparse._SubParsersAction) -> None:
    """`survey compare`, `ambitions` and `deck` on the CLI's subparsers."""
    add_deck(sub)
    survey_parser = sub.add_parser("survey", help="employer surveys beside the model")
    actions = survey_parser.add_subparsers(dest="survey_command", required=True)
    compare = actions.add_parser("compare", help="a survey file's needs next to the model's")
    compare.add_argument("file", help="survey CSV (see data/official/employer_survey_*.csv)")
    compare.add_argument("--region", required=True, help="SCB region code, e.g. 25")
    compare.add_argument("--scenario", default="baseline", help="preset or TOML (baseline)")
    compare.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    compare.add_argument("--lang", choices=["sv", "en"], default="sv", help="language (sv)")
    compare.add_argument("--json", action="store_true", help="print the table as JSON")
    add_data_option(compare)
    compare.set_defaults(func=cmd_survey_compare)
    targets = sub.add_parser("ambitions", help="population targets against the projection")
    targets.add_argument(
        "file",
        nargs="?",
        default=str(ambitions.DEFAULT_FILE),
        help="targets CSV (data/ambitions.csv)",
    )
    targets.add_argument("--lang", choices=["sv", "en"], default="sv", help="language (sv)")
    targets.add_argument("--json", action="store_true", help="print one JSON document")
    targets.set_defaults(func=cmd_ambitions)
