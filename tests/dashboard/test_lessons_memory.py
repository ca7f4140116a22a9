"""Lessons remember: predictions, quiz answers and the score survive later clicks, switching
lessons and a reload from the link; hostile link values are refused quietly."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from sim.classroom.lessons import lesson
from tests.dashboard.conftest import APP
from views.lesson_link import Progress, decode_progress, encode_progress

FEARON = lesson("fearon-range")


def _open(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["mode"] = "lessons"
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _score(at: AppTest) -> str | None:
    return next((m.value for m in at.metric if m.label == "Quiz score"), None)


def _reveals(at: AppTest) -> list[str]:
    return [m.label for m in at.metric if m.label.startswith("Model's answer")]


def _play(at: AppTest) -> AppTest:
    """Commit a wrong then a right prediction, answer the quiz (one right), check it."""
    at.radio(key="pred.fearon-range.1").set_value("No war").run()
    at.button(key="commit.fearon-range.1").click().run()
    at.radio(key="pred.fearon-range.2").set_value("No war").run()
    at.button(key="commit.fearon-range.2").click().run()
    at.radio(key="quiz.fearon-range.1").set_value("[0.50, 0.75]").run()
    at.radio(key="quiz.fearon-range.2").set_value("Empty").run()
    return at.button(key="check.fearon-range").click().run()


def test_steps_open_one_by_one() -> None:
    at = _open(lesson="fearon-range")
    keys = {r.key for r in at.radio}
    assert "pred.fearon-range.1" in keys and "pred.fearon-range.2" not in keys
    at.radio(key="pred.fearon-range.1").set_value("War").run()
    at.button(key="commit.fearon-range.1").click().run()
    assert "pred.fearon-range.2" in {r.key for r in at.radio}
    assert at.query_params["step"] == "2"


def test_later_clicks_keep_predictions_and_score() -> None:
    at = _play(_open(lesson="fearon-range"))
    assert not at.exception
    assert _score(at) == "1 / 2"
    assert len(_reveals(at)) == 2
    at.button(key="prep.fearon-range.student").click().run()
    assert _score(at) == "1 / 2", "preparing a handout wiped the quiz score"
    assert len(_reveals(at)) == 2
    assert any(b.key == "handout.fearon-range.student" for b in at.get("download_button"))
    at.button(key="prep.fearon-range.instructor").click().run()
    assert _score(at) == "1 / 2"
    keys = {b.key for b in at.get("download_button")}
    assert {"handout.fearon-range.student", "handout.fearon-range.instructor"} <= keys
    # another lesson and back: everything is still there
    at.selectbox(key="lesson").set_value("patience").run()
    assert _score(at) is None and not _reveals(at)
    at.selectbox(key="lesson").set_value("fearon-range").run()
    assert _score(at) == "1 / 2"
    assert at.radio(key="quiz.fearon-range.1").value == "[0.50, 0.75]"
    assert len(_reveals(at)) == 2


def test_changing_an_answer_after_checking_hides_the_score() -> None:
    at = _play(_open(lesson="fearon-range"))
    at.radio(key="quiz.fearon-range.2").set_value("The single point p").run()
    assert _score(at) is None
    assert any("check them again" in i.value for i in at.info)
    at.button(key="check.fearon-range").click().run()
    assert _score(at) == "2 / 2"


def test_a_reload_from_the_link_restores_the_lesson() -> None:
    at = _play(_open(lesson="fearon-range"))
    link = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert link["lesson"] == "fearon-range"
    assert link["pred"] == "00" and link["quiz"] == "00" and link["checked"] == "1"
    assert link["step"] == "3"
    assert sum(len(k) + len(v) for k, v in link.items()) < 80
    again = _open(**{k: v for k, v in link.items() if k != "mode"})
    assert not again.exception
    assert again.session_state["_predictions"] == {"fearon-range.1": "No war",
                                                    "fearon-range.2": "No war"}
    assert _score(again) == "1 / 2"
    assert len(_reveals(again)) == 2
    assert "pred.fearon-range.3" in {r.key for r in again.radio}
    assert again.radio(key="quiz.fearon-range.2").value == "Empty"


def test_hostile_link_values_are_refused_quietly() -> None:
    for query in ({"lesson": "../../etc/passwd", "pred": "0"},
                  {"lesson": "fearon-range", "pred": "9", "quiz": "x" * 5000, "step": "-3",
                   "checked": "1"},
                  {"lesson": "fearon-range", "pred": "0" * 400, "step": "9" * 40}):
        at = _open(**query)
        assert not at.exception and not at.error, query
        assert not at.session_state["_predictions"]
        assert _score(at) is None
        assert at.header[0].value == FEARON.title
        assert "pred.fearon-range.2" not in {r.key for r in at.radio}


def test_link_codec_round_trip_and_validation() -> None:
    progress = Progress("fearon-range", 3, {1: "War", 2: "No war"}, {2: "Empty"}, False)
    query = encode_progress(progress, FEARON)
    assert query == {"lesson": "fearon-range", "step": "3", "pred": "10", "quiz": "-0"}
    assert decode_progress(query, [FEARON]) == progress
    assert decode_progress({"lesson": "nope"}, [FEARON]) is None
    bad = decode_progress({"lesson": "fearon-range", "pred": "5", "quiz": "0000",
                           "step": "x"}, [FEARON])
    assert bad == Progress("fearon-range", 1, {}, {}, False)
    # checked needs every quiz answer; the step follows the predictions made
    odd = decode_progress({"lesson": "fearon-range", "pred": "111", "quiz": "0",
                           "checked": "1", "step": "1"}, [FEARON])
    assert odd is not None and not odd.checked and odd.step == 4
