"""The walk-through in ``docs/adding-a-model.md`` works as written.

Its module is run as a module, its case table through the case comparator,
and its scenario snippet through the scenario loader's model check, so that
the page cannot drift from the code it describes.
"""

from __future__ import annotations

import json
import re
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from sim.games.extensive_form import ExtensiveFormGame
from sim.models import Model, all_models
from tests.model_cases import compare

DOC = Path(__file__).resolve().parents[1] / "docs" / "adding-a-model.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def model() -> Model:
    source = next(b for b in _blocks("python") if "MODELS = (" in b)
    module = types.ModuleType("tioli_demand")
    exec(compile(source, str(DOC), "exec"), module.__dict__)  # our own page's code
    (m,) = module.MODELS
    return m


def test_the_example_is_a_new_model(model: Model) -> None:
    assert model.name not in all_models()
    assert model.players == ("Challenger", "Target")
    assert {s.name for s in model.params} == {"p", "c_A", "c_B", "x"}


def test_the_example_solves_as_its_docstring_says(model: Model) -> None:
    at = model.solve({"p": 0.65, "c_B": 0.1, "x": 0.9})
    assert at.outcome == "War" and at.regime == "rejected"
    assert at.payoffs["Challenger"] == pytest.approx(0.65 - 0.15)
    inside = model.solve({"p": 0.65, "c_B": 0.1, "x": 0.7})
    assert inside.outcome == "Agreement" and inside.payoffs["Target"] == pytest.approx(0.3)
    edge = model.solve({"p": 0.65, "c_B": 0.1, "x": 0.75})
    assert edge.outcome == "Agreement" and edge.flags.boundary
    assert "0.75" in at.explanation


def test_the_example_batch_agrees_with_solve(model: Model) -> None:
    rng = np.random.default_rng(7)
    points = {"p": rng.uniform(0, 1, 200), "c_A": rng.uniform(0, 1, 200),
              "c_B": rng.uniform(0, 1, 200), "x": rng.uniform(0, 1, 200)}
    batch = model.solve_batch(points)
    for k in range(200):
        out = model.solve({name: float(v[k]) for name, v in points.items()})
        assert batch.p_war[k] == out.p_war
        assert batch.payoffs["Target"][k] == pytest.approx(out.payoffs["Target"], abs=1e-12)


def test_the_case_table_passes(model: Model) -> None:
    (table,) = [json.loads(b) for b in _blocks("json")]
    for case in table:
        out = model.solve(case["params"])
        got: dict[str, Any] = {}
        for key in case["expected"]:
            head, _, rest = key.partition(".")
            got[key] = getattr(out, head)[rest] if rest else getattr(out, head)
        assert not compare(got, case["expected"], case["tolerance"], case["case_id"])


def test_the_scenario_snippet_names_the_examples_parameters(model: Model) -> None:
    (snippet,) = _blocks("yaml")
    (analysis,) = yaml.safe_load(snippet)["analyses"]
    assert analysis["model"] == model.name
    assert set(analysis["roles"]) == set(model.roles)
    assert set(analysis["params"]) == {s.name for s in model.params}


def test_the_fronts_it_names_exist() -> None:
    from sim.modelkit.costly_signal import TwoTypeSignalling
    from sim.modelkit.iig import IIGModel

    assert issubclass(IIGModel, Model) and issubclass(TwoTypeSignalling, Model)
    iig = all_models()["iig_complete_info"]
    assert isinstance(iig, IIGModel) and isinstance(iig.game(), ExtensiveFormGame)
