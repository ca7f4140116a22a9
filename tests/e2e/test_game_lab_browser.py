"""The Game lab in a real headless Chromium: type an expression, slide, see equilibria change.

Needs the ``playwright`` Python package and Debian's ``chromium`` at
``/usr/bin/chromium``. Screenshots go to ``test-output/e2e/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import ARGS, CHROMIUM, MARKS, OUTPUT, dashboard

pytestmark = MARKS
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is not installed (pip install playwright)")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with dashboard() as url:
        yield url


def _settle(page: Any) -> None:
    """Wait until the app has finished rerunning after an edit."""
    page.wait_for_timeout(1000)
    sync_api.expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    page.wait_for_timeout(500)


def _type_in_cell(page: Any, grid: Any, row: int, col: int, text: str) -> None:
    """Type into a cell of a Streamlit data editor (rows and columns from 0, index excluded)."""
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = grid.bounding_box()
    assert box is not None
    # Glide's grid: a 35 px header row and 35 px rows; the index column comes first.
    index_w = 60
    col_w = (box["width"] - index_w) / 2
    x = box["x"] + index_w + col_w * (col + 0.5)
    y = box["y"] + 35 * (row + 1) + 17
    # A click gives this grid the focus; a double click opens the cell's editor, whose
    # text is then selected and replaced.
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.dblclick(x, y)
    page.wait_for_timeout(300)
    page.keyboard.press("Control+A")
    page.keyboard.type(text, delay=30)
    page.keyboard.press("Enter")
    _settle(page)


def test_expression_slider_changes_equilibria(server: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{server}/?mode=game+lab", wait_until="domcontentloaded")
            sync_api.expect(page.get_by_text("Start from")).to_be_visible(timeout=60_000)
            page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
            page.get_by_role("option", name="A new 2 x 2 game").click()
            page.get_by_role("button", name="Load this game").click()
            sync_api.expect(page.get_by_text("Payoffs to Row")).to_be_visible(timeout=30_000)
            sync_api.expect(page.get_by_text("4 equilibria", exact=False)).to_be_visible(
                timeout=30_000)
            _settle(page)
            grids = page.get_by_test_id("stMain").get_by_test_id("stDataFrame")
            target = page.get_by_text("Row plays Top; Column plays Left", exact=False)
            # Column gains 1 at (Top, Left): that profile is an equilibrium.
            _type_in_cell(page, grids.nth(1), 0, 0, "1")
            sync_api.expect(target.first).to_be_visible(timeout=30_000)
            # Row's payoff there becomes a - 2 = -1 at a = 1: it no longer is.
            _type_in_cell(page, grids.nth(0), 0, 0, "a - 2")
            slider = page.get_by_test_id("stSidebar").get_by_role("slider").first
            sync_api.expect(slider).to_be_visible(timeout=30_000)
            sync_api.expect(target).to_have_count(0, timeout=30_000)
            sync_api.expect(page.get_by_text("Row plays Bottom; Column plays Left",
                                             exact=False).first).to_be_visible(timeout=30_000)
            page.screenshot(path=str(OUTPUT / "game_lab_typed.png"))
            sync_api.expect(slider).to_have_attribute("aria-valuetext", "1")  # a new name: 1
            slider.focus()
            for _ in range(20):  # 1 -> 3 in steps of 0.1: a - 2 = 1 > 0
                slider.press("ArrowRight")
            sync_api.expect(slider).to_have_attribute("aria-valuetext", "3", timeout=20_000)
            sync_api.expect(target.first).to_be_visible(timeout=30_000)
            page.wait_for_function("() => window.location.search.includes('game=')",
                                   timeout=10_000)
            page.screenshot(path=str(OUTPUT / "game_lab_after_slider.png"))
        finally:
            browser.close()
