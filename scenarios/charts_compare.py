"""Charts and tables that compare scenarios: the gap waterfall, age-group fans and 2–4 scenarios.

Pure functions of run results (``scenarios.run.run_scenario``'s Datasets, optionally with a
leading ``draw`` dim) and a language, like :mod:`scenarios.charts`; Swedish is the default.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd
import xarray as xr

from forecast.balance import cumulative
from forecast.dims import AGE, DRAW, SECTOR, SEX, YEAR
from scenarios.charts import (
    BASE_COLOUR,
    CHART_HEIGHT,
    CHART_WIDTH,
    END_COLOUR,
    _finish,
    base_and_end_year,
)
from scenarios.i18n import LABELS, Lang, format_number, t, unit_label
from scenarios.summary import AGE_GROUPS

DECREASE_COLOUR = "#2e8b57"  # a step that shrinks the gap
INCREASE_COLOUR = END_COLOUR  # a step that widens it
TOTAL_COLOUR = BASE_COLOUR
OTHER_MIN = 0.5  # smaller "other effects" [fte] are rounding noise and not shown
FAN_GROUPS = ("0-19", "20-66", "67+", "85+")
MAX_SCENARIOS = 4
SCENARIO_COLOURS = ["#1f5f8b", "#c0392b", "#2e8b57", "#8e44ad"]


def _axis_title(name: str, ds: xr.Dataset, variable: str, lang: Lang) -> str:
    """ "Name, unit" with the unit from ``attrs["units"]``; keeps "FTE" in capitals."""
    return _with_unit(name, unit_label(str(ds[variable].attrs.get("units", "")), lang))


def _with_unit(name: str, unit: str) -> str:
    return f"{name}, {unit[:1].lower()}{unit[1:]}"


# --- waterfall ---------------------------------------------------------------------------


def lever_label(lever: str, lang: Lang) -> str:
    """A lever's plain name ("working_life" → "Längre arbetsliv"); unknown ids as they are."""
    key = f"lever_{lever}"
    return t(key, lang) if key in LABELS else lever


def waterfall_inputs(
    baseline: xr.Dataset, scenario: xr.Dataset, year: int | None = None
) -> tuple[float, dict[str, float], float]:
    """Baseline gap, each lever's extra FTE and the scenario gap in ``year`` (default: the
    scenario's last year), summed over sectors, medians over draws: the waterfall's inputs."""
    year = int(scenario[YEAR].values[-1]) if year is None else year

    def total(da: xr.DataArray) -> float:
        value = da.sel({YEAR: year}).sum(SECTOR)
        return float(value.median(DRAW) if DRAW in value.dims else value)

    levers: dict[str, float] = {}
    if "lever_fte_by_lever" in scenario:
        by_lever = scenario["lever_fte_by_lever"]
        for lever in by_lever["lever"].values:
            if str(lever) != "none":
                levers[str(lever)] = total(by_lever.sel(lever=lever))
    return total(baseline["gap_fte"]), levers, total(scenario["gap_fte"])


def waterfall_data(
    baseline_gap: float, lever_fte: Mapping[str, float], scenario_gap: float, lang: Lang = "sv"
) -> pd.DataFrame:
    """The bridge from the gap without measures to the gap with them, one row per bar [fte].

    Columns: ``order, key, label, kind, kind_label, value, start, end, value_text``. ``value``
    is the bar's change of the gap (a lever's extra FTE counts negative) or, for the two
    totals, the gap itself. Change bars chain: each starts where the previous one ended, and
    the last ends exactly at ``scenario_gap`` (an unshown residual under 0.5 FTE is absorbed).
    """
    rows: list[dict[str, object]] = []

    def add(key: str, label: str, kind: str, value: float, start: float, end: float) -> None:
        sign = "+" if kind == "increase" and value > 0 else ""
        rows.append(
            {
                "order": len(rows),
                "key": key,
                "label": label,
                "kind": kind,
                "kind_label": t(f"waterfall_{kind}", lang),
                "value": float(value),
                "start": float(start),
                "end": float(end),
                "value_text": sign + format_number(value, lang),
            }
        )

    add("without", t("waterfall_without", lang), "total", baseline_gap, 0.0, baseline_gap)
    running = float(baseline_gap)
    for lever, fte in lever_fte.items():
        change = -float(fte)
        kind = "increase" if change > 0 else "decrease"
        add(lever, lever_label(lever, lang), kind, change, running, running + change)
        running += change
    other = scenario_gap - (baseline_gap - sum(float(v) for v in lever_fte.values()))
    if abs(other) >= OTHER_MIN:
        kind = "increase" if other > 0 else "decrease"
        add("other", t("waterfall_other", lang), kind, scenario_gap - running, running, 0.0)
    if len(rows) > 1:
        rows[-1]["end"] = float(scenario_gap)  # exact chain end, whatever the float rounding
    add("with", t("waterfall_with", lang), "total", scenario_gap, 0.0, scenario_gap)
    return pd.DataFrame(rows)


def waterfall_chart(
    baseline_gap: float,
    lever_fte: Mapping[str, float],
    scenario_gap: float,
    lang: Lang = "sv",
    year: int | None = None,
) -> alt.TopLevelMixin:
    """Horizontal waterfall, read top to bottom: what each measure does to the gap in ``year``."""
    df = waterfall_data(baseline_gap, lever_fte, scenario_gap, lang)
    df["label_x"] = df[["start", "end"]].max(axis=1)
    kinds = ["decrease", "increase", "total"]
    colour = alt.Color(
        "kind_label:N",
        title=t("waterfall_effect", lang),
        legend=alt.Legend(orient="bottom"),
        scale=alt.Scale(
            domain=[t(f"waterfall_{k}", lang) for k in kinds],
            range=[DECREASE_COLOUR, INCREASE_COLOUR, TOTAL_COLOUR],
        ),
    )
    fte = unit_label("fte", lang)
    low = min(0.0, float(df[["start", "end"]].min().min()))
    high = max(0.0, float(df[["start", "end"]].max().max()))
    room = 0.12 * (high - low) or 1.0  # space for the value labels beside the bars
    x_scale = alt.Scale(domain=[low - room * (low < 0), high + room])
    y = alt.Y("label:N", title=t("waterfall_step", lang), sort=list(df["label"]))
    y = y.axis(labelLimit=320)
    tooltip = [
        alt.Tooltip("label:N", title=t("waterfall_step", lang)),
        alt.Tooltip("value_text:N", title=_with_unit(t("waterfall_change", lang), fte)),
        alt.Tooltip("end:Q", title=t("waterfall_after", lang), format=",.0f"),
    ]
    base = alt.Chart(df)
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X("start:Q", title=_with_unit(t("waterfall_axis", lang), fte), scale=x_scale).axis(
            format=",.0f"
        ),
        x2="end:Q",
        color=colour,
        tooltip=tooltip,
    )
    text = base.mark_text(align="left", dx=4).encode(
        y=y, x="label_x:Q", text="value_text:N", tooltip=tooltip
    )
    title = (
        t("waterfall_title_any", lang) if year is None else t("waterfall_title", lang, year=year)
    )
    chart = alt.layer(bars, text).properties(
        width=CHART_WIDTH - 220, height=alt.Step(40), title=title
    )
    return _finish(chart, lang)


# --- population by age group -------------------------------------------------------------


def _group_label(group: str, lang: Lang) -> str:
    return t("age_group_years", lang, group=group.replace("-", "–"))


def age_group_fan_data(draws: xr.Dataset, lang: Lang = "sv") -> pd.DataFrame:
    """Population by age group and year: median, 80 % and 95 % bands over draws [persons].

    Columns: ``group, group_label, year, p025, p10, p50, p90, p975``.
    """
    if DRAW not in draws["population"].dims:
        raise ValueError("age_group_fan_data needs a result with a 'draw' dimension")
    pop = draws["population"].sum(SEX)
    frames = []
    for group in FAN_GROUPS:
        low, high = AGE_GROUPS[group]
        total = pop.sel({AGE: slice(low, high)}).sum(AGE)
        bands = total.quantile([0.025, 0.1, 0.5, 0.9, 0.975], dim=DRAW)
        frame = bands.assign_coords(quantile=["p025", "p10", "p50", "p90", "p975"]).to_pandas().T
        frame = frame.rename_axis("year").reset_index().astype({"year": int})
        frame.insert(0, "group_label", _group_label(group, lang))
        frame.insert(0, "group", group)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def age_group_fan_chart(draws: xr.Dataset, lang: Lang = "sv") -> alt.TopLevelMixin:
    """One small fan per age group (own y-scale): median line, 80 % and 95 % bands."""
    df = age_group_fan_data(draws, lang)
    base, end = base_and_end_year(draws)
    x = alt.X("year:Q", title=t("year", lang), axis=alt.Axis(format="d", tickMinStep=1))
    y_title = _axis_title(t("population_axis", lang), draws, "population", lang)

    def band(low: str, high: str, opacity: float) -> alt.Chart:
        y = alt.Y(f"{low}:Q", title=y_title, scale=alt.Scale(zero=False)).axis(format=",.0f")
        return alt.Chart().mark_area(color=END_COLOUR, opacity=opacity).encode(x=x, y=y, y2=high)

    median = (
        alt.Chart()
        .mark_line(color=END_COLOUR)
        .encode(
            x=x,
            y=alt.Y("p50:Q", title=y_title),
            tooltip=[
                alt.Tooltip("group_label:N", title=t("age_group", lang)),
                alt.Tooltip("year:Q", title=t("year", lang), format="d"),
                alt.Tooltip("p50:Q", title=t("median", lang), format=",.0f"),
                alt.Tooltip("p10:Q", title=f"{t('band_80', lang)} ↓", format=",.0f"),
                alt.Tooltip("p90:Q", title=f"{t('band_80', lang)} ↑", format=",.0f"),
                alt.Tooltip("p025:Q", title=f"{t('band_95', lang)} ↓", format=",.0f"),
                alt.Tooltip("p975:Q", title=f"{t('band_95', lang)} ↑", format=",.0f"),
            ],
        )
    )
    panel = alt.layer(band("p025", "p975", 0.15), band("p10", "p90", 0.3), median, data=df)
    panel = panel.properties(width=CHART_WIDTH // 4 - 10, height=CHART_HEIGHT // 2 + 40)
    order = [_group_label(g, lang) for g in FAN_GROUPS]
    chart = (
        panel.facet(
            facet=alt.Facet("group_label:N", title=t("age_group", lang), sort=order), columns=4
        )
        .resolve_scale(y="independent")
        .properties(title=t("age_fan_title", lang, base=base, end=end))
    )
    return _finish(chart, lang)


# --- scenarios side by side --------------------------------------------------------------


def _variable_name(variable: str, lang: Lang) -> str:
    """Plain name of a sector variable ("recruitment_need" → "Rekryteringsbehov")."""
    for key in (f"report_{variable}", f"report_{variable.replace('_persons', '_fte')}"):
        if key in LABELS:
            return t(key, lang)
    return variable


def _check_results(results: Mapping[str, xr.Dataset], variable: str) -> None:
    if not 1 <= len(results) <= MAX_SCENARIOS:
        raise ValueError(f"compare 1–{MAX_SCENARIOS} scenarios, got {len(results)}")
    for name, ds in results.items():
        if variable not in ds or SECTOR not in ds[variable].dims:
            raise ValueError(f"{name!r} has no sector variable {variable!r}")


def compare_data(
    results: Mapping[str, xr.Dataset], variable: str = "gap_fte", lang: Lang = "sv"
) -> pd.DataFrame:
    """Each scenario's total over sectors of ``variable`` by year, in its units.

    Columns: ``scenario, year, value`` (the median when the result has draws) and, only when
    some result has draws, ``p10, p90`` (NaN for a result without draws).
    """
    _check_results(results, variable)
    any_draws = any(DRAW in ds[variable].dims for ds in results.values())
    frames = []
    for name, ds in results.items():
        total = ds[variable].sum(SECTOR)
        frame = pd.DataFrame({"scenario": name, "year": total[YEAR].values.astype(int)})
        if DRAW in total.dims:
            bands = total.quantile([0.1, 0.5, 0.9], dim=DRAW).transpose("quantile", YEAR)
            frame["value"] = bands.sel(quantile=0.5).values
            frame["p10"] = bands.sel(quantile=0.1).values
            frame["p90"] = bands.sel(quantile=0.9).values
        else:
            frame["value"] = total.transpose(YEAR).values.astype(float)
            if any_draws:
                frame["p10"] = frame["p90"] = float("nan")
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def compare_chart(
    results: Mapping[str, xr.Dataset], variable: str = "gap_fte", lang: Lang = "sv"
) -> alt.TopLevelMixin:
    """Scenarios side by side over the years: one line (median) and, with draws, an 80 % band."""
    df = compare_data(results, variable, lang)
    first = next(iter(results.values()))
    name = _variable_name(variable, lang)
    axis_name = t("gap_axis", lang) if variable == "gap_fte" else name
    y_title = _axis_title(axis_name, first, variable, lang)
    unit = unit_label(str(first[variable].attrs.get("units", "")), lang)
    x = alt.X("year:Q", title=t("year", lang), axis=alt.Axis(format="d", tickMinStep=1))
    scale = alt.Scale(domain=list(results), range=SCENARIO_COLOURS[: len(results)])
    legend = alt.Legend(symbolOpacity=1, symbolType="stroke", symbolStrokeWidth=3)
    colour = alt.Color("scenario:N", title=t("scenario", lang), scale=scale, legend=legend)
    tooltip = [
        alt.Tooltip("scenario:N", title=t("scenario", lang)),
        alt.Tooltip("year:Q", title=t("year", lang), format="d"),
        alt.Tooltip("value:Q", title=f"{name} ({unit.lower()})", format=",.0f"),
    ]
    layers: list[alt.Chart] = []
    if variable == "gap_fte":
        zero = pd.DataFrame({"zero": [0]})
        layers.append(alt.Chart(zero).mark_rule(color="#555").encode(y="zero:Q"))
    if "p10" in df:
        note = t("compare_band_note", lang)
        tooltip += [
            alt.Tooltip("p10:Q", title=f"{note} ↓", format=",.0f"),
            alt.Tooltip("p90:Q", title=f"{note} ↑", format=",.0f"),
        ]
        band = (
            alt.Chart(df)
            .transform_filter("isValid(datum.p10)")
            .mark_area(opacity=0.2)
            .encode(x=x, y=alt.Y("p10:Q", title=y_title), y2="p90:Q", color=colour)
        )
        layers.append(band)
    line = (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)).axis(format=",.0f"),
            color=colour,
            tooltip=tooltip,
        )
    )
    layers.append(line)
    chart = alt.layer(*layers).properties(
        width=CHART_WIDTH, height=CHART_HEIGHT, title=t("compare_title", lang, measure=name)
    )
    return _finish(chart, lang)


def _median(da: xr.DataArray) -> float:
    """A scalar: the value itself, or its median over draws."""
    return float(da.median(DRAW) if DRAW in da.dims else da)


def compare_table(
    results: Mapping[str, xr.Dataset], lang: Lang, year: int, periods: list[tuple[int, int]]
) -> pd.DataFrame:
    """One row per scenario: gap, supply, demand [fte] and population [persons] in ``year``,
    and per period the summed recruitment need and retirements [persons]; medians over draws.

    Numbers stay numbers; show them with :func:`scenarios.charts.format_table`.
    """
    _check_results(results, "gap_fte")
    persons, fte = t("report_unit_persons", lang), t("report_unit_fte", lang)

    def at_year(key: str, unit: str) -> str:
        return t("compare_col_year", lang, measure=t(key, lang), year=year, unit=unit)

    rows = []
    for name, ds in results.items():
        if year not in ds[YEAR].values:
            raise ValueError(f"{name!r} has no year {year}")
        row: dict[str, object] = {t("scenario", lang): name}
        for variable in ("gap_fte", "supply_fte", "demand_fte"):
            value = _median(ds[variable].sel({YEAR: year}).sum(SECTOR))
            row[at_year(f"report_{variable}", fte)] = value
        population = ds["population"].sel({YEAR: year}).sum([SEX, AGE])
        row[at_year("report_population", persons)] = _median(population)
        for first, last in periods:
            for variable in ("recruitment_need", "retirements"):
                column = t(
                    "compare_col_period",
                    lang,
                    measure=t(f"report_{variable}", lang),
                    first=first,
                    last=last,
                    unit=persons,
                )
                row[column] = _median(cumulative(ds[variable], first, last).sum(SECTOR))
        rows.append(row)
    return pd.DataFrame(rows)
