"""Sanctions severity window: the smallest effective package that is still credible.

Simulator extension of the sanctions game (docs/models/sanctions_severity_window.md,
after Lacy & Niou
2004): Sender picks a package severity ``s`` in ``[0, 1]``; Target's cost
of imposed sanctions is ``k_T = K_T s`` and Sender's own cost (the
blow-back of the measures on Sender) is ``k_S = K_S s**2``.

* effective iff ``K_T s >= V_T``, i.e. ``s >= s_eff = V_T / K_T``;
* credible iff ``K_S s**2 < a_S``, i.e. ``s < s_cred = sqrt(a_S / K_S)``.

Sender threatens the smallest effective credible package ``s* = s_eff``
(Target then complies) if the window ``[s_eff, s_cred)`` meets ``[0, 1]``;
otherwise no package both works and is believed, and the status quo holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels.threat_game import sanctions_tree
from sim.kernels.tolerance import BOUNDARY_TOL
from sim.modelkit.text import f2 as _f
from sim.modelkit.text import gap
from sim.modelkit.vocabulary import SENDER_TARGET, sanction_params
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec, first_point

__all__ = ["SanctionsSeverityWindow", "MODELS"]

_REGIMES = ("window_open", "window_empty")



_SANCTION = {spec.name: spec for spec in sanction_params()}


class SanctionsSeverityWindow(Model):
    """Choice of sanctions severity between effectiveness and credibility."""

    name = "sanctions_severity_window"
    family = "sanctions"
    title = "Sanctions severity window (complete information)"
    citation = "Lacy & Niou (2004), J. Politics 66(1): 25-42; simulator extension"
    description = (
        "Sender chooses how severe a sanctions package to threaten. Harsher packages hurt "
        "Target more (k_T = K_T·s) but hurt Sender faster (k_S = K_S·s², convex blow-back). A "
        "package works if it costs Target at least V_T and is believed if imposing costs "
        "Sender less than backing down (a_S). The harshest measures raise effectiveness but "
        "can destroy credibility; dropping them restores credibility at the price of "
        "effectiveness. If no severity is both, Sender does not threaten."
    )
    roles = SENDER_TARGET
    outcomes = ("Status quo", "Compliance")
    regimes = _REGIMES
    params = (
        ParamSpec("K_T", 1.0, lo=0.01, hi=10.0, unit="utility",
                  meaning="Target's cost of the full package (s = 1)", symbol="K_T"),
        ParamSpec("K_S", 0.8, lo=0.01, hi=10.0, unit="utility",
                  meaning="Sender's cost of imposing the full package", symbol="K_S"),
        *(_SANCTION[name] for name in ("V_T", "a_S", "V_S", "b_T")),
    )

    @staticmethod
    def _core(b: dict[str, Any]) -> dict[str, np.ndarray]:
        K_T, K_S, V_T, a_S, V_S = (np.asarray(b[k], dtype=float)
                                   for k in ("K_T", "K_S", "V_T", "a_S", "V_S"))
        s_eff = V_T / K_T
        s_cred = np.sqrt(a_S / K_S)
        margin = s_cred - s_eff  # the window is [s_eff, s_cred)
        open_ = (margin > BOUNDARY_TOL) & (s_eff <= 1.0 + BOUNDARY_TOL)
        threatens = open_ & (V_S > BOUNDARY_TOL)
        boundary = (np.abs(margin) <= BOUNDARY_TOL) | (np.abs(s_eff - 1.0) <= BOUNDARY_TOL) | (
            np.abs(V_S) <= BOUNDARY_TOL)
        return {
            "s_eff": s_eff,
            "s_cred": s_cred,
            "margin": margin,
            "open": open_,
            "threatens": threatens,
            "payoff_S": np.where(threatens, V_S, 0.0),
            "payoff_T": np.where(threatens, -V_T, 0.0),
            "boundary": boundary,
        }

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
        thr, open_ = bool(r["threatens"]), bool(r["open"])
        s_eff, s_cred = float(r["s_eff"]), float(r["s_cred"])
        return self.point_outcome(
            p,
            outcome="Compliance" if thr else "Status quo",
            regime=_REGIMES[0] if open_ else _REGIMES[1],
            probabilities={"Status quo": float(not thr), "Compliance": float(thr)},
            p_war=0.0,
            payoffs={"Sender": float(r["payoff_S"]), "Target": float(r["payoff_T"])},
            strategies={"Sender (severity)": {"Threaten s*": float(thr),
                                            "Status quo": float(not thr)},
                        "Target (after threat)": {"Comply": 1.0 if open_ else 0.0,
                                                  "Defy": 0.0 if open_ else 1.0}},
            flags=Flags(boundary=bool(r["boundary"])),
            explanation=self._explain(p, r),
            details={
                "s_effective_min": s_eff,
                "s_credible_max": s_cred,
                "window_nonempty": open_,
                "s_star": s_eff if open_ else None,
                "window_margin": float(r["margin"]),
            },
            method="closed form",
        )

    @staticmethod
    def _explain(p: dict[str, Any], r: dict[str, Any]) -> str:
        s_eff, s_cred, m = float(r["s_eff"]), float(r["s_cred"]), float(r["margin"])
        head = (f"A package works only if its severity is at least V_T/K_T = {_f(s_eff)} and "
                f"is believed only below √(a_S/K_S) = {_f(s_cred)}.")
        if bool(r["open"]):
            tail = (f" The window is open by {gap(m)}, so Sender threatens the smallest "
                    f"effective package s* = {_f(s_eff)} and Target complies")
            if s_eff > 1e-6:
                tail += (f"; the blow-back K_S would have to rise by "
                         f"{_f(p['a_S'] / s_eff ** 2 - p['K_S'])} to close it.")
            else:
                tail += "; no blow-back closes a window that starts at zero severity."
            if not bool(r["threatens"]):
                tail += " Sender gains nothing from compliance (V_S = 0), so it does not bother."
            return head + tail
        if s_eff > 1.0 + BOUNDARY_TOL:
            return head + (" Even the full package (s = 1) is too weak, so Sender does not "
                           "threaten and the status quo holds.")
        return head + (f" Every effective package is {_f(-m)} too severe to be believed "
                       f"(credible but ineffective, or effective but not credible), so the "
                       f"Sender does not threaten and the status quo holds.")

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        thr = r["threatens"]
        n = len(thr)
        probs = np.stack([(~thr).astype(float), thr.astype(float)], axis=1)
        return self.batch_outcome(
            batch,
            regime=np.where(r["open"], 0, 1).astype(np.int64),
            probabilities=probs,
            p_war=np.zeros(n),
            payoffs={"Sender": r["payoff_S"], "Target": r["payoff_T"]},
            boundary=r["boundary"],
            details={"s_effective_min": r["s_eff"], "s_credible_max": r["s_cred"],
                     "window_nonempty": r["open"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The sanctions tree for the smallest effective package ``min(1, V_T/K_T)``.

        Its SPE threatens (and Target complies) exactly when the window is open.
        """
        v = self.validate(params)
        s = min(1.0, v["V_T"] / v["K_T"])
        return ExtensiveFormGame(
            sanctions_tree(v, v["K_S"] * s * s, v["K_T"] * s), self.players,
            title=f"{self.title}, s = {s:.4g}",
        )


MODELS = (SanctionsSeverityWindow(),)
