"""The explorer's lever controls: which values a presenter can move, in which unit, from
which source, and how a set of moved values becomes a validated Scenario and a URL.

Pure functions (no Streamlit), so the slider logic is tested like the rest of the model.
Values start at the `all_levers` preset, where every lever has its sourced values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from scenarios.levers import LEVER_MODULES
from scenarios.spec import Scenario, ScenarioError, load_scenario

REFERENCE = "all_levers"  # every lever configured with its sourced values
ON_KEY = "levers"  # URL key listing the levers switched on


@dataclass(frozen=True)
class Control:
    """One slider: a numeric field of a lever, shown as field × scale in the unit given."""

    lever: str
    path: tuple[str, ...]  # inside the lever's table, e.g. ("changes", "yh", "extra_places")
    label_sv: str
    label_en: str
    unit_sv: str
    unit_en: str
    low: float  # slider range in the shown unit (the lever's own bounds still apply)
    high: float
    step: float
    source_sv: str
    source_en: str
    scale: float = 1.0

    @property
    def key(self) -> str:
        """The URL and widget key, e.g. part_time_hours.extra_hours."""
        return ".".join((self.lever, *self.path))

    def label(self, lang: str) -> str:
        return self.label_sv if lang == "sv" else self.label_en

    def unit(self, lang: str) -> str:
        return self.unit_sv if lang == "sv" else self.unit_en

    def source(self, lang: str) -> str:
        return self.source_sv if lang == "sv" else self.source_en


CONTROLS = (
    Control("working_life", ("target_age",), "Arbeta kvar till", "Stay at work until age",
            "år", "years", 62, 69, 1,
            "SKR: förlängt arbetsliv till 66 år", "SKR: working life extended to 66"),
    Control("working_life", ("min_exit_age",), "Erbjudandet gäller från", "The offer starts at age",
            "år", "years", 55, 68, 1,
            "Region Västerbotten: kortare tid för personal över 60",
            "Region Västerbotten: shorter hours for staff over 60"),
    Control("working_life", ("uptake",), "Andel som stannar", "Share who stay on",
            "%", "%", 0, 100, 5,
            "antagande: erbjudandet sprids gradvis (80-90-100-modellen)",
            "assumption: the offer spreads gradually (the 80-90-100 model)", 100.0),
    Control("part_time_hours", ("extra_hours",), "Fler timmar för deltidare",
            "More hours for part-timers", "timmar/vecka", "hours/week", 0.5, 10, 0.5,
            "SKR: deltidsanställda arbetar 3 timmar mer", "SKR: part-timers work 3 hours more"),
    Control("part_time_hours", ("uptake",), "Andel deltidare som går upp",
            "Share of part-timers who take it", "%", "%", 0, 100, 5,
            "SKR 2019: ungefär var femte kan och vill",
            "SKR 2019: about one in five can and want to", 100.0),
    Control("validation", ("arrivals_per_year",), "Personer som valideras",
            "People seeking validation", "personer/år", "persons/year", 0, 600, 10,
            "Myndigheten för yrkeshögskolan 2018, Norrbottens andel",
            "Swedish National Agency for Higher Vocational Education 2018, Norrbotten's share"),
    Control("validation", ("assessors",), "Bedömare", "Assessors", "personer", "persons",
            0, 100, 1, "antagande: beläggning runt 0,8", "assumption: utilisation around 0.8"),
    Control("sick_leave", ("reduction",), "Lägre sjukfrånvaro", "Lower sick leave",
            "procentenheter", "percentage points", 0, 4, 0.25,
            "SKR 2021: regionernas snitt 6,4 % mot lägsta 5,4 %",
            "SKR 2021: regions' mean 6.4 % against the lowest 5.4 %", 100.0),
    Control("migration", ("recruits_per_year",), "Rekryterade hushåll", "Recruited households",
            "hushåll/år", "households/year", 0, 3000, 50,
            "aviserade satsningar: 30 000 nya jobb, 100 000 nya invånare på 15 år",
            "announced investments: 30 000 new jobs, 100 000 new residents in 15 years"),
    Control("parental_leave", ("shift",), "Föräldradagar som flyttas till pappor",
            "Parental days moved to fathers", "%", "%", 0, 100, 5,
            "Försäkringskassan: lika uttag de två första åren",
            "Social Insurance Agency: an equal split of the first two years", 100.0),
    Control("education", ("changes", "yh", "extra_places"), "Fler platser i yrkeshögskolan",
            "More places in higher vocational education", "% av platserna", "% of places",
            0, 100, 5, "antagande, jämför Norrbottens YH-platser 615 (2019) → 1 235 (2020)",
            "assumption; compare Norrbotten's places 615 (2019) → 1 235 (2020)", 100.0),
    Control("education", ("changes", "upper_secondary", "dropout_cut"),
            "Färre avbrott på gymnasiets yrkesprogram", "Fewer dropouts from vocational programmes",
            "% av avbrotten", "% of dropouts", 0, 100, 5,
            "antagande; 20 % lämnar utan examen (Västernorrland)",
            "assumption; 20 % leave without a diploma (Västernorrland)", 100.0),
    Control("shared_services", ("overhead_share",), "Samordningskostnad", "Coordination overhead",
            "% av personalen", "% of staff", 0, 30, 1,
            "antagande: 5–8 % för resor och samordning",
            "assumption: 5–8 % for travel and coordination", 100.0),
)  # fmt: skip
LEVERS = tuple(LEVER_MODULES)


@lru_cache(maxsize=1)
def reference() -> Scenario:
    """The scenario whose lever tables the controls start from."""
    return load_scenario(REFERENCE)


def _get(table: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        table = table[part]
    return table


def reference_values() -> dict[str, float]:
    """Every control's starting value, in the unit shown."""
    levers = reference().model_dump(mode="json")["levers"]
    return {c.key: float(_get(levers[c.lever], c.path)) * c.scale for c in CONTROLS}


def build_scenario(on: set[str], values: Mapping[str, float], lang: str = "sv") -> Scenario:
    """A scenario with the levers in `on` at the shown `values` (the rest at the reference).

    Raises ScenarioError with one plain message when the values cannot go together.
    """
    data = reference().model_dump(mode="json")
    levers = {name: table for name, table in data["levers"].items() if name in on}
    for control in CONTROLS:
        if control.lever not in levers or control.key not in values:
            continue
        table = levers[control.lever]
        *parents, last = control.path
        for part in parents:
            table = table[part]
        value = values[control.key] / control.scale
        table[last] = round(value) if isinstance(table[last], int) else value
    data.update(
        name="eget_scenario",
        title_sv="Eget scenario",
        title_en="Own scenario",
        description_sv="Åtgärder valda i utforskaren.",
        description_en="Levers chosen in the explorer.",
        levers=levers,
    )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ScenarioError(f"{where}: {first['msg']}") from None
    return scenario


def to_query(on: set[str], values: Mapping[str, float]) -> dict[str, str]:
    """The URL query for a lever set: the levers switched on and every moved value."""
    query = {ON_KEY: ",".join(lever for lever in LEVERS if lever in on)}
    start = reference_values()
    for control in CONTROLS:
        value = values.get(control.key, start[control.key])
        if value != start[control.key]:
            query[control.key] = f"{value:g}"
    return query


def from_query(query: Mapping[str, str]) -> tuple[set[str], dict[str, float]]:
    """Levers and values from a URL; unknown levers and unreadable or out-of-range values
    fall back to the reference, so an edited link still opens."""
    on = {name for name in (query.get(ON_KEY) or "").split(",") if name in LEVERS}
    values = reference_values()
    for control in CONTROLS:
        text = query.get(control.key)
        if text is None:
            continue
        try:
            value = float(text)
        except ValueError:
            continue
        if control.low <= value <= control.high:
            values[control.key] = value
    return on, values
