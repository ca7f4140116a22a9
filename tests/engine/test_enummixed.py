"""Extreme equilibria of bimatrix games: textbook values, degenerate games, oracle fixture."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.games.errors import GameError
from sim.games.nfg import read_nfg
from sim.games.normal_form import NormalFormGame
from sim.solvers import enummixed_solve, lemke_howson_solve
from tests.paths import SHARED

F = Fraction
H = F(1, 2)
T = F(1, 3)


def eq_set(result: Any) -> set[tuple[tuple[Fraction, ...], ...]]:
    return {tuple(tuple(F(v) for v in s) for s in e.profile) for e in result.equilibria}


def profile(*strategies: tuple[Any, ...]) -> tuple[tuple[Fraction, ...], ...]:
    return tuple(tuple(F(v) for v in s) for s in strategies)


TEXTBOOK = {
    # Prisoner's Dilemma (C, D): mutual defection only.
    "prisoners_dilemma": (
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        {profile((0, 1), (0, 1))},
    ),
    # Chicken (Swerve, Firm) with the models.md section 3a defaults:
    # firm_R = 1/7, firm_W = 1/3 in the mixed equilibrium.
    "chicken": (
        [[H, 0], [1, -1]],
        [[H, 1], [0, -3]],
        {profile((0, 1), (1, 0)), profile((1, 0), (0, 1)),
         profile((F(6, 7), F(1, 7)), (F(2, 3), F(1, 3)))},
    ),
    "battle_of_the_sexes": (
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        {profile((1, 0), (1, 0)), profile((0, 1), (0, 1)),
         profile((F(2, 3), T), (T, F(2, 3)))},
    ),
    "matching_pennies": (
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        {profile((H, H), (H, H))},
    ),
    "stag_hunt": (
        [[2, 0], [1, 1]],
        [[2, 1], [0, 1]],
        {profile((1, 0), (1, 0)), profile((0, 1), (0, 1)), profile((H, H), (H, H))},
    ),
    "rock_paper_scissors": (
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        {profile((T, T, T), (T, T, T))},
    ),
}


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_textbook_equilibria_exact(name: str) -> None:
    A, B, expected = TEXTBOOK[name]
    result = enummixed_solve(NormalFormGame.from_arrays(A, B))
    assert eq_set(result) == expected
    assert len(result) == len(expected)
    assert not result.degenerate
    assert all(e.regret == 0 for e in result.equilibria)
    assert result.method == "enummixed"


def test_textbook_payoffs_exact() -> None:
    A, B, _ = TEXTBOOK["battle_of_the_sexes"]
    result = enummixed_solve(NormalFormGame.from_arrays(A, B))
    mixed = [e for e in result.equilibria if e.label == "mixed"]
    assert [tuple(e.payoffs) for e in mixed] == [(F(2, 3), F(2, 3))]


def test_float_game_agrees_with_exact() -> None:
    A, B, expected = TEXTBOOK["chicken"]
    result = enummixed_solve(NormalFormGame.from_arrays(A, B, exact=False))
    assert not result.game.is_exact
    got = sorted(tuple(np.concatenate(e.profile).round(12)) for e in result.equilibria)
    want = sorted(tuple(np.array([float(v) for s in p for v in s]).round(12)) for p in expected)
    assert got == want
    assert result.max_regret <= 1e-12


GAME_75 = SHARED / "gambit-games/catalog/journals/dcg/vonstengel1999/6x6_game_with_75_eq.nfg"


@pytest.mark.skipif(not GAME_75.is_file(), reason=f"shared Gambit corpus not found at {GAME_75}")
def test_von_stengel_6x6_has_75_equilibria() -> None:
    game = read_nfg(GAME_75)
    result = enummixed_solve(game)
    assert len(result) == 75
    assert len(eq_set(result)) == 75
    assert not result.degenerate
    assert all(e.regret == 0 for e in result.equilibria)
    float_result = enummixed_solve(game.as_float())
    assert len(float_result) == 75
    assert float_result.max_regret <= 1e-9 * 2e6  # payoffs reach 1.8e6


def test_nashpy_issue_231_degenerate_zero_sum() -> None:
    # nashpy issue #231: support enumeration returns nothing (4 best replies
    # to the first column); the unique equilibrium is (0,0,1/3,0,1/3,1/3) twice.
    A = [[0, -1, -1, -1, 1, -1], [1, 0, 1, -1, -1, -1], [1, -1, 0, -1, -1, 1],
         [1, 1, 1, 0, -1, -1], [-1, 1, 1, 1, 0, -1], [1, 1, -1, 1, 1, 0]]
    B = (-np.array(A)).tolist()
    result = enummixed_solve(NormalFormGame.from_arrays(A, B))
    x = (0, 0, T, 0, T, T)
    assert eq_set(result) == {profile(x, x)}
    assert result.degenerate


def test_nashpy_issue_82_all_eight_equilibria() -> None:
    # nashpy issue #82 (players minimise, so payoffs are negated): 8 extreme
    # equilibria, support enumeration finds 5.
    A = (-np.array([[0, 0, 6, 0, 0], [0, 0, 3, 2, 1], [4, 3, 0, 0, 1]])).tolist()
    B = (-np.array([[3, 0, 2, 1, 0], [0, 2, 0, 0, 4], [4, 0, 2, 4, 4]])).tolist()
    result = enummixed_solve(NormalFormGame.from_arrays(A, B))
    assert eq_set(result) == {
        profile((1, 0, 0), (0, 1, 0, 0, 0)),
        profile((1, 0, 0), (0, 0, 0, 0, 1)),
        profile((F(2, 3), T, 0), (0, 1, 0, 0, 0)),
        profile((T, H, F(1, 6)), (0, F(4, 9), F(2, 9), T, 0)),
        profile((0, H, H), (0, H, H, 0, 0)),
        profile((0, 1, 0), (F(3, 7), 0, F(4, 7), 0, 0)),
        profile((0, 1, 0), (1, 0, 0, 0, 0)),
        profile((0, 1, 0), (F(3, 8), 0, F(1, 4), F(3, 8), 0)),
    }
    assert result.degenerate
    # Components: {x=(1,0,0)} x two y's plus (2/3,1/3,0) sharing y=(0,1,0,0,0);
    # x=(0,1,0) with three y's; two isolated equilibria.
    assert sorted(len(c) for c in result.components) == [1, 1, 3, 3]
    by_size = {len(c): c for c in result.components}
    first_x = {tuple(result.equilibria[k].profile[0]) for k in by_size[3]}
    assert first_x in ({(1, 0, 0), (F(2, 3), T, 0)}, {(0, 1, 0)})


def test_nashpy_issue_222_component_endpoints() -> None:
    # nashpy issue #222: a continuum (p, 1-p) x (1, 0) with p in [0, 2/7];
    # both endpoints are reported, as one component.
    result = enummixed_solve(NormalFormGame.from_arrays([[-3, 3], [-3, 5]], [[2, 7], [4, 2]]))
    assert eq_set(result) == {profile((F(2, 7), F(5, 7)), (1, 0)), profile((0, 1), (1, 0))}
    assert result.degenerate
    assert result.components == ((0, 1),)


def test_all_zero_game_is_one_component() -> None:
    result = enummixed_solve(NormalFormGame.from_arrays([[0, 0], [0, 0]], [[0, 0], [0, 0]]))
    assert len(result) == 4
    assert result.components == ((0, 1, 2, 3),)


def test_rejects_non_bimatrix() -> None:
    game = NormalFormGame.from_arrays(*(np.zeros((2, 2, 2)) for _ in range(3)))
    with pytest.raises(GameError, match="two-player"):
        enummixed_solve(game)


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_lemke_howson_finds_one_of_the_equilibria(name: str) -> None:
    A, B, expected = TEXTBOOK[name]
    game = NormalFormGame.from_arrays(A, B)
    m, n = game.shape
    wanted = [np.array([float(v) for s in p for v in s]) for p in expected]
    for label in range(m + n):
        result = lemke_howson_solve(game, initial_dropped_label=label)
        (eq,) = result.equilibria
        assert eq.regret <= 1e-12
        flat = np.concatenate(eq.profile)
        assert any(np.allclose(flat, w, atol=1e-12) for w in wanted)


def test_lemke_howson_label_checks() -> None:
    game = NormalFormGame.from_arrays(*TEXTBOOK["battle_of_the_sexes"][:2])
    with pytest.raises(GameError, match="initial_dropped_label"):
        lemke_howson_solve(game, initial_dropped_label=4)
    # Dropping label 1 (Bottom) from the artificial equilibrium ends at (B, R).
    eq = lemke_howson_solve(game, initial_dropped_label=1).equilibria[0]
    assert [s.tolist() for s in eq.profile] == [[0.0, 1.0], [0.0, 1.0]]


# -- the stored pygambit oracle ----------------------------------------------------


def _as_key(profile_: Any, exact: bool) -> tuple[Any, ...]:
    if exact:
        return tuple(tuple(F(v) for v in s) for s in profile_)
    return tuple(np.round(np.concatenate([np.asarray(s, dtype=float) for s in profile_]), 7))


def test_oracle_fixture_covers_every_size(enummixed_oracle: dict[str, Any]) -> None:
    sizes: dict[tuple[str, int, int], int] = {}
    for case in enummixed_oracle["cases"]:
        key = (case["kind"], len(case["A"]), len(case["A"][0]))
        sizes[key] = sizes.get(key, 0) + 1
    assert all(count >= 300 for count in sizes.values())
    assert {(m, n) for _, m, n in sizes} >= {(2, 2), (3, 3), (4, 4), (5, 5), (6, 6)}


@pytest.mark.parametrize("kind", ["int", "float"])
def test_equilibrium_sets_equal_stored_pygambit(
    enummixed_oracle: dict[str, Any], kind: str
) -> None:
    mismatches = []
    n_cases = 0
    for case in enummixed_oracle["cases"]:
        if case["kind"] != kind:
            continue
        n_cases += 1
        exact = kind == "int"
        game = NormalFormGame.from_arrays(case["A"], case["B"], exact=exact)
        result = enummixed_solve(game)
        ours = {_as_key(e.profile, exact) for e in result.equilibria}
        # pygambit may list a degenerate vertex pair more than once: compare sets.
        theirs = {_as_key(p, exact) for p in case["equilibria"]}
        if ours != theirs or len(result) != len(ours):
            mismatches.append(case["id"])
        limit = 0 if exact else 1e-9
        assert result.max_regret <= limit, case["id"]
    assert n_cases >= 300 * 5
    assert mismatches == []


# -- properties ------------------------------------------------------------------------

small_ints = st.integers(min_value=-3, max_value=3)


@st.composite
def int_games(draw: Any) -> NormalFormGame:
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    A = draw(hnp.arrays(np.int64, (m, n), elements=small_ints))
    B = draw(hnp.arrays(np.int64, (m, n), elements=small_ints))
    return NormalFormGame.from_arrays(A.tolist(), B.tolist())


@st.composite
def float_games(draw: Any) -> NormalFormGame:
    m = draw(st.integers(1, 5))
    n = draw(st.integers(1, 5))
    elems = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
    A = draw(hnp.arrays(np.float64, (m, n), elements=elems))
    B = draw(hnp.arrays(np.float64, (m, n), elements=elems))
    return NormalFormGame.from_arrays(A, B)


@settings(max_examples=150, deadline=None)
@given(int_games())
def test_exact_equilibria_are_certified(game: NormalFormGame) -> None:
    result = enummixed_solve(game)
    assert len(result) >= 1  # Nash (1951): every finite game has one
    for e in result.equilibria:
        assert e.regret == 0
        for s in e.profile:
            assert all(v >= 0 for v in s) and sum(s) == 1
    assert len(eq_set(result)) == len(result)
    if result.degenerate:
        assert sorted(k for c in result.components for k in c) == list(range(len(result)))


@settings(max_examples=150, deadline=None)
@given(float_games())
def test_float_equilibria_are_certified(game: NormalFormGame) -> None:
    result = enummixed_solve(game)
    assert len(result) >= 1
    scale = max(1.0, max(float(np.abs(a).max()) for a in game.to_arrays()))
    for e in result.equilibria:
        assert e.regret <= 1e-9 * scale
        for s in e.profile:
            assert s.min() >= 0 and abs(s.sum() - 1) <= 1e-12
