"""Learning curves of a class: choice shares by round against Nash and a per-round fitted QRE.

For each closed round, the share of each agent's choices, the equilibrium
prediction, and the logit QRE at the precision λ fitted by maximum likelihood
to that round's choices alone (:func:`sim.classroom.debrief.fit_qre_lambda`;
McKelvey & Palfrey 1995 for normal forms, 1998 for trees). A rising λ across
rounds is play converging towards equilibrium (as in McKelvey & Palfrey's
centipede and Goeree & Holt's experiments). The outcome timeline counts each
round's outcomes, one per group.

References
----------
McKelvey, R. D., & Palfrey, T. R. (1995). Quantal response equilibria for normal
form games. *Games and Economic Behavior* 10(1): 6–38.
McKelvey, R. D., & Palfrey, T. R. (1998). Quantal response equilibria for extensive
form games. *Experimental Economics* 1(1): 9–41.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.classroom.debrief import counts_by_agent, fit_qre_lambda
from sim.classroom.games import ClassroomGame

__all__ = ["LearningCurves", "learning_curves", "outcome_timeline", "CURVE_LABELS"]

#: Plain-English headers of the curves table.
CURVE_LABELS = {"round": "Round", "agent": "Player", "action": "Action",
                "chosen": "Times chosen", "observed": "Share chosen",
                "equilibrium": "Equilibrium", "qre_fit": "QRE fitted to the round",
                "lam": "Fitted λ"}


@dataclass(frozen=True)
class LearningCurves:
    """Per round and agent action: share chosen, equilibrium and fitted QRE; λ per round."""

    table: pd.DataFrame
    lam: Mapping[int, float]
    timeline: pd.DataFrame
    method: str = "logit QRE maximum likelihood per round"


def outcome_timeline(choices: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """How many groups reached each outcome in each round (columns round, outcome, groups)."""
    seen = {(int(c["round"]), c.get("match"), c["outcome"]) for c in choices
            if c.get("outcome") is not None}
    rows = pd.DataFrame(sorted(seen, key=lambda t: (t[0], str(t[1]))),
                        columns=["round", "match", "outcome"])
    if rows.empty:
        return pd.DataFrame(columns=["round", "outcome", "groups"])
    return (rows.groupby(["round", "outcome"]).size().rename("groups").reset_index())


def learning_curves(game: ClassroomGame, choices: Sequence[Mapping[str, Any]],
                    leave_out_timed_out: bool = False) -> LearningCurves:
    """The class's choices, round by round, beside equilibrium and the per-round QRE fit.

    ``leave_out_timed_out`` drops the default moves played at a time limit.
    """
    kept = [c for c in choices if not (leave_out_timed_out and c.get("timed_out"))]
    rows, lams = [], {}
    for r in sorted({int(c["round"]) for c in kept}):
        counts = counts_by_agent(game, [c for c in kept if int(c["round"]) == r])
        if not any(sum(v.values()) for v in counts.values()):
            continue
        fit = fit_qre_lambda(game, counts)
        lams[r] = fit.lam
        for agent in game.agents:
            n = sum(counts[agent.key].values())
            if not n:
                continue  # an agent no one played this round (a move not reached)
            for action in agent.actions:
                rows.append({"round": r, "agent": agent.key, "action": action,
                             "chosen": counts[agent.key][action],
                             "observed": counts[agent.key][action] / n,
                             "equilibrium": float(game.prediction[agent.key][action]),
                             "qre_fit": float(fit.profile[agent.key][action]),
                             "lam": fit.lam})
    table = pd.DataFrame(rows, columns=list(CURVE_LABELS))
    return LearningCurves(table, lams, outcome_timeline(kept))
