"""Logit QRE (principal branch, bifurcations) and the logit-limit Nash solver."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.games.errors import GameError
from sim.games.normal_form import NormalFormGame
from sim.solvers import logit_qre_at, logit_qre_path, logit_solve
from sim.solvers.logit_qre import qre_residual
from tests.paths import REFERENCE_CASES


def chicken(R: dict[str, float], W: dict[str, float]) -> NormalFormGame:
    """models.md section 3a: strategies (Swerve, Firm); rows are R, columns W."""
    A = [[R["s"], R["l"]], [R["w"], R["d"]]]
    B = [[W["s"], W["w"]], [W["l"], W["d"]]]
    return NormalFormGame.from_arrays(A, B, strategies=[["Swerve", "Firm"]] * 2)


HIGH_STAKES = {"w": 1.0, "s": 0.5, "l": 0.0, "d": -10.0}


def test_high_stakes_symmetric_chicken_has_three_qre_at_lambda_1() -> None:
    # models.md section 9: a symmetric QRE (firm = 0.1874) and the mirror
    # pair (0.0025, 0.6161). Payoffs w=1, s=1/2, l=0, d=-10 reproduce them.
    game = chicken(HIGH_STAKES, HIGH_STAKES)
    result = logit_qre_at(game, 1.0, branch="all")
    firm = sorted((round(e.profile[0][1], 4), round(e.profile[1][1], 4))
                  for e in result.equilibria)
    assert firm == [(0.0025, 0.6161), (0.1874, 0.1874), (0.6161, 0.0025)]
    assert [e.label for e in result.equilibria] == ["principal", "asymmetric", "asymmetric"]
    assert result.parameters["max_residual"] <= 1e-10
    for e in result.equilibria:
        assert qre_residual(game, e.profile, 1.0) <= 1e-10
    assert any("bifurcation" in note for note in result.notes)


def test_symmetric_branch_and_principal_agree_on_symmetric_game() -> None:
    game = chicken(HIGH_STAKES, HIGH_STAKES)
    sym = logit_qre_at(game, 1.0, branch="symmetric")
    (eq,) = sym.equilibria
    assert eq.profile[0][1] == pytest.approx(0.18736, abs=1e-5)
    assert np.allclose(eq.profile[0], eq.profile[1], atol=1e-12)
    principal = logit_qre_at(game, 1.0)
    assert len(principal) == 1
    assert any("branch='all'" in note for note in principal.notes)


def test_symmetric_branch_needs_symmetric_game() -> None:
    game = chicken(HIGH_STAKES, {"w": 1.0, "s": 0.5, "l": 0.0, "d": -3.0})
    with pytest.raises(GameError, match="symmetric"):
        logit_qre_at(game, 1.0, branch="symmetric")
    with pytest.raises(GameError, match="unknown branch"):
        logit_qre_at(game, 1.0, branch="left")


def load_case(case_id: str) -> dict[str, Any]:
    cases = json.loads(REFERENCE_CASES.read_text(encoding="utf-8"))
    return next(c for c in cases if c["case_id"] == case_id)


@pytest.mark.parametrize(
    "case_id", ["M9-qre-chicken-asym-lambda-2", "M9-qre-chicken-asym-lambda-10"]
)
def test_model_cases_by_generic_path(case_id: str) -> None:
    case = load_case(case_id)
    p = case["params"]
    game = chicken(p["R"], p["W"])
    (eq,) = logit_qre_at(game, p["lambda"]).equilibria
    firm_R, firm_W = eq.profile[0][1], eq.profile[1][1]
    tol = case["tolerance"]
    assert firm_R == pytest.approx(case["expected"]["firm_R"], abs=tol)
    assert firm_W == pytest.approx(case["expected"]["firm_W"], abs=tol)
    assert firm_R * firm_W == pytest.approx(case["expected"]["p_war"], abs=tol)


def test_two_by_two_closed_form_fixed_point() -> None:
    # models.md section 9: firm_R = 1/(1+exp(-lam[(1-firm_W)(w-s) + firm_W(d-l)])).
    R = {"w": 1.0, "s": 0.5, "l": 0.0, "d": -1.0}
    W = {"w": 1.0, "s": 0.5, "l": 0.0, "d": -3.0}
    lam = 3.0
    (eq,) = logit_qre_at(chicken(R, W), lam).equilibria
    fR, fW = eq.profile[0][1], eq.profile[1][1]

    def logit(x: float) -> float:
        return 1.0 / (1.0 + np.exp(-x))

    assert fR == pytest.approx(logit(lam * ((1 - fW) * (R["w"] - R["s"]) + fW * (R["d"] - R["l"]))),
                               abs=1e-13)
    assert fW == pytest.approx(logit(lam * ((1 - fR) * (W["w"] - W["s"]) + fR * (W["d"] - W["l"]))),
                               abs=1e-13)


def test_path_starts_uniform_and_is_verified() -> None:
    rng = np.random.default_rng(7)
    game = NormalFormGame.from_arrays(*(rng.random((3, 2, 4)) for _ in range(3)))
    path = logit_qre_path(game, 50.0)
    assert path.lambdas[0] == 0.0 and path.lambdas[-1] == pytest.approx(50.0, abs=1e-12)
    assert np.allclose(path.profile(0)[0], [1 / 3] * 3)
    assert np.allclose(path.profile(0)[2], [1 / 4] * 4)
    assert path.residuals.max() <= 1e-10
    for t in range(0, len(path), max(1, len(path) // 10)):
        assert qre_residual(game, path.profile(t), path.lambdas[t]) <= 1e-10
    assert path.regrets[-1] < path.regrets[0]
    assert all(p.shape == (len(path), k) for p, k in zip(path.profiles, (3, 2, 4), strict=True))


def test_matching_pennies_qre_is_uniform() -> None:
    mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    for lam in (0.0, 0.7, 25.0):
        (eq,) = logit_qre_at(mp, lam).equilibria
        assert np.allclose(eq.profile[0], [0.5, 0.5], atol=1e-12)


def test_lambda_scales_with_payoffs() -> None:
    rng = np.random.default_rng(11)
    A, B = rng.random((3, 3)), rng.random((3, 3))
    (e1,) = logit_qre_at(NormalFormGame.from_arrays(A, B), 4.0).equilibria
    (e2,) = logit_qre_at(NormalFormGame.from_arrays(2 * A, 2 * B), 2.0).equilibria
    for p, q in zip(e1.profile, e2.profile, strict=True):
        assert np.allclose(p, q, atol=1e-10)


def test_negative_lambda_rejected() -> None:
    with pytest.raises(GameError):
        logit_qre_at(NormalFormGame.from_arrays([[1]], [[1]]), -1.0)


# -- logit_solve ---------------------------------------------------------------------------


def test_logit_solve_gambit_issue_492_chicken() -> None:
    # gambit issue #492: the tracer stops at the bifurcation of symmetric
    # Chicken [[0,-1],[1,-10]] and returns (0.714, 0.286), max regret 0.53.
    # The principal (symmetric) branch tends to the symmetric equilibrium
    # firm = 1/10.
    game = NormalFormGame.from_arrays([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    result = logit_solve(game)
    (eq,) = result.equilibria
    assert eq.regret <= 1e-9
    assert np.allclose(eq.profile[0], [0.9, 0.1], atol=1e-12)
    assert np.allclose(eq.profile[1], [0.9, 0.1], atol=1e-12)
    assert any("bifurcation" in note for note in result.notes)


def test_logit_solve_asymmetric_chicken_selects_russia_firm() -> None:
    # models.md section 3a: the logit limit selects (Russia Firm, West Swerve).
    game = chicken({"w": 1, "s": 0.5, "l": 0, "d": -1}, {"w": 1, "s": 0.5, "l": 0, "d": -3})
    (eq,) = logit_solve(game).equilibria
    assert eq.profile[0].tolist() == [0.0, 1.0] and eq.profile[1].tolist() == [1.0, 0.0]
    assert eq.regret == 0.0


def test_logit_solve_three_player_irrational_equilibrium() -> None:
    # Nau et al. (2004), section 4: a 2x2x2 game whose unique equilibrium is
    # irrational; the certificate still holds to 1e-9.
    rng = np.random.default_rng(5)
    game = NormalFormGame.from_arrays(*(rng.normal(size=(2, 2, 2)) for _ in range(3)))
    (eq,) = logit_solve(game).equilibria
    assert eq.regret <= 1e-9 * 4
    for s in eq.profile:
        assert s.min() >= 0 and abs(s.sum() - 1) <= 1e-12


@pytest.mark.parametrize("seed", range(8))
def test_logit_solve_random_games_certified(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = tuple(int(k) for k in rng.integers(2, 5, size=int(rng.integers(2, 4))))
    game = NormalFormGame.from_arrays(*(rng.random(shape) for _ in shape))
    (eq,) = logit_solve(game).equilibria
    assert eq.regret <= 1e-9


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(2, 3), min_size=2, max_size=3),
    st.floats(0.0, 30.0),
    st.integers(0, 2**32 - 1),
)
def test_every_qre_solves_its_fixed_point(shape: list[int], lam: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    game = NormalFormGame.from_arrays(*(rng.integers(-3, 4, shape) for _ in shape))
    result = logit_qre_at(game, lam, branch="all")
    for eq in result.equilibria:
        assert qre_residual(game, eq.profile, lam) <= 1e-10
        for s in eq.profile:
            assert s.min() > 0 and abs(s.sum() - 1) <= 1e-12
