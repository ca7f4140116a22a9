"""The debrief: what the class did, beside equilibrium play and the best-fitting QRE.

The logit QRE precision λ is fitted by maximum likelihood: with ``n_a(s)``
the number of times agent ``a`` chose ``s`` and ``σ_a(s; λ)`` its QRE
probability on the principal branch, λ maximises ``Σ n_a(s) log σ_a(s; λ)``
(McKelvey & Palfrey 1995, §5). The likelihood is evaluated on a grid and
refined with a bounded scalar search (scipy), because it need not be concave.

References
----------
McKelvey, R. D., & Palfrey, T. R. (1995). Quantal Response Equilibria for
Normal Form Games. *Games and Economic Behavior* 10(1): 6–38.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar

from sim.classroom.games import ClassroomGame
from sim.solvers.logit_qre import logit_qre_at

__all__ = ["QREFit", "Debrief", "fit_qre_lambda", "lam_words", "qre_profile", "debrief",
           "counts_by_agent", "LAM_MAX", "AT_EDGE_NOTE", "TABLE_LABELS", "PAYOFF_LABELS",
           "OUTCOME_LABELS"]

#: The top of the λ range the fit searches.
LAM_MAX = 30.0

#: What a λ at the top of its range means, for pages and handouts.
AT_EDGE_NOTE = ("The class played the best replies so consistently that any larger λ fits "
                "as well.")

#: Plain-English headers of the debrief tables, for pages and handouts.
TABLE_LABELS = {"agent": "Player", "action": "Action", "chosen": "Times chosen",
                "observed": "Share chosen", "equilibrium": "Equilibrium",
                "qre_fit": "Best-fitting QRE"}
PAYOFF_LABELS = {"role": "Role", "count": "Moves", "mean": "Mean payoff"}
OUTCOME_LABELS = {"outcome": "Outcome", "share": "Share"}

_FLOOR = 1e-300


@dataclass(frozen=True)
class QREFit:
    """The maximum-likelihood λ, its log-likelihood and the fitted choice probabilities."""

    lam: float
    log_likelihood: float
    n_choices: int
    profile: Mapping[str, Mapping[str, float]]
    lam_max: float = LAM_MAX
    method: str = "logit QRE maximum likelihood (grid + bounded Brent)"

    @property
    def at_edge(self) -> bool:
        """Whether λ sits at the top of the searched range: the class played so close to
        the best replies that any larger λ fits as well."""
        return _at_edge(self.lam, self.lam_max)

    @property
    def words(self) -> str:
        """λ as a lecturer reads it: its value, or "30 or more" at the range's top."""
        return lam_words(self.lam, self.lam_max)


def _at_edge(lam: float, lam_max: float) -> bool:
    return lam >= lam_max - 1e-6


def lam_words(lam: float, lam_max: float = LAM_MAX) -> str:
    """A fitted λ in words: ``"2.41"``, or ``"30 or more"`` where it reached ``lam_max``
    (the fit cannot tell a larger precision apart)."""
    return f"{lam_max:g} or more" if _at_edge(lam, lam_max) else f"{lam:.2f}"


@dataclass(frozen=True)
class Debrief:
    """Observed frequencies, equilibrium prediction and QRE fit, per agent and action."""

    table: pd.DataFrame
    payoffs: pd.DataFrame
    outcomes: pd.DataFrame
    fit: QREFit | None


def qre_profile(game: ClassroomGame, lam: float) -> dict[str, dict[str, float]]:
    """Principal-branch logit QRE of the game's agent form at ``lam``, per agent key.

    A tree's is its agent QRE (McKelvey & Palfrey 1998).
    """
    if game.tree is not None:
        from sim.solvers.agent_qre import agent_qre_at

        behaviour = agent_qre_at(game.tree, float(lam)).behavior
        return {a.key: dict(behaviour[a.infoset]) for a in game.agents
                if a.infoset is not None}
    nf = game.normal_form
    assert nf is not None
    result = logit_qre_at(nf, float(lam))
    eq = result.equilibria[0]
    return {player: {s: float(p) for s, p in zip(nf.strategies[i], eq.profile[i], strict=True)}
            for i, player in enumerate(nf.players)}


def counts_by_agent(game: ClassroomGame, choices: Sequence[Mapping[str, Any]]
                    ) -> dict[str, dict[str, int]]:
    """How often each agent (role, type) chose each action."""
    counts = {a.key: {s: 0 for s in a.actions} for a in game.agents}
    for row in choices:
        key = row.get("agent") or (row["role"] if row.get("type") is None
                                   else f"{row['role']} ({row['type']})")
        if key in counts and row["action"] in counts[key]:
            counts[key][row["action"]] += 1
    return counts


def _log_likelihood(game: ClassroomGame, counts: Mapping[str, Mapping[str, int]],
                    lam: float) -> float:
    profile = qre_profile(game, lam)
    return float(sum(n * np.log(max(profile[a][s], _FLOOR))
                     for a, row in counts.items() for s, n in row.items() if n))


def fit_qre_lambda(game: ClassroomGame, counts: Mapping[str, Mapping[str, int]],
                   lam_max: float = LAM_MAX, grid: int = 31) -> QREFit:
    """Maximum-likelihood logit precision for the observed ``counts``."""
    total = int(sum(sum(row.values()) for row in counts.values()))
    if total == 0:
        raise ValueError("no choices to fit")
    lams = np.linspace(0.0, lam_max, grid)
    values = np.array([_log_likelihood(game, counts, lam) for lam in lams])
    k = int(np.argmax(values))
    lo, hi = lams[max(k - 1, 0)], lams[min(k + 1, grid - 1)]
    best_lam, best_ll = float(lams[k]), float(values[k])
    if hi > lo:
        res = minimize_scalar(lambda lam: -_log_likelihood(game, counts, lam),
                              bounds=(lo, hi), method="bounded", options={"xatol": 1e-4})
        if res.success and -res.fun >= best_ll:
            best_lam, best_ll = float(res.x), float(-res.fun)
    return QREFit(best_lam, best_ll, total, qre_profile(game, best_lam), lam_max)


def debrief(game: ClassroomGame, choices: Sequence[Mapping[str, Any]],
            fit: bool = True) -> Debrief:
    """Frequencies beside the equilibrium prediction and the fitted QRE."""
    counts = counts_by_agent(game, choices)
    qre = fit_qre_lambda(game, counts) if fit and any(
        sum(r.values()) for r in counts.values()) else None
    rows = []
    for agent in game.agents:
        n = sum(counts[agent.key].values())
        for action in agent.actions:
            rows.append({
                "agent": agent.key, "action": action, "chosen": counts[agent.key][action],
                "observed": counts[agent.key][action] / n if n else np.nan,
                "equilibrium": game.prediction[agent.key][action],
                "qre_fit": qre.profile[agent.key][action] if qre else np.nan,
            })
    frame = pd.DataFrame(choices) if choices else pd.DataFrame(
        columns=["role", "payoff", "outcome"])
    scored = frame.dropna(subset=["payoff"]) if "payoff" in frame else frame
    payoffs = (scored.groupby("role")["payoff"].agg(["count", "mean"]).reset_index()
               if len(scored) else pd.DataFrame(columns=["role", "count", "mean"]))
    outcomes = (scored["outcome"].value_counts(normalize=True).rename("share").reset_index()
                if len(scored) else pd.DataFrame(columns=["outcome", "share"]))
    return Debrief(pd.DataFrame(rows), payoffs, outcomes, qre)
