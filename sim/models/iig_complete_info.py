"""International Interaction Game under complete information (docs/models/iig_complete_info.md).

Bueno de Mesquita & Lalman's (1992, ch. 3) game between Side A and
Side B, with Signorino's (1999, fig. 2) node numbers:

* n1 A demands (→ n3) or not (→ n2); n2 B demands (→ n4) or not (SQ);
* n3 B counter-demands (→ n5, crisis with A first) or acquiesces (ACQ_B);
  n4 A counter-demands (→ n6, crisis with B first) or acquiesces (ACQ_A);
* n5 A uses force (→ n10: B retaliates WAR_A or capitulates CAP_B) or not
  (→ n9: B uses force → n12: A retaliates WAR_B or capitulates CAP_A; or NEG);
* n6 B uses force (→ n8: A retaliates WAR_B or capitulates CAP_A) or not
  (→ n7: A uses force → n11: B retaliates WAR_A or capitulates CAP_B; or NEG).

The subgame-perfect equilibrium is found by backward induction with the
strict-escalation tie rule (an escalatory action only if strictly better).
Under the BdM-L assumptions (NEG preferred to both wars, acquiescence to
capitulation) war needs a first-strike advantage: WAR_A requires
U_A(WAR_A) > U_A(CAP_A) ≥ U_A(WAR_B), U_B(CAP_A) > U_B(NEG) and
U_B(WAR_A) > U_B(CAP_B), plus demands at n1 and n3 that lead there —
"war without uncertainty, from fear of exploitation".

Utilities are either given directly (``U_A``, ``U_B`` over the outcomes in
the order SQ, ACQ_A, ACQ_B, NEG, CAP_A, CAP_B, WAR_A, WAR_B) or, when those
are left empty, generated from shares of the pie by
:func:`sim.kernels.iig.generated_utilities`.

References
----------
Bueno de Mesquita, B. & Lalman, D. (1992). *War and Reason*, ch. 3.
Signorino, C. S. (1999). *APSR* 93(2), 279–297, fig. 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels.iig import (
    ACTIONS,
    CHILDREN,
    FORWARD_ORDER,
    MOVER,
    NODES,
    OUTCOME_LABELS,
    OUTCOMES,
    bdml_assumptions_hold,
    iig_batch_utilities,
    iig_game,
    iig_spe,
    iig_utilities,
)
from sim.modelkit.iig import IIGModel
from sim.modelkit.vocabulary import iig_params
from sim.models.base import (
    BOUNDARY_TOL,
    BatchOutcome,
    Flags,
    Outcome,
)

__all__ = ["IIGCompleteInfo", "MODELS"]

_NODE_PHRASES: dict[int, tuple[str, str]] = {
    1: ("makes a demand", "does not make a demand"),
    2: ("makes a demand", "does not make a demand"),
    3: ("counter-demands", "acquiesces"),
    4: ("counter-demands", "acquiesces"),
    5: ("uses force", "refrains from force"),
    6: ("uses force", "refrains from force"),
    7: ("uses force", "refrains from force"),
    9: ("uses force", "refrains from force"),
    8: ("retaliates", "capitulates"),
    10: ("retaliates", "capitulates"),
    11: ("retaliates", "capitulates"),
    12: ("retaliates", "capitulates"),
}


def _spe_flags(margin: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    boundary = (np.abs(margin) <= BOUNDARY_TOL).any(axis=1)
    multiple = (margin == 0.0).any(axis=1)
    violated = ~bdml_assumptions_hold(u)
    return boundary, multiple, violated


class IIGCompleteInfo(IIGModel):
    """International Interaction Game, subgame-perfect equilibrium."""

    name = "iig_complete_info"
    family = "iig"
    title = "International Interaction Game (complete information)"
    citation = ("Bueno de Mesquita & Lalman (1992), War and Reason, ch. 3; "
                "node numbers of Signorino (1999), APSR 93(2), fig. 2")
    description = (
        "Side A and Side B each decide whether to make demands, whether to counter-demand or "
        "acquiesce, and whether to use force or retaliate. Backward induction gives the "
        "choice at every node, including off the path, because what each side would do later "
        "explains what it does now. Node 1 is Side A's opening demand, node 3 Side B's reply "
        "(a counter-demand or acquiescence) and node 5 the decision to use force. Under "
        "complete information war needs a first-strike advantage and fear of exploitation."
    )
    params = iig_params()

    def _solve(self, p: dict[str, Any]) -> Outcome:
        u = iig_utilities(p)
        sol = iig_spe(u)
        k = int(sol.outcome[0])
        code = OUTCOMES[k]
        boundary, multiple, violated = _spe_flags(sol.margin, u)
        esc = sol.escalate[0]
        strategies = {
            NODES[j]: {ACTIONS[j + 1][0]: float(esc[j]), ACTIONS[j + 1][1]: float(not esc[j])}
            for j in range(12)
        }
        path = [f"n{j}:{ACTIONS[j][0] if esc[j - 1] else ACTIONS[j][1]}"
                for j in FORWARD_ORDER if sol.reached[0, j - 1]]
        details: dict[str, Any] = {
            "outcome_code": code,
            "equilibrium_path": path,
            "choice_at_every_node": {NODES[j]: ("escalate" if esc[j] else "not")
                                     for j in range(12)},
            "margins": {NODES[j]: float(sol.margin[0, j]) for j in range(12)},
            "utilities": {pl: {o: float(u[0, i, m]) for m, o in enumerate(OUTCOMES)}
                          for i, pl in enumerate(self.players)},
            "utilities_source": "explicit" if len(p["U_A"]) else "generator",
            "node_movers": {f"n{j}": self.players[MOVER[j]] for j in range(1, 13)},
        }
        return self.point_outcome(
            p,
            outcome=OUTCOME_LABELS[code],
            regime=self.regimes[k],
            probabilities={OUTCOME_LABELS[o]: float(o == code) for o in OUTCOMES},
            p_war=float(code in ("WAR_A", "WAR_B")),
            payoffs={pl: float(u[0, i, k]) for i, pl in enumerate(self.players)},
            strategies=strategies,
            flags=Flags(bool(boundary[0]), bool(multiple[0]), bool(violated[0])),
            explanation=explain_spe(u[0], sol.escalate[0], sol.margin[0], sol.reached[0],
                                    sol.node_outcome[0], self.players, bool(violated[0])),
            details=details,
            method="backward induction",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        u = iig_batch_utilities(batch)
        sol = iig_spe(u)
        n = u.shape[0]
        rows = np.arange(n)
        probs = np.zeros((n, len(OUTCOMES)))
        probs[rows, sol.outcome] = 1.0
        boundary, multiple, violated = _spe_flags(sol.margin, u)
        return self.batch_outcome(
            batch,
            regime=sol.outcome.astype(np.int64),
            probabilities=probs,
            p_war=probs[:, OUTCOMES.index("WAR_A")] + probs[:, OUTCOMES.index("WAR_B")],
            payoffs={pl: sol.value[:, i] for i, pl in enumerate(self.players)},
            boundary=boundary,
            multiple_equilibria=multiple,
            assumption_violated=violated,
            details={"escalate": sol.escalate, "margin": sol.margin},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The IIG tree at ``params``, players ``("Side A", "Side B")``."""
        return iig_game(iig_utilities(self.validate(params))[0], self.players)


def explain_spe(u: np.ndarray, esc: np.ndarray, margin: np.ndarray, reached: np.ndarray,
                node_outcome: np.ndarray, players: Sequence[str], violated: bool) -> str:
    """Plain-English account of one SPE: each on-path choice and the closest call.

    ``u`` is ``(2, 8)``; the other arrays are one row of :class:`IIGSolution`.
    """

    def after(node: int, escalate: bool) -> str:
        child = CHILDREN[node][0 if escalate else 1]
        return child if isinstance(child, str) else OUTCOMES[int(node_outcome[child - 1])]

    code = OUTCOMES[int(node_outcome[0])]
    sentences = [
        f"The equilibrium ends in {OUTCOME_LABELS[code]} with payoffs "
        f"{players[0]} {u[0, OUTCOMES.index(code)]:.2f}, {players[1]} "
        f"{u[1, OUTCOMES.index(code)]:.2f}."
    ]
    on_path = [k for k in FORWARD_ORDER if reached[k - 1]]
    for k in on_path:
        i = MOVER[k]
        took, other = after(k, bool(esc[k - 1])), after(k, not esc[k - 1])
        phrase = _NODE_PHRASES[k][0 if esc[k - 1] else 1]
        sentences.append(
            f"At n{k} {players[i]} {phrase}: that leads to {OUTCOME_LABELS[took]} "
            f"({u[i, OUTCOMES.index(took)]:.2f} for it) rather than {OUTCOME_LABELS[other]} "
            f"({u[i, OUTCOMES.index(other)]:.2f})."
        )
    closest = min(on_path, key=lambda k: abs(margin[k - 1]))
    gap = abs(float(margin[closest - 1]))
    sentences.append(
        f"The closest call on the path is at n{closest}: {players[MOVER[closest]]}'s "
        f"utilities there would have to shift by {gap:.2f} to reverse its choice."
    )
    if code in ("WAR_A", "WAR_B"):
        first = players[0] if code == "WAR_A" else players[1]
        sentences.append(
            f"War comes from fear of exploitation: {first} strikes first because it "
            "prefers war on its own terms to being attacked or forced to capitulate."
        )
    if violated:
        sentences.append(
            "Note: these utilities break the BdM-L assumptions (negotiation preferred "
            "to war, acquiescence to capitulation), so the book's war conditions need "
            "not apply."
        )
    return " ".join(sentences)


MODELS = (IIGCompleteInfo(),)
