"""A council report of one Result: key figures, sector balance and recruitment needs, yearly totals.

Tables are numbers with headings in the report's language (for Excel and tests); the Markdown
report formats them in that language. Persons and FTE are rounded to whole numbers before
subtotals are taken, so every subtotal is exactly the sum of its rows as printed. With draws,
each sector's value is its median over draws and sums are sums of those medians (so the
tables add up); the 10–90 % bands are quantiles of the summed draws, since quantiles do not add.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import xarray as xr

from forecast.balance import cumulative
from forecast.dims import AGE, DRAW, SECTOR, SEX, YEAR
from forecast.files import atomic_write
from scenarios.i18n import (
    DEFAULT_LANG,
    Lang,
    format_number,
    format_percent,
    format_signed_percent,
    sector_label,
    t,
)
from scenarios.summary import AGE_GROUPS, FLOWS, quantiles

Period = tuple[int, int]
YEARLY = ("supply_fte", "demand_fte", "gap_fte", *FLOWS)
BANDED = ("gap_fte", "recruitment_need")  # variables that get 10–90 % columns with draws
BANDS = ("p10", "p90")
WELFARE = "welfare"
ELDERLY_CARE = "elderly_care"

# One row of the sector table: (row key, label, the sector ids it sums).
Row = tuple[str, str, list[str]]


# --- helpers -----------------------------------------------------------------------------


def base_and_final_year(result: xr.Dataset) -> tuple[int, int]:
    """The base year and the last projected year (the horizon) of a Result."""
    years = [int(y) for y in result[YEAR].values]
    final = int(result.attrs.get("horizon", years[-1]))
    return int(result.attrs.get("base_year", years[0])), final if final in years else years[-1]


def _central(da: xr.DataArray) -> xr.DataArray:
    """The median over draws, or the value itself for a central-path Result."""
    return da.median(DRAW) if DRAW in da.dims else da


def _bands(da: xr.DataArray) -> dict[str, float]:
    """The 10 % and 90 % quantiles over draws of a scalar-per-draw array, in whole units."""
    bands = quantiles(da).round()
    return {band: float(bands.sel(quantile=band)) for band in BANDS}


def _unit(variable: str, lang: Lang) -> str:
    return t("report_unit_fte" if variable.endswith("_fte") else "report_unit_persons", lang)


def _heading(variable: str, when: object, lang: Lang, band: str | None = None) -> str:
    """Column heading with its unit: "Brist 2033 (årsarbetare)", "Brist 2033, 10 % (…)"."""
    name = f"{t(f'report_{variable}', lang)} {when}"
    if band:
        name += ", " + format_percent(float(band[1:]), lang, 0)
    return f"{name} ({_unit(variable, lang)})"


def _period(period: Period) -> str:
    return f"{period[0]}–{period[1]}"


def _rows(result: xr.Dataset, sectors: pd.DataFrame, lang: Lang) -> list[Row]:
    """Welfare sectors and their subtotal, the other sectors and theirs, then the total.

    Sectors without a `group` (or not in `sectors`) count as other; subtotals appear only
    when both groups have sectors, otherwise the total says it all.
    """
    ids = [str(s) for s in result[SECTOR].values]
    group = sectors["group"] if "group" in sectors.columns else pd.Series(dtype=object)
    welfare = [s for s in ids if group.get(s) == WELFARE]
    other = [s for s in ids if s not in welfare]
    rows: list[Row] = []
    for key, members in (("welfare_total", welfare), ("other_total", other)):
        rows += [(s, sector_label(sectors, s, lang), [s]) for s in members]
        if welfare and other:
            rows.append((key, t(f"report_{key}", lang), members))
    rows.append(("total", t("total", lang), ids))
    return rows


def _row_values(da: xr.DataArray, rows: list[Row], whole: bool = True) -> list[float]:
    """Each row's central value: the sum of its sectors' medians (rounded first if whole)."""
    central = _central(da)
    by_sector = (central.round() if whole else central).to_series()
    by_sector.index = by_sector.index.astype(str)
    return [float(by_sector.loc[members].sum()) for _, _, members in rows]


def _row_bands(da: xr.DataArray, rows: list[Row]) -> dict[str, list[float]]:
    """Each row's 10 % and 90 % quantiles over draws of the sum of its sectors."""
    bands = [_bands(da.sel({SECTOR: members}).sum(SECTOR)) for _, _, members in rows]
    return {band: [b[band] for b in bands] for band in BANDS}


def _percent(new: float, old: float) -> float:
    return 100 * (new - old) / old if old else float("nan")


# --- tables ------------------------------------------------------------------------------


def key_figures(result: xr.Dataset, lang: Lang = DEFAULT_LANG) -> pd.DataFrame:
    """Population total, 20–66 and 85+ [persons] and the total gap [FTE] in the base and
    final year, with the change in units and in %."""
    base, final = base_and_final_year(result)
    pop = result.population.sum(SEX)
    series = {}
    for key, label in (
        ("total", "report_population_total"),
        ("20-66", "report_age_20_66"),
        ("85+", "report_age_85"),
    ):
        low, high = AGE_GROUPS[key]
        series[t(label, lang)] = _central(pop.sel({AGE: slice(low, high)}).sum(AGE)).round()
    series[t("report_gap_all", lang)] = _central(result.gap_fte).round().sum(SECTOR)
    rows = []
    for label, values in series.items():
        first, last = float(values.sel({YEAR: base})), float(values.sel({YEAR: final}))
        rows.append(
            {
                t("measure", lang): label,
                str(base): first,
                str(final): last,
                t("report_change", lang): last - first,
                t("change_percent", lang): _percent(last, first),
            }
        )
    return pd.DataFrame(rows)


def sector_balance(
    result: xr.Dataset, sectors: pd.DataFrame, periods: list[Period], lang: Lang = DEFAULT_LANG
) -> pd.DataFrame:
    """Per sector, subtotal and total (index: sector id, welfare_total, other_total, total):
    demand, supply and gap in the final year [FTE], demand change since the base year [%],
    and per period the cumulative retirements and expansion, replacement and recruitment
    needs [persons]. Flows the Result lacks are left out."""
    base, final = base_and_final_year(result)
    rows = _rows(result, sectors, lang)
    draws = DRAW in result.dims
    columns: dict[str, list[object]] = {t("sector", lang): [label for _, label, _ in rows]}

    def add(variable: str, when: object, da: xr.DataArray) -> None:
        columns[_heading(variable, when, lang)] = _row_values(da, rows)
        if draws and variable in BANDED:
            for band, values in _row_bands(da, rows).items():
                columns[_heading(variable, when, lang, band)] = values

    for variable in ("demand_fte", "supply_fte", "gap_fte"):
        add(variable, final, result[variable].sel({YEAR: final}))
    demand = [result.demand_fte.sel({YEAR: year}) for year in (base, final)]
    old, new = (_row_values(d, rows, whole=False) for d in demand)
    columns[t("report_demand_change", lang, base=base, end=final)] = list(map(_percent, new, old))
    for period in periods:
        for variable in (v for v in FLOWS if v in result):
            add(variable, _period(period), cumulative(result[variable], *period))
    return pd.DataFrame(columns, index=pd.Index([key for key, _, _ in rows], name=SECTOR))


def yearly_totals(result: xr.Dataset, lang: Lang = DEFAULT_LANG) -> pd.DataFrame:
    """Totals over sectors by year: population [persons], supply, demand, gap [FTE] and the
    flows [persons]; each total is the sum of the sectors' rounded medians."""
    draws = DRAW in result.dims
    columns = {t("year", lang): [int(y) for y in result[YEAR].values]}
    population = _central(result.population.sum([SEX, AGE])).round()
    columns[f"{t('report_population', lang)} ({_unit('population', lang)})"] = population.values
    for variable in (v for v in YEARLY if v in result):
        da = result[variable]
        name = f"{t(f'report_{variable}', lang)} ({_unit(variable, lang)})"
        columns[name] = _central(da).round().sum(SECTOR).transpose(YEAR).values
        if draws and variable in BANDED:
            bands = quantiles(da.sum(SECTOR)).round()
            for band in BANDS:
                label = format_percent(float(band[1:]), lang, 0)
                heading = f"{t(f'report_{variable}', lang)}, {label} ({_unit(variable, lang)})"
                columns[heading] = bands.sel(quantile=band).transpose(YEAR).values
    return pd.DataFrame(columns)


def report_tables(
    result: xr.Dataset,
    sectors: pd.DataFrame,
    periods: list[Period] | None = None,
    lang: Lang = DEFAULT_LANG,
) -> dict[str, pd.DataFrame]:
    """The report's tables: "key_figures", "sectors" and "yearly" (see the builders);
    periods default to the whole projection, base year to horizon."""
    periods = periods or [base_and_final_year(result)]
    return {
        "key_figures": key_figures(result, lang),
        "sectors": sector_balance(result, sectors, periods, lang),
        "yearly": yearly_totals(result, lang),
    }


# --- Markdown ----------------------------------------------------------------------------


def _cell(value: object, column: str, lang: Lang) -> str:
    """One table cell: years plain, percent columns with one decimal, others whole numbers."""
    if isinstance(value, str):
        return value.replace("|", "\\|")
    if column == t("year", lang):
        return str(int(value))
    return format_number(float(value), lang, 1 if column.endswith("(%)") else 0)


def markdown_table(df: pd.DataFrame, lang: Lang = DEFAULT_LANG) -> str:
    """A GitHub-flavoured Markdown table of `df` (without its index), numbers in `lang`'s
    format, text left-aligned and numbers right-aligned."""
    names = [str(c) for c in df.columns]
    align = [
        "---" if df[c].dtype == object or pd.api.types.is_string_dtype(df[c]) else "--:"
        for c in df.columns
    ]
    lines = ["| " + " | ".join(names) + " |", "|" + "|".join(align) + "|"]
    for row in df.itertuples(index=False):
        lines.append(
            "| " + " | ".join(_cell(v, c, lang) for v, c in zip(row, names, strict=True)) + " |"
        )
    return "\n".join(lines)


def _scenario_title(result: xr.Dataset, lang: Lang) -> str:
    """The scenario's title in `lang` from the recorded scenario, else its name."""
    scenario = json.loads(result.attrs.get("scenario_json", "{}"))
    return scenario.get(f"title_{lang}") or str(result.attrs.get("scenario", ""))


def _sentences(
    result: xr.Dataset, tables: dict[str, pd.DataFrame], period: Period, lang: Lang
) -> list[str]:
    """The plain-language summary, every number read from the tables."""
    base, final = base_and_final_year(result)
    sectors, figures = tables["sectors"], tables["key_figures"].set_index(t("measure", lang))
    sentences: list[str] = []

    def say(key: str, **fields: object) -> None:
        sentences.append(t(key, lang, base=base, end=final, **fields))  # unused fields: ignored

    def number(value: float) -> str:
        return format_number(value, lang)

    change = figures[t("change_percent", lang)]
    say("report_population_change",
        working=format_signed_percent(change[t("report_age_20_66", lang)], lang),
        oldest=format_signed_percent(change[t("report_age_85", lang)], lang))  # fmt: skip
    recruitment = _heading("recruitment_need", _period(period), lang)
    replacement = _heading("replacement_need", _period(period), lang)
    if "welfare_total" in sectors.index and recruitment in sectors.columns:
        first, last = period
        when = t("report_until" if first <= base else "report_during", lang, first=first, last=last)
        welfare = sectors.loc["welfare_total"]
        if replacement in sectors.columns:
            say("report_welfare_need", when=when, need=number(welfare[recruitment]),
                replacement=number(welfare[replacement]))  # fmt: skip
        else:
            say("report_welfare_need_only", when=when, need=number(welfare[recruitment]))
    total_gap = float(figures.loc[t("report_gap_all", lang), str(final)])
    say(
        "report_total_gap" if total_gap >= 0 else "report_total_surplus", gap=number(abs(total_gap))
    )
    gaps = sectors[_heading("gap_fte", final, lang)]
    gaps = gaps[gaps.index.isin([str(s) for s in result[SECTOR].values])]
    if len(gaps) and gaps.max() > 0:
        biggest = gaps.idxmax()
        say("report_biggest_gap", sector=sectors.loc[biggest, t("sector", lang)],
            gap=number(gaps[biggest]))  # fmt: skip
    else:
        say("report_no_gap")
    if ELDERLY_CARE in sectors.index:
        elderly = sectors.loc[ELDERLY_CARE, t("report_demand_change", lang, base=base, end=final)]
        say("report_elderly_care", change=format_signed_percent(elderly, lang))
    return sentences


def summary_sentences(
    result: xr.Dataset,
    sectors: pd.DataFrame,
    period: Period | None = None,
    lang: Lang = DEFAULT_LANG,
) -> list[str]:
    """The report's plain-language sentences for one period (default: the whole projection),
    for the explorer's overview."""
    period = period or base_and_final_year(result)
    return _sentences(result, report_tables(result, sectors, [period], lang), period, lang)


def report_markdown(
    result: xr.Dataset,
    sectors: pd.DataFrame,
    periods: list[Period] | None = None,
    lang: Lang = DEFAULT_LANG,
) -> str:
    """The report as Markdown for a council: title, provenance, a plain-language summary
    (figures for the first period) and the three tables."""
    periods = periods or [base_and_final_year(result)]
    return _markdown(result, report_tables(result, sectors, periods, lang), periods[0], lang)


def _markdown(
    result: xr.Dataset, tables: dict[str, pd.DataFrame], period: Period, lang: Lang
) -> str:
    """The Markdown report of already built tables."""
    base, final = base_and_final_year(result)
    attrs = result.attrs
    draws = int(result.sizes.get(DRAW, 0))
    region = attrs.get("region_name", attrs.get("region", ""))
    meta = t("report_meta", lang, name=attrs.get("scenario", ""), base=base, end=final,
             vintage=attrs.get("data_vintage", "?"), seed=attrs.get("seed", 0))  # fmt: skip
    lines = [
        f"# {t('report_title', lang, region=region, scenario=_scenario_title(result, lang))}",
        "",
        meta,
        "",
        t("report_draws", lang, draws=draws) if draws else t("report_central", lang),
        "",
        f"## {t('report_summary', lang)}",
        "",
        *(f"- {s}" for s in _sentences(result, tables, period, lang)),
        "",
        f"## {t('key_figures', lang)}",
        "",
        markdown_table(tables["key_figures"], lang),
        "",
        f"## {t('report_sectors', lang, end=final)}",
        "",
        markdown_table(tables["sectors"], lang),
        "",
        f"## {t('report_yearly', lang)}",
        "",
        markdown_table(tables["yearly"], lang),
        "",
        t("report_notes", lang),
        "",
    ]
    return "\n".join(lines)


# --- files -------------------------------------------------------------------------------


def report_xlsx(tables: dict[str, pd.DataFrame], lang: Lang = DEFAULT_LANG) -> bytes:
    """An Excel workbook with one sheet per table, numbers kept as numbers."""
    sheets = {
        "key_figures": t("key_figures", lang),
        "sectors": t("report_sheet_sectors", lang),
        "yearly": t("report_sheet_yearly", lang),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for key, df in tables.items():
            df.to_excel(writer, index=False, sheet_name=sheets.get(key, key)[:31])
    return buffer.getvalue()


def write_report(
    result: xr.Dataset,
    sectors: pd.DataFrame,
    out_dir: Path | str = ".",
    periods: list[Period] | None = None,
    lang: Lang = DEFAULT_LANG,
) -> list[Path]:
    """Write report_<region>_<scenario>.md and .xlsx into `out_dir`; both are built in
    memory first and each is renamed into place, so a failure leaves no partial file."""
    periods = periods or [base_and_final_year(result)]
    tables = report_tables(result, sectors, periods, lang)
    markdown = _markdown(result, tables, periods[0], lang)
    workbook = report_xlsx(tables, lang)
    stem = f"report_{result.attrs['region']}_{result.attrs['scenario']}"
    return [
        atomic_write(Path(out_dir) / f"{stem}.md", lambda tmp: tmp.write_text(markdown, "utf-8")),
        atomic_write(Path(out_dir) / f"{stem}.xlsx", lambda tmp: tmp.write_bytes(workbook)),
    ]
