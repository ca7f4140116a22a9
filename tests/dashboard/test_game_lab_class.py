"""Starting a class session from the Game lab: the teacher lands on the instructor page."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from sim.classroom.store import ClassroomStore
from tests.dashboard.conftest import APP


def _lab(key: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["mode"] = "game lab"
    at.run()
    at.selectbox(key="lab.start").set_value(key)
    at.run()
    at.button(key="lab.load").click()
    return at.run()


def _button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label.startswith(label))


def _texts(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "success", "error", "header",
                 "subheader", "metric"):
        parts += [f"{getattr(el, 'label', '')} {el.value}" for el in getattr(at, kind)]
    return "\n".join(parts)


def test_a_lab_game_starts_a_class_and_opens_the_instructor_page(tmp_path, monkeypatch
                                                                   ) -> None:
    url = f"sqlite:///{tmp_path / 'class.db'}"
    monkeypatch.setenv("COERCION_CLASSROOM_DB", url)
    monkeypatch.setenv("COERCION_INSTRUCTOR_PASSWORD", "s3cret")
    at = _lab("battle_of_the_sexes")
    assert not at.exception
    at.number_input(key="lab.class.rounds").set_value(3)
    at.text_input(key="lab.class.password").input("wrong")
    _button(at, "Start a class session").click().run()
    assert any("password is not right" in e.value for e in at.error)
    assert "teacher" not in at.query_params
    at.text_input(key="lab.class.password").input("s3cret")
    _button(at, "Start a class session").click().run()
    assert not at.exception, at.exception
    token = at.query_params["teacher"]
    assert at.query_params["mode"] == "classroom" and "game" not in at.query_params
    text = _texts(at)
    assert "Battle of the Sexes" in text
    state = ClassroomStore(url).instructor_state(token)
    assert state.game == "lab" and state.rounds == 3
    game = ClassroomStore(url).game_of(token)
    assert game.roles == ("Row", "Column") and game.params == {"a": 2.0, "b": 1.0}
    # a student who joins sees the lab game's payoffs
    student = AppTest.from_file(APP, default_timeout=180)
    student.query_params["mode"] = "classroom"
    student.query_params["join"] = state.code
    student.run()
    student.text_input(key="join_name").input("Ana")
    _button(student, "Join").click().run()
    assert not student.exception
    frames = [d.value for d in student.dataframe] + [t.value for t in student.table]
    assert any("2.00 / 1.00" in f.to_string() for f in frames)


def test_a_three_player_game_offers_no_class(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COERCION_CLASSROOM_DB", f"sqlite:///{tmp_path / 'class.db'}")
    at = _lab("volunteers_dilemma")
    assert not at.exception
    assert any("Only games with two players" in i.value for i in at.info)
    assert not [b for b in at.button if b.label.startswith("Start a class session")]
