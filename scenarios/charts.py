"""Altair charts and tables for the explorer: pure functions of run results and a language.

Every builder takes one run result (``ds``) or several keyed by a display name
(``results = {"A – Baseline": ds_a, "B – +3 h": ds_b}``) following the runner's contract:
coords ``year, sex, age, sector``; ``population`` (year, sex, age) [persons];
``supply_fte``, ``demand_fte``, ``gap_fte`` (year, sector) [fte]; units in ``attrs["units"]``.
Nothing here touches Streamlit, so the same charts serve the app, reports and tests.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import altair as alt
import pandas as pd
import xarray as xr

from forecast.dims import FTE
from scenarios.i18n import LABELS, Lang, format_number, format_percent, t, unit_label, vega_locale
from scenarios.summary import population_groups

TARGET_YEAR = 2033
BASE_COLOUR = "#9aa5b1"
END_COLOUR = "#c0392b"
CHART_WIDTH = 640
CHART_HEIGHT = 320


# --- helpers -----------------------------------------------------------------------------


def base_and_end_year(ds: xr.Dataset) -> tuple[int, int]:
    """The run's base year and the comparison year (2033, or the last year if earlier)."""
    years = [int(y) for y in ds["year"].values]
    base = int(ds.attrs.get("base_year", years[0]))
    end = TARGET_YEAR if TARGET_YEAR in years else years[-1]
    return base, end


def _axis_title(name: str, ds: xr.Dataset, variable: str, lang: Lang) -> str:
    """Axis title with the unit taken from the variable's ``attrs["units"]``."""
    unit = unit_label(str(ds[variable].attrs.get("units", "")), lang)
    return f"{name}, {unit.lower()}" if name else unit


def _finish(chart: alt.TopLevelMixin, lang: Lang) -> alt.TopLevelMixin:
    """Apply the language's number locale so axes and tooltips match the tables."""
    return chart.configure(locale=vega_locale(lang)).configure_view(stroke=None)


def _select_sector(da: xr.DataArray, sector: str | None) -> xr.DataArray:
    """One sector's series, or the sum over sectors when ``sector`` is None."""
    if sector is None:
        return da.sum("sector")
    if sector not in da["sector"].values:
        raise ValueError(f"unknown sector {sector!r}; known: {list(da['sector'].values)}")
    return da.sel(sector=sector)


# --- population --------------------------------------------------------------------------


def fan_data(draws: xr.Dataset) -> pd.DataFrame:
    """Total population by year: the median and the 80 % and 95 % bands over draws [persons]."""
    total = draws.population.sum(["sex", "age"])
    bands = total.quantile([0.025, 0.1, 0.5, 0.9, 0.975], dim="draw")
    frame = bands.assign_coords(quantile=["p025", "p10", "p50", "p90", "p975"]).to_pandas().T
    return frame.rename_axis("year").reset_index().astype({"year": int})


def fan_chart(draws: xr.Dataset, lang: Lang) -> alt.TopLevelMixin:
    """The total population's fan: light 95 % band, dark 80 % band, median line."""
    df = fan_data(draws)
    base, end = base_and_end_year(draws)
    x = alt.X("year:Q", title=t("year", lang), axis=alt.Axis(format="d", tickMinStep=1))
    y_title = _axis_title(t("total", lang), draws, "population", lang)

    def band(low: str, high: str, opacity: float) -> alt.Chart:
        return (
            alt.Chart(df)
            .mark_area(color=END_COLOUR, opacity=opacity)
            .encode(x=x, y=alt.Y(f"{low}:Q", title=y_title, scale=alt.Scale(zero=False)),
                    y2=f"{high}:Q")
        )  # fmt: skip

    median = (
        alt.Chart(df)
        .mark_line(color=END_COLOUR)
        .encode(
            x=x,
            y=alt.Y("p50:Q", axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip("year:Q", title=t("year", lang), format="d"),
                alt.Tooltip("p50:Q", title=t("median", lang), format=",.0f"),
                alt.Tooltip("p10:Q", title=f"{t('band_80', lang)} ↓", format=",.0f"),
                alt.Tooltip("p90:Q", title=f"{t('band_80', lang)} ↑", format=",.0f"),
            ],
        )
    )
    chart = alt.layer(band("p025", "p975", 0.15), band("p10", "p90", 0.3), median).properties(
        width=CHART_WIDTH, height=CHART_HEIGHT, title=t("fan_title", lang, base=base, end=end)
    )
    return _finish(chart, lang)


# --- levers --------------------------------------------------------------------------------


def lever_data(results: Mapping[str, xr.Dataset], lang: Lang) -> pd.DataFrame:
    """Each scenario's extra FTE per lever in the comparison year [fte] (no rows: no levers)."""
    rows = []
    for name, ds in results.items():
        if "lever_fte_by_lever" not in ds:
            continue
        _, end = base_and_end_year(ds)
        by_lever = ds["lever_fte_by_lever"].sel(year=end).sum("sector").to_series()
        for lever, value in by_lever.items():
            rows.append((name, t(f"lever_{lever}", lang), float(value)))
    return pd.DataFrame(rows, columns=["scenario", "lever", "fte"])


def lever_table(results: Mapping[str, xr.Dataset], lang: Lang) -> pd.DataFrame:
    """lever_data with headings in the language, for the table and its CSV."""
    headings = {"scenario": t("scenario", lang), "lever": t("lever", lang)}
    headings["fte"] = unit_label("fte", lang)
    return lever_data(results, lang).rename(columns=headings)


def lever_chart(results: Mapping[str, xr.Dataset], lang: Lang) -> alt.TopLevelMixin:
    """Horizontal bars: each lever's extra FTE in the comparison year, per scenario."""
    df = lever_data(results, lang)
    _, end = base_and_end_year(next(iter(results.values())))
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("lever:N", title=t("lever", lang), sort="-x"),
            x=alt.X("fte:Q", title=unit_label("fte", lang), axis=alt.Axis(format=",.0f")),
            color=alt.Color("scenario:N", title=t("scenario", lang)),
            yOffset="scenario:N",
            tooltip=[
                alt.Tooltip("scenario:N", title=t("scenario", lang)),
                alt.Tooltip("lever:N", title=t("lever", lang)),
                alt.Tooltip("fte:Q", title=unit_label("fte", lang), format=",.0f"),
            ],
        )
        .properties(width=CHART_WIDTH, title=t("levers_title", lang, end=end))
    )
    return _finish(chart, lang)


def pyramid_data(ds: xr.Dataset, lang: Lang) -> pd.DataFrame:
    """Tidy population by age and sex in the base year and 2033 [persons].

    Columns: ``year, year_label, sex, sex_label, age, persons``.
    """
    base, end = base_and_end_year(ds)
    pop = ds["population"].sel(year=[base, end])
    df = pop.to_dataframe(name="persons").reset_index()[["year", "sex", "age", "persons"]]
    df["year"] = df["year"].astype(int)
    df["age"] = df["age"].astype(int)
    df["year_label"] = df["year"].astype(str)
    df["sex_label"] = [t(str(s), lang) for s in df["sex"]]
    return df


def pyramid_chart(ds: xr.Dataset, lang: Lang) -> alt.TopLevelMixin:
    """Population pyramid: women to the left, men to the right; bars = base year, line = 2033."""
    base, end = base_and_end_year(ds)
    df = pyramid_data(ds, lang)
    top = float(df["persons"].max()) * 1.05 or 1.0
    colour = alt.Color(
        "year_label:N",
        title=t("year", lang),
        scale=alt.Scale(domain=[str(base), str(end)], range=[BASE_COLOUR, END_COLOUR]),
    )
    tooltip = [
        alt.Tooltip("sex_label:N", title=""),
        alt.Tooltip("year_label:N", title=t("year", lang)),
        alt.Tooltip("age:Q", title=t("age", lang)),
        alt.Tooltip("persons:Q", title=unit_label("persons", lang), format=",.0f"),
    ]

    def half(sex: str, show_age_axis: bool) -> alt.LayerChart:
        title = _axis_title(t(sex, lang), ds, "population", lang)
        x_scale = alt.Scale(domain=[0, top], reverse=(sex == "female"))
        y = alt.Y(
            "age:Q",
            title=t("age", lang) if show_age_axis else None,
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(format="d") if show_age_axis else None,
        )
        part = alt.Chart(df).transform_filter(alt.datum.sex == sex)
        bars = part.transform_filter(alt.datum.year == base).mark_bar(orient="horizontal", height=3)
        line = part.transform_filter(alt.datum.year == end).mark_line(strokeWidth=1.5)
        x = alt.X("persons:Q", title=title, scale=x_scale, axis=alt.Axis(format=",.0f"))
        return alt.layer(
            bars.encode(x=x, y=y, color=colour, tooltip=tooltip),
            line.encode(x=x, y=y, order="age:Q", color=colour, tooltip=tooltip),
        ).properties(width=CHART_WIDTH // 2 - 30, height=CHART_HEIGHT + 80)

    chart = alt.hconcat(half("female", False), half("male", True), spacing=4).properties(
        title=t("pyramid_title", lang, base=base, end=end)
    )
    return _finish(chart, lang)


def key_figures_table(ds: xr.Dataset, lang: Lang) -> pd.DataFrame:
    """Population by broad age group in the base year and 2033, and the change [persons, %].

    Values are numbers (for CSV and tests); use :func:`format_table` to display them.
    """
    base, end = base_and_end_year(ds)
    groups = population_groups(ds)
    rows = []
    for key, values in groups.iterrows():
        first, last = float(values[base]), float(values[end])
        rows.append(
            {
                t("age_group", lang): t(key, lang) if key in LABELS else key.replace("-", "–"),
                str(base): first,
                str(end): last,
                t("change_persons", lang): last - first,
                t("change_percent", lang): 100 * (last - first) / first if first else float("nan"),
            }
        )
    return pd.DataFrame(rows)


# --- supply and demand -------------------------------------------------------------------


def supply_demand_data(
    results: Mapping[str, xr.Dataset], sector: str | None, lang: Lang, unit: str = FTE
) -> pd.DataFrame:
    """Tidy demand and supply by year for each scenario, in FTE (``unit="fte"``) or persons
    (``"persons"``); all sectors when ``sector`` is None.

    Columns: ``scenario, measure, year, value``.
    """
    frames = []
    for name, ds in results.items():
        for variable, key in ((f"demand_{unit}", "demand"), (f"supply_{unit}", "supply")):
            series = _select_sector(ds[variable], sector).to_series()
            frames.append(
                pd.DataFrame(
                    {
                        "scenario": name,
                        "measure": t(key, lang),
                        "year": series.index.astype(int),
                        "value": series.to_numpy(dtype=float),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def supply_demand_chart(
    results: Mapping[str, xr.Dataset],
    sector: str | None,
    lang: Lang,
    sector_name: str | None = None,
    unit: str = FTE,
) -> alt.TopLevelMixin:
    """Lines of labour demand and supply over the years; colour = measure, dash = scenario."""
    df = supply_demand_data(results, sector, lang, unit)
    first = next(iter(results.values()))
    chart = (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title=t("year", lang), axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(
                "value:Q",
                title=_axis_title("", first, f"supply_{unit}", lang),
                axis=alt.Axis(format=",.0f"),
                scale=alt.Scale(zero=False),
            ),
            color=alt.Color("measure:N", title=t("measure", lang)),
            strokeDash=alt.StrokeDash(
                "scenario:N", title=t("scenario", lang), legend=alt.Legend(symbolType="stroke")
            ),
            tooltip=[
                alt.Tooltip("scenario:N", title=t("scenario", lang)),
                alt.Tooltip("measure:N", title=t("measure", lang)),
                alt.Tooltip("year:Q", title=t("year", lang), format="d"),
                alt.Tooltip("value:Q", title=unit_label(unit, lang), format=",.0f"),
            ],
        )
        .properties(
            width=CHART_WIDTH,
            height=CHART_HEIGHT,
            title=t("supply_demand_title", lang, sector=sector_name or _sector_text(sector, lang)),
        )
    )
    return _finish(chart, lang)


def gap_data(
    results: Mapping[str, xr.Dataset], lang: Lang, sector: str | None = None
) -> pd.DataFrame:
    """Tidy gap (demand − supply; positive = shortage) by year for each scenario [fte]."""
    frames = []
    for name, ds in results.items():
        series = _select_sector(ds["gap_fte"], sector).to_series()
        frames.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "year": series.index.astype(int),
                    "gap_fte": series.to_numpy(dtype=float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def gap_chart(
    results: Mapping[str, xr.Dataset],
    lang: Lang,
    sector: str | None = None,
    sector_name: str | None = None,
) -> alt.TopLevelMixin:
    """The gap for each scenario over the years, with a zero line (above zero = shortage)."""
    df = gap_data(results, lang, sector)
    first = next(iter(results.values()))
    lines = (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title=t("year", lang), axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(
                "gap_fte:Q",
                title=_axis_title(t("gap_axis", lang), first, "gap_fte", lang),
                axis=alt.Axis(format=",.0f"),
            ),
            color=alt.Color("scenario:N", title=t("scenario", lang)),
            tooltip=[
                alt.Tooltip("scenario:N", title=t("scenario", lang)),
                alt.Tooltip("year:Q", title=t("year", lang), format="d"),
                alt.Tooltip("gap_fte:Q", title=unit_label("fte", lang), format=",.0f"),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#555").encode(y="y:Q")
    chart = alt.layer(zero, lines).properties(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        title=t("gap_title", lang, sector=sector_name or _sector_text(sector, lang)),
    )
    return _finish(chart, lang)


def gap_table(
    results: Mapping[str, xr.Dataset], lang: Lang, sector: str | None = None
) -> pd.DataFrame:
    """Gap by year (rows) and scenario (columns) [fte], numeric."""
    df = gap_data(results, lang, sector)
    table = df.pivot(index="year", columns="scenario", values="gap_fte")
    table = table[list(results)]  # keep the caller's scenario order
    table.index.name = t("year", lang)
    table.columns.name = None
    return table.reset_index()


def _sector_text(sector: str | None, lang: Lang) -> str:
    return t("all_sectors", lang) if sector is None else sector


# --- output ------------------------------------------------------------------------------


def format_table(df: pd.DataFrame, lang: Lang) -> pd.io.formats.style.Styler:
    """A Styler showing ``df``'s numbers in ``lang``'s format; percent columns get "%".

    Year columns (named "År"/"Year") are shown without grouping.
    """
    year_name = t("year", lang)
    percent_name = t("change_percent", lang)
    formatters = {}
    for column in df.columns:
        if column == year_name:
            formatters[column] = str
        elif column == percent_name:
            formatters[column] = lambda v: format_percent(v, lang, 1)
        elif pd.api.types.is_numeric_dtype(df[column]):
            formatters[column] = lambda v: format_number(v, lang, 0)
    return df.style.format(formatters).hide(axis="index")


def table_csv(df: pd.DataFrame, lang: Lang) -> bytes:
    """CSV of ``df``: Swedish files use ";" and decimal comma, as Excel with Swedish settings
    expects; UTF-8 with a byte-order mark so å, ä and ö survive opening in Excel."""
    options = {"sep": ";", "decimal": ","} if lang == "sv" else {"sep": ",", "decimal": "."}
    return df.to_csv(index=False, **options).encode("utf-8-sig")


def table_xlsx(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An Excel workbook of ``df`` (numbers stay numbers; Excel formats them by locale)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        df.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes, rendered by vl-convert (``scale`` 2 for sharp print)."""
    buffer = io.BytesIO()
    chart.save(buffer, format="png", scale_factor=scale)
    return buffer.getvalue()


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG document, rendered by vl-convert."""
    buffer = io.StringIO()
    chart.save(buffer, format="svg")
    return buffer.getvalue()
