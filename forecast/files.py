"""Writing files so that a crash never leaves half a file: write beside, then rename."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def atomic_write(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Call `write` on a temporary file beside `path`, then rename it into place, so `path`
    only ever holds a complete file; the temporary file goes if writing fails."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_text_table(path: Path | str, columns: list[str], error: type[ValueError]) -> pd.DataFrame:
    """A user-edited CSV as text (codes keep their leading zeros, empty cells stay empty);
    `error` with one message naming the file when it cannot be read or lacks a column."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot be read as CSV ({exc})") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise error(f"{path}: missing column(s) {', '.join(missing)}")
    return frame
