"""A client for Statistics Sweden's PxWebApi v2 (statistikdatabasen.scb.se), JSON-stat2.

Respects SCB's limits as `/config` states them (reference: /work/shared/pxweb/README.md §2):
at most `maxDataCells` cells per data request (150 000; larger queries are split along
their largest variable), at most `maxCallsPerTimeWindow` calls per `timeWindow` seconds
(30 per 10 s; a sliding-window limiter), and it retries with exponential backoff on 429
(honouring Retry-After), 5xx, timeouts and connection errors. "Too many cells" (400 with
that title, or 403) splits the query further. Every failure is an `ScbError` with one line.

`fetch_region` (the tidy tables for a region) lives in `forecast.scb_fetch`.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pandas as pd

from forecast.jsonstat import parse_jsonstat2

BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
HOST = "statistikdatabasen.scb.se"
LANG = "sv"

Selection = list[dict[str, Any]]  # [{"variableCode", "valueCodes", "codelist"?}, …]


class ScbError(ValueError):
    """A failed SCB request or an unusable answer; the message is one line for the user."""


class OfflineError(ScbError):
    """SCB cannot be reached (no network, DNS failure, connection refused)."""


class UnknownRegionError(ScbError):
    """The region code is not one of SCB's."""


class TableNotFoundError(ScbError):
    """No such table (404 "Non-existent table"), or a search found no fitting table."""


class TooManyCellsError(ScbError):
    """SCB refused a query as too large (400 "Too many cells selected", or 403)."""


class RetriesExhaustedError(ScbError):
    """SCB kept answering 429/5xx or timing out."""


def offline_message(exc: Exception) -> str:
    return f"cannot reach {HOST}: {exc} — check the network or use the embedded data"


@dataclass(frozen=True)
class Limits:
    """SCB's published limits: cells per data call, and calls per time window [s]."""

    max_cells: int = 150_000
    max_calls: int = 30
    window: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        """From a `GET /config` answer (`maxDataCells`, `maxCallsPerTimeWindow`, `timeWindow`)."""
        default = cls()
        return cls(
            int(config.get("maxDataCells") or default.max_cells),
            int(config.get("maxCallsPerTimeWindow") or default.max_calls),
            float(config.get("timeWindow") or default.window),
        )


class RateLimiter:
    """At most `calls` calls in any `window` seconds: `wait()` sleeps until one is allowed.

    `clock` and `sleep` are injectable (a fake clock in tests; time.monotonic/time.sleep).
    """

    def __init__(
        self,
        calls: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if calls < 1 or window <= 0:
            raise ValueError(f"rate limit needs calls ≥ 1 and window > 0, got {calls}/{window}")
        self.calls, self.window, self.clock, self.sleep = calls, window, clock, sleep
        self.stamps: deque[float] = deque()

    def wait(self) -> float:
        """Block until a call is allowed, record it, and return how long it waited [s]."""
        waited = 0.0
        while True:
            now = self.clock()
            while self.stamps and self.stamps[0] <= now - self.window:
                self.stamps.popleft()
            if len(self.stamps) < self.calls:
                self.stamps.append(now)
                return waited
            pause = self.stamps[0] + self.window - now
            self.sleep(pause)
            waited += pause


def cell_count(sizes: Iterable[int]) -> int:
    """Cells of a query: the product of the selected values per variable (SCB's count)."""
    return math.prod(size for size in sizes if size > 0)


def split_selection(
    selection: Selection, sizes: Mapping[str, int] | None = None, max_cells: int = 150_000
) -> list[Selection]:
    """Split a selection into parts of at most `max_cells` cells that together cover it
    exactly once, cutting the variable with the most values first (then the next).

    sizes: values per variable where `valueCodes` is an expression (e.g. `*`); a variable
    given by an expression is never cut. Raises ScbError if no split can get small enough.
    """
    if max_cells < 1:
        raise ValueError(f"max_cells must be ≥ 1, got {max_cells}")
    sizes = dict(sizes or {})

    def size(item: Mapping[str, Any]) -> int:
        return sizes.get(item["variableCode"], len(item["valueCodes"]))

    def cuttable(item: Mapping[str, Any]) -> bool:
        return item["variableCode"] not in sizes and len(item["valueCodes"]) > 1

    cells = cell_count(size(item) for item in selection)
    if cells <= max_cells:
        return [selection]
    candidates = [i for i, item in enumerate(selection) if cuttable(item)]
    if not candidates:
        raise ScbError(f"cannot split a query of {cells} cells below SCB's {max_cells}")
    at = max(candidates, key=lambda i: size(selection[i]))
    codes = list(selection[at]["valueCodes"])
    rest = cells // len(codes)
    chunk = max(1, max_cells // rest)
    parts = []
    for start in range(0, len(codes), chunk):
        item = {**selection[at], "valueCodes": codes[start : start + chunk]}
        part = [*selection[:at], item, *selection[at + 1 :]]
        parts.extend(split_selection(part, sizes, max_cells))
    return parts


def dedupe(codes: Iterable[str]) -> list[str]:
    """Value codes without repeats, in order (a duplicated code makes SCB answer 500)."""
    return list(dict.fromkeys(str(code) for code in codes))


class ScbClient:
    """PxWebApi v2 over an injected `httpx.Client` (tests pass an `httpx.MockTransport`).

    max_attempts: tries per request before giving up; backoff: the first wait [s], doubled
    each retry (a 429's Retry-After wins). clock/sleep are injectable for tests.
    """

    def __init__(
        self,
        http: httpx.Client | None = None,
        *,
        base_url: str = BASE_URL,
        lang: str = LANG,
        limits: Limits | None = None,
        max_attempts: int = 4,
        backoff: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.http = http or httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0))
        self.base_url, self.lang = base_url.rstrip("/"), lang
        self.max_attempts, self.backoff = max_attempts, backoff
        self.clock, self.sleep = clock, sleep
        self._limits = limits
        self._limiter: RateLimiter | None = None
        self.calls = 0  # requests sent, retries included

    @property
    def limits(self) -> Limits:
        """SCB's limits, read once from `GET /config`."""
        if self._limits is None:
            self._limits = Limits.from_config(self._request("GET", "/config", limited=False))
        return self._limits

    @property
    def limiter(self) -> RateLimiter:
        if self._limiter is None:
            limits = self.limits
            self._limiter = RateLimiter(limits.max_calls, limits.window, self.clock, self.sleep)
        return self._limiter

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ScbClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        limited: bool = True,
    ) -> Any:
        """One API call with rate limiting and retries; the decoded JSON answer."""
        url = self.base_url + path
        params = {"lang": self.lang, **(params or {})}
        last = ""
        for attempt in range(1, self.max_attempts + 1):
            if limited:
                self.limiter.wait()
            self.calls += 1
            try:
                response = self.http.request(method, url, params=params, json=body)
            except httpx.TimeoutException as exc:
                last, wait = f"timed out ({type(exc).__name__})", None
            except (httpx.ConnectError, httpx.NetworkError, httpx.ProxyError) as exc:
                if attempt == self.max_attempts:
                    raise OfflineError(offline_message(exc)) from exc
                last, wait = str(exc), None
            except httpx.HTTPError as exc:
                raise ScbError(f"{HOST}: {path}: {exc}") from exc
            else:
                status = response.status_code
                if status < 400:
                    try:
                        return response.json()
                    except ValueError as exc:
                        raise ScbError(f"{HOST}: {path}: the answer is not JSON") from exc
                problem = problem_title(response)
                if is_too_many_cells(status, problem):
                    raise TooManyCellsError(f"{path}: {problem or 'too many cells'} ({status})")
                if status == 404:
                    raise TableNotFoundError(f"SCB has no {path} ({problem or 'not found'})")
                if status != 429 and status < 500:
                    raise ScbError(f"SCB refused {path}: {status} {problem}".rstrip())
                last, wait = f"{status} {problem}".rstrip(), retry_after(response)
            if attempt < self.max_attempts:
                self.sleep(wait if wait is not None else self.backoff * 2 ** (attempt - 1))
        raise RetriesExhaustedError(
            f"SCB answered {last} to {path} {self.max_attempts} times; try again later"
        )

    def get_tables(self, query: str, page_size: int = 100) -> list[dict[str, Any]]:
        """Tables whose title, variables or values match `query` (first page only)."""
        answer = self._request("GET", "/tables", {"query": query, "pageSize": page_size})
        return list(answer.get("tables", []))

    def get_metadata(self, table_id: str) -> dict[str, Any]:
        """A table's metadata: a JSON-stat2 dataset with empty `value`."""
        return self._request("GET", f"/tables/{table_id}/metadata")

    def get_data(self, table_id: str, selection: Selection) -> pd.DataFrame:
        """The cells of `selection` (explicit value codes) as a long DataFrame (see
        parse_jsonstat2), in as many requests as SCB's cell limit needs; `attrs["updated"]`
        is SCB's latest `updated` stamp over the parts."""
        selection = [{**item, "valueCodes": dedupe(item["valueCodes"])} for item in selection]
        frames, stamps = [], []
        pending = split_selection(selection, max_cells=self.limits.max_cells)
        while pending:
            part = pending.pop(0)
            try:
                doc = self._request(
                    "POST",
                    f"/tables/{table_id}/data",
                    {"outputFormat": "json-stat2"},
                    {"selection": part},
                )
            except TooManyCellsError:
                cells = cell_count(len(item["valueCodes"]) for item in part)
                if cells <= 1:
                    raise
                pending[:0] = split_selection(part, max_cells=max(1, cells // 2))
                continue
            frames.append(parse_jsonstat2(doc))
            stamps.append(str(doc.get("updated", "")))
        data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        data.attrs["updated"] = max(stamps, default="")
        return data


def problem_title(response: httpx.Response) -> str:
    """The `title` of an RFC 7807 problem body, or '' (a 429 body may be plain text)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("title", "")) if isinstance(body, dict) else ""


def is_too_many_cells(status: int, title: str) -> bool:
    """SCB's server says 400 "Too many cells selected"; the spec and v1 say 403."""
    return status == 403 or (status == 400 and "too many cells" in title.lower())


def retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header (a number), else None."""
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


def fetch_region(
    region: str,
    from_year: int = 2000,
    refresh: bool = False,
    client: ScbClient | None = None,
    cache: Any = None,
    progress: Callable[[str], object] | None = None,
) -> dict[str, pd.DataFrame]:
    """See `forecast.scb_fetch.fetch_region` (imported lazily: it builds on this module)."""
    from forecast.scb_fetch import fetch_region as fetch

    return fetch(region, from_year, refresh, client, cache, progress)
