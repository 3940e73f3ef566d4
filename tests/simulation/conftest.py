"""A real lever context: Norrbotten's central projection 2024–2033, built once."""

from __future__ import annotations

import pytest

from scenarios.levers import lever_context
from simulation.engine import LeverContext


@pytest.fixture(scope="session")
def context(inputs) -> LeverContext:
    return lever_context(inputs, "25", 2033)
