"""Worked cases: our own case tables for every model, and the shared verified
cases as a cross-check when they are present. One comparator serves both."""

from __future__ import annotations

import json

import pytest

from sim.models import all_models
from tests.model_cases import TABLES, compare, run_case, run_table_case, table_cases
from tests.paths import SHARED

TABLE_CASES = table_cases()

SHARED_FILE = SHARED / "docs" / "model_cases.json"
SHARED_CASES = (json.loads(SHARED_FILE.read_text(encoding="utf-8"))
                if SHARED_FILE.is_file() else [])


def test_every_registered_model_has_a_case_table() -> None:
    tables = {path.stem for path in TABLES.glob("*.json")}
    assert set(all_models()) <= tables, sorted(set(all_models()) - tables)
    assert tables <= set(all_models()), sorted(tables - set(all_models()))


@pytest.mark.parametrize(("model", "case"), TABLE_CASES,
                         ids=[f"{m}:{c['case_id']}" for m, c in TABLE_CASES])
def test_table_case(model: str, case: dict) -> None:
    assert case["why"].strip(), "a case says how its expected values follow"
    got = run_table_case(model, case)
    problems = compare(got, case["expected"], float(case["tolerance"]), case["case_id"])
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not SHARED_CASES, reason="the shared reference cases are not present")
@pytest.mark.parametrize("case", SHARED_CASES, ids=[c["case_id"] for c in SHARED_CASES])
def test_shared_case(case: dict) -> None:
    got = run_case(case)
    problems = compare(got, case["expected"], float(case.get("tolerance", 1e-9)),
                       case["case_id"])
    assert not problems, "\n".join(problems)


def test_the_comparator_catches_a_difference() -> None:
    assert compare({"p_war": 0.5}, {"p_war": 0.5 + 1e-6}, 1e-9, "c") != []
    assert compare({"p_war": 0.5}, {"p_war": 0.5 + 1e-12}, 1e-9, "c") == []
    assert compare({"outcome": "War"}, {"outcome": "Agreement"}, 0.0, "c") != []
