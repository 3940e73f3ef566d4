"""JSON-stat 2.0 datasets (as SCB's PxWebApi v2 returns them) into long DataFrames."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def category_codes(dimension: Mapping[str, Any]) -> list[str]:
    """A dimension's category codes in position order; `category.index` may be an object
    (code → position, as SCB writes it) or an array of codes (also valid JSON-stat)."""
    category = dimension.get("category", {})
    index = category.get("index")
    if index is None:  # a single category may be given by its label only
        return list(category.get("label", {}))
    if isinstance(index, list):
        return [str(code) for code in index]
    return [str(code) for code, _ in sorted(index.items(), key=lambda item: item[1])]


def parse_jsonstat2(doc: Mapping[str, Any]) -> pd.DataFrame:
    """A JSON-stat 2.0 dataset as a long DataFrame: one string column per dimension (in `id`
    order) holding the category codes, plus `value` [float; null → NaN].

    `value` is row-major over `id` (the last dimension varies fastest); it may also be an
    object keyed by the flat index as a string (sparse), where absent cells are NaN.
    """
    if doc.get("class") not in (None, "dataset"):
        raise ValueError(f"not a JSON-stat dataset (class {doc.get('class')!r})")
    ids = [str(name) for name in doc["id"]]
    codes = [category_codes(doc["dimension"][name]) for name in ids]
    sizes = [int(size) for size in doc.get("size", [len(c) for c in codes])]
    for name, size, found in zip(ids, sizes, codes, strict=True):
        if size != len(found):
            raise ValueError(f"dimension {name}: size {size} but {len(found)} categories")
    n = int(np.prod(sizes)) if sizes else 1
    raw = doc.get("value", [])
    values = np.full(n, np.nan)
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            if value is not None:
                values[int(key)] = float(value)
    else:
        if len(raw) != n:
            raise ValueError(f"{len(raw)} values for {n} cells (size {sizes})")
        values[:] = [np.nan if v is None else float(v) for v in raw]
    columns: dict[str, Any] = {}
    repeat = n
    for name, found in zip(ids, codes, strict=True):
        repeat //= max(len(found), 1)
        tile = n // (len(found) * repeat) if found else 0
        columns[name] = np.tile(np.repeat(np.array(found, dtype=object), repeat), tile)
    columns["value"] = values
    return pd.DataFrame(columns).astype({name: "str" for name in ids})
