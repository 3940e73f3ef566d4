"""Streamlit scenario explorer: widgets → runner → chart builders (no model logic here).

Run with ``streamlit run app.py``. Labels and number formats come from scenarios/i18n.py,
charts and tables from scenarios/charts.py and charts_compare.py, the live lever runs from
scenarios/explorer.py, the lever sliders' ranges and sources from scenarios/lever_controls.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
import xarray as xr

from forecast.inputs import DEFAULT_DATA, read_inputs
from scenarios import ambitions, charts, charts_compare, lever_controls, maps, survey
from scenarios.data_source import fetched_regions, inputs_for
from scenarios.deck import build_deck
from scenarios.explorer import LIVE_DRAWS, live_run
from scenarios.i18n import (
    DEFAULT_LANG,
    LANGUAGES,
    coverage_note,
    format_number,
    format_signed_percent,
    region_choices,
    sector_label,
    t,
    unit_label,
)
from scenarios.report import report_tables, summary_sentences
from scenarios.run import run_scenario
from scenarios.shapley import with_levers
from scenarios.spec import Scenario, ScenarioError, list_presets, load_scenario, resolved_toml

ALL_SECTORS = "__all__"
OWN = "__own__"  # the scenario built with the sliders, in the comparison
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}
SOURCES = Path(__file__).resolve().parent / "data" / "SOURCES.md"
COMPARABLE = ("gap_fte", "recruitment_need", "demand_fte", "supply_fte")

st.set_page_config(page_title="Kompetensförsörjning 2033", layout="wide")


@st.cache_resource(show_spinner=False)
def load_inputs():
    """The embedded dataset, read and validated once per server process."""
    return read_inputs()


@st.cache_resource(show_spinner=False)
def load_presets() -> dict[str, Scenario]:
    return {name: load_scenario(name) for name in list_presets()}


@st.cache_data(show_spinner=False, max_entries=64)
def run(preset: str, region: str, seed: int) -> xr.Dataset:
    return run_scenario(load_presets()[preset], region, inputs=inputs_for(region), seed=seed)


@st.cache_data(show_spinner=False, max_entries=64)
def live(scenario_json: str, region: str, seed: int) -> tuple[xr.Dataset, float]:
    """A scenario with LIVE_DRAWS futures (levers cached per value) and its compute time [s]."""
    start = time.perf_counter()
    result = live_run(Scenario.model_validate_json(scenario_json), region, inputs_for(region), seed)
    return result, time.perf_counter() - start


POPULATION_LEVERS = {"migration"}  # the only levers that change who lives in the region


@st.cache_data(show_spinner=False, max_entries=32)
def fan(preset: str, region: str, seed: int) -> xr.Dataset:
    """The preset's population over LIVE_DRAWS random futures (only levers that move people)."""
    scenario = load_presets()[preset]
    keep = POPULATION_LEVERS & set(scenario.levers.active())
    run = run_scenario(with_levers(scenario, keep), region, inputs_for(region), seed, LIVE_DRAWS)
    return run[["population"]]


@st.cache_data(show_spinner=False)
def ambition_check() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """The stated population targets (data/ambitions.csv) against the projection."""
    inputs = load_inputs()
    table = ambitions.needs(ambitions.read_ambitions(ambitions.DEFAULT_FILE, inputs), inputs)
    counties, country = ambitions.add_up(table, inputs)
    return table, counties, country


@st.cache_data(show_spinner=False, max_entries=16)
def map_indicators(area: str, preset: str, seed: int) -> pd.DataFrame:
    """Every municipality of a county (or all 44) under a preset, for the map."""
    return maps.indicators_for(area, load_presets()[preset], inputs_for(area), seed)


def pick_from_map() -> None:
    """A click on the map chooses that municipality as the region."""
    code = maps.selected_municipality(st.session_state.get("map"))
    if code:
        st.session_state["region"] = code


@st.cache_resource(show_spinner=False)
def employer_survey() -> tuple[dict[str, list[str]], pd.DataFrame]:
    """The shipped employer survey and its area → sector map, read and checked once."""
    embedded = load_inputs()
    areas = survey.read_areas(sectors=list(embedded.sectors.index))
    return areas, survey.read_survey(survey.DEFAULT_SURVEY, embedded, areas)


MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "toml": "application/toml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def download(where, label: str, data, stem: str, kind: str) -> None:
    """One download button: file `stem.kind`, built only when clicked if `data` is callable."""
    where.download_button(
        label, data=data, file_name=f"{stem}.{kind}", mime=MIME[kind], key=f"{stem}_{kind}",
        on_click="ignore",
    )  # fmt: skip


def chart_block(chart: alt.TopLevelMixin, stem: str) -> None:
    """A chart with PNG and SVG downloads, rendered only when clicked."""
    st.altair_chart(chart)
    png, svg = st.columns([1, 1], width=360)
    download(png, t("download_png", lang), lambda: charts.chart_png(chart), stem, "png")
    download(svg, t("download_svg", lang), lambda: charts.chart_svg(chart), stem, "svg")


def table_block(table: pd.DataFrame, stem: str) -> None:
    """A table in the language's number format, with CSV and Excel downloads of the numbers."""
    st.dataframe(charts.format_table(table, lang), hide_index=True)
    csv, xlsx = st.columns([1, 1], width=360)
    download(csv, t("download_csv", lang), charts.table_csv(table, lang), stem, "csv")
    download(xlsx, t("download_xlsx", lang), lambda: charts.table_xlsx(table), stem, "xlsx")


# --- sidebar: language, region, scenarios, seed -------------------------------------------
# The view lives in the URL (?lang=en&region=25&a=baseline&b=skr_package&seed=3, plus the
# levers switched on and moved), so a link reopens it; unknown values fall back to defaults.
query = {key: st.query_params.get(key) for key in st.query_params}


def position(options: list[str], wanted: str | None, fallback: int) -> int:
    """Where the URL's choice is among the options, else the fallback."""
    return options.index(wanted) if wanted in options else fallback


lang = st.sidebar.radio(
    "Språk / Language",
    LANGUAGES,
    index=position(list(LANGUAGES), query.get("lang"), LANGUAGES.index(DEFAULT_LANG)),
    format_func=LANGUAGE_NAMES.get,
    horizontal=True,
    key="lang",
)
st.title(t("app_title", lang))
st.caption(t("app_intro_pages", lang))

try:
    inputs = load_inputs()
    presets = load_presets()
except Exception as exc:  # any unreadable data file: say which, and how to rebuild
    st.error(f"{t('inputs_failed', lang)} {exc}\n\n{t('rebuild_hint', lang)}")
    st.stop()

regions = region_choices(inputs.regions)
for code in fetched_regions():  # regions fetched from SCB with `workforce data fetch`
    fetched = inputs_for(code, "fetched").regions
    for member, label in region_choices(fetched).items():
        if member not in regions and fetched.loc[member, "level"] != "rest":
            regions[member] = f"{label} – SCB"
region = st.sidebar.selectbox(
    t("region", lang),
    list(regions),
    index=position(list(regions), query.get("region"), 0),
    format_func=regions.get,
    key="region",
)
names = list(presets)


def title(name: str) -> str:
    if name == OWN:
        return t("own_scenario", lang)
    return getattr(presets[name], f"title_{lang}")


def default(key: str, name: str, fallback: int) -> int:
    """The URL's scenario, else the named preset, else a position in the list."""
    fallback = names.index(name) if name in names else min(fallback, len(names) - 1)
    return position(names, query.get(key), fallback)


scenario_a = st.sidebar.selectbox(
    t("scenario_a", lang), names, index=default("a", "baseline", 0), format_func=title, key="a"
)
scenario_b = st.sidebar.selectbox(
    t("scenario_b", lang),
    names,
    index=default("b", "part_time_plus3", 1),
    format_func=title,
    key="b",
)
asked_seed = query.get("seed") or ""
seed = int(
    st.sidebar.number_input(
        t("seed", lang),
        min_value=0,
        max_value=2**31 - 1,
        value=int(asked_seed) if asked_seed.isdigit() and int(asked_seed) < 2**31 else 0,
        step=1,
        key="seed",
        help=t("seed_help", lang),
    )
)

st.query_params.update(lang=lang, region=region, a=scenario_a, b=scenario_b, seed=str(seed))


inputs = inputs_for(region)  # the embedded data, or the SCB data fetched for this region
if note := coverage_note(inputs.regions, region):
    st.info(f"**{t('coverage_note', lang)}:** {note}")

try:
    with st.spinner(t("running", lang)):
        results = {
            f"A – {title(scenario_a)}": run(scenario_a, region, seed),
            f"B – {title(scenario_b)}": run(scenario_b, region, seed),
        }
except ValueError as exc:  # a user error: bad scenario, unknown region, impossible lever
    st.error(f"{t('run_failed', lang)}: {exc}")
    st.stop()

first = next(iter(results.values()))
base, end = charts.base_and_end_year(first)
stem = f"{region}_{scenario_a}_{scenario_b}_{seed}"
for column, (label, ds) in zip(st.columns(len(results)), results.items(), strict=True):
    shortage = float(ds["gap_fte"].sel(year=end).sum())
    column.metric(
        t("gap_metric", lang, end=end, scenario=label),
        format_number(shortage, lang),
        help=t("gap_metric_help", lang),
    )
tabs = st.tabs(
    [
        t("tab_overview", lang),
        t("tab_population", lang),
        t("tab_supply_demand", lang),
        t("tab_levers", lang),
        t("tab_compare", lang),
        t("tab_local", lang),
        t("tab_data", lang),
    ]
)
tab_overview, tab_population, tab_balance, tab_levers, tab_compare, tab_local, tab_data = tabs

with tab_overview:
    for column, (label, ds) in zip(st.columns(len(results)), results.items(), strict=True):
        column.subheader(label)
        people = ds.population.sum("sex")
        working = people.sel(age=slice(20, 66)).sum("age")
        oldest = people.sel(age=slice(85, None)).sum("age")
        need = float(ds.recruitment_need.sum())
        top, bottom = column.columns(2), column.columns(2)
        top[0].metric(
            t("metric_gap", lang, end=end),
            format_number(float(ds.gap_fte.sel(year=end).sum()), lang),
        )
        top[1].metric(t("metric_recruitment", lang, base=base, end=end), format_number(need, lang))
        for where, key, series in (
            (bottom[0], "metric_working_age", working),
            (bottom[1], "metric_oldest", oldest),
        ):
            change = (float(series.sel(year=end)) / float(series.sel(year=base)) - 1) * 100
            where.metric(t(key, lang, base=base, end=end), format_signed_percent(change, lang))
        column.markdown(
            "\n".join(f"- {s}" for s in summary_sentences(ds, inputs.sectors, None, lang))
        )
    st.caption(t("overview_caption", lang))
    download(
        st,
        t("download_deck", lang, scenario=title(scenario_a)),
        lambda: build_deck(region, presets[scenario_a], inputs, lang, seed),
        f"bildspel_{region}_{scenario_a}_{lang}",
        "pptx",
    )

with tab_population:
    shown = st.radio(t("scenario", lang), list(results), horizontal=True, key="pyramid_scenario")
    chart_block(charts.pyramid_chart(results[shown], lang), f"befolkning_{stem}")
    st.caption(t("pyramid_caption", lang, base=base, end=end, scenario=shown))
    st.subheader(t("key_figures", lang))
    table_block(charts.key_figures_table(results[shown], lang), f"nyckeltal_{stem}")
    preset = scenario_a if shown.startswith("A") else scenario_b
    with st.spinner(t("running", lang)):
        draws = fan(preset, region, seed)
    chart_block(charts.fan_chart(draws, lang), f"osakerhet_{preset}_{region}_{seed}")
    st.caption(t("fan_caption", lang, draws=LIVE_DRAWS))
    chart_block(
        charts_compare.age_group_fan_chart(draws, lang), f"aldersgrupper_{preset}_{region}_{seed}"
    )

with tab_balance:
    sector_ids = [str(s) for s in first["sector"].values]
    left, right = st.columns([3, 2])
    sector = left.selectbox(
        t("sector", lang),
        [ALL_SECTORS, *sector_ids],
        format_func=lambda s: (
            t("all_sectors", lang) if s == ALL_SECTORS else sector_label(inputs.sectors, s, lang)
        ),
        key="sector",
    )
    unit = right.radio(
        t("unit_choice", lang), ["fte", "persons"], format_func=lambda u: unit_label(u, lang),
        horizontal=True, key="unit",
    )  # fmt: skip
    chosen = None if sector == ALL_SECTORS else sector
    name = t("all_sectors", lang) if chosen is None else sector_label(inputs.sectors, chosen, lang)
    chart_block(
        charts.supply_demand_chart(results, chosen, lang, name, unit), f"tillgang_{unit}_{stem}"
    )
    chart_block(charts.gap_chart(results, lang, chosen, name), f"brist_{stem}")
    st.subheader(t("gap_table", lang))
    table_block(charts.gap_table(results, lang, chosen), f"brist_{sector}_{stem}")
    period = st.select_slider(
        t("period", lang), options=list(range(base, end + 1)), value=(base, end), key="period"
    )
    for label, ds in results.items():
        st.subheader(t("recruitment_table", lang, scenario=label))
        tables = report_tables(ds, inputs.sectors, [tuple(period)], lang)
        table_block(tables["sectors"], f"rekrytering_{label[0]}_{period[0]}_{period[1]}_{stem}")

with tab_levers:
    st.subheader(t("builder_title", lang))
    st.caption(t("builder_intro", lang, draws=LIVE_DRAWS))
    asked_on, asked_values = lever_controls.from_query(query)
    on: set[str] = set()
    values: dict[str, float] = {}
    lever_columns = st.columns(2)
    for i, lever in enumerate(lever_controls.LEVERS):
        box = lever_columns[i % 2].container(border=True)
        if box.toggle(t(f"lever_{lever}", lang), value=lever in asked_on, key=f"on_{lever}"):
            on.add(lever)
        for control in (c for c in lever_controls.CONTROLS if c.lever == lever):
            values[control.key] = box.slider(
                f"{control.label(lang)} ({control.unit(lang)})",
                min_value=float(control.low),
                max_value=float(control.high),
                value=float(asked_values[control.key]),
                step=float(control.step),
                format="%d" if float(control.step).is_integer() else "%.2f",
                key=control.key,
                disabled=lever not in on,
                help=t("control_help", lang, source=control.source(lang)),
            )
    st.query_params.update(lever_controls.to_query(on, values))
    own: Scenario | None = None
    if not on:
        st.info(t("no_lever_on", lang))
    else:
        try:
            own = lever_controls.build_scenario(on, values, lang)
            with st.spinner(t("running", lang)):
                custom, seconds = live(own.model_dump_json(), region, seed)
                plain, _ = live(with_levers(own, frozenset()).model_dump_json(), region, seed)
        except (ScenarioError, ValueError) as exc:  # values that cannot go together
            st.warning(f"{t('impossible', lang)}: {exc}")
            own = None
    if own is not None:
        gaps = {
            key: ds.gap_fte.sel(year=end).sum("sector").quantile([0.1, 0.5, 0.9], dim="draw").values
            for key, ds in (("live_gap_base", plain), ("live_gap", custom))
        }
        for column, (key, (low, mid, high)) in zip(st.columns(2), gaps.items(), strict=True):
            column.metric(
                t(key, lang, end=end),
                format_number(mid, lang),
                help=t(
                    "live_interval",
                    lang,
                    low=format_number(low, lang),
                    high=format_number(high, lang),
                ),
            )
        start, steps, finish = charts_compare.waterfall_inputs(plain, custom, end)
        chart_block(
            charts_compare.waterfall_chart(start, steps, finish, lang, end),
            f"vattenfall_{region}_{seed}",
        )
        st.caption(
            t("computed_in", lang, seconds=format_number(seconds, lang, 2), draws=LIVE_DRAWS)
        )
        download(st, t("download_toml", lang, name=own.name), resolved_toml(own), own.name, "toml")

with tab_compare:
    options = [*names, *([OWN] if own is not None else [])]
    asked_compare = [n for n in (query.get("cmp") or "").split(",") if n in options]
    picked = st.multiselect(
        t("compare_pick", lang), options, default=asked_compare or [scenario_a, scenario_b],
        format_func=title, max_selections=4, key="cmp",
    )  # fmt: skip
    variable = st.selectbox(
        t("compare_variable", lang), COMPARABLE, format_func=lambda v: t(f"report_{v}", lang),
        key="compare_variable",
    )  # fmt: skip
    if not 2 <= len(picked) <= 4:
        st.info(t("compare_need_two", lang))
    else:
        compared = {
            title(n): live(own.model_dump_json(), region, seed)[0]
            if n == OWN
            else run(n, region, seed)
            for n in picked
        }
        compare_stem = f"jamforelse_{region}_{'_'.join(picked)}_{seed}".replace(OWN, "eget")
        chart_block(
            charts_compare.compare_chart(compared, variable, lang), f"{compare_stem}_{variable}"
        )
        table = charts_compare.compare_table(compared, lang, end, [(base, end)])
        table_block(table, compare_stem)
        preset_results = {k: v for k, v in compared.items() if "lever_fte_by_lever" in v}
        if preset_results:
            st.subheader(t("preset_levers", lang))
            chart_block(charts.lever_chart(preset_results, lang), f"atgarder_{compare_stem}")
            st.caption(t("levers_caption", lang, end=end))
    st.query_params.update(cmp=",".join(picked))

with tab_local:
    area, chosen_code = maps.map_area(region, inputs)
    # the country's map runs all 44 municipalities: drawn on request, a county's at once
    if area != "00" or st.toggle(t("map_all", lang), key="map_all"):
        with st.spinner(t("running", lang)):
            indicators = map_indicators(area, scenario_a, seed)
        indicator = st.selectbox(
            t("map_indicator", lang),
            [k for k in maps.INDICATORS if indicators[k].notna().any()],
            format_func=lambda k: maps.indicator_label(k, lang, base, end), key="map_indicator",
        )  # fmt: skip
        try:
            map_chart = maps.map_chart(indicators, indicator, area, inputs, lang, chosen_code)
        except ValueError as exc:  # e.g. a fetched region without outlines in data/geo
            st.info(f"{t('map_missing', lang)}: {exc}")
        else:
            st.altair_chart(map_chart, on_select=pick_from_map, key="map")
            png, svg = st.columns([1, 1], width=360)
            stem_map = f"karta_{indicator}_{area}_{scenario_a}_{seed}"
            download(
                png, t("download_png", lang), lambda: charts.chart_png(map_chart), stem_map, "png"
            )
            download(
                svg, t("download_svg", lang), lambda: charts.chart_svg(map_chart), stem_map, "svg"
            )
            st.caption(t("map_caption", lang, scenario=title(scenario_a)))
    st.subheader(t("survey_title", lang))
    areas, reported = employer_survey()
    compared_survey = survey.compare(reported, first, areas, region)
    if compared_survey.empty:
        st.info(t("survey_none", lang))
    else:
        table_block(survey.comparison_table(compared_survey, lang), f"enkat_{region}_{scenario_a}")
        st.markdown(survey.explanation(compared_survey, lang))
    st.subheader(t("ambitions_title", lang))
    targets, county_sums, country = ambition_check()
    table_block(ambitions.ambitions_table(targets, lang, base), "befolkningsmal")
    for sentence in ambitions.sentences(county_sums, country, base, lang):
        st.markdown(f"- {sentence}")

with tab_data:
    facts = [
        f"**{t('region', lang)}:** {first.attrs.get('region_name', '')} ({region})",
        f"**{t('data_vintage', lang)}:** {first.attrs.get('data_vintage', inputs.vintage)}",
        f"**{t('base_year', lang)}:** {base} · "
        f"**{t('horizon', lang)}:** {first.attrs.get('horizon', end)}",
        f"**{t('seed', lang)}:** {first.attrs.get('seed', seed)}",
    ]
    st.markdown("  \n".join(facts))
    scenario_lines = [f"**{t('scenarios', lang)}:**"]
    for label, preset in zip(results, (scenario_a, scenario_b), strict=True):
        description = getattr(presets[preset], f"description_{lang}", "")
        scenario_lines.append(f"- {label} (`{preset}`){': ' + description if description else ''}")
    st.markdown("\n".join(scenario_lines))
    for preset in dict.fromkeys((scenario_a, scenario_b)):
        label = t("download_toml", lang, name=preset)
        download(st, label, resolved_toml(presets[preset]), preset, "toml")
    st.subheader(t("provenance_title", lang))
    rows = []
    for path in sorted(DEFAULT_DATA.glob("*.csv*")):
        frame = pd.read_csv(path)
        status = frame["status"].value_counts() if "status" in frame else pd.Series(dtype=int)
        rows.append(
            {
                t("file", lang): path.name,
                t("rows", lang): len(frame),
                **{
                    t(f"status_{s}", lang): int(status.get(s, 0))
                    for s in ("official", "derived", "assumption")
                },
            }
        )
    table_block(pd.DataFrame(rows), "indata")
    st.subheader(t("sector_methods", lang))
    sectors = inputs.sectors.reset_index()
    table_block(
        pd.DataFrame(
            {
                t("sector", lang): [sector_label(inputs.sectors, s, lang) for s in sectors.sector],
                t("demand_driver", lang): [t(f"driver_{d}", lang) for d in sectors.demand_driver],
                t("part_time_share", lang): sectors.part_time_share * 100,
                t("method", lang): sectors.part_time_method,
            }
        ),
        "sektorer",
    )
    st.markdown(t("sources_note", lang))
    with st.expander(t("sources_full", lang)):
        st.markdown(SOURCES.read_text(encoding="utf-8"))
