"""Migration by age where only yearly single-age stocks are known: net migration by the
residual method, and gross flows that reproduce it.

Used by the data build (municipalities with single ages every year) and the back-test, so
both derive a municipality's migration age pattern the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from forecast.demography import cohort_exposure


def residual_net_migration(stocks: Sequence[np.ndarray], death_prob: np.ndarray) -> np.ndarray:
    """Mean yearly net migrants (sex, age reached) from consecutive 31 December stocks.

    net(a, t) = P(a, t) − P(a−1, t−1) + deaths, with deaths = death_prob × the exposed cohort.
    Age 0 is left at 0: births are not known for every municipality.
    """
    if len(stocks) < 2:
        raise ValueError("need at least two consecutive years of stocks")
    net = np.zeros_like(stocks[0], dtype=float)
    for prev, now in pairwise(stocks):
        exposure = cohort_exposure(prev)
        net[:, 1:] += now[:, 1:] - exposure[:, 1:] * (1.0 - death_prob[:, 1:])
    return net / (len(stocks) - 1)


def gross_from_net(
    net: np.ndarray, out_shape: np.ndarray, total_in: float, exposure: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """In-migrants [persons per year] and an out-migration rate [per person and year] by
    (sex, age) whose difference is `net` at every age.

    Out-migration follows the rate schedule `out_shape`, scaled so that out-migrants total
    total_in less net migration on `exposure`; in-migrants are out-migrants plus net migrants.
    Where that is negative, both flows are raised by the same amount, so net migration is kept
    and no flow is negative.
    """
    out_total = max(total_in - float(net.sum()), 0.0)
    scale = (out_shape * exposure).sum()
    outflow = out_shape * exposure * (out_total / scale if scale > 0 else 0.0)
    inflow = outflow + net
    lift = np.maximum(-inflow, 0.0)
    inflow, outflow = inflow + lift, outflow + lift
    rate = np.divide(outflow, exposure, out=np.zeros_like(outflow), where=exposure > 0)
    return inflow, rate
