"""Chart and table builders, on a small hand-built Dataset shaped like the runner's result."""

from __future__ import annotations

import io
import json

import altair as alt
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from scenarios import charts
from scenarios.i18n import t
from scenarios.run import run_scenario
from scenarios.spec import load_scenario

YEARS = np.arange(2024, 2034)
SECTORS = ["care", "education", "industry"]


def make_result(scenario: str, extra_fte: float = 0.0, seed: int = 0) -> xr.Dataset:
    """A run result shaped like ``run_scenario``'s: (year, sex, age) and (year, sector)."""
    rng = np.random.default_rng(seed)
    ages = np.arange(101)
    population = rng.integers(0, 2000, size=(len(YEARS), 2, len(ages))).astype(float)
    demand = rng.uniform(1000, 5000, size=(len(YEARS), len(SECTORS)))
    supply = demand - rng.uniform(-200, 400, size=demand.shape) + extra_fte
    year_sector = ("year", "sector")
    ds = xr.Dataset(
        {
            "population": (("year", "sex", "age"), population, {"units": "persons"}),
            "employed": (("year", "sex", "age"), population * 0.5, {"units": "persons"}),
            "supply_persons": (year_sector, supply * 1.1, {"units": "persons"}),
            "supply_fte": (year_sector, supply, {"units": "fte"}),
            "demand_persons": (year_sector, demand * 1.1, {"units": "persons"}),
            "demand_fte": (year_sector, demand, {"units": "fte"}),
            "gap_fte": (year_sector, demand - supply, {"units": "fte"}),
            "retirements": (year_sector, demand * 0.03, {"units": "persons"}),
            "expansion_need": (year_sector, demand * 0.02, {"units": "persons"}),
            "replacement_need": (year_sector, demand * 0.03, {"units": "persons"}),
            "recruitment_need": (year_sector, demand * 0.05, {"units": "persons"}),
            "lever_fte": (year_sector, np.full(demand.shape, extra_fte), {"units": "fte"}),
        },
        coords={"year": YEARS, "sex": ["female", "male"], "age": ages, "sector": SECTORS},
        attrs={
            "scenario": scenario,
            "region": "25",
            "region_name": "Norrbottens län",
            "seed": seed,
            "data_vintage": "test fixture",
            "base_year": 2024,
            "horizon": 2033,
        },
    )
    return ds


@pytest.fixture
def result() -> xr.Dataset:
    return make_result("baseline")


@pytest.fixture
def results() -> dict[str, xr.Dataset]:
    return {
        "A – Basscenario": make_result("baseline", seed=1),
        "B – +3 timmar": make_result("part_time_plus3", extra_fte=150.0, seed=2),
    }


def chart_rows(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """All rows of all inline datasets of a chart, as one DataFrame."""
    spec = chart.to_dict()
    frames = [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values()]
    return pd.concat(frames, ignore_index=True)


def axis_titles(spec: object) -> list[str]:
    """Every encoding title for x or y anywhere in a Vega-Lite spec."""
    found: list[str] = []
    if isinstance(spec, dict):
        encoding = spec.get("encoding", {})
        for channel in ("x", "y"):
            title = encoding.get(channel, {}).get("title")
            if title:
                found.append(title)
        for value in spec.values():
            found.extend(axis_titles(value))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(axis_titles(item))
    return found


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_pyramid_has_both_sexes_and_both_years(result, lang):
    rows = chart_rows(charts.pyramid_chart(result, lang))
    assert set(rows["sex"]) == {"female", "male"}
    assert set(rows["year"]) == {2024, 2033}
    assert set(rows["sex_label"]) == {t("female", lang), t("male", lang)}


def test_pyramid_data_matches_the_population(result):
    df = charts.pyramid_data(result, "sv")
    row = df[(df["year"] == 2033) & (df["sex"] == "male") & (df["age"] == 40)]
    assert row["persons"].item() == result["population"].sel(year=2033, sex="male", age=40)
    assert len(df) == 2 * 2 * 101


def test_key_figures_equal_direct_sums(result):
    table = charts.key_figures_table(result, "en").set_index("Age group")
    pop = result["population"].values  # (year, sex, age)
    base, end = 0, list(YEARS).index(2033)

    def direct(year_index: int, low: int, high: int) -> float:
        return float(pop[year_index, :, low : high + 1].sum())

    for label, low, high in [
        ("Total", 0, 100),
        ("0–19", 0, 19),
        ("20–66", 20, 66),
        ("67+", 67, 100),
        ("80+", 80, 100),
        ("85+", 85, 100),
    ]:
        assert table.loc[label, "2024"] == pytest.approx(direct(base, low, high))
        assert table.loc[label, "2033"] == pytest.approx(direct(end, low, high))
        change = direct(end, low, high) - direct(base, low, high)
        assert table.loc[label, "Change (persons)"] == pytest.approx(change)
        assert table.loc[label, "Change (%)"] == pytest.approx(
            100 * change / direct(base, low, high)
        )


def test_key_figures_headers_follow_language(result):
    assert list(charts.key_figures_table(result, "sv").columns) == [
        "Åldersgrupp",
        "2024",
        "2033",
        "Förändring (personer)",
        "Förändring (%)",
    ]


def test_key_figures_use_2033_when_horizon_is_later(result):
    longer = result.reindex(year=np.arange(2024, 2036), method="ffill")
    longer["population"].loc[{"year": 2035}] = 0.0
    table = charts.key_figures_table(longer, "en")
    assert "2033" in table.columns
    assert table.loc[0, "2033"] == pytest.approx(float(result["population"].sel(year=2033).sum()))


@pytest.mark.parametrize("sector", [None, "care"])
def test_supply_demand_chart_contains_both_scenarios(results, sector):
    rows = chart_rows(charts.supply_demand_chart(results, sector, "sv"))
    assert set(rows["scenario"]) == set(results)
    assert set(rows["measure"]) == {"Efterfrågan", "Tillgång"}
    ds = results["B – +3 timmar"]
    expected = ds["supply_fte"].sel(year=2030)
    expected = expected.sum("sector") if sector is None else expected.sel(sector=sector)
    got = rows[
        (rows["scenario"] == "B – +3 timmar")
        & (rows["measure"] == "Tillgång")
        & (rows["year"] == 2030)
    ]["value"]
    assert got.item() == pytest.approx(float(expected))


def test_supply_demand_in_persons_reads_the_persons_variables(results):
    df = charts.supply_demand_data(results, None, "en", unit="persons")
    ds = results["B – +3 timmar"]
    got = df[(df.scenario == "B – +3 timmar") & (df.measure == "Demand") & (df.year == 2030)]
    assert got.value.item() == pytest.approx(float(ds["demand_persons"].sel(year=2030).sum()))
    chart = charts.supply_demand_chart(results, None, "en", unit="persons").to_dict()
    assert chart["encoding"]["y"]["title"] == "Persons"


def test_supply_demand_rejects_unknown_sector(results):
    with pytest.raises(ValueError, match="unknown sector 'mining'"):
        charts.supply_demand_data(results, "mining", "sv")


def test_gap_chart_contains_both_scenarios_and_totals(results):
    rows = chart_rows(charts.gap_chart(results, "sv"))
    gaps = rows.dropna(subset=["scenario"])
    assert set(gaps["scenario"]) == set(results)
    for name, ds in results.items():
        series = gaps[gaps["scenario"] == name].set_index("year")["gap_fte"]
        np.testing.assert_allclose(series.loc[YEARS].to_numpy(), ds["gap_fte"].sum("sector").values)


def test_gap_table_keeps_scenario_order(results):
    table = charts.gap_table(results, "en", sector="care")
    assert list(table.columns) == ["Year", *results]
    assert table.iloc[-1, 1] == pytest.approx(
        float(results["A – Basscenario"]["gap_fte"].sel(year=2033, sector="care"))
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_axis_titles_carry_units(result, results, lang):
    unit_persons = "personer" if lang == "sv" else "persons"
    unit_fte = "heltidsekvivalenter" if lang == "sv" else "full-time equivalents"
    pyramid = axis_titles(charts.pyramid_chart(result, lang).to_dict())
    assert any(unit_persons in title.lower() for title in pyramid)
    for chart in (charts.supply_demand_chart(results, None, lang), charts.gap_chart(results, lang)):
        titles = [title.lower() for title in axis_titles(chart.to_dict())]
        assert any(unit_fte in title for title in titles), titles
        year_word = "år" if lang == "sv" else "year"
        assert year_word in titles


def test_charts_use_swedish_number_locale(results):
    spec = charts.gap_chart(results, "sv").to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "\u00a0"
    english = charts.gap_chart(results, "en").to_dict()
    assert english["config"]["locale"]["number"]["thousands"] == ","


def test_png_export_has_png_magic_bytes(results):
    png = charts.chart_png(charts.gap_chart(results, "sv"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_export_is_svg_with_swedish_numbers(results, result):
    svg = charts.chart_svg(charts.supply_demand_chart(results, None, "sv"))
    assert "<svg" in svg
    assert "Heltidsekvivalenter" in svg
    # Axis ticks in the thousands are grouped with a no-break space, never a comma.
    assert "\u00a0000" in svg or "&#160;000" in svg
    assert "<svg" in charts.chart_svg(charts.pyramid_chart(result, "en"))


def test_table_csv_follows_language(result):
    table = charts.key_figures_table(result, "sv")
    sv = charts.table_csv(table, "sv").decode("utf-8-sig")
    assert sv.splitlines()[0] == "Åldersgrupp;2024;2033;Förändring (personer);Förändring (%)"
    parsed = pd.read_csv(io.StringIO(sv), sep=";", decimal=",")
    np.testing.assert_allclose(parsed["2033"], table["2033"])
    en = charts.table_csv(charts.key_figures_table(result, "en"), "en").decode("utf-8-sig")
    assert en.splitlines()[0] == "Age group,2024,2033,Change (persons),Change (%)"


def test_format_table_shows_swedish_numbers():
    df = pd.DataFrame({"År": [2024], "Antal": [12345.0], "Förändring (%)": [-1.25]})
    html = charts.format_table(df, "sv").to_html()
    assert "2024" in html and "2\u00a0024" not in html
    assert "12\u00a0345" in html
    assert "\u22121,2\u00a0%" in html or "\u22121,3\u00a0%" in html


def test_fan_data_orders_the_bands_and_starts_at_the_observed_base():
    draws = run_scenario(load_scenario("baseline"), "2580", draws=20, seed=1)
    df = charts.fan_data(draws)
    assert list(df.columns) == ["year", "p025", "p10", "p50", "p90", "p975"]
    first = df.iloc[0]
    assert first.p025 == first.p975  # the base year is observed, the same in every draw
    assert (df.p025 <= df.p10).all() and (df.p90 <= df.p975).all()
    chart = charts.fan_chart(draws, "en").to_dict()
    assert "Population 2024–2033" in json.dumps(chart["title"], ensure_ascii=False)


def test_lever_data_has_one_row_per_lever_and_none_without_levers():
    results = {
        "A": run_scenario(load_scenario("baseline"), "2580"),
        "B": run_scenario(load_scenario("skr_package"), "2580"),
    }
    df = charts.lever_data(results, "sv")
    assert list(df.scenario) == ["B", "B"]
    assert set(df.lever) == {"Längre arbetsliv", "Fler timmar för deltidare"}
    assert (df.fte > 0).all()
    assert charts.lever_data({"A": results["A"]}, "en").empty
    table = charts.lever_table(results, "en")
    assert list(table.columns) == ["Scenario", "Lever", "Full-time equivalents (FTE)"]


def test_excel_download_keeps_the_numbers():
    table = pd.DataFrame({"Åldersgrupp": ["Totalt", "85+"], "2033": [243_792.4, 11_745.0]})
    back = pd.read_excel(io.BytesIO(charts.table_xlsx(table, "nyckeltal")), sheet_name="nyckeltal")
    pd.testing.assert_frame_equal(back, table)
