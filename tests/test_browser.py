"""End to end: `streamlit run app.py` driven in headless Chromium with Playwright.

Debian's chromium is used through its executable path (CI installs it in .ci/run); where no
browser can be installed the test is skipped with the reason. Screenshots and the downloaded
CSV go to test-artifacts/.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="no Chromium: install Debian's package (apt-get install chromium) for this test",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The explorer served by `streamlit run` on a free port, until the tests are done."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
               "--server.headless", "true", "--server.port", str(port),
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"streamlit did not start: {process.stderr.read().decode()[-2000:]}")
    yield url
    process.terminate()
    process.wait(timeout=20)


@contextmanager
def explorer_page(url: str, height: int = 1000):
    """A headless Chromium page on the explorer, closed afterwards."""
    playwright = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": height}, accept_downloads=True)
        page.goto(url)
        yield page


def gap_b(page) -> str:
    """The displayed 2033 shortage of scenario B (the second metric)."""
    metric = page.locator('[data-testid="stMetricValue"]').nth(1)
    metric.wait_for(timeout=90_000)
    return metric.inner_text()


def test_changing_scenario_b_changes_the_gap_and_a_table_downloads(server):
    with explorer_page(f"{server}/?region=25&a=baseline&b=baseline&seed=0") as page:
        before = gap_b(page)
        page.get_by_label("Scenario B").click()
        page.get_by_role("option", name="Deltidsanställda arbetar 3 timmar mer").click()
        page.wait_for_function(
            "before => document.querySelectorAll('[data-testid=\"stMetricValue\"]')[1]"
            "?.innerText !== before",
            arg=before,
            timeout=90_000,
        )
        after = gap_b(page)
        assert after != before
        assert "b=part_time_plus3" in page.url  # the new view is in the link
        page.screenshot(path=str(ARTIFACTS / "explorer_part_time_plus3.png"), full_page=True)
        page.get_by_role("tab", name="Befolkning").click()
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Ladda ned CSV").first.click()
        saved = ARTIFACTS / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.suffix == ".csv" and "Totalt" in saved.read_text(encoding="utf-8-sig")


def shortage_with_levers(page) -> str:
    """The displayed 2033 shortage of the own scenario (the lever builder's metric)."""
    box = page.locator('[data-testid="stMetric"]', has_text="med åtgärderna")
    value = box.locator('[data-testid="stMetricValue"]')
    value.wait_for(timeout=90_000)
    return value.inner_text()


def test_moving_a_lever_changes_the_gap_and_shows_the_waterfall(server):
    with explorer_page(f"{server}/?region=25&levers=part_time_hours", height=1200) as page:
        page.get_by_role("tab", name="Åtgärder").click()
        before = shortage_with_levers(page)
        slider = page.locator('[data-testid="stSlider"]', has_text="Fler timmar för deltidare (")
        slider.get_by_role("slider").focus()
        page.keyboard.press("End")  # 10 hours a week
        page.wait_for_function(
            "before => [...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
            ".find(m => m.innerText.includes('med åtgärderna'))"
            "?.querySelector('[data-testid=\"stMetricValue\"]')?.innerText !== before",
            arg=before,
            timeout=90_000,
        )
        after = shortage_with_levers(page)
        assert after != before
        page.wait_for_url("**part_time_hours.extra_hours=10**", timeout=30_000)  # in the link
        waterfall = page.get_by_text("Från brist utan åtgärder").first
        waterfall.wait_for(timeout=60_000)
        waterfall.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "explorer_levers.png"))


def test_the_map_of_the_county_is_drawn(server):
    with explorer_page(f"{server}/?region=2580", height=1400) as page:
        page.get_by_role("tab", name="Lokalt underlag").click()
        title = page.get_by_text("Brist 2033 per 1").first
        title.wait_for(timeout=90_000)
        title.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # let Vega finish drawing the shapes
        page.screenshot(path=str(ARTIFACTS / "explorer_map.png"))
        chart = page.locator('[data-testid="stVegaLiteChart"]').filter(has_text="Brist 2033 per")
        box = chart.first.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 0.41 * box["width"], box["y"] + 0.26 * box["height"])  # Kiruna
        page.wait_for_url("**region=2584**", timeout=60_000)  # the region follows the click
