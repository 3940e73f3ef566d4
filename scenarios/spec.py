"""The Scenario schema: scenario files are TOML, validated once here with clear messages."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from forecast.establishments import Params as Establishments
from simulation.education import Params as Education
from simulation.hours import Params as PartTimeHours
from simulation.migration import Params as Migration
from simulation.parental_leave import Params as ParentalLeave
from simulation.shared_services import Params as SharedServices
from simulation.sick_leave import Params as SickLeave
from simulation.validation import Params as Validation
from simulation.working_life import Params as WorkingLife

PRESETS = Path(__file__).resolve().parent / "presets"
HORIZON_MAX = 2050


class ScenarioError(ValueError):
    """A scenario file cannot be used; the message names the file, the key and what is allowed."""


class Levers(BaseModel):
    """One optional table per lever; each lever's parameters live with its simulation."""

    model_config = ConfigDict(extra="forbid")
    working_life: WorkingLife | None = None
    part_time_hours: PartTimeHours | None = None
    validation: Validation | None = None
    sick_leave: SickLeave | None = None
    migration: Migration | None = None
    parental_leave: ParentalLeave | None = None
    education: Education | None = None
    shared_services: SharedServices | None = None

    def active(self) -> dict[str, BaseModel]:
        """The levers the scenario switches on, by key, in a fixed order."""
        return {name: value for name, value in self if value is not None}


class Scenario(BaseModel):
    """A named set of lever values; `baseline` has none."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9_]+$")]
    title_sv: str
    title_en: str
    description_sv: str = ""
    description_en: str = ""
    horizon: Annotated[int, Field(ge=2025, le=HORIZON_MAX)] = 2033
    # [share per year] fewer welfare staff per user each year (0 = SKR's "if nothing changes")
    productivity: Annotated[float, Field(ge=0, le=0.05)] = 0.0
    # announced establishments: their jobs, indirect jobs and the households they draw
    establishments: Establishments = Establishments()
    levers: Levers = Levers()

    @model_validator(mode="after")
    def _levers_within_horizon(self) -> Scenario:
        for name, lever in self.levers.active().items():
            start = getattr(lever, "start_year", None)
            if start is not None and start > self.horizon:
                raise ValueError(
                    f"levers.{name}.start_year ({start}) is after the horizon ({self.horizon})"
                )
        return self


def list_presets() -> list[str]:
    """Names of the preset scenarios shipped in scenarios/presets/."""
    return sorted(p.stem for p in PRESETS.glob("*.toml"))


def _describe(error: ValidationError, source: str) -> str:
    first = error.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    value = first.get("input")
    allowed = first["msg"]
    if first["type"] == "extra_forbidden":
        allowed = "unknown key (check the spelling; see scenarios/presets/ for examples)"
    if first["type"] == "missing":
        return f"{source}: key {key!r} is missing: it is required"
    return f"{source}: key {key!r} = {value!r}: {allowed}"


MAX_EXTENDS = 10  # deepest chain of `extends` before it is taken for a cycle


def _merged(parent: dict, child: dict) -> dict:
    """Child keys override the parent's; tables (dicts) are merged key by key."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _resolve(data: dict, source: str, base: Path | None, depth: int = 0) -> dict:
    """Apply `extends = "preset or file"` (recursively): the parent's keys under the child's."""
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{source}: key 'extends' = {parent!r}: must be a preset name or path")
    if depth >= MAX_EXTENDS:
        raise ScenarioError(f"{source}: key 'extends': chain longer than {MAX_EXTENDS} (a cycle?)")
    path = _find(parent, base)
    try:
        inherited = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        message = f"{source}: key 'extends' = {parent!r}: cannot read {path} ({exc})"
        raise ScenarioError(message) from exc
    inherited = _resolve(inherited, str(path), path.parent, depth + 1)
    inherited.pop("name", None)  # every scenario names itself
    return _merged(inherited, data)


def _find(name_or_path: str, base: Path | None = None) -> Path:
    """A preset by name, or a file (relative to `base` when given); ScenarioError if neither."""
    path = Path(name_or_path)
    if not path.suffix and (PRESETS / f"{path}.toml").exists():
        return PRESETS / f"{path}.toml"
    if base is not None and not path.is_absolute() and (base / path).exists():
        return base / path
    if path.exists():
        return path
    raise ScenarioError(
        f"{name_or_path}: no such scenario file or preset (presets: {', '.join(list_presets())})"
    )


def parse_scenario(text: str, source: str, base: Path | None = None) -> Scenario:
    """Validate TOML text (after `extends`); any problem is one ScenarioError naming source
    and key. `base` is the folder relative `extends` paths start from."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML ({exc})") from exc
    data = _resolve(data, source, base)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_describe(exc, source)) from exc


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a preset by name (e.g. 'baseline') or a scenario file by path."""
    path = _find(str(name_or_path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc})") from exc
    return parse_scenario(text, str(path), path.parent)


def resolved_toml(scenario: Scenario) -> str:
    """The scenario as one self-contained TOML document (inheritance applied, defaults
    written out): what a result records and what `parse_scenario` reads back unchanged."""
    return tomli_w.dumps(scenario.model_dump(mode="json", exclude_none=True))
