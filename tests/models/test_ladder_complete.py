"""Complete-information escalation ladder (models.md §3c): SPE, proposition, engine."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.models import ModelError, get_model
from sim.solvers import spe

MODEL = get_model("escalation_ladder_complete")
W_QUITS = {"risks": [0.1, 0.2, 0.3, 1.0], "v_A": 1, "v_B": 1, "d_A": 2, "d_B": 4}
LAST_MOVER = {"risks": [0.05, 0.1, 0.15, 0.2, 1.0], "v_A": 1, "v_B": 1, "d_A": 0.5, "d_B": 3}


def test_target_quits_at_step_two() -> None:
    out = MODEL.solve(W_QUITS)
    d = out.details
    assert d["actions_by_step"] == ["E", "Q", "E", "Q"]
    assert d["path"] == ["E", "Q"] and out.regime == "target_quits"
    assert out.p_war == pytest.approx(0.1, abs=1e-15)
    assert out.payoffs == pytest.approx({"Challenger": 0.7, "Target": -0.4}, abs=1e-15)
    assert d["critical_risk_A"] == pytest.approx(1 / 3) and d["critical_risk_B"] == 0.2
    assert out.probabilities == pytest.approx(
        {"Concession": 0.9, "Back down": 0.0, "Disaster": 0.1}, abs=1e-15)
    assert "r_1 would have to rise by 0.23" in out.explanation


def test_more_resolute_challenger_yields_because_the_target_moves_last_but_one() -> None:
    out = MODEL.solve(LAST_MOVER)
    assert out.details["actions_by_step"] == ["Q", "E", "Q", "E", "Q"]
    assert out.details["path"] == ["Q"] and out.regime == "challenger_quits"
    assert out.p_war == 0.0
    assert out.payoffs == {"Challenger": 0.0, "Target": 1.0}
    assert out.details["critical_risk_A"] > out.details["critical_risk_B"]


def test_default_schedule_reproduces_the_explicit_case() -> None:
    a = MODEL.solve({k: v for k, v in W_QUITS.items() if k != "risks"})
    b = MODEL.solve(W_QUITS)
    assert a.details["actions_by_step"] == b.details["actions_by_step"]
    assert a.payoffs == pytest.approx(b.payoffs, abs=1e-15)


@pytest.mark.parametrize("risks", [[0.2, 0.1, 1.0], [0.1, 0.5], [1.0]])
def test_bad_schedules_are_rejected(risks: list[float]) -> None:
    with pytest.raises(ModelError, match="risks"):
        MODEL.solve(risks=risks)
    with pytest.raises(ModelError, match="risks"):
        MODEL.solve_batch({"risks": risks, "v_A": np.array([1.0, 2.0])})


def test_tie_is_a_boundary_and_the_mover_quits() -> None:
    # Challenger's first rung is worth −r_1 d_A + (1 − r_1) v_A = 0 at r_1 = 1/3.
    out = MODEL.solve(risks=[0.25, 0.5, 1.0], v_A=1.0, d_A=3.0, d_B=4)
    assert out.flags.boundary and out.details["path"] == ["Q"]


@st.composite
def ladders(draw: st.DrawFn) -> dict[str, object]:
    K = draw(st.integers(2, 9))
    risks = sorted(draw(st.lists(st.integers(0, 100), min_size=K - 1, max_size=K - 1)))
    return {"risks": [r / 100 for r in risks] + [1.0],
            "v_A": draw(st.integers(1, 40)) / 10, "v_B": draw(st.integers(1, 40)) / 10,
            "d_A": draw(st.integers(0, 60)) / 10, "d_B": draw(st.integers(0, 60)) / 10}


@settings(max_examples=100, deadline=None)
@given(ladders())
def test_path_is_quit_or_escalate_then_quit(p: dict[str, object]) -> None:
    """models.md §3c proposition: P(disaster) ≤ r_1."""
    out = MODEL.solve(p)
    assert out.details["path"] in (["Q"], ["E", "Q"])
    risks = p["risks"]
    assert isinstance(risks, list)
    assert out.p_war <= risks[0] + 1e-15
    assert sum(out.probabilities.values()) == pytest.approx(1.0, abs=1e-15)
    if out.details["path"] == ["E", "Q"]:
        # Challenger climbs only if the first rung is below its critical risk.
        assert risks[0] < out.details["critical_risk_A"]


def test_batch_agrees_with_solve_with_varying_K() -> None:
    rng = np.random.default_rng(5)
    n = 60
    cols = {"K": rng.integers(2, 10, n), "r_1": rng.uniform(0, 0.5, n),
            "r_step": rng.uniform(0, 0.3, n), "v_A": rng.uniform(0.1, 3, n),
            "v_B": rng.uniform(0.1, 3, n), "d_A": rng.uniform(0, 5, n),
            "d_B": rng.uniform(0, 5, n)}
    batch = MODEL.solve_batch(cols)
    for k in range(n):
        out = MODEL.solve({name: v[k].item() for name, v in cols.items()})
        assert batch.regime_labels()[k] == out.regime
        assert batch.p_war[k] == out.p_war
        assert batch.payoffs["Challenger"][k] == out.payoffs["Challenger"]
        assert batch.payoffs["Target"][k] == out.payoffs["Target"]
        assert bool(batch.boundary[k]) == out.flags.boundary


def _prefer_quit(key: str, tied: Sequence[str]) -> str:
    return "Quit" if "Quit" in tied else tied[0]


@pytest.mark.parametrize("case", [W_QUITS, LAST_MOVER])
def test_engine_spe_matches(case: dict[str, object]) -> None:
    res = spe.spe_solve(MODEL.game(case), preferred_on_tie=_prefer_quit)
    out = MODEL.solve(case)
    eq = res.equilibria[0]
    assert float(eq.payoffs[0]) == pytest.approx(out.payoffs["Challenger"], abs=1e-12)
    assert float(eq.payoffs[1]) == pytest.approx(out.payoffs["Target"], abs=1e-12)
    # Node keys grow by "/Escalate/Continue" per rung, so sorting by length orders steps.
    steps = sorted(eq.behavior.items(), key=lambda kv: len(kv[0]))
    actions = ["E" if probs["Escalate"] == 1 else "Q" for _, probs in steps]
    assert actions == out.details["actions_by_step"]
