"""Fearon's bargaining range under complete information (models.md §1a)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.models import get_model
from sim.solvers.spe import spe_solve
from tests.models.test_threat_game_incomplete_info import assert_batch_agrees

MODEL = get_model("fearon_bargaining_range")


def test_baseline_range_and_offers() -> None:
    out = MODEL.solve({"p": 0.6, "c_A": 0.1, "c_B": 0.15, "x": 0.7})
    d = out.details
    assert (d["lower"], d["upper"]) == pytest.approx((0.5, 0.75))
    assert d["width"] == pytest.approx(0.25) and d["nonempty"]
    assert d["tioli_challenger_proposes"] == pytest.approx(0.75)
    assert d["tioli_target_proposes"] == pytest.approx(0.5)
    assert out.outcome == "Agreement" and out.payoffs["Challenger"] == pytest.approx(0.7)


def test_2022_defaults_demand_outside_range_is_war() -> None:
    out = MODEL.solve()
    assert (out.details["lower"], out.details["upper"]) == pytest.approx((0.5, 0.75))
    assert out.regime == "demand_rejected" and out.p_war == 1.0
    assert not out.details["demand_inside_range"]
    assert out.payoffs == pytest.approx({"Challenger": 0.5, "Target": 0.25})
    assert "outside the bargaining range" in out.explanation
    assert out.details["challenger_dissatisfied"]


def test_status_quo_revised_only_outside_range() -> None:
    inside = MODEL.solve({"use_demand": 0, "q": 0.6})
    assert inside.regime == "status_quo_kept" and inside.outcome == "Status quo"
    below = MODEL.solve({"use_demand": 0, "q": 0.2})
    assert below.regime == "tioli_revision" and below.details["settlement"] == pytest.approx(0.75)
    target = MODEL.solve({"use_demand": 0, "q": 0.2, "proposer": 1})
    assert target.details["settlement"] == pytest.approx(0.5)


def test_zero_costs_single_point_and_negative_costs_flagged() -> None:
    point = MODEL.solve({"c_A": 0.0, "c_B": 0.0, "x": 0.65})
    assert point.details["width"] == 0.0 and point.flags.boundary
    assert point.outcome == "Agreement"
    neg = MODEL.solve({"c_A": -0.2, "c_B": -0.2})
    assert neg.flags.assumption_violated and not neg.details["nonempty"]
    assert neg.regime == "empty_range" and neg.p_war == 1.0


def test_risk_aversion_case() -> None:
    d = MODEL.solve({"p": 0.6, "c_A": 0.1, "c_B": 0.2, "r_B": 0.5}).details
    assert d["upper"] == pytest.approx(1 - 0.2**2)


@settings(max_examples=200, deadline=None)
@given(p=st.floats(0, 1), c_A=st.floats(0, 1), c_B=st.floats(0, 1),
       r_A=st.floats(0.1, 1), r_B=st.floats(0.1, 1))
def test_risk_aversion_widens_range(p: float, c_A: float, c_B: float, r_A: float,
                                    r_B: float) -> None:
    lin = MODEL.solve({"p": p, "c_A": c_A, "c_B": c_B}).details
    ra = MODEL.solve({"p": p, "c_A": c_A, "c_B": c_B, "r_A": r_A, "r_B": r_B}).details
    assert ra["lower"] <= lin["lower"] + 1e-12 and ra["upper"] >= lin["upper"] - 1e-12


@settings(max_examples=200, deadline=None)
@given(p=st.floats(0, 1), c_A=st.floats(0, 1), c_B=st.floats(0, 1))
def test_width_is_sum_of_costs_and_no_war(p: float, c_A: float, c_B: float) -> None:
    assume(p - c_A >= 0 and p + c_B <= 1)
    out = MODEL.solve({"p": p, "c_A": c_A, "c_B": c_B, "use_demand": 0})
    assert out.details["width"] == pytest.approx(c_A + c_B, abs=1e-12)
    assert out.p_war == 0.0


def test_brute_force_grid() -> None:
    rng = np.random.default_rng(1)
    xs = np.linspace(0, 1, 200001)
    for _ in range(20):
        p, c_A, c_B = rng.uniform(0, 1), rng.uniform(0, 0.5), rng.uniform(0, 0.5)
        r_A, r_B = rng.uniform(0.2, 1, 2)
        ok = (xs**r_A >= p - c_A) & ((1 - xs) ** r_B >= 1 - p - c_B)
        d = MODEL.solve({"p": p, "c_A": c_A, "c_B": c_B, "r_A": r_A, "r_B": r_B}).details
        assert xs[ok].min() == pytest.approx(max(d["lower"], 0.0), abs=1e-5)
        assert xs[ok].max() == pytest.approx(min(d["upper"], 1.0), abs=1e-5)


def test_engine_agrees_with_target_response() -> None:
    rng = np.random.default_rng(2)
    for _ in range(200):
        params = {"p": rng.uniform(0, 1), "c_A": rng.uniform(0, 0.5),
                  "c_B": rng.uniform(0, 0.5), "x": rng.uniform(0, 1), "q": rng.uniform(0, 1)}
        out = MODEL.solve(params)
        eq = spe_solve(MODEL.game(params),
                       preferred_on_tie={"Target: respond": "Accept",
                                         "Challenger: demand": "Status quo"}).equilibria[0]
        assert eq.behavior["Target: respond"]["Accept"] == float(out.details["demand_accepted"])


def test_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(4)
    n = 400
    arrays = {"p": rng.uniform(0, 1, n), "c_A": rng.uniform(-0.3, 0.6, n),
              "c_B": rng.uniform(-0.3, 0.6, n), "r_A": rng.choice([1.0, 0.5], n),
              "r_B": rng.choice([1.0, 0.7], n), "q": rng.uniform(0, 1, n),
              "x": rng.uniform(0, 1, n), "proposer": rng.integers(0, 2, n).astype(float),
              "use_demand": rng.integers(0, 2, n).astype(float),
              "demand_rule": rng.integers(0, 2, n).astype(float),
              "o_A": rng.choice([0.0, 0.1, 0.4], n)}
    assert_batch_agrees(MODEL, arrays)


def test_optimal_demand_is_accepted_where_the_stated_one_is_not() -> None:
    stated = MODEL.solve()
    optimal = MODEL.solve(demand_rule=1)
    assert stated.outcome == "War" and stated.details["x_star"] == pytest.approx(0.75)
    assert "due to the demand, not to the bargaining problem" in stated.explanation
    assert optimal.outcome == "Agreement" and optimal.p_war == 0.0
    assert optimal.details["demand_answered"] == pytest.approx(0.75)
    assert optimal.details["demand_gap"] == pytest.approx(0.15)
    assert optimal.payoffs["Challenger"] == pytest.approx(0.75)
    assert "lies 0.15 above x*" in optimal.explanation
    assert not optimal.flags.boundary  # the tie at x* is the tie rule's, not a knife edge


@pytest.mark.parametrize(("o_A", "empty_for_challenger"), [(0.1, False), (0.3, True)])
def test_optimism_makes_war_despite_an_optimal_demand(o_A: float,
                                                      empty_for_challenger: bool) -> None:
    out = MODEL.solve(demand_rule=1, o_A=o_A)
    # Challenger believes p + o_A and demands p + o_A + c_B; Target concedes at most p + c_B.
    assert out.details["x_star"] == pytest.approx(min(1.0, 0.65 + o_A + 0.10))
    assert out.outcome == "War" and out.p_war == 1.0
    assert "war despite an optimal demand" in out.explanation
    assert ("no deal Challenger prefers to war" in out.explanation) == empty_for_challenger
    # Optimism alone, with the stated demand, changes nothing: Target answers x.
    assert MODEL.solve(o_A=o_A).details["demand_answered"] == 0.9
