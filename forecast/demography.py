"""Array helpers for deriving rates from official tables, shared by the data build (data/)
and the back-test, so both count exposures and events the same way.

Arrays are (sex, age) with sex female, male and ages 0..100 (100 = 100+); events are counted
by age reached during the year, stocks at 31 December.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.dims import AGES, SEXES

MOTHER_AGES = {"-14": "15", "49+": "49", "unknown": "-1"}  # SCB's open and unknown groups


def cohort_exposure(stock: np.ndarray) -> np.ndarray:
    """People who reach each age during the year: last year's stock one age younger.

    [persons], shape (..., age); age 0 is filled by births, so it is zero here.
    """
    exposure = np.zeros_like(stock)
    exposure[..., 1:] = stock[..., :-1]
    exposure[..., -1] += stock[..., -1]
    return exposure


def safe_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator (broadcast), 0 where the denominator is not positive."""
    out = np.zeros(np.broadcast_shapes(np.shape(numerator), np.shape(denominator)))
    return np.divide(numerator, denominator, out=out, where=np.asarray(denominator) > 0)


def to_array(rows: pd.DataFrame, value: str = "value", age: str = "age") -> np.ndarray:
    """Pivot long rows with sex and single age into a (sex, age) float array."""
    table = rows.pivot_table(index="sex", columns=age, values=value, aggfunc="sum")
    table = table.reindex(index=list(SEXES), columns=AGES, fill_value=0.0).fillna(0.0)
    return table.to_numpy(dtype=float)


def lagged_exposure(prev: np.ndarray) -> np.ndarray:
    """People reaching each age in the year after the stock `prev`; age 0 ≈ the stock aged 0
    (births are not known everywhere)."""
    exposure = cohort_exposure(prev)
    exposure[..., 0] = prev[..., 0]
    return exposure


def women_exposure(prev: np.ndarray, now: np.ndarray) -> np.ndarray:
    """Women by age reached in the year: mean of the cohort's two year-end stocks [persons]."""
    women = np.zeros(len(AGES))
    women[1:] = (prev[0, :-1] + now[0, 1:]) / 2
    return women


def expected_by_sex(q: np.ndarray, prev: np.ndarray) -> np.ndarray:
    """Deaths (female, male) in the year if the cohorts in `prev` die at probabilities q."""
    return (q[:, 1:] * cohort_exposure(prev)[:, 1:]).sum(axis=1)


def expected_deaths(q: np.ndarray, prev: np.ndarray) -> float:
    """Deaths in the year if the cohorts in `prev` die at probabilities q (ages 1+)."""
    return float((q[:, 1:] * cohort_exposure(prev)[:, 1:]).sum())


def with_mother_age(births: pd.DataFrame) -> pd.DataFrame:
    """SCB births by age of mother with an integer `age` (−14 → 15, 49+ → 49, unknown → −1)."""
    return births.assign(age=births.mother_age.replace(MOTHER_AGES).astype(int))


def births_by_age(rows: pd.DataFrame) -> np.ndarray:
    """One region-year's births by age of mother (15..49), the unknown ages spread in
    proportion to the known ones; rows need the integer `age` of with_mother_age."""
    births = np.zeros(len(AGES))
    known = rows[rows.age >= 15].groupby("age").value.sum()
    share_known = rows.value.sum() / known.sum()
    births[known.index.to_numpy()] = known.to_numpy() * share_known
    return births
