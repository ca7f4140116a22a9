"""Every worked case of the IIG, commitment, spatial and agent-QRE models."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tests.cases_iig_commitment_spatial import ADAPTERS
from tests.paths import SHARED

CASES_FILE = SHARED / "docs" / "model_cases.json"


def _cases() -> list[dict[str, Any]]:
    if not CASES_FILE.exists():
        return []
    return [c for c in json.loads(CASES_FILE.read_text()) if c["model"] in ADAPTERS]


def assert_matches(got: Any, want: Any, tol: float, where: str = "") -> None:
    """Floats within ``tol``; bools, strings and lists exactly; dicts recursively."""
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{where}: expected a dict, got {got!r}"
        assert set(got) == set(want), f"{where}: keys {sorted(got)} != {sorted(want)}"
        for k in want:
            assert_matches(got[k], want[k], tol, f"{where}.{k}")
    elif isinstance(want, bool | str):
        assert got == want and type(got) is type(want), f"{where}: {got!r} != {want!r}"
    elif isinstance(want, int | float):
        assert not isinstance(got, bool | str), f"{where}: {got!r} is not a number"
        assert math.isclose(got, want, rel_tol=0.0, abs_tol=tol), f"{where}: {got!r} != {want!r}"
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got!r} != {want!r}"
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_matches(g, w, tol, f"{where}[{k}]")
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


CASES = _cases()


def test_every_model_has_a_case() -> None:
    if not CASES_FILE.exists():
        pytest.skip("shared model_cases.json not found beside the checkout")
    assert {c["model"] for c in CASES} == set(ADAPTERS)


@pytest.mark.parametrize("case", CASES, ids=[c["case_id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    got = ADAPTERS[case["model"]](case)
    assert set(got) == set(case["expected"])
    assert_matches(got, case["expected"], float(case["tolerance"]), case["case_id"])


def test_comparison_detects_a_wrong_value() -> None:
    with pytest.raises(AssertionError):
        assert_matches({"a": [1.0, True]}, {"a": [1.1, True]}, 1e-9)
    with pytest.raises(AssertionError):
        assert_matches({"a": 1}, {"a": True}, 1e-9)


def test_agent_qre_adapter_on_a_ladder_tends_to_the_ladder_spe() -> None:
    """A ladder under the agent-QRE model: at large λ it matches case M3c-ladder-W-quits."""
    case = {
        "model": "logit_aqre_extensive_form",
        "params": {"risks": [0.1, 0.2, 0.3, 1.0], "v_R": 1, "v_W": 1, "d_R": 2, "d_W": 4,
                   "lambda": 200.0},
        "expected": {"p_disaster": 0.1, "eu_R": 0.7, "eu_W": -0.4,
                     "esc_prob": {"R1": 1.0, "W2": 0.0, "R3": 1.0, "W4": 0.0}},
    }
    got = ADAPTERS["logit_aqre_extensive_form"](case)
    assert_matches(got, case["expected"], 1e-6)
    uniform = dict(case, params=dict(case["params"], **{"lambda": 0.0}))
    assert ADAPTERS["logit_aqre_extensive_form"](uniform)["p_disaster"] == pytest.approx(
        0.5 * 0.1 + 0.5 * 0.9 * 0.5 * 0.2 + 0.5 * 0.9 * 0.5 * 0.8 * 0.5 * 0.3
        + 0.5 * 0.9 * 0.5 * 0.8 * 0.5 * 0.7 * 0.5 * 1.0)
