"""The recorded back-test (quoted in the README) must be what the code produces today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_recorded_backtest_matches_a_fresh_run():
    run = subprocess.run(
        [sys.executable, "benchmarks/backtest.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
