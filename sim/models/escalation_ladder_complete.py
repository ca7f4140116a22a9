"""Powell's escalation ladder under complete information.

See docs/models/escalation_ladder_complete.md.

Game
----
Steps ``k = 1 … K``; Challenger moves at odd steps and Target at even steps.
The mover Quits (it gets 0 and the opponent ``v_opp``) or Escalates.
Escalating at step ``k`` ends in disaster ``(−d_A, −d_B)`` with probability
``r_k``; otherwise play passes to step ``k + 1``. The schedule is
non-decreasing with ``r_K = 1`` (the last step is deliberate war). It is given
either explicitly (``risks``) or as ``r_k = min(1, r_1 + (k − 1) r_step)``.

Equilibrium
-----------
Subgame-perfect equilibrium by backward induction, escalating only when
strictly better off. The path is ``[Quit]`` or ``[Escalate, Quit]``: a player
who quit at step ``k ≥ 3`` would rather have quit at ``k − 2``, so
``P(disaster) ≤ r_1``. A player's critical risk ``ρ_i = v_i / (v_i + d_i)`` is
the largest risk it runs if the opponent would quit next.

References
----------
Powell, R. (1987). Crisis Bargaining, Escalation, and MAD. *APSR* 81(3):
717–735.
Powell, R. (1990). *Nuclear Deterrence Theory*, ch. 2–3. Cambridge UP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels.ladder import exact, ladder_risks, ladder_schedule, ladder_spe, ladder_tree, mover
from sim.modelkit.text import gap
from sim.modelkit.vocabulary import CHALLENGER_TARGET, check_risks, ladder_params
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome, ParamSpec

__all__ = ["EscalationLadderComplete", "MODELS"]

_OUTCOMES = ("Concession", "Back down", "Disaster")
_REGIMES = ("challenger_quits", "target_quits")

class EscalationLadderComplete(Model):
    """Escalation ladder with known resolve: SPE by backward induction."""

    name = "escalation_ladder_complete"
    family = "chicken_brinkmanship"
    title = "Escalation ladder, complete information (Powell)"
    citation = "Powell (1987), Powell (1990) ch. 2–3"
    description = (
        "Challenger and Target take turns on an escalation ladder of ever riskier moves. At "
        "each rung the mover either quits, handing the issue to the other side, or climbs, "
        "running a rising chance r_k of an incident that turns into war. When both sides know "
        "each other's resolve, backward induction ends the crisis within two moves: whoever "
        "would lose the contest of nerves quits at once or after one rung. Long escalation "
        "needs private information."
    )
    roles = CHALLENGER_TARGET
    outcomes = _OUTCOMES
    regimes = _REGIMES
    params = (
        *ladder_params("Challenger", "Target"),
        ParamSpec("d_B", 4.0, lo=0.0, hi=10.0, step=0.05, unit="utility",
                  meaning="Target's cost of disaster", symbol="d_B"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        if values["risks"]:
            check_risks(self.name, values["risks"])

    def _solve(self, p: dict[str, Any]) -> Outcome:
        risks = ladder_risks(p)
        K = len(risks)
        r = ladder_spe(np.array([risks]), K, p["v_A"], p["v_B"], p["d_A"], p["d_B"])
        esc = [bool(e) for e in r["escalate"][0]]
        margins = [float(m) for m in r["margin"][0]]
        path = ["E"] * (int(r["path_length"][0]) - 1) + ["Q"]
        regime = "challenger_quits" if len(path) == 1 else "target_quits"
        probs = {"Concession": float(r["p_target_quits"][0]),
                 "Back down": float(r["p_challenger_quits"][0]),
                 "Disaster": float(r["p_disaster"][0])}
        rho_A = p["v_A"] / (p["v_A"] + p["d_A"])
        rho_B = p["v_B"] / (p["v_B"] + p["d_B"])
        details = {
            "risks": list(risks),
            "actions_by_step": ["E" if e else "Q" for e in esc],
            "path": path,
            "margins": margins,
            "critical_risk_A": rho_A,
            "critical_risk_B": rho_B,
            "p_disaster": probs["Disaster"],
            "eu_A": float(r["eu_A"][0]),
            "eu_B": float(r["eu_B"][0]),
        }
        strategies = {f"step {k} ({mover(k)})": {"Escalate": float(e), "Quit": 1.0 - float(e)}
                      for k, e in enumerate(esc, start=1)}
        return self.point_outcome(
            dict(p),
            regime=regime,
            probabilities=probs,
            p_war=probs["Disaster"],
            payoffs={"Challenger": details["eu_A"], "Target": details["eu_B"]},
            strategies=strategies,
            flags=Flags(boundary=bool(r["boundary"][0])),
            explanation=_explain(p, risks, esc, margins, rho_A, rho_B),
            details=details,
            method="backward induction",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        n = len(batch["v_A"])
        if batch["risks"]:
            check_risks(self.name, batch["risks"])
            risks = np.broadcast_to(np.asarray(batch["risks"], dtype=float),
                                    (n, len(batch["risks"])))
            K = np.full(n, float(len(batch["risks"])))
        else:
            K = batch["K"]
            if np.any(np.round(K) != K):
                raise ModelError(f"{self.name}: K must be a whole number")
            risks = ladder_schedule(K, batch["r_1"], batch["r_step"])
        r = ladder_spe(risks, K, batch["v_A"], batch["v_B"], batch["d_A"], batch["d_B"])
        probs = np.stack([r["p_target_quits"], r["p_challenger_quits"], r["p_disaster"]], axis=1)
        return BatchOutcome(
            model=self.name,
            params={k: v for k, v in batch.items() if isinstance(v, np.ndarray)},
            regimes=self.regimes, regime=(r["path_length"] > 1).astype(np.int64),
            outcomes=_OUTCOMES, probabilities=probs, p_war=r["p_disaster"],
            payoffs={"Challenger": r["eu_A"], "Target": r["eu_B"]},
            boundary=r["boundary"], multiple_equilibria=np.zeros(n, dtype=bool),
            assumption_violated=np.zeros(n, dtype=bool),
            details={"escalate_step1": r["escalate"][:, 0],
                     "critical_risk_A": batch["v_A"] / (batch["v_A"] + batch["d_A"]),
                     "critical_risk_B": batch["v_B"] / (batch["v_B"] + batch["d_B"])},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The ladder as a perfect-information tree with chance nodes (exact values)."""
        p = self.validate(params)
        risks = ladder_risks(p)
        return ExtensiveFormGame(
            ladder_tree(risks, exact(p["v_A"]), exact(p["v_B"]), exact(p["d_A"]), exact(p["d_B"])),
            self.players, title=f"Escalation ladder, K={len(risks)}")


def _explain(p: Mapping[str, Any], risks: Sequence[float], esc: Sequence[bool],
             margins: Sequence[float], rho_A: float, rho_B: float) -> str:
    r1, r2 = risks[0], risks[1]
    w2 = margins[1]
    target_next = (f"Target would {'escalate' if esc[1] else 'quit'} at step 2 (escalating "
                 f"there, with risk {r2:.2f}, is worth {w2:.2f} to it against 0 for quitting)")
    crit = (f"Challenger's critical risk is ρ_A = {rho_A:.2f} and Target's ρ_B = {rho_B:.2f}.")
    if esc[0]:
        rise = rho_A - r1
        return (f"Challenger escalates at step 1 and Target quits at step 2: {target_next}. "
                f"Challenger's first rung is worth {gap(margins[0])} > 0 because r_1 = {r1:.2f} is "
                f"below ρ_A; r_1 would have to rise by {gap(rise)} for Challenger to quit at once. "
                f"P(disaster) = r_1 = {r1:.2f}. {crit}")
    if esc[1]:
        return (f"Challenger quits at once: {target_next}, so climbing the first rung (risk "
                f"{r1:.2f}) is worth {gap(margins[0])} ≤ 0 to Challenger. Who yields depends on "
                f"who is pushed onto the last rung as well as on resolve. {crit}")
    return (f"Challenger quits at once although {target_next}: the first rung alone, with risk "
            f"{r1:.2f}, is worth {gap(margins[0])} ≤ 0 to Challenger (r_1 would have to fall by "
            f"{gap(r1 - rho_A)} to below ρ_A). {crit}")


MODELS = (EscalationLadderComplete(),)
