"""A live role-play driven by several AppTest instances: an instructor and seven students,
on a temporary SQLite file, with a restart in the middle."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from sim.classroom.store import ClassroomStore
from tests.dashboard.conftest import APP


def _page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["mode"] = "classroom"
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


@pytest.fixture
def db(store_url, monkeypatch) -> str:
    """The class database: a temp SQLite file, then a real PostgreSQL server."""
    monkeypatch.setenv("COERCION_CLASSROOM_DB", store_url)
    return store_url


def test_class_session(db) -> None:
    start = _page()
    assert not start.exception
    start.selectbox(key="new_game").set_value("threat")
    start.number_input(key="new_seed").set_value(7)
    start.button[1].click().run()  # the "Create session" form button
    teacher = start.query_params["teacher"]
    assert teacher
    instructor = _page(teacher=teacher)
    code = next(m for m in instructor.metric if m.label == "Join code").value
    students = {}
    for name in ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran"]:
        page = _page()
        page.text_input(key="join_code").input(code)
        page.text_input(key="join_name").input(name)
        page.button[0].click().run()  # "Join"
        assert not page.exception and not page.error, [e.value for e in page.error]
        students[name] = page.query_params["student"]
    # each student sees their role, and only Russia players see a private type
    views = {n: _page(student=t) for n, t in students.items()}
    ana = views["Ana"]
    assert any("Your private type" in i.value for i in ana.info)
    assert not any("Your private type" in i.value for i in views["Ben"].info)
    # moves, with a double click, then a restart of the server (a new store on the file)
    for page in views.values():
        radio = page.radio(key="move.1")
        page.radio(key="move.1").set_value(radio.options[-1]).run()
        page.button(key="submit").click().run()
        page.button(key="submit").click().run()
        assert not page.exception
    ClassroomStore(db).dispose()
    instructor = _page(teacher=teacher)
    moves_in = next(m for m in instructor.metric if m.label.startswith("Round 1"))
    assert moves_in.value == "7 / 7"
    instructor.button(key="close_round").click().run()
    assert not instructor.exception
    outcomes = instructor.dataframe[1].value
    assert len(outcomes) == 7
    table = next(d.value for d in instructor.dataframe if "equilibrium" in d.value.columns)
    assert set(table["agent"]) == {"Russia (resolved)", "Russia (irresolute)", "West"}
    west = table[(table["agent"] == "West") & (table["action"] == "Resist")]
    assert float(west["observed"].iloc[0]) == 1.0
    assert any(m.label == "Best-fitting logit precision λ" for m in instructor.metric)
    # a student link cannot open the instructor view
    intruder = _page(teacher=students["Ana"])
    assert any("instructor link is not valid" in e.value for e in intruder.error)
    assert not any(m.label == "Join code" for m in intruder.metric)
