"""The Game lab page under AppTest: build a game, slide across a threshold, share it."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from sim.lab.catalogue import catalogue_game
from sim.lab.files import decode_link, encode_link
from tests.dashboard.conftest import APP, problems


def _lab(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["mode"] = "game lab"
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _load(at: AppTest, key: str) -> AppTest:
    """Choose ``key`` in Start from (a catalogue key or ``new_...``) and load it."""
    at.selectbox(key="lab.start").set_value(key)
    at.run()
    at.button(key="lab.load").click()
    return at.run()


def _paste(at: AppTest, player: int, text: str) -> AppTest:
    at.text_area[player].input(text)
    at.run()
    at.button(key=next(b.key for b in at.button if str(b.key).startswith("lab.paste_go.")
                       and str(b.key).endswith(f".{player}"))).click()
    return at.run()


def test_three_by_three_with_one_parameter_crosses_its_threshold() -> None:
    # Row's payoff does not depend on Column: Top pays t, Middle 1, Bottom 0. Column
    # answers Top with Left, Middle with Centre, Bottom with Right (2 against 0). By hand:
    # for t < 1 the only equilibrium is (Middle, Centre); for t > 1 it is (Top, Left).
    at = _load(_lab(), "new_3x3")
    assert not problems(at)
    at = _paste(at, 0, "t t t\n1 1 1\n0 0 0")
    at = _paste(at, 1, "2 0 0\n0 2 0\n0 0 2")
    assert not problems(at), problems(at)
    slider = next(s for s in at.slider if s.label == "t")
    slider.set_value(0.5)
    at.run()
    text = _text(at)
    assert "1 equilibrium: 1 pure" in text
    assert "Row plays Middle; Column plays Centre" in text
    assert "Row plays Top" not in text
    slider = next(s for s in at.slider if s.label == "t")
    slider.set_value(2.0)
    at.run()
    text = _text(at)
    assert "1 equilibrium: 1 pure" in text
    assert "Row plays Top; Column plays Left" in text
    assert "Row plays Middle" not in text
    # At the threshold Row is indifferent: a connected set of equilibria, marked as such.
    slider = next(s for s in at.slider if s.label == "t")
    slider.set_value(1.0)
    at.run()
    assert "not isolated" in _text(at)
    # The address bar carries the game, expressions included.
    token = at.query_params["game"]
    game = decode_link(token if isinstance(token, str) else token[0])
    assert game.normal_form is not None
    assert game.normal_form.payoffs[0] == ["t", "2"]
    assert game.parameter("t").value == 1.0


def test_a_link_restores_the_game_and_its_values() -> None:
    game = catalogue_game("chicken")
    game = game.model_copy(update={"parameters": [
        p.model_copy(update={"value": 4.0}) if p.name == "c" else p for p in game.parameters]})
    at = _lab(game=encode_link(game))
    assert not problems(at)
    assert at.header[0].value == "Chicken"
    assert next(s for s in at.slider if "(c)" in s.label).value == 4.0
    # w = 1, c = 4: each goes straight with probability w / (w + c) = 20%.
    assert "Swerve 80%, Straight 20%" in _text(at)


def test_a_damaged_link_is_explained_and_the_page_works() -> None:
    at = _lab(game="AAAA")
    assert any("could not be opened" in w.value for w in at.warning)
    assert not at.exception
    assert at.header[0].value == "Chicken"


def test_a_tree_from_the_catalogue_shows_subgame_perfect_play() -> None:
    at = _load(_lab(), "entry_deterrence")
    assert not problems(at), problems(at)
    text = _text(at)
    assert "1 subgame-perfect equilibrium" in text
    assert "Entrant at the start: Enter; Incumbent after Enter: Accommodate" in text
    assert any("Stay out" in c.value for c in at.code)  # the outline
    tree = json.loads(at.get("echarts_chart")[0].proto.spec)
    played = next(s for s in tree["series"] if s["name"] == "equilibrium play")["data"]
    assert len(played) == 2  # Enter, then Accommodate
    moves = next(s for s in tree["series"] if s["name"] == "moves")["data"]
    assert {"Enter", "Stay out", "Accommodate", "Fight"} <= {m["label"]["formatter"]
                                                              for m in moves}


def test_a_bad_expression_is_explained_and_the_last_game_kept() -> None:
    at = _load(_lab(), "new_3x3")
    at = _paste(at, 0, "t t t\n1 1 1\n0 0 __import__('os')")
    assert not at.exception
    assert any("not used yet" in e.value and "only min" in e.value for e in at.error)
    # The all-zero game it started from is still solved: every profile is an equilibrium.
    assert "9 equilibria: 9 pure" in _text(at)
