"""Logit QRE of Chicken (models.md §9): cases, fixed point, branches, batch agreement."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from sim.kernels.qre2x2 import qre2x2_all, qre2x2_principal, qre2x2_symmetric
from sim.models import get_model
from sim.models.chicken_2x2 import PAYOFF_NAMES
from sim.solvers import logit_qre as logit
from tests.paths import DATA

MODEL = get_model("logit_qre_normal_form")
HIGH_STAKES = {f"{k}_{s}": v for s in "AB" for k, v in zip("wsld", (1, 0.5, 0, -10), strict=True)}


@pytest.mark.parametrize(("lam", "firm_A", "firm_B"), [
    (2.0, 0.720793915368, 0.0171989663285),
    (10.0, 0.993307149076, 1.18276626974e-13),
])
def test_cases_m9(lam: float, firm_A: float, firm_B: float) -> None:
    out = MODEL.solve(lam=lam)
    assert out.details["firm_A"] == pytest.approx(firm_A, rel=1e-9)
    assert out.details["firm_B"] == pytest.approx(firm_B, rel=1e-7)
    assert out.p_war == pytest.approx(firm_A * firm_B, rel=1e-7)
    assert out.regime == "limit_challenger_firm"
    assert not out.flags.multiple_equilibria


def test_lambda_zero_is_uniform_play() -> None:
    out = MODEL.solve(lam=0.0)
    assert out.details["firm_A"] == 0.5 and out.details["firm_B"] == 0.5
    assert out.p_war == 0.25


def test_symmetric_high_stakes_game_has_three_qre_at_lambda_one() -> None:
    """models.md §9: a symmetric QRE 0.1874 and a mirror pair (0.0025, 0.6161)."""
    out = MODEL.solve(HIGH_STAKES, lam=1.0)
    assert out.details["branch"] == "symmetric"
    assert out.details["firm_A"] == pytest.approx(0.1874, abs=5e-5)
    assert out.details["firm_B"] == out.details["firm_A"]
    assert out.flags.multiple_equilibria
    found = [(q["firm_A"], q["firm_B"]) for q in out.details["all_qre"]]
    assert len(found) == 3
    assert found[0] == pytest.approx((0.0025, 0.6161), abs=5e-5)
    assert found[2] == pytest.approx((0.6161, 0.0025), abs=5e-5)
    assert "symmetric" in out.explanation
    # Before the bifurcation there is one QRE and no flag.
    early = MODEL.solve(HIGH_STAKES, lam=0.2)
    assert early.details["n_qre"] == 1 and not early.flags.multiple_equilibria


def test_normalisation_is_a_rescaling_of_lambda() -> None:
    # Both players' payoffs span w − d = 2, so normalised λ equals raw λ / 2.
    game = {f"{k}_{s}": v for s in "AB" for k, v in zip("wsld", (1, 0.6, 0, -1), strict=True)}
    game["d_B"], game["w_B"] = -0.5, 1.5
    norm = MODEL.solve(game, lam=6.0, normalise=1)
    raw = MODEL.solve(game, lam=3.0)
    assert norm.details["firm_A"] == pytest.approx(raw.details["firm_A"], abs=1e-12)
    assert norm.details["firm_B"] == pytest.approx(raw.details["firm_B"], abs=1e-12)


@st.composite
def games(draw: st.DrawFn) -> dict[str, float]:
    out: dict[str, float] = {}
    for side in "AB":
        vals = draw(st.lists(st.integers(-20, 20), min_size=4, max_size=4, unique=True))
        for k, v in zip("wsld", sorted(vals, reverse=True), strict=True):
            out[f"{k}_{side}"] = v / 4
    return out


@settings(max_examples=40, deadline=None)
@given(games(), st.floats(0.0, 30.0))
def test_reported_profile_is_a_logit_fixed_point(p: dict[str, float], lam: float) -> None:
    d = MODEL.solve(p, lam=lam).details
    x, y = d["firm_A"], d["firm_B"]
    adv_A = (1 - y) * (p["w_A"] - p["s_A"]) + y * (p["d_A"] - p["l_A"])
    adv_B = (1 - x) * (p["w_B"] - p["s_B"]) + x * (p["d_B"] - p["l_B"])
    assert x == pytest.approx(float(expit(lam * adv_A)), abs=1e-10)
    assert y == pytest.approx(float(expit(lam * adv_B)), abs=1e-10)


@settings(max_examples=25, deadline=None)
@given(games())
def test_principal_branch_is_continuous_in_lambda(p: dict[str, float]) -> None:
    """Small steps in λ move the branch a little (no jumps between branches): where a step
    of 0.05 moves it far, a hundredth of that step moves it a hundredth as far."""
    lams = np.linspace(0.0, 8.0, 161)
    res = MODEL.solve_batch({**{k: v for k, v in p.items()}, "lam": lams})
    if res.multiple_equilibria.any():
        return
    jumps = np.abs(np.diff(res.details["firm_A"])) + np.abs(np.diff(res.details["firm_B"]))
    if jumps.max() < 0.25:
        return
    # A steep stretch of one branch shrinks when the step does; a jump to another does not.
    i = int(jumps.argmax())
    fine = MODEL.solve_batch({**p, "lam": np.linspace(lams[i], lams[i + 1], 101)})
    steps = np.abs(np.diff(fine.details["firm_A"])) + np.abs(np.diff(fine.details["firm_B"]))
    assert steps.max() < jumps.max() / 10


def test_kernel_modes_agree_on_a_symmetric_game() -> None:
    a, b = 0.5, -10.5
    sym = qre2x2_symmetric(a, b, 1.0)[0]
    roots = qre2x2_all(a, b, a, b, 1.0)
    assert roots[1] == pytest.approx((sym, sym), abs=1e-12)
    # The generic continuation stops at the pitchfork and flags it.
    principal = qre2x2_principal(a, b, a, b, 1.0)
    assert principal.fold[0]
    below = qre2x2_principal(a, b, a, b, 0.2)
    assert not below.fold[0] and below.p[0] == pytest.approx(below.q[0], abs=1e-12)


def test_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(11)
    n = 30
    vals = np.sort(rng.uniform(-4, 4, size=(n, 2, 4)), axis=2)[:, :, ::-1]
    cols = {name: vals[:, i // 4, i % 4] for i, name in enumerate(PAYOFF_NAMES)}
    cols["lam"] = rng.uniform(0, 20, n)
    cols["normalise"] = rng.integers(0, 2, n)
    batch = MODEL.solve_batch(cols)
    for k in range(n):
        out = MODEL.solve({name: cols[name][k].item() for name in cols})
        assert batch.regime_labels()[k] == out.regime
        assert batch.p_war[k] == pytest.approx(out.p_war, rel=1e-12, abs=1e-300)
        assert batch.payoffs["Challenger"][k] == pytest.approx(out.payoffs["Challenger"], abs=1e-12)
        assert batch.payoffs["Target"][k] == pytest.approx(out.payoffs["Target"], abs=1e-12)
        assert bool(batch.multiple_equilibria[k]) == out.flags.multiple_equilibria


def test_engine_qre_matches_when_available() -> None:
    res = logit.logit_qre_at(MODEL.game(), 2.0)
    eq = res.equilibria[0] if hasattr(res, "equilibria") else res
    prof = eq.profile
    assert float(prof[0][1]) == pytest.approx(0.720793915368, abs=1e-6)
    assert float(prof[1][1]) == pytest.approx(0.0171989663285, abs=1e-6)


GOLDEN = json.loads((DATA / "golden" / "chicken_ladder_golden.json").read_text())


@pytest.mark.parametrize("entry", GOLDEN["qre"], ids=lambda e: str(e["params"]["d_B"]))
def test_qre_matches_gambit_logit_solve_lambda_golden(entry: dict) -> None:
    for lam, (firm_A, firm_B) in entry["at"].items():
        d = MODEL.solve(entry["params"], lam=float(lam)).details
        if d["symmetric_game"]:
            # Past the bifurcation Gambit's path takes one side: it is among all QRE listed.
            assert any(q["firm_A"] == pytest.approx(firm_A, abs=1e-7)
                       and q["firm_B"] == pytest.approx(firm_B, abs=1e-7) for q in d["all_qre"])
            continue
        assert d["firm_A"] == pytest.approx(firm_A, abs=1e-7)
        assert d["firm_B"] == pytest.approx(firm_B, abs=1e-7)
    out = MODEL.solve(entry["params"])
    if out.details["symmetric_game"]:
        assert out.details["limit_selection"] == "mixed"
        return
    limit = out.details["limit_selection"]
    pure = tuple(round(v) for v in entry["limit"])
    want = {(1, 0): "challenger_firm", (0, 1): "target_firm"}[pure]
    assert limit == want
