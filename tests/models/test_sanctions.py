"""Sanctions models (models.md §7): complete information, severity window, private resolve."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.models import get_model
from sim.solvers.spe import spe_solve
from tests.models.test_threat_game_incomplete_info import assert_batch_agrees, golden

CI = get_model("sanctions_complete_info")
WINDOW = get_model("sanctions_severity_window")
II = get_model("sanctions_incomplete_info")
TIES = {"threatener": "Status quo", "target": "Comply", "threatener after resistance": "Back down"}


def test_swift_included_not_credible() -> None:
    out = CI.solve()
    assert out.outcome == "Status quo"
    assert out.payoffs == {"Sender": 0.0, "Target": 0.0}
    assert not out.details["sender_would_impose"]
    assert not out.details["target_complies_if_threatened"]
    assert "not credible" in out.explanation and "0.30" in out.explanation


def test_credible_and_effective_threat_is_complied_with() -> None:
    out = CI.solve({"k_S": 0.1})
    assert out.outcome == "Compliance"
    assert out.payoffs == pytest.approx({"Sender": 1.0, "Target": -0.6})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0, 3), min_size=6, max_size=6))
def test_never_imposed_under_complete_information(v: list[float]) -> None:
    names = ("V_S", "V_T", "k_S", "k_T", "a_S", "b_T")
    out = CI.solve(dict(zip(names, v, strict=True)))
    assert out.p_war == 0.0 and out.probabilities["Back down"] == 0.0


@pytest.mark.parametrize("entry", golden("sanctions_complete_info"), ids=lambda e: e["id"])
def test_ci_matches_pygambit_golden(entry: dict[str, Any]) -> None:
    d = CI.solve(entry["params"]).details
    beh = entry["behaviour"]
    assert beh["threatener"]["Threaten"] == pytest.approx(float(d["sender_threatens"]), abs=1e-6)
    assert beh["target"]["Comply"] == pytest.approx(
        float(d["target_complies_if_threatened"]), abs=1e-6)
    assert beh["threatener after resistance"]["Impose"] == pytest.approx(
        float(d["sender_would_impose"]), abs=1e-6)


def test_ci_engine_spe_agrees() -> None:
    rng = np.random.default_rng(17)
    for _ in range(200):
        params = dict(zip(("V_S", "V_T", "k_S", "k_T", "a_S", "b_T"),
                          rng.uniform(0, 2, 6), strict=True))
        out = CI.solve(params)
        eq = spe_solve(CI.game(params), preferred_on_tie=TIES).equilibria[0]
        assert eq.payoffs[0] == pytest.approx(out.payoffs["Sender"], abs=1e-12)
        assert eq.payoffs[1] == pytest.approx(out.payoffs["Target"], abs=1e-12)
        assert eq.behavior["threatener"]["Threaten"] == float(out.details["sender_threatens"])


def test_severity_window_empty() -> None:
    out = WINDOW.solve()
    d = out.details
    assert d["s_effective_min"] == pytest.approx(0.6)
    assert d["s_credible_max"] == pytest.approx(0.5)
    assert d["window_nonempty"] is False and d["s_star"] is None
    assert out.outcome == "Status quo"


def test_severity_window_open_picks_smallest_effective_package() -> None:
    out = WINDOW.solve({"K_S": 0.4})
    assert out.details["s_star"] == pytest.approx(0.6)
    assert out.outcome == "Compliance"
    assert out.payoffs == pytest.approx({"Sender": 1.0, "Target": -0.6})


@settings(max_examples=200, deadline=None)
@given(K_T=st.floats(0.05, 3), K_S=st.floats(0.05, 3), V_T=st.floats(0, 2), a_S=st.floats(0, 2))
def test_window_matches_grid_over_severity(K_T: float, K_S: float, V_T: float,
                                           a_S: float) -> None:
    out = WINDOW.solve({"K_T": K_T, "K_S": K_S, "V_T": V_T, "a_S": a_S})
    if out.flags.boundary:
        return
    s = np.linspace(0, 1, 20001)
    ok = (K_T * s >= V_T) & (K_S * s**2 < a_S)  # effective and credible, by definition
    d = out.details
    window = (s >= d["s_effective_min"]) & (s < d["s_credible_max"])
    near = (np.abs(s - d["s_effective_min"]) < 1e-9) | (np.abs(s - d["s_credible_max"]) < 1e-9)
    assert np.array_equal(ok[~near], window[~near])
    if ok.any():
        assert d["window_nonempty"]
        assert s[ok].min() == pytest.approx(d["s_star"], abs=1e-4)
    if not d["window_nonempty"]:
        assert out.outcome == "Status quo"


def test_severity_game_agrees_with_window() -> None:
    for params in ({}, {"K_S": 0.4}, {"V_T": 1.5}):
        out = WINDOW.solve(params)
        eq = spe_solve(WINDOW.game(params), preferred_on_tie=TIES).equilibria[0]
        assert eq.behavior["threatener"]["Threaten"] == float(out.outcome == "Compliance")


def test_incomplete_info_case() -> None:
    out = II.solve()
    d = out.details
    assert out.regime == "semi_separating"
    assert d["mu_star"] == pytest.approx(0.75)
    assert d["rho_star"] == pytest.approx(1 / 1.2)
    assert d["beta"] == pytest.approx(1 / 3)
    assert out.p_war == pytest.approx(0.5 / 1.2)
    assert out.payoffs["Target"] == pytest.approx(-0.4)
    assert d["no_threat_pbe_also_exists"] and out.flags.multiple_equilibria
    assert "sanctions imposed" in out.explanation


def test_no_threat_pbe_absent_when_resolved_sender_gains_from_imposing() -> None:
    # Only a negative imposition cost makes imposing beat the status quo.
    assert II.solve({"k_S_res": 0.0}).details["no_threat_pbe_also_exists"]


@settings(max_examples=200, deadline=None)
@given(pi=st.floats(0.01, 0.7), V_S=st.floats(0.1, 2), a_S=st.floats(0.3, 1.0))
def test_imposition_probability_is_pi_rho_star(pi: float, V_S: float, a_S: float) -> None:
    out = II.solve({"pi": pi, "V_S": V_S, "a_S": a_S, "k_S_irr": 1.5})
    if out.regime == "semi_separating":
        assert out.p_war == pytest.approx(pi * V_S / (V_S + a_S), abs=1e-12)


def test_batches_agree_with_solve() -> None:
    rng = np.random.default_rng(23)
    n = 300
    assert_batch_agrees(CI, {k: rng.uniform(0, 2, n)
                             for k in ("V_S", "V_T", "k_S", "k_T", "a_S", "b_T")})
    assert_batch_agrees(WINDOW, {"K_T": rng.uniform(0.05, 2, n), "K_S": rng.uniform(0.05, 2, n),
                                 "V_T": rng.uniform(0, 1, n), "a_S": rng.uniform(0, 1, n),
                                 "V_S": rng.choice([0.0, 1.0], n)})
    assert_batch_agrees(II, {"V_S": rng.uniform(0, 2, n), "V_T": rng.uniform(0, 2, n),
                             "k_T": rng.uniform(0, 2, n), "a_S": rng.uniform(0, 1, n),
                             "b_T": rng.choice([0.0, 0.2], n), "k_S_res": rng.uniform(0, 1, n),
                             "k_S_irr": rng.uniform(0, 2, n), "pi": rng.uniform(0, 1, n)})


@pytest.mark.parametrize(("k_T", "degenerate"), [(0.5, True), (0.59, True), (0.61, False),
                                                 (0.8, False)])
def test_target_that_defies_regardless_is_flagged(k_T: float, degenerate: bool) -> None:
    # V_T = 0.6: below it, imposed sanctions cost Target less than complying.
    out = II.solve(k_T=k_T)
    assert (out.regime == "target_resists_regardless") == degenerate
    assert out.flags.assumption_violated == degenerate
    assert ("outside the model's assumptions" in out.explanation) == degenerate
    assert bool(II.solve_batch({"k_T": [k_T]}).assumption_violated[0]) == degenerate
