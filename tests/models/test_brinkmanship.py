"""Schelling's brinkmanship window (models.md §3b): closed form, tie rule, engine."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.models import ModelError, get_model
from sim.solvers import spe

MODEL = get_model("brinkmanship_window")
CASE = {"G": 1.0, "L": 0.5, "D_A": 2.0, "D_B_soft": 2.0, "D_B_hard": 0.4, "pi_hard": 0.3}


def test_case_window_open() -> None:
    out = MODEL.solve(CASE)
    d = out.details
    assert out.regime == "threat" and d["threat"]
    assert d["r_star"] == d["r_low"] == 0.25
    assert d["r_high"] == pytest.approx(7 / 6, abs=1e-15)
    assert out.p_war == pytest.approx(0.075, abs=1e-15)
    assert out.payoffs["Challenger"] == pytest.approx(0.55, abs=1e-15)
    assert out.payoffs["Target"] == pytest.approx(-(0.7 * 0.5 + 0.3 * 0.25 * 0.4), abs=1e-15)
    assert d["pi_hard_critical"] == pytest.approx(2 / 3, abs=1e-15)
    assert out.probabilities == pytest.approx(
        {"Compliance": 0.7, "War": 0.075, "Status quo": 0.225}, abs=1e-15)
    assert not out.flags.boundary
    assert "π* = 0.67" in out.explanation


def test_critical_prior_is_a_boundary_with_no_threat() -> None:
    out = MODEL.solve({**CASE, "pi_hard": 0.6666666666666666})
    assert out.flags.boundary
    assert out.regime == "no_threat_unprofitable"
    assert out.p_war == 0.0 and out.payoffs == {"Challenger": 0.0, "Target": 0.0}


def test_ineffective_threat() -> None:
    out = MODEL.solve({**CASE, "D_B_soft": 0.45, "D_B_hard": 0.3})
    assert out.regime == "no_threat_ineffective"
    assert out.details["threat"] is False and out.details["r_star"] is None
    assert "would have to rise by 0.05" in out.explanation


def test_hard_type_must_never_comply() -> None:
    with pytest.raises(ModelError, match="D_B_hard must be below L"):
        MODEL.solve({**CASE, "D_B_hard": 0.5})
    with pytest.raises(ModelError, match="D_B_hard"):
        MODEL.solve_batch({"D_B_hard": np.array([0.1, 0.6])})


params = st.fixed_dictionaries({
    "G": st.floats(0.05, 5), "L": st.floats(0.05, 5), "D_A": st.floats(0.0, 10),
    "D_B_soft": st.floats(0.05, 10), "D_B_hard": st.floats(0.0, 5),
    "pi_hard": st.floats(0.0, 1.0),
})


@settings(max_examples=80, deadline=None)
@given(params)
def test_threat_exactly_when_prior_is_below_critical(p: dict[str, float]) -> None:
    assume(p["D_B_hard"] < p["L"])
    out = MODEL.solve(p)
    d = out.details
    assert out.p_war <= p["pi_hard"] + 1e-15
    if d["r_low"] > 1:
        assert out.regime == "no_threat_ineffective"
        return
    margin = (1 - p["pi_hard"]) * p["G"] - p["pi_hard"] * d["r_low"] * p["D_A"]
    assume(abs(margin) > 1e-9)
    assert d["threat"] == (p["pi_hard"] < d["pi_hard_critical"])
    if d["threat"]:
        # No other risk does better: r < r_low fails, r > r_low costs more.
        assert d["r_high"] is None or d["r_star"] <= d["r_high"]
        assert out.payoffs["Challenger"] > 0


def _grid_best(p: dict[str, float]) -> float:
    """Challenger's best payoff over a fine grid of r (soft complies iff r·D_B,soft ≥ L)."""
    r = np.linspace(0, 1, 20001)
    comply = r * p["D_B_soft"] >= p["L"]
    pay = np.where(comply, (1 - p["pi_hard"]) * p["G"] - p["pi_hard"] * r * p["D_A"],
                   -r * p["D_A"])
    return max(0.0, float(pay.max()))


@pytest.mark.parametrize("pi", [0.0, 0.1, 0.3, 0.5, 0.66, 0.9])
def test_closed_form_beats_grid_search(pi: float) -> None:
    p = {**CASE, "pi_hard": pi}
    assert MODEL.solve(p).payoffs["Challenger"] == pytest.approx(_grid_best(p), abs=1e-12)


def test_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(3)
    n = 200
    cols = {"G": rng.uniform(0, 2, n), "L": rng.uniform(0.2, 1, n), "D_A": rng.uniform(0, 4, n),
            "D_B_soft": rng.uniform(0.1, 3, n), "pi_hard": rng.uniform(0, 1, n)}
    cols["D_B_hard"] = cols["L"] * rng.uniform(0, 0.99, n)
    cols["pi_hard"][:3] = [0.0, 1.0, 0.6666666666666666]
    cols["G"][2], cols["L"][2], cols["D_A"][2], cols["D_B_soft"][2] = 1.0, 0.5, 2.0, 2.0
    batch = MODEL.solve_batch(cols)
    assert batch.boundary[2]
    for k in range(n):
        out = MODEL.solve({name: float(v[k]) for name, v in cols.items()})
        assert batch.regime_labels()[k] == out.regime
        assert batch.p_war[k] == out.p_war
        assert batch.payoffs["Challenger"][k] == out.payoffs["Challenger"]
        assert batch.payoffs["Target"][k] == out.payoffs["Target"]
        assert list(batch.probabilities[k]) == pytest.approx(
            [out.probabilities[lab] for lab in batch.outcomes], abs=1e-15)
        assert bool(batch.boundary[k]) == out.flags.boundary


def _prefer_restraint(key: str, tied: Sequence[str]) -> str:
    for label in ("Comply", "No threat"):
        if label in tied:
            return label
    return tied[0]


@pytest.mark.parametrize(("pi", "threat"), [(0.3, True), (0.8, False)])
def test_engine_solves_the_threat_tree(pi: float, threat: bool) -> None:
    g = MODEL.game({**CASE, "pi_hard": pi})
    res = spe.spe_solve(g, preferred_on_tie=_prefer_restraint)
    eq = res.equilibria[0]
    assert eq.behavior["Challenger"]["Threaten"] == (1 if threat else 0)
    assert eq.behavior["Target (soft)"]["Comply"] == 1
    assert eq.behavior["Target (hard)"]["Defy"] == 1
    out = MODEL.solve({**CASE, "pi_hard": pi})
    assert float(eq.payoffs[0]) == pytest.approx(out.payoffs["Challenger"], abs=1e-12)
    assert float(eq.payoffs[1]) == pytest.approx(out.payoffs["Target"], abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(params, st.floats(0.0, 1.0))
def test_war_risk_rises_with_the_hard_prior_until_the_window_closes(
        p: dict[str, float], other: float) -> None:
    """r* = r_low does not depend on π, so P(war) = π r_low rises with π below π*."""
    assume(p["D_B_hard"] < p["L"])
    lo, hi = sorted((p["pi_hard"], other))
    a = MODEL.solve({**p, "pi_hard": lo})
    b = MODEL.solve({**p, "pi_hard": hi})
    if b.details["threat"]:
        assert a.details["threat"]
        assert a.details["r_star"] == b.details["r_star"]
        assert a.p_war <= b.p_war
