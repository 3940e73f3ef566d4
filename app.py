"""Streamlit scenario explorer: widgets → runner → chart builders (no model logic here).

Run with ``streamlit run app.py``. Labels and number formats come from scenarios/i18n.py,
charts and tables from scenarios/charts.py, results from scenarios/run.py.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
import xarray as xr

from forecast.inputs import read_inputs
from scenarios import charts
from scenarios.i18n import (
    DEFAULT_LANG,
    LANGUAGES,
    coverage_note,
    format_number,
    region_choices,
    sector_label,
    t,
)
from scenarios.run import run_scenario
from scenarios.shapley import with_levers
from scenarios.spec import Scenario, list_presets, load_scenario, resolved_toml

ALL_SECTORS = "__all__"
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}

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
    return run_scenario(load_presets()[preset], region, inputs=load_inputs(), seed=seed)


FAN_DRAWS = 100
POPULATION_LEVERS = {"migration"}  # the only levers that change who lives in the region


@st.cache_data(show_spinner=False, max_entries=32)
def fan(preset: str, region: str, seed: int) -> xr.Dataset:
    """The preset's population over FAN_DRAWS random futures (only levers that move people)."""
    scenario = load_presets()[preset]
    keep = POPULATION_LEVERS & set(scenario.levers.active())
    run = run_scenario(with_levers(scenario, keep), region, load_inputs(), seed, FAN_DRAWS)
    return run[["population"]]


MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "toml": "application/toml",
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
# The view lives in the URL (?lang=en&region=25&a=baseline&b=skr_package&seed=3), so a link
# reopens it; a value the app does not know falls back to the default.
asked = {key: st.query_params.get(key) for key in ("lang", "region", "a", "b", "seed")}


def position(options: list[str], wanted: str | None, fallback: int) -> int:
    """Where the URL's choice is among the options, else the fallback."""
    return options.index(wanted) if wanted in options else fallback


lang = st.sidebar.radio(
    "Språk / Language",
    LANGUAGES,
    index=position(list(LANGUAGES), asked["lang"], LANGUAGES.index(DEFAULT_LANG)),
    format_func=LANGUAGE_NAMES.get,
    horizontal=True,
    key="lang",
)
st.title(t("app_title", lang))
st.caption(t("app_intro", lang))

try:
    inputs = load_inputs()
    presets = load_presets()
except Exception as exc:  # any unreadable data file: say which, and how to rebuild
    st.error(f"{t('inputs_failed', lang)} {exc}\n\n{t('rebuild_hint', lang)}")
    st.stop()

regions = region_choices(inputs.regions)
region = st.sidebar.selectbox(
    t("region", lang),
    list(regions),
    index=position(list(regions), asked["region"], 0),
    format_func=regions.get,
    key="region",
)
names = list(presets)


def title(name: str) -> str:
    return getattr(presets[name], f"title_{lang}")


def default(key: str, name: str, fallback: int) -> int:
    """The URL's scenario, else the named preset, else a position in the list."""
    fallback = names.index(name) if name in names else min(fallback, len(names) - 1)
    return position(names, asked[key], fallback)


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
asked_seed = asked["seed"] or ""
seed = st.sidebar.number_input(
    t("seed", lang),
    min_value=0,
    max_value=2**31 - 1,
    value=int(asked_seed) if asked_seed.isdigit() and int(asked_seed) < 2**31 else 0,
    step=1,
    key="seed",
    help=t("seed_help", lang),
)

st.query_params.update(lang=lang, region=region, a=scenario_a, b=scenario_b, seed=str(seed))

if note := coverage_note(inputs.regions, region):
    st.info(f"**{t('coverage_note', lang)}:** {note}")

try:
    with st.spinner(t("running", lang)):
        results = {
            f"A – {title(scenario_a)}": run(scenario_a, region, int(seed)),
            f"B – {title(scenario_b)}": run(scenario_b, region, int(seed)),
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
tab_population, tab_balance, tab_levers, tab_data = st.tabs(
    [
        t("tab_population", lang),
        t("tab_supply_demand", lang),
        t("tab_levers", lang),
        t("tab_data", lang),
    ]
)

with tab_population:
    shown = st.radio(t("scenario", lang), list(results), horizontal=True, key="pyramid_scenario")
    chart_block(charts.pyramid_chart(results[shown], lang), f"befolkning_{stem}")
    st.caption(t("pyramid_caption", lang, base=base, end=end, scenario=shown))
    st.subheader(t("key_figures", lang))
    table_block(charts.key_figures_table(results[shown], lang), f"nyckeltal_{stem}")
    preset = scenario_a if shown.startswith("A") else scenario_b
    with st.spinner(t("running", lang)):
        draws = fan(preset, region, int(seed))
    chart_block(charts.fan_chart(draws, lang), f"osakerhet_{preset}_{region}_{seed}")
    st.caption(t("fan_caption", lang, draws=FAN_DRAWS))

with tab_balance:
    sector_ids = [str(s) for s in first["sector"].values]
    sector = st.selectbox(
        t("sector", lang),
        [ALL_SECTORS, *sector_ids],
        format_func=lambda s: (
            t("all_sectors", lang) if s == ALL_SECTORS else sector_label(inputs.sectors, s, lang)
        ),
        key="sector",
    )
    chosen = None if sector == ALL_SECTORS else sector
    name = t("all_sectors", lang) if chosen is None else sector_label(inputs.sectors, chosen, lang)
    chart_block(charts.supply_demand_chart(results, chosen, lang, name), f"tillgang_{stem}")
    chart_block(charts.gap_chart(results, lang, chosen, name), f"brist_{stem}")
    st.subheader(t("gap_table", lang))
    table_block(charts.gap_table(results, lang, chosen), f"brist_{sector}_{stem}")

with tab_levers:
    levers = charts.lever_data(results, lang)
    for label, preset in zip(results, (scenario_a, scenario_b), strict=True):
        if not presets[preset].levers.active():
            st.caption(t("no_levers", lang, scenario=label))
    if not levers.empty:
        chart_block(charts.lever_chart(results, lang), f"atgarder_{stem}")
        st.caption(t("levers_caption", lang, end=end))
        table_block(charts.lever_table(results, lang), f"atgarder_{stem}")

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
    st.markdown(t("sources_note", lang))
