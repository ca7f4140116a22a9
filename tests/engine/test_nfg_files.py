"""Gambit .nfg files: the shared corpus against pygambit's stored reading, round trips, errors."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.games.errors import GameError
from sim.games.nfg import read_nfg, write_nfg
from sim.games.normal_form import NormalFormGame
from tests.paths import SHARED

CORPUS = SHARED / "gambit-games"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"shared Gambit corpus not found at {CORPUS}"
)


def assert_matches(game: NormalFormGame, entry: dict[str, Any]) -> None:
    assert game.title == entry["title"]
    assert list(game.players) == entry["players"]
    assert [list(s) for s in game.strategies] == entry["strategies"]
    assert game.is_exact
    for ours, theirs in zip(game.to_arrays(), entry["payoffs"], strict=True):
        assert [Fraction(v) for v in ours.reshape(-1)] == [Fraction(v) for v in theirs]


@needs_corpus
def test_corpus_is_complete(nfg_corpus: dict[str, Any]) -> None:
    on_disk = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.nfg"))
    assert on_disk == [f["path"] for f in nfg_corpus["files"]]
    assert len(on_disk) >= 50


@needs_corpus
def test_every_corpus_file_reads_like_pygambit(nfg_corpus: dict[str, Any]) -> None:
    for entry in nfg_corpus["files"]:
        path = CORPUS / entry["path"]
        if "rejected" in entry:
            with pytest.raises(GameError):
                read_nfg(path)
            continue
        assert_matches(read_nfg(path), entry)


@needs_corpus
@pytest.mark.parametrize("form", ["outcome", "payoff"])
def test_corpus_round_trip(nfg_corpus: dict[str, Any], form: str) -> None:
    for entry in nfg_corpus["files"]:
        if "rejected" in entry:
            continue
        game = read_nfg(CORPUS / entry["path"])
        again = read_nfg(write_nfg(game, form=form))
        assert again == game
        assert_matches(again, entry)


def test_pygambit_catalog_games_read(nfg_corpus: dict[str, Any]) -> None:
    # Text written by pygambit's Game.to_nfg() (stored in the fixture).
    assert len(nfg_corpus["catalog"]) >= 6
    for entry in nfg_corpus["catalog"]:
        game = read_nfg(entry["nfg"])
        assert_matches(game, entry)
        assert read_nfg(write_nfg(game)) == game


def test_payoff_form_order_first_player_fastest() -> None:
    text = 'NFG 1 R "t" { "A" "B" } { 2 3 }\n1 10 2 20 3 30 4 40 5 50 6 60\n'
    game = read_nfg(text)
    A, B = game.to_arrays()
    assert A.tolist() == [[1, 3, 5], [2, 4, 6]]
    assert B.tolist() == [[10, 30, 50], [20, 40, 60]]
    assert game.strategies == (("1", "2"), ("1", "2", "3"))


def test_numbers_stay_exact() -> None:
    text = 'NFG 1 R "" { "1" "2" } { 1 2 }\n3/2 -0.25 1e2 -7\n'
    A, B = read_nfg(text).to_arrays()
    assert A.tolist() == [[Fraction(3, 2), Fraction(100)]]
    assert B.tolist() == [[Fraction(-1, 4), Fraction(-7)]]
    floats = read_nfg(text, exact=False)
    assert not floats.is_exact and floats.to_arrays()[0].tolist() == [[1.5, 100.0]]


def test_outcome_form_with_null_outcome_and_escapes() -> None:
    text = (
        'NFG 1 R "say \\"hi\\"" { "P1" "P2" }\n{ { "a" "b" }\n{ "c" }\n}\n""\n'
        '{\n{ "o1" 1, 2 }\n}\n1 0\n'
    )
    game = read_nfg(text)
    assert game.title == 'say "hi"'
    assert [a.tolist() for a in game.to_arrays()] == [[[1], [0]], [[2], [0]]]
    assert read_nfg(write_nfg(game)) == game


def test_float_games_write_readably() -> None:
    game = NormalFormGame.from_arrays([[0.1, 2.0]], [[-3.5, 1e-20]])
    back = read_nfg(write_nfg(game), exact=False)
    assert np.array_equal(back.to_arrays()[0], game.to_arrays()[0])
    assert np.array_equal(back.to_arrays()[1], game.to_arrays()[1])


def test_reads_from_path(tmp_path: Path) -> None:
    path = tmp_path / "g.nfg"
    path.write_text('NFG 1 R "x" { "1" "2" } { 1 1 }\n4 5\n')
    assert read_nfg(path).title == "x"
    with pytest.raises(GameError):  # a str is text, never opened as a path
        read_nfg(str(path))


MALFORMED = [
    ("", "expected 'NFG'"),
    ('NFG 2 R "" { "1" } { 1 }\n0\n', "line 1, column 5: unsupported NFG version"),
    ('NFG 1 X "" { "1" } { 1 }\n0\n', "expected 'R' or 'D'"),
    ('NFG 1 R "" { } { }\n', "no players"),
    ('NFG 1 R "" { "1" "2" } { 2 2 }\n1 2 3 4 5 6 7\n', "expected 8 payoffs, found 7"),
    ('NFG 1 R "" { "1" "2" } { 1 1 }\n1 2 3\n', "line 2, column 5: unexpected '3'"),
    ('NFG 1 R "" { "1" "2" } { 1 1 }\n1 x\n', "line 2, column 3: expected a payoff"),
    ('NFG 1 R "" { "1" "2" } { 1 1 }\n1 2/0\n', "zero denominator"),
    ('NFG 1 R "" { "1" "2" } { 1 1 }\n1 @\n', "line 2, column 3: unexpected text"),
    ('NFG 1 R "" { "1" "2" }\n{ { "a" } { "b" } }\n{ { "" 1 } }\n1\n', "has 1 payoffs for 2"),
    ('NFG 1 R "" { "1" "2" }\n{ { "a" } { "b" } }\n{ { "" 1 2 } }\n2\n', "no outcome numbered"),
    ('NFG 1 R "" { "1" "2" } { 0 1 }\n', "bad number of strategies"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_malformed_files_raise_game_error(text: str, message: str) -> None:
    with pytest.raises(GameError, match=message):
        read_nfg(text)


def test_blank_and_repeated_labels_made_unique_like_gambit() -> None:
    text = 'NFG 1 R "" { "A" "" "A" }\n{ { "s" "t" "s" "" "" } { "x" } { "y" } }\n""\n'
    text += " ".join(["0"] * 15) + "\n"
    game = read_nfg(text)
    assert game.players == ("A_1", "_1", "A_2")
    assert game.strategies[0] == ("s_1", "t", "s_2", "_1", "_2")


def test_write_rejects_unknown_form() -> None:
    with pytest.raises(GameError, match="unknown .nfg form"):
        write_nfg(NormalFormGame.from_arrays([[1]], [[2]]), form="xml")
