"""International Interaction Game under complete information (models.md §5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.games.extensive_form import Decision, ExtensiveFormGame, Terminal
from sim.kernels.iig import OUTCOMES, bdml_assumptions_hold, iig_spe, utility_matrix
from sim.models import ModelError, get_model
from sim.solvers import spe

MODEL = get_model("iig_complete_info")
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "iig_golden.json"

# Case M5-iig-negotiation.
NEG_A = [0.0, -0.4, 0.6, 0.3, -0.6, 0.5, -0.2, -0.5]
NEG_B = [0.25, 0.6, -0.4, 0.2, 0.5, -0.6, -0.5, -0.3]
# Utilities of M9-aqre-iig-war-case (the complete-information war case).
WAR_A = [0.0, -0.4, 0.6, 0.3, -0.3, 0.5, -0.1, -0.5]
WAR_B = [0.0, 0.6, -0.6, 0.2, 0.5, -0.6, -0.4, -0.3]


def _u(a: list[float], b: list[float]) -> dict[str, Any]:
    return {"U_A": a, "U_B": b}


def test_negotiation_case_full_profile() -> None:
    out = MODEL.solve(_u(NEG_A, NEG_B))
    assert out.details["outcome_code"] == "NEG"
    assert out.outcome == "Negotiation"
    assert out.regime == "negotiation"
    assert out.payoffs == {"Side A": 0.3, "Side B": 0.2}
    assert out.details["equilibrium_path"] == ["n1:D", "n3:D", "n5:nF", "n9:nF"]
    esc = {f"n{k}" for k in (1, 3, 4, 8, 10, 11, 12)}
    assert out.details["choice_at_every_node"] == {
        f"n{k}": ("escalate" if f"n{k}" in esc else "not") for k in range(1, 13)
    }
    assert out.strategies["n5"] == {"F": 0.0, "nF": 1.0}
    assert out.p_war == 0.0
    assert out.flags.boundary is False and out.flags.assumption_violated is False


def test_war_case_is_started_by_the_crisis_first_mover() -> None:
    out = MODEL.solve(_u(WAR_A, WAR_B))
    assert out.details["outcome_code"] == "WAR_A"
    assert out.details["equilibrium_path"] == ["n1:D", "n3:D", "n5:F", "n10:F"]
    assert out.p_war == 1.0
    assert out.payoffs == {"Side A": -0.1, "Side B": -0.4}
    assert "fear of exploitation" in out.explanation


def test_status_quo_and_acquiescence() -> None:
    # Neither side gains by demanding: SQ is best for both.
    sq_a = [0.9, -0.4, 0.6, 0.3, -0.6, 0.5, -0.2, -0.5]
    sq_b = [0.9, 0.6, -0.4, 0.2, 0.5, -0.6, -0.5, -0.3]
    out = MODEL.solve(_u(sq_a, sq_b))
    assert out.details["outcome_code"] == "SQ"
    assert out.details["equilibrium_path"] == ["n1:nD", "n2:nD"]
    # B prefers giving in to negotiating.
    acq_b = list(NEG_B)
    acq_b[2] = 0.25  # U_B(ACQ_B) > U_B(NEG) = 0.2
    out = MODEL.solve(_u(NEG_A, acq_b))
    assert out.details["outcome_code"] == "ACQ_B"
    assert out.details["equilibrium_path"] == ["n1:D", "n3:nD"]


def test_tie_rule_does_not_escalate_and_flags() -> None:
    u_a = list(NEG_A)
    u_a[OUTCOMES.index("WAR_A")] = 0.3  # equal to U_A(NEG)
    out = MODEL.solve(_u(u_a, NEG_B))
    # At n5 Side A compares WAR_A (0.3, B retaliates) with NEG (0.3): tie → no force.
    assert out.details["choice_at_every_node"]["n5"] == "not"
    assert out.details["outcome_code"] == "NEG"
    assert out.flags.boundary and out.flags.multiple_equilibria
    assert out.flags.assumption_violated  # NEG is no longer strictly preferred to WAR_A


def test_generator_defaults() -> None:
    out = MODEL.solve()
    u = out.details["utilities"]
    assert out.details["utilities_source"] == "generator"
    assert u["Side A"]["NEG"] == pytest.approx(0.65)
    assert u["Side A"]["WAR_B"] == pytest.approx(0.65 - 0.15 - 0.05)
    assert u["Side B"]["WAR_A"] == pytest.approx(0.35 - 0.10 - 0.05)
    assert u["Side A"]["CAP_A"] == pytest.approx(-0.1)
    assert out.details["outcome_code"] == "NEG"
    # A first-strike advantage and a weak Side A give war under complete information.
    war = MODEL.solve(q=0.03, x=0.92, y=0.63, p=0.13, c_A=0.08, c_B=0.08, f=0.4, h=0.2)
    assert war.details["equilibrium_path"] == ["n1:D", "n3:D", "n5:F", "n10:F"]
    assert war.p_war == 1.0
    assert war.payoffs == pytest.approx({"Side A": 0.05, "Side B": 0.39})
    # Without the first-strike advantage the same crisis ends without war.
    assert MODEL.solve(q=0.03, x=0.92, y=0.63, p=0.13, c_A=0.08, c_B=0.08, f=0.0,
                       h=0.2).p_war == 0.0


def test_constraints() -> None:
    with pytest.raises(ModelError, match="U_A, U_B"):
        MODEL.solve(U_A=NEG_A)
    with pytest.raises(ModelError, match="U_B: expected 8"):
        MODEL.solve(U_A=NEG_A, U_B=NEG_B[:7])
    with pytest.raises(ModelError, match="U_A"):
        MODEL.solve(U_A=[20.0] * 8, U_B=NEG_B)


def test_explanation_names_path_and_closest_call() -> None:
    text = MODEL.solve(_u(NEG_A, NEG_B)).explanation
    assert "At n9 Side B refrains from force" in text
    assert "closest call on the path is at n1" in text and "0.30" in text


# -- properties ---------------------------------------------------------------
utility = st.lists(st.integers(-10, 10).map(lambda v: v / 10), min_size=8, max_size=8)


def _reference_spe(game: ExtensiveFormGame) -> tuple[dict[str, bool], str]:
    """Plain recursive backward induction over the tree (independent of the kernel)."""
    choice: dict[str, bool] = {}

    def solve(node: Any) -> Terminal:
        if isinstance(node, Terminal):
            return node
        assert isinstance(node, Decision)
        (_, up), (_, down) = node.actions
        t_up, t_down = solve(up), solve(down)
        esc = t_up.payoffs[node.player] > t_down.payoffs[node.player]
        choice[node.label] = bool(esc)
        return t_up if esc else t_down

    return choice, solve(game.root).label


@settings(max_examples=150, deadline=None)
@given(utility, utility)
def test_kernel_matches_recursive_backward_induction(u_a: list[float], u_b: list[float]) -> None:
    out = MODEL.solve(_u(u_a, u_b))
    choice, outcome = _reference_spe(MODEL.game(_u(u_a, u_b)))
    assert out.details["outcome_code"] == outcome
    assert out.details["choice_at_every_node"] == {
        k: ("escalate" if v else "not") for k, v in choice.items()
    }


@settings(max_examples=200, deadline=None)
@given(utility, utility)
def test_war_conditions_of_models_md(u_a: list[float], u_b: list[float]) -> None:
    """Under BdM-L assumptions WAR_A needs conditions 1–3 and the A-first crisis."""
    u = utility_matrix(np.array(u_a), np.array(u_b))
    if not bdml_assumptions_hold(u)[0]:
        return
    sol = iig_spe(u)
    code = OUTCOMES[int(sol.outcome[0])]
    a = dict(zip(OUTCOMES, u_a, strict=True))
    b = dict(zip(OUTCOMES, u_b, strict=True))
    cond_a = (a["WAR_A"] > a["CAP_A"] >= a["WAR_B"] and b["CAP_A"] > b["NEG"]
              and b["WAR_A"] > b["CAP_B"])
    cond_b = (b["WAR_B"] > b["CAP_B"] >= b["WAR_A"] and a["CAP_B"] > a["NEG"]
              and a["WAR_B"] > a["CAP_A"])
    if code == "WAR_A":
        assert cond_a and sol.reached[0, 4]
    if code == "WAR_B":
        assert cond_b and sol.reached[0, 5]
    if sol.reached[0, 4] and cond_a:
        assert code == "WAR_A"
    if sol.reached[0, 5] and cond_b:
        assert code == "WAR_B"


def test_solve_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(5)
    n = 200
    draws = {name: rng.uniform(MODEL.param(name).lo, MODEL.param(name).hi, n)
             for name in ("q", "x", "y", "p", "c_A", "c_B", "f", "h")}
    batch = MODEL.solve_batch(draws)
    for k in range(n):
        out = MODEL.solve({name: float(v[k]) for name, v in draws.items()})
        assert batch.regimes[batch.regime[k]] == out.regime
        assert batch.p_war[k] == out.p_war
        for pl in MODEL.players:
            assert batch.payoffs[pl][k] == out.payoffs[pl]
        assert batch.boundary[k] == out.flags.boundary
        assert batch.assumption_violated[k] == out.flags.assumption_violated
    explicit = MODEL.solve_batch({"U_A": WAR_A, "U_B": WAR_B, "p": [0.1, 0.9]})
    assert list(explicit.regime_labels()) == ["war_side_a_first"] * 2


def test_game_is_the_twelve_node_tree() -> None:
    g = MODEL.game(_u(NEG_A, NEG_B))
    assert g.players == ("Side A", "Side B")
    decisions = [n for _, n in g.nodes() if isinstance(n, Decision)]
    assert sorted(d.label for d in decisions) == sorted(f"n{k}" for k in range(1, 13))
    assert sum(1 for _ in g.terminals()) == 13


def test_golden_pygambit_spe_profiles() -> None:
    """Choices at every node agree with pygambit's logit_solve limit (stored)."""
    data = json.loads(GOLDEN.read_text())
    for entry in data["spe"]:
        out = MODEL.solve(_u(entry["U_A"], entry["U_B"]))
        assert out.details["choice_at_every_node"] == {
            k: ("escalate" if v else "not") for k, v in entry["escalate"].items()
        }
    assert len(data["spe"]) == 40


def _not_escalating(key: str, tied: Any) -> str:
    """models.md §0: on a tie the escalatory (first) action is not taken."""
    return [a for a in tied if a.startswith("n")][0]


@settings(max_examples=100, deadline=None)
@given(utility, utility)
def test_generic_engine_spe_agrees(u_a: list[float], u_b: list[float]) -> None:
    out = MODEL.solve(_u(u_a, u_b))
    result = spe.spe_solve(MODEL.game(_u(u_a, u_b)), preferred_on_tie=_not_escalating)
    eq = result.equilibria[0]
    assert {k: ("escalate" if probs[next(iter(probs))] == 1 else "not")
            for k, probs in eq.behavior.items()} == out.details["choice_at_every_node"]
    assert tuple(float(v) for v in eq.payoffs) == (out.payoffs["Side A"], out.payoffs["Side B"])
    assert list(result.paths[0]) == out.details["equilibrium_path"]
    assert result.boundary == out.flags.boundary


def test_war_conditions_on_many_random_draws() -> None:
    """models.md §5 on 200,000 seeded draws: WAR_A iff conditions 1-3 and the A-first crisis."""
    rng = np.random.default_rng(400_000)
    u = rng.uniform(-1, 1, size=(200_000, 2, 8))
    neg, war = OUTCOMES.index("NEG"), [OUTCOMES.index("WAR_A"), OUTCOMES.index("WAR_B")]
    # Impose the BdM-L assumptions: NEG above both wars, ACQ above CAP.
    u[:, :, neg] = np.maximum(u[:, :, neg], u[:, :, war].max(axis=2) + 0.01)
    for i, (acq, cap) in enumerate((("ACQ_A", "CAP_A"), ("ACQ_B", "CAP_B"))):
        k_acq, k_cap = OUTCOMES.index(acq), OUTCOMES.index(cap)
        u[:, i, k_acq] = np.maximum(u[:, i, k_acq], u[:, i, k_cap] + 0.01)
    assert bdml_assumptions_hold(u).all()
    sol = iig_spe(u)
    a = {o: u[:, 0, k] for k, o in enumerate(OUTCOMES)}
    b = {o: u[:, 1, k] for k, o in enumerate(OUTCOMES)}
    cond_a = ((a["WAR_A"] > a["CAP_A"]) & (a["CAP_A"] >= a["WAR_B"]) & (b["CAP_A"] > b["NEG"])
              & (b["WAR_A"] > b["CAP_B"]))
    cond_b = ((b["WAR_B"] > b["CAP_B"]) & (b["CAP_B"] >= b["WAR_A"]) & (a["CAP_B"] > a["NEG"])
              & (a["WAR_B"] > a["CAP_A"]))
    war_a = sol.outcome == OUTCOMES.index("WAR_A")
    war_b = sol.outcome == OUTCOMES.index("WAR_B")
    assert np.array_equal(war_a, cond_a & sol.reached[:, 4])
    assert np.array_equal(war_b, cond_b & sol.reached[:, 5])
    assert war_a.sum() > 50 and war_b.sum() > 50
