"""Every verified case of models.md passes through ``run_case`` within its tolerance."""

from __future__ import annotations

import json

import pytest

from tests.model_cases import compare, run_case
from tests.paths import SHARED

CASES_FILE = SHARED / "docs" / "model_cases.json"
CASES = json.loads(CASES_FILE.read_text(encoding="utf-8")) if CASES_FILE.is_file() else []


def test_cases_are_available() -> None:
    if not CASES_FILE.is_file():
        pytest.skip(f"{CASES_FILE} not found")
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c["case_id"] for c in CASES])
def test_case(case: dict) -> None:
    got = run_case(case)
    problems = compare(got, case["expected"], float(case.get("tolerance", 1e-9)), case["case_id"])
    assert not problems, "\n".join(problems)
