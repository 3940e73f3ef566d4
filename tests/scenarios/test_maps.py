"""The municipal map: one shape per municipality with the right values, errors, rendering."""

from __future__ import annotations

import json
from itertools import pairwise

import pandas as pd
import pytest

from forecast.balance import cumulative
from scenarios import charts, maps
from scenarios.run import run_scenario
from scenarios.spec import load_scenario

BASE, END = 2024, 2033


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline")


@pytest.fixture(scope="module")
def norrbotten(inputs, baseline) -> pd.DataFrame:
    survey = pd.Series({"2580": 1200.0, "2584": 800.0})
    return maps.indicators_for("25", baseline, inputs, survey=survey)


def values(collection: dict) -> dict[str, float | None]:
    return {f["properties"]["id"]: f["properties"]["value"] for f in collection["features"]}


def test_norrbotten_has_one_feature_per_municipality(inputs, norrbotten):
    collection = maps.map_data(norrbotten, "gap_per_1000", "25", inputs)
    assert collection["type"] == "FeatureCollection"
    ids = [f["properties"]["id"] for f in collection["features"]]
    assert ids == inputs.units_of("25")
    assert len(ids) == 14
    names = {f["properties"]["id"]: f["properties"]["name"] for f in collection["features"]}
    assert names["2580"] == "Luleå" and names["2584"] == "Kiruna"
    assert {f["geometry"]["type"] for f in collection["features"]} <= {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize("code", ["2580", "2521"])
def test_values_equal_the_hand_computed_indicators(inputs, baseline, norrbotten, code):
    ds = run_scenario(baseline, code, inputs, seed=0)
    pop = ds.population.sum("sex")
    pop_end = float(pop.sel(year=END).sum())
    gap = float(ds.gap_fte.sel(year=END).sum())
    working = pop.sel(age=slice(20, 66)).sum("age").sel(year=[BASE, END]).values
    oldest = pop.sel(age=slice(85, None)).sum("age").sel(year=[BASE, END]).values
    need = float(ds.recruitment_need.sel(year=slice(BASE, END)).sum())
    expected = {
        "gap_per_1000": 1000 * gap / pop_end,  # per 1 000 inhabitants in 2033
        "working_age_change": 100 * (working[1] / working[0] - 1),
        "oldest_growth": 100 * (oldest[1] / oldest[0] - 1),
        "recruitment_need": need,
        "recruitment_per_1000": 1000 * need / pop_end,
    }  # fmt: skip
    for indicator, value in expected.items():
        got = values(maps.map_data(norrbotten, indicator, "25", inputs))[code]
        assert got == pytest.approx(value, rel=1e-9), indicator
    assert need == pytest.approx(float(cumulative(ds.recruitment_need.sum("sector"), BASE, END)))


def test_per_1000_divides_by_the_2033_population(norrbotten):
    row = norrbotten.loc["2584"]
    assert row["gap_per_1000"] == pytest.approx(1000 * row["gap_fte"] / row["population_end"])
    assert (norrbotten["end_year"] == END).all() and (norrbotten["base_year"] == BASE).all()


def test_survey_need_is_nan_where_the_survey_has_no_figure(inputs, norrbotten):
    survey = values(maps.map_data(norrbotten, "survey_need", "25", inputs))
    assert survey["2580"] == 1200.0 and survey["2584"] == 800.0
    assert survey["2505"] is None
    json.dumps(maps.map_data(norrbotten, "survey_need", "25", inputs))  # valid JSON, no NaN


def test_all_embedded_regions_give_the_44_municipalities(inputs, baseline):
    frame = maps.indicators_for("00", baseline, inputs)
    collection = maps.map_data(frame, "oldest_growth", "00", inputs)
    ids = [f["properties"]["id"] for f in collection["features"]]
    assert len(ids) == 44 == len(set(ids))
    assert {f["properties"]["county"] for f in collection["features"]} == {"22", "23", "24", "25"}
    assert all(v is not None for v in values(collection).values())
    assert charts.chart_png(maps.map_chart(frame, "oldest_growth", "00", inputs, "en"))


def test_outer_rings_are_clockwise_for_vega(inputs, norrbotten):
    for feature in maps.map_data(norrbotten, "gap_per_1000", "25", inputs)["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        for polygon in [polygons] if geometry["type"] == "Polygon" else polygons:
            ring = polygon[0]
            area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))
            assert area < 0  # clockwise in lon/lat: d3-geo's exterior


def test_unknown_indicator_or_region_without_municipalities_is_a_clear_error(
    inputs, baseline, norrbotten
):
    with pytest.raises(ValueError, match="unknown indicator 'nope'"):
        maps.map_data(norrbotten, "nope", "25", inputs)
    with pytest.raises(ValueError, match="unknown indicator"):
        maps.map_chart(norrbotten, "nope", "25", inputs, "sv")
    with pytest.raises(ValueError, match="no municipalities"):
        maps.map_data(norrbotten, "gap_per_1000", "00X", inputs)
    with pytest.raises(ValueError, match="map its county 25"):
        maps.indicators_for("2580", baseline, inputs)
    with pytest.raises(ValueError, match="unknown region"):
        maps.municipalities_of("99", inputs)
    with pytest.raises(ValueError, match="no indicators"):
        maps.map_data(norrbotten, "gap_per_1000", "24", inputs)  # Västerbotten not computed
    with pytest.raises(ValueError, match="not in region"):
        maps.map_chart(norrbotten, "gap_per_1000", "25", inputs, "sv", selected="2480")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("indicator", ["gap_per_1000", "survey_need"])
def test_chart_renders_to_png_and_svg(inputs, norrbotten, lang, indicator):
    chart = maps.map_chart(norrbotten, indicator, "25", inputs, lang, selected="2580")
    assert charts.chart_png(chart).startswith(b"\x89PNG")
    svg = charts.chart_svg(chart)
    assert svg.lstrip().startswith("<svg") and "Norrbottens län" in svg
    assert maps.indicator_label(indicator, lang, BASE, END) in svg.replace("&amp;", "&")


def test_selected_municipality_is_in_the_spec(inputs, norrbotten):
    spec = maps.map_chart(norrbotten, "gap_per_1000", "25", inputs, "sv", "2580").to_dict()
    (param,) = spec["params"]
    assert param["name"] == "municipality"
    assert param["select"]["fields"] == ["id"]
    assert param["value"] == [{"id": "2580"}]
    outline = spec["layer"][1]
    assert {"param": "municipality", "empty": False} in [
        t.get("filter") for t in outline["transform"]
    ]
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domainMid"] == 0  # diverging around 0 for the gap
    assert spec["projection"]["type"] == "mercator"
    unselected = maps.map_chart(norrbotten, "oldest_growth", "25", inputs, "en").to_dict()
    assert "value" not in unselected["params"][0]
    assert "domainMid" not in unselected["layer"][0]["encoding"]["color"]["scale"]


def test_a_map_without_any_survey_figure_renders_grey_without_legend(inputs, baseline):
    results = {c: run_scenario(baseline, c, inputs) for c in inputs.units_of("25")}
    frame = maps.municipal_indicators(results)
    assert frame["survey_need"].isna().all()
    chart = maps.map_chart(frame, "survey_need", "25", inputs, "sv")
    assert chart.to_dict()["layer"][0]["encoding"]["color"]["legend"] is None
    assert charts.chart_svg(chart).count(maps.NO_DATA_COLOUR) >= 14


def test_selected_municipality_reads_streamlits_event():
    assert maps.selected_municipality({"selection": {"municipality": [{"id": "2584"}]}}) == "2584"
    assert maps.selected_municipality({"selection": {"municipality": {}}}) is None  # cleared
    assert maps.selected_municipality({"selection": {"municipality": []}}) is None
    assert maps.selected_municipality({"selection": {}}) is None
    assert maps.selected_municipality(None) is None


def test_boundaries_cover_every_municipality_of_the_model(inputs):
    codes = inputs.regions.index[inputs.regions.level == "municipality"]
    outlines = maps._outlines()
    assert len(outlines) == 290
    assert set(codes) <= set(outlines)
    assert all(
        outlines[c]["properties"]["lan_code"] == inputs.regions.loc[c, "parent"] for c in codes
    )
