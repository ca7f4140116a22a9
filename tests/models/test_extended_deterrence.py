"""Extended deterrence with a probabilistic commitment: cases, engine, pygambit, statics.

Hand derivations use the defaults unless a case says otherwise:
q = 0.2, x = 0.6, p = 0.65, p_J = 0.25, c_C = 0.15, e_C = 0.2, a_C = 0.1,
c_K = 0.1, v_P = 0.3, c_P = 0.3, a_P = 0, kappa = 0.4. Then

* a free patron's margin is v_P (p - p_J) + a_P - c_P = 0.12 - 0.3 < 0: it stays
  out, so phi = kappa;
* the client resists an attack iff phi > phi_K = (0.65 + 0.1 - 0.6)/0.4 = 0.375;
* the challenger's war payoff is E_C = (1 - phi) 0.5 + phi (-0.1) = 0.5 - 0.6 phi:
  credible iff E_C > q - a_C = 0.1 (phi < 2/3), worth a resisted demand iff
  E_C > q = 0.2, i.e. phi < phi_C = 0.3/0.6 = 0.5.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.models import get_model
from sim.models.extended_deterrence import STRATEGY_NODES
from sim.solvers.spe import spe_solve

MODEL = get_model("extended_deterrence")
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / \
    "deterrence_war_bargaining_oracle.json"
OUTCOMES = MODEL.outcomes

# (id, parameters changed from the defaults, regime, P(outcome) by label, payoffs C, K, P)
CASES: list[tuple[str, dict[str, float], str, dict[str, float], tuple[float, float, float],
                  bool]] = [
    # kappa = 0.4 lies between phi_K = 0.375 and phi_C = 0.5: the client resists, E_C =
    # 0.26 > 0.2, so war; the patron fights with probability 0.4. Payoffs:
    # C 0.6(0.5) + 0.4(-0.1) = 0.26; K 0.6(0.25) + 0.4(0.65) = 0.41;
    # P 0.6(0.3 * 0.35) + 0.4(0.3 * 0.75 - 0.3) = 0.063 - 0.03 = 0.033.
    ("half-hearted-commitment-war", {}, "war_patron_may_intervene",
     {"Client fights alone": 0.6, "War with the patron": 0.4}, (0.26, 0.41, 0.033), False),
    # kappa = 0.3 <= phi_K: the client concedes; E_C = 0.32 > 0.1 keeps the threat credible.
    ("weak-commitment-concession", {"kappa": 0.3}, "client_concedes",
     {"Concession": 1.0}, (0.6, 0.4, 0.12), False),
    # kappa = 0.6 >= phi_C: E_C = 0.14, credible (> 0.1) but below q = 0.2: deterred.
    ("firm-commitment-deters", {"kappa": 0.6}, "challenger_deterred",
     {"Status quo": 1.0}, (0.2, 0.8, 0.24), False),
    # kappa = 0.8: E_C = 0.02 <= q - a_C = 0.1: the challenger would back down.
    ("threat-not-credible", {"kappa": 0.8}, "threat_not_credible",
     {"Status quo": 1.0}, (0.2, 0.8, 0.24), False),
    # x = 0.9, kappa = 0: phi_K = (0.75 - 0.9)/0.4 < 0, so the client resists alone; E_C =
    # 0.5 > 0.2: war, the client alone. K gets 1 - 0.65 - 0.1 = 0.25, P 0.3 * 0.35.
    ("resolved-client-fights-alone", {"x": 0.9, "kappa": 0.0}, "war_client_alone",
     {"Client fights alone": 1.0}, (0.5, 0.25, 0.105), False),
    # q = 0, p_J = 0.45, e_C = 0.05, a_P = 0.3: the free patron's margin is
    # 0.3 * 0.2 + 0.3 - 0.3 = 0.06 > 0, so phi = 1; the joint war gives C
    # 0.45 - 0.15 - 0.05 = 0.25 > q = 0, K 1 - 0.45 - 0.1 = 0.45 > 1 - x = 0.4,
    # P 0.3 * 0.55 - 0.3 = -0.135.
    ("tied-hands-patron-fights", {"q": 0.0, "p_J": 0.45, "e_C": 0.05, "a_P": 0.3},
     "war_patron_intervenes", {"War with the patron": 1.0}, (0.25, 0.45, -0.135), False),
    # x = 0.1 < q: the client would concede, but that gives C only 0.1 < 0.2.
    ("demand-below-status-quo", {"x": 0.1}, "no_gain_from_demand",
     {"Status quo": 1.0}, (0.2, 0.8, 0.24), False),
    # Boundary kappa = phi_K = 0.375: the client is indifferent (0.4 both ways) and concedes.
    ("boundary-client-indifferent", {"kappa": 0.375}, "client_concedes",
     {"Concession": 1.0}, (0.6, 0.4, 0.12), True),
    # Boundary kappa = phi_C = 0.5: E_C = 0.2 = q; a demand must be strictly better.
    ("boundary-challenger-indifferent", {"kappa": 0.5}, "challenger_deterred",
     {"Status quo": 1.0}, (0.2, 0.8, 0.24), True),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case_table(case: Any) -> None:
    _, changes, regime, probs, payoffs, boundary = case
    out = MODEL.solve(changes)
    assert out.regime == regime
    for label in OUTCOMES:
        assert out.probabilities[label] == pytest.approx(probs.get(label, 0.0), abs=1e-12)
    assert out.p_war == pytest.approx(probs.get("Client fights alone", 0.0)
                                      + probs.get("War with the patron", 0.0), abs=1e-12)
    for role, want in zip(MODEL.players, payoffs, strict=True):
        assert out.payoffs[role] == pytest.approx(want, abs=1e-12), role
    assert out.flags.boundary is boundary
    assert MODEL.engine_check(changes)


def test_thresholds_and_explanation_name_the_binding_condition() -> None:
    out = MODEL.solve()
    d = out.details
    assert d["phi"] == pytest.approx(0.4)
    assert d["phi_K"] == pytest.approx(0.375) and d["kappa_K"] == pytest.approx(0.375)
    assert d["phi_C"] == pytest.approx(0.5) and d["kappa_C"] == pytest.approx(0.5)
    assert d["p_client_alone_given_war"] == pytest.approx(0.6)
    assert "φ_K = 0.38" in out.explanation and "φ_C = 0.50" in out.explanation
    assert "fights alone with probability 0.60" in out.explanation
    assert "Raising the commitment κ by 0.10" in out.explanation


def test_war_is_not_monotone_in_the_commitment() -> None:
    # Crawford (2003), Benson (2012): a mid-level commitment emboldens the client.
    wars = [MODEL.solve(kappa=k).p_war for k in (0.3, 0.4, 0.45, 0.6)]
    assert wars == [0.0, 1.0, 1.0, 0.0]
    alone = [MODEL.solve(kappa=k).probabilities["Client fights alone"] for k in (0.4, 0.45)]
    assert alone == pytest.approx([0.6, 0.55])


def test_patron_with_a_stake_makes_the_commitment_redundant() -> None:
    out = MODEL.solve(a_P=0.5, kappa=0.0)
    assert out.details["phi"] == 1.0 and out.details["kappa_C"] is None
    assert "adds nothing" in out.explanation


def test_assumption_violated_when_the_patron_helps_the_challenger() -> None:
    out = MODEL.solve(p_J=0.8)
    assert out.flags.assumption_violated
    assert "p_J > p" in out.explanation


def test_game_tree() -> None:
    g = MODEL.game()
    assert g.players == ("Challenger", "Client", "Patron")
    assert g.is_perfect_information
    assert set(g.infosets) == set(STRATEGY_NODES)


def _random_points(rng: np.random.Generator, n: int) -> list[dict[str, float]]:
    """Half uniform over the ranges, half near the defaults (where wars happen)."""
    out = []
    for i in range(n):
        if i % 2:
            point = {s.name: float(rng.uniform(s.lo, s.hi)) for s in MODEL.params}
        else:
            point = {s.name: float(np.clip(s.default + rng.uniform(-0.15, 0.15), s.lo, s.hi))
                     for s in MODEL.params}
        point["kappa"] = float(rng.choice([0.0, 1.0, rng.uniform()]))
        out.append(point)
    return out


def _tie(key: str, tied: Any) -> str:
    calm = [a for a in tied if a not in ("Demand", "Resist", "Attack", "Intervene")]
    return calm[0] if calm else tied[0]


def test_closed_form_matches_the_spe_engine_on_random_points() -> None:
    """Backward induction on the tree gives the same choices, outcomes and payoffs."""
    rng = np.random.default_rng(2024)
    points = _random_points(rng, 250)
    regimes = set()
    for point in points:
        out = MODEL.solve(point)
        regimes.add(out.regime)
        game = MODEL.game(point)
        res = spe_solve(game, preferred_on_tie=_tie)
        eq = res.equilibria[0]
        for node, probs in out.strategies.items():
            for action, prob in probs.items():
                assert float(eq.behavior[node][action]) == pytest.approx(prob, abs=1e-12), point
        for i, role in enumerate(MODEL.players):
            assert float(eq.payoffs[i]) == pytest.approx(out.payoffs[role], abs=1e-12)
        flat = game.flat()
        reach = flat.reach_probs(eq.behavior)
        by_label = dict.fromkeys(OUTCOMES, 0.0)
        for i, kind in enumerate(flat.kind):
            if kind == "t":
                by_label[flat.nodes[i].label] += float(reach[i])
        for label in OUTCOMES:
            assert by_label[label] == pytest.approx(out.probabilities[label], abs=1e-12)
    assert len(regimes) >= 5, regimes


def test_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(5)
    points = _random_points(rng, 300)
    arrays = {k: np.array([p[k] for p in points]) for k in points[0]}
    batch = MODEL.solve_batch(arrays)
    for k, point in enumerate(points):
        out = MODEL.solve(point)
        assert MODEL.regimes[batch.regime[k]] == out.regime
        assert batch.probabilities[k] == pytest.approx(
            [out.probabilities[o] for o in OUTCOMES], abs=1e-12)
        assert bool(batch.boundary[k]) == out.flags.boundary


def _golden() -> list[dict[str, Any]]:
    return [e for e in json.loads(GOLDEN.read_text())["points"]
            if e["model"] == "extended_deterrence"]


@pytest.mark.parametrize("entry", _golden(), ids=lambda e: e["id"])
def test_matches_pygambit_golden(entry: dict[str, Any]) -> None:
    """Gambit's logit-QRE limit (a sequential equilibrium) plays as the closed form."""
    out = MODEL.solve(entry["params"])
    assert entry["behaviour"]
    for node, probs in entry["behaviour"].items():  # the information sets play reaches
        for action, prob in probs.items():
            assert out.strategies[node][action] == pytest.approx(prob, abs=1e-4), node


@pytest.mark.oracle
def test_matches_pygambit_live() -> None:
    pytest.importorskip("pygambit")
    from tests.data.golden.make_deterrence_war_bargaining_golden import gambit_behaviour

    rng = np.random.default_rng(77)
    checked = 0
    for point in _random_points(rng, 40):
        out = MODEL.solve(point)
        if out.flags.boundary or min(abs(v) for k, v in out.details.items()
                                     if k.endswith("margin")) < 1e-3:
            continue
        behaviour, regret = gambit_behaviour(MODEL.game(point))
        if regret > 1e-6:
            continue
        for node, probs in out.strategies.items():
            for action, prob in probs.items():
                assert behaviour[node][action] == pytest.approx(prob, abs=1e-4), (point, node)
        checked += 1
        if checked == 6:
            break
    assert checked >= 3


_unit = st.floats(0.0, 1.0)


@settings(max_examples=200, deadline=None)
@given(k1=_unit, k2=_unit, x=_unit, c_K=_unit, p=_unit, p_J=_unit, c_C=_unit, e_C=_unit,
       q=_unit)
def test_commitment_never_undoes_deterrence_and_never_forces_a_concession(
        k1: float, k2: float, x: float, c_K: float, p: float, p_J: float, c_C: float,
        e_C: float, q: float) -> None:
    """A firmer commitment (Fearon 1997; Benson 2012): deterrence, once achieved, holds;
    the client concedes no more often; the client fights alone no more often in a war."""
    assume(p_J <= p)
    lo, hi = sorted((k1, k2))
    base = {"x": x, "c_K": c_K, "p": p, "p_J": p_J, "c_C": c_C, "e_C": e_C, "q": q}
    weak, firm = MODEL.solve(base, kappa=lo), MODEL.solve(base, kappa=hi)
    if weak.regime in ("challenger_deterred", "threat_not_credible"):
        assert firm.probabilities["Status quo"] == 1.0
    assert firm.probabilities["Concession"] <= weak.probabilities["Concession"]
    assert firm.details["phi"] >= weak.details["phi"]
    if weak.p_war > 0 and firm.p_war > 0:
        assert firm.probabilities["Client fights alone"] <= \
            weak.probabilities["Client fights alone"] + 1e-12


@settings(max_examples=200, deadline=None)
@given(c1=_unit, c2=_unit, kappa=_unit, x=_unit, p=_unit, p_J=_unit)
def test_a_more_resolved_client_concedes_less_and_fights_more(
        c1: float, c2: float, kappa: float, x: float, p: float, p_J: float) -> None:
    """Lower war cost c_K (more resolve): P(concession) falls, P(war) and P(alone) rise."""
    resolved, irresolute = sorted((c1, c2))
    base = {"kappa": kappa, "x": x, "p": p, "p_J": p_J}
    r, i = MODEL.solve(base, c_K=resolved), MODEL.solve(base, c_K=irresolute)
    assert r.probabilities["Concession"] <= i.probabilities["Concession"]
    assert r.p_war >= i.p_war
    assert r.probabilities["Client fights alone"] >= \
        i.probabilities["Client fights alone"] - 1e-12
