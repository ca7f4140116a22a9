"""Rubinstein bargaining and war as an outside option (models.md §4a-4b)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels.bargaining import outside_option_shares
from sim.models import get_model
from tests.models.test_threat_game_incomplete_info import assert_batch_agrees

RUB = get_model("rubinstein")
OO = get_model("rubinstein_outside_option")


def _backward_induction(d1: float, d2: float, w1: float | None = None,
                        w2: float | None = None, periods: int = 4000) -> float:
    """First proposer's share in a finite truncation (last responder's pie worth 0)."""
    # v = what the proposer of the current period gets, computed from the end.
    v = 1.0
    for t in range(periods - 1, 0, -1):
        # Responder at t-1 is the proposer at t, with its own discount factor.
        d_next = d1 if t % 2 == 0 else d2
        w_resp = (w1 if t % 2 == 0 else w2)
        keep = d_next * v
        if w_resp is not None:
            keep = max(keep, w_resp)
        v = 1.0 - keep
    return v


def test_symmetric_case() -> None:
    out = RUB.solve({"delta_A": 0.9, "delta_B": 0.9})
    assert out.details["x1"] == pytest.approx(1 / 1.9, abs=1e-12)
    assert out.details["x1"] == pytest.approx(_backward_induction(0.9, 0.9), abs=1e-9)


def test_time_is_on_russias_side() -> None:
    out = RUB.solve({"delta_A": 0.95, "delta_B": 0.8})
    assert out.details["x_A"] == pytest.approx(0.2 / 0.24, abs=1e-12)  # 0.833
    rev = RUB.solve({"delta_A": 0.8, "delta_B": 0.95})
    assert rev.details["x_A"] == pytest.approx(0.05 / 0.24, abs=1e-12)  # 0.208
    side_b_first = RUB.solve({"delta_A": 0.95, "delta_B": 0.8, "proposer": 1})
    assert side_b_first.details["x_B"] == pytest.approx(0.05 / 0.24, abs=1e-12)


def test_continuous_time_limit() -> None:
    r1, r2, dt = 0.05, 0.2, 1e-4
    out = RUB.solve({"delta_A": float(np.exp(-r1 * dt)), "delta_B": float(np.exp(-r2 * dt))})
    assert out.details["x1"] == pytest.approx(r2 / (r1 + r2), abs=1e-4)
    assert out.details["continuous_time_limit_x1"] == pytest.approx(r2 / (r1 + r2), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(a=st.floats(0, 0.99), b=st.floats(0, 0.99), other=st.floats(0, 0.99))
def test_share_rises_with_own_patience(a: float, b: float, other: float) -> None:
    lo, hi = sorted((a, b))
    for proposer in (0, 1):
        s_lo = RUB.solve({"delta_A": lo, "delta_B": other, "proposer": proposer}).details["x_A"]
        s_hi = RUB.solve({"delta_A": hi, "delta_B": other, "proposer": proposer}).details["x_A"]
        assert s_hi >= s_lo - 1e-12


def test_outside_option_cases() -> None:
    free = OO.solve({"delta_A": 0.9, "delta_B": 0.9, "p": 0.5, "c_A": 0.2, "c_B": 0.2})
    assert free.details["x1"] == pytest.approx(1 / 1.9)
    assert not free.details["option_1_binding"] and not free.details["option_2_binding"]
    s22 = OO.solve()
    assert s22.details["x1"] == pytest.approx(0.75, abs=1e-12)
    assert s22.details["rubinstein_x1_without_options"] == pytest.approx(0.779220779221)
    assert s22.details["option_2_binding"] and s22.regime == "option_2_binds"
    capped = OO.solve({"delta_A": 0.95, "delta_B": 0.8, "p": 0.5, "c_A": 0.2, "c_B": 0.2})
    assert capped.details["x1"] == pytest.approx(0.7)
    assert "capped" in capped.explanation


def test_any_node_timing_gives_the_same_spe() -> None:
    rng = np.random.default_rng(8)
    for _ in range(200):
        params = {"delta_A": rng.uniform(0, 0.99), "delta_B": rng.uniform(0, 0.99),
                  "p": rng.uniform(0, 1), "c_A": rng.uniform(0, 1), "c_B": rng.uniform(0, 1),
                  "proposer": int(rng.integers(0, 2))}
        a = OO.solve(params)
        b = OO.solve({**params, "opt_out_timing": 1})
        assert b.p_war == 0.0 and b.payoffs == a.payoffs


def test_outside_option_matches_iteration_and_backward_induction() -> None:
    rng = np.random.default_rng(10)
    n = 20_000
    d1, d2 = rng.uniform(0, 0.99, (2, n))
    p = rng.uniform(0, 1, n)
    w1, w2 = p - rng.uniform(0, 1, n), 1 - p - rng.uniform(0, 1, n)
    r = outside_option_shares(d1, d2, w1, w2)
    m1, m2 = np.ones(n), np.ones(n)
    for _ in range(3000):
        m1, m2 = 1 - np.maximum(w2, d2 * m2), 1 - np.maximum(w1, d1 * m1)
    assert np.abs(m1 - r["x1"]).max() < 1e-9
    for k in range(5):
        bi = _backward_induction(d1[k], d2[k], w1[k], w2[k])
        assert bi == pytest.approx(r["x1"][k], abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(dR=st.floats(0, 0.99), dW=st.floats(0, 0.99), p=st.floats(0, 1), c_B=st.floats(0, 1))
def test_option_caps_share(dR: float, dW: float, p: float, c_B: float) -> None:
    out = OO.solve({"delta_A": dR, "delta_B": dW, "p": p, "c_B": c_B})
    assert out.details["x1"] <= 1 - (1 - p - c_B) + 1e-12
    if not out.details["option_1_binding"] and not out.details["option_2_binding"]:
        assert out.details["x1"] == pytest.approx(out.details["rubinstein_x1_without_options"])


def test_batches_agree_with_solve() -> None:
    rng = np.random.default_rng(12)
    n = 300
    assert_batch_agrees(RUB, {"delta_A": rng.uniform(0, 0.999, n),
                              "delta_B": rng.uniform(0, 0.999, n),
                              "proposer": rng.integers(0, 2, n).astype(float)})
    assert_batch_agrees(OO, {"delta_A": rng.uniform(0, 0.999, n),
                             "delta_B": rng.uniform(0, 0.999, n),
                             "proposer": rng.integers(0, 2, n).astype(float),
                             "p": rng.uniform(0, 1, n), "c_A": rng.uniform(0, 1, n),
                             "c_B": rng.uniform(0, 1, n),
                             "opt_out_timing": rng.integers(0, 2, n).astype(float)})
