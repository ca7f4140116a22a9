"""Nash bargaining solution with war payoffs as disagreement point (models.md §4c)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from sim.models import get_model
from tests.models.test_threat_game_incomplete_info import assert_batch_agrees

MODEL = get_model("nash_bargaining")


def test_symmetric_linear() -> None:
    out = MODEL.solve({"p": 0.6, "c_A": 0.1, "c_B": 0.2})
    assert out.details["x1"] == pytest.approx(0.65, abs=1e-12)
    assert (out.details["d1"], out.details["d2"]) == pytest.approx((0.5, 0.2))
    assert "disagreement point" in out.explanation


def test_risk_averse_side_b() -> None:
    out = MODEL.solve({"p": 0.6, "c_A": 0.1, "c_B": 0.2, "r_B": 0.5})
    assert out.details["x1"] == pytest.approx(0.769290339351, abs=1e-10)
    assert out.payoffs["Side B"] == pytest.approx(0.480322454866, abs=1e-10)


@settings(max_examples=100, deadline=None)
@given(p=st.floats(0.05, 0.95), c_A=st.floats(0, 0.5), c_B=st.floats(0, 0.5),
       alpha=st.floats(0.05, 0.95), r_A=st.floats(0.2, 1), r_B=st.floats(0.2, 1))
def test_matches_scipy_bounded_maximisation(p: float, c_A: float, c_B: float, alpha: float,
                                            r_A: float, r_B: float) -> None:
    out = MODEL.solve({"p": p, "c_A": c_A, "c_B": c_B, "alpha": alpha, "r_A": r_A, "r_B": r_B})
    d1, d2, lo, hi = (out.details[k] for k in ("d1", "d2", "lower", "upper"))
    if hi - lo < 1e-6:
        return

    def neg(x: float) -> float:
        g1, g2 = x**r_A - d1, (1 - x) ** r_B - d2
        if g1 <= 0 or g2 <= 0:
            return 0.0
        return -(g1**alpha) * g2 ** (1 - alpha)

    res = minimize_scalar(neg, bounds=(max(lo, 0.0), min(hi, 1.0)), method="bounded",
                          options={"xatol": 1e-12})
    assert -neg(out.details["x1"]) >= -res.fun - 1e-12
    assert out.details["x1"] == pytest.approx(res.x, abs=1e-4)


@settings(max_examples=100, deadline=None)
@given(r1=st.floats(0.2, 1), r2=st.floats(0.2, 1))
def test_more_risk_averse_side_b_concedes_more(r1: float, r2: float) -> None:
    lo, hi = sorted((r1, r2))
    x_lo = MODEL.solve({"r_B": lo}).details["x1"]
    x_hi = MODEL.solve({"r_B": hi}).details["x1"]
    assert x_lo >= x_hi - 1e-12


def test_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(14)
    n = 300
    assert_batch_agrees(MODEL, {"p": rng.uniform(0, 1, n), "c_A": rng.uniform(0, 1, n),
                                "c_B": rng.uniform(0, 1, n), "alpha": rng.uniform(0, 1, n),
                                "r_A": rng.choice([1.0, 0.5, 0.8], n),
                                "r_B": rng.choice([1.0, 0.3], n)})


@pytest.mark.parametrize("r_B", [1.0, 0.5])
def test_all_weight_to_one_side_gives_the_end_of_the_range(r_B: float) -> None:
    top = MODEL.solve({"alpha": 1.0, "r_B": r_B, "r_A": 0.7})
    bottom = MODEL.solve({"alpha": 0.0, "r_B": r_B, "r_A": 0.7})
    assert top.details["x1"] == pytest.approx(top.details["upper"], abs=1e-12)
    assert bottom.details["x1"] == pytest.approx(bottom.details["lower"], abs=1e-12)
