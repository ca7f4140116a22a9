"""The dashboard in a real headless Chromium: load, move a slider, see the regime change.

Needs the ``playwright`` Python package and Debian's ``chromium`` at
``/usr/bin/chromium`` (Playwright's own browser download is not used).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.browser import ARGS, CHROMIUM, MARKS, OUTPUT, dashboard

pytestmark = MARKS
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is not installed (pip install playwright)")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with dashboard() as url:
        yield url


def test_slider_moves_the_equilibrium(server: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server}/?tab=Equilibrium&analysis=fearon_range_stated",
                      wait_until="domcontentloaded")
            metric = page.get_by_test_id("stMetricValue").first
            sync_api.expect(metric).to_have_text("War", timeout=60_000)
            slider = page.get_by_role("slider", name="Russia's demand (x)")
            sync_api.expect(slider).to_have_attribute("aria-valuetext", "0.90")
            slider.focus()
            for _ in range(15):  # 0.90 -> 0.75 in steps of 0.01
                slider.press("ArrowLeft")
            sync_api.expect(slider).to_have_attribute("aria-valuetext", "0.75",
                                                      timeout=30_000)
            sync_api.expect(metric).to_have_text("Agreement", timeout=30_000)
            page.wait_for_function("() => window.location.search.includes('x=0.75')",
                                   timeout=30_000)
            shot = OUTPUT / "equilibrium_after_slider.png"
            page.screenshot(path=str(shot), full_page=False)
            print(f"screenshot: {shot}")
            assert shot.stat().st_size > 10_000

            page.get_by_role("tab", name="Regime map").click()
            sync_api.expect(page.locator(".js-plotly-plot").first).to_be_visible(
                timeout=30_000)
            page.wait_for_function("() => window.location.search.includes('tab=Regime')",
                                   timeout=30_000)
            shot = OUTPUT / "regime_map.png"
            page.screenshot(path=str(shot), full_page=False)
            print(f"screenshot: {shot}")

            page.get_by_role("tab", name="Compare").click()
            sync_api.expect(page.get_by_text("models of war").first).to_be_visible(
                timeout=30_000)
            shot = OUTPUT / "compare.png"
            page.screenshot(path=str(shot), full_page=False)
            print(f"screenshot: {shot}")
        finally:
            browser.close()
