"""The crisis negotiation played by teams in a real headless Chromium: an instructor page and
five students on phones (390×844), one team for each of Russia (two members), the United
States and NATO, Ukraine, and Germany and France, play one round to the end; the debrief
shows the class's path beside the equilibrium path.

Screenshots go to ``test-output/e2e/classroom-crisis-*.png``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from tests.e2e.browser import ARGS, CHROMIUM, OUTPUT, board_code
from tests.e2e.classroom import WAIT, class_dashboard, click, join, shot

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api")

#: What the students play when the page gives them the move: the equilibrium path.
CHOICES = ("Press the demands", "Refuse", "Concede: NATO enlargement", "Accept the deal",
           "Take the deal")


@pytest.fixture(scope="module")
def class_server(tmp_path_factory) -> Iterator[str]:
    with class_dashboard(tmp_path_factory.mktemp("crisis") / "class.db") as url:
        yield url


def _choose(page) -> str | None:  # type: ignore[no-untyped-def]
    """Pick the scripted move among the options shown, or None while the page redraws."""
    for action in CHOICES:
        label = page.locator("label:visible").filter(has_text=re.compile(rf"^{action}$"))
        if label.count():
            return action if click(label.first) else None
    return None


def _play_when_asked(pages: dict, teacher) -> list[str]:  # type: ignore[no-untyped-def]
    """Each page moves when it says it is their move, until the group has finished."""
    played: list[str] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        for name, page in pages.items():
            button = page.get_by_role("button", name="Play this move")
            if button.count() == 0:
                continue
            action = _choose(page)
            if action is None or not click(button):
                continue  # the page is redrawing; look again
            played.append(f"{name}: {action}")
            page.wait_for_timeout(500)
        text = teacher.locator("body").inner_text()
        if re.search(r"(\d+) of \1 groups? ha(?:ve|s) finished round 1", text):
            return played
        teacher.wait_for_timeout(1000)
    raise AssertionError(f"the round did not finish: {played}")


def test_teams_play_the_crisis_negotiation(class_server: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    url = class_server
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            teacher = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            teacher.set_default_timeout(WAIT)
            teacher.goto(f"{url}/?mode=classroom&host=1")
            while not click(teacher.get_by_role("combobox", name="Game")):
                pass
            while not click(teacher.get_by_role("option",
                                                 name="Crisis negotiation (February 2022)")):
                pass
            teacher.get_by_role("spinbutton", name="Number of rounds").fill("1")
            while not click(teacher.get_by_role("button", name="Create session")):
                pass
            teacher.get_by_text("Recovery code:").wait_for(timeout=WAIT)
            code = board_code(teacher)
            teacher.get_by_role("button", name="I have written it down").click()
            # join order deals Russia, the United States and NATO, Ukraine, Germany and
            # France, then Russia again
            pages = {n: join(browser, url, code, n, until="has not started yet")
                     for n in ("Ana", "Ben", "Chen", "Dan", "Eve")}
            teacher.get_by_text("5 students have joined").wait_for(timeout=WAIT)
            shot(pages["Ana"], "crisis-1-phone-briefing")
            while not click(teacher.get_by_role("button", name="Start round 1")):
                pass
            for name in ("Ana", "Eve"):  # both members of Russia's team may move
                pages[name].get_by_text("It is your move").wait_for(timeout=WAIT)
                pages[name].get_by_text("The first move sent for your team counts").first.wait_for(
                    timeout=WAIT)
            pages["Ben"].get_by_text("Waiting for Russia to move").wait_for(timeout=WAIT)
            shot(pages["Eve"], "crisis-2-phone-russia-team-to-move")
            shot(pages["Ben"], "crisis-3-phone-united-states-waiting")
            shot(teacher, "crisis-4-instructor-round-started")
            played = _play_when_asked(pages, teacher)
            assert [p.split(": ", 1)[1] for p in played] == list(CHOICES), played
            shot(pages["Eve"], "crisis-5-phone-russia-team-finished")
            while not click(teacher.get_by_role("button", name=re.compile("Close round 1"))):
                pass
            teacher.get_by_text("Outcomes of round 1").wait_for(timeout=WAIT)
            teacher.get_by_text("The class's paths beside the equilibrium path").wait_for(
                timeout=WAIT)
            table = teacher.locator("table").filter(has_text="Equilibrium (subgame-perfect)")
            table.wait_for(timeout=WAIT)
            text = table.inner_text()
            assert "Round 1, group 1" in text
            assert text.count("Russia: Press the demands") == 2
            assert text.count("Germany and France: Concede: NATO enlargement") == 2
            assert text.count("Deal (first talks): NATO enlargement") == 2
            table.scroll_into_view_if_needed()
            shot(teacher, "crisis-6-instructor-debrief-paths")
        finally:
            browser.close()
