"""Every comparison an explanation states is true of the numbers it prints."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sim.models.base import Model, ModelError
from sim.models.registry import all_models, get_model
from tests.words_relations import false_relations, stated_relations

MODELS = sorted(all_models())
#: Random parameter points per model.
POINTS = 150


def _points(model: Model, rng: np.random.Generator) -> list[dict[str, float]]:
    """Uniform points, uniform points on a grid of two decimals (where printed ties
    are common) and points near the defaults (which models with ordering constraints
    on their payoffs need)."""
    points = []
    for k in range(POINTS):
        pt: dict[str, float] = {}
        mode = k % 3
        for s in model.params:
            if not s.is_scalar:
                continue
            if s.kind == "integer":
                pt[s.name] = int(rng.integers(int(s.lo), int(min(s.hi, s.lo + 12)) + 1))
                continue
            if mode == 2:
                v = float(s.default) + 0.2 * (s.hi - s.lo) * (rng.random() - 0.5)
            else:
                v = s.lo + (s.hi - s.lo) * rng.random()
            v = float(np.clip(np.round(v, 2) if mode == 1 else v, s.lo, s.hi))
            pt[s.name] = v
        points.append(pt)
    return points


def test_the_reader_finds_and_judges_comparisons() -> None:
    wrong = "Nobody builds up: its prior π = 0.20 is at least μ* = 0.62, so it concedes."
    assert [r.text for r in false_relations(wrong)] == ["0.20 is at least μ* = 0.62"]
    right = "its prior π = 0.70 is at least μ* = 0.62, the belief at which it concedes"
    assert len(stated_relations(right)) == 1 and not false_relations(right)
    assert false_relations("π = 0.41 beats the 0.41 it could expect")
    assert false_relations("the demand x = 0.50 is 0.00 below that")
    assert false_relations("π = 0.56, exceeds μ* = 0.56 by 0.00, so")
    assert false_relations("π = 0.60, exceeds μ* = 0.50 by 0.30, so")
    assert not false_relations("π = 0.60, exceeds μ* = 0.50 by 0.10, so")
    assert false_relations("the demand x = 0.70 is 0.10 below μ* = 0.90")
    assert not false_relations("it then gets 0.55, 0.05 more than the status quo q = 0.50")
    # A number that belongs to what follows the relation is not its other side.
    assert not stated_relations("worth 0.30 less than backing down, with risk 0.10")


def test_a_target_that_concedes_to_two_fighting_types_is_not_said_to_trust_its_prior() -> None:
    # Both types would fight without a build-up: the prior π = 0.20 is below μ*, and
    # the target concedes because a fight is certain.
    out = get_model("mobilisation_signalling").solve({"c_A": 0.05, "v_irr_A": 0.3, "pi": 0.2})
    assert out.regime == "no_build_up_target_concedes"
    assert "both types would fight" in out.explanation
    assert not false_relations(out.explanation)


@pytest.mark.parametrize("name", MODELS)
def test_stated_comparisons_hold_at_random_points(name: str) -> None:
    model = get_model(name)
    rng = np.random.default_rng(MODELS.index(name))
    wrong: list[str] = []
    solved = 0
    for pt in _points(model, rng):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = model.solve(pt)
        except ModelError:
            continue
        solved += 1
        wrong += [f"{r.text!r} at {pt}" for r in false_relations(out.explanation)]
    assert solved > 0
    assert not wrong, "\n".join(wrong[:5])
