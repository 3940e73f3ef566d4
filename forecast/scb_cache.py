"""The on-disk cache of SCB tables: one gzipped CSV and one JSON metadata file per tidy
table and region, `<key>_<region>.csv.gz` and `<key>_<region>.json`, written atomically.

The folder is `platformdirs.user_data_dir("workforce-scenarios")/scb`, or `$WORKFORCE_CACHE`.
The data file is written first and the metadata second, each through a temporary file and
`os.replace`; the metadata holds the data file's SHA-256, so a crash between the two leaves
an entry that `read_cached` treats as absent, never a mismatched pair.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import pandas as pd
import platformdirs

from forecast.files import atomic_write

APP = "workforce-scenarios"
ENV = "WORKFORCE_CACHE"
# Columns that hold codes, read back as strings (region "0114" must keep its zero)
TEXT_COLUMNS = ("region", "sex", "industry", "age_group")


def cache_dir() -> Path:
    """The cache folder: `$WORKFORCE_CACHE` if set, else the user's data directory + scb."""
    override = os.environ.get(ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP)) / "scb"


def package_version() -> str:
    try:
        return importlib_metadata.version(APP)
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class ScbCache:
    """The cache in `folder` (default: cache_dir())."""

    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = Path(folder) if folder is not None else cache_dir()

    def paths(self, key: str, region: str) -> tuple[Path, Path]:
        stem = f"{key}_{region}"
        return self.folder / f"{stem}.csv.gz", self.folder / f"{stem}.json"

    def write(self, key: str, region: str, data: pd.DataFrame, meta: Mapping[str, Any]) -> Path:
        """Store a tidy table with its provenance (`meta`: table ids, queries, SCB updated…);
        adds the fetch time (UTC), rows, columns, checksum and package version."""
        data_path, meta_path = self.paths(key, region)
        # gzip without a timestamp in its header: the same table gives the same bytes
        compression = {"method": "gzip", "mtime": 0}
        atomic_write(data_path, lambda tmp: data.to_csv(tmp, index=False, compression=compression))
        doc = {
            "key": key,
            "region": region,
            **meta,
            "fetched": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "rows": len(data),
            "columns": list(data.columns),
            "sha256": sha256(data_path),
            "package_version": package_version(),
        }
        text = json.dumps(doc, ensure_ascii=False, indent=2)
        atomic_write(meta_path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
        return data_path

    def read_meta(self, key: str, region: str) -> dict[str, Any] | None:
        """The metadata of a complete cache entry, or None (absent, unreadable, or its data
        file is not the one the metadata describes)."""
        data_path, meta_path = self.paths(key, region)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if sha256(data_path) != meta.get("sha256"):
                return None
        except (OSError, ValueError):
            return None
        return meta

    def read(self, key: str, region: str) -> pd.DataFrame | None:
        """A cached tidy table, or None if there is no complete entry."""
        meta = self.read_meta(key, region)
        if meta is None:
            return None
        data_path = self.paths(key, region)[0]
        columns = meta.get("columns", [])
        dtypes = {c: "str" for c in TEXT_COLUMNS if c in columns}
        return pd.read_csv(data_path, dtype=dtypes, compression="gzip")

    def entries(self, now: datetime | None = None) -> pd.DataFrame:
        """One row per cached table: key, region, table_id, rows, scb_updated, fetched,
        age_days (since the fetch)."""
        now = now or datetime.now(UTC)
        rows = []
        for meta_path in sorted(self.folder.glob("*.json")):
            key, _, region = meta_path.stem.rpartition("_")
            meta = self.read_meta(key, region)
            if meta is None:
                continue
            fetched = datetime.strptime(meta["fetched"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            tables = meta.get("tables", [])
            rows.append(
                {
                    "key": key,
                    "region": region,
                    "table_id": "+".join(t["table_id"] for t in tables),
                    "rows": meta["rows"],
                    "scb_updated": max((t.get("updated", "") for t in tables), default=""),
                    "fetched": meta["fetched"],
                    "age_days": (now - fetched).days,
                }
            )
        columns = ["key", "region", "table_id", "rows", "scb_updated", "fetched", "age_days"]
        return pd.DataFrame(rows, columns=columns)


def read_cached(key: str, region: str, cache: ScbCache | None = None) -> pd.DataFrame | None:
    """A cached tidy table (e.g. `read_cached("population", "2580")`), or None."""
    return (cache or ScbCache()).read(key, region)


def cached_entries(cache: ScbCache | None = None) -> pd.DataFrame:
    """What is cached and how old it is (see ScbCache.entries)."""
    return (cache or ScbCache()).entries()
