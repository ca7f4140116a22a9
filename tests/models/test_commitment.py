"""Commitment problems and shifting power (models.md §6)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.models import ModelError, get_model

POWER = get_model("commitment_shifting_power")
GUARANTEE = get_model("commitment_guarantee_extension")

unit = st.floats(0.0, 1.0)
delta = st.floats(0.01, 0.99)


def test_defaults_give_war_under_every_protocol() -> None:
    out = POWER.solve()
    assert out.regime == "preventive_war" and out.p_war == 1.0 and out.outcome == "War"
    assert out.details["best_case"] == {"war": True, "war_payoff_D": pytest.approx(0.55),
                                        "best_peace_D": pytest.approx(0.415)}
    assert out.details["R_proposes"]["best_peace_D"] == pytest.approx(0.325)
    assert out.details["p1_critical_best_case"] == pytest.approx(0.45, abs=1e-12)
    assert out.details["p1_critical_R_proposes"] == pytest.approx(0.55, abs=1e-12)
    assert out.payoffs == pytest.approx({"Declining state": 0.55, "Rising state": 0.35})
    assert "p1* = 0.45" in out.explanation and "rise by 0.15" in out.explanation


def test_moderate_shift_is_protocol_dependent() -> None:
    out = POWER.solve(p1=0.5)
    assert out.regime == "protocol_dependent_war"
    assert out.p_war == 0.0  # Declining state proposes by default
    # Declining state takes the whole pie today and p1 + c_U later, capped by Rising state's
    # period-0 war option at p0 + c_U = 0.65.
    assert out.payoffs["Declining state"] == pytest.approx(0.595)
    rising = POWER.solve(p1=0.5, protocol=1)
    assert rising.p_war == 1.0 and rising.regime == "protocol_dependent_war"
    assert rising.details["R_proposes"]["best_peace_D"] == pytest.approx(0.505)


def test_impatient_declining_keeps_the_peace() -> None:
    out = POWER.solve(delta=0.5)
    assert out.regime == "peace_under_every_protocol" and out.p_war == 0.0
    assert out.details["best_case"]["best_peace_D"] == pytest.approx(0.675)
    assert out.details["p1_critical_best_case"] == pytest.approx(0.05, abs=1e-12)
    assert out.details["delta_critical_best_case"] == pytest.approx(0.45 / 0.65)
    # When Rising state proposes it offers Declining state exactly its war value.
    assert POWER.solve(delta=0.5, protocol=1).payoffs["Declining state"] == pytest.approx(0.55)


def test_best_peace_is_the_discounted_sum_it_describes() -> None:
    d, p1, c_r, c_d = 0.9, 0.3, 0.05, 0.05
    t = np.arange(4000)
    stream_best = np.where(t == 0, 1.0, min(1.0, p1 + c_r))
    stream_r = np.where(t == 0, 1.0, p1 - c_d)
    out = POWER.solve(delta=d, p1=p1, c_U=c_r, c_D=c_d)
    assert out.details["best_case"]["best_peace_D"] == pytest.approx(
        (1 - d) * np.sum(d ** t * stream_best), abs=1e-12)
    assert out.details["R_proposes"]["best_peace_D"] == pytest.approx(
        (1 - d) * np.sum(d ** t * stream_r), abs=1e-12)


def test_power_must_shift_against_declining() -> None:
    with pytest.raises(ModelError, match="p1"):
        POWER.solve(p0=0.3, p1=0.6)
    with pytest.raises(ModelError, match="p1"):
        POWER.solve_batch({"p1": [0.2, 0.7]})
    with pytest.raises(ModelError, match="delta"):
        POWER.solve(delta=1.0)


def test_boundary_flag_on_the_critical_p1() -> None:
    out = POWER.solve(delta=0.5, p0=0.6, p1=0.0, c_D=0.1, c_U=0.0)  # p1* = 0 exactly
    assert out.details["best_case"]["best_peace_D"] == pytest.approx(0.5)
    assert out.details["p1_critical_best_case"] == pytest.approx(0.0, abs=1e-15)
    assert out.flags.boundary and out.p_war == 0.0  # peace on the tie


@settings(max_examples=200, deadline=None)
@given(delta, unit, unit, unit, unit)
def test_war_iff_p1_below_critical(d: float, p0: float, p1: float, c_d: float,
                                   c_r: float) -> None:
    assume(p1 <= p0)
    out = POWER.solve(delta=d, p0=p0, p1=p1, c_D=c_d, c_U=c_r)
    margin = out.details["best_case"]["war_payoff_D"] - out.details["best_case"]["best_peace_D"]
    assume(abs(margin) > 1e-9)
    assert out.details["best_case"]["war"] == (p1 < out.details["p1_critical_best_case"])
    assert out.details["R_proposes"]["war"] == (p1 < out.details["p1_critical_R_proposes"])
    # The R-proposes bound is stricter: war in the best case implies war there.
    if out.details["best_case"]["war"]:
        assert out.details["R_proposes"]["war"]
    # Powell's equivalent statement when p1 + c_U <= 1.
    if p1 + c_r <= 1:
        assert out.details["best_case"]["war"] == (
            d * (p0 - p1) > (1 - d) * (1 - p0) + c_d + d * c_r)


@settings(max_examples=150, deadline=None)
@given(delta, unit, unit, unit, unit, st.floats(0.0, 0.5), st.floats(0.0, 0.5))
def test_comparative_statics(d: float, p0: float, p1: float, c_d: float, c_r: float,
                             bigger_shift: float, extra_cost: float) -> None:
    assume(p1 <= p0)
    base = POWER.solve(delta=d, p0=p0, p1=p1, c_D=c_d, c_U=c_r).p_war
    # A larger shift (lower p1) never removes war.
    assert POWER.solve(delta=d, p0=p0, p1=max(0.0, p1 - bigger_shift), c_D=c_d,
                       c_U=c_r).p_war >= base
    # Higher costs never create war.
    assert POWER.solve(delta=d, p0=p0, p1=p1, c_D=min(1.0, c_d + extra_cost),
                       c_U=c_r).p_war <= base
    # A more patient Declining state is never more peaceful.
    assert POWER.solve(delta=min(0.99, d + bigger_shift), p0=p0, p1=p1, c_D=c_d,
                       c_U=c_r).p_war >= base


def test_guarantee_critical_kappa() -> None:
    # An honoured guarantee freezes the power shift: D's future share is
    # min(1, p0 + c_U) = 0.65 instead of min(1, p1 + c_U) = 0.35, so
    # κ* = (0.55 − 0.1 − 0.9·0.35) / (0.9·(0.65 − 0.35)) = 0.135 / 0.27 = 0.50.
    out = GUARANTEE.solve()
    assert out.details["kappa_critical"] == pytest.approx(0.5, abs=1e-12)
    assert out.regime == "preventive_war" and out.p_war == 1.0
    assert "κ* = 0.50" in out.explanation and "rise by 0.50" in out.explanation
    assert "the shift in power is frozen" in out.explanation
    assert GUARANTEE.solve(kappa=0.49).p_war == 1.0
    assert GUARANTEE.solve(kappa=0.5).regime == "guarantee_secures_peace"
    assert GUARANTEE.solve(kappa=0.5).flags.boundary
    assert GUARANTEE.solve(delta=0.5).regime == "peace_without_guarantee"
    edge = GUARANTEE.solve(kappa=0.3, p0=0.6, p1=0.4, c_D=0.1, c_U=0.1, delta=0.5)
    # κ* = (0.5 − 0.5 − 0.5·0.5) / (0.5·(0.7 − 0.5)) = −2.5: peace without a guarantee.
    assert edge.details["kappa_critical"] == pytest.approx(-2.5)
    assert edge.details["kappa_needed"] == 0.0 and edge.p_war == 0.0


def test_guarantee_critical_kappa_hindsight_point() -> None:
    # δ = 0.95, p0 = 0.7, p1 = 0.25, c_D = c_U = 0.1: m = 0.35, M = 0.8,
    # κ* = (0.6 − 0.05 − 0.95·0.35) / (0.95·0.45) = 0.2175 / 0.4275 = 0.509.
    out = GUARANTEE.solve(delta=0.95, p0=0.7, p1=0.25, c_D=0.1, c_U=0.1)
    assert out.details["kappa_critical"] == pytest.approx(0.2175 / 0.4275, abs=1e-12)
    assert f"{out.details['kappa_critical']:.2f}" == "0.51"


def test_guarantee_that_cedes_the_pie_is_the_old_reading() -> None:
    # M = 1: κ* = 0.135 / (0.9·0.65) = 0.231, half the credibility a frozen shift needs.
    out = GUARANTEE.solve(honoured=1)
    assert out.details["kappa_critical"] == pytest.approx(0.135 / 0.585, abs=1e-12)
    assert "the whole pie" in out.explanation
    frozen = GUARANTEE.solve(kappa=0.3)
    ceded = GUARANTEE.solve(kappa=0.3, honoured=1)
    assert frozen.p_war == 1.0 and ceded.p_war == 0.0
    assert frozen.details["best_peace_D"] == pytest.approx(0.1 + 0.9 * (0.3 * 0.65 + 0.7 * 0.35))


def test_guarantee_without_a_power_shift_changes_nothing() -> None:
    out = GUARANTEE.solve(p0=0.5, p1=0.5, kappa=1.0)
    assert out.p_war == 0.0 and out.regime == "peace_without_guarantee"


@settings(max_examples=200, deadline=None)
@given(delta, unit, unit, unit, unit, unit)
def test_guarantee_peace_iff_kappa_reaches_critical(d: float, p0: float, p1: float,
                                                   c_d: float, c_r: float,
                                                   kappa: float) -> None:
    assume(p1 <= p0)
    out = GUARANTEE.solve(delta=d, p0=p0, p1=p1, c_D=c_d, c_U=c_r, kappa=kappa)
    k_star = out.details["kappa_critical"]
    assert k_star <= 1.0 + 1e-12
    assume(abs(kappa - k_star) > 1e-9)
    assert (out.p_war == 0.0) == (kappa > k_star)
    # κ = 0 is the best case of the shifting-power model.
    plain = POWER.solve(delta=d, p0=p0, p1=p1, c_D=c_d, c_U=c_r)
    zero = GUARANTEE.solve(delta=d, p0=p0, p1=p1, c_D=c_d, c_U=c_r, kappa=0.0)
    assert zero.details["best_peace_D"] == pytest.approx(
        plain.details["best_case"]["best_peace_D"], abs=1e-15)


@pytest.mark.parametrize("model", [POWER, GUARANTEE], ids=lambda m: m.name)
def test_solve_batch_agrees_with_solve(model: object) -> None:
    rng = np.random.default_rng(11)
    n = 300
    p0 = rng.uniform(0, 1, n)
    draws = {"delta": rng.uniform(0.01, 0.99, n), "p0": p0, "p1": p0 * rng.uniform(0, 1, n),
             "c_D": rng.uniform(0, 0.3, n), "c_U": rng.uniform(0, 0.3, n)}
    if model is POWER:
        draws["protocol"] = rng.integers(0, 2, n).astype(float)
    else:
        draws["kappa"] = rng.uniform(0, 1, n)
        draws["honoured"] = rng.integers(0, 2, n).astype(float)
    batch = model.solve_batch(draws)  # type: ignore[attr-defined]
    for k in range(n):
        point = {name: float(v[k]) for name, v in draws.items()}
        for choice in ("protocol", "honoured"):
            if choice in point:
                point[choice] = int(point[choice])
        out = model.solve(point)  # type: ignore[attr-defined]
        assert batch.regimes[batch.regime[k]] == out.regime
        assert batch.p_war[k] == out.p_war
        assert batch.payoffs["Declining state"][k] == out.payoffs["Declining state"]
        assert batch.payoffs["Rising state"][k] == out.payoffs["Rising state"]
        assert batch.boundary[k] == out.flags.boundary
        assert batch.assumption_violated[k] == out.flags.assumption_violated


def test_no_finite_game() -> None:
    assert POWER.game() is None and GUARANTEE.game() is None
