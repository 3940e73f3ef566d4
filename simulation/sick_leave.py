"""Lever "lower sick leave", played out month by month in SimPy.

Each sector's employees move between at work and on sick leave with a monthly incidence ``i``
and recovery ``r``; the steady state ``i / (i + r)`` is the sector's base rate. Employer
measures, rolled out along a ramp, lower the incidence until the steady state is ``reduction``
percentage points below the base. A process per sector tracks the *averted* absentees
(persons at work who would be on sick leave without the lever) with binomial transitions, so
only the lever's part is random and a zero reduction gives exactly zero. The averted share of
contracted time times the sector's FTE is the extra FTE; nobody new is employed, so
``extra_persons`` is 0 (counting person-equivalents too would count the same hours twice).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Annotated, Any

import numpy as np
import simpy
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field

from forecast.dims import AGE, SECTOR, SHARE, WELFARE_SECTORS, YEAR
from simulation.engine import (
    LeverContext,
    MonthlyClock,
    Ramp,
    Records,
    check_sectors,
    finish,
    spawn_rngs,
)

LEVER = "sick_leave"

# [share of contracted working time] base sick-leave rate by sector. Public figures are SKR's
# and Arbetsgivarverket's (../shared/facts/public_sector_staff.csv,
# measure sjukfranvaro_andel_av_ordinarie_arbetstid, Sverige 2021); the facts hold no private
# sector rate.
BASE_RATES: dict[str, float] = {
    "agriculture": 0.036,  # assumption: the state's 3.6 % (2021), lowest public rate, as proxy
    "industry": 0.036,  # assumption: as agriculture
    "construction": 0.036,  # assumption: as agriculture
    "trade_transport": 0.036,  # assumption: as agriculture
    "business_services": 0.036,  # assumption: as agriculture
    "public_admin": 0.036,  # stat, alla, 2021: 3.6 %
    # kommun, alla, 2021: 7.7 % (schools and preschools are municipal)
    "preschool": 0.077,
    "compulsory_school": 0.077,
    "upper_secondary_school": 0.077,
    # stat, alla, 2021: 3.6 % (universities and colleges are state agencies)
    "other_education": 0.036,
    # mean of region 2021 (6.4 %, health care) and kommun 2021 (7.7 %, elder care), the rate
    # of the former single care sector, used for every care sector
    "elderly_care": 0.0705,
    "health_care": 0.0705,
    "individual_family_care": 0.0705,
    "disability_support": 0.0705,
}
# Employers SKR's lever is about: municipal schools, municipal elder care and regional care,
# i.e. the seven welfare sectors.
DEFAULT_SECTORS = WELFARE_SECTORS

Rate = Annotated[float, Field(ge=0, le=0.5)]


class Params(BaseModel):
    """Scenario parameters of the lever; defaults and their sources in the comments."""

    model_config = ConfigDict(extra="forbid")
    start_year: Annotated[int, Field(ge=2025, le=2050)] = 2026  # [year] assumption: next year
    # [years] to full rollout of the employer measures: assumption (no rollout figures in the
    # facts), the same as the part-time hours lever
    ramp_years: Annotated[float, Field(ge=0, le=10)] = 3.0
    # [share] fall of the sick-leave rate at full rollout (0.01 = 1 percentage point); the gap
    # between the regions' mean, 6.4 %, and the lowest region, Jämtland Härjedalen 5.4 %, in
    # 2021 (public_sector_staff.csv, sjukfranvaro_andel_av_ordinarie_arbetstid)
    reduction: Annotated[float, Field(ge=0, le=0.5)] = 0.01
    # [share per month] chance that a sick-leave spell ends in a month: Norrbotten Dec 2017,
    # ongoing cases > 365 days / > 60 days = 1237 / 2747 (retirement_and_hours.csv), which
    # with geometric durations is (1 - r)^10, so r = 1 - 0.4503^0.1; long spells make it slow
    recovery_rate: Annotated[float, Field(gt=0, le=0.5)] = 0.077
    # [share] per-sector base rates that replace BASE_RATES (sources there); unknown sector
    # ids are rejected by simulate
    base_rates: dict[str, Rate] = Field(default_factory=dict)
    # sector ids covered; None = DEFAULT_SECTORS (the welfare sectors)
    sectors: list[str] | None = None


def simulate(params: Params, context: LeverContext, seed: int) -> xr.Dataset:
    """Extra FTE (and the sick-leave rates behind it) by year and sector in the region."""
    sectors = check_sectors(params.sectors, context, DEFAULT_SECTORS, LEVER)
    base = _base_rates(params, context)
    too_large = [s for s in sectors if params.reduction > float(base.sel({SECTOR: s}))]
    if too_large:
        s = too_large[0]
        raise ValueError(
            f"levers.{LEVER}.reduction: {params.reduction} exceeds the base sick-leave rate "
            f"of sector {s!r} ({float(base.sel({SECTOR: s}))}); allowed range [0, base rate]"
        )
    persons = context.employed.sum(AGE)
    averted = simulate_averted_share(
        base.sel({SECTOR: sectors}),
        persons.isel({YEAR: 0}, drop=True).sel({SECTOR: sectors}),
        reduction=params.reduction,
        recovery_rate=params.recovery_rate,
        ramp=Ramp(params.start_year, params.ramp_years),
        years=context.years,
        seed=seed,
    ).reindex({SECTOR: context.sectors}, fill_value=0.0)
    fte = persons * context.fte_per_person
    effects = xr.Dataset(
        {
            "extra_persons": xr.zeros_like(averted).assign_attrs(
                description="no new persons: the lever frees contracted time of the employed"
            ),
            "extra_fte": (averted * fte).assign_attrs(
                description="contracted time no longer lost to sick leave, in FTE"
            ),
            "sick_leave_rate_base": base.broadcast_like(averted).assign_attrs(
                units=SHARE, description="sick leave without the lever [share of contracted time]"
            ),
            "sick_leave_rate": (base - averted).assign_attrs(
                units=SHARE,
                description="sick leave achieved, annual mean [share of contracted time]",
            ),
        }
    )
    return finish(effects, LEVER, params, seed)


def simulate_averted_share(
    base_rate: xr.DataArray,
    persons: xr.DataArray,
    *,
    reduction: float,
    recovery_rate: float,
    ramp: Ramp,
    years: Sequence[int],
    seed: int,
) -> xr.DataArray:
    """Annual mean share of employees kept at work by the lever [share], dims (year, sector).

    ``base_rate`` and ``persons`` have dims (sector,): base sick-leave rate [share], at most
    0.5, and the simulated head count [persons] (rounded). ``reduction`` [share] may not exceed
    a sector's base rate; ``recovery_rate`` [share per month] is in (0, 0.5]. Sector ``i``
    draws from ``spawn_rngs(seed, n_sectors)[i]``.
    """
    clock = MonthlyClock.from_years(years)
    sectors = base_rate[SECTOR].values.tolist()
    heads = [round(float(n)) for n in persons.sel({SECTOR: sectors}).values]
    env = simpy.Environment()
    records = Records()
    rngs = spawn_rngs(seed, len(sectors))
    for sector, rate, n, rng in zip(sectors, base_rate.values, heads, rngs, strict=True):
        env.process(
            _employees_of_sector(
                env, clock, ramp, sector, n, float(rate), reduction, recovery_rate, rng, records
            )
        )
    env.run(until=clock.n_months)
    averted = records.annual_mean("averted", clock.years, sectors)
    head_count = xr.DataArray(np.array(heads, dtype=float), dims=SECTOR, coords={SECTOR: sectors})
    return (averted / head_count.where(head_count > 0)).fillna(0.0)


def _employees_of_sector(
    env: simpy.Environment,
    clock: MonthlyClock,
    ramp: Ramp,
    sector: str,
    persons: int,
    base_rate: float,
    reduction: float,
    recovery: float,
    rng: np.random.Generator,
    records: Records,
) -> Generator[simpy.Event, Any, None]:
    """One sector month by month: averted absentees return to the baseline, new ones arise.

    An averted absentee stops being one when the baseline spell would end (``recovery``) or
    when they fall sick anyway at the lowered incidence; baseline at-work employees become
    averted absentees at the incidence the lever removes. In expectation the sick-leave rate
    relaxes towards ``base_rate - reduction * rollout`` at ``recovery + incidence`` a month.
    """
    base_incidence = _incidence(base_rate, recovery)
    baseline_sick = round(persons * base_rate)  # the baseline sits in its steady state
    averted = 0
    for m in range(clock.n_months):
        year, month = clock.date(m)
        incidence = _incidence(base_rate - reduction * ramp.rollout(year, month), recovery)
        averted -= int(rng.binomial(averted, recovery + incidence))
        averted += int(rng.binomial(persons - baseline_sick, base_incidence - incidence))
        # The lever cannot avert more absence than the baseline has.
        averted = min(averted, baseline_sick)
        records.append(month=m, year=year, sector=sector, averted=averted)
        yield env.timeout(1)


def _incidence(rate: float, recovery: float) -> float:
    """Monthly sick-leave incidence [share per month] whose steady state with ``recovery`` is
    ``rate``: rate = i / (i + r). With rate, r <= 0.5, recovery + incidence stays <= 1."""
    return rate * recovery / (1.0 - rate)


def _base_rates(params: Params, context: LeverContext) -> xr.DataArray:
    """Base sick-leave rate [share] for every sector of the context, dims (sector,):
    BASE_RATES with the scenario's overrides; ValueError for unknown or missing sectors."""
    unknown = [s for s in params.base_rates if s not in context.sectors]
    if unknown:
        raise ValueError(
            f"levers.{LEVER}.base_rates: unknown sector {unknown[0]!r}; "
            f"known: {', '.join(context.sectors)}"
        )
    rates = BASE_RATES | params.base_rates
    missing = [s for s in context.sectors if s not in rates]
    if missing:
        raise ValueError(
            f"levers.{LEVER}.base_rates: no base sick-leave rate for sector {missing[0]!r}"
        )
    return xr.DataArray(
        [rates[s] for s in context.sectors], dims=SECTOR, coords={SECTOR: context.sectors}
    )
