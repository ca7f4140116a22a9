"""The Overview tab in a real headless Chromium: three readings side by side, and a row
chosen there opens that analysis in the Equilibrium tab.

Needs the ``playwright`` Python package and Debian's ``chromium`` at
``/usr/bin/chromium`` (Playwright's own browser download is not used).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sim.scenario import load_scenario
from sim.scenario.compare import compare_presets
from tests.e2e.browser import ARGS, CHROMIUM, MARKS, OUTPUT, dashboard
from tests.paths import SCENARIO_2022
from views.overview_tab import ROW_HEIGHT as ROW

pytestmark = MARKS
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is not installed (pip install playwright)")

#: Height of the table's header, in CSS pixels (Streamlit's default).
HEADER = 35


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with dashboard() as url:
        yield url


def _open_overview(page, server: str) -> object:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/", wait_until="domcontentloaded")
    sync_api.expect(page.get_by_text("Where the models agree")).to_be_visible(timeout=90_000)
    grid = page.get_by_test_id("stDataFrame")
    sync_api.expect(grid.locator("th").first).to_have_text("Analysis", timeout=30_000)
    return grid


def _headers(page, grid) -> list[str]:  # type: ignore[no-untyped-def]
    """The table's column headers, scrolling it sideways where the screen is narrow (the
    grid draws only the columns in view).

    The grid's own scroller is moved in steps narrower than any column, so each column is
    in view at two steps or more; a pass that still misses one (a redraw lagging behind
    the scroll under load) is read again from the start.
    """
    grid.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    scroller = grid.locator(".dvn-scroller").first
    room = int(scroller.evaluate("e => e.scrollWidth - e.clientWidth"))
    for _ in range(3):
        seen: list[str] = []
        for x in [*range(0, room, 50), room]:
            scroller.evaluate("(e, x) => { e.scrollLeft = x; }", x)
            for text in _settled_headers(page, grid):
                if text not in seen:
                    seen.append(text)
        if "What moved it" in seen and "Question" in seen:
            break
    scroller.evaluate("e => { e.scrollLeft = 0; }")
    page.wait_for_timeout(300)
    return seen


def _settled_headers(page, grid) -> list[str]:  # type: ignore[no-untyped-def]
    """The headers the grid draws once a scroll has settled: two reads 150 ms apart agree
    (under load the grid redraws its header cells a few frames after the scroll)."""
    last = grid.locator("th").all_inner_texts()
    for _ in range(20):
        page.wait_for_timeout(150)
        now = grid.locator("th").all_inner_texts()
        if now == last:
            return now
        last = now
    return last


@pytest.mark.parametrize("viewport", [(1440, 900), (390, 844)])
def test_overview_shows_three_calibrations_and_opens_a_row(
        server: str, viewport: tuple[int, int]) -> None:
    comparison = compare_presets(load_scenario(SCENARIO_2022).scenario)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    width, height = viewport
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            grid = _open_overview(page, server)
            tab = page.get_by_role("tab", name="Overview")
            sync_api.expect(tab).to_have_attribute("aria-selected", "true")
            headers = _headers(page, grid)
            assert headers[0] == "Analysis" and "What moved it" in headers
            calibrations = headers[1:headers.index("What moved it")]
            assert calibrations == [comparison.short_name(p) for p in comparison.presets]
            assert len(calibrations) == 3
            shot = OUTPUT / f"overview_{width}x{height}.png"
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}")

            k = 3  # the fourth row: visible without scrolling the table
            chosen = comparison.analyses[k]
            first_cell = grid.locator("tbody tr").nth(k).locator("td").first
            sync_api.expect(first_cell).to_have_text(chosen.title)
            grid.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(300)
            box = grid.bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + 15, box["y"] + HEADER + ROW * k + ROW / 2)  # row marker
            sync_api.expect(page.get_by_role("tab", name="Equilibrium")).to_have_attribute(
                "aria-selected", "true", timeout=30_000)
            page.wait_for_function(
                f"() => window.location.search.includes('analysis={chosen.id}')",
                timeout=30_000)
            assert "tab=Equilibrium" in page.url
            sync_api.expect(page.get_by_test_id("stMetricValue").first).to_be_visible(
                timeout=30_000)
            shot = OUTPUT / f"overview_opened_{width}x{height}.png"
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}")
        finally:
            browser.close()
