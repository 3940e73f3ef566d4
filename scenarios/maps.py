"""Choropleth maps of key indicators by municipality, for a county or all four northern counties.

Indicators come from one central-path run per municipality (:func:`indicators_for`); figures
"per 1 000 inhabitants" divide by the municipality's population in the comparison year (2033),
the year the gap is measured. The map is an Altair geoshape layer over the simplified outlines
in ``data/geo`` (see its SOURCES.md).

**Selection.** The chart carries a point selection named ``municipality`` on the field ``id``
(the SCB code). In Streamlit, ``event = st.altair_chart(chart, on_select="rerun", key=…)``
gives ``event.selection.municipality == [{"id": "2580"}]`` after a click on Luleå, and ``{}``
before any click or when cleared (double click): :func:`selected_municipality` reads it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import xarray as xr

from forecast.balance import cumulative
from forecast.dims import AGE, DRAW, SECTOR, SEX, YEAR
from forecast.inputs import Inputs
from scenarios.charts import CHART_WIDTH, _finish, base_and_end_year
from scenarios.i18n import NBSP, Lang, t
from scenarios.projection import default_inputs
from scenarios.run import run_scenario
from scenarios.spec import Scenario

GEO_DIR = Path(__file__).resolve().parents[1] / "data" / "geo"
ALL_REGIONS = "00"  # "all embedded regions": the 44 municipalities of counties 22–25
SELECTION = "municipality"  # name of the point selection the explorer reads
NO_DATA_COLOUR = "#e0e0e0"
MAP_MAX_HEIGHT = 640


@dataclass(frozen=True)
class Indicator:
    """Unit (``LABELS`` key; the name is ``"map_" + key``), d3 format, colour: centred on 0
    if ``diverging``; red/orange for high values if ``bad_high`` (shortage, need)."""

    unit: str
    format: str
    diverging: bool
    bad_high: bool


INDICATORS: dict[str, Indicator] = {
    "gap_per_1000": Indicator("map_unit_fte_per_1000", ",.1f", True, True),
    "working_age_change": Indicator("map_unit_percent", "+,.1f", True, False),
    "oldest_growth": Indicator("map_unit_percent", "+,.1f", False, True),
    "recruitment_need": Indicator("map_unit_persons", ",.0f", False, True),
    "recruitment_per_1000": Indicator("map_unit_persons_per_1000", ",.1f", False, True),
    "survey_need": Indicator("map_unit_persons", ",.0f", False, True),
}


def _suffix(indicator: Indicator, lang: Lang) -> str:
    """The unit after a value in the tooltip: "12,3 årsarbetare per 1 000 invånare", "5,2 %"."""
    if indicator.unit == "map_unit_percent":
        return f"{NBSP}%" if lang == "sv" else "%"
    unit = t(indicator.unit, lang)
    return NBSP + (unit if unit[:3].isupper() else unit[0].lower() + unit[1:])


def indicator_label(indicator: str, lang: Lang, base: int = 2024, end: int = 2033) -> str:
    """The indicator's name in ``lang`` with the period filled in."""
    _indicator(indicator)
    return t(f"map_{indicator}", lang, base=base, end=end)


def _indicator(indicator: str) -> Indicator:
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}; known: {', '.join(INDICATORS)}")
    return INDICATORS[indicator]


# --- indicators ----------------------------------------------------------------------------


def _change_percent(series: xr.DataArray, base: int, end: int) -> float:
    first, last = float(series.sel({YEAR: base})), float(series.sel({YEAR: end}))
    return 100 * (last - first) / first if first else math.nan


def _row(ds: xr.Dataset) -> dict[str, Any]:
    """Every indicator of one municipality's result (the median draw when it has draws)."""
    if DRAW in ds.dims:
        ds = ds.median(DRAW)
    base, end = base_and_end_year(ds)
    pop = ds["population"].sum(SEX)
    total_end = float(pop.sel({YEAR: end}).sum(AGE))
    gap = float(ds["gap_fte"].sel({YEAR: end}).sum(SECTOR))
    need = float(cumulative(ds["recruitment_need"].sum(SECTOR), base, end))
    per_1000 = 1000 / total_end if total_end else math.nan
    return {
        "name": str(ds.attrs.get("region_name", "")),
        "base_year": base,
        "end_year": end,
        "population_end": total_end,
        "gap_fte": gap,
        "gap_per_1000": gap * per_1000,
        "working_age_change": _change_percent(pop.sel({AGE: slice(20, 66)}).sum(AGE), base, end),
        "oldest_growth": _change_percent(pop.sel({AGE: slice(85, None)}).sum(AGE), base, end),
        "recruitment_need": need,
        "recruitment_per_1000": need * per_1000,
    }


def municipal_indicators(
    results: Mapping[str, xr.Dataset], survey: pd.Series | None = None
) -> pd.DataFrame:
    """One row per municipality code (index ``municipality``) with every indicator; the
    optional ``survey`` (persons needed by municipality code, e.g. an employer survey) fills
    ``survey_need``, NaN where it has no figure."""
    frame = pd.DataFrame.from_dict({code: _row(ds) for code, ds in results.items()}, "index")
    frame.index = frame.index.astype(str).rename(SELECTION)
    values = survey.rename(index=str) if survey is not None else pd.Series(dtype=float)
    frame["survey_need"] = values.reindex(frame.index).astype(float)
    scenarios = {str(ds.attrs.get("scenario", "")) for ds in results.values()}
    frame.attrs["scenario"] = scenarios.pop() if len(scenarios) == 1 else ""
    return frame


def municipalities_of(region: str, inputs: Inputs) -> list[str]:
    """The municipality codes a map of ``region`` shows: a county's, or all 44 for "00"."""
    regions = inputs.regions
    if region not in regions.index:
        inputs.units_of(region)  # raises the inputs' "unknown region" error
    level = regions.loc[region, "level"]
    if level == "country":
        return list(regions.index[regions.level == "municipality"])
    if level == "county":
        return inputs.units_of(region)
    hint = f"; map its county {regions.loc[region, 'parent']}" if level == "municipality" else ""
    raise ValueError(f"region {region!r} ({level}) has no municipalities to map{hint}")


def indicators_for(
    region: str,
    scenario: Scenario,
    inputs: Inputs | None = None,
    seed: int = 0,
    survey: pd.Series | None = None,
) -> pd.DataFrame:
    """Run ``scenario`` (central path) for each municipality of ``region`` and tabulate the
    indicators (about 0.04 s per municipality once the projection is cached)."""
    inputs = inputs or default_inputs()
    codes = municipalities_of(region, inputs)
    results = {code: run_scenario(scenario, code, inputs, seed) for code in codes}
    return municipal_indicators(results, survey)


# --- map data ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _outlines() -> dict[str, dict]:
    """Municipal outline features by SCB code, from data/geo/municipalities.geojson."""
    with (GEO_DIR / "municipalities.geojson").open(encoding="utf-8") as file:
        collection = json.load(file)
    return {f["properties"]["id"]: f for f in collection["features"]}


def _rewound(geometry: dict) -> dict:
    """The geometry with exterior rings clockwise and holes anticlockwise, as d3-geo (Vega)
    expects; GeoJSON files (RFC 7946) use the opposite order, which d3 reads as the globe."""

    def polygon(rings: list) -> list:
        area = [sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(r)) for r in rings]
        return [r[::-1] if (area[i] > 0) == (i == 0) else r for i, r in enumerate(rings)]

    polygons = [polygon(p) for p in _polygons(geometry)]
    coords = polygons[0] if geometry["type"] == "Polygon" else polygons
    return {"type": geometry["type"], "coordinates": coords}


def map_data(indicators: pd.DataFrame, indicator: str, region: str, inputs: Inputs) -> dict:
    """A GeoJSON FeatureCollection of ``region``'s municipalities (in ``units_of`` order);
    each feature's properties carry ``id``, ``name``, ``county`` and ``value`` (None if NaN)."""
    _indicator(indicator)
    codes = municipalities_of(region, inputs)
    outlines = _outlines()
    if missing := [c for c in codes if c not in indicators.index or c not in outlines]:
        raise ValueError(f"no indicators (see indicators_for) or no outline for {missing}")
    features = []
    for code in codes:
        value = float(indicators.loc[code, indicator])
        properties = {
            "id": code,
            "name": inputs.region_name(code),
            "county": str(inputs.regions.loc[code, "parent"]),
            "value": None if math.isnan(value) else value,
        }
        geometry = _rewound(outlines[code]["geometry"])
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _size(collection: dict) -> tuple[int, int]:
    """Width and height that fit the features' Mercator extent without empty margins."""
    points = [
        xy for f in collection["features"] for poly in _polygons(f["geometry"]) for xy in poly[0]
    ]
    lons, lats = [p[0] for p in points], [p[1] for p in points]

    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    aspect = (y(max(lats)) - y(min(lats))) / max(math.radians(max(lons) - min(lons)), 1e-6)
    width = min(CHART_WIDTH, round(MAP_MAX_HEIGHT / aspect))
    return width, max(200, round(width * aspect))


def _polygons(geometry: dict) -> list:
    coords = geometry["coordinates"]
    return [coords] if geometry["type"] == "Polygon" else coords


# --- chart ---------------------------------------------------------------------------------


def map_chart(
    indicators: pd.DataFrame,
    indicator: str,
    region: str,
    inputs: Inputs,
    lang: Lang,
    selected: str | None = None,
) -> alt.TopLevelMixin:
    """Choropleth of ``indicator`` over ``region``'s municipalities; ``selected`` (a code) is
    outlined and is the initial value of the ``municipality`` point selection."""
    spec = _indicator(indicator)
    collection = map_data(indicators, indicator, region, inputs)
    codes = [f["properties"]["id"] for f in collection["features"]]
    if selected is not None and selected not in codes:
        raise ValueError(f"selected municipality {selected!r} is not in region {region!r}")
    first = indicators.loc[codes[0]]
    base, end = int(first["base_year"]), int(first["end_year"])
    label = indicator_label(indicator, lang, base, end)
    unit = t(spec.unit, lang)
    area = t("map_all_regions", lang) if region == ALL_REGIONS else inputs.region_name(region)
    if spec.diverging:
        scale = alt.Scale(scheme="redblue", domainMid=0, reverse=spec.bad_high)
    else:
        scale = alt.Scale(scheme="oranges" if spec.bad_high else "blues")
    valid = any(f["properties"]["value"] is not None for f in collection["features"])
    legend = alt.Legend(format=spec.format.lstrip("+")) if valid else None  # no figures: grey
    colour = alt.Color("value:Q", title=unit, scale=scale, legend=legend)
    suffix = json.dumps(_suffix(spec, lang))
    text = (
        f"isValid(datum.value) ? format(datum.value, '{spec.format}') + {suffix}"
        f" : {json.dumps(t('map_no_value', lang))}"
    )
    initial = [{"id": selected}] if selected else alt.Undefined
    pick = alt.selection_point(name=SELECTION, fields=["id"], toggle=False, value=initial)
    base_chart = alt.Chart(alt.Data(values=collection["features"])).transform_calculate(
        id="datum.properties.id", name="datum.properties.name", value="datum.properties.value",
        value_text=text,
    )  # fmt: skip
    shapes = (
        base_chart.mark_geoshape(stroke="white", strokeWidth=0.6, cursor="pointer", invalid="show")
        .encode(
            color=colour,
            tooltip=[
                alt.Tooltip("name:N", title=t("map_municipality", lang)),
                alt.Tooltip("value_text:N", title=label),
            ],
        )
        .add_params(pick)
    )
    outline = base_chart.transform_filter(alt.param(SELECTION, empty=False)).mark_geoshape(
        filled=False, stroke="#111111", strokeWidth=2.5
    )
    width, height = _size(collection)
    title = alt.TitleParams(
        t("map_title", lang, indicator=label, region=area),
        subtitle=indicators.attrs.get("scenario") or alt.Undefined,
    )
    chart = alt.layer(shapes, outline).project(type="mercator")
    chart = chart.properties(width=width, height=height, title=title)
    return _finish(chart, lang).configure_scale(invalid={"color": {"value": NO_DATA_COLOUR}})


def map_area(region: str, inputs: Inputs) -> tuple[str, str | None]:
    """The area a map of ``region`` shows and the municipality outlined on it: a county shows
    itself, a municipality its county (outlined), a group the county of its first member,
    the country and anything else the four northern counties ("00")."""
    regions = inputs.regions
    level = str(regions.loc[region, "level"])
    if level == "county":
        return region, None
    if level == "municipality":
        return str(regions.loc[region, "parent"]), region
    if level == "group":
        first = str(regions.loc[region, "members"]).split(";")[0].strip()
        return str(regions.loc[first, "parent"]), None
    return ALL_REGIONS, None


def selected_municipality(event: Mapping[str, Any] | None) -> str | None:
    """The code clicked on the map, from Streamlit's ``on_select`` event; None if none."""
    try:
        points = event["selection"][SELECTION]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    return str(points[0]["id"]) if points else None
