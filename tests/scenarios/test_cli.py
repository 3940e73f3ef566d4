"""The `workforce` command: JSON document, readable table, clear errors without traceback."""

from __future__ import annotations

import json

from forecast.dims import WELFARE_SECTORS
from scenarios.cli import main
from scenarios.results import read_result

SECTOR_KEYS = (
    "supply_fte",
    "demand_fte",
    "gap_fte",
    "retirements",
    "recruitment_need",
    "supply_persons",
    "demand_persons",
    "expansion_need",
    "replacement_need",
)


def test_run_json_has_every_series_aligned_with_years(capsys):
    assert main(["run", "part_time_plus3", "--region", "25", "--json", "--seed", "2"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["scenario"] == "part_time_plus3"
    assert (doc["region"], doc["seed"]) == ("25", 2)
    assert doc["data_vintage"]
    years = doc["years"]
    assert years[0] == 2024 and years[-1] == 2033
    assert set(doc["population"]) == {"total", "0-19", "20-66", "67+", "80+", "85+"}
    for key in SECTOR_KEYS:
        assert "total" in doc[key] and set(WELFARE_SECTORS) <= set(doc[key])
        assert all(len(series) == len(years) for series in doc[key].values())
    total = doc["gap_fte"]["total"]
    parts = [v for k, v in doc["gap_fte"].items() if k != "total"]
    assert abs(total[-1] - sum(p[-1] for p in parts)) < 0.01


def test_run_prints_a_table(capsys):
    assert main(["run", "baseline", "--region", "2580"]) == 0
    out = capsys.readouterr().out
    assert "Luleå" in out and "Gap = demand − supply [FTE]" in out


def test_unknown_region_is_one_clear_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE", str(tmp_path / "scb"))  # nothing fetched
    assert main(["run", "baseline", "--region", "99"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workforce: error: no data for region '99'")
    assert "workforce data fetch --region 99" in err and "Traceback" not in err
    assert main(["run", "baseline", "--region", "99", "--data", "embedded"]) == 2
    assert "unknown region code '99'" in capsys.readouterr().err


def test_bad_scenario_file_is_one_clear_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\ntitle_sv = "x"\ntitle_en = "x"\nhorizon = 2099\n')
    assert main(["run", str(bad), "--region", "25"]) == 2
    err = capsys.readouterr().err
    assert "bad.toml: key 'horizon' = 2099" in err


def test_regions_and_presets_list(capsys):
    assert main(["regions"]) == 0
    out = capsys.readouterr().out
    assert "Norrbottens län" in out and "2580" in out
    assert main(["presets"]) == 0
    assert "part_time_plus3" in capsys.readouterr().out


def test_run_with_draws_adds_intervals_to_every_series(capsys):
    assert main(["run", "baseline", "--region", "2580", "--json", "--draws", "40"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["draws"] == 40
    years = doc["years"]
    for variable in ("population", *SECTOR_KEYS):
        assert set(doc["intervals"][variable]) == set(doc[variable])
    total = doc["intervals"]["population"]["total"]
    assert set(total) == {"p025", "p10", "p50", "p90", "p975"}
    assert all(len(v) == len(years) for v in total.values())
    last = {k: v[-1] for k, v in total.items()}
    assert last["p025"] <= last["p10"] <= last["p50"] <= last["p90"] <= last["p975"]
    assert last["p10"] < last["p90"]


def test_backtest_prints_the_table_and_rejects_unknown_regions(capsys):
    assert main(["backtest", "--region", "2580", "--draws", "40"]) == 0
    out = capsys.readouterr().out
    assert "Back-test Luleå (2580)" in out and "ape_constant" in out and "coverage" in out
    assert main(["backtest", "--region", "2401"]) == 2
    assert "no back-test for region '2401'" in capsys.readouterr().err
    assert main(["backtest", "--region", "25", "--base-year", "2005"]) == 2
    assert "base year must be 2011–2020" in capsys.readouterr().err


def test_compare_shows_differences_against_the_first(capsys):
    assert main(["compare", "baseline", "part_time_plus3", "--region", "2580", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["against"] == "baseline"
    deltas = doc["by_year"]["Δ part_time_plus3"]
    assert deltas["2024"] == 0 and deltas["2033"] < 0  # more hours: a smaller gap
    assert doc["by_sector"]["Δ part_time_plus3"]["industry"] == 0


def test_decompose_splits_the_effect_over_the_levers(capsys):
    assert main(["decompose", "skr_package", "--region", "2580", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    levers = doc["levers"]
    assert set(levers) == {"working_life", "part_time_hours"}
    assert abs(sum(v["contribution"] for v in levers.values()) - doc["total"]) < 1e-6
    assert abs(sum(v["share"] for v in levers.values()) - 1) < 1e-9


def test_run_writes_a_netcdf_result(tmp_path, capsys):
    out = tmp_path / "luleå.nc"
    assert main(["run", "sick_leave_minus1", "--region", "2580", "--out", str(out)]) == 0
    result = read_result(out)
    assert result.attrs["scenario"] == "sick_leave_minus1"
    assert "[levers.sick_leave]" in result.attrs["scenario_toml"]
    assert len(result.attrs["inputs_hash"]) == 64
    assert float(result.lever_fte.sum()) > 0
    assert [p.name for p in tmp_path.iterdir()] == ["luleå.nc"]  # no temporary file left


def test_sweep_and_goal_from_the_command_line(capsys):
    spec = "part_time_hours.extra_hours=1:3:2"
    assert main(["sweep", "part_time_plus3", "--lever", spec, "--region", "2580", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["part_time_hours.extra_hours"] for r in rows] == [1.0, 3.0]
    assert rows[0]["lever_fte"] < rows[1]["lever_fte"]
    args = ["goal", "part_time_plus3", "--lever", "part_time_hours.uptake", "--region", "2580"]
    assert main([*args, "--target", "gap_fte.total@2033=-1e9"]) == 0
    assert "cannot be reached" in capsys.readouterr().out
    assert main(["sweep", "baseline", "--lever", "teleport.speed=1:2:1", "--region", "25"]) == 2
    assert "lever grid 'teleport.speed=1:2:1'" in capsys.readouterr().err


def test_batch_writes_one_file_per_region(tmp_path, capsys):
    args = ["batch", "baseline", "--regions", "2580,2505", "--scheduler", "sync"]
    assert main([*args, "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline_2505.nc", "baseline_2580.nc"]
    assert "2/2 regions done" in capsys.readouterr().err
    assert main(["batch", "baseline", "--regions", "2580,99", "--out", str(tmp_path)]) == 2
    assert "unknown region code(s) '99'" in capsys.readouterr().err


def test_run_json_sums_the_flows_over_each_period(capsys):
    args = ["run", "baseline", "--region", "2580", "--json", "--period", "2026-2027"]
    assert main([*args, "--period", "2024-2033"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["cumulative"]) == {"2026-2027", "2024-2033"}
    years = doc["years"]
    for flow in ("retirements", "expansion_need", "replacement_need", "recruitment_need"):
        short = doc["cumulative"]["2026-2027"][flow]
        for sector, value in short.items():
            series = doc[flow][sector]
            hand = series[years.index(2026)] + series[years.index(2027)]
            assert abs(value - hand) < 0.01, (flow, sector)
        sectors = [v for k, v in short.items() if k != "total"]
        assert abs(short["total"] - sum(sectors)) < 0.01


def test_run_rejects_a_period_outside_the_projection(capsys):
    assert main(["run", "baseline", "--region", "25", "--period", "2020-2026"]) != 0
    err = capsys.readouterr().err
    assert "--period '2020-2026' is outside the projection 2024-2033" in err
    assert "Traceback" not in err
