"""Every model_cases.json case of the Chicken, brinkmanship, ladder and QRE models."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tests.cases_chicken_brinkmanship_qre import ADAPTERS
from tests.paths import SHARED

CASES_FILE = SHARED / "docs" / "model_cases.json"


def _cases() -> list[dict[str, Any]]:
    if not CASES_FILE.is_file():
        return []
    return [c for c in json.loads(CASES_FILE.read_text()) if c["model"] in ADAPTERS]


CASES = _cases()


def assert_matches(got: Any, want: Any, tol: float, where: str = "") -> None:
    """Floats within ``tol`` (relative above 1); bools, strings, lists exact; dicts recursively."""
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{where}: expected a dict, got {got!r}"
        assert set(got) == set(want), f"{where}: keys {sorted(got)} != {sorted(want)}"
        for k in want:
            assert_matches(got[k], want[k], tol, f"{where}.{k}")
    elif isinstance(want, bool) or want is None or isinstance(want, str):
        assert got == want, f"{where}: {got!r} != {want!r}"
    elif isinstance(want, list):
        assert isinstance(got, list | tuple), f"{where}: expected a list, got {got!r}"
        assert len(got) == len(want), f"{where}: {got!r} != {want!r}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_matches(g, w, tol, f"{where}[{i}]")
    else:
        assert not isinstance(got, bool), f"{where}: got a bool {got!r} for {want!r}"
        assert math.isclose(float(got), float(want), rel_tol=tol, abs_tol=tol), (
            f"{where}: {got!r} != {want!r} (tolerance {tol:g})")


@pytest.mark.skipif(not CASES, reason=f"{CASES_FILE} not found")
def test_every_model_has_a_case() -> None:
    assert {c["model"] for c in CASES} == set(ADAPTERS)


@pytest.mark.parametrize("case", CASES, ids=[c["case_id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    got = ADAPTERS[case["model"]](case)
    assert_matches(got, case["expected"], float(case["tolerance"]), case["case_id"])


def test_assert_matches_can_fail() -> None:
    with pytest.raises(AssertionError):
        assert_matches({"a": [1.0, "E"]}, {"a": [1.1, "E"]}, 1e-9)
    with pytest.raises(AssertionError):
        assert_matches(True, 1.0, 1e-9)
