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

from sim.games.extensive_form import Decision, ExtensiveFormGame, Node, Terminal
from sim.kernels import mobilisation as mb
from sim.kernels import signalling_pbe as sp
from sim.modelkit.vocabulary import prior, win_probability
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome, ParamSpec

__all__ = ["MobilisationSignalling", "MODELS", "TYPES", "MESSAGES", "REPLIES"]

TYPES = ("Resolved", "Irresolute")
MESSAGES = ("Build up", "No build-up")
REPLIES = ("Concede", "Resist")
_ARGS = ("p", "k", "m", "s_A", "a_A", "v_res_A", "v_irr_A", "c_A", "c_B", "pi")


def _f(v: float) -> str:
    return f"{v + 0.0:.2f}"  # + 0.0 turns -0.0 into 0.0


def _g(v: float) -> str:
    """A build-up size, to three decimals (thresholds such as 0.375 are common)."""
    return f"{round(v, 9) + 0.0:.3f}"


def _num(v: Any) -> float | None:
    v = float(v)
    return None if not math.isfinite(v) else v


class MobilisationSignalling(Model):
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
    roles = {"challenger": "Challenger", "target": "Target"}
    players = tuple(roles.values())
    outcomes = mb.OUTCOMES
    regimes = mb.REGIMES
    params = (
        win_probability("the challenger", 0.5,
                        meaning="probability that the challenger wins a war without a build-up"),
        ParamSpec(name="k", default=0.4, unit="share of the remaining chance",
                  meaning="how far a full build-up closes the challenger's gap to certain "
                          "victory: p_m = p + k m (1 - p)", symbol="k"),
        ParamSpec(name="m", default=0.5, unit="share of a full build-up",
                  meaning="size of the build-up (0 none, 1 full mobilisation)", symbol="m"),
        ParamSpec(name="s_A", default=0.8, hi=2.0, unit="value of the stakes",
                  meaning="sunk cost of a full build-up, paid whatever happens", symbol="s_A"),
        ParamSpec(name="a_A", default=0.1, hi=2.0, unit="value of the stakes",
                  meaning="cost of backing down after a full build-up (tied hands)",
                  symbol="a_A"),
        ParamSpec(name="v_res_A", default=1.0, lo=0.01, hi=2.0, unit="value of the stakes",
                  meaning="value of the stakes to a resolved challenger", symbol="v_res"),
        ParamSpec(name="v_irr_A", default=0.3, lo=0.0, hi=2.0, unit="value of the stakes",
                  meaning="value of the stakes to an irresolute challenger (at most v_res)",
                  symbol="v_irr"),
        ParamSpec(name="c_A", default=0.2, hi=1.0, unit="value of the stakes",
                  meaning="the challenger's cost of war", symbol="c_A"),
        ParamSpec(name="c_B", default=0.6, hi=1.0, unit="share of the stakes",
                  meaning="the target's cost of war (the stakes are worth 1 to it)",
                  symbol="c_B"),
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
    def _violated(r: Mapping[str, np.ndarray]) -> np.ndarray:
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
        violated = bool(self._violated(full)[0])
        strategies: dict[str, dict[str, float]] = {}
        for t in range(2):
            strategies[f"Challenger, {TYPES[t].lower()}"] = {
                MESSAGES[0]: float(sigma[t]), MESSAGES[1]: 1 - float(sigma[t])}
        for j in range(2):
            strategies[f"Target, after {MESSAGES[j].lower()}"] = {
                REPLIES[0]: float(rho[j]), REPLIES[1]: 1 - float(rho[j])}
        for t in range(2):
            for j in range(2):
                strategies[f"Challenger, {TYPES[t].lower()}, resisted after "
                           f"{MESSAGES[j].lower()}"] = {
                    "Fight": float(fights[t, j]), "Back down": 1 - float(fights[t, j])}
        beliefs = {f"P(resolved | {MESSAGES[j].lower()})": float(mu[j])
                   for j in range(2) if math.isfinite(float(mu[j]))}
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
            "n_pbe": int(r["n_pbe"]),
            "pbe_kinds": [sp.KINDS[i] for i in range(8) if bool(full["valid"][i, 0])],
        }
        text = self._explain(p, details, fights, probs, violated)
        return Outcome(
            model=self.name, params=p,
            outcome=max(self.outcomes, key=lambda k: probs[k]),
            regime=self.regimes[int(r["regime"])],
            probabilities=probs, p_war=float(r["p_war"]),
            payoffs={"Challenger": float(r["eu_A"]), "Target": float(r["eu_B"])},
            strategies=strategies, beliefs=beliefs,
            flags=Flags(boundary=bool(r["boundary"]), multiple_equilibria=bool(r["multiple"]),
                        assumption_violated=violated),
            explanation=text, details=details,
            method="closed form (PBE enumeration, D1, sender-preferred)",
        )

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
            text = (f"Only a resolved challenger builds up. The build-up m = {_f(m)} is at "
                    f"least m_sep = {_g(m_sep or 0.0)}: its sunk cost s_A·m = {_f(s * m)} "
                    f"exceeds what an irresolute challenger would gain from a concession "
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
                text = (f"Nobody builds up and the target concedes: its prior π = {_f(pi)} is "
                        f"at least μ* = {_f(d['mu_star_none'] or 0.0)}, the belief at which "
                        f"it would rather concede than fight, so a costly signal would buy "
                        f"nothing.")
            elif m <= 0:
                text = (f"Nobody builds up and the target resists: a build-up of size 0 "
                        f"costs nothing and changes nothing, so it cannot signal; in "
                        f"general, {window}. P(war) = {_f(war)}.")
            elif m_max is not None and m > m_max:
                text = (f"Nobody builds up and the target resists: the build-up m = {_f(m)} "
                        f"is larger than m_max = {_g(m_max)}, the largest a resolved "
                        f"challenger would pay for (its sunk cost exceeds what a concession "
                        f"adds to fighting). P(war) = {_f(war)}.")
            elif d["mu_star_build_up"] is None:
                text = (f"Nobody builds up and the target resists: even after the build-up "
                        f"(p_m = {_f(d['p_m'])}) the target would rather fight a resolved "
                        f"challenger than concede, since p_m + c_B = "
                        f"{_f(d['p_m'] + p['c_B'])} is below 1. P(war) = {_f(war)}.")
            else:
                text = (f"Nobody builds up and the target resists: at m = {_f(m)}, "
                        f"{window}, and no build-up that a resolved challenger would pay "
                        f"for makes the target concede. P(war) = {_f(war)}.")
        elif kind == "pooling_m0":
            if d["rho_build_up"] >= 1:
                text = (f"Both types build up and the target concedes: the build-up lifts "
                        f"the challenger's chance of winning to p_m = {_f(d['p_m'])}, and "
                        f"the target's prior π = {_f(pi)} meets the concession belief "
                        f"μ* = {_f(d['mu_star_build_up'] or 0.0)} or both types would fight "
                        f"(the balance effect, not the signal, coerces).")
            else:
                text = (f"Both types build up and the target still resists; "
                        f"P(war) = {_f(war)}.")
        else:
            text = (f"The equilibrium is of an unusual kind ({kind.replace('_', ' ')}); "
                    f"P(war) = {_f(war)}.")
        if d["n_pbe"] > 1:
            text += (f" {d['n_pbe']} equilibria exist; the one reported survives D1 and "
                     f"is the challenger's best among those that do.")
        if violated:
            text += (" Note: with these values the resolved type would not fight, or the "
                     "irresolute one would, even without a build-up, so the build-up "
                     "signals little about resolve.")
        return text

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        return self.batch_outcome(
            batch, regime=r["regime"], probabilities=r["probs"], p_war=r["p_war"],
            payoffs={"Challenger": r["eu_A"], "Target": r["eu_B"]},
            boundary=r["boundary"], multiple_equilibria=r["multiple"],
            assumption_violated=self._violated(r),
            details={"m_sep": r["m_sep"], "p_build_up": r["p_build_up"],
                     "p_concede_resolved": r["p_concede_resolved"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """Chance over the type, the build-up decision, the target's reply, then fight or not."""
        v = self.validate(params)
        val = (v["v_res_A"], v["v_irr_A"])

        def leaf(t: int, j: int, r: int) -> Node:
            pay = mb.outcome_payoffs(v["p"], v["k"], v["m"], v["s_A"], v["a_A"], val[t],
                                     v["c_A"], v["c_B"], build_up=j == 0)
            if r == 0:
                return Terminal(pay["concede"], self.outcomes[1 - j])
            return Decision(0, (
                ("Fight", Terminal(pay["war"], "War")),
                ("Back down", Terminal(pay["back_down"], "Challenger backs down")),
            ), infoset=f"{TYPES[t]}, resisted after {MESSAGES[j].lower()}")

        tree = sp.signalling_tree(v["pi"], TYPES, MESSAGES, REPLIES, leaf)
        return ExtensiveFormGame(tree, self.players, title=self.title)

    def tree_behaviour(self, out: Outcome) -> dict[str, dict[str, float]]:
        """The outcome's strategies keyed by the information sets of :meth:`game`."""
        s = out.strategies
        beh: dict[str, dict[str, float]] = {}
        for t in TYPES:
            beh[t] = dict(s[f"Challenger, {t.lower()}"])
            for j in MESSAGES:
                beh[f"{t}, resisted after {j.lower()}"] = dict(
                    s[f"Challenger, {t.lower()}, resisted after {j.lower()}"])
        for j in MESSAGES:
            beh[f"after {j}"] = dict(s[f"Target, after {j.lower()}"])
        return beh

    def engine_check(self, params: Mapping[str, Any] | None = None) -> bool:
        """Whether the generic engine finds the reported profile sequentially rational."""
        from sim.solvers.sequential import check_sequential_rationality

        out = self.solve(params)
        return check_sequential_rationality(self.game(params), self.tree_behaviour(out)).rational


MODELS = (MobilisationSignalling(),)
