"""Net migration by the residual method, and gross flows that keep it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from forecast.demography import cohort_exposure
from forecast.net_migration import gross_from_net, residual_net_migration


def test_residual_recovers_the_net_migrants_that_built_the_stocks():
    rng = np.random.default_rng(1)
    q = rng.uniform(0, 0.05, (2, 101))
    net = rng.uniform(-20, 20, (2, 101))
    net[:, 0] = 0.0
    stocks = [rng.uniform(500, 1000, (2, 101))]
    for _ in range(3):
        nxt = cohort_exposure(stocks[-1]) * (1 - q) + net
        nxt[:, 0] = 700.0
        stocks.append(nxt)
    np.testing.assert_allclose(residual_net_migration(stocks, q), net, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    net=arrays(np.float64, (2, 8), elements=st.floats(-100, 100)),
    shape=arrays(np.float64, (2, 8), elements=st.floats(0, 0.3)),
    exposure=arrays(np.float64, (2, 8), elements=st.floats(1, 1000)),
    total_in=st.floats(0, 2000),
)
def test_gross_flows_keep_net_migration_and_are_never_negative(net, shape, exposure, total_in):
    inflow, rate = gross_from_net(net, shape, total_in, exposure)
    assert (inflow >= 0).all() and (rate >= 0).all()
    np.testing.assert_allclose(inflow - rate * exposure, net, atol=1e-9)
