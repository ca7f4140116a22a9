"""Every dashboard tab renders the hawk-dove International Interaction Game.

With the 2022 scenario's teaching values (p = 0.65, Russia's cost 0.15, the
United States' 0.10, f = 0.3, h = 0) the United States would capitulate if
Russia struck first, so a hawkish Russia (prior pi = 0.5) strikes and a
dovish one negotiates: regime coercion. With pi = 0 Russia is surely a dove
and the sides negotiate.
"""

from __future__ import annotations

import re

import pytest

from tests.dashboard.conftest import problems, summary
from views.app_main import TABS

ANALYSIS = "iig_hawks_doves"


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders(open_app, tab: str) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab=tab, analysis=ANALYSIS)
    assert problems(at) == [], tab
    assert "regime: **one side capitulates without war, for some types**" in summary(at)


def test_equilibrium_tab_speaks_of_the_actors_and_follows_the_prior(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Equilibrium", analysis=ANALYSIS)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["P(war)"] == "0.00"
    words = re.sub(r"\\(.)", r"\1", " ".join(str(m.value) for m in at.markdown))
    assert "Regime:** one side capitulates without war, for some types" in words
    assert "A hawkish Russia strikes first" in words
    assert "Side A" not in words and "Side B" not in words
    at.slider(key="sp.pi").set_value(0.0).run()
    assert problems(at) == []
    assert "regime: **both sides negotiate, whatever their types**" in summary(at)
