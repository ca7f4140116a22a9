"""Lessons in a real headless Chromium: a prediction survives a reload of the page."""

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


def test_a_reload_keeps_the_prediction_and_the_step(server: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{server}/?mode=lessons&lesson=fearon-range",
                      wait_until="domcontentloaded")
            first = page.get_by_role("radiogroup", name="Russia demands x = 0.9. Does the United "
                                                       "States accept, or is it war?")
            first.get_by_text("War", exact=True).click()
            page.get_by_role("button", name="Commit my prediction").first.click()
            answer = page.get_by_text("Model's answer (you predicted: War)")
            sync_api.expect(answer).to_be_visible(timeout=60_000)
            page.wait_for_function("() => window.location.search.includes('pred=1')",
                                   timeout=20_000)
            assert "step=2" in page.url
            page.reload(wait_until="domcontentloaded")
            sync_api.expect(answer).to_be_visible(timeout=60_000)
            sync_api.expect(page.get_by_text("Step 2. A demand at the top of the range")
                            ).to_be_visible()
            page.screenshot(path=str(OUTPUT / "lesson_after_reload.png"))
        finally:
            browser.close()
