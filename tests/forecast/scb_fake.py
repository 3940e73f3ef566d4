"""A fake SCB PxWebApi v2 for tests: an httpx.MockTransport serving the hand-built tables
of tests/fixtures/scb (metadata as JSON-stat2, data for any selection, /tables searches).

A data cell's value is a checksum of its codes, so tests can recompute any cell.
"""

from __future__ import annotations

import itertools
import json
import zlib
from pathlib import Path
from typing import Any

import httpx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scb"
RECORDED = Path(__file__).resolve().parents[2].parent / "shared" / "pxweb" / "fixtures"
CONFIG = {"maxDataCells": 150000, "maxCallsPerTimeWindow": 30, "timeWindow": 10}
SEARCHES = {
    "flyttningar": "search_migration.json",
    "sysselsatta": "search_employment.json",
    "förvärvsarbetande": "search_employment.json",
    "arbetsmarknadsstatus": "search_employment.json",
    "framskriven": "search_projection.json",
}


def cell_value(codes: tuple[str, ...]) -> int:
    """The fake value of a cell: a small number derived from its codes."""
    return zlib.crc32("|".join(codes).encode()) % 1000


def load_tables() -> dict[str, Any]:
    raw = json.loads((FIXTURES / "tables.json").read_text(encoding="utf-8"))
    shared = raw.pop("_shared")
    raw.pop("_comment", None)
    for table in raw.values():
        for variable in table["variables"]:
            if isinstance(variable["values"], str):
                variable["values"] = shared[variable["values"].lstrip("@")]
    return raw


def jsonstat(table_id: str, table: dict[str, Any], chosen: dict[str, list[str]] | None):
    """A JSON-stat2 document: metadata (chosen None, value []) or data for `chosen`."""
    variables = [v for v in table["variables"] if chosen is None or v["code"] in chosen]
    dimension = {}
    for v in variables:
        codes = list(v["values"]) if chosen is None else chosen[v["code"]]
        dimension[v["code"]] = {
            "label": v["label"],
            "category": {
                "index": {c: i for i, c in enumerate(codes)},
                "label": {c: v["values"][c] for c in codes},
            },
            "extension": {"elimination": v["elimination"]},
        }
    ids = [v["code"] for v in variables]
    sizes = [len(dimension[i]["category"]["index"]) for i in ids]
    value = []
    if chosen is not None:
        value = [cell_value(cell) for cell in itertools.product(*(chosen[i] for i in ids))]
    return {
        "version": "2.0", "class": "dataset", "label": table["label"], "source": "SCB",
        "updated": table["updated"], "id": ids, "size": sizes,
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]}, "dimension": dimension,
        "extension": {"px": {"tableid": table_id, "matrix": table_id}}, "value": value,
    }  # fmt: skip


def problem(status: int, title: str) -> httpx.Response:
    body = {"type": "Parameter error", "title": title, "status": status}
    return httpx.Response(status, json=body)


class FakeScb:
    """Callable handler for httpx.MockTransport; records requests; max_cells like SCB's."""

    def __init__(self, max_cells: int = 150000) -> None:
        self.tables = load_tables()
        self.max_cells = max_cells
        self.requests: list[httpx.Request] = []

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        parts = request.url.path.split("/api/v2/", 1)[1].split("/")
        if parts == ["config"]:
            return httpx.Response(200, json=CONFIG)
        if parts == ["tables"]:
            query = request.url.params.get("query", "").lower()
            for word, name in SEARCHES.items():
                if word in query:
                    text = (FIXTURES / name).read_text(encoding="utf-8")
                    return httpx.Response(200, content=text.encode())
            return httpx.Response(200, json={"language": "sv", "tables": [], "page": {}})
        table = self.tables.get(parts[1])
        if table is None:
            return problem(404, "Non-existent table")
        if parts[2:] == ["metadata"]:
            return httpx.Response(200, json=jsonstat(parts[1], table, None))
        body = json.loads(request.content)
        chosen = {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
        known = {v["code"]: v for v in table["variables"]}
        for code, values in chosen.items():
            if code not in known:
                return problem(400, "Non-existent variable")
            if any(value not in known[code]["values"] for value in values):
                return problem(400, "Non-existent value")
            if len(set(values)) != len(values):
                return httpx.Response(500)
        for code, variable in known.items():
            if code not in chosen and not variable["elimination"]:
                return problem(400, "Missing selection for mandantory variable")
        cells = 1
        for values in chosen.values():
            cells *= len(values)
        if cells > self.max_cells:
            return problem(400, "Too many cells selected")
        return httpx.Response(200, json=jsonstat(parts[1], table, chosen))
