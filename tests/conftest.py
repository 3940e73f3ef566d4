"""Shared fixtures: the embedded inputs, loaded once per test session.

Hypothesis runs derandomized: the same examples every run, so CI is reproducible; set
HYPOTHESIS_PROFILE=explore to search new examples locally.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from forecast.inputs import Inputs, read_inputs

settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def inputs() -> Inputs:
    return read_inputs()
