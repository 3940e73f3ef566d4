"""The SCB client offline: JSON-stat2 parsing, query splitting, rate limiting with a fake
clock, retries, too-many-cells, clear errors, and fetch_region on a fake SCB."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecast.jsonstat import category_codes, parse_jsonstat2
from forecast.scb import (
    Limits,
    OfflineError,
    RateLimiter,
    RetriesExhaustedError,
    ScbClient,
    ScbError,
    TableNotFoundError,
    UnknownRegionError,
    split_selection,
)
from forecast.scb_cache import ScbCache
from forecast.scb_fetch import fetch_region, resolve
from forecast.scb_tables import MODEL_TABLES
from scenarios.cli import main
from tests.forecast.scb_fake import FIXTURES, RECORDED, FakeScb, cell_value

needs_recorded = pytest.mark.skipif(
    not RECORDED.is_dir(), reason=f"recorded SCB responses not found in {RECORDED}"
)

# The contract with the conversion step: exactly these columns, in this order
CONTRACT = {
    "population": ["region", "year", "sex", "age", "population"],
    "births": ["region", "year", "mother_age", "births"],
    "deaths": ["region", "year", "sex", "age", "deaths"],
    "migration": ["region", "year", "sex", "age", "immigrants", "emigrants", "domestic_in",
                  "domestic_out"],
    "employment_industry": ["region", "year", "industry", "sex", "employed"],
    "employment_age": ["region", "year", "sex", "age_group", "employed", "population"],
    "projection": ["region", "year", "sex", "age", "population"],
}  # fmt: skip


class FakeClock:
    """time.monotonic and time.sleep for tests: sleeping advances the clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client_for(handler, clock: FakeClock | None = None, **kwargs) -> ScbClient:
    clock = clock or FakeClock()
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return ScbClient(http, clock=clock, sleep=clock.sleep, **kwargs)


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- JSON-stat2 ---------------------------------------------------------------------------


@needs_recorded
def test_parse_recorded_tab6471_data() -> None:
    doc = read_json(RECORDED / "scb_v2_TAB6471_data.json")
    data = parse_jsonstat2(doc)
    assert list(data.columns) == ["Region", "Alder", "Kon", "ContentsCode", "Tid", "value"]
    assert len(data) == 21 * 11 * 3 * 1 * 4
    assert data.value.iloc[:4].tolist() == [245284, 247245, 249358, 251635]
    first = data.iloc[0]
    assert (first.Region, first.Alder, first.Kon, first.Tid) == ("01", "0-9", "TotSa", "2026M01")
    assert data.Kon.iloc[4] == "1"  # the next four values are men (last dimension fastest)


@needs_recorded
def test_category_codes_recorded_metadata_object_index() -> None:
    meta = read_json(RECORDED / "scb_v2_TAB6471_metadata.json")
    assert category_codes(meta["dimension"]["Kon"]) == ["TotSa", "1", "2"]
    assert len(category_codes(meta["dimension"]["Region"])) == 312


def test_parse_array_index_and_nulls() -> None:
    data = parse_jsonstat2(read_json(FIXTURES / "data_nulls_array_index.json"))
    assert data.Region.tolist() == ["2580"] * 4 + ["25"] * 4
    assert data.Tid.tolist() == ["2024", "2025"] * 4
    assert np.isnan(data.value.iloc[3])  # null with status ".." stays missing
    assert data.value.iloc[[0, 1, 2, 4, 7]].tolist() == [1, 2, 3, 5, 8]


def test_parse_sparse_values_and_size_check() -> None:
    doc = read_json(FIXTURES / "data_nulls_array_index.json")
    sparse = {**doc, "value": {"0": 10, "7": 80}}
    data = parse_jsonstat2(sparse)
    assert data.value.iloc[0] == 10 and data.value.iloc[7] == 80
    assert data.value.isna().sum() == 6
    with pytest.raises(ValueError, match="7 values for 8 cells"):
        parse_jsonstat2({**doc, "value": doc["value"][:7]})


# --- query splitting ----------------------------------------------------------------------


def cells_of(selection) -> set[tuple[str, ...]]:
    return set(itertools.product(*(item["valueCodes"] for item in selection)))


@given(
    st.lists(st.integers(1, 7), min_size=1, max_size=4),
    st.integers(1, 60),
)
def test_split_covers_the_selection_exactly_once(sizes: list[int], max_cells: int) -> None:
    selection = [
        {"variableCode": f"V{i}", "valueCodes": [f"{i}.{j}" for j in range(n)]}
        for i, n in enumerate(sizes)
    ]
    parts = split_selection(selection, max_cells=max_cells)
    assert all(len(cells_of(part)) <= max_cells for part in parts)
    total = sum(len(cells_of(part)) for part in parts)
    union = set().union(*(cells_of(part) for part in parts))
    assert union == cells_of(selection)
    assert total == len(union)  # no cell twice


def test_split_cuts_the_largest_variable() -> None:
    selection = [
        {"variableCode": "Region", "valueCodes": ["25", "2580"]},
        {"variableCode": "Alder", "valueCodes": [str(a) for a in range(101)]},
    ]
    parts = split_selection(selection, max_cells=100)
    assert [len(p[0]["valueCodes"]) for p in parts] == [2, 2, 2]
    assert [len(p[1]["valueCodes"]) for p in parts] == [50, 50, 1]
    assert split_selection(selection, max_cells=202) == [selection]


def test_split_respects_expressions_and_refuses_the_impossible() -> None:
    selection = [
        {"variableCode": "Tid", "valueCodes": ["*"]},
        {"variableCode": "Kon", "valueCodes": ["1", "2"]},
    ]
    parts = split_selection(selection, {"Tid": 50}, max_cells=50)
    assert [p[1]["valueCodes"] for p in parts] == [["1"], ["2"]]
    with pytest.raises(ScbError, match="cannot split"):
        split_selection(selection, {"Tid": 50}, max_cells=49)


# --- rate limiting (fake clock) -----------------------------------------------------------


def test_rate_limiter_31st_call_in_10_seconds_waits() -> None:
    clock = FakeClock()
    limiter = RateLimiter(30, 10, clock, clock.sleep)
    waits = [limiter.wait() for _ in range(30)]
    assert waits == [0.0] * 30 and clock.sleeps == []
    assert limiter.wait() == 10.0  # the 31st waits until the first leaves the window
    assert clock.now == 10.0


def test_rate_limiter_window_slides() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 10, clock, clock.sleep)
    for at in (0.0, 4.0, 8.0):
        clock.now = at
        limiter.wait()
    clock.now = 9.0
    assert limiter.wait() == pytest.approx(1.0)  # until 10.0, when the call at 0 expires
    assert limiter.wait() == pytest.approx(4.0)  # until 14.0, when the call at 4 expires


def test_client_reads_limits_from_recorded_config_and_throttles() -> None:
    if not RECORDED.is_dir():
        pytest.skip(f"recorded SCB responses not found in {RECORDED}")
    config = read_json(RECORDED / "scb_v2_config.json")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/config"):
            return httpx.Response(200, json=config)
        return httpx.Response(200, json={"tables": []})

    clock = FakeClock()
    client = client_for(handler, clock)
    assert client.limits == Limits(150_000, 3, 1.0)  # the fixture's edited rate: 3 per 1 s
    for _ in range(4):
        client.get_tables("befolkning")
    assert clock.sleeps == [1.0]


# --- retries and errors -------------------------------------------------------------------

LIMITS = Limits(150_000, 30, 10)


def scripted(*answers):
    """A handler giving these answers in turn (an exception instance is raised)."""
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handler


def test_retry_after_429_then_503_succeeds_on_third_try() -> None:
    clock = FakeClock()
    handler = scripted(
        httpx.Response(429, headers={"Retry-After": "7"}, text="Too many requests"),
        httpx.Response(503),
        httpx.Response(200, json={"tables": [{"id": "TAB638"}]}),
    )
    client = client_for(handler, clock, limits=LIMITS)
    assert client.get_tables("x") == [{"id": "TAB638"}]
    assert clock.sleeps == [7.0, 2.0]  # Retry-After, then the backoff 1 s × 2
    assert client.calls == 3


def test_retry_on_timeout_succeeds_on_third_try() -> None:
    clock = FakeClock()
    handler = scripted(
        httpx.ReadTimeout("slow"),
        httpx.ConnectTimeout("slow"),
        httpx.Response(200, json={"tables": []}),
    )
    assert client_for(handler, clock, limits=LIMITS).get_tables("x") == []
    assert clock.sleeps == [1.0, 2.0]


def test_gives_up_after_max_attempts_with_a_clear_message() -> None:
    clock = FakeClock()
    client = client_for(lambda r: httpx.Response(503), clock, limits=LIMITS, max_attempts=3)
    with pytest.raises(RetriesExhaustedError, match=r"answered 503 to /tables 3 times"):
        client.get_tables("x")
    assert clock.sleeps == [1.0, 2.0]


def test_offline_gives_one_clear_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution")

    client = client_for(handler)
    with pytest.raises(OfflineError) as caught:
        client.get_metadata("TAB638")  # the first call reads /config
    message = str(caught.value)
    assert message.startswith("cannot reach statistikdatabasen.scb.se: [Errno -3]")
    assert message.endswith("— check the network or use the embedded data")
    assert "\n" not in message


def test_non_existent_table() -> None:
    client = client_for(FakeScb(), limits=LIMITS)
    with pytest.raises(TableNotFoundError, match="/tables/TAB1/metadata"):
        client.get_metadata("TAB1")


@pytest.mark.parametrize("status", [400, 403])
def test_too_many_cells_splits_further(status: int) -> None:
    fake = FakeScb(max_cells=40)

    def handler(request: httpx.Request) -> httpx.Response:
        response = fake(request)
        if status == 403 and response.status_code == 400:
            return httpx.Response(403, text="Forbidden")
        return response

    selection = [
        {"variableCode": "Region", "valueCodes": ["00", "25", "2580"]},
        {"variableCode": "Alder", "valueCodes": ["0", "1", "2", "99", "100+"]},
        {"variableCode": "Kon", "valueCodes": ["1", "2", "2"]},  # duplicate: de-duplicated
        {"variableCode": "ContentsCode", "valueCodes": ["BE0101N1"]},
        {"variableCode": "Tid", "valueCodes": ["2022", "2023", "2024"]},
    ]
    client = client_for(handler, limits=LIMITS)  # believes 150 000 cells are fine
    data = client.get_data("TAB638", selection)
    assert len(data) == 3 * 5 * 2 * 3
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) > 2 and all(
        json.loads(r.content)["selection"][1]["valueCodes"] for r in posts
    )
    expected = [cell_value(tuple(row[:-1])) for row in data.itertuples(index=False)]
    assert data.value.tolist() == expected
    assert data.attrs["updated"] == "2025-02-21T07:00:00Z"


def test_unknown_region() -> None:
    client = client_for(FakeScb(), limits=LIMITS)
    with pytest.raises(UnknownRegionError, match="'9999': not among SCB's regions of TAB638"):
        fetch_region("9999", 2023, client=client, cache=ScbCache("/nonexistent-unused"))
    with pytest.raises(UnknownRegionError, match="two digits for a county"):
        fetch_region("Luleå", 2023, client=client)


# --- table resolution ---------------------------------------------------------------------


def test_resolve_known_id_and_unsettled_deaths_table() -> None:
    client = client_for(FakeScb(), limits=LIMITS)
    deaths_hist = MODEL_TABLES["deaths"].sources[0]
    table_id, meta = resolve(deaths_hist, client)
    assert table_id == "TAB959" and meta["extension"]["px"]["tableid"] == "TAB959"


def test_resolve_by_search_checks_metadata() -> None:
    fake = FakeScb()
    client = client_for(fake, limits=LIMITS)
    hist, ckm = MODEL_TABLES["migration"].sources
    assert resolve(hist, client)[0] == "TAB9001"  # TAB9003 lacks age; TAB9004 is monthly
    assert resolve(ckm, client)[0] == "TAB9002"
    metadata = [r.url.path for r in fake.requests if r.url.path.endswith("/metadata")]
    assert metadata == [
        "/api/v2/tables/TAB9003/metadata",
        "/api/v2/tables/TAB9001/metadata",
        "/api/v2/tables/TAB9002/metadata",
    ]
    search = next(r for r in fake.requests if r.url.path.endswith("/tables"))
    assert search.url.params["query"] == hist.search


@needs_recorded
def test_resolve_with_recorded_search_finds_no_fitting_table() -> None:
    recorded = (RECORDED / "scb_v2_search.json").read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=recorded)

    source = MODEL_TABLES["employment_age"].sources[0]
    # The recorded "befolkning" search holds BAS key figures (monthly): none fits
    with pytest.raises(TableNotFoundError, match="no SCB table fits employment_age_bas"):
        resolve(source, client_for(handler, limits=LIMITS))


# --- fetch_region end to end --------------------------------------------------------------


@pytest.fixture
def fake() -> FakeScb:
    return FakeScb()


def test_fetch_region_gives_the_contract(fake: FakeScb, tmp_path: Path) -> None:
    lines: list[str] = []
    client = client_for(fake)
    tables = fetch_region("2580", 2023, client=client, cache=ScbCache(tmp_path),
                          progress=lines.append)  # fmt: skip
    assert {k: list(v.columns) for k, v in tables.items()} == CONTRACT
    assert lines[2] == "fetching deaths for 2580 (3/7) …"
    population = tables["population"]
    assert set(population.region) == {"2580", "25", "00"}
    assert sorted(population.year.unique()) == [2023, 2024, 2025]  # –2024 and CKM 2025
    assert set(population.sex) == {"female", "male"}
    assert sorted(population.age.unique()) == [0, 1, 2, 99, 100]
    row = population.query("region == '2580' and year == 2024 and sex == 'female' and age == 100")
    assert row.population.item() == cell_value(("2580", "100+", "2", "BE0101N1", "2024"))
    row = population.query("region == '2580' and year == 2025 and sex == 'male' and age == 0")
    assert row.population.item() == cell_value(("2580", "SC", "0", "1", "000007ME", "2025"))

    births = tables["births"]
    assert sorted(births.mother_age.unique()) == [14, 15, 30, 49]
    row = births.query("region == '25' and year == 2025 and mother_age == 49")
    both = [cell_value(("25", "49+", sex, "000007N4", "2025")) for sex in ("1", "2")]
    assert row.births.item() == sum(both)  # no total for the child's sex: summed

    migration = tables["migration"].query("region == '00' and year == 2024")
    assert migration.notna().all().all() and len(migration) == 2 * 5
    industry = tables["employment_industry"]
    assert set(industry.industry) == {"A", "B", "C", "Q"}
    assert set(tables["projection"].region) == {"00"}
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_fetch_region_county_includes_its_municipalities(fake: FakeScb, tmp_path: Path) -> None:
    tables = fetch_region("25", 2024, client=client_for(fake), cache=ScbCache(tmp_path))
    assert set(tables["deaths"].region) == {"00", "25", "2505", "2580", "2584"}


def test_fetch_region_uses_the_cache_and_refresh_refetches(fake: FakeScb, tmp_path: Path) -> None:
    cache = ScbCache(tmp_path)
    first = fetch_region("2580", 2022, client=client_for(fake), cache=cache)
    sent = len(fake.requests)
    again = fetch_region("2580", 2023, client=client_for(fake), cache=cache)
    assert len(fake.requests) == sent  # all from the cache, no request at all
    expected = first["population"].query("year >= 2023").reset_index(drop=True)
    pd.testing.assert_frame_equal(again["population"], expected)
    fetch_region("2580", 2023, refresh=True, client=client_for(fake), cache=cache)
    assert len(fake.requests) > sent
    meta = cache.read_meta("migration", "2580")
    assert [t["table_id"] for t in meta["tables"]] == ["TAB9001", "TAB9002"]
    assert meta["tables"][0]["query"]["selection"][0]["variableCode"] == "Region"


def test_failed_fetch_keeps_the_previous_cache(fake: FakeScb, tmp_path: Path) -> None:
    cache = ScbCache(tmp_path)
    fetch_region("2580", 2023, client=client_for(fake), cache=cache)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if "migration" in p.name}

    def failing(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and "TAB9001" in request.url.path:
            return httpx.Response(502)
        return fake(request)

    with pytest.raises(RetriesExhaustedError, match="502"):
        fetch_region("2580", 2023, refresh=True, client=client_for(failing), cache=cache)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if "migration" in p.name}
    assert after == before
    assert cache.read("migration", "2580") is not None
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


# --- CLI ----------------------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The CLI against a fake SCB (or `handler`) with the cache in tmp_path."""
    monkeypatch.setenv("WORKFORCE_CACHE", str(tmp_path))

    def use(handler) -> None:
        monkeypatch.setattr("forecast.scb_fetch.ScbClient", lambda: client_for(handler))

    return use


def test_cli_data_fetch(cli_env, fake: FakeScb, tmp_path: Path, capsys) -> None:
    cli_env(fake)
    assert main(["data", "fetch", "--region", "2580", "--from", "2023"]) == 0
    err = capsys.readouterr().err
    assert "workforce: fetching population for 2580 (1/7) …" in err
    assert f"7 tables for 2580 in {tmp_path}" in err
    assert "population_2580.csv.gz" in err
    assert "no model inputs could be built" in err  # two years are too few for the rates
    assert main(["data", "fetch", "--region", "2580", "--from", "2023"]) == 0
    assert "cached" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--region", "12345"], "unknown region code '12345'"),
        (["--region", "2599"], "unknown region code '2599': not among SCB's regions"),
        (["--region", "25", "--from", "1900"], "--from 1900"),
    ],
)
def test_cli_data_fetch_user_errors(cli_env, fake: FakeScb, capsys, argv, message) -> None:
    cli_env(fake)
    assert main(["data", "fetch", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("workforce: error: ") and message in err[-1]
    assert "Traceback" not in "\n".join(err)


def test_cli_data_fetch_offline(cli_env, capsys) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    cli_env(offline)
    assert main(["data", "fetch", "--region", "2580"]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == (
        "workforce: error: cannot reach statistikdatabasen.scb.se: [Errno 111] Connection "
        "refused — check the network or use the embedded data"
    )
