"""Batch runs: a Dask cluster gives the same Datasets as running here, files are written
atomically, and bad regions or failing runs give one clear error naming the region."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from distributed import LocalCluster

from scenarios.batch import BatchError, all_regions, run_batch
from scenarios.results import netcdf_attr
from scenarios.run import run_scenario
from scenarios.spec import load_scenario

REGIONS = ["2580", "2505"]


@pytest.fixture(scope="module")
def cluster():
    """Address of a two-worker local cluster (separate processes), shared by this module."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


def test_cluster_gives_the_same_datasets_as_sync_and_writes_them(cluster, tmp_path):
    scenario = load_scenario("all_levers")
    calls = []
    here = run_batch(scenario, REGIONS, draws=3, seed=5, scheduler="sync")
    xr.testing.assert_identical(here["2505"], run_scenario(scenario, "2505", draws=3, seed=5))
    there = run_batch(
        scenario,
        REGIONS,
        draws=3,
        seed=5,
        scheduler=cluster,
        out_dir=tmp_path,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert list(there) == REGIONS
    assert calls == [(1, 2), (2, 2)]
    for region in REGIONS:
        assert there[region].sizes["draw"] == 3
        xr.testing.assert_identical(there[region], here[region])
        with xr.open_dataset(tmp_path / f"all_levers_{region}.nc", engine="scipy") as written:
            xr.testing.assert_allclose(written.load(), here[region], rtol=0, atol=0)
            assert written.attrs["region"] == region
    assert {p.name for p in tmp_path.iterdir()} == {f"all_levers_{r}.nc" for r in REGIONS}


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    scenario = load_scenario("baseline")
    run_batch(scenario, REGIONS, scheduler="sync", out_dir=tmp_path)
    old = (tmp_path / "baseline_2505.nc").read_bytes()
    write = xr.Dataset.to_netcdf

    def crash_on_2505(ds, path, **kwargs):
        if ds.attrs["region"] != "2505":
            return write(ds, path, **kwargs)
        with open(path, "wb") as half_written:
            half_written.write(old[: len(old) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", crash_on_2505)
    with pytest.raises(BatchError, match=r"region 2505: cannot write .*baseline_2505\.nc: disk"):
        run_batch(scenario, REGIONS, draws=1, scheduler="sync", out_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline_2505.nc", "baseline_2580.nc"]
    assert (tmp_path / "baseline_2505.nc").read_bytes() == old
    with xr.open_dataset(tmp_path / "baseline_2580.nc", engine="scipy") as rewritten:
        assert rewritten.attrs["draws"] == 1


@pytest.mark.parametrize("where", ["sync", "cluster"])
def test_a_failing_run_names_its_region(where, request, tmp_path):
    scheduler = "sync" if where == "sync" else request.getfixturevalue("cluster")
    broken = load_scenario("baseline").model_copy(update={"horizon": 2020})  # skips validation
    with pytest.raises(BatchError, match=r"region 2505 \(Arvidsjaur\) failed: ValueError: hori"):
        run_batch(broken, ["2505"], scheduler=scheduler, out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unknown_regions_are_listed_before_any_work():
    baseline = load_scenario("baseline")
    with pytest.raises(ValueError, match=r"code\(s\) '9999', 'XX'; known codes: 00, 00X, 22,"):
        run_batch(baseline, ["2580", "9999", "XX"], scheduler="sync")
    with pytest.raises(ValueError, match="no regions given"):
        run_batch(baseline, [], scheduler="sync")
    with pytest.raises(ValueError, match="draws must be 0"):
        run_batch(baseline, ["2580"], draws=-1, scheduler="sync")


def test_all_regions_are_the_country_counties_and_municipalities(inputs):
    regions = all_regions(inputs)
    assert len(regions) == 1 + 4 + 44
    assert regions[0] == "00"
    assert {"22", "23", "24", "25", "2580", "2505"} <= set(regions)
    assert "00X" not in regions


def test_attributes_become_what_netcdf3_stores():
    assert netcdf_attr("Luleå") == "Luleå"
    assert netcdf_attr(np.int64(7)) == 7
    assert netcdf_attr(2.5) == 2.5
    assert netcdf_attr(2**40) == str(2**40)
    assert netcdf_attr(True) == "True"
    assert netcdf_attr(None) == "None"
