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
    """The table's column headers in column order, scrolling it sideways where the
    screen is narrow (the grid draws only the columns in view).

    The grid's own scroller is moved in steps narrower than any column. Each header is
    recorded under its ``aria-colindex``, so the order does not depend on when a redraw
    lands; a pass that leaves a column unseen (a redraw lagging behind the scroll under
    load) is read again with longer waits.
    """
    grid.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    scroller = grid.locator(".dvn-scroller").first
    count = int(grid.evaluate(
        "e => Number(e.querySelector('[aria-colcount]')?.getAttribute('aria-colcount') ?? 0)"))
    seen: dict[int, str] = {}
    for settle in (150, 400, 800):
        # the room is read again each pass: the grid may widen its columns once drawn
        room = int(scroller.evaluate("e => e.scrollWidth - e.clientWidth"))
        for x in [*range(0, room, 50), room]:
            scroller.evaluate("(e, x) => { e.scrollLeft = x; }", x)
            # where the scroll stops short (the room shrank), it stops at the end
            page.wait_for_function(
                "([e, x]) => Math.abs(e.scrollLeft - Math.min(x, e.scrollWidth - e.clientWidth))"
                " < 1", arg=[scroller.element_handle(), x], timeout=10_000)
            seen.update(_settled_headers(page, grid, settle))
        if _complete(seen, count):
            break
    scroller.evaluate("e => { e.scrollLeft = 0; }")
    page.wait_for_timeout(300)
    return [seen[i] for i in sorted(seen) if seen[i]]


def _complete(seen: dict[int, str], count: int) -> bool:
    """Whether every column from the first to the last has been read."""
    last = count or max(seen, default=0)
    return last > 0 and all(i in seen for i in range(1, last + 1))


def _settled_headers(page, grid, settle: int) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """The headers the grid draws once a scroll has settled, by column index: two reads
    ``settle`` ms apart agree (under load the grid redraws a few frames after a scroll)."""
    read = ("e => Array.from(e.querySelectorAll('th[aria-colindex]'))"
            ".map(th => [Number(th.getAttribute('aria-colindex')), th.innerText.trim()])")
    last = grid.evaluate(read)
    for _ in range(20):
        page.wait_for_timeout(settle)
        now = grid.evaluate(read)
        if now == last:
            break
        last = now
    return {int(i): str(text) for i, text in last}


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
