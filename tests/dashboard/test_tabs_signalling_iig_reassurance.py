"""Every dashboard tab renders the costly-signalling and reassurance models.

The scenario is uploaded (``tests/data/good/signalling_reassurance.yaml``), so
the test goes through the same loading path as a user's file. With its values
the build-up (m = 0.5 against m_sep = 0.375) separates (with a continuum of
resolve, challengers above v* = s_A m = 0.4 build up), and halting enlargement
(cost 0.5, between a greedy alliance's gain 0.4 and a defensive one's 1.0)
reassures; the preset's smaller build-up (m = 0.2) does not separate.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import APP, problems, regime_line, summary
from tests.paths import ROOT
from views.app_main import TABS, UPLOAD, UPLOAD_STORE


def unescape(markdown: str) -> str:
    """The words a Markdown source shows, its backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)

SCENARIO = ROOT / "tests" / "data" / "good" / "signalling_reassurance.yaml"

EXPECTED = {"build_up": "Eastland builds up only if resolved",
            "build_up_continuum": "Eastland builds up only if it values the stakes enough",
            "reassurance": "Westland reassures when cooperative, and Eastland trusts it"}


def uploaded(analysis: str, tab: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["scenario"] = UPLOAD
    at.session_state[UPLOAD_STORE] = (SCENARIO.name, SCENARIO.read_bytes())
    at.query_params["tab"] = tab
    at.run()
    return at.selectbox(key="analysis").set_value(analysis).run()


@pytest.mark.parametrize("analysis", sorted(EXPECTED))
@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders(analysis: str, tab: str) -> None:
    at = uploaded(analysis, tab)
    assert problems(at) == [], (analysis, tab)
    assert f"regime: **{EXPECTED[analysis]}**" in unescape(summary(at))


def test_equilibrium_tab_shows_the_regime_and_the_actor_names() -> None:
    at = uploaded("build_up", "Equilibrium")
    metrics = {m.label: m.value for m in at.metric}
    assert regime_line(at) == EXPECTED["build_up"]
    assert metrics["P(war)"] == "0.00"
    page = unescape(" ".join(str(m.value) for m in at.markdown))
    assert "m_sep = 0.375" in page or any("m_sep = 0.375" in str(c.value) for c in at.caption)


def test_moving_the_build_up_below_the_threshold_flips_the_regime() -> None:
    at = uploaded("build_up", "Equilibrium")
    at.slider(key="sp.m").set_value(0.2).run()
    assert problems(at) == []
    assert ("regime: **Eastland sometimes bluffs with a build-up when irresolute**"
            in unescape(summary(at)))


def test_a_costlier_gesture_than_cooperation_is_worth_gives_the_spiral() -> None:
    at = uploaded("reassurance", "Equilibrium")
    at.slider(key="sp.r_halt").set_value(1.5).run()
    assert problems(at) == []
    assert "regime: **mistrust spirals into conflict**" in unescape(summary(at))


def test_regime_map_draws_the_new_regimes() -> None:
    import json

    at = uploaded("reassurance", "Regime map")
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["title"]["text"].startswith("Regime over ")
    names = {str(trace.get("name", "")) for trace in fig["data"]}
    text = json.dumps(fig["data"])
    assert "mistrust spirals into conflict" in text or "spiral" in " ".join(names)


def test_compare_table_lists_both_models() -> None:
    at = uploaded("build_up", "Compare")
    from sim.models.registry import get_model

    table = next(d.value for d in at.dataframe if "Reading" in d.value.columns)
    rows = table.set_index("Analysis")
    build_up, continuum, reassurance = (get_model(m).title for m in (
        "mobilisation_signalling", "mobilisation_signalling_continuous", "reassurance_game"))
    assert rows.loc[build_up, "Regime"] == EXPECTED["build_up"]
    assert rows.loc[build_up, "P(war)"] == 0.0
    assert rows.loc[reassurance, "Regime"] == EXPECTED["reassurance"]
    assert rows.loc[reassurance, "P(war)"] == pytest.approx(0.6)
    assert rows.loc[continuum, "Regime"] == EXPECTED["build_up_continuum"]


def test_sweep_runs_over_the_build_up() -> None:
    from views.sweep_tab import RESULT_KEY

    at = uploaded("build_up", "Sweep")
    at.number_input(key="sweep_n").set_value(200)
    at.number_input(key="sweep_seed").set_value(3)
    next(b for b in at.button if b.label == "Run sweep").click().run()
    assert problems(at) == []
    frame = at.session_state[RESULT_KEY]["frame"]
    assert len(frame) == 200
    assert set(frame["regime"]) <= {
        "separating", "semi_separating", "build_up_to_fight",
        "pooling_on_build_up_target_concedes",
        "pooling_on_build_up_target_resists", "no_build_up_target_concedes",
        "no_build_up_target_resists", "other_signalling"}
    assert frame["p_war"].between(0, 1).all()


def test_qre_tab_says_it_does_not_apply() -> None:
    at = uploaded("reassurance", "QRE")
    assert [i.value for i in at.info] == ["This scenario has no quantal-response analysis."]
