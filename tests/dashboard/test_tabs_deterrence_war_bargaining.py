"""Every tab renders the extended-deterrence and bargaining-while-fighting analyses.

The page is driven through its upload path with ``tests/data/good/deterrence_war_bargaining.yaml``
(Northland challenges Southland, Westland is the patron). At its values:

* ``deterrence``: x = 0.9 exceeds p + c_K = 0.75, so Southland resists even alone; the
  commitment kappa = 0.2 is below phi_C = (0.65 - 0.15 - 0.2)/(0.4 + 0.2) = 0.5, so
  Northland attacks: war, Southland alone with probability 0.8. At kappa = 0.6 Northland's
  war payoff 0.5 - 0.6 (0.6) = 0.14 is below q = 0.2: deterred.
* ``war_talks``: near the belief at which tough and generous offers tie, a battle's news
  is worth more than its cost k_A = 0.005, so Northland fights to learn; at k_A = 0.05 it
  makes its tough offer at once and a strong Southland (prior 0.5) fights to a decision.
"""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import APP, problems, regime_line, summary
from tests.paths import DATA
from views.app_main import TABS, UPLOAD, UPLOAD_STORE


def unescape(markdown: str) -> str:
    """The words a Markdown source shows, its backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)

SCENARIO = DATA / "good" / "deterrence_war_bargaining.yaml"

#: analysis id -> (regime at the file's values, P(war), slider, value, regime, P(war) after)
EXPECTED = {
    "deterrence": ("war, Westland may come in", "1.00", "kappa", 0.6,
                   "Northland is deterred by Westland", "0.00"),
    "war_talks": ("Northland fights on to learn Southland's strength", "0.12", "k_A", 0.05,
                  "Northland makes a tough offer at once", "0.50"),
}


def open_upload(analysis: str, tab: str | None = None) -> AppTest:
    """The page with the test scenario uploaded and ``analysis`` chosen."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["scenario"] = UPLOAD
    at.session_state[UPLOAD_STORE] = ("crisis.yaml", SCENARIO.read_bytes())
    if tab is not None:
        at.query_params["tab"] = tab
    at.run()
    at.selectbox(key="analysis").set_value(analysis).run()
    return at


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize("analysis", sorted(EXPECTED))
def test_tab_renders_and_follows_a_slider(tab: str, analysis: str) -> None:
    regime, war, slider, value, regime_after, war_after = EXPECTED[analysis]
    at = open_upload(analysis, tab)
    assert problems(at) == []
    assert f"regime: **{regime}**" in unescape(summary(at))
    assert f"P(war) = **{war}**" in summary(at)
    at.slider(key=f"sp.{slider}").set_value(value).run()
    assert problems(at) == []
    assert f"regime: **{regime_after}**" in unescape(summary(at))
    assert f"P(war) = **{war_after}**" in summary(at)


def test_equilibrium_tab_shows_the_patron_and_the_client_fighting_alone() -> None:
    at = open_upload("deterrence", "Equilibrium")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Most likely outcome": "Southland fights alone", "P(war)": "1.00"}
    assert regime_line(at) == "war, Westland may come in"
    text = unescape(" ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption))
    assert "fights alone with probability 0.80" in text
    assert [d.label for d in at.get("download_button")] == [
        "Download the game (deterrence.efg)"]


def test_equilibrium_tab_of_the_war_talks_offers_the_tree() -> None:
    at = open_upload("war_talks", "Equilibrium")
    assert problems(at) == []
    assert [d.label for d in at.get("download_button")] == [
        "Download the game (war_talks.efg)"]
    strategies = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert {"Fight on", "Generous offer", "Tough offer"} <= set(strategies["action"])


def test_regime_map_of_the_commitment_against_the_clients_resolve() -> None:
    at = open_upload("deterrence", "Regime map")
    at.selectbox(key="map_x.extended_deterrence").set_value("kappa").run()
    at.selectbox(key="map_y.extended_deterrence").set_value("c_K").run()
    assert problems(at) == []
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["title"]["text"].startswith("Regime over Commitment × Client's war cost")
    assert (fig["data"][1]["x"], fig["data"][1]["y"]) == ([0.2], [0.1])


def test_compare_tab_lists_both_analyses() -> None:
    at = open_upload("deterrence", "Compare")
    assert problems(at) == []
    from sim.models.registry import get_model

    table = next(d.value for d in at.dataframe if len(d.value) == 2)
    assert table["Analysis"].tolist() == [get_model(m).title for m in (
        "extended_deterrence", "bargaining_while_fighting")]


def test_qre_tab_says_these_models_have_no_precision_parameter() -> None:
    at = open_upload("war_talks", "QRE")
    assert problems(at) == []
    assert [i.value for i in at.info] == ["This scenario has no quantal-response analysis."]
