"""Mobilisation as a costly signal when the challenger's resolve is a continuum.

Game (Fearon 1997, *J. Conflict Resolution* 41(1), the sinking-costs model
with a continuum of types; Slantchev 2005, *APSR* 99(4), mobilisation that
also shifts the balance): the challenger values the stakes at ``v``, drawn
uniformly from ``[v_lo_A, v_hi_A]`` and known only to itself. It demands the
stakes with a build-up of size ``m`` (sunk cost ``s_A m``, cost ``a_A m`` of
backing down after it, chance of winning ``p_m = p + k m (1 - p)``) or
without one; the target concedes or resists; a resisted challenger fights
iff ``p_j v - c_A > -a_j``.

Equilibrium conditions (:func:`sim.kernels.mobilisation.solve_continuous`):
types above a cut-off ``v*`` build up, because the gain from a concession
rises with ``v``.

* Cut-off separation: the target concedes to a build-up and resists
  otherwise; ``v* - max(p v* - c_A, 0) = s_A m``, so for types that would not
  fight without it ``v* = s_A m``: the build-up's sunk cost screens out every
  type that values the stakes less than it costs (Fearon 1997).
* Cut-off semi-separation: where the build-up draws in too many bluffers, the
  share of fighters among those who build up is held at ``mu* = 1/(p_m + c_B)``
  and the target concedes with the probability that leaves ``v*`` indifferent.
* Building up to fight: the target resists whatever it sees, and the types
  above ``v*`` build up because the better odds are worth the cost in the war
  they will fight (the balance effect of Slantchev 2005).
* Pooling: nobody builds up (the target concedes on its prior, or resists),
  or everybody does. Pooling profiles must pass D1.

``game()`` is ``None``: the type space is a continuum. Specification:
``docs/models/mobilisation_signalling_continuous.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.kernels import mobilisation as mb
from sim.modelkit.costly_signal import (
    ClosedFormSignalling,
    build_up_params,
    closed_form_outcome,
    war_costs,
)
from sim.modelkit.costly_signal import fmt as _f
from sim.modelkit.text import apart
from sim.modelkit.vocabulary import CHALLENGER_TARGET
from sim.models.base import ModelError, Outcome, ParamSpec

__all__ = ["MobilisationSignallingContinuous", "MODELS"]

_ARGS = ("p", "k", "m", "s_A", "a_A", "c_A", "c_B", "v_lo_A", "v_hi_A")


class MobilisationSignallingContinuous(ClosedFormSignalling):
    """A build-up as a costly signal when the challenger's resolve is a continuum."""

    name = "mobilisation_signalling_continuous"
    family = "costly_signalling"
    title = "Mobilisation as a costly signal (a continuum of types)"
    citation = ("Fearon (1997), J. Conflict Resolution 41(1): 68-90; Slantchev (2005), "
                "APSR 99(4): 533-547")
    description = (
        "The target does not know how much the challenger values the stakes: anything "
        "between a low and a high value is equally likely. A build-up costs the challenger "
        "whatever happens, so only those who value the stakes enough make it. The model "
        "gives the cut-off value above which challengers build up, and whether the target "
        "concedes to a build-up for sure or only sometimes."
    )
    roles = CHALLENGER_TARGET
    outcomes = mb.OUTCOMES
    regimes = mb.CONTINUOUS_REGIMES
    batch_details = {"v_star": "v_star", "p_build_up": "p_build_up"}
    params = (
        *build_up_params(),
        *war_costs(),
        ParamSpec(name="v_lo_A", default=0.0, hi=2.0, unit="value of the stakes",
                  meaning="lowest value the challenger may place on the stakes", symbol="v_lo"),
        ParamSpec(name="v_hi_A", default=1.0, lo=0.01, hi=3.0, unit="value of the stakes",
                  meaning="highest value the challenger may place on the stakes "
                          "(above v_lo)", symbol="v_hi"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        if values["v_lo_A"] >= values["v_hi_A"]:
            raise ModelError(f"{self.name}: v_lo_A = {values['v_lo_A']:g} must be below "
                             f"v_hi_A = {values['v_hi_A']:g}")

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        lo = np.asarray(b["v_lo_A"], dtype=float)
        hi = np.asarray(b["v_hi_A"], dtype=float)
        if np.any(lo >= hi):
            raise ModelError("v_lo_A must be below v_hi_A at every point")
        return mb.solve_continuous(*(np.asarray(b[k], dtype=float) for k in _ARGS))

    @staticmethod
    def _violated(r: Mapping[str, np.ndarray], b: Mapping[str, Any]) -> np.ndarray:
        # The story needs both kinds of type: some that would fight unaided and some
        # that would not (otherwise the build-up cannot signal resolve).
        w = np.asarray(r["w_none"])
        lo, hi = np.asarray(b["v_lo_A"], dtype=float), np.asarray(b["v_hi_A"], dtype=float)
        return (w <= lo) | (w >= hi)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = self._core(p)
        probs = {label: float(r["probs"][0, j]) for j, label in enumerate(self.outcomes)}
        regime = self.regimes[int(r["regime"][0])]
        v_star = float(r["v_star"][0])
        violated = bool(self._violated(r, p)[0])

        def num(key: str) -> float | None:
            v = float(r[key][0])
            return v if math.isfinite(v) else None

        details: dict[str, Any] = {
            "v_star": None if math.isnan(v_star) else v_star,
            "rho_build_up": float(r["rho_build"][0]), "rho_none": float(r["rho_none"][0]),
            "p_build_up": float(r["p_build_up"][0]), "p_m": float(r["p_m"][0]),
            "w_build_up": num("w_build"), "w_none": num("w_none"),
            "mu_star_build_up": num("mu_star_build_up"), "mu_star_none": num("mu_star_none"),
            "n_pbe": int(r["n_pbe"][0]),
            "no_build_up_pbe_fails_d1": bool(r["no_build_up_fails_d1"][0]),
            "pbe_kinds": [name for i, name in enumerate(self.regimes)
                          if bool(r["valid"][i, 0])],
        }
        strategies = {
            "Challenger": {"Build up": details["p_build_up"],
                           "No build-up": 1 - details["p_build_up"]},
            "Target, after build up": {"Concede": details["rho_build_up"],
                                       "Resist": 1 - details["rho_build_up"]},
            "Target, after no build-up": {"Concede": details["rho_none"],
                                          "Resist": 1 - details["rho_none"]},
        }
        return closed_form_outcome(
            self, p, r, p_war="p_war", regime=regime, probabilities=probs, violated=violated,
            strategies=strategies,
            explanation=self._explain(p, regime, details, probs, violated),
            details=details, method="closed form (cut-off PBE, D1)")

    @staticmethod
    def _explain(p: Mapping[str, Any], regime: str, d: Mapping[str, Any],
                 probs: Mapping[str, float], violated: bool) -> str:
        m, s = p["m"], p["s_A"]
        war = probs["War"]
        vs = d["v_star"]
        if regime == "cutoff_separating":
            text = (f"Challengers who value the stakes above v* = {_f(vs)} build up and the "
                    f"target concedes to them; the others do not and are resisted. For the "
                    f"marginal type the build-up's sunk cost s_A·m = {_f(s * m)} equals what a "
                    f"concession would add to what it gets without one, so a larger build-up "
                    f"screens out more bluffers. P(build-up) = {_f(d['p_build_up'])}, "
                    f"P(war) = {_f(war)}.")
        elif regime == "cutoff_semi_separating":
            text = (f"The build-up (m = {_f(m)}) is too cheap to screen out bluffers: "
                    f"challengers above v* = {_f(vs)} make it, so that the share of those "
                    f"who would fight is exactly μ* = {_f(d['mu_star_build_up'] or 0.0)}, and "
                    f"the target concedes to a build-up with probability "
                    f"ρ = {_f(d['rho_build_up'])}. P(war) = {_f(war)}.")
        elif regime == "build_up_to_fight":
            text = (f"The target resists whatever it sees, yet challengers who value the "
                    f"stakes above v* = {_f(vs)} build up anyway: the build-up raises their "
                    f"chance of winning the war they will fight from {_f(p['p'])} to "
                    f"p_m = {_f(d['p_m'])}, which is worth its cost {_f(s * m)} to them. "
                    f"P(war) = {_f(war)}.")
        elif regime == "no_build_up_target_concedes":
            text = (f"Nobody builds up and the target concedes: the share of challengers who "
                    f"would fight is at least μ* = {_f(d['mu_star_none'] or 0.0)} even "
                    f"without a signal.")
        elif regime == "pooling_on_build_up_target_concedes":
            text = (f"Every challenger builds up and the target concedes: even the lowest "
                    f"value v_lo = {_f(p['v_lo_A'])} makes a concession worth the sunk cost "
                    f"{_f(s * m)}, and after the build-up (p_m = {_f(d['p_m'])}) enough "
                    f"challengers would fight.")
        elif regime == "pooling_on_build_up_target_resists":
            text = (f"Every challenger builds up, the target still resists, and "
                    f"P(war) = {_f(war)}: the build-up pays for itself in the war it improves.")
        elif d["mu_star_build_up"] is None:
            text = (f"Nobody builds up and the target resists: even after the build-up "
                    f"(p_m = {_f(d['p_m'])}) the target would rather fight than concede, since "
                    f"p_m + c_B = {apart(d['p_m'] + p['c_B'], 1.0)[0]} is at most 1, and the "
                    f"better odds are not worth the build-up's cost {_f(s * m)} to anyone. "
                    f"P(war) = {_f(war)}.")
        else:
            text = (f"Nobody builds up and the target resists: no build-up of size "
                    f"m = {_f(m)} is worth its cost {_f(s * m)} to challengers the target "
                    f"would concede to. P(war) = {_f(war)}.")
        if d["no_build_up_pbe_fails_d1"]:
            text += (" An equilibrium in which nobody builds up and the target resists also "
                     "exists, held up by the belief that only bluffers would build up; it "
                     "fails D1, since the challengers who value the stakes most gain most "
                     "from a build-up.")
        others = [k for k in d["pbe_kinds"] if k != regime]
        if others:
            text += (" Other equilibria: " + ", ".join(k.replace("_", " ") for k in others)
                     + "; the first in the order of the regimes is shown.")
        if violated:
            text += (" Note: with these values every challenger would fight without a "
                     "build-up, or none would, so the build-up signals little about resolve.")
        return text


MODELS = (MobilisationSignallingContinuous(),)
