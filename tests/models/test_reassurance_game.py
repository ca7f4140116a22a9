"""Reassurance under a security dilemma (Kydd 1997; Kydd 2005, ch. 7).

Hand derivations: a trusted security seeker cooperates (u_A), a trusted
greedy side exploits (g_A), Side B gets 1, -l_B or 0 (spiral), and the
gesture costs Side A r_A. Side B trusts iff P(security seeker) >= t* =
l_B/(1 + l_B).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels import reassurance as ra
from sim.models import get_model
from sim.models.base import Outcome
from sim.models.reassurance_game import MESSAGES, TYPES
from sim.solvers.sequential import check_sequential_rationality
from tests.models.test_mobilisation_signalling import (
    engine_profiles,
    golden,
    matches_one,
    profile_key,
)

MODEL = get_model("reassurance_game")
ARGS = ("pi", "r_A", "u_A", "g_A", "l_B")

# Defaults: pi 0.4, r_A 0.5, u_A 1, g_A 0.4, l_B 1 (t* = 0.5). Each case: change,
# regime, (cooperation, exploitation, spiral), (Side A, Side B) payoffs.
CASES: list[tuple[str, dict[str, float], str, tuple[float, ...], tuple[float, float]]] = [
    # g_A = 0.4 <= r_A = 0.5 <= u_A = 1 and pi < t*: only the security seeker restrains;
    # Side A 0.4 (1 - 0.5); Side B 0.4 * 1.
    ("separates", {}, "reassurance_separates", (0.4, 0.0, 0.6), (0.2, 0.4)),
    # r_A = 0.2 < g_A: the greedy side mimics with beta = 0.4*0.5/(0.6*0.5) = 2/3; Side B
    # trusts restraint with rho = 0.2/0.4 = 0.5. Cooperation 0.4*0.5, exploitation
    # 0.6*(2/3)*0.5; Side A 0.4 (0.5 - 0.2) + 0.6*0; Side B 0.2 - 0.2.
    ("partial", {"r_A": 0.2}, "partial_reassurance", (0.2, 0.2, 0.6), (0.12, 0.0)),
    # pi = 0.6 >= t*: Side B trusts without a gesture; Side A 0.6 + 0.4*0.4; B 0.6 - 0.4.
    ("trust", {"pi": 0.6}, "trust_without_reassurance", (0.6, 0.4, 0.0), (0.76, 0.2)),
    # u_A = 1 < g_A = 1.5: any gesture the security seeker affords, the greedy side
    # affords too; Side B arms: the spiral.
    ("spiral, greed", {"g_A": 1.5}, "spiral", (0.0, 0.0, 1.0), (0.0, 0.0)),
    # r_A = 1.5 > u_A: the gesture costs more than cooperation is worth: the spiral.
    ("spiral, cost", {"r_A": 1.5}, "spiral", (0.0, 0.0, 1.0), (0.0, 0.0)),
    # A more fearful Side B: l_B = 4 gives t* = 0.8; with pi = 0.6 trust needs a gesture.
    ("fearful", {"l_B": 4.0, "pi": 0.6}, "reassurance_separates", (0.6, 0.0, 0.4), (0.3, 0.6)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case_table(case: tuple[str, dict[str, float], str, tuple[float, ...],
                                tuple[float, float]]) -> None:
    _, change, regime, probs, pay = case
    out = MODEL.solve(change)
    assert out.regime == regime
    assert tuple(out.probabilities[o] for o in MODEL.outcomes) == pytest.approx(probs,
                                                                                abs=1e-12)
    assert out.p_war == pytest.approx(probs[2], abs=1e-12)
    assert (out.payoffs["Side A"], out.payoffs["Side B"]) == pytest.approx(pay, abs=1e-12)
    assert not out.flags.boundary and not out.flags.assumption_violated


def test_partial_reassurance_numbers_and_words() -> None:
    out = MODEL.solve(r_A=0.2)
    d = out.details
    assert d["t_star"] == 0.5
    assert d["sigma_greedy"] == pytest.approx(2 / 3, abs=1e-12)
    assert d["rho_restrain"] == pytest.approx(0.5, abs=1e-12)
    assert out.beliefs["P(security seeker | restrain)"] == pytest.approx(0.5, abs=1e-12)
    assert "ρ = r_A/g_A = 0.50" in out.explanation
    assert "t* = 0.50" in out.explanation


def test_boundaries() -> None:
    at_threshold = MODEL.solve(pi=0.5)  # Side B indifferent: it trusts (tie rule)
    assert at_threshold.flags.boundary
    assert at_threshold.regime == "trust_without_reassurance"
    at_cost = MODEL.solve(r_A=0.4)  # r_A = g_A: the greedy side indifferent
    assert at_cost.flags.boundary


def test_assumption_flag() -> None:
    out = MODEL.solve(g_A=0.0)  # a greedy side that would not exploit
    assert out.flags.assumption_violated and "Note:" in out.explanation


def test_spiral_explanation_names_the_binding_condition() -> None:
    assert "less than a greedy side values exploitation" in MODEL.solve(g_A=1.5).explanation
    assert "costs more (r_A = 1.50)" in MODEL.solve(r_A=1.5).explanation


def test_game_tree() -> None:
    g = MODEL.game()
    assert g.players == ("Side A", "Side B")
    assert len(g.infosets["after Restrain"].nodes) == 2


# -- the generic engine --------------------------------------------------------------

def random_points(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {"pi": rng.uniform(0.01, 0.99, n), "r_A": rng.uniform(0, 2, n),
            "u_A": rng.uniform(0, 2, n), "g_A": rng.uniform(0, 2, n),
            "l_B": rng.uniform(0, 5, n)}


def test_closed_form_matches_the_pbe_enumeration() -> None:
    pts = random_points(np.random.default_rng(3), 300)
    r = ra.solve(*(pts[k] for k in ARGS))
    g = ra.payoffs(pts["r_A"], pts["u_A"], pts["g_A"], pts["l_B"])
    seen = set()
    checked = 0
    for i in range(300):
        if r["boundary"][i]:
            continue
        found = engine_profiles(float(pts["pi"][i]), g["S"][..., i], g["R"][..., i])
        assert profile_key(r["sigma"][:, i], r["rho"][:, i]) in found, i
        assert len(found) == int(r["n_pbe"][i]), i
        seen.add(ra.REGIMES[int(r["regime"][i])])
        checked += 1
    assert checked >= 250
    assert {"reassurance_separates", "partial_reassurance", "trust_without_reassurance",
            "spiral"} <= seen


def behaviour(out: Outcome) -> dict[str, dict[str, float]]:
    s = out.strategies
    beh = {}
    for t in TYPES:
        beh[t] = dict(s[f"Side A, {t.lower()}"])
        for j in MESSAGES:
            beh[f"{t}, trusted after {j.lower()}"] = dict(s[f"Side A, {t.lower()}, when trusted"])
    for j in MESSAGES:
        beh[f"after {j}"] = dict(s[f"Side B, after {j.lower()}"])
    return beh


def test_reported_profile_is_sequentially_rational_in_the_full_tree() -> None:
    pts = random_points(np.random.default_rng(8), 200)
    for i in range(200):
        point = {k: float(v[i]) for k, v in pts.items()}
        out = MODEL.solve(point)
        check = check_sequential_rationality(MODEL.game(point), behaviour(out), tol=1e-9)
        assert check.rational, (point, check.failures)


def test_engine_equilibria_include_the_reported_one() -> None:
    """nash_efg_solve on the tree: one of its equilibria plays as ours does on the path.

    The reduced normal form leaves play at unreached sets unspecified, so the
    engine's labels of sequential rationality are not used here; the test above
    checks sequential rationality of the full profile directly.
    """
    from sim.solvers.sequential import nash_efg_solve

    for change in ({}, {"r_A": 0.2}, {"pi": 0.6}, {"g_A": 1.5}):
        out = MODEL.solve(change)
        want = behaviour(out)
        res = nash_efg_solve(MODEL.game(change))
        sent = [j for j in MESSAGES if any(want[t][j] > 0 for t in TYPES)]
        keys = list(TYPES) + [f"after {j}" for j in sent]
        ok = any(
            all(abs(float(e.behavior[k][a]) - v) < 1e-9 for k in keys
                    for a, v in want[k].items())
            for e in res.equilibria)
        assert ok, change


@pytest.mark.oracle
def test_pygambit_finds_no_profitable_deviation() -> None:
    pytest.importorskip("pygambit")
    from tests.models.test_threat_trees_vs_pygambit import to_gambit

    pts = random_points(np.random.default_rng(21), 30)
    for i in range(30):
        point = {k: float(v[i]) for k, v in pts.items()}
        out = MODEL.solve(point)
        g = to_gambit(MODEL.game(point))
        profile = g.mixed_behavior_profile(rational=False)
        beh = behaviour(out)
        for player in g.players:
            for iset in player.infosets:
                for action in iset.actions:
                    profile[action] = float(beh[iset.label][action.label])
        assert profile.max_regret() <= 1e-9, point
        assert float(profile.payoff("Side A")) == pytest.approx(out.payoffs["Side A"], abs=1e-9)
        assert float(profile.payoff("Side B")) == pytest.approx(out.payoffs["Side B"], abs=1e-9)


def test_batch_agrees_with_solve_and_is_a_distribution() -> None:
    pts = random_points(np.random.default_rng(4), 300)
    b = MODEL.solve_batch(pts)
    assert np.allclose(b.probabilities.sum(axis=1), 1.0)
    for i in range(300):
        out = MODEL.solve({k: float(v[i]) for k, v in pts.items()})
        assert MODEL.regimes[b.regime[i]] == out.regime
        assert b.probabilities[i] == pytest.approx(
            [out.probabilities[o] for o in MODEL.outcomes], abs=1e-12)
        assert bool(b.boundary[i]) == out.flags.boundary


# -- comparative statics (Kydd 1997, 2005) -------------------------------------------

prob = st.floats(0.01, 0.99)
value = st.floats(0.0, 2.0)


@settings(max_examples=200, deadline=None)
@given(p1=prob, p2=prob, r=value, u=value, g=value, l_B=st.floats(0.0, 5.0))
def test_more_trust_never_deepens_the_spiral(p1: float, p2: float, r: float, u: float,
                                             g: float, l_B: float) -> None:
    lo, hi = sorted((p1, p2))
    a = MODEL.solve(pi=lo, r_A=r, u_A=u, g_A=g, l_B=l_B)
    b = MODEL.solve(pi=hi, r_A=r, u_A=u, g_A=g, l_B=l_B)
    assert b.p_war <= a.p_war + 1e-9
    assert (b.details["p_spiral_security_seeker"]
            <= a.details["p_spiral_security_seeker"] + 1e-9)


@settings(max_examples=200, deadline=None)
@given(pi=prob, r1=value, r2=value, u=value, g=value, l_B=st.floats(0.0, 5.0))
def test_a_costlier_gesture_reassures_a_security_seeker_better(
        pi: float, r1: float, r2: float, u: float, g: float, l_B: float) -> None:
    """Up to what cooperation is worth to it, a costlier gesture never raises the chance
    that a security seeker ends in the spiral (Kydd 2005: reassurance must be costly)."""
    lo, hi = sorted((r1, r2))
    if hi > u:
        return
    a = MODEL.solve(pi=pi, r_A=lo, u_A=u, g_A=g, l_B=l_B)
    b = MODEL.solve(pi=pi, r_A=hi, u_A=u, g_A=g, l_B=l_B)
    assert (b.details["p_spiral_security_seeker"]
            <= a.details["p_spiral_security_seeker"] + 1e-9)


@settings(max_examples=200, deadline=None)
@given(pi=prob, r=value, u=value, g=value, l1=st.floats(0.0, 5.0), l2=st.floats(0.0, 5.0))
def test_a_more_fearful_side_b_spirals_more(pi: float, r: float, u: float, g: float,
                                            l1: float, l2: float) -> None:
    lo, hi = sorted((l1, l2))
    a = MODEL.solve(pi=pi, r_A=r, u_A=u, g_A=g, l_B=lo)
    b = MODEL.solve(pi=pi, r_A=r, u_A=u, g_A=g, l_B=hi)
    assert b.p_war >= a.p_war - 1e-9


@pytest.mark.parametrize("entry", golden("reassurance_game"),
                         ids=lambda e: f"{e['params']['pi']:.3f}")
def test_reported_equilibrium_is_one_pygambit_enumerates(entry: dict[str, Any]) -> None:
    out = MODEL.solve(entry["params"])
    assert matches_one(behaviour(out), entry["equilibria"], TYPES, MESSAGES)
