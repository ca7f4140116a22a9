"""A live role-play driven by several AppTest instances: an instructor and seven students,
on a temporary SQLite file and on a real PostgreSQL server, with a restart in the middle;
then one test per defect a lecturer met in a real class."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from sim.classroom.store import ClassroomStore
from tests.dashboard.conftest import APP

NAMES = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran"]


def _page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["mode"] = "classroom"
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def _button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label.startswith(label))


def _frame(at: AppTest, column: str) -> Any:
    """The first table on the page with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _texts(at: AppTest) -> str:
    """Every visible text of the page, tables included."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "success", "error", "header",
                 "subheader", "text", "metric"):
        for el in getattr(at, kind):
            parts.append(f"{getattr(el, 'label', '')} {el.value}")
    for frame in [*at.dataframe, *at.table]:
        parts.append(frame.value.to_string())
    return "\n".join(parts)


def _create(game: str = "threat", seed: int = 7) -> tuple[AppTest, str]:
    host = _page(host="1")
    assert not host.exception
    host.selectbox(key="new_game").set_value(game)
    host.number_input(key="new_seed").set_value(seed)
    _button(host, "Create session").click().run()
    return host, host.query_params["teacher"]


def _join(code: str, name: str, at: AppTest | None = None) -> AppTest:
    page = at or _page(join=code)
    page.text_input(key="join_name").input(name)
    _button(page, "Join").click().run()
    assert not page.exception, page.exception
    return page


def _play_turns(tokens: dict[str, str], choose) -> int:
    """Each student page whose move it is plays ``choose(name, options)``, until none can."""
    moved = 0
    for _ in range(6):
        progress = False
        for name, token in tokens.items():
            page = _page(student=token)
            radios = [r for r in page.radio if str(r.key).startswith("turn.")]
            if not radios:
                continue
            radio = radios[0]
            radio.set_value(choose(name, list(radio.options))).run()
            step = str(radio.key).rsplit(".", 1)[1]
            page.button(key=f"play.{step}").click().run()
            assert not page.exception and not page.error, [e.value for e in page.error]
            moved += 1
            progress = True
        if not progress:
            break
    return moved


def _start(teacher: str) -> AppTest:
    page = _page(teacher=teacher)
    page.button(key="start_round").click().run()
    assert not page.exception
    return page


@pytest.fixture
def db(store_url, monkeypatch) -> str:
    """The class database: a temp SQLite file, then a real PostgreSQL server."""
    monkeypatch.setenv("COERCION_CLASSROOM_DB", store_url)
    return store_url


@pytest.fixture
def sqlite_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'class.db'}"
    monkeypatch.setenv("COERCION_CLASSROOM_DB", url)
    return url


def _code(db: str, teacher: str) -> str:
    return ClassroomStore(db).instructor_state(teacher).code


def test_class_session(db) -> None:
    _, teacher = _create()
    code = _code(db, teacher)
    students = {}
    for name in NAMES:
        page = _join(code, name)
        assert not page.error, [e.value for e in page.error]
        students[name] = page.query_params["student"]
    waiting = _page(student=students["Ana"])
    assert any("has not started yet" in i.value for i in waiting.info)
    _start(teacher)
    views = {n: _page(student=t) for n, t in students.items()}
    assert any("Your private type" in w.value for w in views["Ana"].info)
    assert any("It is your move" in x.value for x in views["Ana"].success)
    assert not any("Your private type" in w.value for w in views["Ben"].info)
    assert any("Waiting for Russia to move" in i.value for i in views["Ben"].info)
    # Russia demands, the United States resists, Russia fights: the tree unfolds page by page
    moved = _play_turns(students, lambda name, options: {
        "Status quo": "Demand", "Concede": "Resist", "Fight": "Fight"}[options[0]])
    assert moved == 4 + 3 + 4  # four demands, three US replies, four Russian last moves
    ClassroomStore(db).dispose()  # a restart of the server (a new store on the file)
    instructor = _page(teacher=teacher)
    groups = _frame(instructor, "Moves made")
    assert list(groups["Now"]) == ["Finished"] * 4
    instructor.button(key="close_round").click().run()
    assert not instructor.exception
    outcomes = _frame(instructor, "Private type")
    assert len(outcomes) == 8 and "Private type" in outcomes.columns  # and the computer
    table = _frame(instructor, "Equilibrium")
    assert "United States, after a demand" in set(table["Player"])
    west = table[(table["Player"] == "United States, after a demand")
                 & (table["Action"] == "Resist")]
    assert float(west["Share chosen"].iloc[0]) == 1.0
    assert any(m.label == "Best-fitting logit precision λ" for m in instructor.metric)
    # a student link cannot open the instructor view
    intruder = _page(teacher=students["Ana"])
    assert any("instructor link is not valid" in e.value for e in intruder.error)
    assert "Join code" not in _texts(intruder)


def test_projected_page_never_shows_a_private_type_before_the_close(sqlite_db) -> None:
    _, teacher = _create()
    code = _code(sqlite_db, teacher)
    tokens = {n: _join(code, n).query_params["student"] for n in NAMES[:4]}
    _start(teacher)
    _play_turns(tokens, lambda name, options: options[0])  # status quo everywhere
    text = _texts(_page(teacher=teacher))
    for secret in ("resolved", "irresolute", "Private type", "Status quo", "Concede"):
        assert secret not in text  # neither types nor the open round's moves
    assert "Finished" in text
    board = _page(teacher=teacher, view="board")
    assert "resolved" not in _texts(board) and not board.button  # no controls on the board


def test_board_shows_a_big_join_code_a_qr_code_and_counts(sqlite_db) -> None:
    _, teacher = _create("chicken")
    code = _code(sqlite_db, teacher)
    _join(code, "Ana")
    board = _page(teacher=teacher, view="board")
    assert any(code in m.value and "font-size:7rem" in m.value for m in board.markdown)
    assert any(type(e).__name__ == "Image" for e in board.main)  # the QR code
    assert any(f"join={code}" in c.value for c in board.caption)
    metrics = {m.label: m.value for m in board.metric}
    assert metrics["Students joined"] == "1"
    assert metrics["Round 1: moves in"] == "0 / 1"


def test_class_pages_do_not_offer_other_modes(sqlite_db) -> None:
    _, teacher = _create("chicken")
    code = _code(sqlite_db, teacher)
    student = _join(code, "Ana")
    for page in (_page(teacher=teacher), _page(student=student.query_params["student"]),
                 _page(join=code)):
        assert not [r for r in page.sidebar.radio if r.label == "Mode"]


def test_students_do_not_see_the_start_session_form(sqlite_db) -> None:
    page = _page()
    labels = [b.label for b in page.button]
    assert "Join" in labels and "Create session" not in labels
    assert not [s for s in page.selectbox if s.label == "Game"]


def test_join_form_cuts_overlong_names_and_codes(sqlite_db) -> None:
    _, teacher = _create("chicken")
    code = _code(sqlite_db, teacher)
    page = _page()
    page.text_input(key="join_code").input(f" {code.lower()}x ")  # a trailing character
    page.text_input(key="join_name").input("Bartholomew " * 6)
    _button(page, "Join").click().run()
    assert not page.error, [e.value for e in page.error]
    assert "student" in page.query_params
    assert [p["name"] for p in ClassroomStore(sqlite_db).instructor_state(teacher).players] == [
        ("Bartholomew " * 6)[:40].strip()]


def test_alice_and_alice_cannot_both_join(sqlite_db) -> None:
    _, teacher = _create("chicken")
    code = _code(sqlite_db, teacher)
    _join(code, "Alice")
    for other in ("alice", "ＡＬＩＣＥ", "Аlice"):
        page = _join(code, other)
        assert page.error and "student" not in page.query_params
    assert ClassroomStore(sqlite_db).instructor_state(teacher).joined == 1


def test_lost_student_link_rejoins_the_same_player_on_the_same_device(sqlite_db) -> None:
    _, teacher = _create("threat")
    code = _code(sqlite_db, teacher)
    page = _join(code, "Ana")
    _join(code, "Ben")
    _start(teacher)
    first = _page(student=page.query_params["student"])
    mine = next(i.value for i in first.info if "Your private type" in i.value)
    del page.query_params["student"]  # the link is lost; the browser is the same
    page.query_params["join"] = code
    page.run()
    _join(code, "ana", at=page)
    back = _page(student=page.query_params["student"])
    assert next(i.value for i in back.info if "Your private type" in i.value) == mine
    assert ClassroomStore(sqlite_db).instructor_state(teacher).joined == 2  # no ghost
    stranger = _join(code, "Ana")  # another device
    assert any("name is taken" in e.value for e in stranger.error)


def test_lost_instructor_link_is_recovered_with_the_recovery_code(sqlite_db) -> None:
    host, teacher = _create("chicken")
    shown = next(w.value for w in host.warning if "Recovery code" in w.value)
    recovery = shown.split("Recovery code: ")[1].split(".")[0]
    code = _code(sqlite_db, teacher)
    page = _page(host="1")
    page.text_input(key="recover_code").input(code)
    page.text_input(key="recover_secret").input(recovery)
    _button(page, "Open my session").click().run()
    assert page.query_params["teacher"] != teacher
    assert any(code in m.value for m in page.markdown)
    # shown once: a fresh instructor page does not show it
    assert not [w for w in _page(teacher=page.query_params["teacher"]).warning
                if "Recovery code" in w.value]


def test_students_see_the_game_their_type_the_prior_and_their_payoffs(sqlite_db) -> None:
    _, teacher = _create("threat")
    code = _code(sqlite_db, teacher)
    tokens = {n: _join(code, n).query_params["student"] for n in ("Ana", "Ben")}
    _start(teacher)
    ana = _page(student=tokens["Ana"])
    text = _texts(ana)
    assert "Your private type" in text and "with probability 0.50" in text
    tables = [t.value for t in ana.table]
    assert len(tables) == 1 and list(tables[0].columns) == [
        "How it ends", "Outcome", "Payoff: You", "Payoff: United States"]
    ends = tables[0].set_index("How it ends")
    assert ends.loc["You: Status quo", "Payoff: You"] == "0.20"
    assert len(ends) == 4  # only the ends of Ana's own type
    ben = _page(student=tokens["Ben"])
    (west,) = [t.value for t in ben.table]
    assert len(west) == 8  # the United States faces either type of Russia
    assert "Nature: resolved → Russia: Status quo" in set(west["How it ends"])


def test_after_a_round_students_see_the_opponents_move_and_a_debrief(sqlite_db) -> None:
    _, teacher = _create("chicken")
    code = _code(sqlite_db, teacher)
    pages = [_page(student=_join(code, n).query_params["student"]) for n in ("Ana", "Ben")]
    for page, move in zip(pages, ("Firm", "Swerve"), strict=True):
        page.radio(key="move.1").set_value(move).run()
        page.button(key="submit").click().run()
    _page(teacher=teacher).button(key="close_round").click().run()
    ana = pages[0].run()
    told = next(i.value for i in ana.info if i.value.startswith("Round 1:"))
    assert "you chose Firm; United States chose Swerve" in told
    assert "Outcome: The United States backs down" in told
    assert "In equilibrium" in told


def test_closing_warns_about_missing_moves_and_names_who_is_dropped(sqlite_db) -> None:
    _, teacher = _create("chicken")
    code = _code(sqlite_db, teacher)
    pages = [_page(student=_join(code, n).query_params["student"])
             for n in ("Ana", "Ben", "Chen")]
    for page in pages[:2]:
        page.radio(key="move.1").set_value("Firm").run()
        page.button(key="submit").click().run()
    instructor = _page(teacher=teacher)
    warning = next(w.value for w in instructor.warning if "not moved" in w.value)
    assert "1 of 3 students have not moved yet: Chen" in warning
    assert instructor.button(key="close_round").label.startswith("Close round 1 anyway")
    instructor.button(key="close_round").click().run()
    assert any("Left out of round 1 for not moving: Chen." in i.value for i in instructor.info)
    # the header shows the new round's counts, not the old ones
    metrics = {m.label: m.value for m in instructor.metric}
    assert metrics["Round 2: moves in"] == "0 / 3" and "Round 1: moves in" not in metrics


def test_double_click_on_close_closes_one_round(sqlite_db) -> None:
    _, teacher = _create("chicken")
    code = _code(sqlite_db, teacher)
    for n in ("Ana", "Ben"):
        page = _page(student=_join(code, n).query_params["student"])
        page.radio(key="move.1").set_value("Firm").run()
        page.button(key="submit").click().run()
    instructor = _page(teacher=teacher)
    instructor.button(key="close_round").click().run()
    again = instructor.button(key="close_round")  # the second click of a double click
    assert again.label.startswith("Close round 2") and again.disabled
    assert not instructor.exception
    assert ClassroomStore(sqlite_db).instructor_state(teacher).round == 2


def test_outcomes_table_survives_a_reload(sqlite_db) -> None:
    _, teacher = _create("chicken")
    code = _code(sqlite_db, teacher)
    for n in ("Ana", "Ben"):
        page = _page(student=_join(code, n).query_params["student"])
        page.radio(key="move.1").set_value("Firm").run()
        page.button(key="submit").click().run()
    _page(teacher=teacher).button(key="close_round").click().run()
    reloaded = _page(teacher=teacher)  # a new browser session on the same link
    table = _frame(reloaded, "Outcome")
    assert list(table["Student"]) == ["Ana", "Ben"] and set(table["Outcome"]) == {"War"}


def test_the_student_link_and_its_qr_code() -> None:
    from views.classroom_board import qr_png, student_url
    from views.classroom_page import cut_code

    assert student_url("K7M2QX", "https://class.example.org/app?mode=classroom&teacher=s3") == (
        "https://class.example.org/app?mode=classroom&join=K7M2QX")  # the secret is not in it
    assert student_url("K7M2QX", None) == "http://localhost:8501/?mode=classroom&join=K7M2QX"
    with pytest.raises(ValueError):
        student_url("<script>", None)
    png = qr_png(student_url("K7M2QX", None))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert cut_code(" k7m-2qx9 ") == "K7M2QX"


def test_a_busy_database_in_a_self_refreshing_part_is_one_sentence(sqlite_db, monkeypatch
                                                                  ) -> None:
    from sim.classroom.store import ClassroomError
    from sim.classroom.transactions import BUSY_MESSAGE

    _, teacher = _create("chicken")
    calls = {"n": 0}
    real = ClassroomStore.instructor_state

    def flaky(self, token):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:  # the live part's read, after the page's own
            raise ClassroomError(BUSY_MESSAGE)
        return real(self, token)

    monkeypatch.setattr(ClassroomStore, "instructor_state", flaky)
    page = _page(teacher=teacher)
    assert not page.exception
    assert [w.value for w in page.warning if w.value == BUSY_MESSAGE]


def test_rounds_matching_bots_history_and_downloads(sqlite_db) -> None:
    host = _page(host="1")
    host.selectbox(key="new_game").set_value("threat").run()
    host.number_input(key="new_rounds").set_value(2)
    host.selectbox(key="new_matching").set_value("strangers")
    host.checkbox(key="new_rotate").check()
    _button(host, "Create session").click().run()
    teacher = host.query_params["teacher"]
    store = ClassroomStore(sqlite_db)
    state = store.instructor_state(teacher)
    assert (state.rounds, state.matching, state.rotate) == (2, "strangers", True)
    ana = _join(state.code, "Ana")
    page = _page(teacher=teacher)
    text = _texts(page)
    assert "2 rounds; perfect strangers (no pair meets twice); students swap roles" in text
    page.number_input(key="bots_n").set_value(2)
    page.selectbox(key="bots_policy").set_value("uniform")
    page.button(key="add_bots").click().run()
    assert not page.exception
    assert "2 simulated students joined." in _texts(page)
    _start(teacher)
    token = ana.query_params["student"]
    _play_turns({"Ana": token}, lambda name, options: options[0])
    text = _texts(_page(teacher=teacher))
    for secret in ("resolved", "irresolute", "Private type", "Status quo", "Concede"):
        assert secret not in text  # bots or not, nothing private before the close
    _page(teacher=teacher).button(key="close_round").click().run()
    me = _page(student=token)
    assert "round 2 of 2" in _texts(me) and "Roles swap every round." in _texts(me)
    history = next(t.value for t in me.table if "Your role" in t.value.columns)
    assert list(history.columns) == ["Round", "Your role", "Your move", "Opponent",
                                     "Opponent's move", "Outcome", "Your payoff"]
    assert history["Your role"].iloc[0].startswith("Russia (")
    assert history["Your move"].iloc[0] == "Status quo"
    # round 2: Ana plays the United States now, and waits for Russia (a simulated student
    # moves at once)
    _start(teacher)
    me = _page(student=token)
    radios = [r for r in me.radio if str(r.key).startswith("turn.2")]
    if radios:  # the simulated Russia demanded
        assert list(radios[0].options) == ["Concede", "Resist"]
        _play_turns({"Ana": token}, lambda name, options: "Resist")
    final = _page(teacher=teacher)
    final.button(key="close_round").click().run()
    text = _texts(final)
    assert "All 2 rounds have been played" in text
    labels = {b.label for b in final.get("download_button")}
    assert {"Download the data of every round (CSV)",
            "Download the data of every round (Parquet)"} <= labels
    rows = store.export_rows(teacher)
    assert {r["round"] for r in rows} == {1, 2}
    assert [r["role"] for r in rows if r["student"] == "Ana"][0] == "Russia"
    assert {r["role"] for r in rows
            if r["student"] == "Ana" and r["round"] == 2} <= {"United States"}
    store.dispose()
