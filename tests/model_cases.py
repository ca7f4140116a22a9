"""Run a verified model case through the project's API.

``run_case(case)`` maps a case of ``models.md``'s ``model_cases.json`` (its
``model`` name, parameter names and conventions) onto the registered models
and returns a dict with exactly the case's ``expected`` keys, so further
cases in the same format run through it unchanged. The per-family adapters
live in the ``tests/cases_*.py`` files; this module merges them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["run_case", "ADAPTERS", "compare"]

_GROUPS = sorted(p.stem for p in Path(__file__).parent.glob("cases_*.py"))


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
