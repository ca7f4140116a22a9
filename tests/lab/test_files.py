"""The JSON form, links and Gambit files of lab games, including hostile input."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

import pytest

from sim.games.errors import GameError
from sim.games.normal_form import NormalFormGame
from sim.lab.build import to_engine
from sim.lab.catalogue import CATALOGUE, catalogue_game
from sim.lab.edit import new_normal_form, paste_matrix, resize, set_player_matrix, sync_parameters
from sim.lab.files import (
    MAX_FILE_BYTES,
    MAX_LINK_CHARS,
    LabFileError,
    decode_link,
    dump_json,
    encode_link,
    load_json,
    read_game_text,
    to_gambit,
)
from sim.lab.model import LabGame


def _token(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


@pytest.mark.parametrize("key", [e.key for e in CATALOGUE])
def test_json_and_link_round_trip(key: str) -> None:
    game = catalogue_game(key)
    assert load_json(dump_json(game), "x.json") == game
    token = encode_link(game)
    assert len(token) < 2000  # small games make short links
    assert decode_link(token) == game


def test_json_keeps_expressions_and_ranges() -> None:
    data = json.loads(dump_json(catalogue_game("chicken")))
    assert data["schema"] == "coercion-sim/game-lab" and data["version"] == 1
    assert ["-c", "-c"] in data["normal_form"]["payoffs"]
    c = next(p for p in data["parameters"] if p["name"] == "c")
    assert (c["value"], c["lo"], c["hi"]) == (2, 0.1, 10)


@pytest.mark.parametrize(("text", "fragment"), [
    ("{", "x.json:1: Expecting property name"),
    ("[1, 2]", "one JSON object"),
    ('{"schema": "other"}', "not a game-lab file"),
    ('{"schema": "coercion-sim/game-lab", "version": 7}', "version: 7 is not supported"),
    ('{"schema": "coercion-sim/game-lab", "version": 1, "title": "t", "players": ["a", "b"],'
     ' "normal_form": {"strategies": [["x"], ["y"]], "payoffs": [["w", "0"]]}}',
     "uses 'w', which is not a parameter"),
    ('{"schema": "coercion-sim/game-lab", "version": 1, "title": "t", "players": ["a", "b"],'
     ' "normal_form": {"strategies": [["x"], ["y"]], "payoffs": [["().__class__", "0"]]}}',
     "attribute access"),
    ('{"schema": "coercion-sim/game-lab", "version": 1, "title": "t", "players": ["a", "b"],'
     ' "parameters": [{"name": "w", "value": NaN, "lo": 0, "hi": 1}],'
     ' "normal_form": {"strategies": [["x"], ["y"]], "payoffs": [["w", "0"]]}}',
     "NaN is not a number JSON allows"),
    ('{"schema": "coercion-sim/game-lab", "version": 1, "title": "t", "players": ["a", "b"],'
     ' "parameters": [{"name": "w", "value": 5, "lo": 0, "hi": 1}],'
     ' "normal_form": {"strategies": [["x"], ["y"]], "payoffs": [["w", "0"]]}}',
     "outside [0, 1]"),
    ('{"schema": "coercion-sim/game-lab", "version": 1, "title": "t", "players": ["a", "b"],'
     ' "normal_form": {"strategies": [["x"], ["y"]], "payoffs": [["0", "0"]]}, "evil": 1}',
     "evil: Extra inputs are not permitted"),
])
def test_bad_json_gets_a_located_message(text: str, fragment: str) -> None:
    with pytest.raises(LabFileError) as info:
        load_json(text, "x.json")
    assert fragment in str(info.value)
    assert str(info.value).startswith("x.json")


def test_size_caps() -> None:
    with pytest.raises(LabFileError, match="the limit is"):
        load_json(" " * (MAX_FILE_BYTES + 1), "big.json")
    with pytest.raises(LabFileError, match="the limit is"):
        read_game_text(b"NFG 1 R " + b" " * MAX_FILE_BYTES, "big.nfg")
    eleven = new_normal_form([[f"s{i}" for i in range(11)], ["a", "b"]])
    with pytest.raises(Exception, match="allows 1 to 10"):
        LabGame.model_validate(eleven)
    five = new_normal_form([["a", "b", "c", "d", "e"], ["a", "b"], ["a", "b"]])
    with pytest.raises(Exception, match="allows 1 to 4"):
        LabGame.model_validate(five)


def test_hostile_links() -> None:
    with pytest.raises(LabFileError, match="limit"):
        decode_link("A" * (MAX_LINK_CHARS + 1))
    with pytest.raises(LabFileError, match="damaged"):
        decode_link("not base64 !!")
    with pytest.raises(LabFileError, match="damaged"):
        decode_link("AAAA")
    # A zip bomb: a few kilobytes that would inflate to 4 MB.
    bomb = _token(b"{" + b" " * 4_000_000)
    assert len(bomb) <= MAX_LINK_CHARS
    with pytest.raises(LabFileError, match="inflates past"):
        decode_link(bomb)
    token = encode_link(catalogue_game("chicken"))
    with pytest.raises(LabFileError, match="cut short"):
        decode_link(token[: len(token) // 2])
    with pytest.raises(LabFileError, match="not a game-lab file"):
        decode_link(_token(b'{"schema": "x"}'))


def test_uploads_never_read_the_disk(tmp_path: Path) -> None:
    secret = tmp_path / "secret.nfg"
    secret.write_text('NFG 1 R "secret" { "a" "b" } { 1 1 } 1 2\n')
    # The engine's reader treats a one-line str as a path; the lab never passes one on.
    with pytest.raises(LabFileError, match="starts with 'NFG'"):
        read_game_text(str(secret), "upload.nfg")
    with pytest.raises(LabFileError):
        read_game_text(str(secret).encode(), "upload.efg")
    with pytest.raises(LabFileError, match="unknown file type"):
        read_game_text(b"hello", "upload.txt")


def test_malformed_gambit_files_are_located() -> None:
    with pytest.raises(LabFileError) as info:
        read_game_text('NFG 1 R "t" { "a" "b" }\n{ 2 2 }\n1 2 3', "bad.nfg")
    assert str(info.value).startswith("bad.nfg:")
    with pytest.raises(LabFileError) as info:
        read_game_text('EFG 2 R "t" { "a" }\n""\np "" 1 1 "" { "x" } 0\n', "bad.efg")
    assert str(info.value).startswith("bad.efg")


def test_gambit_download_is_the_game_at_the_slider_values() -> None:
    game = catalogue_game("chicken")
    name, text = to_gambit(game, {"c": 4})
    assert name == "chicken.nfg"
    back = read_game_text(text, name)
    engine = to_engine(back)
    assert isinstance(engine, NormalFormGame)
    assert engine.to_arrays()[0].tolist() == [[0, 0], [1, -4]]


def test_editing_helpers() -> None:
    data = new_normal_form([["Swerve", "Straight"], ["Swerve", "Straight"]], ["Row", "Column"])
    data = set_player_matrix(data, 0, [["0", "0"], ["w", "-c"]])
    data = set_player_matrix(data, 1, paste_matrix("0\tw\n0\t-c", 2, 2))
    data = sync_parameters(data)
    game = LabGame.model_validate(data)
    assert [p.name for p in game.parameters] == ["c", "w"]
    assert [(p.lo, p.hi, p.value) for p in game.parameters] == [(0, 10, 1), (0, 10, 1)]
    engine = to_engine(game, {"w": 1, "c": 2})
    assert engine.to_arrays()[1].tolist() == [[0, 1], [0, -2]]
    bigger = resize(data, [["Swerve", "Straight", "Wait"], ["Swerve", "Straight"]])
    assert bigger["normal_form"]["payoffs"][2] == ["w", "0"]
    assert bigger["normal_form"]["payoffs"][4] == ["0", "0"]
    with pytest.raises(GameError, match="expected 2 rows of 2 entries"):
        paste_matrix("1 2 3\n4 5 6", 2, 2)
    partly = sync_parameters(set_player_matrix(data, 0, [["1", "1"], ["1", "1"]]))
    assert [p["name"] for p in partly["parameters"]] == ["c", "w"]
    unused = sync_parameters(set_player_matrix(partly, 1, [["1", "1"], ["1", "1"]]))
    assert unused["parameters"] == []
