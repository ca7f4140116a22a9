"""Agent logit QRE of the IIG by Signorino's recursion (models.md §9)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels.iig import OUTCOMES
from sim.models import get_model
from sim.solvers import agent_qre

MODEL = get_model("logit_aqre_extensive_form")
SPE = get_model("iig_complete_info")
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "iig_golden.json"

WAR_A = [0.0, -0.4, 0.6, 0.3, -0.3, 0.5, -0.1, -0.5]
WAR_B = [0.0, 0.6, -0.6, 0.2, 0.5, -0.6, -0.4, -0.3]


def test_war_case_lambda_5_node_by_node() -> None:
    out = MODEL.solve(U_A=WAR_A, U_B=WAR_B, lam=5.0)
    esc = out.details["prob_escalate_at_node"]
    # Retaliation nodes in closed form: B at n10 compares -0.4 with -0.6.
    assert esc["n10"] == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-15)
    assert esc["n12"] == pytest.approx(1 / (1 + np.exp(1.0)), abs=1e-15)
    assert esc["n1"] == pytest.approx(0.830036521588, abs=1e-9)
    assert esc["n7"] == pytest.approx(0.232691439136, abs=1e-9)
    probs = out.details["outcome_probabilities"]
    assert probs["WAR_A"] == pytest.approx(0.363314816326, abs=1e-9)
    assert probs["NEG"] == pytest.approx(0.107270354358, abs=1e-9)
    assert out.p_war == pytest.approx(0.363314816326 + 0.0576505797669, abs=1e-9)
    assert out.outcome == "War (Side A strikes first)"
    assert sum(out.probabilities.values()) == pytest.approx(1.0, abs=1e-12)
    assert out.strategies["n1"]["D"] + out.strategies["n1"]["nD"] == pytest.approx(1.0)


def test_lambda_zero_is_uniform_play() -> None:
    out = MODEL.solve(U_A=WAR_A, U_B=WAR_B, lam=0.0)
    assert set(out.details["prob_escalate_at_node"].values()) == {0.5}
    probs = out.details["outcome_probabilities"]
    assert probs["SQ"] == 0.25 and probs["ACQ_B"] == 0.25
    assert probs["WAR_A"] == 0.5 ** 4 + 0.5 ** 6


def test_golden_pygambit_logit_solve_lambda() -> None:
    data = json.loads(GOLDEN.read_text())
    assert len(data["aqre"]) == 48
    for entry in data["aqre"]:
        out = MODEL.solve(U_A=entry["U_A"], U_B=entry["U_B"], lam=entry["lam"])
        for node, p in entry["prob_escalate_at_node"].items():
            assert out.details["prob_escalate_at_node"][node] == pytest.approx(p, abs=1e-9)
        for code, p in entry["outcome_probabilities"].items():
            assert out.details["outcome_probabilities"][code] == pytest.approx(p, abs=1e-9)


def test_large_lambda_approaches_the_spe() -> None:
    data = json.loads(GOLDEN.read_text())
    for entry in data["spe"]:
        out = MODEL.solve(U_A=entry["U_A"], U_B=entry["U_B"], lam=200.0)
        spe = SPE.solve(U_A=entry["U_A"], U_B=entry["U_B"])
        # Utilities lie on a 0.05 grid, so every SPE margin is at least 0.05:
        # at λ = 200 each choice is close to the SPE choice.
        for node, choice in spe.details["choice_at_every_node"].items():
            p = out.details["prob_escalate_at_node"][node]
            assert p == pytest.approx(1.0 if choice == "escalate" else 0.0, abs=0.01)


utility = st.lists(st.integers(-10, 10).map(lambda v: v / 10), min_size=8, max_size=8)


@settings(max_examples=60, deadline=None)
@given(utility, utility, st.floats(0.0, 20.0), st.sampled_from([0.5, 2.0, 4.0]))
def test_rescaling_payoffs_is_rescaling_lambda(u_a: list[float], u_b: list[float],
                                               lam: float, k: float) -> None:
    a = MODEL.solve(U_A=u_a, U_B=u_b, lam=lam).details["prob_escalate_at_node"]
    b = MODEL.solve(U_A=[k * v for v in u_a], U_B=[k * v for v in u_b],
                    lam=lam / k).details["prob_escalate_at_node"]
    for node in a:
        assert a[node] == pytest.approx(b[node], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(utility, utility, st.floats(0.0, 50.0))
def test_outcome_probabilities_sum_to_one(u_a: list[float], u_b: list[float],
                                          lam: float) -> None:
    out = MODEL.solve(U_A=u_a, U_B=u_b, lam=lam)
    probs = out.details["outcome_probabilities"]
    assert sum(probs.values()) == pytest.approx(1.0, abs=1e-12)
    assert out.p_war == pytest.approx(probs["WAR_A"] + probs["WAR_B"], abs=1e-15)


def test_normalise_switch_divides_by_each_sides_range() -> None:
    # Side A's utilities span 1.1; rescale Side B's (span 1.2) to span 1.1 too, so
    # normalising is the same as multiplying λ by 1 / 1.1.
    u_b = [v * 1.1 / 1.2 for v in WAR_B]
    norm = MODEL.solve(U_A=WAR_A, U_B=u_b, lam=5.0, normalise=1)
    raw = MODEL.solve(U_A=WAR_A, U_B=u_b, lam=5.0 / 1.1, normalise=0)
    for node, p in raw.details["prob_escalate_at_node"].items():
        assert norm.details["prob_escalate_at_node"][node] == pytest.approx(p, abs=1e-12)
    assert norm.details["prob_escalate_at_node"] != MODEL.solve(
        U_A=WAR_A, U_B=u_b, lam=5.0).details["prob_escalate_at_node"]
    # Payoffs are reported in the raw units.
    assert norm.payoffs["Side A"] == pytest.approx(
        sum(norm.details["outcome_probabilities"][o] * v
            for o, v in zip(OUTCOMES, WAR_A, strict=True)), abs=1e-12)


def test_solve_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(9)
    n = 100
    lam = rng.uniform(0, 30, n)
    p = rng.uniform(0, 1, n)
    batch = MODEL.solve_batch({"lam": lam, "p": p})
    for k in range(n):
        out = MODEL.solve(lam=float(lam[k]), p=float(p[k]))
        assert batch.regimes[batch.regime[k]] == out.regime
        assert batch.p_war[k] == pytest.approx(out.p_war, abs=1e-15)
        for j, label in enumerate(MODEL.outcomes):
            assert batch.probabilities[k, j] == pytest.approx(out.probabilities[label], abs=1e-15)
        for pl in MODEL.players:
            assert batch.payoffs[pl][k] == pytest.approx(out.payoffs[pl], abs=1e-15)


def test_explanation_compares_with_the_spe() -> None:
    text = MODEL.solve(U_A=WAR_A, U_B=WAR_B, lam=5.0).explanation
    assert "λ = 5.00" in text and "0.36" in text and "P(war) = 0.42" in text


@settings(max_examples=40, deadline=None)
@given(utility, utility, st.floats(0.0, 30.0))
def test_generic_engine_agent_qre_agrees(u_a: list[float], u_b: list[float],
                                         lam: float) -> None:
    out = MODEL.solve(U_A=u_a, U_B=u_b, lam=lam)
    res = agent_qre.agent_qre_at(MODEL.game({"U_A": u_a, "U_B": u_b}), lam)
    for node, probs in res.behavior.items():
        assert out.strategies[node] == pytest.approx(probs, abs=1e-12)
    assert res.payoffs == pytest.approx((out.payoffs["Side A"], out.payoffs["Side B"]),
                                        abs=1e-12)
