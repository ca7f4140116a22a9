"""Powell's escalation ladder with the target's resolve privately known.

See docs/models/escalation_ladder_incomplete.md.

Game
----
The ladder of :mod:`sim.models.escalation_ladder_complete` (Challenger moves at
odd steps, Target at even steps; quitting gives the mover 0 and the other
side ``v``; escalating at step ``k`` ends in disaster with probability
``r_k``), except that Target's disaster cost is private: ``d_B_res`` with
probability ``prior_res`` (resolute) and ``d_B_irr`` otherwise (irresolute).
Challenger's information set at step ``k`` spans both types; it holds the belief
``μ_k`` that Target is resolute.

Solution
--------
Sequential equilibrium, selected as the limit of the logit agent quantal
response equilibrium; one point is solved by
:func:`sim.solvers.ladder_logit.solve_ladder_logit` (tracing the QRE branch,
then an exact polish of the mixing information sets). A batch is solved at
once by :func:`sim.kernels.ladder_private.skimming_equilibrium`, backward
induction on Challenger's belief, and each point is certified (regret below
1e-9 of the payoff scale); a point that fails is solved by the tracer. Other
sequential equilibria may exist; only the logit-limit one is reported. At
most 9 rungs; steps after the first rung with risk 1 are unreachable and
are dropped.

References
----------
Powell, R. (1987). Crisis Bargaining, Escalation, and MAD. *APSR* 81(3):
717–735.
Powell, R. (1988). Nuclear Brinkmanship with Two-Sided Incomplete Information.
*APSR* 82(1): 155–178.
McKelvey, R. D., & Palfrey, T. R. (1998). Quantal Response Equilibria for
Extensive Form Games. *Experimental Economics* 1(1): 9–41.
Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic
quantal response equilibrium correspondence. *GEB* 51(2): 243–263.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.games.extensive_form import Chance, ExtensiveFormGame
from sim.kernels.ladder import exact, ladder_risks, ladder_schedule, ladder_tree, mover
from sim.kernels.ladder_private import (
    LadderPoint,
    evaluate,
    infosets,
    mixes_on_path,
    playable,
    regret,
    skimming_equilibrium,
)
from sim.kernels.tolerance import BOUNDARY_TOL
from sim.modelkit.vocabulary import CHALLENGER_TARGET, check_risks, ladder_params, prior
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome, ParamSpec
from sim.solvers.ladder_logit import LadderSE, solve_ladder_logit

__all__ = ["EscalationLadderIncomplete", "MODELS", "LadderSE", "solve_ladder_incomplete"]

_OUTCOMES = ("Concession", "Back down", "Disaster")
_REGIMES = ("challenger_quits", "no_bluffing", "bluffing")


def solve_ladder_incomplete(risks: Sequence[float], v_A: float, v_B: float, d_A: float,
                            d_B_res: float, d_B_irr: float, prior_res: float) -> LadderSE:
    """Sequential equilibrium (logit-QRE limit) of the incomplete-information ladder."""
    return solve_ladder_logit(LadderPoint(playable(risks), v_A, v_B, d_A, d_B_res, d_B_irr,
                                          prior_res))


def _with_default(spec: ParamSpec, default: Any) -> ParamSpec:
    return dataclasses.replace(spec, default=default)


_BASE = {s.name: s for s in ladder_params("Challenger", "Target")}


class EscalationLadderIncomplete(Model):
    """Escalation ladder where only Target knows how resolute it is."""

    name = "escalation_ladder_incomplete"
    family = "chicken_brinkmanship"
    title = "Escalation ladder, private resolve of Target (Powell)"
    citation = ("Powell (1987); Powell (1990) ch. 3; McKelvey & Palfrey (1998)")
    description = (
        "The escalation ladder of the complete-information model, but Challenger does not "
        "know how far Target will go: Target is resolute (a low cost of disaster) with "
        "probability prior_res and irresolute otherwise. An irresolute Target may bluff, "
        "climbing a rung it would not climb if its type were known, to make Challenger "
        "believe it is resolute; Challenger, unsure, may climb again. Private information is "
        "what makes long, dangerous escalation possible (Powell's central point): the "
        "probability of disaster can exceed the first rung's risk."
    )
    roles = CHALLENGER_TARGET
    outcomes = _OUTCOMES
    regimes = _REGIMES
    params = (
        dataclasses.replace(_BASE["K"], default=5, hi=9),  # the solver supports 9 rungs
        _with_default(_BASE["r_1"], 0.05),
        _with_default(_BASE["r_step"], 0.1),
        dataclasses.replace(_BASE["risks"], meaning="explicit risk per rung, non-decreasing, "
                            "ending in 1 (overrides K, r_1, r_step); at most 9 rungs"),
        _BASE["v_A"],
        _BASE["v_B"],
        _with_default(_BASE["d_A"], 1.5),
        ParamSpec("d_B_res", 1.0, lo=0.0, hi=10.0, step=0.05, unit="utility",
                  meaning="a resolute Target's cost of disaster", symbol="d_B,res"),
        ParamSpec("d_B_irr", 3.0, lo=0.0, hi=10.0, step=0.05, unit="utility",
                  meaning="an irresolute Target's cost of disaster", symbol="d_B,irr"),
        prior("prior_res", 0.15, "Challenger's prior that Target is resolute"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        if values["risks"]:
            check_risks(self.name, values["risks"])
            if len(values["risks"]) > 9:
                raise ModelError(f"{self.name}: at most 9 rungs are supported, got "
                                 f"{len(values['risks'])}")
        elif int(values["K"]) > 9:
            raise ModelError(f"{self.name}: at most 9 rungs are supported, got K={values['K']}")

    def _solve(self, p: dict[str, Any]) -> Outcome:
        risks = ladder_risks(p)
        se = solve_ladder_incomplete(risks, p["v_A"], p["v_B"], p["d_A"], p["d_B_res"],
                                     p["d_B_irr"], p["prior_res"])
        esc = dict(zip(se.keys, se.esc, strict=True))
        regime = self.regimes[int(_regime_codes(np.array([se.esc]), np.array([se.mixing]))[0])]
        probs = {"Concession": se.p_target_quits, "Back down": se.p_challenger_quits,
                 "Disaster": se.p_disaster}
        pure = [m for m, mix in zip(se.margin, se.mixing, strict=True) if not mix]
        boundary = any(abs(m) <= BOUNDARY_TOL for m in pure)
        details = {
            "risks": list(risks),
            "esc_prob": esc,
            "mixing": dict(zip(se.keys, se.mixing, strict=True)),
            "margins": dict(zip(se.keys, se.margin, strict=True)),
            "beliefs_by_step": dict(se.beliefs),
            "eu_B_res": se.eu_B_res,
            "eu_B_irr": se.eu_B_irr,
            "regret": se.regret,
            "exact": se.exact,
            "lambda_reached": se.lam_reached,
            "critical_risk_A": p["v_A"] / (p["v_A"] + p["d_A"]),
            "critical_risk_B_res": p["v_B"] / (p["v_B"] + p["d_B_res"]),
            "critical_risk_B_irr": p["v_B"] / (p["v_B"] + p["d_B_irr"]),
        }
        strategies = {}
        for key, e in esc.items():
            k = int(key[1:].split("_")[0])
            who = mover(k) + ("" if key.startswith("A") else
                              (" (resolute)" if key.endswith("res") else " (irresolute)"))
            strategies[f"step {k} ({who})"] = {"Escalate": e, "Quit": 1.0 - e}
        method = ("sequential equilibrium: agent-QRE limit, exact indifference polish"
                  if se.exact else
                  f"agent QRE at λ = {se.lam_reached:.3g} (limit not certified)")
        return self.point_outcome(
            dict(p),
            regime=regime,
            probabilities=probs,
            p_war=se.p_disaster,
            payoffs={"Challenger": se.eu_A, "Target": se.eu_B},
            strategies=strategies,
            beliefs={f"P(Target is resolute) at step {k[1:]} (μ{k[1:]})": v
                     for k, v in se.beliefs.items()},
            flags=Flags(boundary=boundary),
            explanation=_explain(p, risks, se, esc),
            details=details,
            method=method,
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        """All points at once by backward induction on beliefs, each certified.

        Every point is solved by the skimming kernel; a point whose profile is
        not a certified equilibrium (regret above 1e-9 of its payoff scale), or
        that has a pure information set at a tie, is solved by the tracer instead.
        """
        n = batch["prior_res"].shape[0]
        if batch["risks"]:
            self.check_constraints({**self.defaults(), "risks": batch["risks"]})
            sched = np.broadcast_to(np.asarray(playable(batch["risks"]), dtype=float),
                                    (n, len(playable(batch["risks"])))).copy()
        else:
            if np.any(batch["K"] != np.round(batch["K"])):
                bad = batch["K"][np.argmax(batch["K"] != np.round(batch["K"]))]
                raise ModelError(f"K: expected a whole number, got {bad:g}")
            if np.any(batch["K"] > 9):
                raise ModelError(f"{self.name}: at most 9 rungs are supported, got "
                                 f"K={int(batch['K'].max())}")
            sched = ladder_schedule(batch["K"], batch["r_1"], batch["r_step"], k_max=9)
        # Playable length: up to and including the first rung of risk 1. Shorter ladders
        # are padded with rungs of risk 1, which are never reached and change no value.
        sched = np.nan_to_num(sched, nan=1.0)
        length = np.argmax(sched >= 1.0, axis=1) + 1
        r = sched[:, : int(length.max())].copy()
        r[:, -1] = 1.0
        cols = {k: batch[k] for k in ("v_A", "v_B", "d_A", "d_B_res", "d_B_irr", "prior_res")}
        eq = skimming_equilibrium(LadderPoint(r, **cols))
        ev = evaluate(LadderPoint(list(r.T), **cols), list(eq["esc"].T), list(eq["mu"].T))
        ev = {k: (v if k in ("eu", "margin") else np.broadcast_to(v, (n,)))
              for k, v in ev.items()}
        playing = np.array([k for _, k, _ in infosets(r.shape[1])])[:, None] <= length[None, :]
        margin = np.where(playing, np.asarray(ev["margin"]), np.where(eq["esc"].T > 0.5, 1, -1))
        mixing = eq["mixing"].T & playing
        scale = np.maximum.reduce([cols["v_A"], cols["v_B"], cols["d_A"], cols["d_B_res"],
                                   cols["d_B_irr"]])
        ok = eq["valid"] & (regret(margin, eq["esc"].T, mixing) <= 1e-9 * scale)
        boundary = np.any(~mixing & (np.abs(margin) <= BOUNDARY_TOL), axis=0)
        # A tie the skimming profile does not settle is left to the tracer.
        certified = ok & ~boundary
        probs = np.column_stack([ev["p_target_quits"], ev["p_challenger_quits"],
                                 ev["p_disaster"]])
        w = cols["prior_res"]
        eu_A = w * ev["eu"]["res"][0] + (1 - w) * ev["eu"]["irr"][0]
        eu_B = w * ev["eu"]["res"][1] + (1 - w) * ev["eu"]["irr"][1]
        regime = _regime_codes(eq["esc"], mixing.T)
        p_war = np.array(ev["p_disaster"], dtype=float)
        out = self.batch_outcome(batch, regime=regime, probabilities=probs, p_war=p_war,
                                 payoffs={"Challenger": eu_A, "Target": eu_B}, boundary=boundary)
        rest = np.flatnonzero(~certified)
        if rest.size:
            traced = super()._solve_batch({k: (v[rest] if isinstance(v, np.ndarray) else v)
                                           for k, v in batch.items()})
            for field in ("regime", "probabilities", "p_war", "boundary"):
                getattr(out, field)[rest] = getattr(traced, field)
            for name in out.payoffs:
                out.payoffs[name][rest] = traced.payoffs[name]
        return out

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """Chance draws Target's type; Challenger's information sets span both types."""
        p = self.validate(params)
        risks = ladder_risks(p)

        x = exact
        pi = x(p["prior_res"])
        trees = [ladder_tree(risks, x(p["v_A"]), x(p["v_B"]), x(p["d_A"]), x(p[f"d_B_{t}"]),
                             suffix=f"_{t}", shared=True) for t in ("res", "irr")]
        root = Chance((("Resolute", pi, trees[0]), ("Irresolute", 1 - pi, trees[1])))
        return ExtensiveFormGame(root, self.players,
                                 title=f"Escalation ladder with private resolve, K={len(risks)}")


def _regime_codes(esc: np.ndarray, mixing: np.ndarray) -> np.ndarray:
    """Codes into ``_REGIMES`` of profiles given as ``(n, m)`` arrays."""
    quits = (esc[:, 0] < 0.5) & ~mixing[:, 0]
    return np.where(quits, 0, np.where(mixes_on_path(esc, mixing), 2, 1))


def _explain(p: Mapping[str, Any], risks: Sequence[float], se: LadderSE,
             esc: Mapping[str, float]) -> str:
    parts = []
    if not se.exact:
        parts.append(f"The equilibrium could not be certified; shown is the agent QRE at "
                     f"λ = {se.lam_reached:.3g}, which approximates it.")
    if esc["A1"] < 0.5:
        parts.append(f"Challenger quits at once: climbing the first rung (risk {risks[0]:.2f}) is "
                     f"worth {se.margin[0]:.2f} to it.")
    else:
        parts.append(f"Challenger escalates at step 1 (risk {risks[0]:.2f}; worth "
                     f"{se.margin[0]:.2f} to it).")
    if "B2_irr" in esc and esc["A1"] >= 0.5:
        b = esc["B2_irr"]
        if 0 < b < 1 and "A3" in se.beliefs:
            mu3 = se.beliefs["A3"]
            r3 = esc.get("A3")
            text = (f"An irresolute Target bluffs at step 2 with probability {b:.4f}: just enough "
                    f"to leave Challenger's belief that it faces a resolute Target at "
                    f"{mu3:.4f} (μ3), where Challenger is indifferent about climbing again")
            if r3 is not None and 0 < r3 < 1:
                text += (f"; Challenger climbs with probability {r3:.4f}, which makes the "
                         f"irresolute Target indifferent about the bluff")
            parts.append(text + ".")
        else:
            res_act = "escalates" if esc["B2_res"] > 0.5 else "quits"
            irr_act = "escalates" if b > 0.5 else "quits"
            parts.append(f"At step 2 the resolute Target {res_act} and the irresolute one "
                         f"{irr_act}.")
    parts.append(f"P(disaster) = {se.p_disaster:.4f} against a first-rung risk of "
                 f"{risks[0]:.2f}; the prior that Target is resolute is "
                 f"{p['prior_res']:.2f}.")
    return " ".join(parts)


MODELS = (EscalationLadderIncomplete(),)
