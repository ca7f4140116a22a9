"""The dashboard in a real headless Chromium: load, move a slider, see the regime change.

Needs the ``playwright`` Python package and Debian's ``chromium`` at
``/usr/bin/chromium`` (Playwright's own browser download is not used).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = ROOT / "test-output" / "e2e"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} "
                       "(apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is not installed (pip install playwright)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    proc = subprocess.Popen(
        [streamlit, "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"streamlit did not start on {url}:\n{out}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_slider_moves_the_equilibrium(server: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server}/?tab=Equilibrium", wait_until="domcontentloaded")
            metric = page.get_by_test_id("stMetricValue").first
            sync_api.expect(metric).to_have_text("demand rejected", timeout=60_000)
            slider = page.get_by_role("slider", name="Russia's demand (x)")
            sync_api.expect(slider).to_have_attribute("aria-valuetext", "0.90")
            slider.focus()
            for _ in range(15):  # 0.90 -> 0.75 in steps of 0.01
                slider.press("ArrowLeft")
            sync_api.expect(slider).to_have_attribute("aria-valuetext", "0.75",
                                                      timeout=10_000)
            sync_api.expect(metric).to_have_text("demand accepted", timeout=30_000)
            page.wait_for_function("() => window.location.search.includes('x=0.75')",
                                   timeout=10_000)
            shot = OUTPUT / "equilibrium_after_slider.png"
            page.screenshot(path=str(shot), full_page=False)
            print(f"screenshot: {shot}")
            assert shot.stat().st_size > 10_000

            page.get_by_role("tab", name="Regime map").click()
            sync_api.expect(page.locator(".js-plotly-plot").first).to_be_visible(
                timeout=30_000)
            page.wait_for_function("() => window.location.search.includes('tab=Regime')",
                                   timeout=10_000)
            shot = OUTPUT / "regime_map.png"
            page.screenshot(path=str(shot), full_page=False)
            print(f"screenshot: {shot}")

            page.get_by_role("tab", name="Compare").click()
            sync_api.expect(page.get_by_text("models predict war")).to_be_visible(
                timeout=30_000)
            shot = OUTPUT / "compare.png"
            page.screenshot(path=str(shot), full_page=False)
            print(f"screenshot: {shot}")
        finally:
            browser.close()
