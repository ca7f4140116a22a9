"""Outcomes of one-sided incomplete-information threat games.

The compellence game with a privately resolved challenger and the sanctions
game with a privately resolved sender are the same signalling game
(:func:`sim.kernels.threat_game.incomplete_info`); these functions turn its
solution into an :class:`~sim.models.base.Outcome` or
:class:`~sim.models.base.BatchOutcome` and explain it in words, with the
roles each model names. See ``docs/models/threat_game_incomplete_info.md``
and ``docs/models/sanctions_incomplete_info.md``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.kernels import threat_game as tg
from sim.modelkit.text import apart, gap
from sim.modelkit.text import f2 as _f
from sim.models.base import BatchOutcome, Flags, Model, Outcome

__all__ = ["ci_batch", "ii_outcome", "ii_batch", "explain_ii", "type_note"]



def ci_batch(model: Model, batch: dict[str, Any], r: dict[str, np.ndarray],
             details: dict[str, np.ndarray]) -> BatchOutcome:
    """The :class:`BatchOutcome` of a complete-information threat game.

    ``r`` is :func:`sim.kernels.threat_game.complete_info`; the threatener is
    the model's first role and the target its second.
    """
    code = r["outcome"]
    probs = (code[:, None] == np.arange(4)[None, :]).astype(float)
    threatener, target = model.players
    return model.batch_outcome(batch, regime=code, probabilities=probs,
                               p_war=probs[:, 2].copy(),
                               payoffs={threatener: r["payoff_C"], target: r["payoff_T"]},
                               boundary=r["boundary"], details=details)


def ii_outcome(model: Model, p: dict[str, Any], r: dict[str, Any], labels: tuple[str, ...],
               roles: tuple[str, ...], type_names: tuple[str, str],
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
             roles: tuple[str, ...], violated: np.ndarray) -> BatchOutcome:
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


def explain_ii(r: dict[str, Any], prior: float, roles: tuple[str, ...],
               lever: str, lever_name: str,
               words: tuple[str, ...] = ("demand", "give in", "gives in", "resist",
                                         "resists")) -> str:
    """Plain-English account of a one-sided incomplete-information threat game.

    ``lever`` names the threatener's cost of backing down (``a_A``), which
    lowers ``rho*`` but not ``beta*``; ``words`` are the nouns and verbs for
    the threat, giving in and resisting (base and third-person forms).
    """
    C, T = roles
    Tc = T
    demand, give, gives, resist, resists = words
    code = int(r["regime"])
    # The closed form is stated for the type that would carry out the threat;
    # when the parameters swap the types, its prior is 1 - pi.
    prior = float(r["prior_hi"])
    mu_s, rho_s = float(r["mu_star"]), float(r["rho_star"])
    war = float(r["P_execute"])
    if code == tg.SEMI:
        return (
            f"{Tc}'s prior that {C} is resolved, π = {apart(prior, mu_s)[0]}, is "
            f"{gap(mu_s - prior)} below μ* = {apart(prior, mu_s)[1]}, the belief at which it "
            f"is indifferent between giving in and resisting, so it will not simply {give}. "
            f"The irresolute type bluffs with "
            f"probability β* = {_f(float(r['beta_bluff']))}, which lifts {T}'s posterior "
            f"after a {demand} to μ*; {T} {resists} with probability ρ* = {_f(rho_s)}, which "
            f"leaves the bluffer no better off than the status quo. The probability that the "
            f"threat is carried out is πρ* = {_f(war)}. A higher {lever_name} ({lever}) lowers "
            f"ρ* and so this probability, without changing β*; π would have to rise by "
            f"{gap(mu_s - prior)} for both types to make the {demand} and {T} to {give}."
            + (" A second equilibrium in which nobody threatens also exists (it fails D1)."
               if bool(r["no_threat_also"]) else "")
        )
    if code in (tg.POOLING, tg.BOUNDARY) and bool(r["signalling"]):
        shown_prior, shown_mu = apart(prior, mu_s)
        head = (f"{Tc}'s prior that {C} is resolved, π = {shown_prior}, "
                + (f"exceeds μ* = {shown_mu} by {gap(prior - mu_s)}"
                   if code == tg.POOLING else f"equals μ* = {shown_mu}")
                + f", so both types make the {demand} and {T} {gives}; the threat is never "
                  f"carried out.")
        if code == tg.BOUNDARY:
            head += (" At π = μ* a continuum of equilibria exists; the tie rule (give in when "
                     "indifferent) picks this one.")
        else:
            head += (f" If π fell by {gap(prior - mu_s)}, the irresolute type would be "
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
            shown_prior, switch = apart(prior, float(r["mu_switch"]))
            why = (f"its prior π = {shown_prior} exceeds the belief {switch} "
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
