"""Fearon's risk-return trade-off with private war costs (models.md §1b)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.models import get_model
from sim.models.base import ModelError
from tests.models.test_threat_game_incomplete_info import assert_batch_agrees

MODEL = get_model("fearon_tioli_private_costs")


def test_interior_case() -> None:
    out = MODEL.solve({"p": 0.5, "c_A": 0.1, "c_lo": 0.0, "c_hi": 0.3})
    assert out.regime == "interior"
    assert out.details["x_star"] == pytest.approx(0.6)
    assert out.p_war == pytest.approx(1 / 3)
    assert out.payoffs["Challenger"] == pytest.approx(0.533333333333)
    assert out.payoffs["Target"] == pytest.approx(0.416666666667)


def test_safe_offer_and_corner() -> None:
    safe = MODEL.solve({"c_A": 0.3, "c_lo": 0.0, "c_hi": 0.3})
    assert safe.regime == "safe_offer" and safe.p_war == 0.0 and safe.flags.boundary
    safe2 = MODEL.solve({"c_A": 0.35})
    assert safe2.regime == "safe_offer" and not safe2.flags.boundary
    corner = MODEL.solve({"p": 0.95})
    assert corner.regime == "corner_full_demand" and corner.details["x_star"] == 1.0
    assert corner.p_war == pytest.approx(0.05 / 0.3)


def test_target_proposes_mirror() -> None:
    out = MODEL.solve({"p": 0.5, "c_B": 0.1, "proposer": 1})
    assert out.details["x_star"] == pytest.approx(0.4)
    assert out.p_war == pytest.approx(1 / 3)
    assert out.payoffs["Target"] == pytest.approx(0.533333333333)


def test_constraint() -> None:
    with pytest.raises(ModelError, match="c_lo < c_hi"):
        MODEL.solve({"c_lo": 0.3, "c_hi": 0.3})
    with pytest.raises(ModelError, match="c_lo < c_hi"):
        MODEL.solve_batch({"c_lo": [0.1, 0.4], "c_hi": [0.3, 0.3]})


@settings(max_examples=200, deadline=None)
@given(p1=st.floats(0, 0.6), p2=st.floats(0, 0.6), c_A=st.floats(0, 0.3),
       c_hi=st.floats(0.05, 0.4))
def test_p_war_does_not_depend_on_p(p1: float, p2: float, c_A: float, c_hi: float) -> None:
    a = MODEL.solve({"p": p1, "c_A": c_A, "c_hi": c_hi})
    b = MODEL.solve({"p": p2, "c_A": c_A, "c_hi": c_hi})
    assume(a.regime == b.regime == "interior")
    assert a.p_war == pytest.approx(b.p_war, abs=1e-12)
    assert a.details["x_star"] - p1 == pytest.approx(b.details["x_star"] - p2, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(c1=st.floats(0, 0.3), c2=st.floats(0, 0.3), h1=st.floats(0.3, 0.5), h2=st.floats(0.3, 0.5))
def test_war_falls_with_own_cost_rises_with_uncertainty(c1: float, c2: float, h1: float,
                                                        h2: float) -> None:
    lo_c, hi_c = sorted((c1, c2))
    lo_h, hi_h = sorted((h1, h2))
    base = {"p": 0.4, "c_lo": 0.0}
    assert (MODEL.solve({**base, "c_A": hi_c, "c_hi": lo_h}).p_war
            <= MODEL.solve({**base, "c_A": lo_c, "c_hi": lo_h}).p_war + 1e-12)
    assert (MODEL.solve({**base, "c_A": lo_c, "c_hi": hi_h}).p_war
            >= MODEL.solve({**base, "c_A": lo_c, "c_hi": lo_h}).p_war - 1e-12)


def test_grid_maximisation_and_integration() -> None:
    rng = np.random.default_rng(9)
    xs = np.linspace(0, 1, 100001)
    for _ in range(30):
        p, c_A = rng.uniform(0, 1), rng.uniform(0, 0.4)
        c_lo, c_hi = sorted(rng.uniform(0, 0.5, 2))
        F = np.clip((xs - p - c_lo) / (c_hi - c_lo), 0, 1)
        U = xs * (1 - F) + (p - c_A) * F
        out = MODEL.solve({"p": p, "c_A": c_A, "c_lo": c_lo, "c_hi": c_hi})
        # The closed form is the true maximum; the grid gets within a step of it.
        assert U.max() <= out.payoffs["Challenger"] + 1e-12
        assert U.max() == pytest.approx(out.payoffs["Challenger"], abs=2e-5)
        # Target's ex-ante utility by midpoint integration over its cost.
        cs = c_lo + (np.arange(20000) + 0.5) / 20000 * (c_hi - c_lo)
        x = out.details["x_star"]
        eu_B = np.where(cs >= x - p, 1 - x, 1 - p - cs).mean()
        assert eu_B == pytest.approx(out.payoffs["Target"], abs=1e-4)


def test_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(6)
    n = 400
    lo = rng.uniform(0, 0.4, n)
    arrays = {"p": rng.uniform(0, 1, n), "c_A": rng.uniform(0, 0.5, n),
              "c_B": rng.uniform(0, 0.5, n), "c_lo": lo, "c_hi": lo + rng.uniform(0.01, 0.5, n),
              "proposer": rng.integers(0, 2, n).astype(float)}
    assert_batch_agrees(MODEL, arrays)
