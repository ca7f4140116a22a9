"""Run worked model cases through the project's API, with one comparator.

Two sources of cases:

* **Our case tables**, ``tests/cases/<model_name>.json``: cases in the
  model's own parameter names, whose expected keys name fields of the
  outcome (``outcome``, ``regime``, ``p_war``, ``probabilities.<label>``,
  ``payoffs.<role>``, ``details.<key>``, ``flags.<flag>``).
  :func:`run_table_case` solves one. Every registered model has a table.
* **The shared verified cases** (``model_cases.json`` of the shared
  reference material), a cross-check when present. They use their own
  vocabulary; :func:`run_case` maps a case onto the registered models
  through the per-family adapters of the ``tests/cases_*.py`` files.

Both are compared by :func:`compare`.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.models import Outcome, get_model

__all__ = ["run_case", "run_table_case", "table_cases", "ADAPTERS", "compare", "TABLES"]

_GROUPS = sorted(p.stem for p in Path(__file__).parent.glob("cases_*.py"))

#: Our own case tables, one file per model.
TABLES = Path(__file__).parent / "cases"


def _merge() -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    merged: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
    for group in _GROUPS:
        module = importlib.import_module(f"tests.{group}")
        for model, adapter in module.ADAPTERS.items():
            if model in merged:
                raise RuntimeError(f"two adapters for model {model!r}")
            merged[model] = adapter
    return merged


ADAPTERS = _merge()


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """The case's ``expected`` keys, computed by the project's models."""
    model = case["model"]
    if model not in ADAPTERS:
        raise KeyError(f"no adapter for model {model!r}")
    result = ADAPTERS[model](case)
    expected = case.get("expected", {})
    missing = set(expected) - set(result)
    if missing:
        raise KeyError(f"adapter for {model!r} did not return {sorted(missing)}")
    return {k: result[k] for k in expected}


def table_cases() -> list[tuple[str, dict[str, Any]]]:
    """``(model name, case)`` of every case in ``tests/cases/``."""
    out = []
    for path in sorted(TABLES.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            out.append((path.stem, case))
    return out


def _field(outcome: Outcome, key: str) -> Any:
    head, _, rest = key.partition(".")
    value: Any = getattr(outcome, head)
    if rest:
        value = getattr(value, rest) if head == "flags" else value[rest]
    return value


def run_table_case(model_name: str, case: dict[str, Any]) -> dict[str, Any]:
    """The case's ``expected`` keys, read from the model's outcome at its ``params``."""
    outcome = get_model(model_name).solve(case["params"])
    return {key: _field(outcome, key) for key in case["expected"]}


def compare(got: Any, want: Any, tol: float, where: str = "") -> list[str]:
    """Differences between ``got`` and ``want``: floats within ``tol``, the rest exactly."""
    if isinstance(want, bool) or want is None or isinstance(want, str):
        return [] if got == want else [f"{where}: got {got!r}, want {want!r}"]
    if isinstance(want, int | float):
        if isinstance(got, bool) or not isinstance(got, int | float):
            return [f"{where}: got {got!r}, want {want!r}"]
        return [] if abs(float(got) - float(want)) <= tol else [
            f"{where}: got {got!r}, want {want!r} (tol {tol:g})"]
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            return [f"{where}: got keys {sorted(got) if isinstance(got, dict) else got!r}, "
                    f"want {sorted(want)}"]
        return [d for k in want for d in compare(got[k], want[k], tol, f"{where}.{k}")]
    if isinstance(want, list):
        if not isinstance(got, list | tuple) or len(got) != len(want):
            return [f"{where}: got {got!r}, want {want!r}"]
        return [d for i, (g, w) in enumerate(zip(got, want, strict=True))
                for d in compare(g, w, tol, f"{where}[{i}]")]
    return [] if got == want else [f"{where}: got {got!r}, want {want!r}"]
