"""The council report: tables that add up, hand-checkable sums, formatting, files, CLI."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xarray as xr

from scenarios import report
from scenarios.cli import main
from scenarios.report import markdown_table, report_markdown, report_tables, write_report

NBSP = "\u00a0"
MINUS = "\u2212"
YEARS = [2024, 2025, 2026, 2027]
SECTORS = ["elderly_care", "preschool", "industry", "construction"]
WELFARE = ["elderly_care", "preschool"]
OTHER = ["industry", "construction"]

# Per sector: demand and supply in 2024 and their yearly change [FTE]; retirements from 2025
# on, growing by one a year, and two more exits a year for disability and death [persons].
DEMAND = {
    "elderly_care": (1000, 100),
    "preschool": (500, -10),
    "industry": (2000, 0),
    "construction": (800, 20),
}
SUPPLY = {
    "elderly_care": (1000, -50),
    "preschool": (500, 0),
    "industry": (2000, -5),
    "construction": (800, 10),
}
RETIRED = {"elderly_care": 30, "preschool": 10, "industry": 40, "construction": 15}


def make_sectors() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label_sv": ["Äldreomsorg", "Förskola", "Industri", "Bygg"],
            "label_en": ["Elderly care", "Preschool", "Industry", "Construction"],
            "group": ["welfare", "welfare", "other", "other"],
        },
        index=pd.Index(SECTORS, name="sector"),
    )


def make_result(scale: float = 1.0) -> xr.Dataset:
    """A small Result with the target variables; `scale` multiplies the sector flows."""
    k = np.arange(len(YEARS))[:, None]

    def sector_array(values: np.ndarray) -> xr.DataArray:
        return xr.DataArray(
            values * scale, coords={"year": YEARS, "sector": SECTORS}, dims=["year", "sector"]
        )

    demand = sector_array(np.array([b + g * k[:, 0] for b, g in DEMAND.values()]).T)
    supply = sector_array(np.array([b + g * k[:, 0] for b, g in SUPPLY.values()]).T)
    retired = sector_array(np.where(k > 0, np.array(list(RETIRED.values())) + k, 0.0))
    expansion = sector_array(np.where(k > 0, np.clip([g for _, g in DEMAND.values()], 0, None), 0))
    replacement = retired + 2 * scale * (k > 0)
    age = np.arange(101)
    population = 10.0 + k[:, :, None] * (age >= 85) + np.zeros((1, 2, 1))
    ds = xr.Dataset(
        {
            "population": (("year", "sex", "age"), population),
            "supply_fte": supply,
            "demand_fte": demand,
            "supply_persons": supply * 1.2,
            "demand_persons": demand * 1.2,
            "gap_fte": demand - supply,
            "retirements": retired,
            "expansion_need": expansion,
            "replacement_need": replacement,
            "recruitment_need": expansion + replacement,
        },
        coords={"year": YEARS, "sex": ["female", "male"], "age": age, "sector": SECTORS},
    )
    ds.attrs.update(
        region="9999",
        region_name="Testkommun",
        scenario="baseline",
        data_vintage="synthetic",
        base_year=2024,
        horizon=2027,
        seed=7,
        draws=0,
    )
    return ds


def with_draws() -> xr.Dataset:
    """Three draws: the synthetic Result scaled by 0.9, 1 and 1.1 (the median is the middle)."""
    draws = [make_result(s) for s in (0.9, 1.0, 1.1)]
    ds = xr.concat(draws, dim="draw")
    ds.attrs.update(draws=3)
    return ds


@pytest.fixture
def result() -> xr.Dataset:
    return make_result()


@pytest.fixture
def sectors() -> pd.DataFrame:
    return make_sectors()


def test_synthetic_result_is_consistent(result):
    assert float(result.demand_fte.sel(year=2027, sector="elderly_care")) == 1300
    assert float(result.supply_fte.sel(year=2027, sector="elderly_care")) == 850
    recruitment = result.expansion_need + result.replacement_need
    xr.testing.assert_equal(result.recruitment_need, recruitment)


@pytest.mark.parametrize("draws", [False, True])
def test_subtotals_and_total_are_exact_sums_of_their_rows(result, sectors, draws):
    ds = with_draws() if draws else result
    table = report_tables(ds, sectors, [(2025, 2026), (2024, 2027)], "en")["sectors"]
    assert list(table.index) == [*WELFARE, "welfare_total", *OTHER, "other_total", "total"]
    additive = [c for c in table.columns[1:] if not c.endswith("(%)") and "0%" not in c]
    assert len(additive) == 3 + 2 * 4
    for column in additive:
        values = table[column]
        assert values["welfare_total"] == values[WELFARE].sum(), column
        assert values["other_total"] == values[OTHER].sum(), column
        assert values["total"] == values[SECTORS].sum(), column
        assert values["total"] == values["welfare_total"] + values["other_total"], column


def test_cumulative_columns_equal_hand_sums(result, sectors):
    table = report_tables(result, sectors, [(2025, 2026)], "en")["sectors"]
    # Retirements in 2025 and 2026: (r + 1) + (r + 2); replacement adds 2 a year.
    retired = table["Retirements 2025–2026 (persons)"]
    assert retired["elderly_care"] == 31 + 32
    assert retired["total"] == sum(2 * r + 3 for r in RETIRED.values())
    replacement = table["Replacement need 2025–2026 (persons)"]
    assert replacement["industry"] == 41 + 42 + 4
    expansion = table["Expansion need 2025–2026 (persons)"]
    assert list(expansion[SECTORS]) == [200, 0, 0, 40]
    recruitment = table["Recruitment need 2025–2026 (persons)"]
    assert recruitment["welfare_total"] == 200 + (31 + 32 + 4) + (11 + 12 + 4)
    assert table.loc["elderly_care", "Demand 2027 (FTE)"] == 1300
    assert table.loc["elderly_care", "Shortage 2027 (FTE)"] == 450
    assert table.loc["elderly_care", "Demand, change 2024–2027 (%)"] == pytest.approx(30.0)
    assert table.loc["welfare_total", "Demand, change 2024–2027 (%)"] == pytest.approx(
        100 * (1300 + 470 - 1500) / 1500
    )


def test_the_default_period_is_base_year_to_horizon(result, sectors):
    table = report_tables(result, sectors, None, "sv")["sectors"]
    assert "Rekryteringsbehov 2024–2027 (personer)" in table.columns
    assert table.loc["elderly_care", "Pensioneringar 2024–2027 (personer)"] == 31 + 32 + 33


def test_key_figures_and_yearly_totals(result, sectors):
    tables = report_tables(result, sectors, None, "en")
    figures = tables["key_figures"].set_index("Measure")
    assert list(figures.loc["Population (persons)", ["2024", "2027"]]) == [2020, 2116]
    assert figures.loc["Aged 85+ (persons)", "Change"] == 16 * 2 * 3
    assert figures.loc["Aged 85+ (persons)", "Change (%)"] == pytest.approx(30.0)
    assert figures.loc["Aged 20–66 (persons)", "Change (%)"] == 0
    assert figures.loc["Shortage, all sectors (FTE)", "2027"] == 450 - 30 + 15 + 30
    yearly = tables["yearly"].set_index("Year")
    assert yearly.loc[2027, "Shortage (FTE)"] == figures.loc["Shortage, all sectors (FTE)", "2027"]
    assert yearly.loc[2025, "Recruitment need (persons)"] == 120 + sum(RETIRED.values()) + 4 + 8


def test_draws_give_medians_and_bands(sectors):
    tables = report_tables(with_draws(), sectors, [(2025, 2026)], "en")
    central = report_tables(make_result(), sectors, [(2025, 2026)], "en")
    table = tables["sectors"]
    column = "Recruitment need 2025–2026 (persons)"
    assert (table[column] == central["sectors"][column]).all()
    low = table["Recruitment need 2025–2026, 10% (persons)"]
    high = table["Recruitment need 2025–2026, 90% (persons)"]
    assert (low <= table[column]).all() and (table[column] <= high).all()
    assert (low < high)["total"]
    assert "Shortage, 90% (FTE)" in tables["yearly"].columns


@pytest.mark.parametrize(("lang", "expected"), [("sv", f"1{NBSP}234,5"), ("en", "1,234.5")])
def test_markdown_tables_format_numbers_in_the_language(lang, expected):
    df = pd.DataFrame({"Sector": ["A"], "Change (%)": [1234.5], "Persons": [-12345.0]})
    text = markdown_table(df, lang)
    assert f"| A | {expected} |" in text
    assert (f"{MINUS}12{NBSP}345" if lang == "sv" else "-12,345") in text
    assert text.splitlines()[1] == "|---|--:|--:|"


def test_markdown_has_the_sentences_with_the_right_numbers(result, sectors):
    text = report_markdown(result, sectors, [(2024, 2027)], "sv")
    assert text.startswith("# Kompetensförsörjning i Testkommun – baseline\n")
    assert "dataårgång: synthetic · slumpfrö 7" in text
    need = 300 + (31 + 32 + 33 + 6) + (11 + 12 + 13 + 6)
    assert (
        f"Fram till 2027 behöver {need} personer rekryteras i välfärden, varav "
        f"{31 + 32 + 33 + 6 + 11 + 12 + 13 + 6} för att ersätta" in text
    )
    assert "Störst brist 2027 väntas inom Äldreomsorg: 450 årsarbetare." in text
    assert "äldreomsorgen förändras med +30,0\u00a0% från 2024 till 2027" in text
    assert "85 år eller äldre med +30,0\u00a0%" in text
    assert "| Välfärden totalt |" in text and "(årsarbetare)" in text and "(personer)" in text
    english = report_markdown(result, sectors, [(2025, 2026)], "en")
    assert "In 2025–2026, 294 people need to be recruited in the welfare services, 94 of" in english
    assert "| Welfare, total |" in english and "(FTE)" in english and "(persons)" in english


def test_write_report_writes_markdown_and_a_workbook(result, sectors, tmp_path):
    paths = write_report(result, sectors, tmp_path, [(2025, 2026)], "en")
    assert [p.name for p in paths] == ["report_9999_baseline.md", "report_9999_baseline.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in paths]
    assert paths[0].read_text("utf-8").startswith("# Workforce in Testkommun")
    book = openpyxl.load_workbook(paths[1])
    assert book.sheetnames == ["Key figures", "Sectors", "By year"]
    sheet = book["Sectors"]
    assert sheet["A1"].value == "Sector" and sheet["A2"].value == "Elderly care"
    assert sheet["B2"].value == 1300  # numbers stay numbers


def test_a_failure_while_building_leaves_no_file(result, sectors, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report, "report_xlsx", broken)
    with pytest.raises(RuntimeError):
        write_report(result, sectors, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_leaves_no_partial_file(result, sectors, tmp_path, monkeypatch):
    write_bytes = Path.write_bytes

    def half_then_fail(self: Path, data: bytes) -> int:
        write_bytes(self, data[: len(data) // 2])
        raise OSError("no space left on device")

    monkeypatch.setattr(Path, "write_bytes", half_then_fail)
    with pytest.raises(OSError):
        write_report(result, sectors, tmp_path)
    # The Markdown file was complete and renamed into place; no workbook, no temporary file.
    assert [p.name for p in tmp_path.iterdir()] == ["report_9999_baseline.md"]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026–27", "--period '2026–27': expected FIRST-LAST"),
        ("2027-2026", "--period '2027-2026': the first year comes after the last"),
        ("2020-2025", "--period '2020-2025' is outside the projection 2024-2033"),
    ],
)
def test_cli_rejects_a_bad_period_in_one_line(period, message, tmp_path, capsys):
    args = ["report", "baseline", "--region", "25", "--period", period, "--out", str(tmp_path)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"workforce: error: {message}")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_the_report(tmp_path, capsys):
    args = ["report", "baseline", "--region", "2580", "--out", str(tmp_path), "--lang", "en"]
    assert main([*args, "--period", "2026-2027", "--period", "2024-2033"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["report_2580_baseline.md", "report_2580_baseline.xlsx"]
    text = (tmp_path / names[0]).read_text("utf-8")
    assert text.startswith("# Workforce in Luleå – Baseline")
    assert "Recruitment need 2026–2027 (persons)" in text
    assert "wrote" in capsys.readouterr().err


@cache
def baseline_25() -> xr.Dataset:
    from scenarios.run import run_scenario
    from scenarios.spec import load_scenario

    return run_scenario(load_scenario("baseline"), "25")


# A string condition is evaluated when the test runs, so collection stays fast.
@pytest.mark.skipif(
    "'expansion_need' not in baseline_25()",
    reason="the Result gains expansion_need, replacement_need and sector groups on main",
)
def test_report_of_the_real_baseline(inputs, tmp_path):
    ds = baseline_25()
    tables = report_tables(ds, inputs.sectors, [(2026, 2027)], "sv")
    table = tables["sectors"]
    welfare = [s for s in table.index if inputs.sectors["group"].get(s) == "welfare"]
    other = [s for s in ds.sector.values if s not in welfare]
    for column in table.columns[1:]:
        if column.endswith("(personer)") or column.endswith("(årsarbetare)"):
            assert table.loc["welfare_total", column] == table.loc[welfare, column].sum()
            assert table.loc["other_total", column] == table.loc[other, column].sum()
            assert table.loc["total", column] == table.loc[list(ds.sector.values), column].sum()
    text = report_markdown(ds, inputs.sectors, [(2024, 2033)], "sv")
    assert "personer rekryteras i välfärden, varav" in text
    assert "äldreomsorgen förändras med" in text
    paths = write_report(ds, inputs.sectors, tmp_path)
    assert [p.name for p in paths] == ["report_25_baseline.md", "report_25_baseline.xlsx"]
