"""Agent logit QRE of the International Interaction Game (docs/models/logit_aqre_extensive_form.md).

Each leader chooses at each of the twelve IIG nodes by the logit rule
σ(escalate) = 1 / (1 + exp(−λ [EU(escalate) − EU(not)])) over *raw*
payoffs, as Gambit does, with expected utilities taken over the noisy play
that follows. In a perfect-information tree this agent QRE (McKelvey &
Palfrey 1998) is unique and is computed by Signorino's (1999) backward
recursion (:func:`sim.kernels.iig.iig_agent_qre`). λ = 0 is uniform play;
as λ → ∞ the profile tends to the subgame-perfect equilibrium of
:mod:`sim.models.iig_complete_info`.

Because λ is measured in payoff units, rescaling payoffs by k is the same as
using λ·k. The ``normalise`` switch divides each side's utilities by their
range (max − min), so that λ means the same thing whatever the units.

References
----------
McKelvey, R. D. & Palfrey, T. R. (1998). Quantal response equilibria for
extensive form games. *Experimental Economics* 1, 9–41.
Signorino, C. S. (1999). *APSR* 93(2), 279–297, eq. (4)–(6).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels.iig import (
    ACTIONS,
    MOVER,
    NODES,
    OUTCOME_LABELS,
    OUTCOMES,
    bdml_assumptions_hold,
    iig_agent_qre,
    iig_batch_utilities,
    iig_game,
    iig_spe,
    iig_utilities,
)
from sim.modelkit.iig import IIGModel
from sim.modelkit.vocabulary import choice, iig_params, precision
from sim.models.base import BatchOutcome, Flags, Outcome

__all__ = ["LogitAQREExtensiveForm", "normalise_utilities", "MODELS"]

_WAR = [OUTCOMES.index("WAR_A"), OUTCOMES.index("WAR_B")]


def normalise_utilities(u: np.ndarray) -> np.ndarray:
    """Divide each side's utilities by their range (rows with zero range unchanged)."""
    span = u.max(axis=-1, keepdims=True) - u.min(axis=-1, keepdims=True)
    return u / np.where(span > 0, span, 1.0)


class LogitAQREExtensiveForm(IIGModel):
    """Agent logit QRE of the IIG by Signorino's recursion."""

    name = "logit_aqre_extensive_form"
    family = "qre"
    title = "Noisy leaders in the International Interaction Game (agent logit QRE)"
    citation = ("McKelvey & Palfrey (1998), Experimental Economics 1; Signorino (1999), "
                "APSR 93(2), eq. (4)-(6); game of Bueno de Mesquita & Lalman (1992), ch. 3")
    description = (
        "The International Interaction Game played by error-prone leaders: at every node each "
        "side picks the better action more often, but not always, with precision lambda (0 = "
        "coin flips, large = fully rational). Mistakes later in the tree feed back into "
        "earlier choices, so war can occur with positive probability even when the rational "
        "equilibrium is peaceful. It asks how likely the path from an opening demand to the "
        "use of force is if neither side can be counted on to play its best reply."
    )
    params = iig_params() + (
        precision(hi=1000.0, unit="1 / payoff unit",
                  meaning="logit precision: 0 = uniform play, large = near-rational"),
        choice("normalise", ("raw utilities", "utilities divided by their range"),
               "whether each side's utilities are divided by their range before applying λ",
               symbol="norm", unit="switch"),
    )

    def _utilities(self, u: np.ndarray, normalise: np.ndarray | int) -> np.ndarray:
        flag = np.broadcast_to(np.asarray(normalise), (u.shape[0],)).astype(bool)
        if not flag.any():
            return u
        return np.where(flag[:, None, None], normalise_utilities(u), u)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        raw = iig_utilities(p)
        u = self._utilities(raw, p["normalise"])
        qre = iig_agent_qre(u, p["lam"])
        probs = qre.outcome_probs[0]
        k = int(np.argmax(probs))
        esc = qre.escalate[0]
        spe = iig_spe(raw)
        strategies = {
            NODES[j]: {ACTIONS[j + 1][0]: float(esc[j]), ACTIONS[j + 1][1]: float(1 - esc[j])}
            for j in range(12)
        }
        payoffs = probs @ raw[0].T
        violated = bool(~bdml_assumptions_hold(raw)[0])
        details: dict[str, Any] = {
            "prob_escalate_at_node": {NODES[j]: float(esc[j]) for j in range(12)},
            "outcome_probabilities": {o: float(probs[m]) for m, o in enumerate(OUTCOMES)},
            "modal_outcome_code": OUTCOMES[k],
            "spe_outcome_code": OUTCOMES[int(spe.outcome[0])],
            "effective_lambda": float(p["lam"]),
            "utilities_source": "explicit" if len(p["U_A"]) else "generator",
            "node_movers": {f"n{j}": self.players[MOVER[j]] for j in range(1, 13)},
        }
        return self.point_outcome(
            p,
            outcome=OUTCOME_LABELS[OUTCOMES[k]],
            regime=self.regimes[k],
            probabilities={OUTCOME_LABELS[o]: float(probs[m]) for m, o in enumerate(OUTCOMES)},
            p_war=float(probs[_WAR].sum()),
            payoffs={pl: float(payoffs[i]) for i, pl in enumerate(self.players)},
            strategies=strategies,
            flags=Flags(False, False, violated),
            explanation=explain_aqre(probs, esc, spe.escalate[0], spe.outcome[0],
                                     float(p["lam"]), self.players),
            details=details,
            method="Signorino backward logit recursion (agent QRE)",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        raw = iig_batch_utilities(batch)
        u = self._utilities(raw, batch["normalise"])
        qre = iig_agent_qre(u, batch["lam"])
        probs = qre.outcome_probs
        return self.batch_outcome(
            batch,
            regime=np.argmax(probs, axis=1).astype(np.int64),
            probabilities=probs,
            p_war=probs[:, _WAR].sum(axis=1),
            payoffs={pl: np.einsum("no,no->n", probs, raw[:, i, :])
                     for i, pl in enumerate(self.players)},
            assumption_violated=~bdml_assumptions_hold(raw),
            details={"escalate": qre.escalate},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The IIG tree whose agent QRE this model computes (utilities as used)."""
        p = self.validate(params)
        u = self._utilities(iig_utilities(p), p["normalise"])
        return iig_game(u[0], self.players)


def explain_aqre(probs: np.ndarray, esc: np.ndarray, spe_esc: np.ndarray, spe_outcome: int,
                 lam: float, players: Sequence[str]) -> str:
    """Plain-English account of one agent QRE and how far it is from the SPE."""
    k = int(np.argmax(probs))
    p_war = float(probs[_WAR].sum())
    gaps = np.abs(esc - spe_esc.astype(float))
    j = int(np.argmax(gaps))
    spe_label = OUTCOME_LABELS[OUTCOMES[int(spe_outcome)]]
    text = [
        f"With precision λ = {lam:.2f} the most likely outcome is "
        f"{OUTCOME_LABELS[OUTCOMES[k]]} (probability {probs[k]:.2f}); P(war) = {p_war:.2f}.",
        f"Fully rational play (the subgame-perfect equilibrium) would end in {spe_label}, "
        f"which here has probability {probs[int(spe_outcome)]:.2f}.",
        f"Noise matters most at n{j + 1}, where {players[MOVER[j + 1]]} escalates with "
        f"probability {esc[j]:.2f} instead of {spe_esc[j]:.0f}.",
    ]
    if lam == 0:
        text.append("At λ = 0 every choice is a coin flip.")
    return " ".join(text)


MODELS = (LogitAQREExtensiveForm(),)
