"""Mobilisation as a costly signal with a continuum of types (Fearon 1997; Slantchev 2005).

Hand derivations: the challenger's value v is uniform on [v_lo, v_hi]; type v
fights after message j iff v > w_j = (c_A - a_j)/p_j; the target concedes
iff the share of fighters among the senders is at least 1/(p_j + c_B). With
the defaults (p 0.5, k 0.4, m 0.5, s_A 0.8, a_A 0.1, c_A 0.2, c_B 0.6,
v in [0, 1]): sigma = s_A m = 0.4, p_m = 0.6, w_none = 0.4, w_build = 0.25.

There is no finite game; the engine check solves the equilibrium conditions
numerically on a grid of 4001 types instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels import mobilisation as mb
from sim.models import get_model
from sim.models.base import ModelError

MODEL = get_model("mobilisation_signalling_continuous")
ARGS = ("p", "k", "m", "s_A", "a_A", "c_A", "c_B", "v_lo_A", "v_hi_A")

# m = 0.1: sigma 0.08, a m 0.01, p_m 0.52, w_build 0.19/0.52, mu* = 1/1.12;
# v* = 1 - (1 - w_build) * 1.12; rho = (0 + 0.08 + 0.01)/(v* + 0.01).
_W = 0.19 / 0.52
_VS = 1 - (1 - _W) * 1.12
_RHO = 0.09 / (_VS + 0.01)
_MASS = 1 - _VS

CASES: list[tuple[str, dict[str, float], str, tuple[float, ...], tuple[float, float]]] = [
    # Defaults: v* = sigma = 0.4 (types below would not fight unaided); everybody above
    # fights after the build-up (0.4 > 0.25), so the target concedes (1.2 >= 1) and
    # resists the rest, none of whom fight. Challenger: int_0.4^1 (v - 0.4) dv = 0.18.
    ("cut-off", {}, "cutoff_separating", (0.6, 0.0, 0.0, 0.4), (0.18, 0.4)),
    ("semi", {"m": 0.1}, "cutoff_semi_separating",
     (_MASS * _RHO, 0.0, (1 - _W) * (1 - _RHO),
      (1 - _RHO) * (_MASS - (1 - _W)) + _VS),
     (None, (1 - _RHO) * ((1 - _W) * (1 - 0.52 - 0.6) + (_MASS - (1 - _W))) + _VS)),
    # p = 0.7, c_B = 0.9: w_none = 2/7, share of fighters 5/7, and 5/7 * 1.6 >= 1:
    # the target concedes without a build-up; the challenger gets E[v] = 0.5.
    ("concede", {"p": 0.7, "c_B": 0.9}, "no_build_up_target_concedes", (0.0, 1.0, 0.0, 0.0),
     (0.5, 0.0)),
    # A build-up costing 2 is worth it to nobody: the types above 0.4 fight (war 0.6),
    # getting int_0.4^1 (0.5 v - 0.2) dv = 0.09; the target 0.6 (1 - 1.1) + 0.4.
    ("too costly", {"m": 1.0, "s_A": 2.0}, "no_build_up_target_resists",
     (0.0, 0.0, 0.6, 0.4), (0.09, 0.34)),
    # s_A 0.1, v_lo 0.2: sigma 0.05 is below the lowest type's gain 0.2; the share of
    # fighters after the build-up, 0.75/0.8, times 1.2 is >= 1: all build up and are
    # conceded to; the challenger gets E[v] - 0.05 = 0.55.
    ("all build up", {"s_A": 0.1, "v_lo_A": 0.2}, "pooling_on_build_up_target_concedes",
     (1.0, 0.0, 0.0, 0.0), (0.55, 0.0)),
    # k = 1, m = 1, s_A = 0.05, c_B = 0.3: p_m = 1 and v* = 0.05.
    ("cheap, decisive", {"k": 1.0, "m": 1.0, "s_A": 0.05, "c_B": 0.3}, "cutoff_separating",
     (0.95, 0.0, 0.0, 0.05), ((1 - 0.05 ** 2) / 2 - 0.05 * 0.95, 0.05)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case_table(case: tuple[str, dict[str, float], str, tuple[float, ...],
                                tuple[Any, Any]]) -> None:
    _, change, regime, probs, pay = case
    out = MODEL.solve(change)
    assert out.regime == regime
    assert tuple(out.probabilities[o] for o in MODEL.outcomes) == pytest.approx(probs,
                                                                                abs=1e-12)
    if pay[0] is not None:
        assert out.payoffs["Challenger"] == pytest.approx(pay[0], abs=1e-12)
    assert out.payoffs["Target"] == pytest.approx(pay[1], abs=1e-12)
    assert not out.flags.boundary


def test_cut_off_and_explanation() -> None:
    out = MODEL.solve()
    assert out.details["v_star"] == pytest.approx(0.4)
    assert "v* = 0.40" in out.explanation and "sunk cost" in out.explanation
    assert out.details["no_build_up_pbe_fails_d1"]
    semi = MODEL.solve(m=0.1)
    assert semi.details["v_star"] == pytest.approx(_VS, abs=1e-12)
    assert semi.details["rho_build_up"] == pytest.approx(_RHO, abs=1e-12)


def test_boundary_when_the_prior_sits_on_the_concession_belief() -> None:
    # p = 0.7, c_B = 0.7: share of fighters 5/7 times 1.4 = 1 exactly.
    out = MODEL.solve(p=0.7, c_B=0.7)
    assert out.flags.boundary
    assert out.regime == "no_build_up_target_concedes"


def test_assumption_flag_and_constraint() -> None:
    assert MODEL.solve(v_lo_A=0.5).flags.assumption_violated  # every type would fight
    with pytest.raises(ModelError, match="v_lo_A"):
        MODEL.solve(v_lo_A=1.0, v_hi_A=1.0)
    assert MODEL.game() is None


def random_points(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    lo = rng.uniform(0, 1, n)
    return {"p": rng.uniform(0.05, 1, n), "k": rng.uniform(0, 1, n), "m": rng.uniform(0, 1, n),
            "s_A": rng.uniform(0, 2, n), "a_A": rng.uniform(0, 1, n),
            "c_A": rng.uniform(0, 1, n), "c_B": rng.uniform(0, 1, n), "v_lo_A": lo,
            "v_hi_A": lo + rng.uniform(0.05, 2, n)}


def test_equilibrium_conditions_hold_on_a_grid_of_types() -> None:
    """300 random points: every type's choice is a best reply and so is the target's."""
    pts = random_points(np.random.default_rng(11), 300)
    r = mb.solve_continuous(*(pts[k] for k in ARGS))
    seen = set()
    for i in range(300):
        q = {k: float(v[i]) for k, v in pts.items()}
        v = np.linspace(q["v_lo_A"], q["v_hi_A"], 4001)
        pm = q["p"] + q["k"] * q["m"] * (1 - q["p"])
        sig, aud = q["s_A"] * q["m"], q["a_A"] * q["m"]
        rb, rn = float(r["rho_build"][i]), float(r["rho_none"][i])
        u_m = rb * v + (1 - rb) * np.maximum(pm * v - q["c_A"], -aud) - sig
        u_n = rn * v + (1 - rn) * np.maximum(q["p"] * v - q["c_A"], 0.0)
        share = float(r["p_build_up"][i])
        cut = q["v_hi_A"] - share * (q["v_hi_A"] - q["v_lo_A"])
        builds = (v >= cut - 1e-12) if share > 0 else np.zeros(v.shape, dtype=bool)
        assert (u_m[builds] >= u_n[builds] - 1e-9).all(), q
        assert (u_n[~builds] >= u_m[~builds] - 1e-9).all(), q
        for sent, pj, rho, fights in ((builds, pm, rb, pm * v - q["c_A"] > -aud),
                                      (~builds, q["p"], rn, q["p"] * v - q["c_A"] > 0)):
            if sent.sum() < 50:
                continue
            resist_gain = 1 - fights[sent].mean() * (pj + q["c_B"])
            if abs(resist_gain) < 5e-3:
                continue
            assert (rho == 1.0) == (resist_gain < 0), (q, rho, resist_gain)
        grid_war = ((1 - rb) * (builds & (pm * v - q["c_A"] > -aud))
                    + (1 - rn) * (~builds & (q["p"] * v - q["c_A"] > 0))).mean()
        assert grid_war == pytest.approx(float(r["p_war"][i]), abs=2e-3), q
        grid_eu = np.where(builds, u_m, u_n).mean()
        assert grid_eu == pytest.approx(float(r["eu_A"][i]), abs=2e-3), q
        seen.add(mb.CONTINUOUS_REGIMES[int(r["regime"][i])])
    assert {"cutoff_separating", "cutoff_semi_separating", "no_build_up_target_resists",
            "no_build_up_target_concedes", "build_up_to_fight",
            "pooling_on_build_up_target_concedes"} <= seen, seen


def test_batch_is_a_distribution() -> None:
    b = MODEL.solve_batch(random_points(np.random.default_rng(2), 40_000))
    assert np.allclose(b.probabilities.sum(axis=1), 1.0)
    assert (b.probabilities >= -1e-12).all()


unit = st.floats(0.0, 1.0)


@settings(max_examples=200, deadline=None)
@given(p=st.floats(0.05, 1.0), k=unit, s=st.floats(0.0, 2.0), a=unit, c_A=unit, c_B=unit,
       lo=unit, width=st.floats(0.05, 2.0), m1=unit, m2=unit)
def test_a_larger_build_up_never_lowers_the_chance_it_is_conceded_to(
        p: float, k: float, s: float, a: float, c_A: float, c_B: float, lo: float,
        width: float, m1: float, m2: float) -> None:
    """Slantchev (2005): where both build-ups are made by some type, the larger one is
    conceded to at least as often; in the cut-off regime it also screens more types out."""
    small, large = sorted((m1, m2))
    base = {"p": p, "k": k, "s_A": s, "a_A": a, "c_A": c_A, "c_B": c_B, "v_lo_A": lo,
            "v_hi_A": lo + width}
    r1, r2 = MODEL.solve({**base, "m": small}), MODEL.solve({**base, "m": large})
    if r1.details["p_build_up"] > 0 and r2.details["p_build_up"] > 0:
        assert r2.details["rho_build_up"] >= r1.details["rho_build_up"] - 1e-9
    if r1.regime == r2.regime == "cutoff_separating":
        assert r2.details["v_star"] >= r1.details["v_star"] - 1e-9
