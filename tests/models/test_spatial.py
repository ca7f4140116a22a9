"""Multi-actor spatial bargaining: weighted median, mean, cohesion, BDM (models.md §8)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels.spatial import (
    bdm_dynamics,
    bdm_expected_utility,
    bdm_probability,
    weighted_median,
)
from sim.models import ModelError, get_model

MODEL = get_model("spatial_weighted_median_bdm")


def test_enlargement_case_defaults() -> None:
    out = MODEL.solve()
    d = out.details
    assert d["weights"]["Challenger"] == pytest.approx(0.3)
    assert d["weights"]["Ally 1"] == pytest.approx(0.21)
    assert d["weighted_median"] == 10.0
    assert d["weighted_mean"] == pytest.approx(36.275, abs=1e-12)
    assert d["P"]["Challenger"]["Leader"] == pytest.approx(0.26883910387, abs=1e-10)
    assert d["EU"]["Challenger"]["Leader"] == pytest.approx(-0.0425254582485, abs=1e-10)
    assert d["P"]["Challenger"]["Ally 1"] == pytest.approx(0.217973231358, abs=1e-10)
    assert d["EU"]["Challenger"]["Ally 1"] == pytest.approx(0.067724665392, abs=1e-10)
    assert d["coalition_weighted_mean"] == pytest.approx(18.5563380282, abs=1e-9)
    assert d["coalition_weighted_sd"] == pytest.approx(18.0138931704, abs=1e-9)
    assert d["median_actors"] == ["Leader"]
    assert out.outcome == "Demand rejected" and out.regime == "demand_rejected"
    assert out.p_war == 0.0
    assert d["utilities"]["Leader"] == 1.0 and out.payoffs["Challenger"] == pytest.approx(0.1)
    # Coalition's payoff: NATO members' utilities 1 - |x - m|/100, weighted by c·s
    coalition = (0.7 * 1.0 + 0.21 * 0.65 + 0.18 * 0.6 + 0.18 * 0.95 + 0.15 * 0.9) / 1.42
    assert out.payoffs["Coalition"] == pytest.approx(coalition, abs=1e-12)
    # Weight at or below 10 is 1.13 against 0.87 above: Challenger needs 0.26 more.
    assert d["first_actor_weight_to_move_median"] == pytest.approx(0.26)
    assert "more than 0.26 extra weight" in out.explanation
    assert "not a war model" in out.explanation


def test_cohesion_follows_the_nato_parameter() -> None:
    out = MODEL.solve(coalition=["Leader", "Ally 3", "Ally 4"])
    # Leader 0.7 at 10, Ally 3 0.18 at 5, Ally 4 0.15 at 0.
    mean = (7.0 + 0.9) / 1.03
    sd = np.sqrt((0.7 * (10 - mean) ** 2 + 0.18 * (5 - mean) ** 2 + 0.15 * mean ** 2) / 1.03)
    assert out.details["coalition_weighted_mean"] == pytest.approx(mean)
    assert out.details["coalition_weighted_sd"] == pytest.approx(sd)
    assert MODEL.solve(coalition=[]).details["coalition_weighted_sd"] is None


def test_constraints() -> None:
    with pytest.raises(ModelError, match="position"):
        MODEL.solve(position=[1.0, 2.0])
    with pytest.raises(ModelError, match="coalition"):
        MODEL.solve(coalition=["Canada"])
    with pytest.raises(ModelError, match="actors"):
        MODEL.solve(actors=["A"] * 8)
    with pytest.raises(ModelError, match="position"):
        MODEL.solve(position=[120.0] * 8)
    with pytest.raises(ModelError, match="total weight"):
        MODEL.solve(capability=[0.0] * 8)


def test_median_half_weight_tie() -> None:
    m, tie = weighted_median([0.0, 40.0, 60.0, 100.0], [1.0, 1.0, 1.0, 1.0])
    assert (m, tie) == (50.0, True)
    out = MODEL.solve(actors=["Challenger", "Leader", "Ally 1", "Outsider"],
                      position=[100.0, 0.0, 40.0, 60.0], capability=[1.0] * 4,
                      salience=[1.0] * 4, coalition=["Leader", "Ally 1"])
    assert out.details["weighted_median"] == 50.0
    assert out.flags.boundary and out.flags.multiple_equilibria
    assert out.outcome == "Compromise"


positions = st.lists(st.integers(0, 100).map(float), min_size=2, max_size=8)


@settings(max_examples=150, deadline=None)
@given(positions, st.data())
def test_weighted_median_is_a_condorcet_winner(x: list[float], data: st.DataObject) -> None:
    w = data.draw(st.lists(st.floats(0.01, 1.0), min_size=len(x), max_size=len(x)))
    m, _ = weighted_median(x, w)
    xs, ws = np.asarray(x), np.asarray(w)
    for y in np.linspace(0, 100, 201):
        prefer_m = ws[np.abs(xs - m) < np.abs(xs - y)].sum()
        prefer_y = ws[np.abs(xs - y) < np.abs(xs - m)].sum()
        assert prefer_m >= prefer_y - 1e-9


@settings(max_examples=100, deadline=None)
@given(positions, st.data())
def test_bdm_identities_at_r_one(x: list[float], data: st.DataObject) -> None:
    n = len(x)
    c = np.asarray(data.draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    s = np.asarray(data.draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    xs = np.asarray(x)
    prob = bdm_probability(xs, c, s)
    eu = bdm_expected_utility(xs, s, prob)
    span = xs.max() - xs.min()
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            if xs[i] != xs[j]:
                assert prob[i, j] + prob[j, i] == pytest.approx(1.0, abs=1e-12)
            d = abs(xs[i] - xs[j]) / span if span > 0 else 0.0
            # models.md §8: with r = 1 and Q = 1, EU = 2d[1 − 2 s_j (1 − P)].
            assert eu[i, j] == pytest.approx(2 * d * (1 - 2 * s[j] * (1 - prob[i, j])),
                                             abs=1e-12)


def test_solve_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(3)
    n = 60
    r, q = rng.uniform(0.5, 2.0, n), rng.uniform(0.0, 2.0, n)
    batch = MODEL.solve_batch({"r": r, "Q": q})
    for k in range(n):
        out = MODEL.solve(r=float(r[k]), Q=float(q[k]))
        assert batch.regimes[batch.regime[k]] == out.regime
        assert batch.p_war[k] == out.p_war
        for actor in MODEL.players:
            assert batch.payoffs[actor][k] == out.payoffs[actor]
        for other, value in out.details["EU"]["Challenger"].items():
            assert batch.details[f"EU_Challenger_challenges_{other}"][k] == pytest.approx(
                value, abs=1e-12)
    with pytest.raises(ModelError, match="coalition"):
        MODEL.solve_batch({"r": r, "coalition": ["Canada"]})


def test_risk_exponent_changes_eu_not_the_forecast() -> None:
    a, b = MODEL.solve(r=0.5), MODEL.solve(r=2.0)
    assert a.details["weighted_median"] == b.details["weighted_median"]
    eu_a, eu_b = a.details["EU"]["Challenger"], b.details["EU"]["Challenger"]
    assert eu_a["Leader"] != pytest.approx(eu_b["Leader"])


def test_dynamics_heuristic_is_separate_and_stops() -> None:
    rounds = MODEL.dynamics(rounds=10)
    assert rounds[0].positions == tuple(MODEL.defaults()["position"])
    assert not any(rounds[-1].moved) or len(rounds) == 10
    assert rounds == bdm_dynamics(MODEL.defaults()["position"], MODEL.defaults()["capability"],
                                  MODEL.defaults()["salience"], rounds=10)
    assert MODEL.dynamics(rounds=0) == []
    # Solving never runs the dynamics: the reported positions are the inputs.
    assert MODEL.solve().details["weighted_median"] == rounds[0].weighted_median


def test_no_finite_game() -> None:
    assert MODEL.game() is None


@settings(max_examples=100, deadline=None)
@given(positions, st.data())
def test_more_weight_never_pushes_the_median_away(x: list[float], data: st.DataObject) -> None:
    n = len(x)
    w = np.asarray(data.draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
    extra = data.draw(st.floats(0.0, 2.0))
    m, _ = weighted_median(x, w)
    heavier = w.copy()
    heavier[0] += extra
    m2, _ = weighted_median(x, heavier)
    assert abs(m2 - x[0]) <= abs(m - x[0]) + 1e-12
    assert weighted_median(x, 3.0 * w)[0] == m
