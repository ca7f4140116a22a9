"""The International Interaction Game with hawks and doves (Bueno de Mesquita & Lalman 1992).

Hand derivations (defaults p 0.35, c_A 0.15, c_B 0.1, f 0.3, h 0, k 0.8, both
priors 0.5): Side A capitulates if attacked, Side B retaliates; a hawkish
Side B exploits a passive Side A, a dovish one does not; a hawkish Side A
strikes first iff 0.2 > 0.35 (1 - pi_B), i.e. pi_B > 3/7. The worked cases
are in ``tests/cases/iig_incomplete_info.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels import iig_incomplete as ii
from sim.kernels.iig import OUTCOME_LABELS, OUTCOMES, generated_utilities
from sim.models import get_model
from sim.solvers.sequential import check_sequential_rationality

MODEL = get_model("iig_incomplete_info")
COMPLETE = get_model("iig_complete_info")
ARGS = ("q", "x", "y", "p", "c_A", "c_B", "f", "h", "pi_A", "pi_B", "k_A", "k_B")
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "iig_incomplete_golden.json"


def interesting_points(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Random points spread over every regime: first-strike advantages and humiliation vary."""
    return {"q": rng.uniform(0, 1, n), "x": rng.uniform(0, 1, n), "y": rng.uniform(0, 1, n),
            "p": rng.uniform(0.05, 0.95, n), "c_A": rng.uniform(0.01, 0.3, n),
            "c_B": rng.uniform(0.01, 0.3, n), "f": rng.uniform(0, 0.7, n),
            "h": rng.uniform(0, 0.3, n), "pi_A": rng.uniform(0, 1, n),
            "pi_B": rng.uniform(0, 1, n), "k_A": rng.uniform(0, 1.5, n),
            "k_B": rng.uniform(0, 1.5, n)}


def war_prone_points(rng: np.random.Generator, n: int) -> list[dict[str, float]]:
    """Points near the two worked wars: one side capitulates if attacked, the other may be
    a hawk that exploits it, and the priors and dove costs vary."""
    out = []
    for i in range(n):
        base = ({} if i % 2 == 0 else {"p": 0.65, "q": 0.8, "x": 0.15})
        key = "pi_B" if i % 2 == 0 else "pi_A"
        base.update({key: float(rng.uniform(0.2, 1.0)),
                     ("pi_A" if key == "pi_B" else "pi_B"): float(rng.uniform(0, 1)),
                     "k_A": float(rng.uniform(0.4, 1.5)), "k_B": float(rng.uniform(0.4, 1.5)),
                     "f": float(rng.uniform(0.25, 0.35))})
        out.append({**MODEL.defaults(), **base})
    return out


def _point(pts: dict[str, np.ndarray], i: int) -> dict[str, float]:
    return {k: float(v[i]) for k, v in pts.items()}


# -- the model's own behaviour --------------------------------------------------------

def test_defaults_strategies_beliefs_and_words() -> None:
    out = MODEL.solve()
    s = out.strategies
    assert s["n5, Side A hawk"]["F"] == 1.0 and s["n5, Side A dove"]["F"] == 0.0
    assert s["n9, Side B hawk"]["F"] == 1.0 and s["n9, Side B dove"]["F"] == 0.0
    assert s["n12, Side A hawk"]["F"] == 0.0  # Side A capitulates when attacked
    assert s["n10, Side B dove"]["F"] == 1.0  # Side B retaliates
    # Only a dovish Side A refrains at n5, so Side B then knows it faces a dove.
    assert out.beliefs["P(Side A hawk | it refrains at n5)"] == 0.0
    assert out.details["crisis_n5"]["p_exploited_if_waiting"] == 0.5
    assert out.details["fear_threshold_a_hawk"] == pytest.approx(3 / 7, abs=1e-15)
    assert "above its fear threshold 0.43" in out.explanation
    assert "a hawkish Side B would use force if Side A held back" in out.explanation
    assert "snake" not in out.explanation and "_" not in out.explanation


def test_the_explanation_names_the_binding_condition_below_the_threshold() -> None:
    out = MODEL.solve(pi_B=0.4)
    assert out.regime == "coercion"
    assert "at or below its fear threshold 0.43" in out.explanation
    assert "A hawkish Side A refrains from force" in out.explanation


def test_fear_threshold_is_where_the_hawk_starts_to_strike() -> None:
    below = MODEL.solve(pi_B=3 / 7 - 1e-6)
    above = MODEL.solve(pi_B=3 / 7 + 1e-6)
    assert below.p_war == 0.0 and above.p_war == pytest.approx(0.5)
    assert below.regime == "coercion" and above.regime == "war_side_a_first"


def test_assumption_flag_and_note() -> None:
    # k_A = 0.3: a "dovish" Side A still prefers Side B's capitulation (0.7) to NEG (0.35).
    out = MODEL.solve(k_A=0.3)
    assert out.flags.assumption_violated and "Note:" in out.explanation
    assert not MODEL.solve().flags.assumption_violated


def test_known_types_reduce_to_the_complete_information_game() -> None:
    """With priors 0 or 1 both types are known: the outcome is the complete-information SPE."""
    rng = np.random.default_rng(5)
    pts = interesting_points(rng, 120)
    for i in range(120):
        point = _point(pts, i)
        for pa, pb in ((1.0, 1.0), (0.0, 0.0), (1.0, 0.0)):
            point.update(pi_A=pa, pi_B=pb)
            out = MODEL.solve(point)
            if out.flags.boundary:
                continue
            u = generated_utilities(*(point[k] for k in ARGS[:8]))[0]
            u = ii.type_utilities(u[None], np.array([point["k_A"]]),
                                  np.array([point["k_B"]]))[0]
            ta, tb = int(pa == 0.0), int(pb == 0.0)
            ref = COMPLETE.solve(U_A=list(u[0, ta]), U_B=list(u[1, tb]))
            assert out.outcome == ref.outcome, point
            assert out.payoffs["Side A"] == pytest.approx(ref.payoffs["Side A"], abs=1e-12)
            assert out.payoffs["Side B"] == pytest.approx(ref.payoffs["Side B"], abs=1e-12)


def test_game_tree_has_chance_over_types_and_information_sets() -> None:
    g = MODEL.game()
    assert g.players == ("Side A", "Side B")
    # Four demand nodes, and in each crisis four nodes for each type of their mover.
    assert len(g.infosets) == 4 + 2 * 4 * 2
    # Side A does not see Side B's type: its hawk's n5 set holds one node per type of B.
    assert len(g.infosets["n5, Side A hawk"].nodes) == 2
    assert len(g.infosets["n1"].nodes) == 1
    flat = g.flat()
    chance = [i for i, pl in enumerate(flat.player) if pl == -1 and flat.children[i]]
    assert len(chance) == 2
    assert sorted(float(p) for p in flat.probs[chance[0]]) == [0.25] * 4


def test_batch_agrees_with_solve_and_is_a_distribution() -> None:
    pts = interesting_points(np.random.default_rng(4), 300)
    b = MODEL.solve_batch(pts)
    assert np.allclose(b.probabilities.sum(axis=1), 1.0)
    for i in range(300):
        out = MODEL.solve(_point(pts, i))
        assert MODEL.regimes[b.regime[i]] == out.regime
        assert b.probabilities[i] == pytest.approx(
            [out.probabilities[OUTCOME_LABELS[o]] for o in OUTCOMES], abs=1e-12)
        assert b.payoffs["Side A"][i] == pytest.approx(out.payoffs["Side A"], abs=1e-12)
        assert bool(b.boundary[i]) == out.flags.boundary
        assert bool(b.assumption_violated[i]) == out.flags.assumption_violated


# -- the generic engine ---------------------------------------------------------------

def test_closed_form_is_sequentially_rational_in_the_full_tree() -> None:
    """On 300 random points the reported profile passes the engine's check at every
    information set, and the tree's expected payoffs under it are the reported ones."""
    pts = interesting_points(np.random.default_rng(8), 300)
    points = [_point(pts, i) for i in range(300)] + war_prone_points(
        np.random.default_rng(9), 60)
    seen = set()
    for point in points:
        out = MODEL.solve(point)
        game = MODEL.game(point)
        beh = MODEL.tree_behaviour(out)
        check = check_sequential_rationality(game, beh, tol=1e-9)
        assert check.rational, (point, check.failures)
        flat = game.flat()
        root = flat.node_values(beh)[0]
        assert float(root[0]) == pytest.approx(out.payoffs["Side A"], abs=1e-9)
        assert float(root[1]) == pytest.approx(out.payoffs["Side B"], abs=1e-9)
        seen.add(out.regime)
    assert set(MODEL.regimes) <= seen, set(MODEL.regimes) - seen


def test_the_engine_rejects_a_profile_that_ignores_the_fear() -> None:
    """The check can fail: a hawkish Side A that waits above its threshold is not rational."""
    out = MODEL.solve()
    beh = MODEL.tree_behaviour(out)
    beh["n5, Side A hawk"] = {"F": 0.0, "nF": 1.0}
    check = check_sequential_rationality(MODEL.game(), beh, tol=1e-9)
    assert check.failures == ("n5, Side A hawk",)


def _golden() -> list[dict[str, Any]]:
    return list(json.loads(GOLDEN.read_text())["points"])


def test_golden_covers_the_regimes() -> None:
    points = _golden()
    assert len(points) >= 10
    assert {"war_side_a_first", "war_side_b_first", "negotiation", "coercion"} <= {
        e["regime"] for e in points}


@pytest.mark.parametrize("entry", _golden() if GOLDEN.is_file() else [],
                         ids=lambda e: e["regime"])
def test_choices_agree_with_pygambit_logit_limit(entry: dict[str, Any]) -> None:
    """Stored pygambit ``logit_solve`` limits: the same action at every information set."""
    out = MODEL.solve(entry["params"])
    assert out.regime == entry["regime"]
    for key, first in entry["first_action"].items():
        action = next(iter(out.strategies[key]))
        assert out.strategies[key][action] == pytest.approx(round(first), abs=0), key
    for player, value in entry["payoffs"].items():
        assert out.payoffs[player] == pytest.approx(value, abs=1e-6)


@pytest.mark.oracle
def test_live_pygambit_agrees() -> None:
    pytest.importorskip("pygambit")
    import pygambit as gbt

    from tests.models.test_threat_trees_vs_pygambit import to_gambit

    for entry in _golden()[:3]:
        g = to_gambit(MODEL.game(entry["params"]))
        eq = gbt.nash.logit_solve(g).equilibria[0]
        out = MODEL.solve(entry["params"])
        for player in g.players:
            for iset in player.infosets:
                first = list(iset.actions)[0]
                assert float(eq[first]) == pytest.approx(
                    out.strategies[iset.label][first.label], abs=1e-3)
    pts = interesting_points(np.random.default_rng(21), 20)
    for i in range(20):
        point = _point(pts, i)
        out = MODEL.solve(point)
        g = to_gambit(MODEL.game(point))
        profile = g.mixed_behavior_profile(rational=False)
        for player in g.players:
            for iset in player.infosets:
                for action in iset.actions:
                    profile[action] = float(out.strategies[iset.label][action.label])
        assert profile.max_regret() <= 1e-9, point
        assert float(profile.payoff("Side A")) == pytest.approx(out.payoffs["Side A"], abs=1e-9)


# -- comparative statics (Bueno de Mesquita & Lalman 1992, chs. 4-5) -------------------

unit = st.floats(0.0, 1.0)
cost = st.floats(0.01, 0.3)


def _pair(point: dict[str, float], key: str, lo: float, hi: float) -> Any:
    arrays = {k: np.array([v, v]) for k, v in point.items()}
    arrays[key] = np.array([lo, hi])
    return MODEL.solve_batch(arrays)


@settings(max_examples=300, deadline=None)
@given(q=unit, x=unit, y=unit, p=st.floats(0.05, 0.95), c_A=cost, c_B=cost,
       f=st.floats(0.0, 0.7), h=st.floats(0.0, 0.3), pi_A=unit, b1=unit, b2=unit,
       k_A=st.floats(0.0, 1.5), k_B=st.floats(0.0, 1.5))
def test_fear_of_a_hawk_raises_the_first_strike_and_lowers_the_crisis_value(
        q: float, x: float, y: float, p: float, c_A: float, c_B: float, f: float, h: float,
        pi_A: float, b1: float, b2: float, k_A: float, k_B: float) -> None:
    """The more likely Side A thinks Side B is a hawk, the likelier it strikes first in the
    crisis it begins, the likelier that crisis ends in war, and the less it expects from it."""
    lo, hi = sorted((b1, b2))
    point = dict(q=q, x=x, y=y, p=p, c_A=c_A, c_B=c_B, f=f, h=h, pi_A=pi_A, pi_B=lo,
                 k_A=k_A, k_B=k_B)
    b = _pair(point, "pi_B", lo, hi)
    strike = b.details["p_first_strike_A"]
    assert strike[1] >= strike[0] - 1e-12
    r = ii.solve(*(np.array([point[k] if k != "pi_B" else v for v in (lo, hi)])
                   for k in ARGS))
    crisis = r.crisis[5]
    war = crisis.probs[:, OUTCOMES.index("WAR_A")] + crisis.probs[:, OUTCOMES.index("WAR_B")]
    assert war[1] >= war[0] - 1e-12
    assert crisis.value[1, 0] <= crisis.value[0, 0] + 1e-12


@settings(max_examples=200, deadline=None)
@given(p=st.floats(0.05, 0.95), c_A=cost, c_B=cost, f=st.floats(0.0, 0.7),
       h=st.floats(0.0, 0.3), pi_A=unit, pi_B=unit, k1=st.floats(0.0, 1.5),
       k2=st.floats(0.0, 1.5))
def test_a_costlier_use_of_force_never_makes_a_dove_strike_first(
        p: float, c_A: float, c_B: float, f: float, h: float, pi_A: float, pi_B: float,
        k1: float, k2: float) -> None:
    lo, hi = sorted((k1, k2))
    r = ii.solve(0.2, 0.9, 0.1, p, c_A, c_B, f, h, pi_A, pi_B, np.array([lo, hi]), 0.7)
    strike = r.crisis[5].force_first[1]
    assert not (strike[1] and not strike[0])
