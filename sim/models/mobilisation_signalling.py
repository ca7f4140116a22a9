"""Costly signalling by mobilisation: a build-up that signals resolve and shifts the balance.

Game (Fearon 1997, *J. Conflict Resolution* 41(1); Slantchev 2005, *APSR*
99(4)): nature makes the challenger resolved (it values the stakes at
``v_res_A``) with prior ``pi`` or irresolute (``v_irr_A``). The challenger
demands the stakes after a build-up of size ``m`` or without one; the target
concedes or resists; a resisted challenger fights or backs down. The
build-up sinks a cost ``s_A m``, ties the challenger's hands (backing down
after it costs ``a_A m``) and raises its chance of winning from ``p`` to
``p_m = p + k m (1 - p)``.

Equilibrium conditions (standard case: the resolved type fights, the
irresolute one does not, the target concedes to a known resolved type):

* the target concedes after message j iff its belief that the challenger is
  resolved is at least ``mu*_j = 1 / (p_j + c_B)``;
* separating PBE (only the resolved type builds up, the target concedes to
  it and resists otherwise) iff ``m_sep <= m <= m_max`` with
  ``m_sep = max((v_irr - V_irr)/s_A, (1 - p - c_B)/(k (1 - p)))`` and
  ``m_max = (v_res - V_res)/s_A``, where ``V`` is a type's payoff when it is
  resisted without a build-up (Fearon 1997, the sunk-cost condition: the
  signal must cost more than the irresolute type would gain);
* below ``m_sep`` and with ``pi < mu*_build``: semi-separating; the bluffer
  builds up with ``beta = pi (1 - mu*)/((1 - pi) mu*)`` and the target
  concedes with the probability that leaves it indifferent,
  ``rho = (s_A m - V_irr,m)/(v_irr - V_irr,m)``;
* with a prior above ``mu*`` nobody needs to build up (pooling, the target
  concedes); a build-up that makes the target concede whoever builds up is
  Slantchev's balance effect (pooling on the build-up);
* a target that would fight even a resolved challenger after the build-up
  resists whatever it sees; a resolved challenger may still build up for the
  better odds in the war it will fight (regime ``build_up_to_fight``).

The PBE are enumerated by :func:`sim.kernels.signalling_pbe.solve_pbe`
(D1 for pooling equilibria, then the sender-preferred survivor); the
thresholds are :func:`sim.kernels.mobilisation.thresholds`. Specification:
``docs/models/mobilisation_signalling.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import Decision, Node, Terminal
from sim.kernels import mobilisation as mb
from sim.kernels import signalling_pbe as sp
from sim.modelkit import costly_signal as cs
from sim.modelkit.costly_signal import fmt as _f
from sim.modelkit.text import apart
from sim.modelkit.vocabulary import CHALLENGER_TARGET, prior
from sim.models.base import ModelError, Outcome, ParamSpec

__all__ = ["MobilisationSignalling", "MODELS", "TYPES", "MESSAGES", "REPLIES"]

TYPES = ("Resolved", "Irresolute")
MESSAGES = ("Build up", "No build-up")
REPLIES = ("Concede", "Resist")
_ARGS = ("p", "k", "m", "s_A", "a_A", "v_res_A", "v_irr_A", "c_A", "c_B", "pi")


def _g(v: float) -> str:
    """A build-up size, to three decimals (thresholds such as 0.375 are common)."""
    return f"{round(v, 9) + 0.0:.3f}"


def _fighters(pi: float, fights: np.ndarray, mu_star: float | None) -> str:
    """Why the target concedes at one message: the share of challengers that would
    fight after it (``fights``: resolved, irresolute) is at least ``mu_star``."""
    res, irr = bool(fights[0]), bool(fights[1])
    if res and irr:
        return ("both types would fight if resisted, so the target, which prefers "
                "conceding to fighting, concedes whatever its prior")
    share = pi if res else 1 - pi
    a, b = apart(share, mu_star if mu_star is not None else share)
    what = (f"its prior π = {a}" if res else
            f"the share of challengers who would fight (the irresolute ones), 1 − π = {a},")
    if mu_star is None:
        return f"{what.rstrip(',')} makes it concede"
    return (f"{what} is at least μ* = {b}, the belief at which it would rather concede "
            f"than fight")


def _num(v: Any) -> float | None:
    v = float(v)
    return None if not math.isfinite(v) else v


class MobilisationSignalling(cs.TwoTypeSignalling):
    """A challenger's troop build-up as a costly signal of resolve (two types)."""

    name = "mobilisation_signalling"
    family = "costly_signalling"
    title = "Mobilisation as a costly signal (two types)"
    citation = ("Fearon (1997), J. Conflict Resolution 41(1): 68-90; Slantchev (2005), "
                "APSR 99(4): 533-547")
    description = (
        "The target does not know whether the challenger is resolved (values the stakes "
        "highly) or irresolute. A build-up of size m is costly whatever happens (sunk cost), "
        "makes backing down costly (tied hands) and raises the challenger's chance of "
        "winning a war. If the build-up is large enough, only a resolved challenger makes it "
        "and the target concedes to it; if it is smaller, bluffers sometimes copy it and the "
        "target concedes only some of the time."
    )
    roles = CHALLENGER_TARGET
    type_names, messages, replies = TYPES, MESSAGES, REPLIES
    outcomes = mb.OUTCOMES
    regimes = mb.REGIMES
    batch_details = {"m_sep": "m_sep", "p_build_up": "p_build_up",
                     "p_concede_resolved": "p_concede_resolved"}
    params = (
        *cs.build_up_params(),
        ParamSpec(name="v_res_A", default=1.0, lo=0.01, hi=2.0, unit="value of the stakes",
                  meaning="value of the stakes to a resolved challenger", symbol="v_res"),
        ParamSpec(name="v_irr_A", default=0.3, lo=0.0, hi=2.0, unit="value of the stakes",
                  meaning="value of the stakes to an irresolute challenger (at most v_res)",
                  symbol="v_irr"),
        *cs.war_costs(),
        prior("pi", 0.3, "the target's prior that the challenger is resolved"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        if values["v_irr_A"] > values["v_res_A"]:
            raise ModelError(f"{self.name}: v_irr_A = {values['v_irr_A']:g} must not exceed "
                             f"v_res_A = {values['v_res_A']:g}")

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        return mb.solve(*(np.asarray(b[k], dtype=float) for k in _ARGS))

    @staticmethod
    def _violated(r: Mapping[str, np.ndarray], b: Mapping[str, Any]) -> np.ndarray:
        # The story needs a resolved type that fights and a bluffer that does not,
        # without a build-up.
        f = np.asarray(r["fights"])
        return ~f[0, 1] | f[1, 1]

    def _solve(self, p: dict[str, Any]) -> Outcome:
        full = self._core(p)
        r: dict[str, Any] = {k: (v[..., 0] if isinstance(v, np.ndarray) and v.ndim >= 1
                                 and v.shape[-1] == 1 else v) for k, v in full.items()}
        probs = {label: float(full["probs"][0, j]) for j, label in enumerate(self.outcomes)}
        fights = full["fights"][..., 0]
        sigma, rho, mu = full["sigma"][:, 0], full["rho"][:, 0], full["mu"][:, 0]
        violated = bool(self._violated(full, p)[0])
        strategies = cs.signal_strategies("Challenger", "Target", TYPES, MESSAGES, REPLIES, sigma,
                                       rho)
        for t in range(2):
            for j in range(2):
                strategies[f"Challenger, {TYPES[t].lower()}, resisted after "
                           f"{MESSAGES[j].lower()}"] = {
                    "Fight": float(fights[t, j]), "Back down": 1 - float(fights[t, j])}
        beliefs = cs.posterior_beliefs("resolved", MESSAGES, mu)
        details = {
            "kind": sp.KINDS[int(r["kind"])],
            "p_build_up": float(r["p_build_up"]),
            "p_concede_resolved": float(r["p_concede_resolved"]),
            "p_m": float(r["p_m"]),
            "m_sep": _num(r["m_sep"]), "m_max": _num(r["m_max"]),
            "m_cost": _num(r["m_cost"]), "m_balance": _num(r["m_bal"]),
            "m_fight": _num(r["m_fight"]),
            "mu_star_build_up": _num(r["mu_star_build_up"]),
            "mu_star_none": _num(r["mu_star_none"]),
            "sigma_resolved": float(sigma[0]), "sigma_irresolute": float(sigma[1]),
            "rho_build_up": float(rho[0]), "rho_none": float(rho[1]),
            "eu_resolved": float(full["u"][0, 0]), "eu_irresolute": float(full["u"][1, 0]),
            **cs.pbe_summary(full),
        }
        text = self._explain(p, details, fights, probs, violated)
        return cs.closed_form_outcome(
            self, p, full, p_war="p_war", regime=self.regimes[int(r["regime"])],
            probabilities=probs, violated=violated, strategies=strategies, beliefs=beliefs,
            explanation=text, details=details,
            method="closed form (PBE enumeration, D1, sender-preferred)")

    def _explain(self, p: Mapping[str, Any], d: Mapping[str, Any], fights: np.ndarray,
                 probs: Mapping[str, float], violated: bool) -> str:
        m, s, pi = p["m"], p["s_A"], p["pi"]
        kind = d["kind"]
        m_sep, m_max = d["m_sep"], d["m_max"]
        war = probs["War"]
        window = (f"any build-up between m_sep = {_g(m_sep)} and m_max = {_g(m_max)} would "
                  f"separate the types" if m_sep is not None and m_max is not None
                  and m_sep <= min(m_max, 1.0) else
                  "no build-up size between 0 and 1 separates the types")
        if kind == "separating" and d["rho_build_up"] < 1:
            text = (f"Only a resolved challenger builds up, to fight rather than to coerce: "
                    f"the target resists whatever it sees, since even after the build-up "
                    f"(p_m = {_f(d['p_m'])}) it would rather fight a resolved challenger "
                    f"than concede, and the better odds are worth the build-up's cost "
                    f"s_A·m = {_f(s * m)} only to a challenger that will fight. "
                    f"P(war) = {_f(war)}.")
        elif kind == "separating":
            size, least = apart(m, m_sep or 0.0, decimals=3)
            sunk, gain = apart(s * m, p["v_irr_A"] - d["eu_irresolute"])
            text = (f"Only a resolved challenger builds up. The build-up m = {size} is at "
                    f"least m_sep = {least}: its sunk cost s_A·m = {sunk} is at least "
                    f"{gain}, what an irresolute challenger would gain from a concession "
                    f"(v_irr = {_f(p['v_irr_A'])} against "
                    f"{_f(d['eu_irresolute'])} if it stays put), so bluffing does not pay. "
                    f"The target concedes after a build-up and resists otherwise; "
                    f"P(war) = {_f(war)}. In general, {window}.")
        elif kind == "hybrid_t0_m0":
            text = (f"The build-up m = {_f(m)} is too small to separate (m_sep = "
                    f"{_g(m_sep or 0.0)}): an irresolute challenger copies it with "
                    f"probability {_f(d['sigma_irresolute'])}, which holds the target's belief "
                    f"at μ* = {_f(d['mu_star_build_up'] or 0.0)}. The target concedes to a "
                    f"build-up with probability ρ = {_f(d['rho_build_up'])}, just enough to "
                    f"leave the bluffer no better off than staying put. P(war) = {_f(war)}; a "
                    f"larger build-up raises ρ.")
        elif kind == "pooling_m1":
            conceded = d["rho_none"] >= 1
            if conceded:
                text = ("Nobody builds up and the target concedes: "
                        + _fighters(pi, fights[:, 1], d["mu_star_none"])
                        + ", so a costly signal would buy nothing.")
            elif m <= 0:
                text = (f"Nobody builds up and the target resists: a build-up of size 0 "
                        f"costs nothing and changes nothing, so it cannot signal; in "
                        f"general, {window}. P(war) = {_f(war)}.")
            elif m_max is not None and m > m_max:
                size, most = apart(m, m_max, decimals=3)
                text = (f"Nobody builds up and the target resists: the build-up m = {size} "
                        f"is larger than m_max = {most}, the largest a resolved "
                        f"challenger would pay for (its sunk cost exceeds what a concession "
                        f"adds to fighting). P(war) = {_f(war)}.")
            elif d["mu_star_build_up"] is None:
                text = (f"Nobody builds up and the target resists: even after the build-up "
                        f"(p_m = {_f(d['p_m'])}) the target would rather fight a resolved "
                        f"challenger than concede, since p_m + c_B = "
                        f"{apart(d['p_m'] + p['c_B'], 1.0)[0]} is at most 1. P(war) = {_f(war)}.")
            else:
                text = (f"Nobody builds up and the target resists: at m = {_f(m)}, "
                        f"{window}, and no build-up that a resolved challenger would pay "
                        f"for makes the target concede. P(war) = {_f(war)}.")
        elif kind == "pooling_m0":
            if d["rho_build_up"] >= 1:
                text = (f"Both types build up and the target concedes: the build-up lifts "
                        f"the challenger's chance of winning to p_m = {_f(d['p_m'])}, and "
                        + _fighters(pi, fights[:, 0], d["mu_star_build_up"])
                        + " (the balance effect, not the signal, coerces).")
            else:
                text = (f"Both types build up and the target still resists; "
                        f"P(war) = {_f(war)}.")
        else:
            text = (f"The equilibrium is of an unusual kind ({kind.replace('_', ' ')}); "
                    f"P(war) = {_f(war)}.")
        text += cs.selection_note(d["n_pbe"], "the challenger")
        if violated:
            text += (" Note: with these values the resolved type would not fight, or the "
                     "irresolute one would, even without a build-up, so the build-up "
                     "signals little about resolve.")
        return text

    def leaf(self, v: Mapping[str, Any], t: int, j: int, r: int) -> Node:
        """A conceded demand ends the game; a resisted challenger fights or backs down."""
        pay = mb.outcome_payoffs(v["p"], v["k"], v["m"], v["s_A"], v["a_A"],
                                 v["v_res_A"] if t == 0 else v["v_irr_A"], v["c_A"], v["c_B"],
                                 build_up=j == 0)
        if r == 0:
            return Terminal(pay["concede"], self.outcomes[1 - j])
        return Decision(0, (
            ("Fight", Terminal(pay["war"], "War")),
            ("Back down", Terminal(pay["back_down"], "Challenger backs down")),
        ), infoset=f"{TYPES[t]}, resisted after {MESSAGES[j].lower()}")

    def follow_ups(self, strategies: Mapping[str, Mapping[str, float]]
                   ) -> dict[str, dict[str, float]]:
        return {f"{t}, resisted after {j.lower()}":
                dict(strategies[f"Challenger, {t.lower()}, resisted after {j.lower()}"])
                for t in TYPES for j in MESSAGES}


MODELS = (MobilisationSignalling(),)
