"""2×2 Chicken between Challenger and Target (docs/models/chicken_2x2.md).

Game
----
Each side chooses Swerve or Firm. Player i gets ``w_i`` when it stands firm
and the other swerves, ``s_i`` when both swerve, ``l_i`` when it swerves and
the other stands firm, and ``d_i`` when both stand firm (war), with
``w_i > s_i > l_i > d_i``.

Equilibria
----------
Three Nash equilibria: the pure (Firm, Swerve) and (Swerve, Firm), and the
completely mixed one in which each side makes the *opponent* indifferent::

    firm_A = (w_B − s_B) / ((w_B − s_B) + (l_B − d_B)),
    firm_B = (w_A − s_A) / ((w_A − s_A) + (l_A − d_A)),

with ``p_war = firm_A · firm_B`` and payoff ``(1 − firm_j) s_i + firm_j l_i``.
The reported equilibrium is chosen by the ``equilibrium`` parameter: the
mixed one (default), either pure one, or the one selected by the limit of the
logit-QRE principal branch as λ → ∞ (docs/models/chicken_2x2.md; McKelvey & Palfrey 1995).

References
----------
Schelling, T. C. (1966). *Arms and Influence*, ch. 3, Yale UP.
Dixit, A., Skeath, S., & Reiley, D. (2015). *Games of Strategy*, 4th ed.,
ch. 4 and 7 (Chicken; mixed strategies).
McKelvey, R. D., & Palfrey, T. R. (1995). Quantal Response Equilibria for
Normal Form Games. *Games and Economic Behavior* 10(1): 6–38.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.normal_form import NormalFormGame
from sim.kernels.chicken import (
    PAYOFF_NAMES,
    chicken_game,
    chicken_gaps,
    chicken_mixed,
    chicken_qre_limit,
)
from sim.modelkit.vocabulary import CHALLENGER_TARGET, check_chicken, chicken_payoffs, choice
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome

__all__ = ["Chicken2x2", "MODELS", "SELECTIONS"]

#: Codes of the ``equilibrium`` parameter.
SELECTIONS: tuple[str, ...] = ("mixed", "challenger_firm", "target_firm", "qre_limit")

_OUTCOMES = ("War", "Concession", "Back down", "Status quo")
_PURE = {"challenger_firm": ("Firm", "Swerve"), "target_firm": ("Swerve", "Firm")}


class Chicken2x2(Model):
    """2×2 Chicken with a choice of which of its three equilibria to report."""

    name = "chicken_2x2"
    family = "chicken_brinkmanship"
    title = "Chicken (2×2)"
    citation = ("Schelling (1966) ch. 3; Dixit, Skeath & Reiley (2015) ch. 4, 7")
    description = (
        "Challenger and Target each either swerve (back off) or stand firm. Standing firm "
        "against a swerving opponent wins the issue, both swerving is a compromise, and both "
        "standing firm is war, the worst outcome for each. The game has two pure equilibria, "
        "in which one side backs down, and a mixed one in which war happens with probability "
        "firm_A·firm_B. With the default payoffs war is worse for Target (−3) than for "
        "Challenger (−1). In the mixed equilibrium each side's firmness is set by the "
        "opponent's payoffs."
    )
    roles = CHALLENGER_TARGET
    outcomes = _OUTCOMES
    regimes = ("mixed", "challenger_firm", "target_firm")
    params = (
        *chicken_payoffs("Challenger", "Target"),
        choice("equilibrium", ("mixed", "Challenger Firm, Target Swerve",
                               "Challenger Swerve, Target Firm", "logit-QRE limit"),
               "equilibrium reported", symbol="eq"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        check_chicken(self.name, values)

    # -- single point ---------------------------------------------------------
    def _solve(self, p: dict[str, Any]) -> Outcome:
        cols = {k: np.array([float(p[k])]) for k in PAYOFF_NAMES}
        batch = self._arrays(cols, np.array([int(p["equilibrium"])]), always_limit=True)
        k = 0
        code = int(batch["code"][k])
        regime = self.regimes[code]
        firm_A, firm_B = float(batch["firm_A"][k]), float(batch["firm_B"][k])
        probs = {lab: float(batch["probs"][k, j]) for j, lab in enumerate(_OUTCOMES)}
        mixed = {key: float(batch[f"{key}_mixed"][k])
                 for key in ("firm_A", "firm_B", "p_war", "eu_A", "eu_B")}
        limit = SELECTIONS[int(batch["qre_limit"][k])]
        equilibria = [
            {"name": "challenger_firm", "profile": ["Firm", "Swerve"], "firm_A": 1.0, "firm_B": 0.0,
             "p_war": 0.0, "payoffs": {"Challenger": p["w_A"], "Target": p["l_B"]}},
            {"name": "target_firm", "profile": ["Swerve", "Firm"], "firm_A": 0.0, "firm_B": 1.0,
             "p_war": 0.0, "payoffs": {"Challenger": p["l_A"], "Target": p["w_B"]}},
            {"name": "mixed", "profile": None, "firm_A": mixed["firm_A"],
             "firm_B": mixed["firm_B"], "p_war": mixed["p_war"],
             "payoffs": {"Challenger": mixed["eu_A"], "Target": mixed["eu_B"]}},
        ]
        details = {
            "n_equilibria": 3,
            "pure_equilibria": [list(_PURE["challenger_firm"]), list(_PURE["target_firm"])],
            "equilibria": equilibria,
            "selection": SELECTIONS[int(p["equilibrium"])],
            "qre_limit": limit,
            **{f"{key}_mixed": val for key, val in mixed.items()},
            "firm_A": firm_A,
            "firm_B": firm_B,
        }
        outcome = max(_OUTCOMES, key=lambda lab: probs[lab])
        return self.point_outcome(
            dict(p),
            outcome=outcome,
            regime=regime,
            probabilities=probs,
            p_war=float(batch["p_war"][k]),
            payoffs={"Challenger": float(batch["eu_A"][k]), "Target": float(batch["eu_B"][k])},
            strategies={"Challenger": {"Swerve": 1.0 - firm_A, "Firm": firm_A},
                        "Target": {"Swerve": 1.0 - firm_B, "Firm": firm_B}},
            flags=Flags(boundary=bool(batch["boundary"][k]), multiple_equilibria=True),
            explanation=_explain(p, regime, mixed, limit),
            details=details,
            method="closed form" if int(p["equilibrium"]) < 3
            else "closed form; logit-QRE continuation for the selection",
        )

    # -- batch ------------------------------------------------------------------
    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        cols = {k: batch[k] for k in PAYOFF_NAMES}
        gaps = [chicken_gaps(cols[f"w_{s}"], cols[f"s_{s}"], cols[f"l_{s}"], cols[f"d_{s}"])
                for s in ("A", "B")]
        ok = np.ones(len(cols["w_A"]), dtype=bool)
        for side, (gain, loss) in zip(("A", "B"), gaps, strict=True):
            ok &= (gain > 0) & (loss > 0) & (cols[f"s_{side}"] > cols[f"l_{side}"])
        if not ok.all():
            k = int(np.argmin(ok))
            self.check_constraints({name: cols[name][k] for name in PAYOFF_NAMES})
        sel = batch["equilibrium"]
        if np.any(sel != np.round(sel)):
            raise ModelError(f"{self.name}: equilibrium must be a whole number 0–3")
        res = self._arrays(cols, sel.astype(np.int64))
        return self.batch_outcome(
            batch,
            regime=res["code"],
            probabilities=res["probs"],
            p_war=res["p_war"],
            payoffs={"Challenger": res["eu_A"], "Target": res["eu_B"]},
            boundary=res["boundary"],
            multiple_equilibria=np.ones(len(res["p_war"]), dtype=bool),
            details={k: res[k] for k in ("firm_A", "firm_B", "firm_A_mixed", "firm_B_mixed",
                                         "p_war_mixed", "eu_A_mixed", "eu_B_mixed",
                                         "qre_limit")},
        )

    @staticmethod
    def _arrays(cols: Mapping[str, np.ndarray], sel: np.ndarray,
                always_limit: bool = False) -> dict[str, np.ndarray]:
        """Every reported quantity for a batch, shared by both solve paths.

        The QRE-limit selection is computed where it is requested (or
        everywhere with ``always_limit``); elsewhere its code is −1.
        """
        n = len(cols["w_A"])
        sel = np.broadcast_to(sel, (n,))
        mixed = chicken_mixed(*(cols[k] for k in PAYOFF_NAMES))
        limit = np.zeros(n, dtype=np.int64)
        fold = np.zeros(n, dtype=bool)
        want = sel == 3
        need = np.ones(n, dtype=bool) if always_limit else want
        if need.any():
            sub = {k: v[need] for k, v in cols.items()}
            limit[need], fold[need] = chicken_qre_limit(*(sub[k] for k in PAYOFF_NAMES))
        code = np.where(want, limit, sel).astype(np.int64)
        firm_A = np.select([code == 1, code == 2], [1.0, 0.0], mixed["firm_A"])
        firm_B = np.select([code == 1, code == 2], [0.0, 1.0], mixed["firm_B"])
        eu_A = np.select([code == 1, code == 2], [cols["w_A"], cols["l_A"]], mixed["eu_A"])
        eu_B = np.select([code == 1, code == 2], [cols["l_B"], cols["w_B"]], mixed["eu_B"])
        probs = np.stack([firm_A * firm_B, firm_A * (1 - firm_B), (1 - firm_A) * firm_B,
                          (1 - firm_A) * (1 - firm_B)], axis=1)
        return {
            "code": code, "firm_A": firm_A, "firm_B": firm_B, "p_war": firm_A * firm_B,
            "eu_A": eu_A, "eu_B": eu_B, "probs": probs,
            # A QRE-limit selection whose branch bifurcates (a strategically
            # symmetric game) is a knife-edge: report it as a boundary case.
            "boundary": want & fold,
            "qre_limit": np.where(need, limit, -1),
            **{f"{k}_mixed": mixed[k] for k in ("firm_A", "firm_B", "p_war", "eu_A", "eu_B")},
        }

    # -- game -------------------------------------------------------------------
    def game(self, params: Mapping[str, Any] | None = None) -> NormalFormGame:
        """The bimatrix game with exact rational payoffs (decimal values kept)."""
        return chicken_game(self.validate(params), self.players)


def _explain(p: Mapping[str, Any], regime: str, mixed: Mapping[str, float], limit: str) -> str:
    gain_A, loss_A = p["w_A"] - p["s_A"], p["l_A"] - p["d_A"]
    gain_B, loss_B = p["w_B"] - p["s_B"], p["l_B"] - p["d_B"]
    parts = []
    if regime == "mixed":
        parts.append(
            f"In the mixed equilibrium Challenger stands firm with probability "
            f"{mixed['firm_A']:.2f}, fixed by Target's payoffs: Target's gain from "
            f"firmness against a swerving Challenger (w_B − s_B = {gain_B:.2f}) over that gain "
            f"plus what swerving saves it against a firm Challenger (l_B − d_B = {loss_B:.2f}). "
            f"Target stands firm with probability {mixed['firm_B']:.2f}, fixed likewise by "
            f"Challenger's payoffs ({gain_A:.2f} and {loss_A:.2f}). War follows with probability "
            f"{mixed['p_war']:.2f}.")
        parts.append(
            "Each side's mixing is pinned down by the opponent's payoffs: a worse war for "
            "Target (lower d_B) makes Challenger less firm, not Target.")
    else:
        a_firm = regime == "challenger_firm"
        firm, soft = ("Challenger", "Target") if a_firm else ("Target", "Challenger")
        f, s = ("A", "B") if a_firm else ("B", "A")
        cap = firm
        g_firm = gain_A if firm == "Challenger" else gain_B
        l_soft = loss_B if soft == "Target" else loss_A
        parts.append(
            f"{cap} stands firm and {soft} swerves. {cap} would lose w_{f} − s_{f} = "
            f"{g_firm:.2f} by swerving too, and {soft} would lose l_{s} − d_{s} = "
            f"{l_soft:.2f} by standing firm into war, so neither deviates; the mirror "
            f"equilibrium and a mixed one (P(war) = {mixed['p_war']:.2f}) also exist. In the "
            f"mixed one each side's firmness is pinned down by the opponent's payoffs: "
            f"Challenger's ({mixed['firm_A']:.2f}) by Target's, Target's "
            f"({mixed['firm_B']:.2f}) by Challenger's.")
    named = {"challenger_firm": "(Challenger Firm, Target Swerve)",
             "target_firm": "(Challenger Swerve, Target Firm)", "mixed": "the mixed equilibrium"}
    verb = "selects" if p["equilibrium"] == 3 else "would select"
    if gain_A == gain_B and loss_A == loss_B:
        parts.append("The game is strategically symmetric: the logit-QRE branch bifurcates, "
                     f"and its symmetric continuation {verb} the mixed equilibrium; "
                     "either pure equilibrium is equally entitled to selection.")
    else:
        parts.append(f"As decision noise vanishes, the logit-QRE principal branch {verb} "
                     f"{named[limit]}.")
    return " ".join(parts)


MODELS = (Chicken2x2(),)
