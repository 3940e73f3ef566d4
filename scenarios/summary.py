"""Headline series of a Result: population age groups and sector totals, for CLI and reports."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from forecast.balance import cumulative
from forecast.dims import AGE, DRAW, SECTOR, SEX, YEAR

AGE_GROUPS = {
    "total": (0, 100),
    "0-19": (0, 19),
    "20-66": (20, 66),
    "67+": (67, 100),
    "80+": (80, 100),
    "85+": (85, 100),
}
SECTOR_VARIABLES = (
    "supply_persons",
    "supply_fte",
    "demand_persons",
    "demand_fte",
    "gap_fte",
    "retirements",
    "expansion_need",
    "replacement_need",
    "recruitment_need",
)
FLOWS = ("retirements", "expansion_need", "replacement_need", "recruitment_need")
QUANTILES = {"p025": 0.025, "p10": 0.10, "p50": 0.50, "p90": 0.90, "p975": 0.975}


def headline(ds: xr.Dataset) -> dict[str, dict[str, xr.DataArray]]:
    """Every headline series (over year, and draw if the result has draws), by variable."""
    pop = ds.population.sum(SEX)
    series = {
        "population": {
            name: pop.sel({AGE: slice(lo, hi)}).sum(AGE) for name, (lo, hi) in AGE_GROUPS.items()
        }
    }
    for variable in SECTOR_VARIABLES:
        values = ds[variable]
        series[variable] = {
            "total": values.sum(SECTOR),
            **{str(s): values.sel({SECTOR: s}, drop=True) for s in values[SECTOR].values},
        }
    return series


def _frame(series: dict[str, xr.DataArray]) -> pd.DataFrame:
    return pd.DataFrame({name: s.to_series() for name, s in series.items()}).T


def population_groups(ds: xr.Dataset) -> pd.DataFrame:
    """Population by headline age group (rows) and year (columns) [persons]."""
    return _frame(headline(ds)["population"])


def sector_table(ds: xr.Dataset, variable: str) -> pd.DataFrame:
    """One variable by sector plus a total row (rows) and year (columns)."""
    return _frame(headline(ds)[variable])


def _rounded(values) -> list[float]:
    return [round(float(v), 3) for v in values]


def quantiles(result: xr.Dataset | xr.DataArray) -> xr.Dataset | xr.DataArray:
    """The median, 80 % and 95 % intervals over draws of any output, along a `quantile`
    dimension labelled p025, p10, p50, p90, p975."""
    bands = result.quantile(list(QUANTILES.values()), dim=DRAW)
    return bands.assign_coords(quantile=list(QUANTILES))


def intervals(draws: xr.Dataset) -> dict:
    """Quantiles over draws of every headline series: {variable: {series: {p10: […], …}}}."""
    return {
        variable: {
            name: {
                label: _rounded(bands.sel(quantile=label).transpose(YEAR).values)
                for label in QUANTILES
            }
            for name, bands in ((name, quantiles(values)) for name, values in group.items())
        }
        for variable, group in headline(draws).items()
    }


def cumulative_flows(ds: xr.Dataset, periods: list[tuple[int, int]]) -> dict:
    """Sums of the yearly flows over each period: {"2026-2027": {flow: {sector: …}}}."""
    doc = {}
    for first, last in periods:
        doc[f"{first}-{last}"] = {
            flow: {
                "total": round(float(cumulative(ds[flow], first, last).sum()), 3),
                **{
                    str(s): round(float(v), 3)
                    for s, v in cumulative(ds[flow], first, last).to_series().items()
                },
            }
            for flow in FLOWS
        }
    return doc


def summary(
    ds: xr.Dataset,
    draws: xr.Dataset | None = None,
    periods: list[tuple[int, int]] | None = None,
) -> dict:
    """The JSON document of `workforce run --json`: every series aligned with `years`, the
    central path's values, sums of the flows over `periods` (default: the whole projection)
    under `cumulative`, and with draws their quantiles under `intervals`."""
    doc = {
        "scenario": ds.attrs["scenario"],
        "region": ds.attrs["region"],
        "region_name": ds.attrs["region_name"],
        "seed": int(ds.attrs["seed"]),
        "data_vintage": ds.attrs["data_vintage"],
        "years": [int(y) for y in ds[YEAR]],
    }
    for variable, group in headline(ds).items():
        doc[variable] = {name: _rounded(values.values) for name, values in group.items()}
    years = [int(y) for y in ds[YEAR]]
    doc["cumulative"] = cumulative_flows(ds, periods or [(years[0], years[-1])])
    if draws is not None:
        doc["draws"] = int(draws.sizes[DRAW])
        doc["intervals"] = intervals(draws)
    return doc
