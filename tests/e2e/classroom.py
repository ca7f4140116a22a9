"""What the classroom browser tests share: a class server, screenshots, and joining.

A busy machine redraws pages while a test acts on them, so the helpers here look
again instead of failing when an element vanishes between finding and clicking it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.e2e.browser import OUTPUT, dashboard

__all__ = ["PHONE", "WAIT", "class_dashboard", "click", "join", "shot"]

WAIT = 60_000  # ms: the machine may be busy
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1100, "height": 900}


@contextmanager
def class_dashboard(db_file: Path) -> Iterator[str]:
    """A dashboard whose classroom stores its sessions in the SQLite file ``db_file``."""
    with dashboard({"COERCION_CLASSROOM_DB": f"sqlite:///{db_file}"}) as url:
        yield url


def shot(page: Any, name: str) -> None:
    """A full-page screenshot ``test-output/e2e/classroom-NAME.png``, once the page settles."""
    page.wait_for_timeout(800)
    page.screenshot(path=str(OUTPUT / f"classroom-{name}.png"), full_page=True)


def click(locator: Any, timeout: float = 10_000) -> bool:
    """Click, or report that the page redrew the element away (the caller looks again)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        locator.click(timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


def join(browser: Any, url: str, code: str, name: str, until: str,
         phone: bool = True) -> Any:
    """A new student page that joins session ``code`` as ``name`` and shows ``until``.

    The page's first rerun can redraw the form after the name was typed; joining
    again with the same name and device returns to the same seat, so the form is
    filled again while it is still showing.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport=PHONE if phone else LAPTOP, is_mobile=phone,
                                  has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(f"{url}/?mode=classroom&join={code}")
    deadline = time.monotonic() + 2 * WAIT / 1000
    while True:
        box = page.get_by_role("textbox", name="Your display name")
        try:
            if box.is_visible():
                box.fill(name, timeout=10_000)
                click(page.get_by_role("button", name="Join"))
            page.get_by_text(until).first.wait_for(timeout=WAIT / 4)
            return page
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                page.screenshot(path=str(OUTPUT / f"classroom-join-{name}.png"),
                                full_page=True)
                raise
