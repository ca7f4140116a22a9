"""Bargaining closed forms of ``sim.kernels.bargaining``: Rubinstein, outside options,
Nash and Kalai–Smorodinsky (the worked cases run in ``tests/test_model_cases.py``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels.bargaining import (
    kalai_smorodinsky_share,
    nash_share,
    outside_option_shares,
    rubinstein_share,
)


def test_rubinstein_symmetric() -> None:
    # (1 - d) / (1 - d^2) = 1 / (1 + d).
    assert float(rubinstein_share(0.9, 0.9)) == pytest.approx(1 / 1.9)


def test_outside_option_caps_the_patient_share() -> None:
    # δ_A = 0.95, δ_B = 0.8, war worth 0.3 to B: 0.7 instead of 0.2/0.24.
    free = outside_option_shares(0.95, 0.8, 0.0, 0.0)
    capped = outside_option_shares(0.95, 0.8, 0.3, 0.3)
    assert float(free["x1"]) == pytest.approx(0.2 / 0.24)
    assert float(capped["x1"]) == pytest.approx(0.7)
    assert bool(capped["binding_2"]) and not bool(capped["binding_1"])
    assert float(rubinstein_share(0.8, 0.95)) == pytest.approx(0.05 / 0.24)


def test_outside_option_regimes_of_the_table() -> None:
    only_1 = outside_option_shares(0.9, 0.9, 0.6, 0.0)
    assert bool(only_1["binding_1"]) and not bool(only_1["binding_2"])
    assert float(only_1["x1"]) == pytest.approx(1 - 0.9 * (1 - 0.6))
    both = outside_option_shares(0.9, 0.9, 0.6, 0.6)
    assert float(both["x1"]) == pytest.approx(0.4)


def test_nash_linear_closed_form_and_concave_root_agree() -> None:
    closed = float(nash_share(0.5, 0.2, 0.3))
    assert closed == pytest.approx(0.5 + 0.3 * 0.3)
    # r = 1 through the numeric branch: force it with a utility exponent a hair below 1.
    numeric = float(nash_share(0.5, 0.2, 0.3, r1=1 - 1e-12))
    assert numeric == pytest.approx(closed, abs=1e-8)


def test_nash_risk_averse_responder_concedes_more() -> None:
    assert float(nash_share(0.5, 0.2, 0.5, r2=0.5)) > float(nash_share(0.5, 0.2, 0.5))


def test_kalai_smorodinsky_linear_equals_symmetric_nash() -> None:
    # Linear: gains split in proportion to ideal gains (both 1 - d1 - d2).
    assert float(kalai_smorodinsky_share(0.5, 0.2)) == pytest.approx(0.65)


def test_kalai_smorodinsky_equalises_relative_gains() -> None:
    x = float(kalai_smorodinsky_share(0.5, 0.2, r2=0.5))
    # Ideal points: I1 = 1 - 0.2**2 = 0.96, I2 = sqrt(0.5).
    g1 = (x - 0.5) / (0.96 - 0.5)
    g2 = (math.sqrt(1 - x) - 0.2) / (math.sqrt(0.5) - 0.2)
    assert g1 == pytest.approx(g2, abs=1e-9)


def test_kalai_smorodinsky_empty_range() -> None:
    assert math.isnan(float(kalai_smorodinsky_share(0.7, 0.5)))


delta = st.floats(min_value=0.0, max_value=0.99)


@settings(max_examples=60, deadline=None)
@given(d1=delta, d1b=delta, d2=delta)
def test_share_rises_with_own_patience(d1: float, d1b: float, d2: float) -> None:
    lo, hi = sorted((d1, d1b))
    assert float(rubinstein_share(lo, d2)) <= float(rubinstein_share(hi, d2)) + 1e-12


@settings(max_examples=60, deadline=None)
@given(d1=delta, d2=delta, w1=st.floats(0.0, 1.0), w2=st.floats(0.0, 1.0))
def test_outside_options_matter_only_when_binding(d1, d2, w1, w2) -> None:
    free = float(rubinstein_share(d1, d2))
    res = outside_option_shares(d1, d2, w1, w2)
    x1 = float(res["x1"])
    if not (bool(res["binding_1"]) or bool(res["binding_2"])):
        assert x1 == pytest.approx(free, abs=1e-9)
    if bool(res["binding_2"]) and not bool(res["binding_1"]):
        assert x1 == pytest.approx(1 - w2, abs=1e-9)
    assert np.isfinite(x1)
