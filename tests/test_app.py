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


def test_runs_in_swedish_by_default():
    at = start()
    assert_clean(at)
    assert at.sidebar.radio(key="lang").value == "sv"
    assert at.title[0].value.startswith("Kompetensförsörjning")
    assert [tab.label for tab in at.tabs] == [
        "Befolkning",
        "Tillgång och efterfrågan",
        "Åtgärder",
        "Data och källor",
    ]
    assert len(at.get("vega_lite_chart")) == 5
    labels = [button.label for button in at.get("download_button")]
    assert labels.count("Ladda ned PNG") == 5
    assert labels.count("Ladda ned SVG") == 5
    assert labels.count("Ladda ned CSV") == 3
    assert at.sidebar.selectbox(key="a").value == "baseline"
    assert at.sidebar.selectbox(key="b").value == "part_time_plus3"
    assert at.sidebar.selectbox(key="region").options[0] == "Riket (00)"


def test_switching_to_english_changes_labels_and_keeps_choices():
    at = start()
    at.sidebar.selectbox(key="region").select("25").run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value.startswith("Workforce")
    assert [tab.label for tab in at.tabs] == [
        "Population",
        "Supply and demand",
        "Levers",
        "Data and sources",
    ]
    assert at.sidebar.selectbox(key="region").label == "Area"
    assert at.sidebar.selectbox(key="region").value == "25"
    assert "Download PNG" in [button.label for button in at.get("download_button")]


def test_region_25_with_both_presets_shows_population_and_supply_demand():
    at = start()
    at.sidebar.selectbox(key="region").select("25")
    at.sidebar.selectbox(key="a").select("baseline")
    at.sidebar.selectbox(key="b").select("part_time_plus3")
    at.sidebar.number_input(key="seed").set_value(7)
    at.run()
    assert_clean(at)
    assert not at.info  # Norrbotten is well covered

    expected = run_scenario(load_scenario("baseline"), "25", seed=7)
    pyramid, fan, supply_demand, gap, levers = charts_of(at)

    # Population: the pyramid and the key figures reflect the real run for Norrbotten.
    assert "Befolkning efter ålder och kön" in json.dumps(pyramid["title"], ensure_ascii=False)
    assert set(pyramid["_rows"]["sex"]) == {"female", "male"}
    assert set(pyramid["_rows"]["year"]) == {2024, 2033}
    key_figures = at.dataframe[0].value.set_index("Åldersgrupp")
    total = expected["population"].sum(["sex", "age"])
    assert key_figures.loc["Totalt", "2024"] == pytest.approx(float(total.sel(year=2024)))
    assert key_figures.loc["Totalt", "2033"] == pytest.approx(float(total.sel(year=2033)))

    # The fan: 100 draws of the total population, the bands around the median.
    bands = fan["_rows"].dropna(subset=["p50"]).set_index("year")
    assert (bands.p025 <= bands.p10).all() and (bands.p10 <= bands.p50).all()
    assert (bands.p50 <= bands.p90).all() and (bands.p90 <= bands.p975).all()
    assert bands.loc[2033, "p10"] < bands.loc[2033, "p90"]

    # Levers: scenario B's one lever, with its FTE in 2033.
    lever_rows = levers["_rows"].dropna(subset=["fte"])
    assert list(lever_rows["lever"]) == ["Fler timmar för deltidare"]
    part_time = run_scenario(load_scenario("part_time_plus3"), "25", seed=7)
    assert float(lever_rows["fte"].iloc[0]) == pytest.approx(
        float(part_time["lever_fte"].sel(year=2033).sum())
    )

    # Supply and demand: both scenarios, in FTE, totals over sectors.
    names = set(supply_demand["_rows"]["scenario"])
    assert names == {"A – Basscenario", f"B – {load_scenario('part_time_plus3').title_sv}"}
    assert "Heltidsekvivalenter" in supply_demand["encoding"]["y"]["title"]
    rows = supply_demand["_rows"]
    demand_2033 = rows[(rows["scenario"] == "A – Basscenario") & (rows["measure"] == "Efterfrågan")]
    assert demand_2033.set_index("year")["fte"].loc[2033] == pytest.approx(
        float(expected["demand_fte"].sel(year=2033).sum())
    )
    assert set(gap["_rows"]["scenario"].dropna()) == names

    # Data and sources: what was run, on which data, with which seed.
    data_text = "\n".join(m.value for m in at.markdown)
    assert "Norrbottens län (25)" in data_text
    assert "`baseline`" in data_text and "`part_time_plus3`" in data_text
    assert "Slumpfrö:** 7" in data_text
    assert "data/SOURCES.md" in data_text


def test_sector_selector_shows_one_sector():
    at = start()
    at.selectbox(key="sector").select("elderly_care").run()
    assert_clean(at)
    _, _, supply_demand, gap, _ = charts_of(at)
    assert "Äldreomsorg" in json.dumps(supply_demand["title"], ensure_ascii=False)
    assert "Äldreomsorg" in json.dumps(gap["title"], ensure_ascii=False)
    expected = run_scenario(load_scenario("baseline"), "00", seed=0)
    rows = supply_demand["_rows"]
    supply = rows[(rows["scenario"] == "A – Basscenario") & (rows["measure"] == "Tillgång")]
    assert supply.set_index("year")["fte"].loc[2030] == pytest.approx(
        float(expected["supply_fte"].sel(year=2030, sector="elderly_care"))
    )


def test_thinly_covered_region_shows_coverage_note():
    at = start()
    at.sidebar.selectbox(key="region").select("2380").run()
    assert_clean(at)
    assert len(at.info) == 1
    assert "Jämtland" in at.info[0].value


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
    assert labels.count("Download Excel") == 3
    assert "Download the scenario file skr_package.toml" in labels


def test_unknown_values_in_the_url_fall_back_to_the_defaults():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(lang="fi", region="9999", a="nope", seed="-4")
    at.run()
    assert_clean(at)
    assert at.sidebar.radio(key="lang").value == "sv"
    assert at.sidebar.selectbox(key="region").value == "00"
    assert at.sidebar.selectbox(key="a").value == "baseline"
    assert at.sidebar.number_input(key="seed").value == 0
