"""Complete-information threat game (models.md §2b) against closed forms and the SPE engine."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.models import get_model
from sim.solvers.spe import spe_solve
from tests.models.test_threat_game_incomplete_info import assert_batch_agrees, golden

MODEL = get_model("threat_game_complete_info")
CASE = {"q": 0.3, "x": 0.6, "p": 0.55, "c_A": 0.1, "c_B": 0.2, "a_A": 0.05}
#: models.md §0 tie rules at the tree's information sets.
TIES = {"threatener": "Status quo", "target": "Concede", "threatener after resistance": "Back down"}


def test_credible_threat_conceded() -> None:
    out = MODEL.solve(CASE)
    assert out.outcome == "Concession" and out.regime == "concession"
    assert out.payoffs == pytest.approx({"Challenger": 0.6, "Target": 0.4})
    assert out.details["credible"] and out.details["target_concedes_if_challenged"]
    assert out.details["x_star"] == pytest.approx(0.75)
    assert out.p_war == 0.0


def test_audience_cost_ties_hands() -> None:
    base = {**CASE, "c_A": 0.4}
    low = MODEL.solve({**base, "a_A": 0.05})  # p - c_A = 0.15 < q - a = 0.25
    high = MODEL.solve({**base, "a_A": 0.2})  # 0.15 > 0.10
    assert not low.details["credible"] and low.outcome == "Status quo"
    assert high.details["credible"] and high.outcome == "Concession"
    assert "tie Challenger's hands" in low.explanation


def test_2022_default_maximal_demand_means_war() -> None:
    out = MODEL.solve()
    assert out.outcome == "War" and out.p_war == 1.0
    assert out.payoffs == pytest.approx({"Challenger": 0.5, "Target": 0.25})
    assert not out.details["demand_inside_range"]
    assert "exceeds that by 0.15" in out.explanation
    optimal = MODEL.solve({"x": out.details["x_star"]})
    assert optimal.outcome == "Concession"


def test_tie_rules_at_boundaries() -> None:
    # Target is indifferent at x = p + c_B and concedes; Challenger indifferent to war backs down.
    at = MODEL.solve({**CASE, "x": 0.75})
    assert at.outcome == "Concession" and at.flags.boundary
    tie = MODEL.solve({**CASE, "c_A": 0.3})  # p - c_A = 0.25 = q - a_A
    assert not tie.details["credible"] and tie.flags.boundary


@pytest.mark.parametrize("entry", golden("threat_game_complete_info"), ids=lambda e: e["id"])
def test_matches_pygambit_golden(entry: dict[str, Any]) -> None:
    out = MODEL.solve(entry["params"])
    d = out.details
    beh = entry["behaviour"]
    assert beh["threatener"]["Demand"] == pytest.approx(float(d["challenger_demands"]), abs=1e-6)
    assert beh["target"]["Concede"] == pytest.approx(
        float(d["target_concedes_if_challenged"]), abs=1e-6)
    assert beh["threatener after resistance"]["Execute"] == pytest.approx(
        float(d["credible"]), abs=1e-6)


def test_engine_spe_agrees_with_closed_form() -> None:
    rng = np.random.default_rng(3)
    for _ in range(300):
        params = {"q": rng.uniform(0, 1), "x": rng.uniform(0, 1), "p": rng.uniform(0, 1),
                  "c_A": rng.uniform(0, 0.6), "c_B": rng.uniform(0, 0.6),
                  "a_A": rng.uniform(0, 0.5), "b_B": rng.choice([0.0, 0.1])}
        out = MODEL.solve(params)
        res = spe_solve(MODEL.game(params), preferred_on_tie=TIES)
        eq = res.equilibria[0]
        assert eq.payoffs[0] == pytest.approx(out.payoffs["Challenger"], abs=1e-12)
        assert eq.payoffs[1] == pytest.approx(out.payoffs["Target"], abs=1e-12)
        assert eq.behavior["threatener"]["Demand"] == float(out.details["challenger_demands"])
        concedes = out.details["target_concedes_if_challenged"]
        assert eq.behavior["target"]["Concede"] == float(concedes)
        assert eq.behavior["threatener after resistance"]["Execute"] == float(
            out.details["credible"])


@settings(max_examples=200, deadline=None)
@given(p=st.floats(0, 1), c_A=st.floats(0, 1), c_B=st.floats(0, 1), a=st.floats(0, 0.5))
def test_optimal_demand_never_leads_to_war(p: float, c_A: float, c_B: float, a: float) -> None:
    x_star = MODEL.solve({"p": p, "c_A": c_A, "c_B": c_B, "a_A": a}).details["x_star"]
    assert MODEL.solve({"p": p, "c_A": c_A, "c_B": c_B, "a_A": a, "x": x_star}).p_war == 0.0


@settings(max_examples=200, deadline=None)
@given(x=st.floats(0, 1), p=st.floats(0, 1), c_B=st.floats(0, 0.5))
def test_war_iff_credible_demand_above_p_plus_c_B(x: float, p: float, c_B: float) -> None:
    out = MODEL.solve({"q": 0.1, "x": x, "p": p, "c_A": 0.0, "c_B": c_B, "a_A": 0.2})
    # Credible (p + 0.1 > 0); war iff x > p + c_B and war beats q.
    expected = x > p + c_B and p > 0.1
    assert (out.p_war == 1.0) == expected or out.flags.boundary


def test_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(5)
    n = 500
    arrays = {"q": rng.uniform(0, 1, n), "x": rng.uniform(0, 1, n), "p": rng.uniform(0, 1, n),
              "c_A": rng.uniform(0, 1, n), "c_B": rng.uniform(0, 1, n),
              "a_A": rng.uniform(0, 0.5, n), "b_B": rng.choice([0.0, 0.1], n)}
    assert_batch_agrees(MODEL, arrays)


@pytest.mark.parametrize("name", ["fearon_bargaining_range", "threat_game_complete_info",
                                  "threat_game_incomplete_info", "sanctions_complete_info",
                                  "sanctions_severity_window", "sanctions_incomplete_info"])
def test_game_exports_to_efg_and_back(name: str) -> None:
    from sim.games.efg import format_efg, parse_efg

    game = get_model(name).game()
    back = parse_efg(format_efg(game))
    assert back.players == game.players
    assert sorted(back.infosets) == sorted(game.infosets)
    got = np.array(sorted(tuple(map(float, t.payoffs)) for _, t in back.terminals()))
    want = np.array(sorted(tuple(map(float, t.payoffs)) for _, t in game.terminals()))
    assert np.allclose(got, want, atol=1e-12)


def test_optimal_demand_is_conceded_where_the_stated_one_is_resisted() -> None:
    stated = MODEL.solve()
    optimal = MODEL.solve(demand_rule=1)
    assert stated.outcome == "War" and "comes from the demand" in stated.explanation
    assert optimal.outcome == "Concession" and optimal.p_war == 0.0
    assert optimal.details["demand_made"] == pytest.approx(0.75)
    assert optimal.details["demand_gap"] == pytest.approx(0.15)
    assert optimal.payoffs["Challenger"] == pytest.approx(0.75)
    assert "lies 0.15 above it" in optimal.explanation
    assert not optimal.flags.boundary


def test_optimism_gives_war_despite_an_optimal_demand() -> None:
    out = MODEL.solve(demand_rule=1, o_A=0.2)
    # Challenger believes p = 0.85 and demands 0.95; Target concedes at most 0.75.
    assert out.details["demand_made"] == pytest.approx(0.95)
    assert out.outcome == "War" and out.p_war == 1.0
    assert "despite a demand that was optimal" in out.explanation
    batch = MODEL.solve_batch({"demand_rule": [0, 1, 1], "o_A": [0.2, 0.0, 0.2]})
    assert list(batch.p_war) == [1.0, 0.0, 1.0]
