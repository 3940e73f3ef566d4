"""Employer surveys beside the model: validation with file and row, and the comparison."""

from __future__ import annotations

import pytest

from scenarios import survey
from scenarios.cli import main
from scenarios.run import run_scenario
from scenarios.spec import load_scenario

HEADER = "region_code,period,employer,area,count,respondents,source\n"
GOOD = "25,2026-2027,kommun och region,alla,4400,57,seed 001\n"


@pytest.fixture(scope="module")
def areas(inputs):
    return survey.read_areas(sectors=list(inputs.sectors.index))


def test_the_shipped_norrbotten_survey_validates(inputs, areas):
    table = survey.read_survey(survey.DEFAULT_SURVEY, inputs, areas)
    assert table["count"].iloc[0] == 4400 and (table.first == 2026).all()
    assert set(table.area) <= set(areas)
    assert table.source.str.contains("001_7a0bc0c8803ca3f0").all()


@pytest.mark.parametrize(
    "row, message",
    [
        ("9999,2026-2027,kommun,alla,10,5,x\n", r"row 2: unknown region '9999'"),
        ("25,2026-2027,kommun,alla,-3,5,x\n", r"row 2: count must be a number ≥ 0, got '-3'"),
        (
            "25,2026-2027,kommun,Rymdarbete,10,5,x\n",
            r"row 2: unknown occupational area 'Rymdarbete'",
        ),
        ("25,2027-2026,kommun,alla,10,5,x\n", r"row 2: period '2027-2026' is not FIRST-LAST"),
        ("25,2026-2027,kommun,alla,10,5,\n", r"row 2: source is empty"),
    ],
)
def test_a_bad_row_gives_one_message_with_file_and_row(tmp_path, inputs, areas, row, message):
    path = tmp_path / "enkat.csv"
    path.write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(survey.SurveyError, match=message) as caught:
        survey.read_survey(path, inputs, areas)
    assert str(caught.value).startswith(str(path))


def test_the_model_side_is_the_recruitment_need_of_the_mapped_sectors(tmp_path, inputs, areas):
    path = tmp_path / "enkat.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    reported = survey.read_survey(path, inputs, areas)
    result = run_scenario(load_scenario("baseline"), "25", inputs)
    table = survey.compare(reported, result, areas, "25")
    sectors = areas["alla"]
    hand = float(result.recruitment_need.sel(sector=sectors, year=[2026, 2027]).sum())
    assert table.model.iloc[0] == pytest.approx(hand)
    assert table.survey.iloc[0] == 4400 and table.ratio.iloc[0] == pytest.approx(4400 / hand)
    text = survey.explanation(table, "sv")
    assert "4\u00a0400" in text and "personalomsättning" in text
    assert survey.compare(reported, result, areas, "24").empty


def test_cli_compares_and_reports_bad_files_in_one_line(tmp_path, capsys):
    assert main(["survey", "compare", str(survey.DEFAULT_SURVEY), "--region", "25"]) == 0
    assert "Enkät ÷ modell" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "25,2026-2027,kommun,alla,-1,5,x\n", encoding="utf-8")
    assert main(["survey", "compare", str(bad), "--region", "25"]) == 2
    err = capsys.readouterr().err
    assert "bad.csv: row 2: count" in err and "Traceback" not in err
