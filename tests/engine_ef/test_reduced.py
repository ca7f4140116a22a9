"""Reduced normal form: values on textbook trees, Gambit's tables on its collection, Kuhn's map."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from sim.games.efg import read_efg
from sim.games.reduced import reduced_form, reduced_normal_form
from tests.engine_ef import GAMBIT_GAMES, GOLDEN, beer_quiche, entry_deterrence, threat_game

REDUCED = json.loads((GOLDEN / "ef_reduced_corpus.json").read_text())["data"]


def test_entry_deterrence_table() -> None:
    nf = reduced_normal_form(entry_deterrence())
    assert nf.strategies == (("Out", "In"), ("Fight", "Accommodate"))
    assert nf.payoffs[0].tolist() == [[0, 0], [-1, 1]]
    assert nf.payoffs[1].tolist() == [[2, 2], [-1, 1]]


def test_unreached_own_moves_are_merged() -> None:
    g = threat_game(Fraction(3, 10), Fraction(6, 10), Fraction(55, 100), Fraction(1, 10),
                    Fraction(2, 10), Fraction(5, 100), 0)
    rf = reduced_form(g)
    # C: Status quo makes its later move unreachable, so (SQ, Execute) and (SQ, Back down) merge.
    assert rf.game.strategies[0] == ("Status quo,*", "Demand,Execute", "Demand,Back down")
    assert reduced_form(g, "gambit").game.strategies[0] == ("1*", "21", "22")
    assert rf.game.payoffs[0][0].tolist() == [Fraction(3, 10)] * 2
    assert rf.game.payoffs[0][1].tolist() == [Fraction(3, 5), Fraction(9, 20)]
    assert rf.game.payoffs[1][2].tolist() == [Fraction(2, 5), Fraction(7, 10)]


def test_chance_weights_enter_the_table() -> None:
    nf = reduced_normal_form(beer_quiche(Fraction(9, 10)), "gambit")
    assert nf.shape == (4, 4)
    # Sender (Beer, Beer) against receiver (Not after Beer, Duel after Quiche): 0.9*3 + 0.1*2
    s = nf.strategies[0].index("11")
    r = nf.strategies[1].index("21")
    assert nf.payoffs[0][s, r] == Fraction(29, 10)
    assert nf.payoffs[1][s, r] == Fraction(9, 10)


def test_kuhn_map_gives_the_same_outcome_distribution() -> None:
    g = beer_quiche(Fraction(1, 3))
    rf = reduced_form(g)
    rng = np.random.default_rng(7)
    for _ in range(5):
        profile = []
        for k in rf.game.shape:
            w = [Fraction(int(x)) for x in rng.integers(0, 5, size=k)]
            w[0] += 1
            total = sum(w)
            profile.append(np.array([x / total for x in w], dtype=object))
        behavior = rf.to_behavior(profile)
        assert g.expected_payoffs(behavior) == tuple(rf.game.expected_payoffs(profile))


def test_kuhn_map_uniform_where_never_reached() -> None:
    rf = reduced_form(threat_game(0, 1, 1, 0, 0, 0, 0))
    behavior = rf.to_behavior([np.array([Fraction(1), 0, 0], dtype=object),
                               np.array([Fraction(1), 0], dtype=object)])
    assert behavior["C after Resist"] == {"Execute": Fraction(1, 2), "Back down": Fraction(1, 2)}


def _reorder(ours, theirs_labels):
    index = [[labels.index(s) for s in want] for labels, want in
             zip(ours.strategies, theirs_labels, strict=True)]
    return [a[np.ix_(*index)] for a in ours.payoffs]


@pytest.mark.skipif(not GAMBIT_GAMES.is_dir(), reason="Gambit's game collection is absent")
@pytest.mark.parametrize("name", sorted(REDUCED))
def test_reduced_form_matches_pygambit(name: str) -> None:
    expected = REDUCED[name]
    nf = reduced_normal_form(read_efg(GAMBIT_GAMES / name), "gambit")
    assert [sorted(s) for s in nf.strategies] == [sorted(s) for s in expected["strategies"]]
    for ours, theirs in zip(_reorder(nf, expected["strategies"]), expected["payoffs"], strict=True):
        assert [Fraction(v) for v in ours.reshape(-1)] == [Fraction(v) for v in theirs]


def test_fixture_size() -> None:
    assert len(REDUCED) == 101


@pytest.mark.skipif(not GAMBIT_GAMES.is_dir(), reason="Gambit's game collection is absent")
def test_oversized_tables_are_refused() -> None:
    from sim.games.errors import GameError

    with pytest.raises(GameError) as err:
        reduced_normal_form(read_efg(GAMBIT_GAMES / "contrib/ttt.efg"))
    assert str(err.value) == (
        f"the reduced normal form has 16529 x 668360 = {16529 * 668360} strategy profiles, "
        "more than max_cells=2000000"
    )
