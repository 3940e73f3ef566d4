"""Parameter sweeps and goal seeking over one lever value.

A lever value is named by its path ``LEVER.FIELD`` (e.g. ``part_time_hours.extra_hours``);
its allowed range comes from the pydantic field metadata of the lever's ``Params``. A sweep
runs the scenario once per value and stacks the results along a dimension named after the
path; a goal seek bisects the field's range until a target (e.g. ``gap_fte.total@2033=0``)
is met. Both use the central path (draws = 0) and a fixed seed, so they are deterministic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

import annotated_types as at
import xarray as xr
from pydantic import BaseModel, ValidationError

from forecast.dims import SECTOR, YEAR
from forecast.inputs import Inputs
from scenarios.projection import default_inputs
from scenarios.run import run_scenario
from scenarios.spec import Levers, Scenario, ScenarioError

SWEPT = ("gap_fte", "supply_fte", "demand_fte", "lever_fte")
TARGET_VARIABLES = (
    "gap_fte",
    "supply_fte",
    "demand_fte",
    "lever_fte",
    "recruitment_need",
    "retirements",
    "population",
)
TOTAL = "total"
MAX_GRID_POINTS = 500  # one run each: a longer grid is almost certainly a typo
UNBOUNDED_CAP = 1e6  # the goal seek's search limit for a field without an upper (lower) bound
GRID_FORMAT = "LEVER.FIELD=START:STOP:STEP or LEVER.FIELD=V1,V2,…"
TARGET_FORMAT = "VARIABLE.SERIES@YEAR=VALUE, e.g. gap_fte.total@2033=0 or gap_fte.care@2030=-100"
_TARGET = re.compile(
    r"^(?P<variable>[A-Za-z_]\w*)\.(?P<series>\w+)@(?P<year>\d{4})=(?P<value>[^=]+)$"
)


@dataclass(frozen=True)
class Bounds:
    """The allowed range of a numeric lever field; None is unbounded on that side."""

    lo: float | None
    hi: float | None
    lo_open: bool
    hi_open: bool
    integer: bool

    def contains(self, value: float) -> bool:
        """Whether ``value`` is allowed (within the bounds and whole for an integer field)."""
        if self.integer and value != int(value):
            return False
        if self.lo is not None and (value <= self.lo if self.lo_open else value < self.lo):
            return False
        return not (self.hi is not None and (value >= self.hi if self.hi_open else value > self.hi))

    def describe(self) -> str:
        """The range in interval notation, e.g. '(0, 20]' or '[0, ∞)', plus 'whole numbers'."""
        lo = "-∞" if self.lo is None else f"{self.lo:g}"
        hi = "∞" if self.hi is None else f"{self.hi:g}"
        left = "(" if self.lo_open or self.lo is None else "["
        right = ")" if self.hi_open or self.hi is None else "]"
        return f"{left}{lo}, {hi}{right}" + (", whole numbers" if self.integer else "")


def lever_model(lever: str) -> type[BaseModel]:
    """The Params model of a lever key; ValueError listing the levers if unknown."""
    field = Levers.model_fields.get(lever)
    if field is None:
        raise ValueError(f"unknown lever {lever!r} (levers: {', '.join(Levers.model_fields)})")
    return next(a for a in get_args(field.annotation) if issubclass(a, BaseModel))


def numeric_fields(lever: str) -> list[str]:
    """The lever's fields that take one number (int or float, not bool)."""
    model = lever_model(lever)
    return [n for n, f in model.model_fields.items() if f.annotation in (int, float)]


def field_bounds(lever: str, field: str) -> Bounds:
    """The allowed range of a numeric lever field, read from its Ge/Gt/Le/Lt metadata."""
    model = lever_model(lever)
    fields = numeric_fields(lever)
    if field not in fields:
        raise ValueError(
            f"{lever} has no numeric field {field!r} (numeric fields: {', '.join(fields)})"
        )
    info = model.model_fields[field]
    lo = hi = None
    lo_open = hi_open = False
    for item in info.metadata:
        if isinstance(item, at.Ge):
            lo, lo_open = float(item.ge), False
        elif isinstance(item, at.Gt):
            lo, lo_open = float(item.gt), True
        elif isinstance(item, at.Le):
            hi, hi_open = float(item.le), False
        elif isinstance(item, at.Lt):
            hi, hi_open = float(item.lt), True
    return Bounds(lo, hi, lo_open, hi_open, integer=info.annotation is int)


def _lever_field(path: str) -> tuple[str, str]:
    """Split and check 'LEVER.FIELD'; the ValueError does not repeat the path."""
    lever, dot, field = path.strip().partition(".")
    if not dot or not lever or not field:
        raise ValueError("expected LEVER.FIELD, e.g. part_time_hours.uptake")
    field_bounds(lever, field)
    return lever, field


def lever_field(path: str) -> tuple[str, str]:
    """Split and check a lever path 'LEVER.FIELD' (e.g. 'part_time_hours.uptake')."""
    try:
        return _lever_field(path)
    except ValueError as exc:
        raise ValueError(f"lever {path!r}: {exc}") from None


def _number(text: str) -> float:
    """A finite number from grid text; ValueError naming the text otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def _range_values(text: str) -> list[float]:
    """START:STOP:STEP → start, start + step, …, up to stop (included if on the grid)."""
    parts = text.split(":")
    if len(parts) != 3:
        raise ValueError(f"a range needs START:STOP:STEP, got {text!r}")
    start, stop, step = (_number(p) for p in parts)
    if step <= 0:
        raise ValueError(f"step must be > 0, got {step:g}")
    if stop < start:
        raise ValueError(f"empty grid: stop {stop:g} is below start {start:g}")
    n = math.floor((stop - start) / step + 1e-9) + 1  # the tolerance absorbs float error
    if n > MAX_GRID_POINTS:
        raise ValueError(f"{n} grid points; at most {MAX_GRID_POINTS}")
    # 12 significant digits drop float noise: 0.1 + 2 * 0.1 becomes 0.3
    return [float(f"{start + k * step:.12g}") for k in range(n)]


def parse_grid(spec: str) -> tuple[str, str, list[float]]:
    """Parse 'lever.field=start:stop:step' or 'lever.field=v1,v2,…' into (lever, field,
    values); integer fields give ints. ValueError with one clear message on any problem."""
    path, eq, grid = spec.partition("=")
    try:
        if not eq:
            raise ValueError(f"expected {GRID_FORMAT}")
        lever, field = _lever_field(path)
        grid = grid.strip()
        if not grid:
            raise ValueError("no values after '='")
        values = _range_values(grid) if ":" in grid else [_number(v) for v in grid.split(",")]
        if len(values) > MAX_GRID_POINTS:
            raise ValueError(f"{len(values)} grid points; at most {MAX_GRID_POINTS}")
        if len(set(values)) < len(values):
            raise ValueError("values repeat")
        bounds = field_bounds(lever, field)
        for value in values:
            if bounds.integer and value != int(value):
                raise ValueError(f"{field} takes whole numbers, got {value:g}")
            if not bounds.contains(value):
                raise ValueError(
                    f"{field} = {value:g} is outside the allowed range {bounds.describe()}"
                )
    except ValueError as exc:
        raise ValueError(f"lever grid {spec!r}: {exc}") from None
    if bounds.integer:
        values = [int(v) for v in values]
    return lever, field, values


def with_lever(scenario: Scenario, lever: str, field: str, value: float) -> Scenario:
    """A validated copy of the scenario with the lever on (its defaults if it was off) and
    ``field`` set to ``value``; an invalid combination raises ScenarioError."""
    bounds = field_bounds(lever, field)
    if bounds.integer:
        if value != int(value):
            raise ScenarioError(f"levers.{lever}.{field} takes whole numbers, got {value:g}")
        value = int(value)
    data = scenario.model_dump()
    data["levers"][lever] = {**(data["levers"][lever] or {}), field: value}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ScenarioError(
            f"scenario {scenario.name!r} with levers.{lever}.{field} = {value:g}: "
            f"key {key!r}: {first['msg']}"
        ) from exc


def sweep(
    scenario: Scenario,
    region: str,
    spec: str,
    inputs: Inputs | None = None,
    seed: int = 0,
) -> xr.Dataset:
    """One central run per grid value of ``spec``, stacked along a new dimension named after
    the lever path (e.g. 'part_time_hours.extra_hours'), keeping gap, supply, demand and
    lever FTE by (path, year, sector). attrs['sweep'] names the path."""
    lever, field, values = parse_grid(spec)
    path = f"{lever}.{field}"
    inputs = inputs or default_inputs()
    runs = [
        run_scenario(with_lever(scenario, lever, field, v), region, inputs, seed)[list(SWEPT)]
        for v in values
    ]
    ds = xr.concat(runs, dim=path, combine_attrs="drop_conflicts")
    ds = ds.assign_coords({path: values})
    ds[path].attrs.update(lever=lever, field=field, allowed=field_bounds(lever, field).describe())
    ds.attrs.update(sweep=path, scenario=scenario.name, scenario_json=scenario.model_dump_json())
    return ds


@dataclass(frozen=True)
class Target:
    """A value one series of a result variable should reach in one year."""

    variable: str
    series: str  # 'total' (sum over sectors) or a sector id
    year: int
    value: float

    @property
    def label(self) -> str:
        """The measured quantity, e.g. 'gap_fte.total@2033'."""
        return f"{self.variable}.{self.series}@{self.year}"

    def __str__(self) -> str:
        """The target as written, e.g. 'gap_fte.total@2033=0'."""
        return f"{self.label}={self.value:g}"


def parse_target(spec: str) -> Target:
    """Parse 'VARIABLE.SERIES@YEAR=VALUE' (e.g. 'gap_fte.total@2033=0'); SERIES is 'total'
    or a sector id (checked against the data when the goal is sought)."""
    match = _TARGET.match(spec.strip())
    if match is None:
        raise ValueError(f"target {spec!r}: expected {TARGET_FORMAT}")
    variable, series = match["variable"], match["series"]
    if variable not in TARGET_VARIABLES:
        raise ValueError(
            f"target {spec!r}: unknown variable {variable!r} "
            f"(variables: {', '.join(TARGET_VARIABLES)})"
        )
    if variable == "population" and series != TOTAL:
        raise ValueError(f"target {spec!r}: population has only the series 'total'")
    try:
        value = _number(match["value"])
    except ValueError as exc:
        raise ValueError(f"target {spec!r}: {exc}") from None
    return Target(variable, series, int(match["year"]), value)


def check_target(target: Target, inputs: Inputs, horizon: int) -> None:
    """ValueError if the target's year is outside the run or its series is not a sector."""
    if not inputs.base_year <= target.year <= horizon:
        raise ValueError(
            f"target {target}: year {target.year} is outside the run ({inputs.base_year}–"
            f"{horizon}, the scenario's horizon)"
        )
    sectors = list(inputs.sectors.index)
    if target.series not in (TOTAL, *sectors):
        raise ValueError(
            f"target {target}: unknown series {target.series!r} "
            f"(series: total, {', '.join(sectors)})"
        )


def measure(ds: xr.Dataset, target: Target) -> float:
    """The target's quantity in a central run: one year, summed over sectors for 'total'
    (over sex and age for population)."""
    da = ds[target.variable].sel({YEAR: target.year})
    if target.series != TOTAL:
        da = da.sel({SECTOR: target.series})
    return float(da.sum())


@dataclass(frozen=True)
class GoalResult:
    """Outcome of a goal seek: the lever value found (or the closer end if unreachable)."""

    value: float
    measured: float  # the target's quantity at `value`
    achieved: bool  # |measured − target| ≤ tolerance
    reachable: bool  # the target lies between the values at both ends of the range
    evaluations: int  # scenario runs made
    message: str


def search_range(
    scenario: Scenario, lever: str, field: str, x_tolerance: float | None = None
) -> tuple[float, float, float]:
    """(lo, hi, x_tolerance) of the goal seek: the field's closed range, missing ends at
    ±UNBOUNDED_CAP, start_year at most the horizon, open ends moved in by x_tolerance
    (default 1e-4 of the range; 1 for whole numbers)."""
    b = field_bounds(lever, field)
    lo = -UNBOUNDED_CAP if b.lo is None else b.lo
    hi = UNBOUNDED_CAP if b.hi is None else b.hi
    if field == "start_year":
        hi = min(hi, scenario.horizon)
    x_tol = x_tolerance if x_tolerance is not None else 1e-4 * (hi - lo)
    inward = 1.0 if b.integer else x_tol
    lo += inward if b.lo_open else 0.0
    hi -= inward if b.hi_open else 0.0
    return lo, hi, x_tol


def goal_seek(
    scenario: Scenario,
    region: str,
    lever_path: str,
    target: Target | str,
    inputs: Inputs | None = None,
    seed: int = 0,
    tolerance: float = 0.5,
    x_tolerance: float | None = None,
) -> GoalResult:
    """Bisect the lever field's allowed range for the value whose central run (draws = 0,
    fixed seed) meets the target within ``tolerance`` (units of the target variable).

    Both ends are evaluated first; a target outside the values they give is reported as
    unreachable. Bisection stops at |f| ≤ tolerance or when the bracket is narrower than
    ``x_tolerance`` (default 1e-4 of the range; whole numbers stop at adjacent integers).
    A non-monotone response may hide roots when both ends lie on the same side.
    """
    if isinstance(target, str):
        target = parse_target(target)
    if not tolerance >= 0:
        raise ValueError(f"tolerance must be ≥ 0, got {tolerance}")
    if x_tolerance is not None and not x_tolerance > 0:
        raise ValueError(f"x_tolerance must be > 0, got {x_tolerance}")
    lever, field = lever_field(lever_path)
    inputs = inputs or default_inputs()
    check_target(target, inputs, scenario.horizon)
    integer = field_bounds(lever, field).integer
    lo, hi, x_tol = search_range(scenario, lever, field, x_tolerance)
    if integer:
        lo, hi = int(lo), int(hi)
    measured: dict[float, float] = {}

    def f(x: float) -> float:
        """Measured minus target at lever value x (one run, remembered)."""
        if x not in measured:
            run = run_scenario(with_lever(scenario, lever, field, x), region, inputs, seed)
            measured[x] = measure(run, target)
            if not math.isfinite(measured[x]):
                raise ValueError(f"{target.label} is not finite at {lever_path} = {x:g}")
        return measured[x] - target.value

    value, achieved, bracket = _bisect(f, lo, hi, tolerance, x_tol, integer)
    closest = measured[value]
    path = f"{lever}.{field}"
    if bracket is None:
        message = (
            f"{target} cannot be reached with {path} in [{lo:g}, {hi:g}]: {target.label} is "
            f"{measured[lo]:.6g} at {path} = {lo:g} and {measured[hi]:.6g} at {hi:g}"
        )
    elif achieved:
        message = (
            f"{path} = {value:.6g} gives {target.label} = {closest:.6g} "
            f"(target {target.value:g} ± {tolerance:g})"
        )
    else:
        a, b = bracket
        message = (
            f"no {path} gives {target} within ±{tolerance:g}: it lies between {path} = {a:.6g}"
            f" ({measured[a]:.6g}) and {b:.6g} ({measured[b]:.6g}); closest {value:.6g}"
        )
    return GoalResult(
        value=value,
        measured=closest,
        achieved=achieved,
        reachable=bracket is not None,
        evaluations=len(measured),
        message=message,
    )


def _bisect(
    f: Callable[[float], float],
    lo: float,
    hi: float,
    tolerance: float,
    x_tolerance: float,
    integer: bool,
) -> tuple[float, bool, tuple[float, float] | None]:
    """Bisect f on [lo, hi]: (best x, |f(x)| ≤ tolerance, final bracket or None if f has
    the same sign at both ends)."""
    f_lo, f_hi = f(lo), f(hi)
    for x, fx in ((lo, f_lo), (hi, f_hi)):
        if abs(fx) <= tolerance:
            return x, True, (lo, hi)
    if (f_lo > 0) == (f_hi > 0):
        return (lo if abs(f_lo) <= abs(f_hi) else hi), False, None
    width = 1 if integer else x_tolerance
    while hi - lo > width:
        mid = (lo + hi) // 2 if integer else (lo + hi) / 2
        f_mid = f(mid)
        if abs(f_mid) <= tolerance:
            return mid, True, (lo, hi)
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi, f_hi = mid, f_mid
    best = lo if abs(f_lo) <= abs(f_hi) else hi
    return best, False, (lo, hi)
