"""Every regime a registered model can return has a plain phrase in ``REGIME_WORDS``."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sim.modelkit.regime_words import REGIME_WORDS, regime_phrase
from sim.models.base import ModelError
from sim.models.registry import all_models

MODELS = all_models()
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


def test_every_registered_model_has_a_table_and_no_table_is_stale() -> None:
    assert set(REGIME_WORDS) == set(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_declared_regime_has_a_phrase_in_words(name: str) -> None:
    model = MODELS[name]
    words = REGIME_WORDS[name]
    assert set(words) == set(model.regimes), name
    for regime, phrase in words.items():
        assert phrase and not SNAKE.search(phrase), (name, regime, phrase)
        assert phrase != regime.replace("_", " "), (name, regime)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_solved_regimes_are_among_the_declared_ones(name: str) -> None:
    """The declared tuple is the whole set: random points never return another regime."""
    model = MODELS[name]
    rng = np.random.default_rng(13)
    scalars = [s for s in model.params if s.is_scalar]
    seen = set()
    for _ in range(12):
        point = {}
        for s in scalars:
            if s.kind == "integer":
                point[s.name] = int(rng.integers(int(s.lo), int(s.hi) + 1))
            else:
                hi = min(s.hi, s.lo + 10.0)
                point[s.name] = float(rng.uniform(s.lo, hi))
        try:
            out = model.solve(point)
        except ModelError:
            continue
        seen.add(out.regime)
    seen.add(model.solve({}).regime)
    assert seen <= set(model.regimes), (name, seen - set(model.regimes))


def test_phrases_speak_the_scenario_actors_names() -> None:
    names = {"Challenger": "United States", "Target": "Soviet Union"}
    assert regime_phrase("chicken_2x2", "challenger_firm", names) == (
        "United States stands firm and Soviet Union swerves")
    assert regime_phrase("fearon_bargaining_range", "demand_rejected") == (
        "Target rejects the demand and war follows")
    assert regime_phrase("no_such_model", "some_regime") == "some regime"
