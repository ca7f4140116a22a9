"""Bargaining while fighting: cases, the generic engine, pygambit and comparative statics.

Hand derivations use p_hi = 0.6, p_lo = 0.3, c_A = c_B = 0.1 (the defaults):
B's reservations are y_hi = 0.5 and y_lo = 0.2, so A's generous offer is worth
G = 0.5 and its tough offer S(mu) = 0.3 mu + 0.8 (1 - mu) = 0.8 - 0.5 mu; tough beats
generous iff mu < mu_hat = 0.3/(0.3 + 0.2) = 0.6.

After one battle from pi = 0.5: B wins with probability 0.45, and then A's belief is
0.3/0.45 = 2/3 (generous, 0.5); A wins with probability 0.55, and then the belief is
0.2/0.55 = 4/11 (tough, 0.8 - 2/11 = 0.61818). Fighting is worth
-k_A + 0.45 (0.5) + 0.55 (0.61818) = 0.565 - k_A against N(0.5) = 0.55 now.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels import war_bargaining as wb
from sim.models import get_model
from sim.solvers.sequential import check_sequential_rationality

MODEL = get_model("bargaining_while_fighting")
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / \
    "deterrence_war_bargaining_oracle.json"
GEN, TOUGH, WAR = MODEL.outcomes

# (id, parameters changed from the defaults, regime, (P generous, P tough, P war),
#  (u_A, u_B), expected duration, boundary)
CASES: list[tuple[str, dict[str, float], str, tuple[float, float, float],
                  tuple[float, float], float, bool]] = [
    # T = 0: N(0.5) = max(0.5, 0.55): tough. A strong B (prob 0.5) fights to a decision.
    # u_A = 0.55; u_B = 0.5 (0.6 - 0.1) + 0.5 (0.2) = 0.35.
    ("no-battle-tough-offer", {"T": 0}, "tough_offer_at_once", (0.0, 0.5, 0.5), (0.55, 0.35),
     0.0, False),
    # T = 0, pi = 0.9: S = 0.35 < G = 0.5: generous, both accept.
    ("confident-generous-offer", {"T": 0, "pi": 0.9}, "settle_at_once", (1.0, 0.0, 0.0),
     (0.5, 0.5), 0.0, False),
    # T = 0, pi = mu_hat = 0.6: S = G = 0.5; the tough offer must be strictly better.
    ("boundary-at-mu-hat", {"T": 0, "pi": 0.6}, "settle_at_once", (1.0, 0.0, 0.0),
     (0.5, 0.5), 0.0, True),
    # T = 1, k_A = 0.005: fighting gains 0.565 - 0.005 - 0.55 = 0.01 > 0. After a B win
    # (0.45) generous; after an A win tough: the weak type (0.5 * 0.7) accepts, the strong
    # one (0.5 * 0.4) fights to a decision. u_A = 0.56; u_B = 0.45 (0.5) + 0.35 (0.2)
    # + 0.2 (0.5) - 0.005 = 0.39.
    ("one-battle-to-learn", {"T": 1}, "fight_to_learn", (0.45, 0.35, 0.2), (0.56, 0.39),
     1.0, False),
    # T = 1, k_A = 0.02: the battle's news (0.015) is worth less than its cost.
    ("costly-battle-tough-offer", {"T": 1, "k_A": 0.02}, "tough_offer_at_once",
     (0.0, 0.5, 0.5), (0.55, 0.35), 0.0, False),
    # T = 1, k_A = 0.015: the news is worth exactly its cost; A does not fight.
    ("boundary-news-worth-its-cost", {"T": 1, "k_A": 0.015}, "tough_offer_at_once",
     (0.0, 0.5, 0.5), (0.55, 0.35), 0.0, True),
    # p_hi = p_lo = 0.5: battles teach nothing and both types accept 0.4.
    ("no-uncertainty", {"p_hi": 0.5, "p_lo": 0.5, "T": 3}, "settle_at_once",
     (1.0, 0.0, 0.0), (0.6, 0.4), 0.0, False),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case_table(case: Any) -> None:
    _, changes, regime, probs, payoffs, duration, boundary = case
    out = MODEL.solve(changes)
    assert out.regime == regime
    assert [out.probabilities[o] for o in MODEL.outcomes] == pytest.approx(probs, abs=1e-12)
    assert out.p_war == pytest.approx(probs[2], abs=1e-12)
    assert (out.payoffs["Side A"], out.payoffs["Side B"]) == pytest.approx(payoffs, abs=1e-12)
    assert out.details["expected_duration"] == pytest.approx(duration, abs=1e-12)
    assert out.flags.boundary is boundary
    assert MODEL.engine_check(changes)


def test_one_battle_details() -> None:
    d = MODEL.solve(T=1).details
    assert d["mu_hat"] == pytest.approx(0.6)
    assert (d["y_generous"], d["y_tough"]) == pytest.approx((0.5, 0.2))
    assert d["fight_margin_at_start"] == pytest.approx(0.01, abs=1e-12)
    assert d["p_settled_by"] == pytest.approx([0.0, 0.8])
    assert d["p_final_offer_at"] == pytest.approx([0.0, 1.0])
    # Settlements after the battle: 0.45 on 0.5 and 0.35 on 0.2.
    assert d["terms_at"][0] is None
    assert d["terms_at"][1] == pytest.approx((0.45 * 0.5 + 0.35 * 0.2) / 0.8)
    # A's belief when it makes its offer: 2/3 after a B win, 4/11 after an A win.
    assert d["belief_at_offer_if_strong"] == pytest.approx(0.6 * 2 / 3 + 0.4 * 4 / 11)
    assert d["belief_at_offer_if_weak"] == pytest.approx(0.3 * 2 / 3 + 0.7 * 4 / 11)


def test_explanation_names_the_binding_condition() -> None:
    text = MODEL.solve().explanation
    assert "μ̂ = 0.60" in text and "k_A = 0.005" in text
    assert "battles on average" in text and "within" in text
    assert "fought to a decision with probability" in text


def test_posterior_is_bayes_rule() -> None:
    mu = wb.posterior(np.array([0.5]), np.array([0.6]), np.array([0.3]), 3, 2)
    assert mu[0] == pytest.approx(0.5 * 0.36 * 0.4 / (0.5 * 0.36 * 0.4 + 0.5 * 0.09 * 0.7))


def test_swapped_types_are_flagged_and_mirror_the_labels() -> None:
    base = {"p_hi": 0.6, "p_lo": 0.3, "pi": 0.3, "T": 4}
    out = MODEL.solve(base)
    mirrored = MODEL.solve({**base, "p_hi": 0.3, "p_lo": 0.6, "pi": 0.7})
    assert mirrored.flags.assumption_violated and not out.flags.assumption_violated
    assert [mirrored.probabilities[o] for o in MODEL.outcomes] == pytest.approx(
        [out.probabilities[o] for o in MODEL.outcomes], abs=1e-12)
    assert mirrored.payoffs == pytest.approx(out.payoffs, abs=1e-12)


def test_game_tree_shape() -> None:
    g = MODEL.game({"T": 2})
    assert g.players == ("Side A", "Side B")
    assert not g.is_perfect_information
    # A cannot tell B's types apart: each of its 7 information sets holds two nodes.
    a_sets = [s for s in g.infosets.values() if s.player == 0]
    assert len(a_sets) == 7 and all(len(s.nodes) == 2 for s in a_sets)


def _random_point(rng: np.random.Generator, t_max: int) -> dict[str, Any]:
    return {"p_hi": float(rng.uniform(0, 1)), "p_lo": float(rng.uniform(0, 1)),
            "pi": float(rng.uniform(0, 1)), "c_A": float(rng.uniform(0, 0.4)),
            "c_B": float(rng.uniform(0, 0.4)), "k_A": float(rng.choice([0.0, 0.002, 0.01,
                                                                        0.03])),
            "k_B": float(rng.uniform(0, 0.05)), "T": int(rng.integers(0, t_max + 1))}


def test_closed_form_matches_the_engine_on_random_points() -> None:
    """On each tree: the profile is sequentially rational with Bayes beliefs, and the
    tree's own values and terminal probabilities equal the closed form's."""
    rng = np.random.default_rng(2003)
    regimes = set()
    for _ in range(220):
        point = _random_point(rng, 3)
        out = MODEL.solve(point)
        regimes.add(out.regime)
        game = MODEL.game(point)
        behaviour = MODEL.behaviour(point)
        check = check_sequential_rationality(game, behaviour, tol=1e-9)
        assert check.rational, (point, check.failures)
        flat = game.flat()
        values = flat.node_values(behaviour)[0]
        assert [float(v) for v in values] == pytest.approx(
            [out.payoffs["Side A"], out.payoffs["Side B"]], abs=1e-12)
        reach = flat.reach_probs(behaviour)
        by_label = dict.fromkeys(MODEL.outcomes, 0.0)
        for i, kind in enumerate(flat.kind):
            if kind == "t":
                by_label[flat.nodes[i].label] += float(reach[i])
        assert by_label == pytest.approx(dict(out.probabilities), abs=1e-12)
    assert regimes == set(MODEL.regimes)


def test_a_deviation_from_the_closed_form_is_caught() -> None:
    """The engine check can fail: fighting where the closed form settles is not rational."""
    point = {"T": 1, "k_A": 0.05}
    behaviour = MODEL.behaviour(point)
    start = "Side A: before the first battle"
    assert behaviour[start]["Tough offer"] == 1.0
    behaviour[start] = {"Fight on": 1.0, "Generous offer": 0.0, "Tough offer": 0.0}
    assert not check_sequential_rationality(MODEL.game(point), behaviour, tol=1e-9).rational


def test_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(9)
    points = [_random_point(rng, wb.T_MAX) for _ in range(300)]
    arrays = {k: np.array([p[k] for p in points]) for k in points[0]}
    batch = MODEL.solve_batch(arrays)
    for k, point in enumerate(points):
        out = MODEL.solve(point)
        assert MODEL.regimes[batch.regime[k]] == out.regime
        assert batch.probabilities[k] == pytest.approx(
            [out.probabilities[o] for o in MODEL.outcomes], abs=1e-12)
        assert batch.details["expected_duration"][k] == pytest.approx(
            out.details["expected_duration"], abs=1e-12)
        assert bool(batch.boundary[k]) == out.flags.boundary


def _golden() -> list[dict[str, Any]]:
    return [e for e in json.loads(GOLDEN.read_text())["points"]
            if e["model"] == "bargaining_while_fighting"]


@pytest.mark.parametrize("entry", _golden(), ids=lambda e: e["id"])
def test_matches_pygambit_golden(entry: dict[str, Any]) -> None:
    """Gambit's logit-QRE limit plays as the closed form at every information set reached.

    Gambit's path stops at a finite precision, where a responder given a bonus of
    1e-4 for accepting still rejects with probability below 1e-3.
    """
    behaviour = MODEL.behaviour(entry["params"])
    assert entry["behaviour"]
    for key, probs in entry["behaviour"].items():
        for action, prob in probs.items():
            assert behaviour[key][action] == pytest.approx(prob, abs=1e-3), key


@pytest.mark.oracle
def test_matches_pygambit_live() -> None:
    pytest.importorskip("pygambit")
    from tests.data.golden.make_deterrence_war_bargaining_golden import (
        gambit_behaviour,
        war_points,
    )

    checked = 0
    for point in war_points():
        gambit, regret = gambit_behaviour(MODEL.game(point))
        if regret > 1e-6:  # Gambit's path-following stopped before converging
            continue
        behaviour = MODEL.behaviour(point)
        flat = MODEL.game(point).flat()
        reach = flat.reach_probs(behaviour)
        for i in flat.decisions:
            key = flat.infoset[i]
            if reach[i] > 1e-9 and key is not None:
                for action, prob in behaviour[key].items():
                    assert gambit[key][action] == pytest.approx(prob, abs=1e-3), key
        checked += 1
        if checked == 3:
            break
    assert checked >= 2


_cost = st.floats(0.0, 0.2)


@settings(max_examples=150, deadline=None)
@given(k1=_cost, k2=_cost, pi=st.floats(0.0, 1.0), p_hi=st.floats(0.3, 1.0),
       p_lo=st.floats(0.0, 0.7), T=st.integers(0, wb.T_MAX))
def test_costlier_battles_shorten_the_war(k1: float, k2: float, pi: float, p_hi: float,
                                           p_lo: float, T: int) -> None:
    """A higher cost of fighting shrinks the belief region where A fights on, so the war
    ends no later on any path: shorter expected duration, earlier final offers."""
    lo, hi = sorted((k1, k2))
    base = {"pi": pi, "p_hi": p_hi, "p_lo": p_lo, "T": T}
    cheap, dear = MODEL.solve(base, k_A=lo), MODEL.solve(base, k_A=hi)
    assert dear.details["expected_duration"] <= cheap.details["expected_duration"] + 1e-9
    ended_cheap = np.cumsum(cheap.details["p_final_offer_at"])
    ended_dear = np.cumsum(dear.details["p_final_offer_at"])
    assert (ended_dear >= ended_cheap - 1e-9).all()


@settings(max_examples=150, deadline=None)
@given(t1=st.integers(0, wb.T_MAX), t2=st.integers(0, wb.T_MAX), pi=st.floats(0.0, 1.0),
       k_A=_cost, p_hi=st.floats(0.3, 1.0), p_lo=st.floats(0.0, 0.7))
def test_a_longer_horizon_never_shortens_the_war_and_helps_side_a(
        t1: int, t2: int, pi: float, k_A: float, p_hi: float, p_lo: float) -> None:
    """More battles allowed: A has more options (its payoff cannot fall) and fights longer."""
    short, long_ = sorted((t1, t2))
    base = {"pi": pi, "k_A": k_A, "p_hi": p_hi, "p_lo": p_lo}
    a, b = MODEL.solve(base, T=short), MODEL.solve(base, T=long_)
    assert b.payoffs["Side A"] >= a.payoffs["Side A"] - 1e-9
    assert b.details["expected_duration"] >= a.details["expected_duration"] - 1e-9


@settings(max_examples=100, deadline=None)
@given(pi=st.floats(0.05, 0.95), p_hi=st.floats(0.5, 0.95), p_lo=st.floats(0.05, 0.45),
       T=st.integers(1, wb.T_MAX))
def test_beliefs_converge_on_the_truth_by_the_time_talks_end(
        pi: float, p_hi: float, p_lo: float, T: int) -> None:
    """Slantchev's convergence: on average, A's belief when it makes its final offer is
    higher against a strong B than against a weak one (Bayes: a martingale that splits)."""
    d = MODEL.solve(pi=pi, p_hi=p_hi, p_lo=p_lo, T=T, k_A=0.0).details
    assert d["belief_at_offer_if_strong"] >= pi - 1e-9 >= d["belief_at_offer_if_weak"] - 2e-9
