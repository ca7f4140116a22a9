"""A lesson's progress as a few short query parameters, read back strictly.

``lesson`` names the lesson, ``step`` the furthest step opened, ``pred`` the
predictions committed (one character a step: the option's index, or ``-`` for
none), ``quiz`` the quiz answers in the same form, and ``checked=1`` that the
answers were checked. A link holds at most a few dozen characters; a value that
does not fit the lesson exactly is dropped without a word, and the rest is kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sim.classroom.lessons import Lesson

__all__ = ["Progress", "encode_progress", "decode_progress", "LINK_KEYS"]

#: The query keys a lesson's progress uses.
LINK_KEYS = ("lesson", "step", "pred", "quiz", "checked")
_CHOICES = re.compile(r"[0-9-]{1,16}")


@dataclass(frozen=True)
class Progress:
    """Where a student is in a lesson: steps opened, predictions and quiz answers."""

    lesson: str
    step: int = 1
    predictions: dict[int, str] = field(default_factory=dict)
    quiz: dict[int, str] = field(default_factory=dict)
    checked: bool = False


def _encode(chosen: Mapping[int, str], options: Sequence[Sequence[str]]) -> str:
    out = []
    for k, opts in enumerate(options, start=1):
        pick = chosen.get(k)
        out.append(str(opts.index(pick)) if pick in opts else "-")
    return "".join(out).rstrip("-")


def _decode(raw: str | None, options: Sequence[Sequence[str]]) -> dict[int, str]:
    if raw is None or not _CHOICES.fullmatch(raw) or len(raw) > len(options):
        return {}
    chosen = {}
    for k, (ch, opts) in enumerate(zip(raw, options, strict=False), start=1):
        if ch == "-":
            continue
        if int(ch) >= len(opts):
            return {}
        chosen[k] = opts[int(ch)]
    return chosen


def _step_options(lesson: Lesson) -> list[tuple[str, ...]]:
    return [step.prediction.options if step.prediction else () for step in lesson.steps]


def encode_progress(progress: Progress, lesson: Lesson) -> dict[str, str]:
    """The query parameters of ``progress`` (empty fields are left out)."""
    query = {"lesson": lesson.id, "step": str(progress.step)}
    pred = _encode(progress.predictions, _step_options(lesson))
    quiz = _encode(progress.quiz, [q.options for q in lesson.quiz])
    if pred:
        query["pred"] = pred
    if quiz:
        query["quiz"] = quiz
    if progress.checked:
        query["checked"] = "1"
    return query


def decode_progress(query: Mapping[str, str], lessons: Sequence[Lesson]) -> Progress | None:
    """The progress a link asks for, or None when it names no known lesson."""
    by_id = {item.id: item for item in lessons}
    lesson = by_id.get(str(query.get("lesson", "")))
    if lesson is None:
        return None
    predictions = _decode(query.get("pred"), _step_options(lesson))
    quiz = _decode(query.get("quiz"), [q.options for q in lesson.quiz])
    raw_step = str(query.get("step", ""))
    step = int(raw_step) if raw_step.isdigit() and len(raw_step) <= 2 else 1
    step = min(max(step, 1, max(predictions, default=0) + 1), len(lesson.steps))
    checked = query.get("checked") == "1" and len(quiz) == len(lesson.quiz)
    return Progress(lesson.id, step, predictions, quiz, checked)
