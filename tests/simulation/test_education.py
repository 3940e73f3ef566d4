"""Tests of the vocational education pipeline lever: hand cases, randomness, inputs, Norrbotten."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pydantic
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.dims import AGE, FTE, PERSONS, SECTOR, SEX, YEAR
from simulation.education import (
    PLACES,
    PROGRAMME,
    Change,
    Params,
    Programme,
    simulate,
)
from simulation.engine import LeverContext

YEARS = list(range(2025, 2031))
SECTORS = ["care", "education", "industry"]
FTE_PER_PERSON = {"care": 0.9, "education": 0.95, "industry": 1.0}
PRESET = Path(__file__).resolve().parents[2] / "scenarios" / "presets" / "education_pipeline.toml"
# A programme without losses or waiting: 100 places a year at 1 000 residents aged 16, all
# filled, everyone graduates after a year and starts work in care at once.
PERFECT = {
    "places_per_1000": 100.0,
    "age_min": 16,
    "age_max": 16,
    "fill_rate": 1.0,
    "completion": 1.0,
    "entry_share": 1.0,
    "duration_months": 12,
    "intake_month": 8,
    "entry_delay_months": 0,
    "sectors": {"care": 1.0},
}
EFFECTS = ["extra_persons", "extra_fte", "extra_graduates", "extra_entrants", "extra_students"]


def make_context(aged_16: float = 1000.0) -> LeverContext:
    """A context over YEARS with ``aged_16`` residents aged 16 (and 5 000 aged 40) a year."""
    by_sector = xr.DataArray(
        np.zeros((len(YEARS), len(SECTORS))),
        dims=(YEAR, SECTOR),
        coords={YEAR: YEARS, SECTOR: SECTORS},
    )
    population = np.zeros((len(YEARS), 2, 2))
    population[:, :, 0] = aged_16 / 2
    population[:, :, 1] = 2500.0
    return LeverContext(
        years=YEARS,
        sectors=SECTORS,
        employed=by_sector.expand_dims({AGE: [40]}, axis=-1),
        part_timers=by_sector,
        fte_per_person=xr.DataArray(
            list(FTE_PER_PERSON.values()), dims=SECTOR, coords={SECTOR: list(FTE_PER_PERSON)}
        ),
        retirements=by_sector,
        population=xr.DataArray(
            population,
            dims=(YEAR, SEX, AGE),
            coords={YEAR: YEARS, SEX: ["female", "male"], AGE: [16, 40]},
        ),
        full_time_hours=40.0,
        part_time_hours=30.0,
    )


CONTEXT = make_context()


def run(
    programme: dict[str, Any] | None = None,
    change: dict[str, float] | None = None,
    context: LeverContext = CONTEXT,
    seed: int = 1,
    **overrides: Any,
) -> xr.Dataset:
    """One programme "p" (PERFECT with ``programme`` overrides) from 2026, no ramp."""
    kwargs: dict[str, Any] = {
        "start_year": 2026,
        "ramp_years": 0.0,
        "programmes": {"p": Programme(**(PERFECT | (programme or {})))},
        "changes": {"p": Change(**(change or {}))},
    }
    kwargs.update(overrides)
    return simulate(Params(**kwargs), context, seed)


def of_p(ds: xr.Dataset, name: str) -> list[float]:
    """Programme "p"'s values of ``name`` by year."""
    return ds[name].sel({PROGRAMME: "p"}).values.tolist()


class TestHandComputed:
    @pytest.mark.parametrize("changes", [{}, {"p": Change()}])
    def test_no_change_gives_exactly_zero(self, changes):
        lossy = {"fill_rate": 0.8, "completion": 0.7, "entry_share": 0.5}
        ds = run(programme=lossy, changes=changes)
        for name in [*EFFECTS, "added_places"]:
            assert float(abs(ds[name]).sum()) == 0.0, name
        assert of_p(ds, "baseline_places") == [100.0] * len(YEARS)

    def test_zero_places_give_zero_effect(self):
        ds = run(programme={"places_per_1000": 0.0}, change={"fill_empty": 1, "extra_places": 1})
        for name in EFFECTS:
            assert float(abs(ds[name]).sum()) == 0.0, name

    def test_extra_places_graduate_exactly_after_the_programme(self):
        ds = run(change={"extra_places": 0.5})
        # Intakes from August 2026 of 50 extra students; each graduates in August a year on.
        assert of_p(ds, "added_places") == [0.0] + [50.0] * 5
        assert of_p(ds, "extra_entrants") == [0.0] + [50.0] * 5
        assert of_p(ds, "extra_graduates") == [0.0, 0.0] + [50.0] * 4
        # Employed from August: five months of the first year, then the stock grows by 50.
        care = ds["extra_persons"].sel({SECTOR: "care"}).values
        expected = [0.0, 0.0] + [50.0 * k + 50.0 * 5 / 12 for k in range(4)]
        assert care == pytest.approx(expected, rel=1e-12)
        fte = ds["extra_fte"].sel({SECTOR: "care"}).values
        assert fte == pytest.approx(0.9 * np.array(expected), rel=1e-12)
        others = ds["extra_persons"].sel({SECTOR: ["education", "industry"]})
        assert float(abs(others).sum()) == 0.0
        # Each cohort studies for twelve months: 5/12 of a year in 2026, then 50 all along.
        students = of_p(ds, "extra_students")
        assert students == pytest.approx([0.0, 50.0 * 5 / 12] + [50.0] * 4, rel=1e-12)

    def test_length_and_delay_shift_the_entry(self):
        ds = run(
            programme={"duration_months": 35, "entry_delay_months": 2}, change={"extra_places": 0.5}
        )
        # August 2026 + 35 months = July 2029 graduation; at work from September 2029.
        assert of_p(ds, "extra_graduates") == [0.0] * 4 + [50.0, 50.0]
        care = ds["extra_persons"].sel({SECTOR: "care"}).values
        assert care == pytest.approx([0.0] * 4 + [50.0 * 4 / 12, 50.0 + 50.0 * 4 / 12])

    def test_filling_empty_places_adds_the_filled_share(self):
        ds = run(programme={"fill_rate": 0.8}, change={"fill_empty": 0.5})
        # 80 of 100 places filled; half the 20 empty ones are filled by the lever.
        assert of_p(ds, "extra_entrants") == [0.0] + [10.0] * 5
        assert of_p(ds, "extra_graduates") == [0.0, 0.0] + [10.0] * 4

    def test_added_places_fill_at_the_raised_rate(self):
        ds = run(programme={"fill_rate": 0.8}, change={"fill_empty": 0.5, "extra_places": 1.0})
        # 200 places at 0.9 = 180 students against 80 in the baseline.
        assert of_p(ds, "extra_entrants") == [0.0] + [100.0] * 5

    def test_ramp_is_read_at_the_intake(self):
        ds = run(change={"extra_places": 0.5}, ramp_years=2.0)
        # Rollout in August 2026 is 8/24 and in August 2027 20/24.
        added = of_p(ds, "added_places")
        assert added == pytest.approx([0.0, 50 / 3, 50 * 20 / 24, 50.0, 50.0, 50.0])
        assert of_p(ds, "extra_entrants") == [0.0, 17.0, 42.0, 50.0, 50.0, 50.0]

    def test_start_after_the_last_year_gives_zeros(self):
        ds = run(change={"extra_places": 0.5, "dropout_cut": 0.5}, start_year=2031)
        for name in EFFECTS:
            assert float(abs(ds[name]).sum()) == 0.0, name

    def test_places_follow_the_age_group(self):
        double = run(context=make_context(2000.0), change={"extra_places": 0.5})
        assert of_p(double, "baseline_places") == [200.0] * len(YEARS)
        assert of_p(double, "extra_graduates") == [0.0, 0.0] + [100.0] * 4

    def test_uncovered_sectors_get_nothing(self):
        programme = {"sectors": {"care": 1.0, "education": 1.0}}
        ds = run(programme=programme, change={"extra_places": 0.5}, sectors=["education"])
        assert float(abs(ds["extra_persons"].sel({SECTOR: ["care", "industry"]})).sum()) == 0.0
        assert float(ds["extra_persons"].sel({SECTOR: "education"}).sum()) > 0.0

    def test_dropout_cut_rescues_the_expected_share(self):
        # 100 000 baseline students a year; completion 0.6 → 0.8 rescues Bin(1e5, 0.2) each
        # year: 20 000 ± 126 (sd); half of them enter work.
        ds = run(
            context=make_context(1e6),
            programme={"completion": 0.6, "entry_share": 0.5},
            change={"dropout_cut": 0.5},
        )
        assert of_p(ds, "extra_entrants") == [0.0] * len(YEARS)
        assert of_p(ds, "extra_graduates")[2:] == pytest.approx([20_000] * 4, abs=650)
        care_2028 = ds["extra_persons"].sel({SECTOR: "care", YEAR: 2028}).item()
        # Cohort 2026 all year (10 000), cohort 2027 from August (5/12 of 10 000).
        assert care_2028 == pytest.approx(10_000 * (1 + 5 / 12), abs=600)

    def test_dropouts_leave_at_the_constant_hazard(self):
        # Completion 0.5 over 12 months: the extra students still enrolled after k months
        # are 0.5^(k/12) of the starters; their mean over the first five months (2026) is
        # known exactly in expectation.
        ds = run(
            context=make_context(1e6),
            programme={"completion": 0.5},
            change={"extra_places": 1.0},
        )
        expected = 100_000 * sum(0.5 ** (k / 12) for k in range(5)) / 12
        assert of_p(ds, "extra_students")[1] == pytest.approx(expected, rel=0.01)
        assert of_p(ds, "extra_graduates")[2] == pytest.approx(50_000, abs=800)

    def test_sectors_split_by_their_weights(self):
        ds = run(
            context=make_context(1e5),
            programme={"sectors": {"care": 3.0, "industry": 1.0}},
            change={"extra_places": 1.0},
        )
        persons = ds["extra_persons"].sel({YEAR: 2030})
        total = float(persons.sum())
        assert float(persons.sel({SECTOR: "care"})) / total == pytest.approx(0.75, abs=0.01)
        assert float(persons.sel({SECTOR: "education"})) == 0.0


class TestRandomness:
    LOSSY: ClassVar[dict[str, Any]] = {
        "completion": 0.6,
        "entry_share": 0.7,
        "sectors": {"care": 1.0, "education": 1.0},
    }

    def test_same_seed_gives_identical_results(self):
        change = {"extra_places": 0.5, "dropout_cut": 0.3}
        xr.testing.assert_identical(
            run(self.LOSSY, change, seed=3, ramp_years=1.5),
            run(self.LOSSY, change, seed=3, ramp_years=1.5),
        )

    def test_different_seeds_give_different_results(self):
        change = {"extra_places": 0.5, "dropout_cut": 0.3}
        first = run(self.LOSSY, change, seed=3)["extra_persons"]
        assert not first.equals(run(self.LOSSY, change, seed=4)["extra_persons"])

    @settings(max_examples=15, deadline=None)
    @given(
        places=st.floats(0, 1),
        more=st.floats(0.05, 1),
        fill=st.floats(0.5, 1),
        fill_empty=st.floats(0, 1),
        completion=st.floats(0, 1),
        dropout_cut=st.floats(0, 1),
        ramp_years=st.floats(0, 3),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_more_places_never_give_fewer_graduates(
        self, places, more, fill, fill_empty, completion, dropout_cut, ramp_years, seed
    ):
        programme = self.LOSSY | {"fill_rate": fill, "completion": completion}
        base = {"fill_empty": fill_empty, "dropout_cut": dropout_cut}
        kwargs = {"seed": seed, "ramp_years": ramp_years}
        fewer = run(programme, base | {"extra_places": places}, **kwargs)
        larger = run(programme, base | {"extra_places": places + more}, **kwargs)
        for name in EFFECTS:
            assert bool((larger[name] >= fewer[name]).all()), name
            assert float(fewer[name].min()) >= 0.0, name
        assert float(larger["extra_entrants"].sum()) > float(fewer["extra_entrants"].sum())


class TestValidation:
    @pytest.mark.parametrize(
        "field, value",
        [
            ("start_year", 2024),
            ("ramp_years", 11.0),
            ("programmes", {}),
            ("changes", {"yh": {"fill_empty": 1.5}}),
            ("changes", {"yh": {"extra_places": -0.1}}),
            ("changes", {"yh": {"typo": 1}}),
            ("typo", 1),
        ],
    )
    def test_out_of_range_params_are_rejected(self, field, value):
        with pytest.raises(pydantic.ValidationError, match=field):
            Params(**{field: value})

    def test_change_to_an_unknown_programme_is_rejected(self):
        with pytest.raises(pydantic.ValidationError, match="unknown programme 'komvux'"):
            Params(changes={"komvux": Change(fill_empty=0.5)})

    @pytest.mark.parametrize(
        "override, message",
        [
            ({"age_min": 20, "age_max": 16}, r"age_min \(20\) must be <= age_max \(16\)"),
            ({"sectors": {"care": 0.0}}, "weights must sum to more than 0"),
            ({"sectors": {}}, "sectors"),
            ({"completion": 1.1}, "completion"),
            ({"duration_months": 0}, "duration_months"),
            ({"intake_month": 13}, "intake_month"),
        ],
    )
    def test_inconsistent_programme_is_rejected(self, override, message):
        with pytest.raises(pydantic.ValidationError, match=message):
            Programme(**(PERFECT | override))

    def test_programme_sector_unknown_to_the_context_is_rejected(self):
        with pytest.raises(ValueError, match=r"programmes\.p\.sectors: unknown sector 'mining'"):
            run(programme={"sectors": {"mining": 1.0}})

    def test_unknown_covered_sector_is_rejected(self):
        with pytest.raises(ValueError, match="unknown sector 'mining'"):
            run(sectors=["mining"])

    def test_age_group_missing_from_the_population_is_rejected(self):
        with pytest.raises(ValueError, match=r"no ages in \[20, 30\]"):
            run(programme={"age_min": 20, "age_max": 30})


class TestPreset:
    def test_preset_table_validates_and_matches_the_defaults(self):
        data = tomllib.loads(PRESET.read_text(encoding="utf-8"))
        assert data["name"] == PRESET.stem
        assert Params(**data["levers"]["education"]) == Params()


class TestNorrbotten:
    def test_defaults_give_a_plausible_effect(self, context):
        params = Params()
        ds = simulate(params, context, seed=0)
        assert ds.attrs["lever"] == "education"
        assert ds.attrs["seed"] == 0
        assert Params.model_validate_json(ds.attrs["params"]) == params
        assert ds[YEAR].values.tolist() == context.years
        assert ds[SECTOR].values.tolist() == context.sectors
        assert ds[PROGRAMME].values.tolist() == ["upper_secondary", "yrkesvux", "yh"]
        units = {name: ds[name].attrs["units"] for name in ds.data_vars}
        assert units == {
            "extra_persons": PERSONS,
            "extra_fte": FTE,
            "extra_graduates": PERSONS,
            "extra_entrants": PERSONS,
            "extra_students": PERSONS,
            "baseline_places": PLACES,
            "added_places": PLACES,
        }
        xr.testing.assert_allclose(ds["extra_fte"], ds["extra_persons"] * context.fte_per_person)
        # Baseline places: ~900 upper-secondary (a third of ~2 700 aged 16), ~575 yrkesvux and
        # ~1 200 YH places a year for ~146 000 residents aged 16–64.
        places = ds["baseline_places"].sel({YEAR: 2024})
        assert 800 < float(places.sel({PROGRAMME: "upper_secondary"})) < 1000
        assert 500 < float(places.sel({PROGRAMME: "yrkesvux"})) < 650
        assert 1100 < float(places.sel({PROGRAMME: "yh"})) < 1300
        persons = ds["extra_persons"]
        # The first graduates (yrkesvux, January intake) start work in April 2027.
        assert float(abs(persons.sel({YEAR: slice(None, 2026)})).sum()) == 0.0
        assert float(abs(persons.sel({SECTOR: "public_admin"})).sum()) == 0.0
        # About 500 extra graduates a year at full rollout, about half of them entering work:
        # some 1 000–1 700 by 2033, about 1 % of the region's employed.
        graduates_2033 = float(ds["extra_graduates"].sel({YEAR: 2033}).sum())
        assert 400 < graduates_2033 < 650
        total_2033 = float(ds["extra_fte"].sel({YEAR: 2033}).sum())
        assert 1000 < total_2033 < 1700
        assert bool((persons.sum(SECTOR).diff(YEAR) >= 0).all())
