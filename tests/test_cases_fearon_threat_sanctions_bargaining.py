"""Every model_cases.json case of the Fearon, threat, sanctions and bargaining models."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.cases_fearon_threat_sanctions_bargaining import ADAPTERS

CASES_FILE = Path(__file__).resolve().parents[1].parent / "shared" / "docs" / "model_cases.json"


def _cases() -> list[dict[str, Any]]:
    if not CASES_FILE.exists():
        return []
    return [c for c in json.loads(CASES_FILE.read_text()) if c["model"] in ADAPTERS]


def assert_matches(got: Any, want: Any, tol: float, where: str = "") -> None:
    """Floats within ``tol``; bools, strings, None and lists exactly; dicts recursively."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), f"{where}: keys {got!r}"
        for k in want:
            assert_matches(got[k], want[k], tol, f"{where}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got!r}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_matches(g, w, tol, f"{where}[{i}]")
    elif isinstance(want, bool) or want is None or isinstance(want, str):
        assert got == want and type(got) is type(want), f"{where}: {got!r} != {want!r}"
    else:
        assert not isinstance(got, bool), f"{where}: {got!r} is a bool"
        assert math.isclose(float(got), float(want), rel_tol=0.0, abs_tol=tol), (
            f"{where}: {got!r} != {want!r} (tol {tol})")


CASES = _cases()


def test_all_models_have_cases() -> None:
    if not CASES_FILE.exists():
        pytest.skip("shared model_cases.json not present")
    assert {c["model"] for c in CASES} == set(ADAPTERS)
    assert len(CASES) == 15


@pytest.mark.parametrize("case", CASES, ids=[c["case_id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    got = ADAPTERS[case["model"]](case)
    assert set(got) == set(case["expected"])
    assert_matches(got, case["expected"], float(case.get("tolerance", 1e-9)), case["case_id"])
