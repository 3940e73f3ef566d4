"""Comparison charts and tables, on small hand-built Datasets shaped like the runner's result."""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from scenarios import charts
from scenarios.charts_compare import (
    age_group_fan_chart,
    age_group_fan_data,
    compare_chart,
    compare_data,
    compare_table,
    waterfall_chart,
    waterfall_data,
    waterfall_inputs,
)
from scenarios.i18n import t, vega_locale

YEARS = np.arange(2024, 2031)
SECTORS = ["care", "school", "industry"]
AGES = np.arange(101)
YEAR_SECTOR = ("year", "sector")
FLOWS = ("retirements", "expansion_need", "replacement_need", "recruitment_need")


def make_result(seed: int = 0, draws: int = 0, lever_fte: float = 0.0) -> xr.Dataset:
    """A Result with population (year, sex, age) and sector variables, optionally with draws."""
    rng = np.random.default_rng(seed)
    lead = (draws,) if draws else ()
    lead_dim = ("draw",) if draws else ()
    population = rng.integers(0, 500, size=(*lead, len(YEARS), 2, len(AGES))).astype(float)
    demand = rng.uniform(1000, 5000, size=(*lead, len(YEARS), len(SECTORS)))
    supply = demand - rng.uniform(-200, 400, size=demand.shape) + lever_fte
    data = {
        "population": ((*lead_dim, "year", "sex", "age"), population, {"units": "persons"}),
        "supply_fte": ((*lead_dim, *YEAR_SECTOR), supply, {"units": "fte"}),
        "demand_fte": ((*lead_dim, *YEAR_SECTOR), demand, {"units": "fte"}),
        "gap_fte": ((*lead_dim, *YEAR_SECTOR), demand - supply, {"units": "fte"}),
        "lever_fte": (
            (*lead_dim, *YEAR_SECTOR),
            np.full(demand.shape, lever_fte),
            {"units": "fte"},
        ),
    }
    for flow in FLOWS:
        values = demand * rng.uniform(0.01, 0.05, size=demand.shape)
        data[flow] = ((*lead_dim, *YEAR_SECTOR), values, {"units": "persons"})
    coords = {"year": YEARS, "sex": ["female", "male"], "age": AGES, "sector": SECTORS}
    if draws:
        coords["draw"] = np.arange(draws)
    return xr.Dataset(data, coords=coords, attrs={"base_year": 2024, "horizon": 2030})


@pytest.fixture
def two() -> dict[str, xr.Dataset]:
    return {"A – Bas": make_result(1), "B – Åtgärder": make_result(2, lever_fte=100.0)}


@pytest.fixture
def with_draws() -> dict[str, xr.Dataset]:
    return {"A – Bas": make_result(3, draws=9), "B – Åtgärder": make_result(4, draws=9)}


def chain_holds(df: pd.DataFrame, scenario_gap: float) -> None:
    """Each change bar starts where the previous bar ended; the end is the scenario gap."""
    assert df["kind"].iloc[0] == "total" and df["kind"].iloc[-1] == "total"
    assert list(df["order"]) == list(range(len(df)))
    assert df["end"].iloc[0] == df["value"].iloc[0]
    for previous, current in zip(df["end"].iloc[:-2], df["start"].iloc[1:-1], strict=True):
        assert current == previous
    assert df["end"].iloc[-2] == scenario_gap
    assert df["start"].iloc[-1] == 0.0 and df["end"].iloc[-1] == scenario_gap


# --- waterfall ---------------------------------------------------------------------------


def test_waterfall_chains_and_shows_other_effects_when_needed():
    levers = {"working_life": 120.4, "migration": 310.15, "part_time_hours": 55.55}
    df = waterfall_data(2_000.3, levers, 1_700.7, "sv")
    chain_holds(df, 1_700.7)
    assert list(df["key"]) == ["without", *levers, "other", "with"]
    assert list(df["label"]) == [
        "Brist utan åtgärder",
        "Längre arbetsliv",
        "Inflyttning",
        "Fler timmar för deltidare",
        "Övriga effekter (t.ex. nya invånares behov av välfärd)",
        "Brist med åtgärder",
    ]
    steps = df.set_index("key")
    for lever, fte in levers.items():
        assert steps.loc[lever, "value"] == -fte
        assert steps.loc[lever, "end"] - steps.loc[lever, "start"] == pytest.approx(-fte)
        assert steps.loc[lever, "kind"] == "decrease"
    other = 1_700.7 - (2_000.3 - sum(levers.values()))
    assert steps.loc["other", "value"] == pytest.approx(other)
    assert steps.loc["other", "kind"] == "increase"
    assert steps.loc["with", "value"] == 1_700.7


@pytest.mark.parametrize("residual", [0.0, 0.3, -0.49])
def test_waterfall_hides_other_effects_below_half_an_fte(residual):
    levers = {"working_life": 100.0, "sick_leave": 23.0}
    scenario_gap = 1_000.0 - 123.0 + residual
    df = waterfall_data(1_000.0, levers, scenario_gap, "en")
    assert "other" not in set(df["key"])
    chain_holds(df, scenario_gap)
    assert df["label"].iloc[0] == "Gap without measures"
    assert df["label"].iloc[-1] == "Gap with measures"


def test_waterfall_shows_other_effects_at_half_an_fte_and_without_levers():
    df = waterfall_data(500.0, {}, 499.5, "en")
    assert list(df["key"]) == ["without", "other", "with"]
    assert df["kind"].iloc[1] == "decrease"
    chain_holds(df, 499.5)


def test_waterfall_counts_a_negative_lever_as_an_increase():
    df = waterfall_data(100.0, {"validation": -20.0}, 120.0, "sv").set_index("key")
    assert df.loc["validation", "kind"] == "increase"
    assert df.loc["validation", "value_text"] == "+20"
    assert df.loc["validation", "kind_label"] == "Ökar bristen"


def test_waterfall_inputs_sum_sectors_and_skip_no_lever():
    baseline, scenario = make_result(1), make_result(2, lever_fte=10.0)
    by_lever = xr.concat(
        [scenario["lever_fte"] * 0.25, scenario["lever_fte"] * 0.75], dim="lever"
    ).assign_coords(lever=["working_life", "validation"])
    scenario["lever_fte_by_lever"] = by_lever
    gap, levers, with_measures = waterfall_inputs(baseline, scenario)
    assert gap == pytest.approx(float(baseline["gap_fte"].sel(year=2030).sum()))
    assert with_measures == pytest.approx(float(scenario["gap_fte"].sel(year=2030).sum()))
    assert levers == pytest.approx({"working_life": 7.5, "validation": 22.5})
    assert waterfall_inputs(baseline, baseline, 2026)[1] == {}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_waterfall_chart_titles_and_units(lang):
    chart = waterfall_chart(900.0, {"education": 40.0, "shared_services": 12.0}, 820.0, lang, 2033)
    spec = chart.to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert t("waterfall_title", lang, year=2033) in text
    assert t("lever_education", lang) in text and t("lever_shared_services", lang) in text
    unit = "heltidsekvivalenter (årsarbetare)" if lang == "sv" else "full-time equivalents (fte)"
    assert any(unit in title.lower() for title in axis_titles(spec))
    assert spec["config"]["locale"]["number"]["decimal"] == ("," if lang == "sv" else ".")


# --- age-group fans ----------------------------------------------------------------------


def test_age_group_fan_data_bands_per_group(with_draws):
    draws = with_draws["A – Bas"]
    df = age_group_fan_data(draws, "sv")
    assert list(df["group"].unique()) == ["0-19", "20-66", "67+", "85+"]
    assert list(df["group_label"].unique()) == ["0–19 år", "20–66 år", "67+ år", "85+ år"]
    assert (df.p025 <= df.p10).all() and (df.p10 <= df.p50).all() and (df.p90 <= df.p975).all()
    old = draws["population"].sel(age=slice(85, 100)).sum(["sex", "age"]).sel(year=2028)
    row = df[(df["group"] == "85+") & (df["year"] == 2028)]
    assert row["p50"].item() == pytest.approx(float(old.median("draw")))


def test_age_group_fan_needs_draws(two):
    with pytest.raises(ValueError, match="draw"):
        age_group_fan_chart(two["A – Bas"], "sv")


def test_age_group_fan_has_independent_scales(with_draws):
    spec = age_group_fan_chart(with_draws["A – Bas"], "en").to_dict()
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert "Population by age group 2024–2030" in spec["title"]


# --- scenarios side by side --------------------------------------------------------------


@pytest.mark.parametrize("variable", ["gap_fte", "recruitment_need", "supply_fte", "demand_fte"])
def test_compare_data_totals_equal_sector_sums(two, variable):
    df = compare_data(two, variable, "sv")
    assert list(df["scenario"].unique()) == list(two)
    assert list(df.columns) == ["scenario", "year", "value"]
    for name, ds in two.items():
        series = df[df["scenario"] == name].set_index("year")["value"]
        assert list(series.index) == list(YEARS)
        np.testing.assert_allclose(series.to_numpy(), ds[variable].sum("sector").values)


def test_compare_data_bands_only_with_draws(two, with_draws):
    df = compare_data(with_draws, "gap_fte", "sv")
    assert {"p10", "p90"} <= set(df.columns)
    assert (df["p10"] <= df["value"]).all() and (df["value"] <= df["p90"]).all()
    ds = with_draws["B – Åtgärder"]
    median = ds["gap_fte"].sum("sector").median("draw").sel(year=2027)
    got = df[(df["scenario"] == "B – Åtgärder") & (df["year"] == 2027)]["value"]
    assert got.item() == pytest.approx(float(median))
    mixed = compare_data({"central": two["A – Bas"], "draws": with_draws["A – Bas"]}, "gap_fte")
    assert mixed[mixed["scenario"] == "central"]["p10"].isna().all()
    assert mixed[mixed["scenario"] == "draws"]["p10"].notna().all()


def test_compare_checks_its_inputs(two):
    with pytest.raises(ValueError, match="sector variable"):
        compare_data(two, "population", "sv")
    five = {str(i): two["A – Bas"] for i in range(5)}
    with pytest.raises(ValueError, match="1–4"):
        compare_data(five, "gap_fte", "sv")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_compare_chart_titles_follow_language(two, with_draws, lang):
    spec = compare_chart(two, "recruitment_need", lang).to_dict()
    text = json.dumps(spec["title"], ensure_ascii=False)
    expected = "Rekryteringsbehov i alla sektorer" if lang == "sv" else "Recruitment need over all"
    assert expected in text
    assert any(("personer" if lang == "sv" else "persons") in s for s in axis_titles(spec))
    layers = compare_chart(with_draws, "gap_fte", lang).to_dict()["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rule", "area", "line"]


# --- table -------------------------------------------------------------------------------


def test_compare_table_matches_hand_sums(two):
    table = compare_table(two, "sv", 2029, [(2024, 2026), (2027, 2030)])
    assert list(table.columns) == [
        "Scenario",
        "Brist 2029 (årsarbetare)",
        "Tillgång 2029 (årsarbetare)",
        "Efterfrågan 2029 (årsarbetare)",
        "Folkmängd 2029 (personer)",
        "Rekryteringsbehov 2024–2026 (personer)",
        "Pensioneringar 2024–2026 (personer)",
        "Rekryteringsbehov 2027–2030 (personer)",
        "Pensioneringar 2027–2030 (personer)",
    ]
    row = table.set_index("Scenario").loc["B – Åtgärder"]
    ds = two["B – Åtgärder"]
    years = list(YEARS)
    need = ds["recruitment_need"].values  # (year, sector)
    hand = sum(need[years.index(y), s] for y in (2024, 2025, 2026) for s in range(3))
    assert row["Rekryteringsbehov 2024–2026 (personer)"] == pytest.approx(hand)
    retired = ds["retirements"].values
    hand = sum(retired[years.index(y), s] for y in range(2027, 2031) for s in range(3))
    assert row["Pensioneringar 2027–2030 (personer)"] == pytest.approx(hand)
    gap = ds["gap_fte"].values[years.index(2029)].sum()
    assert row["Brist 2029 (årsarbetare)"] == pytest.approx(gap)
    population = ds["population"].values[years.index(2029)].sum()
    assert row["Folkmängd 2029 (personer)"] == pytest.approx(population)


def test_compare_table_takes_medians_over_draws_in_english(with_draws):
    table = compare_table(with_draws, "en", 2030, [(2025, 2030)])
    assert "Shortage 2030 (FTE)" in table.columns
    assert "Recruitment need 2025–2030 (persons)" in table.columns
    ds = with_draws["A – Bas"]
    need = ds["recruitment_need"].sel(year=slice(2025, 2030)).sum(["year", "sector"])
    got = table.set_index("Scenario").loc["A – Bas", "Recruitment need 2025–2030 (persons)"]
    assert got == pytest.approx(float(need.median("draw")))


def test_compare_table_rejects_years_outside_the_run(two):
    with pytest.raises(ValueError):
        compare_table(two, "sv", 2040, [])
    with pytest.raises(ValueError):
        compare_table(two, "sv", 2030, [(2020, 2030)])


# --- rendering ---------------------------------------------------------------------------


def axis_titles(spec: object) -> list[str]:
    """Every x or y encoding title anywhere in a Vega-Lite spec, lower-cased."""
    found: list[str] = []
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            title = spec.get("encoding", {}).get(channel, {}).get("title")
            if title:
                found.append(title.lower())
        for value in spec.values():
            found.extend(axis_titles(value))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(axis_titles(item))
    return found


def every_chart(two, with_draws, lang) -> dict[str, alt.TopLevelMixin]:
    levers = {"working_life": 80.0, "migration": 150.0}
    return {
        "waterfall": waterfall_chart(1_200.0, levers, 1_010.0, lang, 2030),
        "fans": age_group_fan_chart(with_draws["A – Bas"], lang),
        "compare": compare_chart(two, "gap_fte", lang),
        "compare_draws": compare_chart(with_draws, "supply_fte", lang),
    }


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_chart_renders_to_png_and_svg(two, with_draws, lang):
    titles = {
        "sv": ["Från brist utan", "Befolkning per åldersgrupp", "Brist i alla sektorer"],
        "en": ["From the gap without", "Population by age group", "Shortage over all sectors"],
    }
    year_word = "år" if lang == "sv" else "year"
    for name, chart in every_chart(two, with_draws, lang).items():
        png = charts.chart_png(chart, scale=1.0)
        assert png.startswith(b"\x89PNG\r\n\x1a\n"), name
        svg = charts.chart_svg(chart)
        assert "<svg" in svg, name
        spec = chart.to_dict()
        assert spec["config"]["locale"] == vega_locale(lang)
        if name != "waterfall":
            assert year_word in axis_titles(spec), name
    rendered = " ".join(
        json.dumps(chart.to_dict()["title"], ensure_ascii=False)
        for chart in every_chart(two, with_draws, lang).values()
    )
    for title in titles[lang]:
        assert title in rendered
    other = "en" if lang == "sv" else "sv"
    for title in titles[other]:
        assert title not in rendered
