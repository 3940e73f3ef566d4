"""Tests of the "shared services" lever: hand cases, rollout, properties, validation, real data."""

from __future__ import annotations

import dataclasses
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pydantic
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.dims import AGE, FTE, PERSONS, REGION, SECTOR, SEX, SHARE, YEAR
from simulation.engine import LeverContext, Ramp
from simulation.shared_services import MEMBER, Params, Service, simulate

YEARS = list(range(2025, 2031))
SECTORS = ["industry", "education", "care"]
PRESET = Path(__file__).parents[2] / "scenarios" / "presets" / "shared_services.toml"
# Hand service: 1.5 FTE per 1 000 residents of any age, at least 5 FTE per municipality.
FLOOR = 5.0
SOCIAL = Service(sector="care", age_min=0, age_max=100, fte_per_1000_users=1.5, min_floor_fte=FLOOR)
# Children aged 10 only: 10 FTE per 1 000 users, half of the children are users, floor 3 FTE.
TEACHERS = Service(
    sector="education",
    age_min=6,
    age_max=15,
    users_per_person=0.5,
    fte_per_1000_users=10.0,
    min_floor_fte=3.0,
)


def make_context(
    adults: dict[str, float],
    children: dict[str, float] | None = None,
    region_units: list[str] | None = None,
) -> LeverContext:
    """Every year the same: ``adults`` aged 40 and ``children`` aged 10 per unit; the region
    is ``region_units`` (default: every unit)."""
    units = list(adults)
    children = children or dict.fromkeys(units, 0.0)
    table = [[[children[u], adults[u]] for u in units]] * len(YEARS)
    unit_population = xr.DataArray(
        np.array(table, dtype=float),
        dims=(YEAR, REGION, AGE),
        coords={YEAR: YEARS, REGION: units, AGE: [10, 40]},
    )
    employed = xr.DataArray(
        np.ones((len(YEARS), len(SECTORS), 1)),
        dims=(YEAR, SECTOR, AGE),
        coords={YEAR: YEARS, SECTOR: SECTORS, AGE: [40]},
    )
    zeros = xr.zeros_like(employed.sum(AGE))
    return LeverContext(
        years=YEARS,
        sectors=SECTORS,
        employed=employed,
        part_timers=zeros,
        fte_per_person=xr.DataArray([0.9] * len(SECTORS), dims=SECTOR, coords={SECTOR: SECTORS}),
        retirements=zeros,
        population=xr.DataArray(
            np.zeros((len(YEARS), 2, 1)),
            dims=(YEAR, SEX, AGE),
            coords={YEAR: YEARS, SEX: ["female", "male"], AGE: [40]},
        ),
        full_time_hours=40.0,
        part_time_hours=30.0,
        region_units=units if region_units is None else region_units,
        unit_population=unit_population,
    )


PAIR = make_context({"2401": 1000.0, "2403": 1000.0})
PAIR_UNITS = PAIR.unit_population


def run(context: LeverContext = PAIR, seed: int = 1, **overrides: Any) -> xr.Dataset:
    """Hand case: the context's units pool SOCIAL from January 2026 at once, 10 % overhead."""
    units = context.unit_population if context.unit_population is not None else PAIR_UNITS
    kwargs: dict[str, Any] = {
        "group": [str(u) for u in units[REGION].values],
        "services": {"social": SOCIAL},
        "start_year": 2026,
        "ramp_years": 0.0,
        "overhead_share": 0.1,
    }
    kwargs.update(overrides)
    return simulate(Params(**kwargs), context, seed)


def freed(ds: xr.Dataset, member: str) -> list[float]:
    """A member's freed FTE, year by year."""
    return ds["freed_fte_by_member"].sel({MEMBER: member}).values.tolist()


class TestHandComputed:
    def test_two_identical_small_municipalities_free_one_floor_minus_overhead(self):
        # Alone each needs max(5, 1.5) = 5; the pool needs max(5, 3) × 1.1 = 5.5, half each:
        # together they free 2 × 5 − 5 × (1 + 0.1) = 5 × (1 − 0.1) = 4.5 FTE.
        ds = run()
        expected = [0.0] + [FLOOR * (1 - 0.1)] * 5
        care = ds["extra_fte"].sel({SECTOR: "care"}).values.tolist()
        assert care == pytest.approx(expected, rel=1e-12, abs=0)
        assert freed(ds, "2401") == pytest.approx([x / 2 for x in expected], rel=1e-12, abs=0)
        assert freed(ds, "2401") == freed(ds, "2403")
        assert ds["extra_fte"].sel({SECTOR: ["industry", "education"]}).values.tolist() == [
            [0.0, 0.0]
        ] * len(YEARS)

    def test_large_identical_municipalities_pay_only_the_overhead(self):
        # 10 000 residents each: no floor binds; the pool needs 30 × 1.1, so −0.1 × 30 = −3.
        ds = run(make_context({"2401": 1e4, "2403": 1e4}))
        total = ds["extra_fte"].sel({SECTOR: "care", YEAR: slice(2026, None)}).values
        assert total == pytest.approx([-3.0] * 5, rel=1e-12)

    def test_unequal_members_share_the_pool_by_users(self):
        # Small: 1 000 residents, needs 5; large: 9 000, needs 13.5. The pool needs
        # 15 × 1.1 = 16.5, shared 1:9, so the small frees 5 − 1.65 and the large 13.5 − 14.85.
        ds = run(make_context({"2403": 1000.0, "2401": 9000.0}))
        assert freed(ds, "2403")[1:] == pytest.approx([5 - 1.65] * 5, rel=1e-12)
        assert freed(ds, "2401")[1:] == pytest.approx([13.5 - 14.85] * 5, rel=1e-12)

    def test_floor_override_replaces_every_floor(self):
        # Floor 8: alone 8 + 8, pool max(8, 3) × 1.1 = 8.8; 16 − 8.8 = 7.2.
        total = run(min_floor_fte=8.0)["extra_fte"].sel({SECTOR: "care", YEAR: 2027}).item()
        assert total == pytest.approx(7.2, rel=1e-12)

    def test_users_come_from_the_age_band_and_users_per_person(self):
        # 1 000 and 300 children aged 10, half of them users: 5 and 1.5 FTE, floor 3, so alone
        # 5 + 3; the pool needs max(3, 6.5) × 1.1 = 7.15: frees 0.85. Adults do not count.
        context = make_context({"2401": 1e5, "2403": 1e5}, children={"2401": 1000.0, "2403": 300.0})
        ds = run(context, services={"teachers": TEACHERS})
        total = ds["extra_fte"].sel({SECTOR: "education", YEAR: 2030}).item()
        assert total == pytest.approx(0.85, rel=1e-12)
        assert float(abs(ds["extra_fte"].sel({SECTOR: "care"})).sum()) == 0.0

    def test_uncovered_sectors_are_not_pooled(self):
        context = make_context({"2401": 1000.0, "2403": 1000.0}, children={"2401": 1.0, "2403": 1})
        services = {"social": SOCIAL, "teachers": TEACHERS}
        both = run(context, services=services)
        only = run(context, services=services, sectors=["education"])
        assert float(abs(only["extra_fte"].sel({SECTOR: "care"})).sum()) == 0.0
        xr.testing.assert_equal(
            only["extra_fte"].sel({SECTOR: "education"}),
            both["extra_fte"].sel({SECTOR: "education"}),
        )

    def test_group_of_one_frees_exactly_zero(self):
        ds = run(group=["2401"])
        assert float(abs(ds["freed_fte_by_member"]).sum()) == 0.0
        assert float(abs(ds["extra_fte"]).sum()) == 0.0
        assert float(ds["pooled_share"].sum()) == 0.0

    def test_members_outside_the_region_contribute_nothing(self):
        inside = make_context({"2401": 1000.0, "2403": 9000.0}, region_units=["2401", "2580"])
        ds = run(inside)
        xr.testing.assert_allclose(
            ds["extra_fte"].sel({SECTOR: "care"}, drop=True),
            ds["freed_fte_by_member"].sel({MEMBER: "2401"}, drop=True),
        )
        nobody = run(make_context({"2401": 1000.0, "2403": 9000.0}, region_units=["2580"]))
        assert float(abs(nobody["extra_fte"]).sum()) == 0.0
        assert float(abs(nobody["freed_fte_by_member"]).sum()) > 0.0

    def test_no_floor_and_no_overhead_free_nothing(self):
        ds = run(
            make_context({"2401": 1234.0, "2403": 5678.0}), min_floor_fte=0.0, overhead_share=0
        )
        assert np.allclose(ds["freed_fte_by_member"].values, 0.0, atol=1e-12)

    def test_start_after_the_last_year_gives_zeros(self):
        ds = run(start_year=2031, ramp_years=2.0)
        assert float(abs(ds["extra_fte"]).sum()) == 0.0
        assert float(ds["pooled_share"].sum()) == 0.0

    def test_nobody_new_is_employed(self):
        assert float(abs(run()["extra_persons"]).sum()) == 0.0


class TestRollout:
    def test_without_ramp_everyone_is_pooled_from_january_and_seeds_do_not_matter(self):
        ds = run(seed=1)
        assert ds["pooled_share"].values.tolist() == [[0.0, 0.0]] + [[1.0, 1.0]] * 5
        xr.testing.assert_equal(ds["extra_fte"], run(seed=2)["extra_fte"])

    def test_pool_starts_when_the_second_member_joins(self):
        ds = run(ramp_years=3.0, seed=7)
        pooled = ds["pooled_share"]
        # Both members are pooled in exactly the same months: a pool needs two.
        assert (
            pooled.sel({MEMBER: "2401"}).values.tolist()
            == pooled.sel({MEMBER: "2403"}).values.tolist()
        )
        # Freed FTE scale with the months pooled: 2.25 FTE each in a pooled month.
        assert freed(ds, "2401") == pytest.approx(
            (2.25 * pooled.sel({MEMBER: "2401"})).values.tolist(), rel=1e-12
        )

    def test_joining_follows_the_ramp_on_average(self):
        # 2 000 members: the mean pooled share of a year is the ramp's mean rollout, within
        # sampling error (sd of a member's annual share <= 0.3 here, so sd of the mean <= 0.007);
        # joining one month late would be 1/30 off.
        units = {f"{1000 + i}": 100.0 for i in range(2000)}
        ds = run(make_context(units), ramp_years=2.5, seed=3)
        mean = ds["pooled_share"].mean(MEMBER).values
        ramp = Ramp(2026, 2.5)
        expected = [ramp.mean_in_year(y) for y in YEARS]
        assert mean == pytest.approx(expected, abs=0.025)
        assert mean[0] == 0.0 and mean[-1] == 1.0

    def test_same_seed_gives_identical_results(self):
        context = make_context({f"250{i}": 1000.0 * (i + 1) for i in range(6)})
        xr.testing.assert_identical(
            run(context, seed=3, ramp_years=3.0), run(context, seed=3, ramp_years=3.0)
        )

    def test_different_seeds_give_different_results(self):
        context = make_context({f"250{i}": 1000.0 * (i + 1) for i in range(6)})
        a = run(context, seed=3, ramp_years=3.0)["freed_fte_by_member"]
        b = run(context, seed=4, ramp_years=3.0)["freed_fte_by_member"]
        assert not a.equals(b)


MEMBERS = st.lists(st.floats(0, 20_000), min_size=2, max_size=5)


def members_context(residents: list[float]) -> LeverContext:
    """A context whose units have the given residents (codes 2401, 2402, …)."""
    return make_context({f"{2401 + i}": r for i, r in enumerate(residents)})


class TestProperties:
    @settings(max_examples=15, deadline=None)
    @given(
        residents=MEMBERS,
        low=st.floats(0, 0.5),
        gap=st.floats(0.001, 0.5),
        ramp_years=st.floats(0, 4),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_more_overhead_never_frees_more(self, residents, low, gap, ramp_years, seed):
        context = members_context(residents)
        kwargs = {"ramp_years": ramp_years, "seed": seed}
        cheap = run(context, overhead_share=low, **kwargs)["freed_fte_by_member"]
        dear = run(context, overhead_share=low + gap, **kwargs)["freed_fte_by_member"]
        assert bool((dear <= cheap).all())

    @settings(max_examples=15, deadline=None)
    @given(
        residents=MEMBERS,
        low=st.floats(0, 10),
        gap=st.floats(0.01, 10),
        overhead=st.floats(0, 1),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_higher_floor_never_frees_less_in_total(self, residents, low, gap, overhead, seed):
        context = members_context(residents)
        kwargs = {"ramp_years": 2.0, "seed": seed, "overhead_share": overhead}
        small = run(context, min_floor_fte=low, **kwargs)["extra_fte"].sum()
        large = run(context, min_floor_fte=low + gap, **kwargs)["extra_fte"].sum()
        assert float(large) >= float(small) - 1e-9


class TestValidation:
    @pytest.mark.parametrize(
        "field, value, message",
        [
            ("group", ["25"], "'25' is not a municipality code"),
            ("group", ["2401", "00X"], "'00X' is not a municipality code"),
            ("group", ["2401", "2401"], "'2401' appears more than once"),
            ("group", [], "at least 1 item"),
            ("overhead_share", 1.5, "less than or equal to 1"),
            ("overhead_share", -0.1, "greater than or equal to 0"),
            ("min_floor_fte", -1.0, "greater than or equal to 0"),
            ("ramp_years", 11.0, "less than or equal to 10"),
            ("start_year", 2024, "greater than or equal to 2025"),
            ("typo", 1, "Extra inputs are not permitted"),
        ],
    )
    def test_out_of_range_params_are_rejected(self, field, value, message):
        with pytest.raises(pydantic.ValidationError, match=message) as error:
            Params(**{field: value})
        assert field in str(error.value)

    def test_a_non_municipality_code_is_a_value_error(self):
        with pytest.raises(ValueError, match="not a municipality code"):
            Params(group=["2401", "24"])

    @pytest.mark.parametrize(
        "service, message",
        [
            ({"sector": "care", "age_min": 20, "age_max": 10}, r"age_min \(20\) must be <="),
            ({"sector": "care", "age_min": 0, "age_max": 101}, "less than or equal to 100"),
            ({"sector": "care", "age_min": 0, "age_max": 1, "fte_per_1000_users": -1}, "greater"),
            ({"sector": "care", "age_min": 0, "age_max": 1, "users_per_person": 0}, "greater"),
        ],
    )
    def test_invalid_services_are_rejected(self, service, message):
        table = {"fte_per_1000_users": 1.0, "min_floor_fte": 1.0} | service
        with pytest.raises(pydantic.ValidationError, match=message):
            Params(services={"x": table})

    def test_member_missing_from_the_projection_is_rejected(self):
        with pytest.raises(ValueError, match="'2599' is not a municipality of the projection"):
            run(group=["2401", "2599"])

    def test_context_without_unit_population_is_rejected(self):
        context = dataclasses.replace(PAIR, unit_population=None)
        with pytest.raises(ValueError, match=r"needs .* \(context\.unit_population\)"):
            run(context)

    def test_unit_population_lacking_years_is_rejected(self):
        short = PAIR.unit_population.sel({YEAR: YEARS[:-1]})
        context = dataclasses.replace(PAIR, unit_population=short)
        with pytest.raises(ValueError, match=r"lacks the years \[2030\]"):
            run(context)

    def test_unknown_sector_is_rejected(self):
        with pytest.raises(ValueError, match="unknown sector 'mining'"):
            run(sectors=["mining"])

    def test_service_of_an_unknown_sector_is_rejected(self):
        bad = SOCIAL.model_copy(update={"sector": "elder_care"})
        with pytest.raises(
            ValueError, match=r"services\.social\.sector: unknown sector 'elder_care'"
        ):
            run(services={"social": bad})


class TestPreset:
    def test_preset_table_is_valid_params_of_one_county(self, context):
        with PRESET.open("rb") as f:
            preset = tomllib.load(f)
        params = Params(**preset["levers"]["shared_services"])
        assert preset["horizon"] == 2033
        assert set(params.group) <= set(context.region_units)  # Norrbotten's municipalities


class TestNorrbotten:
    def test_defaults_reach_only_the_pair_outside_norrbotten(self, context):
        params = Params()
        started = time.perf_counter()
        ds = simulate(params, context, seed=0)
        assert time.perf_counter() - started < 1.0  # ~5 ms; generous for slow CI machines
        assert ds.attrs["lever"] == "shared_services"
        assert ds.attrs["seed"] == 0
        assert Params.model_validate_json(ds.attrs["params"]) == params
        assert ds[YEAR].values.tolist() == context.years
        assert ds[SECTOR].values.tolist() == context.sectors
        assert ds[MEMBER].values.tolist() == ["2403", "2401"]
        units = {name: ds[name].attrs["units"] for name in ds.data_vars}
        assert units == {
            "extra_persons": PERSONS,
            "extra_fte": FTE,
            "freed_fte_by_member": FTE,
            "pooled_share": SHARE,
        }
        # Bjurholm and Nordmaling are in Västerbotten: nothing for Norrbotten.
        assert float(abs(ds["extra_fte"]).sum()) == 0.0
        by_member = ds["freed_fte_by_member"].sel({YEAR: 2033})
        # Bjurholm (about 2 300 residents, 230 pupils) sits on both floors and frees a few FTE;
        # Nordmaling carries a share of the overhead.
        assert 1.0 < by_member.sel({MEMBER: "2403"}).item() < 6.0
        assert -2.0 < by_member.sel({MEMBER: "2401"}).item() < 0.0

    def test_preset_frees_a_few_fte_in_care_and_education(self, context):
        with PRESET.open("rb") as f:
            params = Params(**tomllib.load(f)["levers"]["shared_services"])
        ds = simulate(params, context, seed=0)
        extra = ds["extra_fte"]
        assert float(abs(extra.sel({YEAR: slice(None, 2025)})).sum()) == 0.0
        # Only the homes of the two services: case work and special-needs teachers.
        others = [
            s for s in context.sectors if s not in ("individual_family_care", "compulsory_school")
        ]
        assert float(abs(extra.sel({SECTOR: others})).sum()) == 0.0
        # All six members are in Norrbotten, so the region gets the group's total.
        xr.testing.assert_allclose(
            extra.sum(SECTOR), ds["freed_fte_by_member"].sum(MEMBER), rtol=1e-12
        )
        # Three members sit on a floor of 6 (social services) or 3 FTE (teachers): a few FTE
        # at most, out of some 16 FTE of floors, once all have joined.
        total_2033 = float(extra.sel({YEAR: 2033}).sum())
        assert 0.5 < total_2033 < 6.0
        assert float(ds["pooled_share"].sel({YEAR: 2028}).min()) == 1.0
