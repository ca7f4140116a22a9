"""Sanctions threat game, complete information (SPE).

Game (docs/models/sanctions_complete_info.md; Lacy & Niou 2004, *Journal of Politics* 66(1); Morgan,
Bapat & Krustev 2009): the sender (Sender) threatens sanctions or not;
the target (Target) complies or defies; after defiance the sender imposes
or backs down. Payoffs (Sender, Target): status quo ``(0, 0)``, compliance
``(V_S, -V_T)``, imposition ``(-k_S, -k_T)``, back down ``(-a_S, b_T)``.

It is the threat game of §2a with payoffs ``(s, g, e, b)``, solved by
:func:`sim.kernels.threat_game.complete_info`:

* Sender imposes iff ``k_S < a_S`` (credibility);
* Target complies iff ``V_T <= k_T`` against a credible threat
  (effectiveness);
* Sender threatens iff Target would comply.

So imposed sanctions never occur under complete information (the sanctions
paradox: Drezner 1999; Lacy & Niou 2004).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels import threat_game as tg
from sim.kernels.threat_game import SANCTION_OUTCOMES, sanctions_tree
from sim.modelkit.signalling import ci_batch
from sim.modelkit.text import apart, gap
from sim.modelkit.vocabulary import SENDER_TARGET, sanction_params
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec, first_point

__all__ = ["SanctionsCompleteInfo", "MODELS"]

_REGIMES = ("status_quo", "compliance", "imposition", "back_down")



class SanctionsCompleteInfo(Model):
    """Sender's sanctions threat against Target, complete information."""

    name = "sanctions_complete_info"
    family = "sanctions"
    title = "Sanctions threat game (complete information)"
    citation = "Lacy & Niou (2004), J. Politics 66(1): 25-42"
    description = (
        "Sender threatens sanctions unless Target stands down; Target complies or defies; "
        "after defiance Sender imposes the package or backs down. A harsh package hurts "
        "Target (k_T) but also Sender itself (k_S, blow-back); when k_S exceeds Sender's cost "
        "of backing down a_S the threat is not credible, Target defies and Sender does better "
        "not to threaten. Under complete information sanctions are threatened only when they "
        "work and are never imposed, so observed impositions point to incomplete information."
    )
    roles = SENDER_TARGET
    outcomes = SANCTION_OUTCOMES
    regimes = _REGIMES
    params = (
        *sanction_params()[:2],
        ParamSpec("k_S", 0.5, hi=10.0, unit="utility",
                  meaning="Sender's cost of imposing (blow-back)", symbol="k_S"),
        *sanction_params()[2:],
    )

    @staticmethod
    def _core(b: dict[str, Any]) -> dict[str, np.ndarray]:
        V_S, V_T, k_S, k_T, a_S, b_T = (np.asarray(b[k], dtype=float)
                                        for k in ("V_S", "V_T", "k_S", "k_T", "a_S", "b_T"))
        zero = np.zeros_like(V_S)
        return tg.complete_info(zero, V_S, -k_S, -a_S, zero, -V_T, -k_T, b_T)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
        code = int(r["outcome"])
        probs = {o: float(i == code) for i, o in enumerate(SANCTION_OUTCOMES)}
        imp, comp, thr = bool(r["executes"]), bool(r["concedes"]), bool(r["challenges"])
        return self.point_outcome(
            p,
            outcome=SANCTION_OUTCOMES[code],
            regime=_REGIMES[code],
            probabilities=probs,
            p_war=probs["Imposition"],
            payoffs={"Sender": float(r["payoff_C"]), "Target": float(r["payoff_T"])},
            strategies={
                "Sender (start)": {"Threaten": float(thr), "Status quo": float(not thr)},
                "Target (after threat)": {"Comply": float(comp), "Defy": float(not comp)},
                "Sender (after defiance)": {"Impose": float(imp), "Back down": float(not imp)},
            },
            flags=Flags(boundary=bool(r["boundary"])),
            explanation=self._explain(p, r),
            details={
                "credible": imp,
                "sender_would_impose": imp,
                "target_complies_if_threatened": comp,
                "sender_threatens": thr,
                "effective": p["V_T"] <= p["k_T"],
                "credibility_margin": p["a_S"] - p["k_S"],
                "effectiveness_margin": p["k_T"] - p["V_T"],
            },
            method="closed form (backward induction)",
        )

    @staticmethod
    def _explain(p: dict[str, Any], r: dict[str, Any]) -> str:
        k_S, a_S, V_T, k_T = p["k_S"], p["a_S"], p["V_T"], p["k_T"]
        KS, AS = apart(k_S, a_S)
        VT, KT = apart(V_T, k_T)
        if bool(r["executes"]):
            s1 = (f"The threat is credible: imposing costs Sender k_S = {KS}, less than "
                  f"backing down (a_S = {AS}); k_S would have to rise by {gap(a_S - k_S)} "
                  f"to make it an empty threat.")
        else:
            s1 = (f"The threat is not credible: imposing would cost Sender k_S = {KS}, "
                  f"not less than backing down (a_S = {AS}); k_S would have to fall by "
                  f"{gap(k_S - a_S)} (or a_S rise by as much) for Sender to impose.")
        if bool(r["concedes"]):
            s2 = (f"Target complies: complying costs it V_T = {VT}"
                  + (f", no more than the sanctions (k_T = {KT})." if bool(r["executes"])
                     else ", no more than defying."))
        elif bool(r["executes"]):
            s2 = (f"Target defies: complying would cost it V_T = {VT}, more than the "
                  f"sanctions (k_T = {KT}); k_T would have to rise by {gap(V_T - k_T)} "
                  f"for the package to work.")
        else:
            s2 = "Target defies, since Sender would back down."
        if bool(r["challenges"]):
            s3 = "So Sender threatens and Target complies; no sanctions are imposed."
        else:
            s3 = ("So Sender does better not to threaten, and the status quo holds. Under "
                  "complete information sanctions are never imposed.")
        return " ".join((s1, s2, s3))

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        return ci_batch(self, batch, r, {"credible": r["executes"],
                                         "target_complies": r["concedes"],
                                         "sender_threatens": r["challenges"]})

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The perfect-information sanctions tree (Sender moves first)."""
        v = self.validate(params)
        return ExtensiveFormGame(sanctions_tree(v, v["k_S"], v["k_T"]), self.players,
                                 title=self.title)


MODELS = (SanctionsCompleteInfo(),)
