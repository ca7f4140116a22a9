"""Reassurance under a security dilemma: can a costly gesture break the spiral?

Game (Kydd 1997, *World Politics* 49(3): 371-400; Kydd 2005, *Trust and
Mistrust in International Relations*, ch. 7): Side A is a security seeker
(prior ``pi``) or greedy. It restrains itself, a gesture that costs it
``r_A``, or expands; Side B trusts or arms; a trusted Side A cooperates or
exploits. A security seeker values mutual cooperation at ``u_A``, a greedy
type values exploiting trust at ``g_A``; Side B gains 1 from mutual
cooperation and loses ``l_B`` if exploited; mutual arming (the spiral) is 0.

Equilibrium conditions (:mod:`sim.kernels.reassurance`):

* Side B trusts iff ``P(security seeker) >= t* = l_B / (1 + l_B)``;
* ``pi >= t*``: trust without reassurance;
* ``pi < t*``, ``g_A <= r_A <= u_A``: the gesture separates (only a security
  seeker makes it; Side B trusts it and arms otherwise);
* ``pi < t*``, ``r_A < g_A <= u_A``: partial reassurance; the greedy type
  mimics with ``beta = pi (1 - t*)/((1 - pi) t*)``, Side B trusts restraint
  with ``rho = r_A / g_A``;
* otherwise the spiral: even a security seeker ends in mutual arming.

PBE by :func:`sim.kernels.signalling_pbe.solve_pbe` (D1 for pooling, then
Side A's preferred survivor). ``p_war`` is the probability of the spiral,
the model's conflict outcome. Specification: ``docs/models/reassurance_game.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import Decision, Node, Terminal
from sim.kernels import reassurance as ra
from sim.kernels import signalling_pbe as sp
from sim.modelkit import costly_signal as cs
from sim.modelkit.costly_signal import fmt as _f
from sim.modelkit.text import apart
from sim.modelkit.vocabulary import SIDES, prior
from sim.models.base import Outcome, ParamSpec

__all__ = ["ReassuranceGame", "MODELS", "TYPES", "MESSAGES", "REPLIES"]

TYPES = ("Security seeker", "Greedy")
MESSAGES = ("Restrain", "Expand")
REPLIES = ("Trust", "Arm")
_ARGS = ("pi", "r_A", "u_A", "g_A", "l_B")


class ReassuranceGame(cs.TwoTypeSignalling):
    """A costly reassuring gesture by a side whose motives the other side doubts."""

    name = "reassurance_game"
    family = "reassurance"
    title = "Reassurance under a security dilemma (costly signalling of motives)"
    citation = ("Kydd (1997), World Politics 49(3): 371-400; Kydd (2005), Trust and "
                "Mistrust in International Relations, ch. 7")
    description = (
        "Side B does not know whether Side A only wants security or is greedy. Side A can "
        "restrain itself at a cost (forgo an expansion); Side B then trusts or arms, and a "
        "trusted Side A cooperates or exploits the trust. A gesture reassures only if it "
        "costs more than a greedy side would gain by exploiting trust and less than a "
        "security seeker gains from cooperation; otherwise mistrust leads to a spiral of "
        "mutual arming even between two security seekers."
    )
    roles = SIDES
    type_names, messages, replies = TYPES, MESSAGES, REPLIES
    outcomes = ra.OUTCOMES
    regimes = ra.REGIMES
    war_column = "p_spiral"
    batch_details = {"t_star": "t_star", "p_restraint": "p_restraint",
                     "p_spiral_security_seeker": "p_spiral_secure"}
    params = (
        prior("pi", 0.4, "Side B's prior that Side A is a security seeker"),
        ParamSpec(name="r_A", default=0.5, hi=2.0, unit="value of cooperation",
                  meaning="cost to Side A of the reassuring gesture (restraint)", symbol="r_A"),
        ParamSpec(name="u_A", default=1.0, hi=2.0, unit="value of cooperation",
                  meaning="a security seeker's gain from mutual cooperation over the spiral",
                  symbol="u_A"),
        ParamSpec(name="g_A", default=0.4, hi=2.0, unit="value of cooperation",
                  meaning="a greedy Side A's gain from exploiting Side B's trust",
                  symbol="g_A"),
        ParamSpec(name="l_B", default=1.0, hi=5.0, unit="value of cooperation",
                  meaning="Side B's loss if it trusts and is exploited (its gain from "
                          "mutual cooperation is 1)", symbol="l_B"),
    )

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        return ra.solve(*(np.asarray(b[k], dtype=float) for k in _ARGS))

    @staticmethod
    def _violated(r: Mapping[str, np.ndarray], b: Mapping[str, Any]) -> np.ndarray:
        # The story needs a security seeker that cooperates and a greedy type that exploits.
        ex = np.asarray(r["exploits"])
        return ex[0] | ~ex[1]

    def _solve(self, p: dict[str, Any]) -> Outcome:
        full = self._core(p)
        probs = {label: float(full["probs"][0, j]) for j, label in enumerate(self.outcomes)}
        sigma, rho, mu = full["sigma"][:, 0], full["rho"][:, 0], full["mu"][:, 0]
        ex = full["exploits"][:, 0]
        violated = bool(self._violated(full, p)[0])
        strategies = cs.signal_strategies("Side A", "Side B", TYPES, MESSAGES, REPLIES, sigma, rho)
        for t in range(2):
            strategies[f"Side A, {TYPES[t].lower()}, when trusted"] = {
                "Cooperate": 1 - float(ex[t]), "Exploit": float(ex[t])}
        beliefs = cs.posterior_beliefs("security seeker", MESSAGES, mu)

        def num(key: str) -> float | None:
            v = float(full[key][0])
            return v if math.isfinite(v) else None

        details = {
            "kind": sp.KINDS[int(full["kind"][0])],
            "t_star": float(full["t_star"][0]),
            "beta_star": num("beta_star"), "rho_star": num("rho_star"),
            "p_restraint": float(full["p_restraint"][0]),
            "p_spiral_security_seeker": float(full["p_spiral_secure"][0]),
            "sigma_security_seeker": float(sigma[0]), "sigma_greedy": float(sigma[1]),
            "rho_restrain": float(rho[0]), "rho_expand": float(rho[1]),
            "eu_security_seeker": float(full["u"][0, 0]), "eu_greedy": float(full["u"][1, 0]),
            **cs.pbe_summary(full),
        }
        regime = self.regimes[int(full["regime"][0])]
        return cs.closed_form_outcome(
            self, p, full, p_war="p_spiral", regime=regime, probabilities=probs,
            violated=violated, strategies=strategies, beliefs=beliefs,
            explanation=self._explain(p, regime, details, probs, violated),
            details=details, method="closed form (PBE enumeration, D1, sender-preferred)")

    @staticmethod
    def _explain(p: Mapping[str, Any], regime: str, d: Mapping[str, Any],
                 probs: Mapping[str, float], violated: bool) -> str:
        pi, r, u, g = p["pi"], p["r_A"], p["u_A"], p["g_A"]
        t = d["t_star"]
        PI, T = apart(pi, t)
        R, G, U = apart(r, g, u)
        if regime == "trust_without_reassurance" and pi < t:
            text = (f"Side B trusts without any gesture, although its prior that Side A is a "
                    f"security seeker, π = {PI}, is below its trust threshold t* = {T}: "
                    + (f"a greedy Side A gains nothing by exploiting trust (g_A = {G}), so "
                       f"trusting is safe." if g <= 0 else
                       "with these values the two types of Side A act alike, so its type "
                       "does not matter.")
                    + f" P(exploitation) = {_f(probs['Exploitation'])}.")
        elif regime == "trust_without_reassurance":
            text = (f"Side B's prior that Side A is a security seeker, π = {PI}, is at "
                    f"least its trust threshold t* = {T}, so it trusts without any "
                    f"gesture and no side pays for one. A greedy Side A exploits the trust: "
                    f"P(exploitation) = {_f(probs['Exploitation'])}.")
        elif regime == "reassurance_separates":
            text = (f"π = {PI} is below the trust threshold t* = {T}, but the gesture "
                    f"reassures: its cost r_A = {R} is at least what a greedy side would "
                    f"gain by exploiting trust (g_A = {G}) and at most what a security "
                    f"seeker gains from cooperation (u_A = {U}). Only a security seeker "
                    f"restrains itself; Side B trusts restraint and arms otherwise. "
                    f"P(spiral) = {_f(probs['Spiral'])}.")
        elif regime == "partial_reassurance":
            text = (f"π = {PI} is below the trust threshold t* = {T} and the gesture "
                    f"is too cheap to sort the types (r_A = {R} < g_A = {G}): a greedy "
                    f"side mimics it with probability {_f(d['sigma_greedy'])}, holding Side B's "
                    f"belief at t*, and Side B trusts restraint with probability "
                    f"ρ = r_A/g_A = {_f(d['rho_restrain'])}. P(spiral) = "
                    f"{_f(probs['Spiral'])}; a costlier gesture raises ρ until, at r_A = g_A, "
                    f"it separates.")
        elif regime == "spiral":
            if u < g:
                why = (f"a security seeker values cooperation (u_A = {U}) less than a "
                       f"greedy side values exploitation (g_A = {G}), so no gesture can "
                       f"tell them apart")
            elif r > u:
                why = (f"the gesture costs more (r_A = {R}) than cooperation is worth to "
                       f"a security seeker (u_A = {U})")
            else:
                why = (f"a gesture that costs nothing (r_A = {R}) cannot tell the types "
                       f"apart")
            text = (f"The spiral: π = {PI} is below the trust threshold t* = {T}, "
                    f"and {why}. Nobody restrains, Side B arms, and even a security seeker "
                    f"ends in mutual arming: P(spiral) = {_f(probs['Spiral'])}.")
        elif regime == "pooling_on_restraint":
            trusts = d["rho_restrain"] >= 1
            text = (f"Both types restrain themselves (the gesture costs r_A = {R}) and "
                    f"Side B {'trusts' if trusts else 'arms anyway'}: restraint tells it "
                    f"nothing, so it acts on its prior π = {PI} against the threshold "
                    f"t* = {T}. P(spiral) = {_f(probs['Spiral'])}.")
        else:
            text = (f"The equilibrium is of an unusual kind ({d['kind'].replace('_', ' ')}); "
                    f"P(spiral) = {_f(probs['Spiral'])}.")
        text += cs.selection_note(d["n_pbe"], "Side A")
        if violated:
            text += (" Note: with these values the types do not differ as the story needs "
                     "(a trusted security seeker would exploit, or a greedy side would not).")
        return text

    def leaf(self, v: Mapping[str, Any], t: int, j: int, r: int) -> Node:
        """Arming ends in the spiral; a trusted Side A cooperates or exploits."""
        pay = ra.outcome_payoffs(v["r_A"], v["u_A"], v["g_A"], v["l_B"],
                                 security_seeker=t == 0, restrained=j == 0)
        if r == 1:
            return Terminal(pay["spiral"], "Spiral")
        return Decision(0, (
            ("Cooperate", Terminal(pay["cooperation"], "Mutual cooperation")),
            ("Exploit", Terminal(pay["exploitation"], "Exploitation")),
        ), infoset=f"{TYPES[t]}, trusted after {MESSAGES[j].lower()}")

    def follow_ups(self, strategies: Mapping[str, Mapping[str, float]]
                   ) -> dict[str, dict[str, float]]:
        # One choice per type: the tree repeats it after each message.
        return {f"{t}, trusted after {j.lower()}": dict(strategies[f"Side A, {t.lower()}, "
                                                                   f"when trusted"])
                for t in TYPES for j in MESSAGES}


MODELS = (ReassuranceGame(),)
