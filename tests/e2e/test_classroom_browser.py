"""A class in a real headless Chromium: an instructor page and three student pages, one of
them a phone (390×844), play two rounds of Chicken; pages update by themselves.

Screenshots go to ``test-output/e2e/classroom-*.png``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.e2e.browser import ARGS, CHROMIUM, OUTPUT, board_code, dashboard
from tests.e2e.classroom import WAIT, join, shot
from tests.paths import ROOT
from views.classroom_page import GAME_NAMES

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api")



@pytest.fixture(scope="module")
def class_db(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('class') / 'class.db'}"


@pytest.fixture(scope="module")
def class_server(class_db: str) -> Iterator[str]:
    with dashboard({"COERCION_CLASSROOM_DB": class_db}) as url:
        yield url


def _join(browser, url: str, code: str, name: str, phone: bool = False):  # type: ignore[no-untyped-def]
    return join(browser, url, code, name, until="Round 1: your move", phone=phone)


def _move(page, action: str, round_: int) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text(f"Round {round_}: your move").wait_for(timeout=WAIT)
    page.locator("label").filter(has_text=re.compile(rf"^{action}$")).first.click()
    page.get_by_role("button", name="Submit my move").click()
    page.get_by_text(f"Recorded: {action}").wait_for(timeout=WAIT)


def test_a_class_plays_two_rounds_in_chromium(class_server: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    url = class_server
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            teacher = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            teacher.set_default_timeout(WAIT)
            teacher.goto(f"{url}/?mode=classroom&host=1")
            teacher.get_by_role("button", name="Create session").click()
            teacher.get_by_text("Recovery code:").wait_for(timeout=WAIT)
            code = board_code(teacher)
            assert re.fullmatch(r"[A-Z2-9]{6}", code), code
            shot(teacher, "1-instructor-new")
            teacher.get_by_role("button", name="I have written it down").click()
            ana = _join(browser, url, code, "Ana", phone=True)
            ben = _join(browser, url, code, "Ben")
            chen = _join(browser, url, code, "Chen")
            shot(ana, "2-student-phone-joined")
            assert teacher.get_by_role("radio", name="Explore").count() == 0
            _move(ana, "Firm", 1)
            _move(ben, "Swerve", 1)
            # the instructor page counts the moves by itself, without a reload
            teacher.get_by_text("2 / 3").first.wait_for(timeout=WAIT)
            teacher.get_by_text("have not moved yet: Chen").wait_for(timeout=WAIT)
            shot(teacher, "3-instructor-moves-in")
            teacher.get_by_role("button", name=re.compile("Close round 1")).click()
            teacher.get_by_text("Outcomes of round 1").wait_for(timeout=WAIT)
            teacher.get_by_text("Left out of round 1 for not moving: Chen.").wait_for(
                timeout=WAIT)
            shot(teacher, "4-instructor-round-1-closed")
            # the students' pages move on by themselves
            ana.get_by_text("What happened in round 1").wait_for(timeout=WAIT)
            told = ana.get_by_text("Round 1: you chose").inner_text()
            assert "United States chose Swerve" in told
            ana.get_by_text("Round 2: your move").wait_for(timeout=WAIT)
            shot(ana, "5-student-phone-round-1-debrief")
            _move(ana, "Swerve", 2)
            _move(ben, "Firm", 2)
            _move(chen, "Firm", 2)
            teacher.get_by_text("3 / 3").first.wait_for(timeout=WAIT)
            teacher.get_by_role("button", name=re.compile("Close round 2")).click()
            teacher.get_by_text("Outcomes of round 2").wait_for(timeout=WAIT)
            teacher.get_by_text("Debrief of the closed rounds").first.wait_for(timeout=WAIT)
            shot(teacher, "6-instructor-debrief")
            ben.get_by_text("What happened in round 2").wait_for(timeout=WAIT)
            shot(ben, "7-student-round-2")
            # a lost link: the phone opens the class page again and rejoins as Ana
            ana.goto(f"{url}/?mode=classroom&join={code}")
            ana.get_by_role("textbox", name="Your display name").fill("ana")
            ana.get_by_role("button", name="Join").click()
            ana.get_by_text("What happened in round 2").wait_for(timeout=WAIT)
            assert ana.get_by_text("You are").first.inner_text().startswith("You are Ana")
            board = teacher.context.new_page()
            board.goto(teacher.url + "&view=board")
            board.get_by_text("Scan to join").wait_for(timeout=WAIT)
            shot(board, "8-board")
        finally:
            browser.close()


def test_simulated_students_and_a_browser_play_a_round(class_server: str, class_db: str) -> None:
    """Five simulated students from the command line and one phone play a round of
    Chicken with perfect strangers; the student sees the round in their history."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    url = class_server
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            teacher = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            teacher.set_default_timeout(WAIT)
            teacher.goto(f"{url}/?mode=classroom&host=1")
            teacher.get_by_role("combobox", name="Game").click()
            teacher.get_by_role("option", name=GAME_NAMES["chicken"], exact=True).click()
            teacher.get_by_role("combobox", name="Who meets whom each round").click()
            teacher.get_by_role("option", name=re.compile("Perfect strangers")).click()
            teacher.get_by_role("button", name="Create session").click()
            teacher.get_by_text("Recovery code:").wait_for(timeout=WAIT)
            code = board_code(teacher)
            teacher.get_by_role("button", name="I have written it down").click()
            teacher.get_by_text("perfect strangers (no pair meets twice)").wait_for(
                timeout=WAIT)
            dana = _join(browser, url, code, "Dana", phone=True)
            env = dict(os.environ, COERCION_CLASSROOM_DB=class_db, PYTHONPATH=str(ROOT))
            done = subprocess.run(
                [sys.executable, "-m", "sim", "classroom", "bots", "--session", code, "--n",
                 "5", "--policy", "qre:2.0", "--once"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
            assert "5 simulated students joined" in done.stdout
            teacher.get_by_text("5 / 6").first.wait_for(timeout=WAIT)
            _move(dana, "Swerve", 1)
            teacher.get_by_text("6 / 6").first.wait_for(timeout=WAIT)
            shot(teacher, "9-instructor-bots-moved")
            page_text = teacher.locator("body").inner_text()
            for secret in ("resolved", "irresolute", "Private type"):
                assert secret not in page_text  # projector-safe before the close
            teacher.get_by_role("button", name=re.compile("Close round 1")).click()
            teacher.get_by_text("Outcomes of round 1").wait_for(timeout=WAIT)
            dana.get_by_text("Your rounds so far").wait_for(timeout=WAIT)
            dana.get_by_text("Round 2: your move").wait_for(timeout=WAIT)
            # The history table draws its cells a moment after its heading.
            sync_api.expect(dana.locator("body")).to_contain_text("a classmate", timeout=WAIT)
            shot(dana, "10-student-history")
            shot(teacher, "11-instructor-round-closed-with-bots")
        finally:
            browser.close()
