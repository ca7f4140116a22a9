"""Threat game with private resolve (models.md §2c) and the sanctions PBE (§7)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels import threat_game as tg
from sim.models import get_model
from sim.models.base import ModelError, Outcome

MODEL = get_model("threat_game_incomplete_info")
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "threat_trees_oracle.json"

CASE = {"q": 0.3, "x": 0.6, "p": 0.55, "c_B": 0.2, "a_A": 0.1, "b_B": 0.0,
        "c_res": 0.05, "c_irr": 0.4, "pi": 0.3}


def model_behaviour(out: Outcome, demand: str, give: str, resist: str,
                    execute: str) -> dict[str, dict[str, float]]:
    """The model's equilibrium as behaviour at the information sets of its game tree."""
    d = out.details
    beh = {
        "Resolved: start": {"Status quo": 1 - d["beta_resolved"], demand: d["beta_resolved"]},
        "Irresolute: start": {"Status quo": 1 - d["beta"], demand: d["beta"]},
        "Resolved: after resistance": {execute: float(d["resolved_executes"]),
                                       "Back down": 1 - float(d["resolved_executes"])},
        "Irresolute: after resistance": {execute: float(d["irresolute_executes"]),
                                         "Back down": 1 - float(d["irresolute_executes"])},
    }
    if d["posterior"] is not None:  # the target's move is on the path
        beh["target"] = {give: 1 - d["rho"], resist: d["rho"]}
    return beh


def test_semi_separating_closed_form() -> None:
    out = MODEL.solve(CASE)
    d = out.details
    assert out.regime == "semi_separating"
    assert d["mu_star"] == pytest.approx(2 / 3, abs=1e-12)
    assert d["rho_star"] == pytest.approx(0.75, abs=1e-12)
    assert d["beta"] == pytest.approx(0.3 * (1 / 3) / (0.7 * 2 / 3), abs=1e-12)
    assert d["posterior"] == pytest.approx(d["mu_star"], abs=1e-12)
    assert out.probabilities == pytest.approx(
        {"Status quo": 0.55, "Concession": 0.1125, "War": 0.225, "Back down": 0.1125}, abs=1e-12)
    assert out.p_war == pytest.approx(0.3 * 0.75, abs=1e-12)
    assert d["eu_irresolute"] == pytest.approx(0.3, abs=1e-12)  # bluffing earns nothing
    assert d["eu_resolved"] == pytest.approx(0.25 * 0.6 + 0.75 * 0.5, abs=1e-12)
    assert out.payoffs["Target"] == pytest.approx(0.565, abs=1e-12)
    assert not out.flags.multiple_equilibria and not out.flags.boundary
    assert "μ* = 0.67" in out.explanation and "ρ* = 0.75" in out.explanation


def test_audience_cost_cases_rho_star() -> None:
    # models.md: M2-ii-low/high-audience-cost give rho* = 0.75 and 0.5.
    assert MODEL.solve({**CASE, "a_A": 0.1}).details["rho_star"] == pytest.approx(0.75)
    high = MODEL.solve({**CASE, "a_A": 0.3, "c_irr": 0.7})
    assert high.details["rho_star"] == pytest.approx(0.5)


def test_pooling_above_mu_star() -> None:
    out = MODEL.solve({**CASE, "pi": 0.8})
    assert out.regime == "pooling"
    assert out.details["beta"] == 1.0 and out.details["rho"] == 0.0
    assert out.probabilities["Concession"] == pytest.approx(1.0)
    assert out.p_war == 0.0
    assert out.payoffs["Challenger"] == pytest.approx(0.6)


def test_boundary_at_mu_star() -> None:
    out = MODEL.solve({**CASE, "pi": 2 / 3})
    assert out.regime == "boundary"
    assert out.flags.boundary and out.flags.multiple_equilibria
    assert out.details["rho"] == 0.0  # the target concedes when indifferent


def test_no_audience_cost_is_not_unique() -> None:
    out = MODEL.solve({**CASE, "a_A": 0.0, "c_irr": 0.3})
    assert out.regime == "semi_separating"
    assert out.details["rho_star"] == pytest.approx(1.0)
    assert out.flags.multiple_equilibria


def test_2022_defaults_demand_outside_range() -> None:
    out = MODEL.solve()
    assert out.regime == "target_resists_regardless"
    assert out.p_war == pytest.approx(0.5)  # the resolved type's prior
    assert out.probabilities["Status quo"] == pytest.approx(0.5)
    # x = 0.9 > p + c_B = 0.75: 1 − p − c_B < 1 − x fails, no signalling game.
    assert out.flags.assumption_violated
    assert "outside the model's assumptions" in out.explanation
    assert "1 − p − c_B < 1 − x" in out.explanation and "at most 0.75" in out.explanation


@pytest.mark.parametrize(("x", "degenerate"), [(0.9, True), (0.76, True), (0.75, False),
                                               (0.7, False)])
def test_degenerate_regime_flag_follows_the_demand(x: float, degenerate: bool) -> None:
    out = MODEL.solve(x=x)
    assert (out.regime == "target_resists_regardless") == degenerate
    assert out.flags.assumption_violated == degenerate
    batch = MODEL.solve_batch({"x": [x]})
    assert bool(batch.assumption_violated[0]) == degenerate


def test_types_on_the_same_side_flagged() -> None:
    out = MODEL.solve({**CASE, "c_irr": 0.1})
    assert out.flags.assumption_violated
    assert out.regime == "target_concedes_regardless"
    assert out.p_war == 0.0


def test_no_threat_pbe_when_resolved_war_payoff_below_status_quo() -> None:
    # p - c_res = 0.25 <= q = 0.3 but > q - a = 0.2: resolved yet prefers SQ to war.
    out = MODEL.solve({**CASE, "c_res": 0.3})
    assert out.regime == "semi_separating"
    assert out.details["no_threat_pbe_also_exists"] and out.flags.multiple_equilibria
    assert "fails D1" in out.explanation


def test_game_tree_shape() -> None:
    g = MODEL.game(CASE)
    assert g.players == ("Challenger", "Target")
    assert len(g.infosets["target"].nodes) == 2
    assert not g.is_perfect_information


def golden(suffix: str) -> list[dict[str, Any]]:
    """Fixture points (pygambit logit-QRE limits) of the models whose names end in ``suffix``."""
    points = json.loads(GOLDEN.read_text())["points"]
    return [e for e in points if e["model"].endswith(suffix)]


@pytest.mark.parametrize("entry", golden("_incomplete_info"),
                         ids=lambda e: f"{e['model']}-{e['id']}")
def test_matches_pygambit_golden(entry: dict[str, Any]) -> None:
    model = get_model(entry["model"])
    out = model.solve(entry["params"])
    words = (("Threaten", "Comply", "Defy", "Impose") if entry["model"].startswith("sanctions")
             else ("Demand", "Concede", "Resist", "Execute"))
    for key, probs in model_behaviour(out, *words).items():
        for action, prob in probs.items():
            assert entry["behaviour"][key][action] == pytest.approx(prob, abs=1e-5), key


@settings(max_examples=150, deadline=None)
@given(a1=st.floats(0.01, 0.5), a2=st.floats(0.01, 0.5), pi=st.floats(0.01, 0.6))
def test_audience_costs_lower_rho_and_war_not_beta(a1: float, a2: float, pi: float) -> None:
    lo, hi = sorted((a1, a2))
    base = {**CASE, "pi": pi, "c_irr": 0.9}
    r_lo, r_hi = MODEL.solve({**base, "a_A": lo}), MODEL.solve({**base, "a_A": hi})
    if r_lo.regime == r_hi.regime == "semi_separating":
        assert r_hi.details["rho_star"] <= r_lo.details["rho_star"] + 1e-12
        assert r_hi.p_war <= r_lo.p_war + 1e-12
        assert r_hi.probabilities["Concession"] >= r_lo.probabilities["Concession"] - 1e-12
        assert r_hi.details["beta"] == pytest.approx(r_lo.details["beta"], abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(x1=st.floats(0.35, 0.74), x2=st.floats(0.35, 0.74))
def test_larger_demands_raise_mu_star(x1: float, x2: float) -> None:
    lo, hi = sorted((x1, x2))
    m_lo = MODEL.solve({**CASE, "x": lo}).details["mu_star"]
    m_hi = MODEL.solve({**CASE, "x": hi}).details["mu_star"]
    assert m_hi >= m_lo - 1e-12


def _random_points(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {
        "q": rng.uniform(0, 1, n), "x": rng.uniform(0, 1, n), "p": rng.uniform(0, 1, n),
        "c_B": rng.uniform(0, 0.5, n), "a_A": rng.choice([0.0, 0.1, 0.3], n),
        "b_B": rng.choice([0.0, 0.05], n), "c_res": rng.uniform(0, 0.5, n),
        "c_irr": rng.uniform(0.2, 1.5, n), "pi": rng.uniform(0, 1, n),
    }


def assert_batch_agrees(model: Any, arrays: dict[str, np.ndarray]) -> None:
    """solve_batch and solve give the same regime, probabilities, payoffs and flags."""
    batch = model.solve_batch(arrays)
    n = len(batch)
    kinds = {s.name: s.kind for s in model.params}
    for k in range(n):
        point = {name: (int(v[k]) if kinds[name] == "integer" else float(v[k]))
                 for name, v in arrays.items()}
        out = model.solve(point)
        assert model.regimes[batch.regime[k]] == out.regime, point
        for j, label in enumerate(model.outcomes):
            assert batch.probabilities[k, j] == pytest.approx(
                out.probabilities.get(label, 0.0), abs=1e-12), point
        assert batch.p_war[k] == pytest.approx(out.p_war, abs=1e-12)
        for role in model.players:
            assert batch.payoffs[role][k] == pytest.approx(out.payoffs[role], abs=1e-12)
        assert bool(batch.boundary[k]) == out.flags.boundary, point
        assert bool(batch.multiple_equilibria[k]) == out.flags.multiple_equilibria, point
        assert bool(batch.assumption_violated[k]) == out.flags.assumption_violated, point
    assert np.allclose(batch.probabilities.sum(axis=1), 1.0)


def test_batch_agrees_with_solve() -> None:
    assert_batch_agrees(MODEL, _random_points(np.random.default_rng(7), 400))


def test_kernel_outcomes_are_distributions() -> None:
    rng = np.random.default_rng(11)
    pts = _random_points(rng, 20_000)
    r = MODEL.solve_batch(pts)
    assert np.allclose(r.probabilities.sum(axis=1), 1.0)
    assert (r.probabilities >= -1e-12).all()
    assert set(np.unique(r.regime)) <= set(range(len(tg.II_REGIMES)))


def test_rejects_out_of_range() -> None:
    with pytest.raises(ModelError):
        MODEL.solve({**CASE, "pi": 1.5})


def _matches(behaviour: dict[str, dict[str, Any]], want: dict[str, dict[str, float]]) -> bool:
    return all(abs(float(behaviour[k][a]) - p) <= 1e-9 for k, probs in want.items()
               for a, p in probs.items())


@pytest.mark.parametrize("model_name", ["threat_game_incomplete_info", "sanctions_incomplete_info"])
def test_engine_finds_the_reported_pbe(model_name: str) -> None:
    """The generic engine's sequentially rational Nash equilibria include the closed form."""
    from sim.solvers.sequential import nash_efg_solve

    model = get_model(model_name)
    words = (("Threaten", "Comply", "Defy", "Impose") if model_name.startswith("sanctions")
             else ("Demand", "Concede", "Resist", "Execute"))
    rng = np.random.default_rng(31)
    checked = 0
    while checked < 8:
        point = {k: float(v[0]) for k, v in _random_points(rng, 1).items()}
        if model_name.startswith("sanctions"):
            point = {"V_S": rng.uniform(0.2, 2), "V_T": rng.uniform(0, 1), "k_T": rng.uniform(0, 2),
                     "a_S": rng.uniform(0.1, 1), "b_T": 0.0, "k_S_res": rng.uniform(0, 0.1),
                     "k_S_irr": rng.uniform(1, 2), "pi": rng.uniform(0.05, 0.95)}
        out = model.solve(point)
        if out.regime not in ("pooling", "semi_separating") or out.flags.boundary:
            continue
        if out.flags.multiple_equilibria and not out.details["no_threat_pbe_also_exists"]:
            continue
        result = nash_efg_solve(model.game(point))
        want = model_behaviour(out, *words)
        rational = [e for e in result.equilibria if e.label == "Nash, sequentially rational"]
        assert any(_matches(e.behavior, want) for e in rational), point
        checked += 1
