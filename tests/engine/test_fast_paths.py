"""The compiled fast paths agree with the exact path.

``enummixed_solve`` routes float games of up to 8x8 through one compiled
kernel, and ``batch_solve`` routes stacks through batch kernels (on one thread
or several, into caller-owned buffers). Each must give the equilibria of the
exact vertex enumeration run on the exact (binary) value of the payoffs: on
10,000 random float games, and on the tie-heavy games of the golden fixture
and of a seeded generator, where degeneracy sends games to the exact solver.
"""

from __future__ import annotations

import zlib
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from sim.games.normal_form import NormalFormGame
from sim.solvers import batch_solve, enummixed_solve
from sim.solvers.batch import batch_buffers
from sim.solvers.small import small_equilibria

#: (size, number of games): 10,000 in all.
SIZES = ((2, 4000), (3, 3000), (4, 2000), (5, 700), (6, 300))


def _key(profiles: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[float, ...]]:
    return sorted(tuple(np.round(np.concatenate([np.asarray(x, float), np.asarray(y, float)]),
                                 8).tolist()) for x, y in profiles)


def _exact(A: np.ndarray, B: np.ndarray) -> Any:
    # The exact path: vertex enumeration in rationals on the payoffs' binary values.
    return enummixed_solve(NormalFormGame.from_arrays(A, B).as_exact())


@pytest.fixture(scope="module")
def random_games() -> list[tuple[np.ndarray, np.ndarray, Any]]:
    rng = np.random.default_rng(20220224)
    out = []
    for k, count in SIZES:
        for _ in range(count):
            A, B = rng.normal(size=(k, k)), rng.normal(size=(k, k))
            out.append((A, B, _exact(A, B)))
    return out


def test_ten_thousand_random_games_agree_with_the_exact_path(
    random_games: list[tuple[np.ndarray, np.ndarray, Any]],
) -> None:
    assert len(random_games) == 10_000
    fast_hits = 0
    for A, B, exact in random_games:
        fast = enummixed_solve(NormalFormGame.from_arrays(A, B))
        want = [(e.profile[0], e.profile[1]) for e in exact.equilibria]
        got = [(e.profile[0], e.profile[1]) for e in fast.equilibria]
        assert _key(got) == _key(want), (A.tolist(), B.tolist())
        # Same order as the exact path, and certified payoffs and regrets.
        assert [np.round(e.profile[0].astype(float), 8).tolist() for e in exact.equilibria] \
            == [np.round(e.profile[0], 8).tolist() for e in fast.equilibria]
        for e_fast, e_exact in zip(fast.equilibria, exact.equilibria, strict=True):
            assert np.allclose([float(v) for v in e_fast.payoffs],
                               [float(v) for v in e_exact.payoffs], atol=1e-9)
            assert 0 <= e_fast.regret <= 1e-9
            assert e_fast.label == e_exact.label
        fast_hits += small_equilibria(A, B) is not None
    assert fast_hits >= 9_990  # random games are nondegenerate: nearly all take the kernel


@pytest.mark.parametrize("k", [k for k, _ in SIZES])
def test_batch_kernels_agree_with_the_exact_path(
    k: int, random_games: list[tuple[np.ndarray, np.ndarray, Any]]
) -> None:
    games = [g for g in random_games if g[0].shape == (k, k)]
    A = np.stack([g[0] for g in games])
    B = np.stack([g[1] for g in games])
    one = batch_solve(A, B)
    out = batch_buffers(len(games), k, k)
    into = batch_solve(A, B, out=out)
    two = batch_solve(A, B, threads=2)
    assert into is out and out.row.flags.writeable
    for result in (into, two):
        for name in ("count", "row", "col", "payoff_row", "payoff_col", "exact"):
            assert np.array_equal(getattr(result, name), getattr(one, name), equal_nan=True)
    for g, (_, _, exact) in enumerate(games):
        c = int(one.count[g])
        got = [(one.row[g, i], one.col[g, i]) for i in range(c)]
        assert _key(got) == _key([(e.profile[0], e.profile[1]) for e in exact.equilibria])


def test_tie_heavy_games_miss_no_equilibrium() -> None:
    rng = np.random.default_rng(zlib.crc32(b"ties"))
    games = [(rng.integers(1, 5, (k, k)).astype(float), rng.integers(1, 5, (k, k)).astype(float))
             for k in [2] * 100 + [3] * 100 + [4] * 100]
    degenerate = 0
    for A, B in games:
        exact = _exact(A, B)
        fast = enummixed_solve(NormalFormGame.from_arrays(A, B))
        want = _key([(e.profile[0], e.profile[1]) for e in exact.equilibria])
        assert _key([(e.profile[0], e.profile[1]) for e in fast.equilibria]) == want
        assert fast.degenerate == exact.degenerate
        assert fast.components == exact.components
        degenerate += exact.degenerate
        batch = batch_solve(A[None], B[None])
        c = int(batch.count[0])
        assert _key([(batch.row[0, i], batch.col[0, i]) for i in range(c)]) == want
    assert degenerate > 100  # the set really is tie-heavy


def test_golden_integer_games_as_floats_match_pygambit(enummixed_oracle: dict[str, Any]) -> None:
    # pygambit's exact equilibria of the fixture's integer games (mostly
    # degenerate); given as float payoffs, they go through the fast path.
    cases = [c for c in enummixed_oracle["cases"] if c["kind"] == "int"]
    assert len(cases) >= 2000
    for case in cases:
        A = np.array(case["A"], dtype=float)
        B = np.array(case["B"], dtype=float)
        fast = enummixed_solve(NormalFormGame.from_arrays(A, B))
        want = [tuple(np.array([float(Fraction(v)) for v in s]) for s in eq)
                for eq in case["equilibria"]]
        got = [(e.profile[0], e.profile[1]) for e in fast.equilibria]
        # pygambit may list a degenerate vertex pair more than once: compare sets.
        assert sorted(set(_key(got))) == sorted(set(_key(want))), case["id"]  # type: ignore[arg-type]
        assert len(set(_key(got))) == len(got)


def test_kernel_defers_degenerate_and_nearly_failing_games() -> None:
    # A tie: column 0 and 1 are equally good against row 0.
    A = np.array([[1.0, 0.0], [0.0, 1.0]])
    B = np.array([[1.0, 1.0], [0.0, 1.0]])
    assert small_equilibria(A, B) is None
    result = enummixed_solve(NormalFormGame.from_arrays(A, B))
    assert result.degenerate and len(result.equilibria) >= 2
    # Matching pennies is not degenerate: the kernel answers alone.
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    table = small_equilibria(pennies, -pennies)
    assert table is not None and table[:, :4].tolist() == [[0.5, 0.5, 0.5, 0.5]]


def test_exact_regrets_on_request() -> None:
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    result = enummixed_solve(NormalFormGame.from_arrays(A, A.T.copy()))
    assert [e.label for e in result.equilibria] == ["pure"]
    assert result.exact_regrets() == (Fraction(0),)
    rng = np.random.default_rng(3)
    C, D = rng.random((3, 3)), rng.random((3, 3))
    mixed = enummixed_solve(NormalFormGame.from_arrays(C, D))
    exact = mixed.exact_regrets()
    assert all(isinstance(r, Fraction) and 0 <= r <= 1e-12 for r in exact)
    assert len(exact) == len(mixed.equilibria)


def test_out_buffers_that_are_too_small_give_a_larger_result() -> None:
    # An all-zero 3x3 game has 9 extreme equilibria (every pure profile), the
    # default buffer holds 7: the returned result is a new, larger one.
    A = np.zeros((2, 3, 3))
    out = batch_buffers(2, 3, 3)
    result = batch_solve(A, A, out=out)
    assert result is not out and result.row.shape[1] >= 9
    assert result.count.tolist() == [9, 9] and result.degenerate.all()
