"""What the browser tests share: Chromium, its flags, and a dashboard server on a free port.

Needs the ``playwright`` Python package and Debian's ``chromium`` at
``/usr/bin/chromium`` (Playwright's own browser download is not used). The server
itself is :mod:`tests.e2e.server`, which the browser benchmark uses too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest

from tests.e2e.server import ARGS, CHROMIUM, ServerError, free_port, serve
from tests.paths import ROOT

__all__ = ["ARGS", "CHROMIUM", "MARKS", "OUTPUT", "board_code", "dashboard", "free_port"]

OUTPUT = ROOT / "test-output" / "e2e"

#: Marks for a module of browser tests: e2e, and skipped without Chromium.
MARKS = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} "
                       "(apt-get install chromium)"),
]


def board_code(page: Any, timeout: float = 60_000) -> str:
    """The join code on the instructor's board, once the board shows one.

    The board's code is a ``div`` labelled "Join code"; the recovery form's text box
    carries that label too, and a busy page may still be drawing the board, so the
    code is read only once the board's element holds six code characters.
    """
    from playwright.sync_api import expect

    board = page.locator("div[aria-label='Join code']")
    expect(board).to_have_text(re.compile(r"^\s*[A-Z2-9]{6}\s*$"), timeout=timeout)
    return str(board.inner_text()).strip()


@contextmanager
def dashboard(env: Mapping[str, str] | None = None, timeout: float = 90.0) -> Iterator[str]:
    """Serve ``app.py`` on a free loopback port until the block ends; yields its URL.

    A server that does not start fails the test with the tail of its output.
    """
    with ExitStack() as stack:
        try:
            url = stack.enter_context(serve(ROOT, env, timeout))
        except ServerError as exc:
            pytest.fail(str(exc))
        yield url
