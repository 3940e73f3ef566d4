"""Employer surveys beside the projection: reported recruitment needs next to the model's.

A survey file lists reported needs (region, period, occupational area, count, respondents,
source); data/survey_areas.csv maps each occupational area to model sectors, so the mapping
is data, not code. The comparison puts the model's recruitment need (expansion +
replacement) for the same region, period and sectors beside each reported count.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import xarray as xr

from forecast.balance import cumulative
from forecast.dims import SECTOR
from forecast.files import read_text_table
from forecast.inputs import Inputs
from scenarios.i18n import Lang, format_number, t

DATA = Path(__file__).resolve().parents[1] / "data"
DEFAULT_SURVEY = DATA / "official" / "employer_survey_norrbotten.csv"
AREAS = DATA / "survey_areas.csv"
COLUMNS = ["region_code", "period", "employer", "area", "count", "respondents", "source"]


class SurveyError(ValueError):
    """A survey file that cannot be used; the message names the file, the row and the column."""


def read_areas(path: Path = AREAS, sectors: list[str] | None = None) -> dict[str, list[str]]:
    """Occupational area → model sectors, from the mapping file."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    mapping = {row.area: row.sectors.split(";") for row in frame.itertuples(index=False)}
    for row, (area, mapped) in enumerate(mapping.items()):
        unknown = [s for s in mapped if sectors is not None and s not in sectors]
        if unknown:
            raise SurveyError(
                f"{path}: row {row + 2}: area {area!r} maps to unknown sector {unknown[0]!r}"
            )
    return mapping


def _period(text: str) -> tuple[int, int] | None:
    parts = text.split("-")
    if len(parts) == 2 and all(p.isdigit() and len(p) == 4 for p in parts):
        first, last = int(parts[0]), int(parts[1])
        return (first, last) if first <= last else None
    return None


def read_survey(path: Path | str, inputs: Inputs, areas: dict[str, list[str]]) -> pd.DataFrame:
    """The validated survey: one row per reported need, with `first` and `last` year."""
    path = Path(path)
    frame = read_text_table(path, COLUMNS, SurveyError)
    firsts, lasts = [], []
    for i, row in enumerate(frame.itertuples(index=False)):
        where = f"{path}: row {i + 2}"
        if row.region_code not in inputs.regions.index:
            raise SurveyError(f"{where}: unknown region {row.region_code!r}")
        if row.area not in areas:
            raise SurveyError(
                f"{where}: unknown occupational area {row.area!r}; add it to {AREAS.name}"
            )
        period = _period(row.period)
        if period is None:
            raise SurveyError(f"{where}: period {row.period!r} is not FIRST-LAST, e.g. 2026-2027")
        for column in ("count", "respondents"):
            try:
                value = float(getattr(row, column))
            except ValueError:
                value = math.nan
            if not (math.isfinite(value) and value >= 0):
                raise SurveyError(
                    f"{where}: {column} must be a number ≥ 0, got {getattr(row, column)!r}"
                )
        if not row.source.strip():
            raise SurveyError(f"{where}: source is empty: every row needs its source")
        firsts.append(period[0])
        lasts.append(period[1])
    return frame.assign(
        count=frame["count"].astype(float),
        respondents=frame.respondents.astype(float),
        first=firsts,
        last=lasts,
    )


def compare(
    survey: pd.DataFrame, result: xr.Dataset, areas: dict[str, list[str]], region: str
) -> pd.DataFrame:
    """Each reported need of `region` beside the model's recruitment need [persons] for the
    same period and the area's sectors (expansion + replacement, central path)."""
    rows = []
    for row in survey[survey.region_code == region].itertuples(index=False):
        need = result.recruitment_need.sel({SECTOR: areas[row.area]}).sum(SECTOR)
        parts = {
            name: float(cumulative(result[name].sel({SECTOR: areas[row.area]}).sum(SECTOR),
                                   row.first, row.last))
            for name in ("expansion_need", "replacement_need")
        }  # fmt: skip
        model = float(cumulative(need, row.first, row.last))
        rows.append(
            {
                "area": row.area,
                "period": row.period,
                "survey": row.count,
                "respondents": row.respondents,
                "sectors": ", ".join(areas[row.area]),
                "model": model,
                "model_expansion": parts["expansion_need"],
                "model_replacement": parts["replacement_need"],
                "ratio": row.count / model if model > 0 else math.nan,
            }
        )
    return pd.DataFrame(rows)


def comparison_table(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The comparison with headers in the language (numbers stay numbers for downloads)."""
    return table.rename(
        columns={
            "area": t("survey_area", lang),
            "period": t("period", lang),
            "survey": t("survey_count", lang),
            "respondents": t("survey_respondents", lang),
            "sectors": t("survey_sectors", lang),
            "model": t("survey_model", lang),
            "model_expansion": t("report_expansion_need", lang),
            "model_replacement": t("report_replacement_need", lang),
            "ratio": t("survey_ratio", lang),
        }
    )


def explanation(table: pd.DataFrame, lang: Lang) -> str:
    """Why the two differ, in plain words, with the totals of the first (overall) row."""
    if table.empty:
        return t("survey_none", lang)
    top = table.iloc[0]
    return t(
        "survey_why",
        lang,
        survey=format_number(top.survey, lang),
        model=format_number(top.model, lang),
        period=top.period,
    )
