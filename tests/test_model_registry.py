"""The shared test every registered model inherits.

One parametrised class runs the same checks over ``sim.models.all_models()``:
metadata, parameter specs, a solve at the defaults, clear errors, agreement of
``solve`` and ``solve_batch`` on seeded random draws, and the finite game.
A model's own test module adds only its expected behaviour.
"""

from __future__ import annotations

import importlib
import json
import math
import re
from typing import Any

import numpy as np
import pytest

from sim.games.extensive_form import ExtensiveFormGame
from sim.games.normal_form import NormalFormGame
from sim.models import FAMILIES, Model, ModelError, all_models
from sim.models.registry import model_modules

MODELS = all_models()
NAMES = sorted(MODELS)
N_DRAWS = 50
ENGINE_DRAWS = 10
#: Models whose closed form the generic engine re-checks on the tree.
ENGINE_CHECKED = {"bargaining_while_fighting", "extended_deterrence", "iig_incomplete_info",
                  "mobilisation_signalling", "reassurance_game"}
ENGINE_OFFERED = sorted(n for n, m in MODELS.items() if m.engine_check() is not None)


def test_every_model_module_registers_a_model() -> None:
    modules = model_modules()
    assert modules, "no model modules found"
    seen: dict[str, str] = {}
    for name in modules:
        module = importlib.import_module(f"sim.models.{name}")
        registered = getattr(module, "MODELS", ())
        assert len(registered) >= 1, f"sim.models.{name} registers no model (MODELS = (...))"
        for model in registered:
            assert isinstance(model, Model)
            assert model.name not in seen, f"{model.name!r} in {name} and {seen[model.name]}"
            seen[model.name] = name
    assert set(seen) == set(MODELS)


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_has_a_model(family: str) -> None:
    assert any(m.family == family for m in MODELS.values()), f"no model in family {family!r}"


def _random_points(model: Model, seed: int) -> list[dict[str, Any]]:
    """``N_DRAWS`` points inside the scalar ranges that satisfy the constraints."""
    rng = np.random.default_rng(seed)
    scalars = [s for s in model.params if s.is_scalar]
    points = []
    for _ in range(20 * N_DRAWS):
        point = model.defaults()
        for s in scalars:
            lo = s.lo if math.isfinite(s.lo) else min(s.default, 0.0) - 10.0
            hi = s.hi if math.isfinite(s.hi) else max(s.default, 0.0) + 10.0
            if s.kind == "integer":
                point[s.name] = int(rng.integers(math.ceil(lo), math.floor(hi) + 1))
            else:
                point[s.name] = float(rng.uniform(lo, hi))
        try:
            model.validate(point)
        except ModelError:
            continue
        points.append(point)
        if len(points) == N_DRAWS:
            break
    return points


def _finite(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


@pytest.mark.parametrize("name", NAMES)
class TestEveryModel:
    """Checks that every registered model must pass."""

    def test_metadata(self, name: str) -> None:
        m = MODELS[name]
        assert m.name == name
        assert m.family in FAMILIES
        for attr in ("title", "citation", "description"):
            assert isinstance(getattr(m, attr), str) and getattr(m, attr).strip(), attr
        assert m.players and all(isinstance(p, str) and p for p in m.players)
        assert len(set(m.players)) == len(m.players)
        assert m.outcomes and len(set(m.outcomes)) == len(m.outcomes)
        assert m.regimes and len(set(m.regimes)) == len(m.regimes)
        assert all(re.fullmatch(r"[a-z0-9_]+", r) for r in m.regimes), m.regimes
        assert repr(m) == f"<model {name}>"

    def test_roles_are_neutral_ids_with_display_names(self, name: str) -> None:
        m = MODELS[name]
        assert tuple(m.roles.values()) == tuple(m.players)
        assert all(re.fullmatch(r"[a-z][a-z_]*", r) for r in m.roles), list(m.roles)
        # Generic models: no crisis in the roles, the parameters or the description.
        words = " ".join([m.title, m.description, *m.players,
                          *(s.meaning for s in m.params), *(s.name for s in m.params)])
        for crisis in ("Russia", "West", "NATO", "Ukraine", "Putin", "2022", "Moscow"):
            assert crisis not in words, f"{name} speaks of {crisis!r}"
        assert not any(re.search(r"_[RW]\b", s.name) for s in m.params)

    def test_docstring_points_at_the_models_docs_page(self, name: str) -> None:
        module = importlib.import_module(type(MODELS[name]).__module__)
        doc = module.__doc__ or ""
        assert f"docs/models/{name}.md" in doc
        assert "models.md" not in doc.replace(f"docs/models/{name}.md", "")

    def test_choice_parameters_carry_their_labels(self, name: str) -> None:
        for s in MODELS[name].params:
            if s.unit in ("choice", "switch"):
                assert len(s.options) == int(s.hi - s.lo) + 1, s.name
                assert s.option_label(s.default) == s.options[int(s.default - s.lo)]

    def test_param_specs(self, name: str) -> None:
        m = MODELS[name]
        names = [s.name for s in m.params]
        assert len(set(names)) == len(names)
        for s in m.params:
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", s.name), s.name
            assert s.meaning.strip(), f"{s.name} has no meaning"
            assert s.kind in ("real", "integer", "vector", "labels")
            if s.kind != "labels":
                assert s.lo <= s.hi
                values = s.default if s.kind == "vector" else (s.default,)
                for v in values:
                    assert s.lo <= v <= s.hi, f"{s.name} default {v} outside [{s.lo}, {s.hi}]"
            assert s.check(s.default) is not None
        m.validate({})  # the defaults satisfy the cross-parameter constraints

    def test_solve_at_defaults(self, name: str) -> None:
        m = MODELS[name]
        out = m.solve()
        assert out.model == name
        assert out.regime in m.regimes
        assert out.outcome in m.outcomes
        assert set(out.probabilities) <= set(m.outcomes)
        assert all(_finite(v) and -1e-12 <= v <= 1 + 1e-12 for v in out.probabilities.values())
        assert sum(out.probabilities.values()) == pytest.approx(1.0, abs=1e-9)
        assert _finite(out.p_war) and 0.0 <= out.p_war <= 1.0
        assert set(out.payoffs) == set(m.players)
        assert all(_finite(v) for v in out.payoffs.values())
        for node, probs in out.strategies.items():
            assert all(_finite(v) for v in probs.values()), node
        assert out.explanation.strip()
        assert re.search(r"\d", out.explanation), "the explanation quotes no number"
        assert out.method.strip()
        assert set(out.params) == {s.name for s in m.params}
        json.dumps(out.to_dict())
        assert m.solve() == out  # deterministic

    def test_unknown_parameter_is_named(self, name: str) -> None:
        with pytest.raises(ModelError, match="no_such_parameter"):
            MODELS[name].solve(no_such_parameter=1.0)
        with pytest.raises(ModelError, match="no_such_parameter"):
            MODELS[name].solve_batch({"no_such_parameter": [1.0]})

    def test_out_of_range_value_is_named(self, name: str) -> None:
        m = MODELS[name]
        scalars = [s for s in m.params if s.is_scalar and (math.isfinite(s.hi)
                                                           or math.isfinite(s.lo))]
        if not scalars:
            pytest.skip("no bounded scalar parameter")
        s = scalars[0]
        bad = s.hi + abs(s.hi) + 1.0 if math.isfinite(s.hi) else s.lo - abs(s.lo) - 1.0
        with pytest.raises(ModelError, match=re.escape(s.name)):
            m.solve({s.name: bad})
        with pytest.raises(ModelError, match=re.escape(s.name)):
            m.solve_batch({s.name: [s.default, bad]})

    def test_solve_batch_agrees_with_solve(self, name: str) -> None:
        m = MODELS[name]
        points = _random_points(m, seed=sum(map(ord, name)))
        if not points:
            pytest.skip("no random point satisfies the constraints")
        scalars = [s.name for s in m.params if s.is_scalar]
        if not scalars:
            pytest.skip("no scalar parameter to sweep")
        batch = m.solve_batch({k: np.array([p[k] for p in points]) for k in scalars})
        assert len(batch) == len(points)
        assert batch.outcomes == m.outcomes and batch.regimes == m.regimes
        assert batch.probabilities.shape == (len(points), len(m.outcomes))
        for k, point in enumerate(points):
            out = m.solve(point)
            where = f"{name} at {point}"
            assert batch.regimes[int(batch.regime[k])] == out.regime, where
            for j, label in enumerate(m.outcomes):
                assert batch.probabilities[k, j] == pytest.approx(
                    out.probabilities.get(label, 0.0), abs=1e-9), where
            assert batch.p_war[k] == pytest.approx(out.p_war, abs=1e-9), where
            for player in m.players:
                assert batch.payoffs[player][k] == pytest.approx(out.payoffs[player],
                                                                 abs=1e-9), where
            assert bool(batch.boundary[k]) == out.flags.boundary, where
            assert bool(batch.multiple_equilibria[k]) == out.flags.multiple_equilibria, where
            assert bool(batch.assumption_violated[k]) == out.flags.assumption_violated, where

    def test_game_has_the_models_roles(self, name: str) -> None:
        m = MODELS[name]
        game = m.game()
        if game is None:
            pytest.skip(f"{name} has no finite game")
        assert isinstance(game, NormalFormGame | ExtensiveFormGame)
        assert tuple(game.players) == tuple(m.players)


@pytest.mark.parametrize("name", ENGINE_OFFERED)
def test_engine_confirms_the_closed_form(name: str) -> None:
    m = MODELS[name]
    assert m.engine_check() is True, f"{name} at its defaults"
    for point in _random_points(m, seed=sum(map(ord, name)))[:ENGINE_DRAWS]:
        assert m.engine_check(point) is True, f"{name} at {point}"


def test_the_engine_checks_the_closed_forms_it_can() -> None:
    assert set(ENGINE_OFFERED) >= ENGINE_CHECKED


def test_registry_exclusions_are_real_infrastructure_modules() -> None:
    from sim.models.registry import REGISTRY_EXCLUDED

    for name in sorted(REGISTRY_EXCLUDED):
        module = importlib.import_module(f"sim.models.{name}")
        assert not getattr(module, "MODELS", ()), f"sim.models.{name} registers models"
