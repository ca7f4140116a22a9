"""Worked cases: our own case tables for every model, the numbers of the shared
verified cases carried in ``tests/cases/engine/reference_cases.json``, and the
shared file itself as a cross-check when it is present. One comparator serves all."""

from __future__ import annotations

import json

import pytest

from sim.models import all_models
from tests.model_cases import TABLES, compare, run_case, run_table_case, table_cases
from tests.paths import REFERENCE_CASES
from tests.paths import SHARED_CASES as SHARED_FILE

TABLE_CASES = table_cases()

SHARED_CASES = (json.loads(SHARED_FILE.read_text(encoding="utf-8"))
                if SHARED_FILE.is_file() else [])
CARRIED = json.loads(REFERENCE_CASES.read_text(encoding="utf-8"))


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


@pytest.mark.skipif(not SHARED_CASES, reason="cross-check against the shared file: the shared "
                    "reference cases are not present (their carried copies still run)")
@pytest.mark.parametrize("case", SHARED_CASES, ids=[c["case_id"] for c in SHARED_CASES])
def test_shared_case(case: dict) -> None:
    got = run_case(case)
    problems = compare(got, case["expected"], float(case.get("tolerance", 1e-9)),
                       case["case_id"])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", CARRIED, ids=[c["case_id"] for c in CARRIED])
def test_reference_case(case: dict) -> None:
    got = run_case(case)
    problems = compare(got, case["expected"], float(case["tolerance"]), case["case_id"])
    assert not problems, "\n".join(problems)


def test_reference_cases_are_well_formed() -> None:
    ids = [c["case_id"] for c in CARRIED]
    assert len(ids) == len(set(ids))
    for case in CARRIED:
        assert set(case) == {"case_id", "model", "params", "expected", "tolerance"}, case["case_id"]
        assert case["expected"] and float(case["tolerance"]) > 0, case["case_id"]


@pytest.mark.skipif(not SHARED_CASES, reason="cross-check of the carried cases: the shared "
                    "reference cases are not present (the carried copies still run)")
def test_reference_cases_carry_the_shared_numbers() -> None:
    shared = {c["case_id"]: c for c in SHARED_CASES}
    assert sorted(shared) == sorted(c["case_id"] for c in CARRIED)
    for case in CARRIED:
        original = shared[case["case_id"]]
        for key in ("model", "params", "expected", "tolerance"):
            assert case[key] == original[key], f"{case['case_id']}: {key}"


def test_the_comparator_catches_a_difference() -> None:
    assert compare({"p_war": 0.5}, {"p_war": 0.5 + 1e-6}, 1e-9, "c") != []
    assert compare({"p_war": 0.5}, {"p_war": 0.5 + 1e-12}, 1e-9, "c") == []
    assert compare({"outcome": "War"}, {"outcome": "Agreement"}, 0.0, "c") != []
