"""Live cross-checks of the normal-form engine against pygambit 16.7 (the test oracle).

These recompute what the stored fixtures hold and compare fresh random games.
"""

from __future__ import annotations

import io
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.games.nfg import read_nfg, write_nfg
from sim.games.normal_form import NormalFormGame
from sim.solvers import enummixed_solve, logit_qre_at, logit_solve, pure_solve
from tests.engine.test_nfg_files import MALFORMED
from tests.paths import SHARED

gbt = pytest.importorskip("pygambit")

pytestmark = pytest.mark.oracle

CORPUS = SHARED / "gambit-games"


def gambit_game(game: NormalFormGame) -> Any:
    arrays = game.to_arrays()
    if game.is_exact:
        return gbt.Game.from_arrays(*[np.vectorize(gbt.Rational, otypes=[object])(
            np.vectorize(lambda v: v.numerator, otypes=[object])(a),
            np.vectorize(lambda v: v.denominator, otypes=[object])(a)) for a in arrays])
    return gbt.Game.from_arrays(*arrays)


def gambit_profiles(ggame: Any, equilibria: Any) -> list[list[list[Any]]]:
    return [[[eq[s] for s in p.strategies] for p in ggame.players] for eq in equilibria]


def key(profile: Any, exact: bool) -> tuple[Any, ...]:
    if exact:
        return tuple(tuple(Fraction(str(v)) for v in s) for s in profile)
    return tuple(np.round(np.concatenate([np.asarray(s, dtype=float) for s in profile]), 7))


def assert_same_set(game: NormalFormGame) -> None:
    note(f"payoffs: {[a.tolist() for a in game.to_arrays()]}")
    ggame = gambit_game(game)
    theirs = gambit_profiles(ggame, gbt.nash.enummixed_solve(ggame, rational=game.is_exact)
                             .equilibria)
    ours = enummixed_solve(game)
    assert {key(e.profile, game.is_exact) for e in ours.equilibria} == {
        key(p, game.is_exact) for p in theirs
    }


@pytest.mark.slow
def test_stored_enummixed_fixture_recomputes(enummixed_oracle: dict[str, Any]) -> None:
    # Every third stored case, recomputed live, equals the stored set.
    for case in enummixed_oracle["cases"][::3]:
        exact = case["kind"] == "int"
        game = NormalFormGame.from_arrays(case["A"], case["B"], exact=exact)
        ggame = gambit_game(game)
        live = gambit_profiles(ggame, gbt.nash.enummixed_solve(ggame, rational=exact).equilibria)
        assert {key(p, exact) for p in live} == {key(p, exact) for p in case["equilibria"]}


@st.composite
def bimatrix(draw: Any, exact: bool) -> NormalFormGame:
    m = draw(st.integers(2, 6))
    n = draw(st.integers(2, 6))
    if exact:
        elems: Any = st.integers(-2, 2)
        dtype: Any = np.int64
    else:
        # Floats on a 1e-4 grid: pygambit's float arithmetic uses absolute
        # tolerances, so payoff differences near 1e-14 (which our scale-free
        # tolerances treat as real) would make the comparison meaningless.
        elems = st.integers(-50000, 50000).map(lambda k: k / 10000)
        dtype = np.float64
    A = draw(hnp.arrays(dtype, (m, n), elements=elems))
    B = draw(hnp.arrays(dtype, (m, n), elements=elems))
    if exact:
        return NormalFormGame.from_arrays(A.tolist(), B.tolist())
    return NormalFormGame.from_arrays(A, B)


@settings(max_examples=300, deadline=None)
@given(bimatrix(exact=True))
def test_enummixed_equals_pygambit_on_integer_games(game: NormalFormGame) -> None:
    assert_same_set(game)


@settings(max_examples=300, deadline=None)
@given(bimatrix(exact=False))
def test_enummixed_equals_pygambit_on_float_games(game: NormalFormGame) -> None:
    assert_same_set(game)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared Gambit corpus not found at {CORPUS}")
def test_pure_equals_enumpure_on_corpus() -> None:
    for path in sorted(CORPUS.rglob("*.nfg")):
        ggame = gbt.read_nfg(str(path))
        theirs = {key(p, True) for p in gambit_profiles(
            ggame, gbt.nash.enumpure_solve(ggame).equilibria)}
        ours = {key(e.profile, True) for e in pure_solve(read_nfg(path)).equilibria}
        assert ours == theirs, path.name


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared Gambit corpus not found at {CORPUS}")
def test_nfg_corpus_live() -> None:
    for path in sorted(CORPUS.rglob("*.nfg")):
        ggame = gbt.read_nfg(str(path))
        ours = read_nfg(path)
        assert list(ours.players) == [p.label for p in ggame.players]
        assert [list(s) for s in ours.strategies] == [[s.label for s in p.strategies]
                                                      for p in ggame.players]
        for a, b in zip(ours.to_arrays(), ggame.to_arrays(), strict=True):
            assert [Fraction(v) for v in a.flat] == [Fraction(str(v)) for v in b.flat]
        # pygambit reads what we write, and we read what pygambit writes.
        for form in ("outcome", "payoff"):
            back = gbt.read_nfg(io.StringIO(write_nfg(ours, form=form)))
            for a, b in zip(ours.to_arrays(), back.to_arrays(), strict=True):
                assert [Fraction(v) for v in a.flat] == [Fraction(str(v)) for v in b.flat]
            assert [p.label for p in back.players] == list(ours.players)
        assert read_nfg(ggame.to_nfg()) == ours


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_pygambit_also_rejects_malformed_files(text: str, message: str) -> None:
    with pytest.raises(ValueError):
        gbt.read_nfg(io.StringIO(text))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("lam", [0.5, 2.0, 8.0])
def test_principal_qre_equals_pygambit(seed: int, lam: float) -> None:
    rng = np.random.default_rng(seed)
    shape = (2, 2) if seed < 2 else (3, 3) if seed < 4 else (2, 3, 2)
    game = NormalFormGame.from_arrays(*(rng.random(shape) for _ in shape))
    (ours,) = logit_qre_at(game, lam).equilibria
    ggame = gambit_game(game)
    (theirs,) = gbt.qre.logit_solve_lambda(ggame, lam=[lam])
    want = [[theirs.profile[s] for s in p.strategies] for p in ggame.players]
    for p, q in zip(ours.profile, want, strict=True):
        assert np.allclose(p, q, atol=1e-6)


@pytest.mark.parametrize("seed", range(10))
def test_logit_solve_limit_equals_pygambit(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    shape = ((2, 2), (3, 3), (4, 3), (2, 2, 2), (3, 2, 2))[seed % 5]
    game = NormalFormGame.from_arrays(*(rng.random(shape) for _ in shape))
    (ours,) = logit_solve(game).equilibria
    ggame = gambit_game(game)
    (theirs,) = gbt.nash.logit_solve(ggame).equilibria
    want = [[float(theirs[s]) for s in p.strategies] for p in ggame.players]
    for p, q in zip(ours.profile, want, strict=True):
        assert np.allclose(p, q, atol=1e-5)
    assert ours.regret <= 1e-9
