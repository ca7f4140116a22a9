"""Powell's escalation ladder under complete information (models.md §3c).

Game
----
Steps ``k = 1 … K``; Russia moves at odd steps and the West at even steps.
The mover Quits (it gets 0 and the opponent ``v_opp``) or Escalates.
Escalating at step ``k`` ends in disaster ``(−d_R, −d_W)`` with probability
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
from fractions import Fraction
from typing import Any

import numpy as np

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.kernels.ladder import ladder_schedule, ladder_spe
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome, ParamSpec

__all__ = ["EscalationLadderComplete", "MODELS", "ladder_params", "ladder_risks",
           "check_risks", "mover"]

_OUTCOMES = ("Concession", "Back down", "Disaster")
_REGIMES = ("russia_quits", "west_quits")

#: Parameters shared with the incomplete-information ladder.
ladder_params: tuple[ParamSpec, ...] = (
    ParamSpec("K", 4, lo=2, hi=12, step=1, unit="steps", kind="integer",
              meaning="number of rungs (ignored when risks are given)", symbol="K"),
    ParamSpec("r_1", 0.1, lo=0.0, hi=1.0, step=0.01, unit="probability",
              meaning="risk of disaster when escalating at the first rung", symbol="r_1"),
    ParamSpec("r_step", 0.1, lo=0.0, hi=1.0, step=0.01, unit="probability",
              meaning="increase of the risk per rung (last rung is certain war)",
              symbol="Δr"),
    ParamSpec("risks", (), lo=0.0, hi=1.0, step=0.01, unit="probability", kind="vector",
              meaning="explicit risk per rung, non-decreasing, ending in 1 "
                      "(overrides K, r_1, r_step)", symbol="r_k"),
    ParamSpec("v_R", 1.0, lo=0.01, hi=10.0, step=0.05, unit="utility",
              meaning="value to Russia of the West quitting", symbol="v_R"),
    ParamSpec("v_W", 1.0, lo=0.01, hi=10.0, step=0.05, unit="utility",
              meaning="value to the West of Russia quitting", symbol="v_W"),
    ParamSpec("d_R", 2.0, lo=0.0, hi=10.0, step=0.05, unit="utility",
              meaning="Russia's cost of disaster", symbol="d_R"),
)


def mover(k: int) -> str:
    """Who moves at step ``k`` (1-based)."""
    return "Russia" if k % 2 == 1 else "West"


def check_risks(name: str, risks: Sequence[float]) -> None:
    """Raise ModelError unless the schedule is non-decreasing and ends in 1."""
    if len(risks) < 2:
        raise ModelError(f"{name}: risks needs at least two rungs, got {len(risks)}")
    if any(b < a for a, b in zip(risks, risks[1:], strict=False)):
        raise ModelError(f"{name}: risks must be non-decreasing, got {list(risks)}")
    if risks[-1] != 1.0:
        raise ModelError(f"{name}: the last rung is deliberate war, so risks[-1] must be 1; "
                         f"got {risks[-1]:g}")


def ladder_risks(p: Mapping[str, Any]) -> tuple[float, ...]:
    """The risk schedule of one parameter point."""
    if p["risks"]:
        return tuple(float(r) for r in p["risks"])
    row = ladder_schedule(p["K"], p["r_1"], p["r_step"])[0]
    return tuple(float(r) for r in row)


def _x(v: float) -> Fraction:
    return Fraction(repr(float(v)))


class EscalationLadderComplete(Model):
    """Escalation ladder with known resolve: SPE by backward induction."""

    name = "escalation_ladder_complete"
    family = "chicken_brinkmanship"
    title = "Escalation ladder, complete information (Powell)"
    citation = "Powell (1987), Powell (1990) ch. 2–3; models.md §3c"
    description = (
        "Russia and the West take turns on an escalation ladder: the troop build-up, the "
        "exercises in Belarus, recognition of the Donetsk and Luhansk 'republics', "
        "deployment. At each rung the mover either quits, handing the issue to the other "
        "side, or climbs, running a rising chance r_k of an incident that turns into war. "
        "When both sides know each other's resolve, backward induction ends the crisis "
        "within two moves: whoever would lose the contest of nerves quits at once or "
        "after one rung. Long escalation needs private information."
    )
    players = ("Russia", "West")
    outcomes = _OUTCOMES
    regimes = _REGIMES
    params = (
        *ladder_params,
        ParamSpec("d_W", 4.0, lo=0.0, hi=10.0, step=0.05, unit="utility",
                  meaning="the West's cost of disaster", symbol="d_W"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        if values["risks"]:
            check_risks(self.name, values["risks"])

    def _solve(self, p: dict[str, Any]) -> Outcome:
        risks = ladder_risks(p)
        K = len(risks)
        r = ladder_spe(np.array([risks]), K, p["v_R"], p["v_W"], p["d_R"], p["d_W"])
        esc = [bool(e) for e in r["escalate"][0]]
        margins = [float(m) for m in r["margin"][0]]
        path = ["E"] * (int(r["path_length"][0]) - 1) + ["Q"]
        regime = "russia_quits" if len(path) == 1 else "west_quits"
        probs = {"Concession": float(r["p_west_quits"][0]),
                 "Back down": float(r["p_russia_quits"][0]),
                 "Disaster": float(r["p_disaster"][0])}
        rho_R = p["v_R"] / (p["v_R"] + p["d_R"])
        rho_W = p["v_W"] / (p["v_W"] + p["d_W"])
        details = {
            "risks": list(risks),
            "actions_by_step": ["E" if e else "Q" for e in esc],
            "path": path,
            "margins": margins,
            "critical_risk_R": rho_R,
            "critical_risk_W": rho_W,
            "p_disaster": probs["Disaster"],
            "eu_R": float(r["eu_R"][0]),
            "eu_W": float(r["eu_W"][0]),
        }
        strategies = {f"step {k} ({mover(k)})": {"Escalate": float(e), "Quit": 1.0 - float(e)}
                      for k, e in enumerate(esc, start=1)}
        return Outcome(
            model=self.name,
            params=dict(p),
            outcome=max(_OUTCOMES, key=lambda lab: probs[lab]),
            regime=regime,
            probabilities=probs,
            p_war=probs["Disaster"],
            payoffs={"Russia": details["eu_R"], "West": details["eu_W"]},
            strategies=strategies,
            flags=Flags(boundary=bool(r["boundary"][0])),
            explanation=_explain(p, risks, esc, margins, rho_R, rho_W),
            details=details,
            method="backward induction",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        n = len(batch["v_R"])
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
        r = ladder_spe(risks, K, batch["v_R"], batch["v_W"], batch["d_R"], batch["d_W"])
        probs = np.stack([r["p_west_quits"], r["p_russia_quits"], r["p_disaster"]], axis=1)
        return BatchOutcome(
            model=self.name,
            params={k: v for k, v in batch.items() if isinstance(v, np.ndarray)},
            regimes=self.regimes, regime=(r["path_length"] > 1).astype(np.int64),
            outcomes=_OUTCOMES, probabilities=probs, p_war=r["p_disaster"],
            payoffs={"Russia": r["eu_R"], "West": r["eu_W"]},
            boundary=r["boundary"], multiple_equilibria=np.zeros(n, dtype=bool),
            assumption_violated=np.zeros(n, dtype=bool),
            details={"escalate_step1": r["escalate"][:, 0],
                     "critical_risk_R": batch["v_R"] / (batch["v_R"] + batch["d_R"]),
                     "critical_risk_W": batch["v_W"] / (batch["v_W"] + batch["d_W"])},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The ladder as a perfect-information tree with chance nodes (exact values)."""
        p = self.validate(params)
        risks = ladder_risks(p)
        return ExtensiveFormGame(
            ladder_tree(risks, _x(p["v_R"]), _x(p["v_W"]), _x(p["d_R"]), _x(p["d_W"])),
            self.players, title=f"Escalation ladder, K={len(risks)}")


def ladder_tree(risks: Sequence[float], v_R: Fraction, v_W: Fraction, d_R: Fraction,
                d_W: Fraction, *, suffix: str = "", shared: bool = False) -> Node:
    """The ladder from step 1 as a tree; ``suffix`` names the West's type.

    With ``shared`` Russia's decision nodes carry information-set labels
    ``"R<k>"`` (shared across the West's types) and the West's ``"W<k><suffix>"``.
    """
    node: Node | None = None
    zero = Fraction(0)
    for k in range(len(risks), 0, -1):
        rk = _x(risks[k - 1])
        russia = k % 2 == 1
        disaster = Terminal((-d_R, -d_W), "Disaster")
        if node is None or rk == 1:
            escalate: Node = disaster
        else:
            escalate = Chance((("Disaster", rk, disaster), ("Continue", 1 - rk, node)))
        quit_ = (Terminal((zero, v_W), "Back down") if russia
                 else Terminal((v_R, zero), "Concession"))
        infoset = (f"R{k}" if russia else f"W{k}{suffix}") if shared else None
        node = Decision(0 if russia else 1, (("Quit", quit_), ("Escalate", escalate)),
                        infoset=infoset, label=f"step {k}")
    assert node is not None
    return node


def _explain(p: Mapping[str, Any], risks: Sequence[float], esc: Sequence[bool],
             margins: Sequence[float], rho_R: float, rho_W: float) -> str:
    r1, r2 = risks[0], risks[1]
    w2 = margins[1]
    west_next = (f"the West would {'escalate' if esc[1] else 'quit'} at step 2 (escalating "
                 f"there, with risk {r2:.2f}, is worth {w2:.2f} to it against 0 for quitting)")
    crit = (f"Russia's critical risk is ρ_R = {rho_R:.2f} and the West's ρ_W = {rho_W:.2f}.")
    if esc[0]:
        gap = rho_R - r1
        return (f"Russia escalates at step 1 and the West quits at step 2: {west_next}. "
                f"Russia's first rung is worth {margins[0]:.2f} > 0 because r_1 = {r1:.2f} is "
                f"below ρ_R; r_1 would have to rise by {gap:.2f} for Russia to quit at once. "
                f"P(disaster) = r_1 = {r1:.2f}. {crit}")
    if esc[1]:
        return (f"Russia quits at once: {west_next}, so climbing the first rung (risk "
                f"{r1:.2f}) is worth {margins[0]:.2f} ≤ 0 to Russia. Who yields depends on "
                f"who is pushed onto the last rung as well as on resolve. {crit}")
    return (f"Russia quits at once although {west_next}: the first rung alone, with risk "
            f"{r1:.2f}, is worth {margins[0]:.2f} ≤ 0 to Russia (r_1 would have to fall by "
            f"{r1 - rho_R:.2f} to below ρ_R). {crit}")


MODELS = (EscalationLadderComplete(),)
