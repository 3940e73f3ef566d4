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

Lang = Literal["sv", "en"]
LANGUAGES: tuple[Lang, Lang] = ("sv", "en")
DEFAULT_LANG: Lang = "sv"

NBSP = "\u00a0"  # thousands separator in Swedish (CLDR "sv")
MINUS = "\u2212"  # Swedish typography uses the minus sign, not the hyphen

LABELS: dict[str, dict[str, str]] = {
    # Page and sidebar
    "app_title": {
        "sv": "Kompetensförsörjning till 2033 – scenarioutforskaren",
        "en": "Workforce to 2033 – scenario explorer",
    },
    "app_intro": {
        "sv": "Jämför två scenarier för befolkning, arbetskraft och personalbehov i en region.",
        "en": "Compare two scenarios for population, labour supply and staffing needs in a region.",
    },
    "language": {"sv": "Språk / Language", "en": "Språk / Language"},
    "region": {"sv": "Område", "en": "Area"},
    "scenario_a": {"sv": "Scenario A", "en": "Scenario A"},
    "scenario_b": {"sv": "Scenario B", "en": "Scenario B"},
    "seed": {"sv": "Slumpfrö", "en": "Random seed"},
    "seed_help": {
        "sv": "Samma scenario, data och slumpfrö ger alltid samma resultat.",
        "en": "The same scenario, data and seed always give the same result.",
    },
    "coverage_note": {"sv": "Tunt dataunderlag", "en": "Thin data coverage"},
    "inputs_failed": {
        "sv": "Kunde inte läsa indata.",
        "en": "Could not read the input data.",
    },
    "rebuild_hint": {
        "sv": "Kör `python data/build.py` för att återskapa härledda filer",
        "en": "Run `python data/build.py` to rebuild the derived files",
    },
    "run_failed": {"sv": "Scenariot kunde inte köras", "en": "The scenario could not be run"},
    "running": {"sv": "Räknar fram scenarierna …", "en": "Running the scenarios …"},
    # Tabs
    "tab_population": {"sv": "Befolkning", "en": "Population"},
    "tab_supply_demand": {"sv": "Tillgång och efterfrågan", "en": "Supply and demand"},
    "tab_levers": {"sv": "Åtgärder", "en": "Levers"},
    "tab_data": {"sv": "Data och källor", "en": "Data and sources"},
    "gap_metric": {
        "sv": "Brist på arbetskraft {end}, årsarbetare – {scenario}",
        "en": "Labour shortage in {end}, FTE – {scenario}",
    },
    "gap_metric_help": {
        "sv": "Efterfrågan minus tillgång i alla sektorer; negativt betyder överskott.",
        "en": "Demand minus supply over all sectors; negative means a surplus.",
    },
    # Population tab
    "pyramid_title": {
        "sv": "Befolkning efter ålder och kön, {base} och {end}",
        "en": "Population by age and sex, {base} and {end}",
    },
    "pyramid_caption": {
        "sv": "Staplar: {base}. Linje: {end} enligt scenario {scenario}.",
        "en": "Bars: {base}. Line: {end} under scenario {scenario}.",
    },
    "key_figures": {"sv": "Nyckeltal", "en": "Key figures"},
    "age_group": {"sv": "Åldersgrupp", "en": "Age group"},
    "total": {"sv": "Totalt", "en": "Total"},
    "change_persons": {"sv": "Förändring (personer)", "en": "Change (persons)"},
    "change_percent": {"sv": "Förändring (%)", "en": "Change (%)"},
    "age": {"sv": "Ålder (år)", "en": "Age (years)"},
    "year": {"sv": "År", "en": "Year"},
    "female": {"sv": "Kvinnor", "en": "Women"},
    "male": {"sv": "Män", "en": "Men"},
    "fan_title": {
        "sv": "Folkmängd {base}–{end}: median och osäkerhetsintervall",
        "en": "Population {base}–{end}: median and uncertainty intervals",
    },
    "fan_caption": {
        "sv": "{draws} slumpade framtider för fruktsamhet, dödlighet och flyttningar. Mörkt band: "
        "80 % av utfallen, ljust band: 95 %. Baktestet visar att intervallen snarare är för smala.",
        "en": "{draws} random futures of fertility, mortality and migration. Dark band: 80 % of "
        "outcomes, light band: 95 %. The back-test shows the intervals are rather too narrow.",
    },
    "median": {"sv": "Median", "en": "Median"},
    "band_80": {"sv": "80 %", "en": "80 %"},
    "band_95": {"sv": "95 %", "en": "95 %"},
    # Levers tab
    "levers_title": {
        "sv": "Extra årsarbetare per åtgärd {end}",
        "en": "Extra full-time equivalents per lever in {end}",
    },
    "levers_caption": {
        "sv": "Varje åtgärd simuleras månad för månad; staplarna visar effekten {end} jämfört "
        "med om åtgärden inte genomförs.",
        "en": "Each lever is simulated month by month; the bars show its effect in {end} "
        "against not taking it.",
    },
    "no_levers": {
        "sv": "Scenariot {scenario} innehåller inga åtgärder.",
        "en": "Scenario {scenario} has no levers.",
    },
    "lever": {"sv": "Åtgärd", "en": "Lever"},
    "lever_working_life": {"sv": "Längre arbetsliv", "en": "Longer working life"},
    "lever_part_time_hours": {"sv": "Fler timmar för deltidare", "en": "More hours, part-timers"},
    "lever_validation": {"sv": "Validering", "en": "Validation"},
    "lever_sick_leave": {"sv": "Lägre sjukfrånvaro", "en": "Lower sick leave"},
    "lever_migration": {"sv": "Inflyttning", "en": "In-migration"},
    "lever_parental_leave": {"sv": "Jämställd föräldraledighet", "en": "Equal parental leave"},
    "lever_education": {"sv": "Yrkesutbildning", "en": "Vocational education"},
    "lever_shared_services": {"sv": "Delade tjänster", "en": "Shared services"},
    # Supply and demand tab
    "sector": {"sv": "Sektor", "en": "Sector"},
    "all_sectors": {"sv": "Alla sektorer", "en": "All sectors"},
    "supply_demand_title": {
        "sv": "Efterfrågan på och tillgång till arbetskraft – {sector}",
        "en": "Labour demand and supply – {sector}",
    },
    "gap_title": {
        "sv": "Brist på arbetskraft (efterfrågan minus tillgång) – {sector}",
        "en": "Labour shortage (demand minus supply) – {sector}",
    },
    "gap_axis": {"sv": "Brist (+)", "en": "Shortage (+)"},
    "demand": {"sv": "Efterfrågan", "en": "Demand"},
    "supply": {"sv": "Tillgång", "en": "Supply"},
    "measure": {"sv": "Mått", "en": "Measure"},
    "scenario": {"sv": "Scenario", "en": "Scenario"},
    "value": {"sv": "Värde", "en": "Value"},
    "gap_table": {"sv": "Brist per år", "en": "Shortage by year"},
    # Data tab
    "data_vintage": {"sv": "Dataårgång", "en": "Data vintage"},
    "base_year": {"sv": "Basår", "en": "Base year"},
    "horizon": {"sv": "Prognoshorisont", "en": "Forecast horizon"},
    "scenarios": {"sv": "Scenarier", "en": "Scenarios"},
    "sources_note": {
        "sv": "Metoder och källor för varje siffra beskrivs i `data/SOURCES.md`.",
        "en": "Methods and sources for every figure are described in `data/SOURCES.md`.",
    },
    # Downloads
    "download_png": {"sv": "Ladda ned PNG", "en": "Download PNG"},
    "download_svg": {"sv": "Ladda ned SVG", "en": "Download SVG"},
    "download_csv": {"sv": "Ladda ned CSV", "en": "Download CSV"},
    "download_xlsx": {"sv": "Ladda ned Excel", "en": "Download Excel"},
    "download_toml": {
        "sv": "Ladda ned scenariofilen {name}.toml",
        "en": "Download the scenario file {name}.toml",
    },
}

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
