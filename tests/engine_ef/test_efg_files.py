"""Reading and writing Gambit .efg files, checked against pygambit's readings (golden)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from sim.games.efg import format_efg, gambit_label, parse_efg, read_efg, write_efg
from sim.games.errors import GameError
from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from tests.engine_ef import GAMBIT_GAMES, GOLDEN, canonical_ours, iig, model_case

CORPUS = json.loads((GOLDEN / "ef_efg_corpus.json").read_text())["data"]
ACCEPTED = sorted(k for k, v in CORPUS.items() if "rejected" not in v)
REJECTED = sorted(k for k, v in CORPUS.items() if "rejected" in v)

needs_corpus = pytest.mark.skipif(
    not GAMBIT_GAMES.is_dir(), reason="Gambit's game collection ../shared/gambit-games is absent"
)


def test_fixture_covers_the_collection() -> None:
    assert len(CORPUS) == 118
    assert len(ACCEPTED) == 110


@needs_corpus
@pytest.mark.parametrize("name", ACCEPTED)
def test_reading_matches_pygambit(name: str) -> None:
    game = read_efg(GAMBIT_GAMES / name)
    expected = CORPUS[name]
    assert list(game.players) == expected["players"]
    assert canonical_ours(game) == expected["tree"]
    assert game.has_perfect_recall == expected["perfect_recall"]


@needs_corpus
@pytest.mark.parametrize("name", ACCEPTED)
def test_round_trip_keeps_the_game(name: str) -> None:
    game = read_efg(GAMBIT_GAMES / name)
    again = parse_efg(format_efg(game))
    assert canonical_ours(again) == CORPUS[name]["tree"]
    assert again.players == game.players
    assert [s.actions for s in again.infosets.values()] == [
        tuple(gambit_label(a) for a in s.actions) for s in game.infosets.values()
    ]


@needs_corpus
@pytest.mark.parametrize("name", REJECTED)
def test_files_gambit_rejects_for_repeated_labels_are_read(name: str) -> None:
    # Gambit 16.7 refuses repeated node labels / infoset names; we accept them
    # (documented in sim.games.efg) and write files with unique labels.
    assert "must be unique" in CORPUS[name]["rejected"]
    game = read_efg(GAMBIT_GAMES / name)
    text = format_efg(game)
    labels = [line.split('"')[1] for line in text.splitlines()[3:] if line.startswith("p")]
    named = [x for x in labels if x]
    assert len(named) == len(set(named))


def test_exact_numbers_stay_exact() -> None:
    text = (
        'EFG 2 R "t" { "A" "B" }\n""\n'
        'c "" 1 "" { "x" 19/20 "y" .05 } 0\n'
        't "" 1 "o1" { .80, 1/3 }\n'
        't "" 2 "o2" { -2, 1.5e0 }\n'
    )
    game = parse_efg(text)
    assert game.flat().probs[0] == (Fraction(19, 20), Fraction(1, 20))
    assert game.flat().payoffs[1] == (Fraction(4, 5), Fraction(1, 3))
    assert game.flat().payoffs[2] == (-2, 1.5)
    assert not game.is_exact
    assert 'c "" 1 "" { "x" 19/20 "y" 1/20 } 0' in format_efg(game)


def test_nonterminal_outcomes_add_to_the_leaves() -> None:
    text = (
        'EFG 2 R "t" { "A" "B" }\n'
        'p "" 1 1 "" { "L" "R" } 1 "bonus" { 10 20 }\n'
        't "" 2 "l" { 1 2 }\n'
        't "" 0\n'
    )
    game = parse_efg(text)
    assert game.flat().payoffs[1:] == [(11, 22), (10, 20)]


def test_later_members_of_an_infoset_may_omit_actions() -> None:
    text = (
        'EFG 2 R "t" { "A" "B" }\n'
        'p "" 1 1 "" { "L" "R" } 0\n'
        'p "" 2 1 "I" { "l" "r" } 0\n'
        't "" 1 "" { 1 1 }\nt "" 2 "" { 0 0 }\n'
        'p "" 2 1 0\n'
        't "" 3 "" { 2 2 }\nt "" 1\n'
    )
    game = parse_efg(text)
    assert set(game.infosets) == {"1:1", "I"}
    assert len(game.infosets["I"].nodes) == 2
    assert game.flat().payoffs[-1] == (1, 1)


def test_repeated_action_labels_are_suffixed() -> None:
    text = (
        'EFG 2 R "t" { "A" }\nc "" 1 "" { "1/2" 1/2 "1/2" 1/2 } 0\n'
        't "" 1 "" { 1 }\nt "" 2 "" { 2 }\n'
    )
    game = parse_efg(text)
    assert game.flat().actions[0] == ("1/2", "1/2 (2)")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('NFG 1 R "x"', "<string>:1: expected 'EFG', found 'NFG'"),
        ('EFG 2 R "t" { "A" }\np "" 2 1 "" { "a" } 0\nt "" 1 "" { 1 }\n',
         "<string>:2: player 2 does not exist"),
        ('EFG 2 R "t" { "A" "B" }\n\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "" { 1 }\n',
         "<string>:4: outcome 1 has 1 payoffs for 2 players"),
        ('EFG 2 R "t" { "A" }\nc "" 1 "" { "a" 1/2 "b" 1/3 } 0\n'
         't "" 1 "" { 1 }\nt "" 2 "" { 1 }\n',
         "<string>:1: root: chance probabilities sum to 5/6, not 1"),
        ('EFG 2 R "t" { "A" }\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "" { 1 }\n',
         "<string>:3: unexpected end of file, expected a node ('p', 'c' or 't')"),
        ('EFG 2 R "t" { "A" }\nt "" 1 "" { x }\n',
         "<string>:2: expected a payoff (a number), found 'x'"),
        ('EFG 2 R "t" { "A" }\np "" 1 1 0\n',
         "<string>:2: information set 1 is used before its actions are given"),
        ('EFG 2 R "t" { "A" }\nt "" 1 "" { 1 }\nt "" 2 "" { 1 }\n',
         "<string>:3: unexpected 't' after the last node"),
    ],
)
def test_malformed_files_name_the_line(text: str, message: str) -> None:
    with pytest.raises(GameError) as err:
        parse_efg(text)
    assert str(err.value) == message


def test_write_and_read_a_model_tree(tmp_path) -> None:
    case = model_case("M5-iig-negotiation")["params"]
    game = iig(case["U_A"], case["U_B"])
    path = tmp_path / "iig.efg"
    write_efg(game, path)
    back = read_efg(path)
    assert back.players == game.players
    assert set(back.infosets) == set(game.infosets)
    assert [float(v) for p in back.flat().payoffs for v in p] == [
        float(v) for p in game.flat().payoffs for v in p
    ]
    # outcomes with the same label and payoffs share one number
    text = path.read_text()
    assert text.count('"WAR_A"') == 2
    assert len([ln for ln in text.splitlines() if ln.startswith("t")]) == 13


def test_labels_are_written_as_gambit_accepts_them() -> None:
    assert gambit_label("  call \u2013 now  ") == "call - now"
    assert gambit_label("Russia\u00e9") == "Russiae"
    tree = Decision(0, (("call ", Terminal((1,))), ("call", Terminal((2,)))))
    text = format_efg(ExtensiveFormGame(tree, ("A",)))
    assert '{ "call" "call (2)" }' in text


def test_chance_and_labels_survive_round_trip() -> None:
    tree = Chance((
        ("heads", Fraction(1, 3), Decision(0, (("a", Terminal((1, 0), "A")),
                                               ("b", Terminal((0, 1), "B"))), "I", "n1")),
        ("tails", Fraction(2, 3), Decision(0, (("a", Terminal((2, 0), "A2")),
                                               ("b", Terminal((0, 2), "B2"))), "I", "n2")),
    ), "nature")
    game = ExtensiveFormGame(tree, ("P", "Q"), "coin")
    assert parse_efg(format_efg(game)) == game


def test_float_chance_probabilities_are_written_summing_to_one() -> None:
    tree = Chance((("a", 0.1, Terminal((1,))), ("b", 0.2, Terminal((2,))),
                   ("c", 0.7, Terminal((3,)))))
    text = format_efg(ExtensiveFormGame(tree, ("P",)))
    assert 'c "" 1 "" { "a" 1/10 "b" 1/5 "c" 7/10 } 0' in text
    assert parse_efg(text).flat().probs[0] == (Fraction(1, 10), Fraction(1, 5), Fraction(7, 10))
