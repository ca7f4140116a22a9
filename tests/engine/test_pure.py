"""Pure Nash equilibria of N-player games."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.games.normal_form import NormalFormGame
from sim.solvers import pure_solve


def cells(result) -> list[tuple[int, ...]]:  # type: ignore[no-untyped-def]
    return [tuple(int(np.argmax(s)) for s in e.profile) for e in result.equilibria]


def test_textbook_pure_equilibria() -> None:
    pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert cells(pure_solve(pd)) == [(1, 1)]
    bos = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert cells(pure_solve(bos)) == [(0, 0), (1, 1)]
    mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert cells(pure_solve(mp)) == []


def test_exact_profile_payoffs_and_regret() -> None:
    half = Fraction(1, 2)
    chicken = NormalFormGame.from_arrays([[half, 0], [1, -1]], [[half, 1], [0, -3]])
    result = pure_solve(chicken)
    assert cells(result) == [(0, 1), (1, 0)]
    assert [e.payoffs for e in result.equilibria] == [(0, 1), (1, 0)]
    assert all(e.regret == 0 and e.label == "pure" for e in result.equilibria)
    assert all(isinstance(v, Fraction) for e in result.equilibria for s in e.profile for v in s)


def test_three_player_coordination() -> None:
    # Everybody gets 1 when all match, else 0: the two unanimous profiles.
    u = np.zeros((2, 2, 2))
    u[0, 0, 0] = u[1, 1, 1] = 1
    result = pure_solve(NormalFormGame.from_arrays(u, u, u))
    assert cells(result) == [(0, 0, 0), (1, 1, 1)]


def test_ties_count_as_best_replies() -> None:
    zero = NormalFormGame.from_arrays([[0, 0], [0, 0]], [[0, 0], [0, 0]])
    assert cells(pure_solve(zero)) == [(0, 0), (0, 1), (1, 0), (1, 1)]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.data())
def test_matches_brute_force(m: int, n: int, k: int, data: st.DataObject) -> None:
    arrays = [data.draw(hnp.arrays(np.int64, (m, n, k), elements=st.integers(0, 2)))
              for _ in range(3)]
    game = NormalFormGame.from_arrays(*[a.tolist() for a in arrays])
    expected = []
    for s in itertools.product(range(m), range(n), range(k)):
        ok = True
        for i, u in enumerate(arrays):
            for t in range(u.shape[i]):
                dev = list(s)
                dev[i] = t
                if u[tuple(dev)] > u[s]:
                    ok = False
        if ok:
            expected.append(s)
    assert cells(pure_solve(game)) == expected
