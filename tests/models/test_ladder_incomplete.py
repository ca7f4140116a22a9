"""Escalation ladder with the target's resolve private (models.md §3c): sequential equilibrium."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sim.kernels.ladder_private import LadderPoint, skimming_equilibrium
from sim.models import ModelError, get_model
from sim.solvers import agent_qre
from tests.paths import DATA

MODEL = get_model("escalation_ladder_incomplete")
COMPLETE = get_model("escalation_ladder_complete")
CASE = {"risks": [0.05, 0.2, 0.3, 0.4, 1.0], "v_A": 1.0, "v_B": 1.0, "d_A": 1.5,
        "d_B_res": 1.0, "d_B_irr": 3.0, "prior_res": 0.15}


def test_case_bluffing_semi_separating() -> None:
    """Hand-derived: μ3 = 0.25/1.12 pins b; e3 = 0.2/1.52 makes the irresolute type indifferent."""
    out = MODEL.solve(CASE)
    d = out.details
    esc = d["esc_prob"]
    assert d["exact"]
    assert esc["B2_irr"] == pytest.approx(0.15 * (1.12 / 0.25 - 1) / 0.85, abs=1e-12)
    assert esc["A3"] == pytest.approx(0.2 / 1.52, abs=1e-12)
    assert d["beliefs_by_step"]["A3"] == pytest.approx(0.25 / 1.12, abs=1e-12)
    assert {k: esc[k] for k in ("A1", "B2_res", "B4_res", "B4_irr", "A5")} == {
        "A1": 1.0, "B2_res": 1.0, "B4_res": 1.0, "B4_irr": 0.0, "A5": 0.0}
    assert out.p_war == pytest.approx(0.20204, abs=1e-12)
    assert out.payoffs["Challenger"] == pytest.approx(0.04508, abs=1e-12)
    assert out.payoffs["Target"] == pytest.approx(-0.0669, abs=1e-12)
    assert d["eu_B_res"] == pytest.approx(0.404, abs=1e-12)
    assert d["eu_B_irr"] == pytest.approx(-0.15, abs=1e-12)
    assert out.regime == "bluffing"
    # Powell's point: with private information escalation runs past the first rung.
    assert out.p_war > CASE["risks"][0]
    # beliefs are named in words, with their symbol, as the dashboard shows them
    assert out.beliefs["P(Target is resolute) at step 3 (μ3)"] == d["beliefs_by_step"]["A3"]
    assert not any(key.startswith("mu") for key in out.beliefs)
    assert "0.6141" in out.explanation and "0.1316" in out.explanation
    assert sum(out.probabilities.values()) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_known_type_reduces_to_complete_information(seed: int) -> None:
    rng = np.random.default_rng(seed)
    K = int(rng.integers(3, 8))
    risks = sorted(np.round(rng.uniform(0, 0.6, K - 1), 3).tolist()) + [1.0]
    base = {"risks": risks, "v_A": round(float(rng.uniform(0.5, 2)), 2),
            "v_B": round(float(rng.uniform(0.5, 2)), 2),
            "d_A": round(float(rng.uniform(0.2, 4)), 2)}
    d_res, d_irr = round(float(rng.uniform(0.1, 2)), 2), round(float(rng.uniform(2, 5)), 2)
    for prior, d_B in ((1.0, d_res), (0.0, d_irr)):
        out = MODEL.solve({**base, "d_B_res": d_res, "d_B_irr": d_irr, "prior_res": prior})
        ref = COMPLETE.solve({**base, "d_B": d_B})
        assert out.p_war == pytest.approx(ref.p_war, abs=1e-12)
        assert out.payoffs["Challenger"] == pytest.approx(ref.payoffs["Challenger"], abs=1e-12)
        assert out.payoffs["Target"] == pytest.approx(ref.payoffs["Target"], abs=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_random_ladders_are_certified_equilibria_with_bayes_beliefs(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    K = int(rng.integers(3, 10))
    risks = sorted(np.round(rng.uniform(0, 0.6, K - 1), 3).tolist()) + [1.0]
    p = {"risks": risks, "v_A": 1.0, "v_B": round(float(rng.uniform(0.5, 2)), 2),
         "d_A": round(float(rng.uniform(0.2, 3)), 2),
         "d_B_res": round(float(rng.uniform(0.1, 1.5)), 2),
         "d_B_irr": round(float(rng.uniform(2, 5)), 2),
         "prior_res": round(float(rng.uniform(0.05, 0.9)), 2)}
    out = MODEL.solve(p)
    d = out.details
    assert d["exact"] and d["regret"] <= 1e-9
    esc, mu = d["esc_prob"], d["beliefs_by_step"]
    # Bayes' rule at every information set of Challenger reached by both types.
    odds = p["prior_res"] / (1 - p["prior_res"])
    for k in range(2, K, 2):
        b_res, b_irr = esc[f"B{k}_res"], esc[f"B{k}_irr"]
        if b_res > 0 and b_irr > 0 and np.isfinite(odds):
            odds *= b_res / b_irr
            if f"R{k + 1}" in mu:
                assert mu[f"R{k + 1}"] == pytest.approx(odds / (1 + odds), abs=1e-9)
        else:
            break
    for key, e in esc.items():
        m = d["margins"][key]
        if d["mixing"][key]:
            assert abs(m) <= 1e-9
        else:
            assert (e == 1.0 and m > 0) or (e == 0.0 and m <= 0)


def test_long_ladders_are_rejected() -> None:
    with pytest.raises(ModelError, match=r"K: 10 is outside \[2, 9\]"):
        MODEL.solve(K=10)
    with pytest.raises(ModelError, match="at most 9"):
        MODEL.solve(risks=[0.1] * 9 + [1.0])


def test_batch_agrees_with_solve() -> None:
    priors = np.array([0.1, 0.15, 0.5])
    batch = MODEL.solve_batch({"risks": CASE["risks"], "d_A": 1.5, "prior_res": priors})
    for k, prior in enumerate(priors):
        out = MODEL.solve({**CASE, "prior_res": float(prior)})
        assert batch.regime_labels()[k] == out.regime
        assert batch.p_war[k] == pytest.approx(out.p_war, abs=1e-12)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_engine_agent_qre_limit_agrees() -> None:
    res = agent_qre.agent_qre_limit(MODEL.game(CASE))
    esc = MODEL.solve(CASE).details["esc_prob"]
    for key, probs in res.behavior.items():
        assert float(probs["Escalate"]) == pytest.approx(esc[key], abs=1e-5)


GOLDEN = json.loads((DATA / "golden" / "chicken_ladder_golden.json").read_text())


@pytest.mark.parametrize("entry", GOLDEN["ladder"], ids=lambda e: str(len(e["params"]["risks"])))
def test_matches_gambit_logit_limit_golden(entry: dict) -> None:
    """On the path; Gambit stops at a finite λ, so agreement is to 1e-4.

    Where Gambit's path-following broke down (its profile keeps a regret above
    1e-6), the model's profile must instead be a better certified equilibrium.
    """
    out = MODEL.solve(entry["params"])
    assert out.details["exact"]
    if entry["gambit_max_regret"] > 1e-6:
        assert out.details["regret"] < 1e-9 < entry["gambit_max_regret"]
        return
    for key, want in entry["esc_prob"].items():
        assert out.details["esc_prob"][key] == pytest.approx(want, abs=1e-4)


def _no_tracing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the batch fail loudly if it hands a point to the per-point tracer."""
    def refuse(self: object, p: dict) -> None:
        raise AssertionError(f"point {p} was not solved by the vectorised path")

    monkeypatch.setattr(type(MODEL), "_solve", refuse)


def _assert_batch_matches_solve(batch: object, points: list[dict]) -> None:
    for k, p in enumerate(points):
        out = MODEL.solve(p)
        assert batch.regime_labels()[k] == out.regime, p
        assert batch.p_war[k] == pytest.approx(out.p_war, abs=1e-9), p
        for j, label in enumerate(MODEL.outcomes):
            assert batch.probabilities[k, j] == pytest.approx(out.probabilities[label],
                                                              abs=1e-9), p
        for who in MODEL.players:
            assert batch.payoffs[who][k] == pytest.approx(out.payoffs[who], abs=1e-9), p
        assert bool(batch.boundary[k]) == out.flags.boundary, p


def test_vectorised_batch_agrees_with_tracer_on_random_points(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(2026)
    n = 1000
    cols = {"K": rng.integers(2, 10, n).astype(float), "r_1": rng.uniform(0, 0.5, n),
            "r_step": rng.uniform(0, 0.3, n), "v_A": rng.uniform(0.01, 3, n),
            "v_B": rng.uniform(0.01, 3, n), "d_A": rng.uniform(0, 5, n),
            "d_B_res": rng.uniform(0, 5, n), "d_B_irr": rng.uniform(0, 10, n),
            "prior_res": rng.uniform(0, 1, n)}
    with monkeypatch.context() as mp:
        _no_tracing(mp)
        batch = MODEL.solve_batch(cols)
    regimes = set(batch.regime_labels())
    assert regimes == set(MODEL.regimes)
    points = [{k: (int(v[i]) if k == "K" else float(v[i])) for k, v in cols.items()}
              for i in range(n)]
    _assert_batch_matches_solve(batch, points)


@pytest.mark.parametrize(("axes", "vectorised"), [
    ({"d_B_res": np.linspace(0, 10, 9), "d_B_irr": np.linspace(0, 10, 9)}, True),
    ({"prior_res": np.linspace(0, 1, 9), "d_A": np.linspace(0, 10, 9)}, True),
    ({"K": np.arange(2, 10), "prior_res": np.linspace(0, 1, 9), "d_B_res": 0.5}, True),
    # A resolute Target to whom disaster costs nothing is indifferent on whole stretches
    # of the ladder; such points go to the tracer, and the batch must still agree.
    ({"K": np.arange(2, 10), "prior_res": np.linspace(0, 1, 9), "d_B_res": 0.0}, False),
])
def test_vectorised_batch_agrees_on_grid_edges(axes: dict, vectorised: bool,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Grid edges hold the ties: a free disaster, identical types, a known type."""
    names = [k for k, v in axes.items() if np.ndim(v)]
    gx, gy = np.meshgrid(axes[names[0]], axes[names[1]])
    fixed = {k: v for k, v in axes.items() if not np.ndim(v)}
    cols = {**fixed, names[0]: gx.ravel(), names[1]: gy.ravel()}
    with monkeypatch.context() as mp:
        if vectorised:
            _no_tracing(mp)
        batch = MODEL.solve_batch(cols)
    points = [{**fixed, **{k: (int(cols[k][i]) if k == "K" else float(cols[k][i]))
                           for k in names}} for i in range(gx.size)]
    _assert_batch_matches_solve(batch, points)


def test_skimming_kernel_reproduces_the_hand_derived_case() -> None:
    g = LadderPoint(np.array([CASE["risks"]]), *(np.array([CASE[k]]) for k in (
        "v_A", "v_B", "d_A", "d_B_res", "d_B_irr", "prior_res")))
    eq = skimming_equilibrium(g)
    assert eq["valid"][0]
    # A1, B2_res, B2_irr, A3, B4_res, B4_irr, A5
    want = [1.0, 1.0, 0.15 * (1.12 / 0.25 - 1) / 0.85, 0.2 / 1.52, 1.0, 0.0, 0.0]
    assert eq["esc"][0] == pytest.approx(want, abs=1e-12)
    assert eq["mixing"][0].tolist() == [False, False, True, True, False, False, False]
    assert eq["mu"][0] == pytest.approx([0.15, 0.25 / 1.12, 1.0], abs=1e-12)


def test_batch_rejects_fractional_and_long_ladders() -> None:
    with pytest.raises(ModelError, match="whole number"):
        MODEL.solve_batch({"K": np.array([3.5])})
    with pytest.raises(ModelError, match=r"outside \[2, 9\]|at most 9"):
        MODEL.solve_batch({"K": np.array([4, 10])})


def test_a_free_last_step_for_challenger_is_solved_without_the_tracer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """d_A = 0: the last step is a tie (1/2 for every λ), and Challenger is indifferent at
    step 3 only when sure of the resolute type, so the mixing meets separation there."""
    from sim.kernels.ladder_private import infosets
    from sim.solvers.sequential import check_sequential_rationality

    v_B = np.linspace(0.01, 5, 25)
    fixed = {"v_A": 1.0, "d_A": 0.0, "d_B_res": 0.4, "d_B_irr": 2.0, "prior_res": 0.3}
    cols = {**{k: np.full(v_B.size, v) for k, v in fixed.items()}, "v_B": v_B}
    with monkeypatch.context() as mp:
        _no_tracing(mp)
        batch = MODEL.solve_batch(cols)
    risks = [0.05, 0.15, 0.25, 0.35, 1.0]  # the default ladder
    eq = skimming_equilibrium(LadderPoint(np.tile(risks, (v_B.size, 1)),
                                          *(cols[k] for k in ("v_A", "v_B", "d_A", "d_B_res",
                                                              "d_B_irr", "prior_res"))))
    names = [name for name, _, _ in infosets(len(risks))]
    for k, vb in enumerate(v_B):
        point = {**fixed, "v_B": float(vb)}
        assert eq["valid"][k]
        # the engine finds the kernel's profile sequentially rational on the tree
        profile = {n: {"Escalate": float(e), "Quit": 1.0 - float(e)}
                   for n, e in zip(names, eq["esc"][k], strict=True)}
        assert check_sequential_rationality(MODEL.game(point), profile).rational, point
        # the tracer stops at a finite precision, a few 1e-5 short of the limit
        out = MODEL.solve(point)
        assert batch.regime_labels()[k] == out.regime, point
        assert batch.p_war[k] == pytest.approx(out.p_war, abs=1e-4), point
        for who in MODEL.players:
            assert batch.payoffs[who][k] == pytest.approx(out.payoffs[who], abs=1e-4), point
