"""Mobilisation as a costly signal (Fearon 1997; Slantchev 2005), two types.

Hand derivations use the payoffs of :mod:`sim.kernels.mobilisation`: a type
that values the stakes at v gets v - s m from a concession, p_j v - c_A - s m
from a war and -a m - s m from backing down; the target gets 0, 1 - p_j - c_B
and 1. The target concedes after message j iff P(resolved) >= 1/(p_j + c_B).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels import mobilisation as mb
from sim.kernels import signalling_pbe as sp
from sim.models import get_model
from sim.models.base import ModelError
from sim.models.mobilisation_signalling import MESSAGES, REPLIES, TYPES
from sim.solvers.sequential import check_sequential_rationality
from sim.solvers.signalling import pbe_solve

MODEL = get_model("mobilisation_signalling")
DEFAULTS = MODEL.defaults()
ARGS = ("p", "k", "m", "s_A", "a_A", "v_res_A", "v_irr_A", "c_A", "c_B")

# Each case: parameters changed from the defaults (p 0.5, k 0.4, m 0.5, s_A 0.8,
# a_A 0.1, v_res 1, v_irr 0.3, c_A 0.2, c_B 0.6, pi 0.3), regime, outcome
# probabilities (build-up concession, plain concession, war, back down) and payoffs.
CASES: list[tuple[str, dict[str, float], str, tuple[float, ...], tuple[float, float]]] = [
    # Defaults. m_sep = (v_irr - max(p v_irr - c_A, 0))/s_A = 0.3/0.8 = 0.375 <= m = 0.5
    # <= m_max = (1 - 0.3)/0.8 = 0.875: only the resolved type builds up and is conceded
    # to. Challenger 0.3 (1 - 0.4) = 0.18; target 0.7 * 1 (the bluffer backs down).
    ("separating", {}, "separating", (0.3, 0.0, 0.0, 0.7), (0.18, 0.7)),
    # m = 0.2 < m_sep: p_m = 0.54, mu* = 1/1.14; the bluffer (who backs down after the
    # build-up: 0.54*0.3 - 0.2 = -0.038 < -0.02) builds up with
    # beta = 0.3 (0.14/1.14) / (0.7/1.14) = 0.06; the target concedes with
    # rho = (0.16 + 0.02)/(0.3 + 0.02) = 0.5625. P(build-up) = 0.3 + 0.7*0.06 = 0.342;
    # concession 0.342*0.5625; war 0.3*0.4375; back down the rest. The bluffer earns 0;
    # the resolved type 0.5625*0.84 + 0.4375*(0.54 - 0.2 - 0.16) = 0.55125.
    ("semi", {"m": 0.2}, "semi_separating",
     (0.342 * 0.5625, 0.0, 0.3 * 0.4375, 1 - 0.342 * 0.5625 - 0.3 * 0.4375),
     (0.3 * 0.55125, 0.3 * 0.4375 * (1 - 0.54 - 0.6) + (0.7 - 0.7 * 0.06 * 0.5625))),
    # pi = 0.95 >= mu*_none = 1/1.1: the target concedes without a build-up.
    ("no build-up, concede", {"pi": 0.95}, "no_build_up_target_concedes",
     (0.0, 1.0, 0.0, 0.0), (0.95 * 1.0 + 0.05 * 0.3, 0.0)),
    # Balance effect: k = 1, m = 0.8 gives p_m = 0.9, so even the bluffer fights after the
    # build-up (0.27 - 0.2 > -0.08) and the target (1 - 0.9 - 0.3 < 0) concedes to it,
    # while without one it would fight anybody (1 - 0.5 - 0.3 > 0). s_A = 0.1: both
    # build up (0.3 - 0.08 > 0). Challenger 0.3*0.92 + 0.7*0.22 = 0.43.
    ("balance", {"k": 1.0, "m": 0.8, "s_A": 0.1, "c_B": 0.3},
     "pooling_on_build_up_target_concedes", (1.0, 0.0, 0.0, 0.0), (0.43, 0.0)),
    # m = 0.95 > m_max = 0.875: the build-up costs the resolved type 0.76, more than
    # the 0.7 a concession adds to fighting (1 - 0.3); nobody builds up, the target
    # resists, the resolved type fights: war 0.3; challenger 0.3*0.3; target
    # 0.3 (1 - 0.5 - 0.6) + 0.7.
    ("too costly", {"m": 0.95}, "no_build_up_target_resists", (0.0, 0.0, 0.3, 0.7),
     (0.09, 0.67)),
    # Tying hands without sinking costs: s_A = 0, a_A = 1, m = 0.5. After a build-up the
    # bluffer fights (0.6*0.3 - 0.2 = -0.02 > -0.5), so both types build up for free,
    # and the target, whose cost of war c_B = 0.6 makes it concede to any fighter
    # (1 - 0.6 - 0.6 < 0), concedes. Challenger 0.3*1 + 0.7*0.3 = 0.51.
    ("tied hands", {"s_A": 0.0, "a_A": 1.0}, "pooling_on_build_up_target_concedes",
     (1.0, 0.0, 0.0, 0.0), (0.51, 0.0)),
    # A target that would fight a resolved challenger even after the build-up (c_B 0.1):
    # p 0.65, k 0.3, m 0.6 give p_m = 0.713 and 1 - 0.713 - 0.1 > 0. With s_A 0.05 the
    # resolved type still builds up, for the better war: 0.713 - 0.15 - 0.03 = 0.533 >
    # 0.65 - 0.15. The irresolute type (v 0.2) would fight after it (0.1426 - 0.15 >
    # -0.06) but gains nothing: -0.0374 < 0. War 0.5; challenger 0.5 * 0.533; target
    # 0.5 * 0.187 + 0.5.
    ("build up to fight", {"p": 0.65, "k": 0.3, "m": 0.6, "s_A": 0.05, "c_A": 0.15,
                           "c_B": 0.1, "v_irr_A": 0.2, "pi": 0.5},
     "build_up_to_fight", (0.0, 0.0, 0.5, 0.5), (0.5 * 0.533, 0.5 * 0.187 + 0.5)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case_table(case: tuple[str, dict[str, float], str, tuple[float, ...],
                                tuple[float, float]]) -> None:
    _, change, regime, probs, pay = case
    out = MODEL.solve(change)
    assert out.regime == regime
    got = tuple(out.probabilities[o] for o in MODEL.outcomes)
    assert got == pytest.approx(probs, abs=1e-12)
    assert out.p_war == pytest.approx(probs[2], abs=1e-12)
    assert (out.payoffs["Challenger"], out.payoffs["Target"]) == pytest.approx(pay, abs=1e-12)
    assert not out.flags.boundary


def test_separation_threshold_and_explanation() -> None:
    out = MODEL.solve()
    d = out.details
    assert d["m_sep"] == pytest.approx(0.375) and d["m_max"] == pytest.approx(0.875)
    assert d["m_cost"] == pytest.approx(0.375) and d["m_balance"] == 0.0
    # The bluffer would fight after a build-up of m > (0.2 - 0.15)/(0.4*0.5*0.3 + 0.1).
    assert d["m_fight"] == pytest.approx(0.05 / 0.16)
    assert "m_sep = 0.375" in out.explanation and "sunk cost" in out.explanation
    semi = MODEL.solve(m=0.2)
    assert semi.details["sigma_irresolute"] == pytest.approx(0.06, abs=1e-12)
    assert semi.details["rho_build_up"] == pytest.approx(0.5625, abs=1e-12)
    assert semi.beliefs["P(resolved | build up)"] == pytest.approx(1 / 1.14, abs=1e-12)
    assert "ρ = 0.56" in semi.explanation


def test_boundary_at_the_separation_threshold() -> None:
    # At m = m_sep the bluffer is indifferent between copying (0.3 - 0.8 m = 0) and not.
    out = MODEL.solve(m=0.375)
    assert out.flags.boundary
    assert out.regime == "separating"


def test_boundary_at_the_concession_belief() -> None:
    out = MODEL.solve(pi=1 / 1.1)
    assert out.flags.boundary and out.regime == "no_build_up_target_concedes"


def test_assumption_flag() -> None:
    # A resolved type that would not fight without a build-up: 0.5*0.3 - 0.2 < 0.
    out = MODEL.solve(v_res_A=0.3)
    assert out.flags.assumption_violated
    assert "Note:" in out.explanation


def test_constraint_is_named() -> None:
    with pytest.raises(ModelError, match="v_irr_A"):
        MODEL.solve(v_irr_A=1.5)


def test_game_tree() -> None:
    g = MODEL.game()
    assert g.players == ("Challenger", "Target")
    assert len(g.infosets["after Build up"].nodes) == 2
    assert not g.is_perfect_information


# -- the generic engine --------------------------------------------------------------

def random_points(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    v_res = rng.uniform(0.05, 2, n)
    return {"p": rng.uniform(0, 1, n), "k": rng.uniform(0, 1, n), "m": rng.uniform(0, 1, n),
            "s_A": rng.uniform(0, 2, n), "a_A": rng.uniform(0, 1, n), "v_res_A": v_res,
            "v_irr_A": v_res * rng.uniform(0, 1, n), "c_A": rng.uniform(0, 1, n),
            "c_B": rng.uniform(0, 1, n), "pi": rng.uniform(0.01, 0.99, n)}


def profile_key(sender: Any, receiver: Any) -> tuple[Any, ...]:
    """Sender strategy and the receiver's replies at on-path messages, rounded."""
    s = tuple(round(float(sender[t]), 9) for t in range(2))
    on = ([0] if s[0] > 0 or s[1] > 0 else []) + ([1] if s[0] < 1 or s[1] < 1 else [])
    return s, tuple(round(float(receiver[j]), 9) for j in on)


def engine_profiles(pi: float, S: np.ndarray, R: np.ndarray) -> set[tuple[Any, ...]]:
    """Every non-degenerate PBE that :func:`pbe_solve` finds, in exact arithmetic."""
    exact = [[[[Fraction(float(v)) for v in row] for row in block] for block in A]
             for A in (S, R)]
    res = pbe_solve(Fraction(pi), exact[0], exact[1])
    return {profile_key([e.sender["t1"]["m1"], e.sender["t2"]["m1"]],
                        [e.receiver["m1"]["r1"], e.receiver["m2"]["r1"]])
            for e in res.equilibria if not e.degenerate}


def test_closed_form_matches_the_pbe_enumeration() -> None:
    """On 300 random points the reported PBE is one the engine finds, and the count agrees."""
    pts = random_points(np.random.default_rng(2024), 300)
    r = mb.solve(*(pts[k] for k in ARGS), pts["pi"])
    g = mb.payoffs(*(pts[k] for k in ARGS))
    checked = 0
    seen = set()
    for i in range(300):
        if r["boundary"][i]:
            continue
        found = engine_profiles(float(pts["pi"][i]), g["S"][..., i], g["R"][..., i])
        assert profile_key(r["sigma"][:, i], r["rho"][:, i]) in found, i
        assert len(found) == int(r["n_pbe"][i]), i
        seen.add(mb.REGIMES[int(r["regime"][i])])
        checked += 1
    assert checked >= 250
    assert {"separating", "semi_separating", "no_build_up_target_resists",
            "no_build_up_target_concedes", "pooling_on_build_up_target_concedes"} <= seen


def test_reported_profile_is_sequentially_rational_in_the_full_tree() -> None:
    """200 random points: the profile, fight decisions included, is a weak PBE of game()."""
    rng = np.random.default_rng(77)
    pts = random_points(rng, 200)
    for i in range(200):
        point = {k: float(v[i]) for k, v in pts.items()}
        out = MODEL.solve(point)
        check = check_sequential_rationality(MODEL.game(point), MODEL.tree_behaviour(out), tol=1e-9)
        assert check.rational, (point, check.failures)


def test_kernel_is_a_distribution_everywhere() -> None:
    pts = random_points(np.random.default_rng(5), 40_000)
    b = MODEL.solve_batch(pts)
    assert np.allclose(b.probabilities.sum(axis=1), 1.0)
    assert (b.probabilities >= -1e-12).all()
    r = mb.solve(*(pts[k] for k in ARGS), pts["pi"])
    assert r["found"].all()  # some candidate is a PBE at every point
    assert (r["d1"].any(axis=0)).all()


def test_batch_agrees_with_solve() -> None:
    pts = random_points(np.random.default_rng(9), 300)
    b = MODEL.solve_batch(pts)
    for i in range(300):
        out = MODEL.solve({k: float(v[i]) for k, v in pts.items()})
        assert MODEL.regimes[b.regime[i]] == out.regime
        assert b.probabilities[i] == pytest.approx(
            [out.probabilities[o] for o in MODEL.outcomes], abs=1e-12)
        assert b.payoffs["Challenger"][i] == pytest.approx(out.payoffs["Challenger"], abs=1e-12)
        assert bool(b.multiple_equilibria[i]) == out.flags.multiple_equilibria


@pytest.mark.oracle
def test_pygambit_finds_no_profitable_deviation() -> None:
    """On a sample, pygambit's regret of the reported profile in game() is zero."""
    pytest.importorskip("pygambit")
    from tests.models.test_threat_trees_vs_pygambit import to_gambit

    rng = np.random.default_rng(12)
    pts = random_points(rng, 30)
    for i in range(30):
        point = {k: float(v[i]) for k, v in pts.items()}
        out = MODEL.solve(point)
        game = MODEL.game(point)
        g = to_gambit(game)
        profile = g.mixed_behavior_profile(rational=False)
        beh = MODEL.tree_behaviour(out)
        for player in g.players:
            for iset in player.infosets:
                for action in iset.actions:
                    profile[action] = float(beh[iset.label][action.label])
        assert profile.max_regret() <= 1e-9, point
        assert float(profile.payoff("Challenger")) == pytest.approx(
            out.payoffs["Challenger"], abs=1e-9)
        assert float(profile.payoff("Target")) == pytest.approx(
            out.payoffs["Target"], abs=1e-9)


# -- comparative statics (Slantchev 2005) --------------------------------------------

unit = st.floats(0.0, 1.0)


@settings(max_examples=200, deadline=None)
@given(p=unit, k=unit, s=st.floats(0.0, 2.0), a=unit, v=st.floats(0.05, 2.0), share=unit,
       c_A=unit, c_B=unit, pi=st.floats(0.01, 0.99), m1=unit, m2=unit)
def test_larger_build_up_raises_concession_to_a_resolved_challenger(
        p: float, k: float, s: float, a: float, v: float, share: float, c_A: float,
        c_B: float, pi: float, m1: float, m2: float) -> None:
    """Up to the largest build-up a resolved challenger will pay for, more mobilisation
    never lowers the probability that the target concedes to it."""
    lo, hi = sorted((m1, m2))
    base = {"p": p, "k": k, "s_A": s, "a_A": a, "v_res_A": v, "v_irr_A": v * share,
            "c_A": c_A, "c_B": c_B, "pi": pi}
    r_lo, r_hi = MODEL.solve({**base, "m": lo}), MODEL.solve({**base, "m": hi})
    m_max = r_lo.details["m_max"]
    if m_max is None or hi <= m_max:
        assert (r_hi.details["p_concede_resolved"]
                >= r_lo.details["p_concede_resolved"] - 1e-9)


@settings(max_examples=200, deadline=None)
@given(k1=unit, k2=unit, m=unit, pi=st.floats(0.01, 0.99), c_B=unit)
def test_a_build_up_that_shifts_the_balance_more_coerces_more(
        k1: float, k2: float, m: float, pi: float, c_B: float) -> None:
    lo, hi = sorted((k1, k2))
    r_lo = MODEL.solve(k=lo, m=m, pi=pi, c_B=c_B)
    r_hi = MODEL.solve(k=hi, m=m, pi=pi, c_B=c_B)
    assert r_hi.details["p_concede_resolved"] >= r_lo.details["p_concede_resolved"] - 1e-9


@settings(max_examples=200, deadline=None)
@given(m1=st.floats(0.01, 0.31), m2=st.floats(0.01, 0.31))
def test_in_the_semi_separating_regime_the_target_concedes_more_to_larger_build_ups(
        m1: float, m2: float) -> None:
    # With the defaults the regime holds for 0 < m < m_fight = 0.3125 (above it the
    # bluffer, its hands tied, would fight after a build-up).
    lo, hi = sorted((m1, m2))
    r_lo, r_hi = MODEL.solve(m=lo), MODEL.solve(m=hi)
    assert r_lo.regime == r_hi.regime == "semi_separating"
    assert r_hi.details["rho_build_up"] >= r_lo.details["rho_build_up"] - 1e-12
    concede = ("Concession after a build-up", "Concession without a build-up")
    assert (sum(r_hi.probabilities[o] for o in concede)
            >= sum(r_lo.probabilities[o] for o in concede) - 1e-12)


def test_kinds_are_labelled() -> None:
    assert sp.KINDS[sp.SEPARATING] == "separating"
    assert MODEL.solve().details["pbe_kinds"] == ["separating"]
    assert set(REPLIES) == {"Concede", "Resist"}


# -- pygambit's enumeration, kept as a golden fixture ---------------------------------

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "signalling_golden.json"


def golden(model: str) -> list[dict[str, Any]]:
    """Points of ``model`` with every extreme equilibrium pygambit enumerated there."""
    return [e for e in json.loads(GOLDEN.read_text())["points"] if e["model"] == model]


def matches_one(beh: dict[str, dict[str, float]], equilibria: list[dict[str, Any]],
                types: tuple[str, str], messages: tuple[str, str]) -> bool:
    """Our message choices and on-path replies equal those of one listed equilibrium."""
    sent = [j for j in messages if any(beh[t][j] > 0 for t in types)]
    keys = list(types) + [f"after {j}" for j in sent]
    return any(all(abs(eq[k][a] - v) <= 1e-6 for k in keys for a, v in beh[k].items())
               for eq in equilibria)


@pytest.mark.parametrize("entry", golden("mobilisation_signalling"),
                         ids=lambda e: f"{e['params']['m']:.3f}")
def test_reported_equilibrium_is_one_pygambit_enumerates(entry: dict[str, Any]) -> None:
    out = MODEL.solve(entry["params"])
    assert matches_one(MODEL.tree_behaviour(out), entry["equilibria"], TYPES, MESSAGES)
    # Where pygambit finds a single distinct play, the model reports one equilibrium.
    if len(entry["equilibria"]) == 1:
        assert not out.flags.multiple_equilibria


@pytest.mark.oracle
def test_golden_fixture_matches_live_pygambit() -> None:
    pytest.importorskip("pygambit")
    from tests.data.golden.make_signalling_golden import gambit_equilibria

    for entry in golden("mobilisation_signalling")[:4] + golden("reassurance_game")[:4]:
        game = get_model(entry["model"]).game(entry["params"])
        assert gambit_equilibria(game) == entry["equilibria"]
