"""Inputs built from fetched SCB tables: synthetic tidy tables made from the embedded data
(no network), built into a folder that read_inputs accepts and the runner projects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import forecast.scb_inputs as scb
from forecast.demography import cohort_exposure, lagged_exposure, women_exposure
from forecast.dims import AGE, AGES, REGION, SECTOR, SEX, SEXES, YEAR
from forecast.fetched_tables import REST
from forecast.inputs import DEFAULT_DATA, read_inputs
from forecast.rates import fit_attraction
from forecast.scb_labour import implied_unit_costs, welfare_shares
from forecast.sector_map import CARE, CARE_GROUP, EDUCATION_GROUP, SCHOOLS, SECTORS
from scenarios.projection import projection_of
from scenarios.run import run_scenario
from scenarios.spec import load_scenario

BASE = 2024
FAKE = {"9901": ["2580"], "9902": ["2582"]}  # Luleå and Boden as a fake county 99
SMR = {"9901": 1.0, "9902": 1.2}  # 9901 dies exactly at Riket's rates
SECTIONS = [*"ABCDEFGHIJKLMNOPQRS", "unknown"]
GROUP_BANDS = ["16-19", "20-24", "25-34", "35-44", "45-54", "55-64", "65-74"]


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.concat([pd.DataFrame(r) for r in rows], ignore_index=True)


def _before_window(y: int, trend: float, wiggle: float) -> float:
    """A yearly level: 1 in the reference window 2020–2024, trending and wiggling before."""
    return 1.0 if y >= 2020 else float(np.exp(trend * (2020 - y) + wiggle * np.sin(2.1 * y)))


def _wiggle(y: int, flow: str) -> float:
    """A yearly factor on one migration flow, the same for every region."""
    return float(np.exp(0.1 * np.sin(0.9 * y + len(flow))))


def tidy_from_embedded(inputs, members: dict[str, list[str]], years: range) -> dict:
    """Tidy tables for the codes in `members` (each the sum of embedded units) and Riket
    (all units): base-year stocks from the embedded inputs, other years scaled with a smooth
    trend and a wiggle; deaths at the embedded schedule × SMR, births at Riket's schedule,
    migration from each unit's embedded flows and rates."""
    units = [str(u) for u in inputs.population[REGION].values]
    members = {**members, "00": units}
    q = pd.read_csv(DEFAULT_DATA / "mortality_schedule.csv")
    q = np.stack([q[q.sex == s].death_prob.to_numpy() for s in SEXES])
    asfr = inputs.asfr.sel({REGION: units[1]}).to_numpy()
    asfr = asfr / asfr.sum() * 1.5
    tables = {k: [] for k in ("population", "births", "deaths", "migration")}
    tables |= {"employment_industry": [], "employment_age": []}
    for i, (code, parts) in enumerate(members.items()):
        base = inputs.population.sel({REGION: parts}).sum(REGION).to_numpy()

        def scale(y: int, i: int = i) -> float:
            wiggle = np.sin(1.3 * y + i) - np.sin(1.3 * BASE + i)  # the base year as embedded
            return float(np.exp(0.004 * (i - 1) * (y - BASE) + 0.01 * wiggle))

        def rate_flow(name: str, y: int, parts: list[str] = parts) -> np.ndarray:
            rates = getattr(inputs, name).sel({REGION: parts}).to_numpy()
            stocks = inputs.population.sel({REGION: parts}).to_numpy()
            return sum(r * lagged_exposure(s) for r, s in zip(rates, stocks, strict=True))

        for y in years:
            now, prev = base * scale(y), base * scale(y - 1)
            level = _before_window(y, 0.015, 0.02)  # falling mortality until the window
            deaths = SMR.get(code, 1.0) * level * q * cohort_exposure(prev)
            deaths[:, 0] = level * q[:, 0] / (1 - level * q[:, 0]) * now[:, 0]
            flows = {
                "immigrants": inputs.immigrants.sel({REGION: parts}).sum(REGION).to_numpy(),
                "emigrants": rate_flow("emigration_rate", y),
                "domestic_out": rate_flow("domestic_out_rate", y),
            }
            flows["domestic_in"] = (
                flows["domestic_out"]
                if code == "00"
                else inputs.domestic_share.sel({REGION: parts}).sum(REGION).to_numpy()
                * rate_flow("domestic_out_rate", y, units)
            )
            births = asfr * women_exposure(prev, now) / _before_window(y, 0.01, 0.05)
            for s, sex in enumerate(SEXES):
                key = {"region": code, "year": y, "sex": sex, "age": AGES}
                tables["population"].append({**key, "population": now[s]})
                tables["deaths"].append({**key, "deaths": deaths[s]})
                tables["migration"].append(
                    {**key, **{k: v[s] * scale(y) * _wiggle(y, k) for k, v in flows.items()}}
                )
            tables["births"].append(
                {
                    "region": code,
                    "year": y,
                    "mother_age": [14, *range(16, 50)],
                    "births": [births[15], *births[16:50]],
                }
            )
        working = base[:, 16:75].sum()
        shares = np.linspace(1.0, 2.0 + i, len(SECTIONS))
        for y in (BASE - 1, BASE):
            for s, sex in enumerate(SEXES):
                employed = working * 0.35 * shares / shares.sum()
                tables["employment_industry"].append(
                    {
                        "region": code,
                        "year": y,
                        "industry": SECTIONS,
                        "sex": sex,
                        "employed": employed * (0.9 + 0.2 * s),
                    }
                )
    rate = inputs.employment_rate.to_numpy()
    county = sum(inputs.population.sel({REGION: p}).sum(REGION).to_numpy() for p in FAKE.values())
    for s, sex in enumerate(SEXES):
        for band in GROUP_BANDS:
            lo, hi = (int(x) for x in band.split("-"))
            pop = county[s, lo : hi + 1]
            tables["employment_age"].append(
                {
                    "region": ["99"],
                    "year": [BASE],
                    "sex": [sex],
                    "age_group": [band],
                    "employed": [0.9 * (rate[s, lo : hi + 1] * pop).sum()],
                    "population": [pop.sum()],
                }
            )
    out = {name: _frame(rows) for name, rows in tables.items()}
    out["projection"] = out["population"][out["population"].region == "00"].assign(year=BASE + 1)
    return out


@pytest.fixture(scope="module")
def tidy(inputs) -> dict:
    return tidy_from_embedded(inputs, FAKE, range(2000, BASE + 1))


@pytest.fixture(scope="module")
def built(tidy, tmp_path_factory):
    out = tmp_path_factory.mktemp("fetched") / "inputs"
    names = {"99": "Testlän", "9901": "Nordby", "9902": "Sydby"}
    scb.build_fetched_inputs(tidy, "99", out, names, fetched_on="2025-03-01")
    return read_inputs(out), out


def test_folder_loads_with_the_units_and_their_names(built, tidy):
    fetched, out = built
    assert list(fetched.population[REGION].values) == [REST, "9901", "9902"]
    assert fetched.units_of("99") == ["9901", "9902"]
    assert fetched.region_name("9901") == "Nordby"
    assert "2025-03-01" in fetched.regions.loc["99", "coverage_note"]
    assert fetched.base_year == BASE
    pop = tidy["population"]
    riket = pop[(pop.region == "00") & (pop.year == BASE)].population.sum()
    assert float(fetched.population.sum()) == pytest.approx(riket)
    assert "industry_history.csv" in (out / "README.md").read_text()
    for name in ("sectors.csv", "service_use.csv", "exit_hazard.csv", "labour_constants.csv"):
        frame = pd.read_csv(out / name)
        assert frame.filter(like="method").iloc[:, 0].str.contains("embedded").all(), name


def test_mortality_factor_is_one_where_deaths_equal_expected(built):
    factors = pd.read_csv(built[1] / "demographic_factors.csv", dtype={"region_code": str})
    factors = factors.set_index("region_code")
    for sex in SEXES:
        assert factors.loc["9901", f"mortality_factor_{sex}"] == pytest.approx(1.0, abs=1e-9)
        assert 1.0 < factors.loc["9902", f"mortality_factor_{sex}"] < 1.2  # shrunk toward 1
    assert factors.loc["9901", "mortality_evidence"] > 1000
    schedule = pd.read_csv(built[1] / "mortality_schedule.csv")
    embedded = pd.read_csv(DEFAULT_DATA / "mortality_schedule.csv")
    np.testing.assert_allclose(schedule.death_prob, embedded.death_prob, rtol=1e-9)
    fert = pd.read_csv(built[1] / "fertility_history.csv")
    assert fert.tfr.iloc[-1] == pytest.approx(1.5, rel=1e-6)


def test_shares_and_rates_from_the_fetched_tables(built, inputs):
    fetched, _ = built
    np.testing.assert_allclose(fetched.sector_share.sum(SECTOR), 1.0)
    ratio = (fetched.employment_rate / inputs.employment_rate).where(inputs.employment_rate > 0)
    ratio = ratio.sel({AGE: slice(16, 74)}).to_numpy()
    np.testing.assert_allclose(
        ratio[ratio * inputs.employment_rate.sel({AGE: slice(16, 74)}).to_numpy() < 0.95],
        0.9,
        rtol=1e-9,
    )


def test_run_adds_up_and_balances(built):
    fetched, _ = built
    scenario = load_scenario("baseline")
    scenario = scenario.model_copy(
        update={"establishments": scenario.establishments.model_copy(update={"include": False})}
    )
    county = run_scenario(scenario, "99", fetched)
    parts = [run_scenario(scenario, code, fetched) for code in ("9901", "9902")]
    assert int(county[YEAR].max()) == 2033
    for name in ("population", "births", "deaths", "in_migrants", "supply_fte"):
        xr.testing.assert_allclose(county[name], parts[0][name] + parts[1][name])
    total = county.population.sum([SEX, AGE])
    change = total.diff(YEAR)
    flows = county.births - county.deaths + county.in_migrants - county.out_migrants
    np.testing.assert_allclose(change, flows.isel({YEAR: slice(1, None)}), rtol=1e-9)
    riket = run_scenario(scenario, "00", fetched)
    projection = projection_of(fetched, 2033, 0, 0)
    xr.testing.assert_allclose(
        riket.population, projection.population.sum(REGION).transpose(*riket.population.dims)
    )
    np.testing.assert_allclose(
        projection.domestic_in.sum([REGION, SEX]), projection.domestic_out.sum([REGION, SEX])
    )


def test_welfare_split_reproduces_the_embedded_shares(inputs):
    """Costs recovered from the embedded Riket row give back Luleå's embedded split."""
    shares = pd.read_csv(DEFAULT_DATA / "sector_shares.csv", dtype={"region_code": str})
    lulea = shares[shares.region_code == "2580"].set_index("sector").share
    groups = pd.Series(0.0, index=[g for *_, industries, _ in SECTORS for g in industries])
    groups = groups[~groups.index.duplicated()]
    groups[CARE_GROUP] = lulea[list(CARE)].sum()
    groups[EDUCATION_GROUP] = lulea[[*SCHOOLS, "other_education"]].sum()
    for sector, _, _, _, industries, _ in SECTORS:
        if industries not in ([CARE_GROUP], [EDUCATION_GROUP]):
            groups[industries[0]] = lulea[sector]
    cost, higher = implied_unit_costs(DEFAULT_DATA)
    by_age = inputs.population.sel({REGION: "2580"}).sum(SEX).to_numpy()
    use = pd.read_csv(DEFAULT_DATA / "service_use.csv").pivot(
        index="sector", columns="age", values="users_per_person"
    )
    values = welfare_shares(groups, by_age, use, cost, higher)
    np.testing.assert_allclose([values[s] for s in lulea.index], lulea.to_numpy(), rtol=1e-7)


def test_round_trip_of_the_embedded_lulea_area(inputs, tmp_path):
    units = [u for u in map(str, inputs.population[REGION].values) if u.startswith("25")]
    tidy = tidy_from_embedded(inputs, {u: [u] for u in units}, range(2019, BASE + 1))
    built = read_inputs(scb.build_fetched_inputs(tidy, "25", tmp_path / "norrbotten"))
    assert built.units_of("25") == units
    xr.testing.assert_equal(
        built.population.sel({REGION: units}), inputs.population.sel({REGION: units})
    )
    assert float(built.population.sum()) == pytest.approx(float(inputs.population.sum()), abs=5)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.pop("births"), "table 'births' is missing"),
        (
            lambda t: t.__setitem__("deaths", t["deaths"].drop(columns="deaths")),
            "table 'deaths': column 'deaths' is missing",
        ),
        (
            lambda t: t["migration"].loc.__setitem__((5, "emigrants"), -1.0),
            "table 'migration': column 'emigrants' has a negative count",
        ),
        (
            lambda t: t.__setitem__("deaths", t["deaths"][t["deaths"].region != "00"]),
            "table 'deaths': column 'region' has no Riket",
        ),
        (
            lambda t: t.__setitem__(
                "population",
                t["population"][(t["population"].region != "9902") | (t["population"].year < BASE)],
            ),
            f"no {BASE} figures for region 9902",
        ),
    ],
)
def test_bad_tables_give_one_clear_error(tidy, tmp_path, change, message):
    tables = {k: v.copy() for k, v in tidy.items()}
    change(tables)
    with pytest.raises(ValueError, match=message):
        scb.build_fetched_inputs(tables, "99", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_crash_mid_build_leaves_no_folder(tidy, tmp_path, monkeypatch):
    written = []
    write = scb._write

    def crashing(frame, path):
        if len(written) == 4:
            raise OSError("disk full")
        written.append(path)
        write(frame, path)

    monkeypatch.setattr(scb, "_write", crashing)
    with pytest.raises(OSError, match="disk full"):
        scb.build_fetched_inputs(tidy, "99", tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_a_single_municipality_builds_with_finite_swings(tidy, tmp_path):
    """One municipality: the county and Riket join its totals as comparators, so the swing
    calibration stays finite."""
    built = read_inputs(scb.build_fetched_inputs(tidy, "9902", tmp_path / "one"))
    assert list(built.population[REGION].values) == [REST, "9902"]
    assert built.units_of("99") == ["9902"]
    _, spread = fit_attraction(built)
    assert np.isfinite(spread.to_numpy()).all() and float(spread.sel({REGION: "9902"})) > 0
