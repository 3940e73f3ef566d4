"""Loading the embedded dataset, and one clear message for each kind of broken file."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecast.inputs import DEFAULT_DATA, InputError, read_inputs


def test_embedded_data_loads_with_every_region(inputs):
    assert inputs.base_year == 2024
    assert set(inputs.regions.level) == {"country", "county", "municipality", "rest", "group"}
    assert len(inputs.units_of("25")) == 14
    assert len(inputs.units_of("24")) == 15
    assert inputs.units_of("2580") == ["2580"]
    assert len(inputs.units_of("00")) == 45  # 44 municipalities and the rest of Sweden
    riket = inputs.population.sel(region=inputs.units_of("00")).sum()
    assert float(riket) == 10_587_710  # SCB, 31 Dec 2024


def test_domestic_shares_sum_to_one_and_reproduce_the_base_movers(inputs):
    np.testing.assert_allclose(inputs.domestic_share.sum("region"), 1.0, rtol=1e-12)
    movers = (inputs.domestic_out_rate * inputs.population).sum()
    assert 350_000 < float(movers) < 500_000  # moves between municipalities in Sweden a year


def test_histories_cover_the_fitting_periods(inputs):
    years = inputs.mortality_history.year
    assert int(years.min()) == 1969 and int(years.max()) == 2020
    assert inputs.tfr_history.loc[2024] == pytest.approx(1.43)
    assert inputs.tfr_history.loc[2010] == pytest.approx(1.985, abs=0.01)  # derived ≈ published
    assert list(inputs.migration_history.index) == list(range(2007, 2025))
    assert (
        int(inputs.municipal_totals.sel(region="2580", year=2024)) == 79_645
    )  # SCB, Luleå 31 Dec 2024


def test_every_array_has_units(inputs):
    for array in (
        inputs.population,
        inputs.death_prob,
        inputs.asfr,
        inputs.immigrants,
        inputs.emigration_rate,
        inputs.domestic_out_rate,
        inputs.domestic_share,
        inputs.employment_rate,
        inputs.sector_share,
    ):
        assert array.attrs["units"]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "derived"
    shutil.copytree(DEFAULT_DATA, folder)
    return folder


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    frame = pd.read_csv(path, dtype={"region_code": str, "parent": str})
    frame = change(frame)
    frame.to_csv(path, index=False)


def test_missing_file_is_named(data_copy):
    (data_copy / "sectors.csv").unlink()
    with pytest.raises(InputError, match=r"sectors\.csv: file is missing"):
        read_inputs(data_copy)


def test_missing_column_is_named(data_copy):
    _edit(data_copy, "employment_rates.csv", lambda f: f.drop(columns="employment_rate"))
    with pytest.raises(
        InputError,
        match=r"employment_rates\.csv: missing column\(s\) "
        r"employment_rate",
    ):
        read_inputs(data_copy)


def test_negative_count_names_file_and_row(data_copy):
    def negative(frame):
        frame.loc[5, "population"] = -3
        return frame

    _edit(data_copy, "population_base.csv.gz", negative)
    with pytest.raises(
        InputError,
        match=r"population_base\.csv\.gz: row 7: population must be "
        r"a non-negative number, got '-3'",
    ):
        read_inputs(data_copy)


def test_unknown_region_names_file_and_row(data_copy):
    def unknown(frame):
        frame.loc[0, "region_code"] = "9999"
        return frame

    _edit(data_copy, "migration_age_sex.csv.gz", unknown)
    with pytest.raises(
        InputError,
        match=r"migration_age_sex\.csv\.gz: row 2: unknown region "
        r"code '9999'",
    ):
        read_inputs(data_copy)


def test_shares_that_do_not_add_up(data_copy):
    def inflate(frame):
        frame.loc[0, "share"] += 0.1
        return frame

    _edit(data_copy, "sector_shares.csv", inflate)
    with pytest.raises(
        InputError,
        match=r"sector_shares\.csv: share for region_code '00' sums "
        r"to 1\.100000, expected 1",
    ):
        read_inputs(data_copy)


def test_corrupt_file_is_named(data_copy):
    (data_copy / "population_base.csv.gz").write_bytes(gzip.compress(b"")[:5])
    with pytest.raises(InputError, match=r"population_base\.csv\.gz: cannot be read"):
        read_inputs(data_copy)


def test_unknown_region_request(inputs):
    with pytest.raises(InputError, match="unknown region code '99'"):
        inputs.units_of("99")


def test_groups_with_unknown_members_are_rejected_with_the_row(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA, folder)
    (folder / "region_groups.csv").write_text(
        "group_id,name,kind,members,source\ng_ok,OK,user group,2580;2582,x\n"
        "g_bad,Bad,user group,2580;9999,x\n",
        encoding="utf-8",
    )
    with pytest.raises(
        InputError, match=r"region_groups.csv: row 3: group 'g_bad' has unknown member '9999'"
    ):
        read_inputs(folder)


def test_the_embedded_groups_expand_to_their_municipalities():
    inputs = read_inputs()
    assert inputs.units_of("g_lulea_boden") == ["2580", "2582"]
    assert inputs.regions.loc["g_inland_six", "level"] == "group"
    assert len(inputs.units_of("g_inland_six")) == 6
