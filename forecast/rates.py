"""Rate models and their futures: what moves the base-year rates, year by year and draw by draw.

- Mortality: Lee–Carter per sex on Riket death rates (Inputs.mortality_history); every region's
  death probabilities move by the national ratio m(x, t) / m(x, base).
- Fertility: log total fertility of Riket as an ARIMA series; every schedule moves by
  TFR(t) / TFR(base).
- Migration, national: log immigrants, log emigration rate and log domestic out-migration rate
  of the Luleå area (the longest yearly flows we have) as ARIMA series, relative to their
  base-year value (most units' migration inputs are base-year totals; the Luleå area's are
  2020–2024 means, a small inconsistency noted in data/SOURCES.md).
- Migration, regional: each municipality's attraction (its in-migration from Sweden and
  abroad) swings as an AR(1) in its net migration rate, calibrated so that the summed swings
  spread as widely as the municipalities' past errors of continuing their recent growth.

A RatePaths holds these multipliers for one or many draws; the central path is the models'
point forecast with no regional shocks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from forecast.demography import safe_ratio
from forecast.dims import AGE, REGION, SEX, SEXES, YEAR
from forecast.inputs import Inputs
from forecast.lee_carter import (
    LeeCarter,
    central_rate_ratios,
    fit_lee_carter,
    forecast_index,
    rate_ratios,
)
from forecast.timeseries import SeriesModel, central, fit_series, simulate

ATTRACTION_FROM = 1990  # growth from this year on describes today's municipalities
TREND_YEARS = 5  # the growth a projection holds: the last five years'
HORIZON = 10  # growth errors matched up to this many years ahead
SHRINK_YEARS = 10  # prior weight [years] pulling a municipality's spread to the pool
MIGRATION_SERIES = ("immigration", "emigration", "mobility")


@dataclass(frozen=True)
class RateModels:
    """The fitted models behind every draw, with a line per model for the result's attributes."""

    base_year: int
    mortality: dict[str, LeeCarter]  # by sex, index forecast attached
    fertility: SeriesModel  # log Riket TFR
    migration: dict[str, SeriesModel]  # log levels, keys MIGRATION_SERIES
    migration_base: dict[str, float]  # log level in the base year
    attraction_ar: float  # AR(1) coefficient of a municipality's net-migration swings
    attraction_sd: xr.DataArray  # (region,) [per person and year] swing spread

    def describe(self) -> list[str]:
        """One line per fitted model, for provenance."""
        lines = [
            f"mortality {sex}: Lee–Carter {int(lc.years[0])}–{int(lc.years[-1])}, "
            f"explained {lc.explained:.3f}; {lc.k_model.describe()}"
            for sex, lc in self.mortality.items()
            if lc.k_model is not None
        ]
        lines.append(self.fertility.describe())
        lines += [model.describe() for model in self.migration.values()]
        lines.append(
            f"attraction: AR(1) {self.attraction_ar:.2f}, median municipal shock "
            f"{float(self.attraction_sd.where(self.attraction_sd > 0).median()) * 100:.2f} % "
            "of population per year"
        )
        return lines


@dataclass(frozen=True)
class RatePaths:
    """Multipliers of the base-year rates, one path per draw, for the projected years."""

    years: np.ndarray  # (year,)
    mortality: np.ndarray  # (draw, year, sex, age) ratio of death rates to the base year
    fertility: np.ndarray  # (draw, year) ratio of total fertility to the base year
    immigration: np.ndarray  # (draw, year) ratio of immigrants to the base level
    emigration: np.ndarray  # (draw, year) ratio of emigration rates to the base level
    mobility: np.ndarray  # (draw, year) ratio of domestic out-migration rates to the base
    attraction: np.ndarray  # (draw, year, region) factor on each unit's in-migration
    retention: np.ndarray  # (draw, year, region) factor on each unit's out-migration rates
    unit_mortality: np.ndarray  # (draw, region) factor on each unit's death rates
    unit_fertility: np.ndarray  # (draw, region) factor on each unit's fertility

    @property
    def draws(self) -> int:
        return self.fertility.shape[0]


def fit_mortality(inputs: Inputs) -> dict[str, LeeCarter]:
    """Lee–Carter per sex on Riket deaths and exposure, index forecast as a drifting walk."""
    history = inputs.mortality_history.transpose(SEX, AGE, YEAR)
    ages, years = history[AGE].to_numpy(), history[YEAR].to_numpy()
    return {
        sex: forecast_index(
            fit_lee_carter(
                history.deaths.sel({SEX: sex}).to_numpy(),
                history.exposure.sel({SEX: sex}).to_numpy(),
                ages,
                years,
            )
        )
        for sex in SEXES
    }


def fit_fertility(inputs: Inputs) -> SeriesModel:
    """ARIMA on log Riket TFR over every year the history has (gaps left missing)."""
    tfr = inputs.tfr_history
    years = np.arange(int(tfr.index.min()), int(tfr.index.max()) + 1)
    values = np.log(tfr.reindex(years).to_numpy(float))
    return fit_series("log TFR Riket", years, values)


def migration_series(inputs: Inputs) -> pd.DataFrame:
    """Log immigrants, log emigration rate, log domestic out-migration rate by year."""
    h = inputs.migration_history
    return pd.DataFrame(
        {
            "immigration": np.log(h.immigrants),
            "emigration": np.log(h.emigrants / h.population_start),
            "mobility": np.log(h.domestic_out / h.population_start),
        }
    )


def fit_migration(inputs: Inputs) -> tuple[dict[str, SeriesModel], dict[str, float]]:
    """A mean-reverting AR(1) for each log migration level, and the base-year levels."""
    series = migration_series(inputs)
    models, base = {}, {}
    for name in MIGRATION_SERIES:
        models[name] = fit_series(
            f"log {name} (Luleå area)",
            series.index.to_numpy(),
            series[name].to_numpy(),
            candidates=((1, 0, 0),),
            trend="c",
        )
        base[name] = float(series[name].loc[inputs.base_year])
    return models, base


def growth_errors(inputs: Inputs) -> dict[int, pd.DataFrame]:
    """Errors of holding a municipality's last five years of growth, h = 1 … HORIZON years on.

    e(b, h) = log P(b + h) − log P(b) − h × (log P(b) − log P(b − 5)) / 5 for every origin b
    with the figures, less the mean over the municipalities (the common part is the national
    models' job). Frames are origin year × region; missing where a total is unpublished.
    """
    totals = inputs.municipal_totals.sel({YEAR: inputs.municipal_totals[YEAR] >= ATTRACTION_FROM})
    frame = totals.to_pandas().T.sort_index()  # year × region
    frame = np.log(frame.reindex(np.arange(frame.index.min(), frame.index.max() + 1)))
    trend = (frame - frame.shift(TREND_YEARS)) / TREND_YEARS
    errors = {}
    for h in range(1, HORIZON + 1):
        e = frame.shift(-h) - frame - h * trend
        errors[h] = e.sub(e.mean(axis=1), axis=0)
    return errors


def cumulative_variance(phi: float, steps: np.ndarray) -> np.ndarray:
    """Variance of the sum of an AR(1) over 1 … h steps from 0, per unit shock variance."""
    m = np.arange(1, steps.max() + 1)
    weights = (1 - phi**m) / (1 - phi) if phi < 1 else m.astype(float)
    return np.cumsum(weights**2)[steps - 1]


def fit_attraction(inputs: Inputs) -> tuple[float, xr.DataArray]:
    """AR(1) swings whose summed effect matches the observed spread of growth errors.

    For each horizon h the pooled mean squared error V(h) is matched (least squares over a
    grid of AR coefficients, the shock variance in closed form); each municipality's shock is
    scaled by its own one-year error spread, shrunk toward the pool.
    """
    errors = growth_errors(inputs)
    steps = np.array(sorted(errors))
    target = np.array([np.nanmean(errors[h].to_numpy() ** 2) for h in steps])
    best = (np.inf, 0.0, 0.0)
    for phi in np.linspace(0.0, 0.99, 100):
        f = cumulative_variance(phi, steps)
        var = float((target * f).sum() / (f * f).sum())
        loss = float(((target - var * f) ** 2).sum())
        best = min(best, (loss, phi, var))
    _, phi, var = best
    one = errors[1]
    relative = np.sqrt(
        ((one**2).sum() + SHRINK_YEARS * target[0]) / (one.count() + SHRINK_YEARS) / target[0]
    )
    units = [str(u) for u in inputs.population[REGION].values]
    sd = (np.sqrt(var) * relative).rename(index=str).reindex(units, fill_value=0.0)
    return float(phi), xr.DataArray(sd.to_numpy(), coords={REGION: units}, dims=[REGION])


_CACHE: dict[str, RateModels] = {}


def fit_rate_models(inputs: Inputs) -> RateModels:
    """Fit every rate model on the inputs' histories (cached per data vintage)."""
    if inputs.vintage not in _CACHE:
        migration, base = fit_migration(inputs)
        phi, sd = fit_attraction(inputs)
        _CACHE[inputs.vintage] = RateModels(
            base_year=inputs.base_year,
            mortality=fit_mortality(inputs),
            fertility=fit_fertility(inputs),
            migration=migration,
            migration_base=base,
            attraction_ar=phi,
            attraction_sd=sd,
        )
    return _CACHE[inputs.vintage]


def _years(models: RateModels, horizon: int) -> np.ndarray:
    if horizon <= models.base_year:
        raise ValueError(f"horizon must be after the base year {models.base_year}, got {horizon}")
    return np.arange(models.base_year + 1, horizon + 1)


def _tail(model: SeriesModel, values: np.ndarray, base_year: int, horizon: int) -> np.ndarray:
    """The columns of a path array (…, years after the data) for base_year+1 … horizon."""
    start = base_year - model.last_year
    return values[..., start : start + horizon - base_year]


def _relative(model: SeriesModel, values: np.ndarray, base: float, base_year: int, horizon: int):
    """Paths of exp(level − base) for the projected years; values start after the data."""
    return np.exp(_tail(model, values, base_year, horizon) - base)


def central_paths(inputs: Inputs, horizon: int) -> RatePaths:
    """The single central path: every model's point forecast, no regional shocks."""
    models = fit_rate_models(inputs)
    years = _years(models, horizon)
    base = models.base_year
    mortality = np.stack(
        [central_rate_ratios(models.mortality[sex], base, years) for sex in SEXES], axis=1
    )
    fert = models.fertility
    fertility = _relative(
        fert,
        central(fert, horizon),
        float(np.log(inputs.tfr_history[fert.last_year])),
        base,
        horizon,
    )
    migration = {
        name: _relative(m, central(m, horizon), models.migration_base[name], base, horizon)
        for name, m in models.migration.items()
    }
    units = inputs.population.sizes[REGION]
    return RatePaths(
        years=years,
        mortality=mortality[None],
        fertility=fertility[None],
        immigration=migration["immigration"][None],
        emigration=migration["emigration"][None],
        mobility=migration["mobility"][None],
        attraction=np.ones((1, len(years), units)),
        retention=np.ones((1, len(years), units)),
        unit_mortality=np.ones((1, units)),
        unit_fertility=np.ones((1, units)),
    )


def simulate_paths(inputs: Inputs, horizon: int, draws: int, seed: int) -> RatePaths:
    """`draws` coherent random paths of every rate, reproducible from `seed`."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    models = fit_rate_models(inputs)
    years = _years(models, horizon)
    base = models.base_year
    rngs = np.random.default_rng(seed).spawn(4 + len(SEXES) + len(MIGRATION_SERIES))
    mortality = np.stack(
        [
            rate_ratios(models.mortality[sex], base, years, draws, rngs[i])
            for i, sex in enumerate(SEXES)
        ],
        axis=2,
    )
    fert = models.fertility
    fertility = _relative(
        fert,
        simulate(fert, horizon, draws, rngs[2]),
        float(np.log(inputs.tfr_history[fert.last_year])),
        base,
        horizon,
    )
    migration = {
        name: _relative(
            m, simulate(m, horizon, draws, rngs[3 + i]), models.migration_base[name], base, horizon
        )
        for i, (name, m) in enumerate(models.migration.items())
    }
    attraction, retention = swing_paths(inputs, models, len(years), draws, rngs[-2])
    unit_mortality, unit_fertility = level_draws(inputs, draws, rngs[-1])
    return RatePaths(
        years=years,
        mortality=mortality,
        fertility=fertility,
        immigration=migration["immigration"],
        emigration=migration["emigration"],
        mobility=migration["mobility"],
        attraction=attraction,
        retention=retention,
        unit_mortality=unit_mortality,
        unit_fertility=unit_fertility,
    )


def swing_paths(
    inputs: Inputs, models: RateModels, steps: int, draws: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(draw, year, region) factors on in-migration and on out-migration rates from AR(1)
    swings in each municipality's net migration rate.

    A swing of s persons per person and year moves half of s × population into in-migration
    and half out of out-migration: in-migrants × (1 + s P / 2I), out-rates × (1 − s P / 2O),
    both floored at 0, so every age that moves shares in it.
    """
    sd = models.attraction_sd.to_numpy()
    shocks = rng.standard_normal((draws, steps, sd.size)) * sd
    swing = np.zeros_like(shocks)
    level = np.zeros((draws, sd.size))
    for t in range(steps):
        level = models.attraction_ar * level + shocks[:, t]
        swing[:, t] = level
    population = inputs.population.sum([SEX, AGE]).to_numpy()
    inflow = (inputs.immigrants.sum([SEX, AGE]) + _domestic_in(inputs)).to_numpy()
    rates = inputs.emigration_rate + inputs.domestic_out_rate
    outflow = (rates * inputs.population).sum([SEX, AGE]).to_numpy()
    half = swing * population / 2
    into = np.maximum(1.0 + safe_ratio(half, inflow), 0.0)
    out = np.maximum(1.0 - safe_ratio(half, outflow), 0.0)
    return into, out


def level_draws(
    inputs: Inputs, draws: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(draw, region) factors on each unit's mortality and fertility level.

    A level rests on n events (own deaths or births plus the prior weight, Inputs.*_evidence);
    its uncertainty is a Gamma with mean 1 and shape n (coefficient of variation 1/√n).
    """
    factors = []
    for evidence in (inputs.mortality_evidence, inputs.fertility_evidence):
        shape = evidence.to_numpy()
        factors.append(rng.gamma(shape, 1.0 / shape, size=(draws, shape.size)))
    return factors[0], factors[1]


def _domestic_in(inputs: Inputs) -> xr.DataArray:
    """Base-year domestic in-migrants per unit [persons per year] from the movers' pool."""
    movers = (inputs.domestic_out_rate * inputs.population).sum(REGION)
    return (inputs.domestic_share * movers).sum([SEX, AGE])
