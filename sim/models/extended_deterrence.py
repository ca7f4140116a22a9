"""Extended deterrence: a challenger, a client and a patron whose commitment is probabilistic.

Game (Fearon 1997, *J. Conflict Resolution* 41(1); Crawford 2003, *Pivotal
Deterrence*, ch. 2; Benson 2012, *Constructing International Security*,
ch. 2-3 on probabilistic and deterministic commitments): the challenger
demands ``x`` of the client (status quo ``q``); the client concedes or
resists; a resisted challenger attacks or backs down (audience cost
``a_C``); after an attack the patron's commitment binds with probability
``kappa``, and otherwise the patron intervenes iff its stake in the client's
share beats its cost, ``v_P (p - p_J) + a_P > c_P`` (``a_P`` is the cost of
abandoning a client it has committed to: tying hands, Fearon 1997).

With ``phi = kappa + (1 - kappa)[v_P (p - p_J) + a_P > c_P]`` the probability
that the patron fights, the subgame-perfect equilibrium is

* the client resists iff ``phi > phi_K = (p + c_K - x)/(p - p_J)`` (given an attack);
* the challenger attacks iff ``(1 - phi)(p - c_C) + phi (p_J - c_C - e_C) > q - a_C``;
* a resisted demand pays iff ``phi < phi_C = (p - c_C - q)/(p - p_J + e_C)``;
* war iff the client resists and the challenger is neither deterred nor
  bluffing: ``phi_K < phi < phi_C`` in the standard case; then
  ``P(war) = 1`` and ``P(client fights alone) = 1 - phi``.

A commitment between ``phi_K`` and ``phi_C`` emboldens the client without
deterring the challenger, so P(war) is not monotone in the commitment
(Crawford 2003; Benson 2012). The equations live in
:mod:`sim.kernels.extended_deterrence`; the specification is
``docs/models/extended_deterrence.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from sim.kernels import extended_deterrence as ed
from sim.modelkit.text import gap
from sim.modelkit.vocabulary import demand, status_quo, win_probability
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec, first_point

__all__ = ["ExtendedDeterrence", "STRATEGY_NODES", "MODELS"]

_OUTCOMES = ("Status quo", "Concession", "Challenger backs down", "Client fights alone",
             "War with the patron")
_PLAYERS = ("Challenger", "Client", "Patron")
_KEYS = ("q", "x", "p", "p_J", "c_C", "e_C", "a_C", "c_K", "v_P", "c_P", "a_P", "kappa")

#: Information-set keys of the game tree, in the order of the moves.
STRATEGY_NODES: tuple[str, str, str, str] = (
    "Challenger: demand?", "Client: after the demand", "Challenger: after resistance",
    "Patron: if free to choose")


def _f(v: float) -> str:
    return f"{v:.2f}"


def _num(v: Any) -> float | None:
    v = float(v)
    return None if math.isnan(v) else v


class ExtendedDeterrence(Model):
    """A patron deters a challenger on behalf of a client that may resist alone."""

    name = "extended_deterrence"
    family = "extended_deterrence"
    title = "Extended deterrence: a patron's uncertain commitment to its client"
    citation = ("Fearon (1997), J. Conflict Resolution 41(1): 68-90; Crawford (2003), Pivotal "
                "Deterrence, ch. 2; Benson (2012), Constructing International Security, ch. 2-3")
    description = (
        "A challenger makes a demand on a client, which a patron may defend. The client "
        "concedes or resists; a resisted challenger attacks or backs down; after an attack "
        "the patron's commitment binds with probability κ (a tripwire, a treaty that leaves "
        "no choice), and otherwise the patron fights only if its stake in the client exceeds "
        "its cost. The patron fights with probability φ. A firmer commitment deters the "
        "challenger but also emboldens the client: between the level φ_K at which the client "
        "starts to resist and the level φ_C that deters the challenger, a probabilistic "
        "commitment leads to war, which the client fights alone with probability 1 − φ."
    )
    roles = dict(zip(("challenger", "client", "patron"), _PLAYERS, strict=True))
    players = _PLAYERS
    outcomes = _OUTCOMES
    regimes = ed.REGIMES
    params = (
        status_quo("the challenger", 0.2,
                   meaning="status quo: the challenger's share of the disputed stakes"),
        demand("the challenger", 0.6,
               meaning="the challenger's demand (its share if the client concedes)"),
        win_probability("the challenger", 0.65,
                        meaning="probability that the challenger wins a war against the "
                                "client alone"),
        win_probability("the challenger", 0.25, name="p_J",
                        meaning="probability that the challenger wins if the patron fights "
                                "beside the client"),
        ParamSpec(name="c_C", default=0.15, meaning="the challenger's cost of war against the "
                  "client", symbol="c_C"),
        ParamSpec(name="e_C", default=0.2, meaning="the challenger's extra cost of war if the "
                  "patron fights too", symbol="e_C"),
        ParamSpec(name="a_C", default=0.1, meaning="the challenger's cost of backing down after "
                  "a resisted demand", symbol="a_C"),
        ParamSpec(name="c_K", default=0.1, meaning="the client's cost of war (lower: a more "
                  "resolved client)", symbol="c_K"),
        ParamSpec(name="v_P", default=0.3, unit="weight",
                  meaning="the patron's stake: the weight it gives the client's share",
                  symbol="v_P"),
        ParamSpec(name="c_P", default=0.3, meaning="the patron's cost of intervening",
                  symbol="c_P"),
        ParamSpec(name="a_P", default=0.0, meaning="the patron's cost of abandoning a client "
                  "it has committed to (tied hands)", symbol="a_P"),
        ParamSpec(name="kappa", default=0.4, unit="probability",
                  meaning="probability that the patron's commitment binds and it fights "
                  "whatever it would choose", symbol="κ"),
    )

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        return ed.solve(*(np.asarray(b[k], dtype=float) for k in _KEYS))

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
        probs = dict(zip(self.outcomes, (float(r[k]) for k in (
            "P_sq", "P_concede", "P_back_down", "P_alone", "P_joint")), strict=True))
        demand, concede, attack, free = (bool(r[k]) for k in (
            "demands", "concedes", "attacks", "free_intervenes"))
        war = probs["Client fights alone"] + probs["War with the patron"] > 0
        strategies = {
            STRATEGY_NODES[0]: {"Demand": float(demand), "Status quo": float(not demand)},
            STRATEGY_NODES[1]: {"Concede": float(concede), "Resist": float(not concede)},
            STRATEGY_NODES[2]: {"Attack": float(attack), "Back down": float(not attack)},
            STRATEGY_NODES[3]: {"Intervene": float(free), "Stay out": float(not free)},
        }
        details = {
            "phi": float(r["phi"]),
            "phi_K": _num(r["phi_K"]),
            "phi_C": _num(r["phi_C"]),
            "kappa_K": _num(r["kappa_K"]),
            "kappa_C": _num(r["kappa_C"]),
            "p_client_alone": float(r["P_alone"]),
            "p_client_alone_given_war": (1.0 - float(r["phi"])) if war else None,
            "patron_margin": float(r["m_patron"]),
            "credibility_margin": float(r["m_credible"]),
            "concession_margin": float(r["m_concede"]),
            "demand_margin": float(r["m_demand"]),
        }
        return Outcome(
            model=self.name,
            params=p,
            outcome=max(self.outcomes, key=lambda k: probs[k]),
            regime=self.regimes[int(r["regime"])],
            probabilities=probs,
            p_war=probs["Client fights alone"] + probs["War with the patron"],
            payoffs={"Challenger": float(r["u_C"]), "Client": float(r["u_K"]),
                     "Patron": float(r["u_P"])},
            strategies=strategies,
            beliefs={},
            flags=Flags(boundary=bool(r["boundary"]), multiple_equilibria=False,
                        assumption_violated=bool(r["violated"])),
            explanation=explain(p, r),
            details=details,
            method="closed form (backward induction)",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        probs = np.stack([r[k] for k in ("P_sq", "P_concede", "P_back_down", "P_alone",
                                         "P_joint")], axis=1)
        return self.batch_outcome(
            batch, regime=r["regime"], probabilities=probs, p_war=r["P_alone"] + r["P_joint"],
            payoffs={"Challenger": r["u_C"], "Client": r["u_K"], "Patron": r["u_P"]},
            boundary=r["boundary"], assumption_violated=r["violated"],
            details={k: r[k] for k in ("phi", "phi_K", "phi_C", "kappa_K", "kappa_C",
                                       "P_alone")},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The tree: demand, concession, attack, then chance (commitment binds) and the patron."""
        v = self.validate(params)
        q, x, p, p_J = v["q"], v["x"], v["p"], v["p_J"]
        sq = (q, 1 - q, v["v_P"] * (1 - q))
        joint = Terminal((p_J - v["c_C"] - v["e_C"], 1 - p_J - v["c_K"],
                          v["v_P"] * (1 - p_J) - v["c_P"]), "War with the patron")
        alone = Terminal((p - v["c_C"], 1 - p - v["c_K"], v["v_P"] * (1 - p) - v["a_P"]),
                         "Client fights alone")
        patron = Decision(2, (("Intervene", joint), ("Stay out", alone)),
                          infoset=STRATEGY_NODES[3])
        after_attack = Chance((("Commitment binds", v["kappa"], joint),
                               ("Patron free to choose", 1 - v["kappa"], patron)))
        challenger_2 = Decision(0, (("Attack", after_attack),
                                    ("Back down", Terminal((q - v["a_C"], *sq[1:]),
                                                           "Challenger backs down"))),
                                infoset=STRATEGY_NODES[2])
        client = Decision(1, (("Concede", Terminal((x, 1 - x, v["v_P"] * (1 - x)), "Concession")),
                              ("Resist", challenger_2)), infoset=STRATEGY_NODES[1])
        root = Decision(0, (("Status quo", Terminal(sq, "Status quo")), ("Demand", client)),
                        infoset=STRATEGY_NODES[0])
        return ExtensiveFormGame(root, self.players, title=self.title)

    def engine_check(self, params: Mapping[str, Any] | None = None) -> bool:
        """Whether backward induction on the tree (:func:`spe_solve`) makes the same choices."""
        from sim.solvers.spe import spe_solve

        out = self.solve(params)
        escalatory = {"Demand", "Resist", "Attack", "Intervene"}

        def tie(key: str, tied: Any) -> str:
            calm = [a for a in tied if a not in escalatory]
            return calm[0] if calm else tied[0]

        behaviour = spe_solve(self.game(params), preferred_on_tie=tie).equilibria[0].behavior
        return all(abs(float(behaviour[node][a]) - prob) <= 1e-12
                   for node, probs in out.strategies.items() for a, prob in probs.items())


def explain(p: Mapping[str, Any], r: Mapping[str, Any]) -> str:
    """Plain-English account of the equilibrium: the binding threshold and the distance to it."""
    code = int(r["regime"])
    phi, kappa = float(r["phi"]), float(p["kappa"])
    phi_K, phi_C = _num(r["phi_K"]), _num(r["phi_C"])
    stake = p["v_P"] * (p["p"] - p["p_J"]) + p["a_P"]
    if bool(r["free_intervenes"]):
        patron = (f"Left free to choose, Patron would fight anyway (its stake and tied "
                  f"hands, {_f(stake)}, exceed its cost of intervening (c_P) = {_f(p['c_P'])}), so "
                  f"the probability that Patron fights (φ) is 1 and the probability that its "
                  f"commitment binds (κ) adds nothing.")
    else:
        patron = (f"Left free to choose, Patron would stay out (its stake and tied hands, "
                  f"{_f(stake)}, do not exceed its cost of intervening (c_P) = {_f(p['c_P'])}), so "
                  f"it fights only when its commitment binds: the probability that Patron "
                  f"fights (φ) equals the probability that its commitment binds (κ), "
                  f"{_f(kappa)}.")
    kK, kC = _num(r["kappa_K"]), _num(r["kappa_C"])
    text = [patron]
    if code in (ed.WAR_ALONE, ed.WAR_MAYBE, ed.WAR_JOINT):
        alone = float(r["P_alone"])
        line = (f"Client resists, because φ = {_f(phi)} "
                + (f"exceeds φ_K = {_f(phi_K)}, the level above which it prefers war to "
                   f"conceding x = {_f(p['x'])}" if phi_K is not None and phi_K >= 0 else
                   f"is enough: it prefers war to conceding x = {_f(p['x'])} even alone")
                + "; and Challenger attacks, because its expected war payoff, "
                f"{_f(float(r['m_credible']) + p['q'] - p['a_C'])}, beats the status quo "
                f"q = {_f(p['q'])}.")
        text.append(line)
        text.append(f"War follows with probability 1; Client fights alone with "
                    f"probability {_f(alone)}.")
        if kC is not None and phi_C is not None and kC > kappa:
            text.append(f"Raising the commitment κ by {gap(kC - kappa)} to φ_C = {_f(phi_C)} "
                        f"would deter Challenger.")
        if kK is not None and 0 <= kK < kappa:
            text.append(f"Lowering κ by {gap(kappa - kK)} to φ_K = {_f(kK)} would make "
                        f"Client concede instead: a half-hearted commitment emboldens "
                        f"Client without deterring Challenger.")
    elif code == ed.CONCEDES:
        text.append(f"Client concedes the demand x = {_f(p['x'])}: with φ = {_f(phi)} "
                    + (f"at most φ_K = {_f(phi_K)}, " if phi_K is not None else "")
                    + "war would be worse for it than giving in, and Challenger's threat "
                    "to attack is credible.")
        if kK is not None and kK >= kappa:
            text.append(f"Raising κ by more than {_f(kK - kappa)} would make Client resist.")
    elif code == ed.DETERRED:
        text.append(f"Challenger is deterred: with φ = {_f(phi)} "
                    + (f"at least φ_C = {_f(phi_C)}, " if phi_C is not None else "")
                    + f"its expected war payoff, "
                    f"{_f(float(r['m_credible']) + p['q'] - p['a_C'])}, does not beat the "
                    f"status quo q = {_f(p['q'])}, and Client would resist the demand.")
        if kC is not None and kC <= kappa:
            text.append(f"Lowering κ by more than {_f(kappa - kC)} would undo deterrence.")
    elif code == ed.NOT_CREDIBLE:
        text.append(f"The threat is not credible: after resistance Challenger would back "
                    f"down, since its expected war payoff "
                    f"{_f(float(r['m_credible']) + p['q'] - p['a_C'])} is no better than "
                    f"q − a_C = {_f(p['q'] - p['a_C'])}; Client would resist, so no demand "
                    f"is made.")
    else:
        text.append(f"Conceding the demand x = {_f(p['x'])} gains Challenger nothing over "
                    f"the status quo q = {_f(p['q'])}, so it keeps the status quo.")
    if bool(r["violated"]):
        text.append("Note: with p_J > p Patron's entry helps Challenger, which the model "
                    "does not intend.")
    return " ".join(text)


MODELS = (ExtendedDeterrence(),)
