"""Live pygambit cross-checks of the IIG models (models.md §5, §9)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

gbt = pytest.importorskip("pygambit")

from sim.models import get_model  # noqa: E402
from tests.data.golden.make_iig_golden import (  # noqa: E402
    draw,
    escalation_by_node,
    outcome_probs,
    to_gambit,
)

pytestmark = pytest.mark.oracle

SPE = get_model("iig_complete_info")
AQRE = get_model("logit_aqre_extensive_form")
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "iig_golden.json"

CASE_NEG = ([0.0, -0.4, 0.6, 0.3, -0.6, 0.5, -0.2, -0.5],
            [0.25, 0.6, -0.4, 0.2, 0.5, -0.6, -0.5, -0.3])
CASE_WAR = ([0.0, -0.4, 0.6, 0.3, -0.3, 0.5, -0.1, -0.5],
            [0.0, 0.6, -0.6, 0.2, 0.5, -0.6, -0.4, -0.3])


def _gambit_limit(u_a: list[float], u_b: list[float]) -> dict[str, float]:
    g = to_gambit(SPE.game({"U_A": u_a, "U_B": u_b}))
    eq = gbt.nash.logit_solve(g).equilibria[0]
    return escalation_by_node(g, lambda k, a: eq[a])


@pytest.mark.parametrize("utilities", [CASE_NEG, CASE_WAR], ids=["negotiation", "war"])
def test_spe_profile_is_the_logit_limit(utilities: tuple[list[float], list[float]]) -> None:
    esc = _gambit_limit(*utilities)
    out = SPE.solve(U_A=utilities[0], U_B=utilities[1])
    for node, choice in out.details["choice_at_every_node"].items():
        assert esc[node] == pytest.approx(1.0 if choice == "escalate" else 0.0, abs=1e-6)


def test_spe_on_random_strict_trees() -> None:
    rng = np.random.default_rng(7)
    checked = 0
    while checked < 15:
        u_a, u_b = draw(rng)
        esc = _gambit_limit(u_a, u_b)
        if max(min(p, 1 - p) for p in esc.values()) > 1e-3:
            continue  # an indifference between equal outcomes: not a unique SPE
        out = SPE.solve(U_A=u_a, U_B=u_b)
        assert out.details["choice_at_every_node"] == {
            n: ("escalate" if p > 0.5 else "not") for n, p in esc.items()}
        checked += 1


@pytest.mark.parametrize("lam", [0.5, 5.0, 12.0])
def test_agent_qre_node_by_node(lam: float) -> None:
    rng = np.random.default_rng(int(lam * 10))
    for u_a, u_b in [CASE_WAR, *(draw(rng) for _ in range(5))]:
        g = to_gambit(AQRE.game({"U_A": u_a, "U_B": u_b}))
        qre = gbt.qre.logit_solve_lambda(g, lam=[lam])[0]
        esc = escalation_by_node(g, lambda k, a, qre=qre: qre[k])
        out = AQRE.solve(U_A=u_a, U_B=u_b, lam=qre.lam)
        for node, p in esc.items():
            assert out.details["prob_escalate_at_node"][node] == pytest.approx(p, abs=1e-9)
        for code, p in outcome_probs(esc).items():
            assert out.details["outcome_probabilities"][code] == pytest.approx(p, abs=1e-9)


def test_golden_fixture_is_reproducible() -> None:
    data = json.loads(GOLDEN.read_text())
    entry = data["aqre"][2]
    g = to_gambit(AQRE.game({"U_A": entry["U_A"], "U_B": entry["U_B"]}))
    qre = gbt.qre.logit_solve_lambda(g, lam=[entry["lam"]])[0]
    esc = escalation_by_node(g, lambda k, a: qre[k])
    assert esc == pytest.approx(entry["prob_escalate_at_node"], abs=1e-9)
