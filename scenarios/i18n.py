"""Swedish and English labels for the explorer, and number formatting in either language.

Swedish is the default. Numbers follow Swedish typography when ``lang == "sv"``: a no-break
space (U+00A0) groups thousands, a comma marks decimals and a true minus sign (U+2212)
marks negatives ("−12 345,5"); English uses "-12,345.5". Charts get the same conventions
through :func:`vega_locale`, so tables, tooltips and axes agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import pandas as pd

from scenarios.labels_explorer import EXPLORER_LABELS
from scenarios.labels_reports import REPORT_LABELS

Lang = Literal["sv", "en"]
LANGUAGES: tuple[Lang, Lang] = ("sv", "en")
DEFAULT_LANG: Lang = "sv"

NBSP = "\u00a0"  # thousands separator in Swedish (CLDR "sv")
MINUS = "\u2212"  # Swedish typography uses the minus sign, not the hyphen

LABELS: dict[str, dict[str, str]] = {**EXPLORER_LABELS, **REPORT_LABELS}

UNIT_LABELS: dict[str, dict[str, str]] = {
    "persons": {"sv": "Personer", "en": "Persons"},
    "fte": {"sv": "Heltidsekvivalenter (årsarbetare)", "en": "Full-time equivalents (FTE)"},
    "hours_per_week": {"sv": "Timmar per vecka", "en": "Hours per week"},
    "years": {"sv": "År", "en": "Years"},
}

_LEVEL_PREFIX = {"country": "", "county": "", "municipality": "– "}


def t(key: str, lang: Lang, **fields: object) -> str:
    """The label ``key`` in ``lang``, with ``{name}`` placeholders filled from ``fields``."""
    text = LABELS[key][lang]
    return text.format(**fields) if fields else text


def unit_label(units: str, lang: Lang) -> str:
    """Plain-language name of a unit code from ``attrs["units"]`` (e.g. "fte")."""
    try:
        return UNIT_LABELS[units][lang]
    except KeyError:
        return units


def format_number(value: float, lang: Lang, decimals: int = 0) -> str:
    """``value`` with thousands grouped and ``decimals`` decimals, in ``lang``'s conventions.

    >>> format_number(-12345.5, "sv", 1) == "\u221212\u00a0345,5"
    True
    >>> format_number(-12345.5, "en", 1)
    '-12,345.5'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    negative = value < 0 and text.strip("0.,") != ""  # "-0" is shown as "0"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
        return (MINUS if negative else "") + text
    return ("-" if negative else "") + text


def format_percent(value: float, lang: Lang, decimals: int = 1) -> str:
    """``value`` (already in percent) with a percent sign: "12,5 %" (sv) or "12.5%" (en)."""
    number = format_number(value, lang, decimals)
    if number == "–":
        return number
    return f"{number}{NBSP}%" if lang == "sv" else f"{number}%"


def format_signed_percent(value: float, lang: Lang, decimals: int = 1) -> str:
    """A change in percent with its sign: "+12,5 %" / "−3,0 %" (sv), "+12.5%" (en)."""
    text = format_percent(value, lang, decimals)
    return f"+{text}" if round(value, decimals) > 0 else text


def vega_locale(lang: Lang) -> dict[str, object]:
    """A Vega number locale so that chart axes and tooltips format like :func:`format_number`."""
    if lang == "sv":
        return {
            "number": {
                "decimal": ",",
                "thousands": NBSP,
                "grouping": [3],
                "currency": ["", f"{NBSP}kr"],
                "minus": MINUS,
                "percent": f"{NBSP}%",
            }
        }
    return {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}}


def region_choices(regions: pd.DataFrame) -> dict[str, str]:
    """Region codes → "name (code)", ordered: the country, then each county and its municipalities.

    ``regions`` is ``Inputs.regions``: columns ``name, level, parent`` and the code either as
    a ``region_code`` column or as the index. Municipalities get a leading dash so the county
    grouping shows in a flat list.
    """
    if "region_code" not in regions.columns:
        regions = regions.rename_axis("region_code").reset_index()
    rows = {str(r.region_code): r for r in regions.itertuples(index=False)}

    def label(code: str) -> str:
        row = rows[code]
        return f"{_LEVEL_PREFIX.get(str(row.level), '')}{row.name} ({code})"

    def children(parent: str, level: str) -> list[str]:
        return sorted(
            code for code, r in rows.items() if str(r.parent) == parent and r.level == level
        )

    ordered: list[str] = sorted(code for code, r in rows.items() if r.level == "country")
    counties = sorted(code for code, r in rows.items() if r.level == "county")
    for county in counties:
        ordered.append(county)
        ordered.extend(children(county, "municipality"))
    # Anything not reached above (e.g. a municipality with an unknown parent) still appears.
    ordered.extend(sorted(set(rows) - set(ordered)))
    return {code: label(code) for code in ordered}


def coverage_note(regions: pd.DataFrame, code: str) -> str:
    """The region's note on thin data coverage ("" when coverage is normal)."""
    if "region_code" in regions.columns:
        regions = regions.set_index("region_code")
    if code not in regions.index or "coverage_note" not in regions.columns:
        return ""
    note = regions.loc[code, "coverage_note"]
    return str(note).strip() if pd.notna(note) else ""


def sector_label(sectors: pd.DataFrame | None, sector: str, lang: Lang) -> str:
    """Plain-language sector name from ``Inputs.sectors`` (indexed by id), else the id itself."""
    column = f"label_{lang}"
    if sectors is not None and sector in sectors.index and column in sectors.columns:
        return str(sectors.loc[sector, column])
    return sector


def check_labels(labels: Mapping[str, Mapping[str, str]] = LABELS) -> list[str]:
    """Keys lacking a non-empty text in some language; empty when the table is complete."""
    return [key for key, texts in labels.items() if any(not texts.get(lang) for lang in LANGUAGES)]
