"""Helpers for driving the dashboard under AppTest."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.paths import ROOT

APP = str(ROOT / "app.py")


def summary(at: AppTest) -> str:
    """The one-line equilibrium summary drawn above the tabs."""
    return next(m.value for m in at.markdown if "· regime:" in m.value)


def regime_line(at: AppTest) -> str:
    """The Equilibrium tab's regime, in the words the page shows."""
    line = next(m.value for m in at.markdown if m.value.startswith("**Regime:** "))
    return line[len("**Regime:** "):].replace("\\", "")


def problems(at: AppTest) -> list[str]:
    """Exceptions and error boxes on the page."""
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]


@pytest.fixture
def open_app() -> Callable[..., AppTest]:
    """``open_app(tab=..., **query)`` runs the page as a link with those query parameters."""

    def run(tab: str | None = None, **query: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        if tab is not None:
            at.query_params["tab"] = tab
        for key, value in query.items():
            at.query_params[key] = value
        return at.run()

    return run
