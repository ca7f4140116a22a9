"""Every model accepts each count parameter at both ends of its declared range.

The dashboard's sliders run from a ParamSpec's ``lo`` to its ``hi``; a bound the
model then refuses (a ladder's K slider reaching 12 rungs where the solver takes
9) would let a viewer pick a value that only raises an error. Counts (rungs, steps,
rounds) are checked alone; real-valued payoffs are bound to each other by the
models' orderings, so one at its end with the rest at their defaults may rightly fail.
"""

from __future__ import annotations

import pytest

from sim.models.base import ModelError
from sim.models.registry import all_models, get_model


def _cases() -> list[tuple[str, str, float]]:
    return [(m.name, s.name, end) for m in all_models().values() for s in m.params
            if s.kind == "integer" and not s.options for end in (s.lo, s.hi)]


@pytest.mark.parametrize(("model", "name", "end"), _cases())
def test_each_bound_is_a_value_the_model_accepts(model: str, name: str, end: float) -> None:
    m = get_model(model)
    m.validate({name: end})


def test_the_incomplete_ladder_stops_at_nine_rungs() -> None:
    m = get_model("escalation_ladder_incomplete")
    assert next(s for s in m.params if s.name == "K").hi == 9
    with pytest.raises(ModelError):
        m.validate({"K": 10})
