"""Sanctions threat game, complete information (SPE).

Game (models.md §7; Lacy & Niou 2004, *Journal of Politics* 66(1); Morgan,
Bapat & Krustev 2009): the sender (the West) threatens sanctions or not;
the target (Russia) complies or defies; after defiance the sender imposes
or backs down. Payoffs (West, Russia): status quo ``(0, 0)``, compliance
``(V_S, -V_T)``, imposition ``(-k_S, -k_T)``, back down ``(-a_S, b_T)``.

It is the threat game of §2a with payoffs ``(s, g, e, b)``, solved by
:func:`sim.kernels.threat_game.complete_info`:

* the West imposes iff ``k_S < a_S`` (credibility);
* Russia complies iff ``V_T <= k_T`` against a credible threat
  (effectiveness);
* the West threatens iff Russia would comply.

So imposed sanctions never occur under complete information (the sanctions
paradox: Drezner 1999; Lacy & Niou 2004).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels import threat_game as tg
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec
from sim.models.threat_game_complete_info import threat_tree

__all__ = ["SanctionsCompleteInfo", "SANCTION_OUTCOMES", "SANCTION_ACTIONS", "MODELS"]

SANCTION_OUTCOMES = ("Status quo", "Compliance", "Imposition", "Back down")
#: Action labels for the sanctions tree: threaten, comply, defy, impose, back down.
SANCTION_ACTIONS = ("Threaten", "Comply", "Defy", "Impose", "Back down")
_REGIMES = ("status_quo", "compliance", "imposition", "back_down")


def _f(v: float) -> str:
    return f"{v:.2f}"


def sanction_params() -> tuple[ParamSpec, ...]:
    """The value parameters shared by the sanctions models (models.md §10 defaults)."""
    return (
        ParamSpec("V_S", 1.0, hi=10.0, unit="utility",
                  meaning="the West's value of Russia complying", symbol="V_S"),
        ParamSpec("V_T", 0.6, hi=10.0, unit="utility",
                  meaning="Russia's cost of complying", symbol="V_T"),
        ParamSpec("k_T", 0.8, hi=10.0, unit="utility",
                  meaning="Russia's cost of imposed sanctions", symbol="k_T"),
        ParamSpec("a_S", 0.2, hi=10.0, unit="utility",
                  meaning="the West's cost of backing down from its threat", symbol="a_S"),
        ParamSpec("b_T", 0.0, hi=10.0, unit="utility",
                  meaning="Russia's gain if the West backs down", symbol="b_T"),
    )


class SanctionsCompleteInfo(Model):
    """The West's sanctions threat against Russia, complete information."""

    name = "sanctions_complete_info"
    family = "sanctions"
    title = "Sanctions threat game (complete information)"
    citation = "Lacy & Niou (2004), J. Politics 66(1): 25-42; models.md §7"
    description = (
        "The West threatens sanctions unless Russia stands down; Russia complies or defies; "
        "after defiance the West imposes the package or backs down. A package that includes "
        "SWIFT exclusion and energy measures hurts Russia (k_T) but also Europe (k_S); when "
        "k_S exceeds the West's cost of backing down a_S the threat is not credible, Russia "
        "defies and the West does better not to threaten. Under complete information "
        "sanctions are threatened only when they work and are never imposed, so observed "
        "impositions point to incomplete information."
    )
    players = ("West", "Russia")
    outcomes = SANCTION_OUTCOMES
    regimes = _REGIMES
    params = (
        *sanction_params()[:2],
        ParamSpec("k_S", 0.5, hi=10.0, unit="utility",
                  meaning="the West's cost of imposing (European blow-back)", symbol="k_S"),
        *sanction_params()[2:],
    )

    @staticmethod
    def _core(b: dict[str, Any]) -> dict[str, np.ndarray]:
        V_S, V_T, k_S, k_T, a_S, b_T = (np.asarray(b[k], dtype=float)
                                        for k in ("V_S", "V_T", "k_S", "k_T", "a_S", "b_T"))
        zero = np.zeros_like(V_S)
        return tg.complete_info(zero, V_S, -k_S, -a_S, zero, -V_T, -k_T, b_T)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = {k: np.atleast_1d(v)[0] for k, v in self._core(p).items()}
        code = int(r["outcome"])
        probs = {o: float(i == code) for i, o in enumerate(SANCTION_OUTCOMES)}
        imp, comp, thr = bool(r["executes"]), bool(r["concedes"]), bool(r["challenges"])
        return Outcome(
            model=self.name,
            params=p,
            outcome=SANCTION_OUTCOMES[code],
            regime=_REGIMES[code],
            probabilities=probs,
            p_war=probs["Imposition"],
            payoffs={"West": float(r["payoff_C"]), "Russia": float(r["payoff_T"])},
            strategies={
                "West (start)": {"Threaten": float(thr), "Status quo": float(not thr)},
                "Russia (after threat)": {"Comply": float(comp), "Defy": float(not comp)},
                "West (after defiance)": {"Impose": float(imp), "Back down": float(not imp)},
            },
            flags=Flags(boundary=bool(r["boundary"])),
            explanation=self._explain(p, r),
            details={
                "credible": imp,
                "west_would_impose": imp,
                "russia_complies_if_threatened": comp,
                "west_threatens": thr,
                "effective": p["V_T"] <= p["k_T"],
                "credibility_margin": p["a_S"] - p["k_S"],
                "effectiveness_margin": p["k_T"] - p["V_T"],
            },
            method="closed form (backward induction)",
        )

    @staticmethod
    def _explain(p: dict[str, Any], r: dict[str, Any]) -> str:
        k_S, a_S, V_T, k_T = p["k_S"], p["a_S"], p["V_T"], p["k_T"]
        if bool(r["executes"]):
            s1 = (f"The threat is credible: imposing costs the West k_S = {_f(k_S)}, less than "
                  f"backing down (a_S = {_f(a_S)}); k_S would have to rise by {_f(a_S - k_S)} "
                  f"to make it an empty threat.")
        else:
            s1 = (f"The threat is not credible: imposing would cost the West k_S = {_f(k_S)}, "
                  f"not less than backing down (a_S = {_f(a_S)}); k_S would have to fall by "
                  f"{_f(k_S - a_S)} (or a_S rise by as much) for the West to impose.")
        if bool(r["concedes"]):
            s2 = (f"Russia complies: complying costs it V_T = {_f(V_T)}"
                  + (f", no more than the sanctions (k_T = {_f(k_T)})." if bool(r["executes"])
                     else ", no more than defying."))
        elif bool(r["executes"]):
            s2 = (f"Russia defies: complying would cost it V_T = {_f(V_T)}, more than the "
                  f"sanctions (k_T = {_f(k_T)}); k_T would have to rise by {_f(V_T - k_T)} "
                  f"for the package to work.")
        else:
            s2 = "Russia defies, since the West would back down."
        if bool(r["challenges"]):
            s3 = "So the West threatens and Russia complies; no sanctions are imposed."
        else:
            s3 = ("So the West does better not to threaten, and the status quo holds. Under "
                  "complete information sanctions are never imposed.")
        return " ".join((s1, s2, s3))

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        code = r["outcome"]
        probs = (code[:, None] == np.arange(4)[None, :]).astype(float)
        return self.batch_outcome(
            batch,
            regime=code,
            probabilities=probs,
            p_war=probs[:, 2].copy(),
            payoffs={"West": r["payoff_C"], "Russia": r["payoff_T"]},
            boundary=r["boundary"],
            details={"credible": r["executes"], "russia_complies": r["concedes"],
                     "west_threatens": r["challenges"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The perfect-information sanctions tree (West moves first)."""
        v = self.validate(params)
        return ExtensiveFormGame(sanctions_tree(v, v["k_S"], v["k_T"]), self.players,
                                 title=self.title)


def sanctions_tree(v: dict[str, Any], k_S: float, k_T: float) -> Any:
    """The complete-information sanctions tree for imposition costs ``k_S``, ``k_T``."""
    a = SANCTION_ACTIONS
    return threat_tree(
        {"sq": (0.0, 0.0), "give": (v["V_S"], -v["V_T"]), "execute": (-k_S, -k_T),
         "back_down": (-v["a_S"], v["b_T"])},
        SANCTION_OUTCOMES, demand=a[0], give=a[1], resist=a[2], execute=a[3], back_down=a[4],
    )


MODELS = (SanctionsCompleteInfo(),)
