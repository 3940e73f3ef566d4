"""Announced establishments: the shipped table, broken files, jobs and newcomers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pydantic
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from forecast.establishments import (
    COLUMNS,
    DEFAULT_FILE,
    EstablishmentError,
    Params,
    increase,
    jobs,
    newcomers,
    read_establishments,
)
from scenarios.establishments import household
from simulation import migration

REGIONS = Path(__file__).resolve().parents[2] / "data" / "derived" / "regions.csv"
SECTORS = list(pd.read_csv(REGIONS.with_name("sectors.csv")).sector)
UNITS = ["2582", "2580"]
HEADER = ",".join(COLUMNS)
GOOD = "a,A,2582,industry,2026,100,announced,https://example.org,"


def municipalities() -> list[str]:
    regions = pd.read_csv(REGIONS, dtype=str)
    return regions.loc[regions.level == "municipality", "region_code"].tolist()


def table(*rows: tuple[str, str, str, int, float]) -> pd.DataFrame:
    """A table from (id, municipality, sector, year, direct_jobs) rows."""
    columns = ["establishment_id", "municipality_code", "sector", "year", "direct_jobs"]
    return pd.DataFrame(list(rows), columns=columns)


def migration_household() -> xr.DataArray:
    """The in-migration lever's default household (sex, age), as the runner builds it."""
    return household()


def test_shipped_file_validates_against_regions_and_sectors():
    shipped = read_establishments(DEFAULT_FILE, municipalities(), SECTORS)
    assert {"stegra_boden", "northvolt_ett", "lkab_vitafors", "meta_lulea"} <= set(
        shipped.establishment_id
    )
    assert shipped.source_url.str.startswith("http").all()
    # also against the sectors of the current embedded data
    current = pd.read_csv(REGIONS.with_name("sectors.csv")).sector
    read_establishments(DEFAULT_FILE, municipalities(), current)


def test_northvolt_is_reduced_after_the_bankruptcy():
    shipped = read_establishments(DEFAULT_FILE, municipalities(), SECTORS)
    stock = jobs(shipped, Params(indirect_per_direct=0), [2024, 2025, 2033], ["2482"], SECTORS)
    assert stock.sel(region="2482", sector="industry").values.tolist() == [3000, 1200, 1200]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        (HEADER.replace(",source_url", "") + "\n", 1, "source_url", "missing column"),
        (f"{HEADER}\n{GOOD}\n{GOOD.replace('2582', '9999')}\n", 3, "municipality_code", "9999"),
        (f"{HEADER}\n{GOOD.replace('industry', 'steel')}\n", 2, "sector", "'steel'"),
        (f"{HEADER}\n{GOOD.replace(',100,', ',-5,')}\n", 2, "direct_jobs", "≥ 0"),
        (f"{HEADER}\n{GOOD.replace(',100,', ',many,')}\n", 2, "direct_jobs", "'many'"),
        (f"{HEADER}\n{GOOD.replace(',2026,', ',2026.5,')}\n", 2, "year", "whole year"),
        (f"{HEADER}\n{GOOD}\n{GOOD}\n", 3, "establishment_id", "duplicate of line 2"),
        (f"{HEADER}\n{GOOD.replace('https://example.org', '')}\n", 2, "source_url", "missing"),
    ],
)
def test_broken_files_name_file_line_and_column(tmp_path, text, line, column, words):
    path = tmp_path / "broken_establishments.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EstablishmentError) as error:
        read_establishments(path, UNITS, SECTORS)
    message = str(error.value)
    assert "broken_establishments.csv" in message
    assert f"line {line}," in message
    assert f"column {column}" in message
    assert words in message


def test_direct_jobs_are_zero_before_and_carried_forward():
    t = table(("a", "2582", "industry", 2026, 750), ("a", "2582", "industry", 2027, 1500))
    stock = jobs(t, Params(indirect_per_direct=0), [2025, 2026, 2027, 2030], UNITS, SECTORS)
    assert stock.dims == ("year", "region", "sector")
    assert stock.attrs["units"] == "persons"
    assert stock.sel(region="2582", sector="industry").values.tolist() == [0, 750, 1500, 1500]
    assert float(stock.sum()) == 750 + 1500 + 1500


def test_units_outside_the_run_are_ignored():
    t = table(("a", "2584", "industry", 2026, 100))
    assert float(jobs(t, Params(), [2026], UNITS, SECTORS).sum()) == 0


def test_indirect_jobs_are_direct_times_factor_split_exactly():
    params = Params(
        indirect_per_direct=2.0,
        indirect_sectors={"trade_transport": 0.25, "business_services": 0.5, "construction": 0.25},
    )
    t = table(("a", "2580", "industry", 2026, 1000))
    stock = jobs(t, params, [2026], UNITS, SECTORS).sel(year=2026, region="2580")
    assert float(stock.sel(sector="industry")) == 1000
    split = stock.sel(sector=["trade_transport", "business_services", "construction"])
    assert split.values.tolist() == [500, 1000, 500]
    assert float(split.sum()) == 1000 * 2.0


def test_include_false_gives_no_jobs_and_no_newcomers():
    params = Params(include=False)
    t = table(("a", "2582", "industry", 2024, 10))
    assert float(jobs(t, params, [2024, 2025], UNITS, SECTORS).sum()) == 0
    up = xr.DataArray([[0.0, 0.0], [10.0, 5.0]], dims=("year", "region"))
    assert float(newcomers(up, params, migration_household()).sum()) == 0


def test_household_size_follows_the_migration_params():
    p = migration.Params()
    household = migration_household()
    expected = 1 + p.partners_per_household + p.children_per_household
    assert float(household.sum()) == pytest.approx(expected, rel=1e-12)
    assert float(household.sel(age=slice(18, None)).sum()) == pytest.approx(
        1 + p.partners_per_household
    )
    # the default in-mover share: 2 inhabitants per new job (100 000 / 50 000) per household
    assert Params().in_mover_share == pytest.approx(2 / expected, abs=0.005)


def test_newcomers_are_share_times_increase_times_household_size():
    params = Params(in_mover_share=0.5)
    household = migration_household()
    size = float(household.sum())
    t = table(("a", "2582", "industry", 2025, 100), ("a", "2582", "industry", 2027, 40))
    stock = jobs(t, params, [2024, 2025, 2026, 2027], UNITS, SECTORS)
    up = increase(stock)
    assert up.sel(region="2582").values.tolist() == pytest.approx([0, 100 * 5 / 3, 0, -60 * 5 / 3])
    arrivals = newcomers(up, params, household)
    assert arrivals.dims == ("year", "region", "sex", "age")
    per_year = arrivals.sum(["region", "sex", "age"]).values
    np.testing.assert_allclose(per_year, [0, 0.5 * 100 * 5 / 3 * size, 0, 0], rtol=1e-12)
    assert (arrivals >= 0).all()


def test_no_newcomers_when_jobs_fall():
    falling = xr.DataArray(
        [[0.0], [-1800.0]], dims=("year", "region"), coords={"year": [2024, 2025]}
    )
    assert float(newcomers(falling, Params(), migration_household()).sum()) == 0


@pytest.mark.parametrize(
    "values",
    [
        {"indirect_sectors": {"trade_transport": 0.5, "business_services": 0.4}},
        {"indirect_sectors": {"trade_transport": 1.2, "business_services": -0.2}},
        {"in_mover_share": 1.5},
        {"in_mover_share": -0.1},
        {"indirect_per_direct": -1.0},
        {"multiplier": 2.0},
    ],
)
def test_params_reject_bad_values(values):
    with pytest.raises(pydantic.ValidationError):
        Params(**values)


rows = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(UNITS),
        st.sampled_from(["industry", "construction", "business_services"]),
        st.integers(2020, 2035),
        st.integers(0, 5000),
    ),
    max_size=12,
    unique_by=lambda r: (r[0], r[3]),
)


@given(rows=rows, factor=st.floats(0, 5))
def test_total_jobs_are_direct_times_one_plus_factor(rows, factor):
    years = list(range(2018, 2038))
    t = table(*rows)
    direct = np.zeros(len(years))
    for establishment in {r[0] for r in rows}:
        mine = sorted((r for r in rows if r[0] == establishment), key=lambda r: r[3])
        for i, year in enumerate(years):
            listed = [r[4] for r in mine if r[3] <= year]
            direct[i] += listed[-1] if listed else 0
    total = jobs(t, Params(indirect_per_direct=factor), years, UNITS, SECTORS).sum(
        ["region", "sector"]
    )
    np.testing.assert_allclose(total.values, direct * (1 + factor), rtol=1e-12, atol=1e-9)
    assert (total >= 0).all()
