"""Bargaining solutions: model cases M4-* and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.games.errors import GameError
from sim.solvers.bargaining import (
    kalai_smorodinsky_solve,
    nash_bargaining_solve,
    power_utility,
    rubinstein_solve,
)
from tests.engine_ef import model_case


def test_rubinstein_case() -> None:
    case = model_case("M4-rub-symmetric-0.9")
    res = rubinstein_solve(case["params"]["delta_1"], case["params"]["delta_2"])
    assert res.x1 == pytest.approx(case["expected"]["x1"], abs=case["tolerance"])
    assert res.x2 == pytest.approx(case["expected"]["x2"], abs=case["tolerance"])
    assert res.method == "rubinstein" and res.binding == "none"


@pytest.mark.parametrize("case_id", ["M4-oo-not-binding", "S2022-default-patience-and-war-options"])
def test_outside_option_cases(case_id: str) -> None:
    case = model_case(case_id)
    p = case["params"]
    w = (p["p"] - p["c_1"], 1 - p["p"] - p["c_2"])
    res = rubinstein_solve(p["delta_1"], p["delta_2"], outside_options=w)
    e = case["expected"]
    tol = case["tolerance"]
    assert res.x1 == pytest.approx(e["x1"], abs=tol)
    assert res.x2 == pytest.approx(e["x2"], abs=tol)
    assert res.extra["w1"] == pytest.approx(e["w1"], abs=tol)
    assert res.extra["w2"] == pytest.approx(e["w2"], abs=tol)
    assert res.extra["x1_without_options"] == pytest.approx(e["rubinstein_x1_without_options"],
                                                            abs=tol)
    assert res.extra["option_1_binding"] is e["option_1_binding"]
    assert res.extra["option_2_binding"] is e["option_2_binding"]


def test_models_md_2022_reading() -> None:
    # §4b: delta_R = 0.95, delta_W = 0.8, p = 0.5, c = 0.2 -> 0.7 instead of 0.833.
    free = rubinstein_solve(0.95, 0.8)
    capped = rubinstein_solve(0.95, 0.8, outside_options=(0.3, 0.3))
    assert free.x1 == pytest.approx(0.2 / 0.24)
    assert capped.x1 == pytest.approx(0.7)
    assert capped.binding == "outside_option_2"
    assert rubinstein_solve(0.8, 0.95).x1 == pytest.approx(0.05 / 0.24)


def test_outside_option_regimes_of_the_table() -> None:
    d1, d2 = 0.9, 0.9
    # Only player 1's option binds: x1 = 1 - d2 (1 - w1).
    res = rubinstein_solve(d1, d2, outside_options=(0.6, 0.0))
    assert res.binding == "outside_option_1"
    assert res.x1 == pytest.approx(1 - d2 * (1 - 0.6))
    both = rubinstein_solve(d1, d2, outside_options=(0.6, 0.6))
    assert both.binding == "outside_option_2" or both.binding == "both"
    assert both.x1 == pytest.approx(0.4)


@pytest.mark.parametrize("case_id", ["M4-nbs-symmetric", "M4-nbs-risk-averse-west"])
def test_nash_bargaining_cases(case_id: str) -> None:
    case = model_case(case_id)
    p, e = case["params"], case["expected"]
    d1, d2 = p["p"] - p["c_1"], 1 - p["p"] - p["c_2"]
    u1 = None if p["r_1"] == 1 else power_utility(p["r_1"])
    u2 = None if p["r_2"] == 1 else power_utility(p["r_2"])
    res = nash_bargaining_solve(d1, d2, p["alpha"], u1, u2)
    tol = case["tolerance"]
    assert res.x1 == pytest.approx(e["x1"], abs=tol)
    assert res.u1 == pytest.approx(e["u1"], abs=tol)
    assert res.u2 == pytest.approx(e["u2"], abs=tol)
    assert d1 == pytest.approx(e["d1"]) and d2 == pytest.approx(e["d2"])


def test_generalised_nbs_linear_and_numeric_agree() -> None:
    closed = nash_bargaining_solve(0.5, 0.2, alpha=0.3)
    numeric = nash_bargaining_solve(0.5, 0.2, alpha=0.3, u1=power_utility(1.0))
    assert closed.x1 == pytest.approx(0.5 + 0.3 * 0.3)
    assert numeric.x1 == pytest.approx(closed.x1, abs=1e-8)


def test_empty_bargaining_range() -> None:
    res = nash_bargaining_solve(0.7, 0.5)
    assert res.binding == "empty" and math.isnan(res.x1)


def test_kalai_smorodinsky() -> None:
    # Linear: gains split in proportion to ideal gains (both 1 - d1 - d2): same as symmetric NBS.
    res = kalai_smorodinsky_solve(0.5, 0.2)
    assert res.x1 == pytest.approx(0.65)
    risk = kalai_smorodinsky_solve(0.5, 0.2, u2=power_utility(0.5))
    # Ideal points: I1 = 1 - 0.2**2 = 0.96, I2 = sqrt(0.5); equal relative gains.
    g1 = (risk.u1 - 0.5) / (0.96 - 0.5)
    g2 = (risk.u2 - 0.2) / (math.sqrt(0.5) - 0.2)
    assert g1 == pytest.approx(g2, abs=1e-9)


def test_invalid_discount_factors() -> None:
    with pytest.raises(GameError, match="delta_1 must be in \\[0, 1\\], got 1.5"):
        rubinstein_solve(1.5, 0.5)
    with pytest.raises(GameError, match="at least one discount factor must be below 1"):
        rubinstein_solve(1.0, 1.0)


delta = st.floats(min_value=0.0, max_value=0.99)


@settings(max_examples=60, deadline=None)
@given(d1=delta, d1b=delta, d2=delta)
def test_share_rises_with_own_patience(d1: float, d1b: float, d2: float) -> None:
    lo, hi = sorted((d1, d1b))
    assert rubinstein_solve(lo, d2).x1 <= rubinstein_solve(hi, d2).x1 + 1e-12


@settings(max_examples=60, deadline=None)
@given(d1=delta, d2=delta, w1=st.floats(0.0, 1.0), w2=st.floats(0.0, 1.0))
def test_outside_options_matter_only_when_binding(d1, d2, w1, w2) -> None:
    free = rubinstein_solve(d1, d2)
    res = rubinstein_solve(d1, d2, outside_options=(w1, w2))
    if res.binding == "none":
        assert res.x1 == pytest.approx(free.x1, abs=1e-9)
    m2 = (1 - d1) / (1 - d1 * d2)
    if w2 <= d2 * m2 - 1e-9 and w1 <= d1 * free.x1 - 1e-9:
        assert res.binding == "none"
        assert res.x1 == pytest.approx(free.x1, abs=1e-9)
    if res.binding == "outside_option_2":
        assert res.x1 == pytest.approx(1 - w2, abs=1e-9)
