"""Compellence threat game with private information about Russia's resolve (PBE).

Game (models.md §2c; Fearon 1994, *APSR* 88(3); Schultz 2001, ch. 3; Kydd
2015, ch. 8): nature makes Russia resolved (war cost ``c_res``) with prior
``pi`` or irresolute (``c_irr``); Russia knows its type, the West sees only
whether a demand ``x`` is made. Then the threat game of §2a is played.

With ``x > q``, ``a_R > 0``, ``1 - p - c_W < 1 - x < 1 - q + b_W`` and one
type on each side of the credibility line ``p - c = q - a_R``:

* the West's indifference belief ``mu* = (x - q + b_W)/(p + c_W - q + b_W)``;
* the resistance that leaves a bluffer indifferent ``rho* = (x - q)/(x - q + a_R)``;
* ``pi > mu*``: pooling (both demand, the West concedes);
* ``pi < mu*``: semi-separating (the irresolute type bluffs with
  ``beta* = pi (1 - mu*)/((1 - pi) mu*)``, the West resists with ``rho*``,
  ``P(war) = pi rho*``);
* ``pi = mu*``: a continuum; the boundary flag is set.

Outside these assumptions the West's reply does not depend on its belief
(or the demand gains Russia nothing, or the West would fight the resolved
type rather than concede), and :func:`sim.kernels.threat_game.incomplete_info`
solves the game directly; the regime names which case applied. When the
resolved type's war payoff is at most ``q`` a second, "nobody demands"
PBE exists; it fails D1 and is flagged (``no_threat_pbe_also_exists``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from sim.kernels import threat_game as tg
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec

__all__ = ["ThreatGameIncompleteInfo", "signalling_tree", "ii_outcome", "ii_batch", "explain_ii",
           "type_note", "MODELS"]

_OUTCOMES = ("Status quo", "Concession", "War", "Back down")


def _f(v: float) -> str:
    return f"{v:.2f}"


def signalling_tree(
    prior: float,
    payoffs_res: dict[str, tuple[float, float]],
    payoffs_irr: dict[str, tuple[float, float]],
    labels: tuple[str, str, str, str],
    type_labels: tuple[str, str] = ("Resolved", "Irresolute"),
    actions: tuple[str, str, str, str, str] = ("Demand", "Concede", "Resist", "Execute",
                                               "Back down"),
) -> Chance:
    """Threat-game tree with a chance move over the threatener's type.

    The target (player 1) cannot tell the two types' demands apart (one
    information set ``"target"``); each type's later move is its own.
    """
    demand, give, resist, execute, back = actions

    def branch(tag: str, pay: dict[str, tuple[float, float]]) -> Decision:
        return Decision(0, (
            ("Status quo", Terminal(pay["sq"], labels[0])),
            (demand, Decision(1, (
                (give, Terminal(pay["give"], labels[1])),
                (resist, Decision(0, (
                    (execute, Terminal(pay["execute"], labels[2])),
                    (back, Terminal(pay["back_down"], labels[3])),
                ), infoset=f"{tag}: after resistance")),
            ), infoset="target")),
        ), infoset=f"{tag}: start")

    return Chance((
        (type_labels[0], prior, branch(type_labels[0], payoffs_res)),
        (type_labels[1], 1.0 - prior, branch(type_labels[1], payoffs_irr)),
    ))


def ii_outcome(model: Model, p: dict[str, Any], r: dict[str, Any], labels: tuple[str, ...],
               roles: tuple[str, str], type_names: tuple[str, str],
               actions: tuple[str, str, str, str], explanation: str,
               assumption_violated: bool) -> Outcome:
    """Assemble the :class:`Outcome` of a one-sided incomplete-information threat game."""
    probs = {
        labels[0]: float(r["P_sq"]),
        labels[1]: float(r["P_give"]),
        labels[2]: float(r["P_execute"]),
        labels[3]: float(r["P_back_down"]),
    }
    code = int(r["regime"])
    mu = float(r["mu"])
    demand, give, resist, execute = actions
    threatener, target = roles
    res, irr = type_names

    def num(v: Any) -> float | None:
        v = float(v)
        return None if math.isnan(v) else v

    details = {
        "mu_star": num(r["mu_star"]),
        "rho_star": num(r["rho_star"]),
        "beta_star": num(r["beta_star"]),
        "beta": float(r["beta_irr"]),
        "beta_resolved": float(r["beta_res"]),
        "rho": float(r["rho"]),
        "posterior": num(mu),
        "eu_resolved": float(r["eu_res"]),
        "eu_irresolute": float(r["eu_irr"]),
        "no_threat_pbe_also_exists": bool(r["no_threat_also"]),
        "resolved_executes": bool(r["executes_res"]),
        "irresolute_executes": bool(r["executes_irr"]),
    }
    strategies = {
        f"{threatener}, {res}": {demand: float(r["beta_res"]),
                                 "Status quo": 1 - float(r["beta_res"])},
        f"{threatener}, {irr}": {demand: float(r["beta_irr"]),
                                 "Status quo": 1 - float(r["beta_irr"])},
        f"{target} (after {demand.lower()})": {give: 1 - float(r["rho"]),
                                               resist: float(r["rho"])},
        f"{threatener}, {res} (after resistance)": {
            execute: float(r["executes_res"]), "Back down": 1 - float(r["executes_res"])},
        f"{threatener}, {irr} (after resistance)": {
            execute: float(r["executes_irr"]), "Back down": 1 - float(r["executes_irr"])},
    }
    return Outcome(
        model=model.name,
        params=p,
        outcome=max(labels, key=lambda k: probs[k]),
        regime=tg.II_REGIMES[code],
        probabilities=probs,
        p_war=probs[labels[2]],
        payoffs={threatener: float(r["eu_C"]), target: float(r["eu_T"])},
        strategies=strategies,
        beliefs={} if math.isnan(mu) else {f"P({res.lower()} | {demand.lower()})": mu},
        flags=Flags(boundary=bool(r["boundary"]), multiple_equilibria=bool(r["multiple"]),
                    assumption_violated=assumption_violated),
        explanation=explanation,
        details=details,
        method=("closed form (PBE, D1 selection)" if bool(r["signalling"])
                else "closed form (belief-free best replies)"),
    )


def ii_batch(model: Model, batch: dict[str, Any], r: dict[str, np.ndarray],
             roles: tuple[str, str], violated: np.ndarray) -> BatchOutcome:
    """Assemble the :class:`BatchOutcome` of a one-sided incomplete-information threat game."""
    probs = np.stack([r["P_sq"], r["P_give"], r["P_execute"], r["P_back_down"]], axis=1)
    return BatchOutcome(
        model=model.name,
        params={k: v for k, v in batch.items() if isinstance(v, np.ndarray)},
        regimes=model.regimes,
        regime=r["regime"],
        outcomes=model.outcomes,
        probabilities=probs,
        p_war=r["P_execute"],
        payoffs={roles[0]: r["eu_C"], roles[1]: r["eu_T"]},
        boundary=r["boundary"],
        multiple_equilibria=r["multiple"],
        assumption_violated=violated,
        details={k: r[k] for k in ("mu_star", "rho_star", "beta_irr", "rho", "mu",
                                   "eu_res", "eu_irr", "no_threat_also")},
    )


def _the(role: str) -> str:
    return role if role == "Russia" else f"the {role}"


def explain_ii(r: dict[str, Any], prior: float, roles: tuple[str, str],
               lever: str, lever_name: str,
               words: tuple[str, ...] = ("demand", "give in", "gives in", "resist",
                                         "resists")) -> str:
    """Plain-English account of a one-sided incomplete-information threat game.

    ``lever`` names the threatener's cost of backing down (``a_R``), which
    lowers ``rho*`` but not ``beta*``; ``words`` are the nouns and verbs for
    the threat, giving in and resisting (base and third-person forms).
    """
    C, T = _the(roles[0]), _the(roles[1])
    Tc = T[0].upper() + T[1:]
    demand, give, gives, resist, resists = words
    code = int(r["regime"])
    # The closed form is stated for the type that would carry out the threat;
    # when the parameters swap the types, its prior is 1 - pi.
    prior = float(r["prior_hi"])
    mu_s, rho_s = float(r["mu_star"]), float(r["rho_star"])
    war = float(r["P_execute"])
    if code == tg.SEMI:
        return (
            f"{Tc}'s prior that {C} is resolved, π = {_f(prior)}, is {_f(mu_s - prior)} "
            f"below μ* = {_f(mu_s)}, the belief at which it is indifferent between giving in "
            f"and resisting, so it will not simply {give}. The irresolute type bluffs with "
            f"probability β* = {_f(float(r['beta_bluff']))}, which lifts {T}'s posterior "
            f"after a {demand} to μ*; {T} {resists} with probability ρ* = {_f(rho_s)}, which "
            f"leaves the bluffer no better off than the status quo. The probability that the "
            f"threat is carried out is πρ* = {_f(war)}. A higher {lever_name} ({lever}) lowers "
            f"ρ* and so this probability, without changing β*; π would have to rise by "
            f"{_f(mu_s - prior)} for both types to make the {demand} and {T} to {give}."
            + (" A second equilibrium in which nobody threatens also exists (it fails D1)."
               if bool(r["no_threat_also"]) else "")
        )
    if code in (tg.POOLING, tg.BOUNDARY) and bool(r["signalling"]):
        head = (f"{Tc}'s prior that {C} is resolved, π = {_f(prior)}, "
                + (f"exceeds μ* = {_f(mu_s)} by {_f(prior - mu_s)}"
                   if code == tg.POOLING else f"equals μ* = {_f(mu_s)}")
                + f", so both types make the {demand} and {T} {gives}; the threat is never "
                  f"carried out.")
        if code == tg.BOUNDARY:
            head += (" At π = μ* a continuum of equilibria exists; the tie rule (give in when "
                     "indifferent) picks this one.")
        else:
            head += (f" If π fell by {_f(prior - mu_s)}, the irresolute type would be "
                     f"bluffing and {T} would {resist} with probability ρ* = {_f(rho_s)}.")
        return head
    if code == tg.ALWAYS_CONCEDE:
        return (f"{Tc} {gives} whatever it believes (giving in beats resisting against "
                f"either type), so both types make the {demand}; the threat is never carried "
                f"out.")
    if code == tg.ALWAYS_RESIST:
        return (f"{Tc} {resists} whatever it believes: resisting beats giving in against "
                f"either type. Only a type that would carry out the threat and prefers that "
                f"to the status quo makes the {demand}, so the threat is carried out with "
                f"probability {_f(war)}.")
    if code == tg.SEPARATING:
        if float(r["gain"]) > 0:
            why = (f"its prior π = {_f(prior)} exceeds the belief {_f(float(r['mu_switch']))} "
                   f"above which it would rather fight than {give}, so it {resists} any {demand}")
        else:
            why = f"the {demand} gains nothing even if {T} {gives}"
        return (f"{Tc} would rather fight a resolved {C} than {give}, and {why}. The "
                f"irresolute type stays put; only a resolved type that prefers war to the "
                f"status quo makes the {demand}, so the threat is carried out with "
                f"probability {_f(war)}.")
    if code == tg.POOLING:
        return (f"Both types make the {demand} and {T}, whose prior π = {_f(prior)} is low "
                f"enough, {gives}; a separating equilibrium in which only the resolved type "
                f"makes it also exists.")
    return (f"The {demand} gains {C} nothing over the status quo even if {T} {gives}, so no "
            f"type makes it.")


def type_note(r: dict[str, Any], res: str, irr: str, who: str) -> str:
    """Why the 'resolved'/'irresolute' labels do not fit these parameters."""
    ex_res, ex_irr = bool(r["executes_res"]), bool(r["executes_irr"])
    if ex_irr and not ex_res:
        return (f"Note: the parameters swap the types ({irr} makes {who} carry out the threat, "
                f"{res} does not), so the figures above refer to the type that would carry it "
                f"out, whose prior is 1 − π.")
    both = "carry out the threat" if ex_res else "back down"
    return (f"Note: with these costs both types would {both}, so the threat signals nothing "
            f"about resolve.")


class ThreatGameIncompleteInfo(Model):
    """Russia's threat when the West is unsure whether Russia is resolved."""

    name = "threat_game_incomplete_info"
    family = "compellence"
    title = "Compellence threat game with bluffing (incomplete information)"
    citation = ("Fearon (1994), APSR 88(3): 577-592; Schultz (2001), ch. 3; Kydd (2015), "
                "ch. 8; models.md §2c")
    description = (
        "The West does not know whether Russia is resolved (prepared to invade if resisted) "
        "or irresolute (would back down, paying audience cost a_R). π is the West's belief "
        "that Putin would really invade; US intelligence disclosures pushed it towards 0.8. "
        "When π is below the threshold μ*, the irresolute type bluffs and the West resists "
        "with probability ρ*, so war happens with probability πρ*; audience costs lower ρ*. "
        "With the 2022 teaching values the maximal demand x = 0.9 exceeds p + c_W, so the "
        "West resists whatever it believes and war comes whenever Russia is resolved. This "
        "one-shot game is the standard reduced form (Schultz 2001; Kydd 2015) of Fearon's "
        "continuous-time war of attrition."
    )
    players = ("Russia", "West")
    outcomes = _OUTCOMES
    regimes = tg.II_REGIMES
    params = (
        ParamSpec("q", 0.2, meaning="status quo share of Russia's demands", symbol="q"),
        ParamSpec("x", 0.9, meaning="Russia's demand (share of its package)", symbol="x"),
        ParamSpec("p", 0.65, unit="probability",
                  meaning="probability that Russia imposes its terms by war", symbol="p"),
        ParamSpec("c_W", 0.10, meaning="the West's cost of the war in Ukraine", symbol="c_W"),
        ParamSpec("a_R", 0.1, hi=1.0, meaning="Russia's audience cost of backing down",
                  symbol="a_R"),
        ParamSpec("b_W", 0.0, hi=1.0, meaning="the West's reputational gain if Russia backs down",
                  symbol="b_W"),
        ParamSpec("c_res", 0.15, hi=2.0, meaning="war cost of a resolved Russia", symbol="c_res"),
        ParamSpec("c_irr", 0.6, hi=2.0, meaning="war cost of an irresolute Russia", symbol="c_irr"),
        ParamSpec("pi", 0.5, unit="probability",
                  meaning="the West's prior that Russia is resolved", symbol="π"),
    )

    @staticmethod
    def _core(b: dict[str, Any]) -> dict[str, np.ndarray]:
        q, x, p, c_W, a, bw, c_res, c_irr, pi = (
            np.asarray(b[k], dtype=float)
            for k in ("q", "x", "p", "c_W", "a_R", "b_W", "c_res", "c_irr", "pi"))
        return tg.incomplete_info(q, x, q - a, p - c_res, p - c_irr, pi,
                                  1 - q, 1 - x, 1 - p - c_W, 1 - q + bw)

    @staticmethod
    def _violated(r: dict[str, np.ndarray]) -> np.ndarray:
        # The setup needs a resolved type that fights and an irresolute one that does not.
        return ~np.asarray(r["executes_res"]) | np.asarray(r["executes_irr"])

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = {k: np.atleast_1d(v)[0] for k, v in self._core(p).items()}
        text = explain_ii(r, p["pi"], self.players, "a_R", "audience cost")
        violated = bool(self._violated(r))
        if violated:
            text += " " + type_note(r, "c_res", "c_irr", "Russia")
        return ii_outcome(self, p, r, self.outcomes, self.players, ("resolved", "irresolute"),
                          ("Demand", "Concede", "Resist", "Execute"), text, violated)

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        return ii_batch(self, batch, r, self.players, self._violated(r))

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The signalling tree: chance over Russia's type, one West information set."""
        v = self.validate(params)
        q, x, p = v["q"], v["x"], v["p"]

        def pay(c: float) -> dict[str, tuple[float, float]]:
            return {"sq": (q, 1 - q), "give": (x, 1 - x),
                    "execute": (p - c, 1 - p - v["c_W"]),
                    "back_down": (q - v["a_R"], 1 - q + v["b_W"])}

        tree = signalling_tree(v["pi"], pay(v["c_res"]), pay(v["c_irr"]), self.outcomes)
        return ExtensiveFormGame(tree, self.players, title=self.title)


MODELS = (ThreatGameIncompleteInfo(),)
