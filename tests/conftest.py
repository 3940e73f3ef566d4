"""Shared fixtures: the embedded inputs, loaded once per test session."""

from __future__ import annotations

import pytest

from forecast.inputs import Inputs, read_inputs


@pytest.fixture(scope="session")
def inputs() -> Inputs:
    return read_inputs()
