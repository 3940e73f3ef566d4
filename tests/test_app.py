"""The Streamlit explorer, driven through AppTest against the real inputs and runner."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from forecast.inputs import InputError
from scenarios.run import run_scenario
from scenarios.spec import load_scenario

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(autouse=True)
def fresh_caches():
    """Streamlit caches live in the process: clear them so patched loaders are really called."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def start() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def charts_of(at: AppTest) -> list[dict]:
    """Each Vega-Lite chart's spec, with its inline datasets decoded into ``_rows``."""
    specs = []
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        frames = [
            pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets
        ]
        spec["_rows"] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        specs.append(spec)
    return specs


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def chart_titled(at: AppTest, words: str) -> dict:
    """The one chart whose title contains `words`."""
    found = [
        c for c in charts_of(at) if words in json.dumps(c.get("title", ""), ensure_ascii=False)
    ]
    assert len(found) == 1, [c.get("title") for c in charts_of(at)]
    return found[0]


def metric(at: AppTest, label_start: str) -> float:
    """A metric's value as a number (Swedish or English formatting)."""
    found = [m for m in at.metric if m.label.startswith(label_start)]
    assert found, [m.label for m in at.metric]
    text = found[0].value.replace("\u00a0", "").replace(",", ".").replace("\u2212", "-")
    return float(text.rstrip("%").replace(" ", ""))


TABS_SV = ["Översikt", "Befolkning", "Tillgång och efterfrågan", "Åtgärder", "Jämför scenarier",
           "Lokalt underlag", "Data och källor"]  # fmt: skip


def test_runs_in_swedish_by_default():
    at = start()
    assert_clean(at)
    assert at.sidebar.radio(key="lang").value == "sv"
    assert at.title[0].value.startswith("Kompetensförsörjning")
    assert [tab.label for tab in at.tabs] == TABS_SV
    # pyramid, population fan, age-group fans, supply/demand, gap, comparison, B's levers
    # (the country's map waits for its toggle)
    assert len(at.get("vega_lite_chart")) == 7
    labels = [button.label for button in at.get("download_button")]
    assert labels.count("Ladda ned PNG") == 7
    assert labels.count("Ladda ned SVG") == 7
    assert at.sidebar.selectbox(key="a").value == "baseline"
    assert at.sidebar.selectbox(key="b").value == "part_time_plus3"
    assert at.sidebar.selectbox(key="region").options[0] == "Riket (00)"
    assert at.info[0].value.startswith("Slå på minst en åtgärd")  # the lever builder waits


def test_overview_gives_key_figures_and_plain_sentences():
    at = start()
    at.sidebar.selectbox(key="region").select("25").run()
    assert_clean(at)
    expected = run_scenario(load_scenario("baseline"), "25")
    assert metric(at, "Brist 2033 (årsarbetare)") == pytest.approx(
        float(expected.gap_fte.sel(year=2033).sum()), abs=0.5
    )
    assert metric(at, "Rekryteringsbehov 2024–2033") == pytest.approx(
        float(expected.recruitment_need.sum()), abs=0.5
    )
    oldest = expected.population.sum("sex").sel(age=slice(85, None)).sum("age")
    change = (float(oldest.sel(year=2033)) / float(oldest.sel(year=2024)) - 1) * 100
    assert metric(at, "85 år och äldre") == pytest.approx(change, abs=0.05)
    text = "\n".join(m.value for m in at.markdown)
    assert "Fram till 2033 behöver" in text and "rekryteras i välfärden" in text
    assert "Behovet av personal i äldreomsorgen förändras med" in text


def test_switching_to_english_changes_labels_and_keeps_choices():
    at = start()
    at.sidebar.selectbox(key="region").select("25").run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value.startswith("Workforce")
    assert [tab.label for tab in at.tabs] == [
        "Overview", "Population", "Supply and demand", "Levers", "Compare scenarios",
        "Local evidence", "Data and sources",
    ]  # fmt: skip
    assert at.sidebar.selectbox(key="region").label == "Area"
    assert at.sidebar.selectbox(key="region").value == "25"
    assert "Download PNG" in [button.label for button in at.get("download_button")]
    assert any(m.label.startswith("Shortage 2033 (FTE)") for m in at.metric)


def test_region_25_with_both_presets_shows_population_and_supply_demand():
    at = start()
    at.sidebar.selectbox(key="region").select("25")
    at.sidebar.selectbox(key="a").select("baseline")
    at.sidebar.selectbox(key="b").select("part_time_plus3")
    at.sidebar.number_input(key="seed").set_value(7)
    at.run()
    assert_clean(at)
    assert not any("Jämtland" in i.value for i in at.info)  # Norrbotten is well covered

    expected = run_scenario(load_scenario("baseline"), "25", seed=7)
    pyramid = chart_titled(at, "Befolkning efter ålder och kön")
    assert set(pyramid["_rows"]["sex"]) == {"female", "male"}
    assert set(pyramid["_rows"]["year"]) == {2024, 2033}
    key_figures = at.dataframe[0].value.set_index("Åldersgrupp")
    total = expected["population"].sum(["sex", "age"])
    assert key_figures.loc["Totalt", "2024"] == pytest.approx(float(total.sel(year=2024)))
    assert key_figures.loc["Totalt", "2033"] == pytest.approx(float(total.sel(year=2033)))

    # The fans: 100 draws of the total population and of the age groups, bands in order.
    fans = [c for c in charts_of(at) if "p50" in c["_rows"]]
    assert len(fans) == 2
    bands = fans[0]["_rows"].dropna(subset=["p50"]).set_index("year")
    assert (bands.p025 <= bands.p10).all() and (bands.p10 <= bands.p50).all()
    assert (bands.p50 <= bands.p90).all() and (bands.p90 <= bands.p975).all()
    assert bands.loc[2033, "p10"] < bands.loc[2033, "p90"]

    # Supply and demand: both scenarios, in FTE, totals over sectors.
    supply_demand = chart_titled(at, "Efterfrågan på och tillgång")
    names = set(supply_demand["_rows"]["scenario"])
    assert names == {"A – Basscenario", f"B – {load_scenario('part_time_plus3').title_sv}"}
    assert "Heltidsekvivalenter" in supply_demand["encoding"]["y"]["title"]
    rows = supply_demand["_rows"]
    demand = rows[(rows["scenario"] == "A – Basscenario") & (rows["measure"] == "Efterfrågan")]
    assert demand.set_index("year")["value"].loc[2033] == pytest.approx(
        float(expected["demand_fte"].sel(year=2033).sum())
    )

    # The comparison's lever chart: scenario B's one lever, with its FTE in 2033.
    part_time = run_scenario(load_scenario("part_time_plus3"), "25", seed=7)
    levers = [c for c in charts_of(at) if "fte" in c["_rows"] and "lever" in c["_rows"]]
    lever_rows = levers[0]["_rows"].dropna(subset=["fte"])
    assert list(lever_rows["lever"]) == ["Fler timmar för deltidare"]
    assert float(lever_rows["fte"].iloc[0]) == pytest.approx(
        float(part_time["lever_fte"].sel(year=2033).sum())
    )

    # Data and sources: what was run, on which data, with which seed.
    data_text = "\n".join(m.value for m in at.markdown)
    assert "Norrbottens län (25)" in data_text
    assert "`baseline`" in data_text and "`part_time_plus3`" in data_text
    assert "Slumpfrö:** 7" in data_text
    assert "data/SOURCES.md" in data_text


def test_sector_selector_and_persons_show_one_sector():
    at = start()
    at.selectbox(key="sector").select("elderly_care").run()
    assert_clean(at)
    supply_demand = chart_titled(at, "Efterfrågan på och tillgång")
    assert "Äldreomsorg" in json.dumps(supply_demand["title"], ensure_ascii=False)
    expected = run_scenario(load_scenario("baseline"), "00", seed=0)
    rows = supply_demand["_rows"]
    supply = rows[(rows["scenario"] == "A – Basscenario") & (rows["measure"] == "Tillgång")]
    assert supply.set_index("year")["value"].loc[2030] == pytest.approx(
        float(expected["supply_fte"].sel(year=2030, sector="elderly_care"))
    )
    at.radio(key="unit").set_value("persons").run()
    rows = chart_titled(at, "Efterfrågan på och tillgång")["_rows"]
    demand = rows[(rows["scenario"] == "A – Basscenario") & (rows["measure"] == "Efterfrågan")]
    assert demand.set_index("year")["value"].loc[2030] == pytest.approx(
        float(expected["demand_persons"].sel(year=2030, sector="elderly_care"))
    )


def test_recruitment_table_sums_the_chosen_period():
    at = start()
    at.sidebar.selectbox(key="region").select("2580").run()
    at.select_slider(key="period").set_value((2026, 2027)).run()
    assert_clean(at)
    expected = run_scenario(load_scenario("baseline"), "2580")
    need = float(expected.recruitment_need.sel(year=[2026, 2027]).sum())
    tables = [d.value for d in at.dataframe if "Rekryteringsbehov 2026–2027 (personer)" in d.value]
    assert tables
    assert float(tables[0]["Rekryteringsbehov 2026–2027 (personer)"].iloc[-1]) == pytest.approx(
        need, abs=len(expected.sector) + 1
    )


def test_a_lever_change_changes_the_gap_and_the_waterfall():
    at = start()
    at.sidebar.selectbox(key="region").select("25").run()
    at.toggle(key="on_part_time_hours").set_value(True).run()
    assert_clean(at)
    without = metric(at, "Brist 2033 utan åtgärder")
    with_three = metric(at, "Brist 2033 med åtgärderna")
    assert with_three < without
    waterfall = chart_titled(at, "brist utan åtgärder")
    assert "Fler timmar för deltidare" in set(waterfall["_rows"]["label"])
    at.slider(key="part_time_hours.extra_hours").set_value(6.0).run()
    assert_clean(at)
    assert metric(at, "Brist 2033 med åtgärderna") < with_three
    assert at.query_params["part_time_hours.extra_hours"] == "6"
    assert "part_time_hours" in at.query_params["levers"]
    assert "Ladda ned scenariofilen eget_scenario.toml" in [
        b.label for b in at.get("download_button")
    ]


def test_impossible_lever_values_give_a_friendly_message():
    at = start()
    at.toggle(key="on_working_life").set_value(True).run()
    at.slider(key="working_life.min_exit_age").set_value(68.0).run()
    assert not at.exception
    assert len(at.warning) == 1
    assert "De valda värdena går inte ihop" in at.warning[0].value
    assert "must be below target_age" in at.warning[0].value


def test_comparing_three_scenarios_side_by_side():
    at = start()
    at.sidebar.selectbox(key="region").select("2580").run()
    at.multiselect(key="cmp").set_value(["baseline", "part_time_plus3", "skr_package"]).run()
    assert_clean(at)
    comparison = [c for c in charts_of(at) if "value" in c["_rows"] and "p50" not in c["_rows"]]
    scenarios = {n for c in comparison if "scenario" in c["_rows"] for n in c["_rows"]["scenario"]}
    assert {"Basscenario", load_scenario("skr_package").title_sv} <= scenarios
    assert at.query_params["cmp"] == "baseline,part_time_plus3,skr_package"


def test_thinly_covered_region_shows_coverage_note():
    at = start()
    at.sidebar.selectbox(key="region").select("2380").run()
    assert_clean(at)
    notes = [i.value for i in at.info if "Jämtland" in i.value]
    assert len(notes) == 1


def test_unreadable_inputs_show_error_and_rebuild_hint():
    broken = InputError("data/derived/regions.csv: file is missing")
    with mock.patch("forecast.inputs.read_inputs", side_effect=broken):
        at = start()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "data/derived/regions.csv: file is missing" in message
    assert "Kör `python data/build.py` för att återskapa härledda filer" in message
    assert not at.tabs  # the app stopped


def test_failed_run_shows_message_not_traceback():
    with mock.patch(
        "scenarios.run.run_scenario", side_effect=ValueError("horizon before base year")
    ):
        at = start()
    assert not at.exception
    assert [e.value for e in at.error] == ["Scenariot kunde inte köras: horizon before base year"]
    assert not at.tabs


def test_the_url_holds_the_view_and_reopens_it():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(lang="en", region="2580", a="baseline", b="skr_package", seed="3")
    at.run()
    assert_clean(at)
    assert at.sidebar.radio(key="lang").value == "en"
    assert at.sidebar.selectbox(key="region").value == "2580"
    assert at.sidebar.selectbox(key="b").value == "skr_package"
    assert at.sidebar.number_input(key="seed").value == 3
    at.sidebar.selectbox(key="region").select("25").run()
    assert at.query_params["region"] == "25" and at.query_params["b"] == "skr_package"
    labels = [button.label for button in at.get("download_button")]
    assert "Download Excel" in labels
    assert "Download the scenario file skr_package.toml" in labels


def test_lever_values_in_the_url_reopen_the_own_scenario():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(
        region="25", levers="part_time_hours,sick_leave", **{"part_time_hours.extra_hours": "4.5"}
    )
    at.run()
    assert_clean(at)
    assert at.toggle(key="on_part_time_hours").value and at.toggle(key="on_sick_leave").value
    assert not at.toggle(key="on_migration").value
    assert at.slider(key="part_time_hours.extra_hours").value == 4.5
    assert metric(at, "Brist 2033 med åtgärderna") < metric(at, "Brist 2033 utan åtgärder")


def test_unknown_values_in_the_url_fall_back_to_the_defaults():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(lang="fi", region="9999", a="nope", seed="-4")
    at.run()
    assert_clean(at)
    assert at.sidebar.radio(key="lang").value == "sv"
    assert at.sidebar.selectbox(key="region").value == "00"
    assert at.sidebar.selectbox(key="a").value == "baseline"
    assert at.sidebar.number_input(key="seed").value == 0


def test_local_evidence_shows_the_survey_beside_the_model_and_the_targets():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(region="25")
    at.run()
    assert_clean(at)
    tables = [d.value for d in at.dataframe if "Enkät: rekryteringsbehov (personer)" in d.value]
    assert tables and float(tables[0]["Enkät: rekryteringsbehov (personer)"].iloc[0]) == 4400
    expected = run_scenario(load_scenario("baseline"), "25")
    welfare = [s for s in expected.sector.values if s not in (
        "agriculture", "industry", "construction", "trade_transport", "business_services",
        "other_education")]  # fmt: skip
    model = float(expected.recruitment_need.sel(sector=welfare, year=[2026, 2027]).sum())
    assert float(tables[0]["Modell: rekryteringsbehov (personer)"].iloc[0]) == pytest.approx(model)
    text = "\n".join(m.value for m in at.markdown)
    assert "personalomsättning" in text and "nollsummespel" in text


def test_a_group_of_municipalities_can_be_chosen():
    at = start()
    assert "Luleå–Boden (g_lulea_boden)" in at.sidebar.selectbox(key="region").options
    at.sidebar.selectbox(key="region").select("g_lulea_boden").run()
    assert_clean(at)
    expected = run_scenario(load_scenario("baseline"), "g_lulea_boden")
    assert metric(at, "Brist 2033 (årsarbetare)") == pytest.approx(
        float(expected.gap_fte.sel(year=2033).sum()), abs=0.5
    )


def test_the_map_shows_every_municipality_of_the_county_with_the_chosen_one_outlined():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(region="2580")
    at.run()
    assert_clean(at)
    maps_shown = [
        json.loads(e.proto.spec) for e in at.get("vega_lite_chart") if "geoshape" in e.proto.spec
    ]
    assert len(maps_shown) == 1
    features = maps_shown[0]["data"]["values"]
    inputs = load_inputs_for_test()
    assert sorted(f["properties"]["id"] for f in features) == sorted(inputs.units_of("25"))
    luleå = next(f for f in features if f["properties"]["id"] == "2580")
    expected = run_scenario(load_scenario("baseline"), "2580")
    gap = float(expected.gap_fte.sel(year=2033).sum())
    people = float(expected.population.sel(year=2033).sum())
    assert luleå["properties"]["value"] == pytest.approx(gap / people * 1000)
    assert '"2580"' in json.dumps(maps_shown[0]["params"])  # the chosen municipality
    at.selectbox(key="map_indicator").select("oldest_growth").run()
    assert_clean(at)


def load_inputs_for_test():
    from forecast.inputs import read_inputs

    return read_inputs()


def test_a_region_fetched_from_scb_can_be_chosen_and_runs(tmp_path, monkeypatch):
    """A county built from SCB tables (a fake one here) appears in the region list and runs."""
    from forecast.inputs import read_inputs
    from scenarios.data_source import build_for
    from tests.forecast.test_scb_inputs import BASE, FAKE, tidy_from_embedded

    monkeypatch.setenv("WORKFORCE_CACHE", str(tmp_path / "scb"))
    build_for("99", tidy_from_embedded(read_inputs(), FAKE, range(2000, BASE + 1)))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(region="99")
    at.run()
    assert_clean(at)
    assert at.sidebar.selectbox(key="region").value == "99"
    assert any(option.endswith("– SCB") for option in at.sidebar.selectbox(key="region").options)
    data_text = "\n".join(m.value for m in at.markdown)
    assert "data in" in data_text  # the fetched folder's vintage, not the embedded one


def test_the_overview_offers_the_council_slide_deck():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(region="2580")
    at.run()
    assert_clean(at)
    labels = [button.label for button in at.get("download_button")]
    assert "Ladda ned bildspel för rådet (PPTX), Basscenario" in labels
