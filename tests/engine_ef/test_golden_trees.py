"""Gambit's collection solved offline: its trees rebuilt from the golden fixtures.

The fixtures (``make_ef_oracle.py``) store pygambit's reading of every .efg
file in canonical form, its reduced strategic forms and its agent QRE. The
trees rebuilt from them let the solvers be checked against pygambit without
``../shared/gambit-games``; reading the files themselves is checked in
``test_efg_files.py`` when the collection is present.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from sim.games.efg import format_efg, parse_efg
from sim.games.errors import GameError
from sim.games.reduced import reduced_normal_form
from sim.solvers.agent_qre import agent_qre_at, agent_qre_limit
from sim.solvers.spe import spe_solve
from tests.engine_ef import GOLDEN, behavior_by_first_node, canonical_ours, tree_from_canonical

CORPUS = json.loads((GOLDEN / "ef_efg_corpus.json").read_text())["data"]
REDUCED = json.loads((GOLDEN / "ef_reduced_corpus.json").read_text())["data"]
QRE = json.loads((GOLDEN / "ef_agent_qre.json").read_text())["data"]
ACCEPTED = sorted(k for k, v in CORPUS.items() if "rejected" not in v)
QRE_FILES = sorted(k for k in QRE if k in CORPUS)


def _tree(name: str):
    entry = CORPUS[name]
    return tree_from_canonical(entry["tree"], entry["players"], name)


@pytest.mark.parametrize("name", ACCEPTED)
def test_rebuilt_tree_is_pygambits_reading(name: str) -> None:
    game = _tree(name)
    assert canonical_ours(game) == CORPUS[name]["tree"]
    assert game.has_perfect_recall == CORPUS[name]["perfect_recall"]
    # what we write we read back as the same game
    assert canonical_ours(parse_efg(format_efg(game))) == CORPUS[name]["tree"]


def test_rebuilding_refuses_trailing_nodes() -> None:
    with pytest.raises(ValueError, match="1 nodes after the tree"):
        tree_from_canonical([["t", ["1"]], ["t", ["2"]]], ["A"])


def test_offline_checks_cover_the_fixtures() -> None:
    assert len(ACCEPTED) == 110
    assert len(QRE_FILES) == 5
    assert set(REDUCED) <= set(ACCEPTED)


@pytest.mark.parametrize("name", sorted(REDUCED))
def test_reduced_form_matches_pygambit(name: str) -> None:
    expected = REDUCED[name]
    nf = reduced_normal_form(_tree(name), "gambit")
    assert [list(s) for s in nf.strategies] == expected["strategies"]
    for ours, theirs in zip(nf.payoffs, expected["payoffs"], strict=True):
        assert [Fraction(v) for v in ours.reshape(-1)] == [Fraction(v) for v in theirs]


@pytest.mark.parametrize("name", QRE_FILES)
@pytest.mark.parametrize("lam", ["0.5", "1.0", "5.0"])
def test_agent_qre_matches_pygambit(name: str, lam: str) -> None:
    game = _tree(name)
    ours = behavior_by_first_node(game, agent_qre_at(game, float(lam)).behavior)
    theirs = QRE[name]["lambda"][lam]
    assert ours.keys() == theirs.keys()
    for key, probs in theirs.items():
        assert ours[key] == pytest.approx(probs, abs=1e-6), key


@pytest.mark.parametrize("name", QRE_FILES)
def test_agent_qre_limit_matches_pygambit(name: str) -> None:
    game = _tree(name)
    res = agent_qre_limit(game)
    ours = behavior_by_first_node(game, res.behavior)
    reach = game.flat().reach_probs(res.behavior)
    for key, probs in QRE[name]["limit"].items():
        if reach[int(key)] > 1e-6:
            assert ours[key] == pytest.approx(probs, abs=1e-3), key


@pytest.mark.parametrize(
    ("name", "payoffs"),
    [
        ("contrib/cent4.efg", (Fraction(4, 5), Fraction(1, 5))),
        ("contrib/cent6.efg", (Fraction(4, 5), Fraction(1, 5))),
        ("contrib/centcs6.efg", (Fraction(8, 5), Fraction(8, 5))),
        ("contrib/centcs10.efg", (Fraction(8, 5), Fraction(8, 5))),
    ],
)
def test_centipedes_unravel(name: str, payoffs) -> None:
    res = spe_solve(_tree(name), ties="all")
    assert len(res) == 1
    (eq,) = res.equilibria
    assert eq.payoffs == payoffs
    # the first mover takes (action 1 of Gambit's file) at the root
    assert res.paths[0] == ("1:0:1",)


def test_centipede_with_altruists_needs_another_solver() -> None:
    with pytest.raises(GameError, match="spe_solve needs perfect information"):
        spe_solve(_tree("contrib/cent3.efg"))
