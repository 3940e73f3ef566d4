"""Population ambitions that must add up: what each stated target needs in net in-migration,
and what all targets together imply for the counties and the country.

Moves within Sweden are zero-sum: people a municipality gains from elsewhere in Sweden are
lost somewhere else. So the sum of all targets is held against the people that exist: the
central projection of the country (the "19 million" check of the Västernorrland council).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from forecast.dims import REGION, YEAR
from forecast.establishments import Params as Establishments
from forecast.files import read_text_table
from forecast.inputs import Inputs
from scenarios.establishments import establishment_flows
from scenarios.i18n import Lang, format_number, format_percent, t
from scenarios.projection import projection_of
from scenarios.spec import HORIZON_MAX

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "ambitions.csv"
COLUMNS = ["region_code", "target_population", "target_year", "source"]


class AmbitionError(ValueError):
    """An ambitions file that cannot be used; the message names the file and the row."""


def read_ambitions(path: Path | str, inputs: Inputs) -> pd.DataFrame:
    """The validated targets: one row per region with target_population and target_year."""
    path = Path(path)
    frame = read_text_table(path, COLUMNS, AmbitionError)
    for i, row in enumerate(frame.itertuples(index=False)):
        where = f"{path}: row {i + 2}"
        if row.region_code not in inputs.regions.index:
            raise AmbitionError(f"{where}: unknown region {row.region_code!r}")
        try:
            target, year = float(row.target_population), int(row.target_year)
        except ValueError:
            raise AmbitionError(
                f"{where}: target_population and target_year must be numbers"
            ) from None
        if not (math.isfinite(target) and target > 0):
            raise AmbitionError(
                f"{where}: target_population must be > 0, got {row.target_population!r}"
            )
        if not inputs.base_year < year <= HORIZON_MAX:
            raise AmbitionError(
                f"{where}: target_year must be {inputs.base_year + 1}–{HORIZON_MAX}, got {year}"
            )
        if not row.source.strip():
            raise AmbitionError(f"{where}: source is empty: every target needs its source")
    if frame.region_code.duplicated().any():
        dup = frame.region_code[frame.region_code.duplicated()].iloc[0]
        raise AmbitionError(f"{path}: region {dup!r} has more than one target")
    return frame.assign(
        target_population=frame.target_population.astype(float),
        target_year=frame.target_year.astype(int),
    )


def _projection(inputs: Inputs, horizon: int):
    """The baseline's central projection of all units (with the establishments' movers)."""
    params = Establishments()
    flows = establishment_flows(params, inputs, horizon)
    movers = None if flows is None else flows[1]
    return projection_of(inputs, horizon, 0, 0, movers, params.model_dump_json())


def needs(ambitions: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """Per target: the projected population, the shortfall and the net in-migration per year
    [persons] the target needs (projected net migration + shortfall spread over the years).

    The extra movers' own births and deaths are left out: movers are mostly of working age, so
    the need is slightly overstated for targets far ahead.
    """
    horizon = int(ambitions.target_year.max())
    projection = _projection(inputs, horizon)
    rows = []
    for row in ambitions.itertuples(index=False):
        units = inputs.units_of(row.region_code)
        part = projection.sel({REGION: units}).sum(REGION)
        people = part.population.sum(["sex", "age"])
        years = row.target_year - inputs.base_year
        span = {YEAR: slice(inputs.base_year + 1, row.target_year)}
        moved = part.immigrants + part.domestic_in - part.emigrants - part.domestic_out
        net = float(moved.sel(span).sum()) / years
        projected = float(people.sel({YEAR: row.target_year}))
        shortfall = row.target_population - projected
        rows.append(
            {
                "region_code": row.region_code,
                "name": inputs.region_name(row.region_code),
                "county": _county(inputs, row.region_code),
                "base_population": float(people.sel({YEAR: inputs.base_year})),
                "target_year": row.target_year,
                "target_population": row.target_population,
                "projected_population": projected,
                "shortfall": shortfall,
                "projected_net_migration_per_year": net,
                "needed_net_migration_per_year": net + shortfall / years,
                "source": row.source,
            }
        )
    return pd.DataFrame(rows)


def _county(inputs: Inputs, code: str) -> str:
    level = inputs.regions.loc[code, "level"]
    return code if level == "county" else str(inputs.regions.loc[code, "parent"]) or code


def add_up(table: pd.DataFrame, inputs: Inputs) -> tuple[pd.DataFrame, dict[str, float]]:
    """All targets together: the extra people by county, and against the country.

    Within Sweden the extra people are taken from other municipalities (zero-sum); from
    abroad they would have to raise Riket's net immigration by as much.
    """
    horizon = int(table.target_year.max())
    projection = _projection(inputs, horizon)
    riket = projection.population.sum(["region", "sex", "age"])
    abroad = (projection.immigrants - projection.emigrants).sum(
        [d for d in projection.immigrants.dims if d != YEAR]
    )
    counties = (
        table.groupby("county")
        .agg(targets=("region_code", "count"), shortfall=("shortfall", "sum"))
        .reset_index()
    )
    counties["name"] = [inputs.region_name(c) for c in counties.county]
    counties["projected_population"] = [
        float(projection.population.sel({REGION: inputs.units_of(c), YEAR: horizon}).sum())
        for c in counties.county
    ]
    # the rest of the county: where the people would come from if they moved within it
    targets = {c: set(table.region_code[table.county == c]) for c in counties.county}
    counties["rest_projected"] = [
        float(
            projection.population.sel(
                {REGION: [u for u in inputs.units_of(c) if u not in targets[c]], YEAR: horizon}
            ).sum()
        )
        for c in counties.county
    ]
    counties["rest_share_lost"] = counties.shortfall.clip(lower=0) / counties.rest_projected
    extra = float(table.shortfall.clip(lower=0).sum())
    projected_net = float(abroad.sel({YEAR: slice(inputs.base_year + 1, horizon)}).sum())
    country = {
        "horizon": horizon,
        "riket_base": float(riket.sel({YEAR: inputs.base_year})),
        "riket_projected": float(riket.sel({YEAR: horizon})),
        "extra_people": extra,
        "riket_if_all_from_abroad": float(riket.sel({YEAR: horizon})) + extra,
        "projected_net_immigration": projected_net,
        "net_immigration_needed_if_from_abroad": projected_net + extra,
    }
    return counties, country


def ambitions_table(table: pd.DataFrame, lang: Lang, base_year: int) -> pd.DataFrame:
    """The per-target table with headers in the language (numbers stay numbers)."""
    columns = {
        "name": t("amb_name", lang),
        "base_population": t("amb_base", lang, base=base_year),
        "target_year": t("amb_target_year", lang),
        "target_population": t("amb_target", lang),
        "projected_population": t("amb_projected", lang),
        "shortfall": t("amb_shortfall", lang),
        "projected_net_migration_per_year": t("amb_net_projected", lang),
        "needed_net_migration_per_year": t("amb_net_needed", lang),
    }
    return table[list(columns)].rename(columns=columns)


def sentences(
    counties: pd.DataFrame, country: dict[str, float], base_year: int, lang: Lang
) -> list[str]:
    """Plain-language check of all targets together: per county, then for the country."""
    number = lambda value: format_number(value, lang)  # noqa: E731
    out = [
        t("amb_county", lang, county=row.name, shortfall=number(row.shortfall),
          share=format_percent(row.rest_share_lost * 100, lang, 0), last=country["horizon"])
        for row in counties.itertuples(index=False)
        if row.shortfall > 0
    ]  # fmt: skip
    out.append(
        t("amb_sum", lang, extra=number(country["extra_people"]), first=base_year + 1,
          last=country["horizon"], needed=number(country["net_immigration_needed_if_from_abroad"]),
          projected=number(country["projected_net_immigration"]),
          riket=number(country["riket_if_all_from_abroad"]),
          riket_projected=number(country["riket_projected"]))
    )  # fmt: skip
    return out
