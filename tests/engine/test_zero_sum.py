"""Minimax by linear programming (HiGHS)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.games.errors import GameError
from sim.games.normal_form import NormalFormGame
from sim.solvers import enummixed_solve, lp_solve


def zero_sum(A: list[list[float]]) -> NormalFormGame:
    return NormalFormGame.from_arrays(A, (-np.array(A)).tolist())


def test_matching_pennies_and_rps() -> None:
    r = lp_solve(zero_sum([[1, -1], [-1, 1]]))
    assert r.parameters["value"] == pytest.approx(0.0, abs=1e-12)
    assert np.allclose(r.equilibria[0].profile[0], [0.5, 0.5], atol=1e-12)
    rps = lp_solve(zero_sum([[0, -1, 1], [1, 0, -1], [-1, 1, 0]]))
    for s in rps.equilibria[0].profile:
        assert np.allclose(s, [1 / 3] * 3, atol=1e-9)
    assert rps.method == "lp"


def test_value_of_a_3x2_game() -> None:
    # Row mixes rows 1 and 2 at (1/2, 1/2): value 2 (column indifferent).
    r = lp_solve(zero_sum([[3, 1], [1, 3], [0, 0]]))
    assert r.parameters["value"] == pytest.approx(2.0, abs=1e-9)
    x, y = r.equilibria[0].profile
    assert np.allclose(x, [0.5, 0.5, 0.0], atol=1e-9)
    assert np.allclose(y, [0.5, 0.5], atol=1e-9)
    assert r.equilibria[0].regret <= 1e-9


def test_constant_sum_game() -> None:
    A = np.array([[2.0, 5.0], [4.0, 1.0]])
    game = NormalFormGame.from_arrays(A, 10 - A)
    r = lp_solve(game)
    assert r.parameters["constant_sum"] == 10
    # Mixed: x = (3/6, 3/6) gives 3 against both columns.
    assert r.parameters["value"] == pytest.approx(3.0, abs=1e-9)


def test_rejects_general_sum() -> None:
    with pytest.raises(GameError, match="constant-sum"):
        lp_solve(NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]]))


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.int64, st.tuples(st.integers(1, 4), st.integers(1, 4)),
                  elements=st.integers(-4, 4)))
def test_value_matches_every_enummixed_equilibrium(A: np.ndarray) -> None:
    # In a zero-sum game every equilibrium pays the row player the value.
    game = zero_sum(A.tolist())
    r = lp_solve(game)
    assert r.equilibria[0].regret <= 1e-9
    for e in enummixed_solve(game).equilibria:
        assert float(e.payoffs[0]) == pytest.approx(r.parameters["value"], abs=1e-9)
