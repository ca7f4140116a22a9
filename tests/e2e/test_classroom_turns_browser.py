"""The threat game played in turn in a real headless Chromium: one instructor page and three
students on phones (390×844) play two rounds; pages say by themselves whose move it is.

Screenshots go to ``test-output/e2e/classroom-turns-*.png``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from tests.e2e.browser import ARGS, CHROMIUM, OUTPUT, board_code
from tests.e2e.classroom import WAIT, class_dashboard, join, shot
from views.classroom_page import GAME_NAMES

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api")

#: What each student plays when the page gives them the move.
CHOICE = {"Status quo": "Demand", "Concede": "Resist", "Fight": "Fight"}


@pytest.fixture(scope="module")
def class_server(tmp_path_factory) -> Iterator[str]:
    with class_dashboard(tmp_path_factory.mktemp("turns") / "class.db") as url:
        yield url


def _choose(page) -> str | None:  # type: ignore[no-untyped-def]
    """Pick the scripted move among the options shown, or None while the page redraws.

    On a busy machine a rerun can replace the options between finding and clicking
    them, so a click that finds nothing gives up quickly and the caller looks again.
    """
    for action in CHOICE.values():
        label = page.locator("label:visible").filter(has_text=re.compile(rf"^{action}$"))
        if label.count():
            try:
                label.first.click(timeout=10_000)
            except sync_api.TimeoutError:
                return None
            return action
    return None


def _play_when_asked(pages: dict, teacher, round_: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Each page moves when it says it is their move, until every group has finished."""
    played: list[str] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        for name, page in pages.items():
            button = page.get_by_role("button", name="Play this move")
            if button.count() == 0:
                continue
            action = _choose(page)
            if action is None:
                continue  # the page is redrawing; look again
            try:
                button.click(timeout=10_000)
            except sync_api.TimeoutError:
                continue  # redrawn between the choice and the click; look again
            played.append(f"{name}: {action}")
            page.wait_for_timeout(500)
        text = teacher.locator("body").inner_text()
        if f"groups have finished round {round_}" in text and re.search(
                rf"(\d+) of \1 groups have finished round {round_}", text):
            return played
        teacher.wait_for_timeout(1000)
    raise AssertionError(f"round {round_} did not finish: {played}")


def test_three_phones_play_the_threat_game_in_turn(class_server: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    url = class_server
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            teacher = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            teacher.set_default_timeout(WAIT)
            teacher.goto(f"{url}/?mode=classroom&host=1")
            teacher.get_by_role("combobox", name="Game").click()
            teacher.get_by_role("option", name=GAME_NAMES["threat"]).click()
            teacher.get_by_role("spinbutton", name="Number of rounds").fill("2")
            teacher.get_by_role("button", name="Create session").click()
            teacher.get_by_text("Recovery code:").wait_for(timeout=WAIT)
            code = board_code(teacher)
            teacher.get_by_role("button", name="I have written it down").click()
            pages = {n: join(browser, url, code, n, until="has not started yet")
                     for n in ("Ana", "Ben", "Chen")}
            teacher.get_by_text("3 students have joined").wait_for(timeout=WAIT)
            shot(pages["Ana"], "turns-1-phone-waiting-for-the-start")
            for round_ in (1, 2):
                teacher.get_by_role("button", name=f"Start round {round_}").click()
                # the first movers' pages say so by themselves, without a reload
                pages["Ana"].get_by_text("It is your move").wait_for(timeout=WAIT)
                sync_api.expect(pages["Ana"].locator("body")).to_contain_text(
                    "Your private type", timeout=WAIT)
                # the United States holds no type (the briefing names both as possible, no more)
                assert "Your private type" not in pages["Ben"].locator("body").inner_text()
                if round_ == 1:
                    pages["Ben"].get_by_text("Waiting for Russia to move").wait_for(
                        timeout=WAIT)
                    shot(pages["Ana"], "turns-2-phone-russia-to-move")
                    shot(pages["Ben"], "turns-3-phone-united-states-waiting")
                    shot(teacher, "turns-4-instructor-round-1-started")
                played = _play_when_asked(pages, teacher, round_)
                assert played, "no one moved"
                if round_ == 1:  # later the debrief of closed rounds names types and moves
                    projected = teacher.locator("body").inner_text()
                    for secret in ("resolved", "irresolute", "Private type", "Demand",
                                   "Fight"):
                        assert secret not in projected  # nothing private before the close
                shot(teacher, f"turns-5-instructor-round-{round_}-finished")
                teacher.get_by_role("button", name=re.compile(f"Close round {round_}")).click()
                teacher.get_by_text(f"Outcomes of round {round_}").wait_for(timeout=WAIT)
                pages["Ben"].get_by_text(f"What happened in round {round_}").wait_for(
                    timeout=WAIT)
            shot(pages["Ben"], "turns-6-phone-after-round-2")
            teacher.get_by_text("All 2 rounds have been played").wait_for(timeout=WAIT)
            teacher.get_by_text("Learning curves").wait_for(timeout=WAIT)
            shot(teacher, "turns-7-instructor-debrief-and-curves")
        finally:
            browser.close()
