"""The batch solver equals the single-game solver, game by game."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.games.errors import GameError
from sim.games.normal_form import NormalFormGame
from sim.solvers import batch_solve, enummixed_solve


def games(rng: np.random.Generator, n: int, m: int, k: int, kind: str) -> tuple[np.ndarray, ...]:
    if kind == "int":  # tie-heavy: entries 1..4, mostly degenerate
        return rng.integers(1, 5, (n, m, k)), rng.integers(1, 5, (n, m, k))
    return rng.random((n, m, k)), rng.random((n, m, k))


def assert_agrees(A: np.ndarray, B: np.ndarray) -> int:
    """Compare every game with enummixed_solve; returns the number of exactly re-solved games."""
    result = batch_solve(A, B)
    n, m, k = A.shape
    assert result.row.shape[:2] == result.col.shape[:2] == result.payoff_row.shape
    assert result.row.shape[2] == m and result.col.shape[2] == k
    exact = A.dtype.kind == "i"
    for g in range(n):
        game = NormalFormGame.from_arrays(A[g].tolist() if exact else A[g],
                                          B[g].tolist() if exact else B[g])
        single = enummixed_solve(game)
        c = int(result.count[g])
        ours = sorted(tuple(np.round(np.concatenate([result.row[g, i], result.col[g, i]]), 9))
                      for i in range(c))
        theirs = sorted(tuple(np.round(np.concatenate([e.profile[0].astype(float),
                                                       e.profile[1].astype(float)]), 9))
                        for e in single.equilibria)
        assert ours == theirs, (g, A[g].tolist(), B[g].tolist())
        if result.exact[g]:
            assert bool(result.degenerate[g]) == single.degenerate
        else:
            # Not re-solved: the equilibria must be isolated points.
            assert not result.degenerate[g]
            assert not single.degenerate or all(len(c) == 1 for c in single.components)
        assert np.isnan(result.row[g, c:]).all() and np.isnan(result.col[g, c:]).all()
        pay = sorted(zip(result.payoff_row[g, :c].round(9), result.payoff_col[g, :c].round(9),
                         strict=True))
        want = sorted((round(float(e.payoffs[0]), 9), round(float(e.payoffs[1]), 9))
                      for e in single.equilibria)
        assert pay == want
    assert (result.exact | ~result.degenerate).all()
    return int(result.exact.sum())


@pytest.mark.parametrize("kind", ["float", "int"])
@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 2), (3, 3), (4, 4), (3, 5), (5, 5)])
def test_batch_equals_enummixed(shape: tuple[int, int], kind: str) -> None:
    rng = np.random.default_rng(zlib.crc32(f"{shape}{kind}".encode()))
    n = 400 if max(shape) <= 3 else 120
    degenerate = assert_agrees(*games(rng, n, *shape, kind))
    if kind == "int":
        assert degenerate > 0  # the tie-heavy games exercise the exact fallback


def test_batch_2x2_many_games() -> None:
    rng = np.random.default_rng(20220224)
    A, B = games(rng, 20000, 2, 2, "float")
    assert_agrees(A, B)
    A, B = games(rng, 5000, 2, 2, "int")
    assert assert_agrees(A, B) > 1000


@pytest.mark.slow
def test_batch_2x2_1e5_and_3x3_1e4() -> None:
    rng = np.random.default_rng(24022022)
    A, B = games(rng, 80000, 2, 2, "float")
    assert_agrees(A, B)
    A, B = games(rng, 20000, 2, 2, "int")
    assert_agrees(A, B)
    A, B = games(rng, 8000, 3, 3, "float")
    assert_agrees(A, B)
    A, B = games(rng, 2000, 3, 3, "int")
    assert_agrees(A, B)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 4), st.integers(2, 4), st.integers(1, 30), st.integers(0, 2**32 - 1),
)
def test_batch_equals_enummixed_property(m: int, n: int, n_games: int, seed: int) -> None:
    # Small integer payoffs (many ties) mixed with floats in one batch.
    rng = np.random.default_rng(seed)
    A = rng.integers(-2, 3, (n_games, m, n))
    B = rng.integers(-2, 3, (n_games, m, n))
    assert_agrees(A, B)
    assert_agrees(A + rng.random(A.shape), B + rng.random(B.shape))


def test_2x2_known_values() -> None:
    # Battle of the sexes, matching pennies, prisoner's dilemma, all-zero (degenerate).
    A = np.array([[[2, 0], [0, 1]], [[1, -1], [-1, 1]], [[3, 0], [5, 1]], [[0, 0], [0, 0]]], float)
    B = np.array([[[1, 0], [0, 2]], [[-1, 1], [1, -1]], [[3, 5], [0, 1]], [[0, 0], [0, 0]]], float)
    r = batch_solve(A, B)
    assert r.count.tolist() == [3, 1, 1, 4]
    assert r.degenerate.tolist() == [False, False, False, True]
    assert r.exact.tolist() == [False, False, False, True]
    assert np.allclose(r.row[0, 2], [2 / 3, 1 / 3]) and np.allclose(r.col[0, 2], [1 / 3, 2 / 3])
    assert np.allclose(r.payoff_row[0, :3], [2, 1, 2 / 3])
    assert r.row[1, 0].tolist() == [0.5, 0.5]
    assert r.row[2, 0].tolist() == [0.0, 1.0] and r.payoff_col[2, 0] == 1.0
    assert r.method == "batch-vertex-enumeration" and len(r) == 4


def test_result_arrays_are_read_only() -> None:
    r = batch_solve(np.ones((1, 2, 2)), np.ones((1, 2, 2)))
    with pytest.raises(ValueError):
        r.count[0] = 2


def test_bad_shapes() -> None:
    with pytest.raises(GameError, match="one shape"):
        batch_solve(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(GameError, match="finite"):
        batch_solve(np.full((1, 2, 2), np.inf), np.ones((1, 2, 2)))
