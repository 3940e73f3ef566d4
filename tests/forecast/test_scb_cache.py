"""The SCB cache: location, round trip, atomic writes under a simulated crash, `data info`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import platformdirs
import pytest

from forecast import scb_cache
from forecast.scb_cache import ScbCache, cache_dir, cached_entries, read_cached
from scenarios.cli import main

META = {
    "from_year": 2000,
    "tables": [
        {"table_id": "TAB638", "updated": "2025-02-21T07:00:00Z", "query": {"selection": []}},
        {"table_id": "TAB5557", "updated": "2026-02-20T07:00:00Z", "query": {"selection": []}},
    ],
}


def population(value: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["0114", "0114", "00"],
            "year": [2024, 2025, 2025],
            "sex": ["female", "male", "female"],
            "age": [0, 100, 5],
            "population": [value, 2.0, 3.5],
        }
    )


def test_cache_dir_default_and_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WORKFORCE_CACHE", raising=False)
    assert cache_dir() == Path(platformdirs.user_data_dir("workforce-scenarios")) / "scb"
    monkeypatch.setenv("WORKFORCE_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path
    assert ScbCache().folder == tmp_path


def test_round_trip_keeps_codes_and_records_provenance(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WORKFORCE_CACHE", str(tmp_path))
    ScbCache().write("population", "0114", population(), META)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "population_0114.csv.gz",
        "population_0114.json",
    ]
    back = read_cached("population", "0114")
    pd.testing.assert_frame_equal(back, population(), check_dtype=False)
    assert back.region.tolist() == ["0114", "0114", "00"]  # leading zeros kept
    meta = ScbCache().read_meta("population", "0114")
    assert meta["tables"][1]["table_id"] == "TAB5557" and meta["rows"] == 3
    assert meta["fetched"].endswith("Z") and meta["package_version"]
    assert read_cached("births", "0114") is None


def test_crash_while_writing_data_leaves_previous_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cache = ScbCache(tmp_path)
    cache.write("population", "25", population(1.0), META)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def crash(self, path, **kwargs):  # half a file, then the process "dies"
        Path(path).write_bytes(b"\x1f\x8b half")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", crash)
    with pytest.raises(OSError, match="disk full"):
        cache.write("population", "25", population(99.0), META)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temp files
    assert cache.read("population", "25").population.iloc[0] == 1.0


def test_crash_between_data_and_metadata_is_never_served(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cache = ScbCache(tmp_path)
    cache.write("population", "25", population(1.0), META)
    real = scb_cache.atomic_write

    def crash_on_metadata(path: Path, write):
        if path.suffix == ".json":
            raise KeyboardInterrupt  # killed after the data file was replaced
        return real(path, write)

    monkeypatch.setattr(scb_cache, "atomic_write", crash_on_metadata)
    with pytest.raises(KeyboardInterrupt):
        cache.write("population", "25", population(99.0), META)
    # The metadata's checksum no longer matches the data: treated as not cached (refetched)
    assert cache.read("population", "25") is None
    assert cache.entries().empty
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_entries_and_age(tmp_path: Path) -> None:
    cache = ScbCache(tmp_path)
    cache.write("population", "2580", population(), META)
    cache.write("deaths", "2580", population().rename(columns={"population": "deaths"}), META)
    fetched = datetime.strptime(cache.read_meta("deaths", "2580")["fetched"],
                                "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)  # fmt: skip
    entries = cache.entries(now=fetched + pd.Timedelta(days=3, hours=1))
    assert entries.key.tolist() == ["deaths", "population"]
    row = entries.iloc[1]
    assert (row.region, row.table_id, row.rows) == ("2580", "TAB638+TAB5557", 3)
    assert (row.scb_updated, row.age_days) == ("2026-02-20T07:00:00Z", 3)
    assert len(cached_entries(cache)) == 2


def test_cli_data_info(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("WORKFORCE_CACHE", str(tmp_path))
    assert main(["data", "info"]) == 0
    assert capsys.readouterr().out.startswith(
        "nothing cached yet — run workforce data fetch --region CODE"
    )
    ScbCache().write("population", "2580", population(), META)
    assert main(["data", "info"]) == 0
    out = capsys.readouterr().out
    assert f"SCB tables cached in {tmp_path}" in out
    header, row = out.strip().splitlines()[-2:]
    assert header.split() == ["key", "region", "table_id", "rows", "scb_updated", "fetched",
                              "age_days"]  # fmt: skip
    assert row.split()[:4] == ["population", "2580", "TAB638+TAB5557", "3"]
    assert row.split()[-1] == "0"
