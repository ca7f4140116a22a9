"""2×2 Chicken between Russia and the West (models.md §3a).

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

    firm_R = (w_W − s_W) / ((w_W − s_W) + (l_W − d_W)),
    firm_W = (w_R − s_R) / ((w_R − s_R) + (l_R − d_R)),

with ``p_war = firm_R · firm_W`` and payoff ``(1 − firm_j) s_i + firm_j l_i``.
The reported equilibrium is chosen by the ``equilibrium`` parameter: the
mixed one (default), either pure one, or the one selected by the limit of the
logit-QRE principal branch as λ → ∞ (models.md §9; McKelvey & Palfrey 1995).

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
from fractions import Fraction
from typing import Any

import numpy as np

from sim.games.normal_form import NormalFormGame
from sim.kernels.chicken import chicken_gaps, chicken_mixed, chicken_qre_limit
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome, ParamSpec

__all__ = ["Chicken2x2", "MODELS", "chicken_arrays", "SELECTIONS", "PAYOFF_NAMES"]

#: Codes of the ``equilibrium`` parameter.
SELECTIONS: tuple[str, ...] = ("mixed", "russia_firm", "west_firm", "qre_limit")

#: Payoff parameter names, Russia's then the West's.
PAYOFF_NAMES: tuple[str, ...] = ("w_R", "s_R", "l_R", "d_R", "w_W", "s_W", "l_W", "d_W")

_OUTCOMES = ("War", "Concession", "Back down", "Status quo")
_PURE = {"russia_firm": ("Firm", "Swerve"), "west_firm": ("Swerve", "Firm")}


def _payoff_spec(name: str, default: float, meaning: str, symbol: str) -> ParamSpec:
    return ParamSpec(name, default, lo=-10.0, hi=10.0, step=0.1, unit="utility",
                     meaning=meaning, symbol=symbol)


def chicken_arrays(values: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Bimatrix ``(A, B)``: rows are Russia's [Swerve, Firm], columns the West's."""
    v = values
    A = [[v["s_R"], v["l_R"]], [v["w_R"], v["d_R"]]]
    B = [[v["s_W"], v["w_W"]], [v["l_W"], v["d_W"]]]
    return np.asarray(A), np.asarray(B)


class Chicken2x2(Model):
    """2×2 Chicken with a choice of which of its three equilibria to report."""

    name = "chicken_2x2"
    family = "chicken_brinkmanship"
    title = "Chicken (2×2)"
    citation = ("Schelling (1966) ch. 3; Dixit, Skeath & Reiley (2015) ch. 4, 7; "
                "models.md §3a")
    description = (
        "Russia and the West each either swerve (back off) or stand firm. Standing firm "
        "against a swerving opponent wins the issue, both swerving is a compromise, and "
        "both standing firm is war, the worst outcome for each. The game has two pure "
        "equilibria, in which one side backs down, and a mixed one in which war happens "
        "with probability firm_R·firm_W. In 2022 terms, Firm for Russia is invading and "
        "for the West is refusing any concession on NATO enlargement; the default West "
        "war payoff (−3) is worse than Russia's (−1), a regime that had priced the war in. "
        "In the mixed equilibrium each side's firmness is set by the opponent's payoffs."
    )
    players = ("Russia", "West")
    outcomes = _OUTCOMES
    regimes = ("mixed", "russia_firm", "west_firm")
    params = (
        _payoff_spec("w_R", 1.0, "Russia's payoff when it stands firm and the West swerves",
                     "w_R"),
        _payoff_spec("s_R", 0.5, "Russia's payoff when both swerve (compromise)", "s_R"),
        _payoff_spec("l_R", 0.0, "Russia's payoff when it swerves and the West stands firm",
                     "l_R"),
        _payoff_spec("d_R", -1.0, "Russia's payoff when both stand firm (war)", "d_R"),
        _payoff_spec("w_W", 1.0, "West's payoff when it stands firm and Russia swerves",
                     "w_W"),
        _payoff_spec("s_W", 0.5, "West's payoff when both swerve (compromise)", "s_W"),
        _payoff_spec("l_W", 0.0, "West's payoff when it swerves and Russia stands firm",
                     "l_W"),
        _payoff_spec("d_W", -3.0, "West's payoff when both stand firm (war)", "d_W"),
        ParamSpec("equilibrium", 0, lo=0, hi=3, step=1, unit="choice", kind="integer",
                  meaning="equilibrium reported: 0 mixed, 1 Russia Firm/West Swerve, "
                          "2 Russia Swerve/West Firm, 3 logit-QRE limit",
                  symbol="eq"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        for side in ("R", "W"):
            w, s, l, d = (float(values[f"{k}_{side}"]) for k in "wsld")  # noqa: E741
            if not (w > s > l > d):
                raise ModelError(
                    f"{self.name}: Chicken needs w_{side} > s_{side} > l_{side} > d_{side}; "
                    f"got {w:g}, {s:g}, {l:g}, {d:g}")

    # -- single point ---------------------------------------------------------
    def _solve(self, p: dict[str, Any]) -> Outcome:
        cols = {k: np.array([float(p[k])]) for k in PAYOFF_NAMES}
        batch = self._arrays(cols, np.array([int(p["equilibrium"])]), always_limit=True)
        k = 0
        code = int(batch["code"][k])
        regime = self.regimes[code]
        firm_R, firm_W = float(batch["firm_R"][k]), float(batch["firm_W"][k])
        probs = {lab: float(batch["probs"][k, j]) for j, lab in enumerate(_OUTCOMES)}
        mixed = {key: float(batch[f"{key}_mixed"][k])
                 for key in ("firm_R", "firm_W", "p_war", "eu_R", "eu_W")}
        limit = SELECTIONS[int(batch["qre_limit"][k])]
        equilibria = [
            {"name": "russia_firm", "profile": ["Firm", "Swerve"], "firm_R": 1.0, "firm_W": 0.0,
             "p_war": 0.0, "payoffs": {"Russia": p["w_R"], "West": p["l_W"]}},
            {"name": "west_firm", "profile": ["Swerve", "Firm"], "firm_R": 0.0, "firm_W": 1.0,
             "p_war": 0.0, "payoffs": {"Russia": p["l_R"], "West": p["w_W"]}},
            {"name": "mixed", "profile": None, "firm_R": mixed["firm_R"],
             "firm_W": mixed["firm_W"], "p_war": mixed["p_war"],
             "payoffs": {"Russia": mixed["eu_R"], "West": mixed["eu_W"]}},
        ]
        details = {
            "n_equilibria": 3,
            "pure_equilibria": [list(_PURE["russia_firm"]), list(_PURE["west_firm"])],
            "equilibria": equilibria,
            "selection": SELECTIONS[int(p["equilibrium"])],
            "qre_limit": limit,
            **{f"{key}_mixed": val for key, val in mixed.items()},
            "firm_R": firm_R,
            "firm_W": firm_W,
        }
        outcome = max(_OUTCOMES, key=lambda lab: probs[lab])
        return Outcome(
            model=self.name,
            params=dict(p),
            outcome=outcome,
            regime=regime,
            probabilities=probs,
            p_war=float(batch["p_war"][k]),
            payoffs={"Russia": float(batch["eu_R"][k]), "West": float(batch["eu_W"][k])},
            strategies={"Russia": {"Swerve": 1.0 - firm_R, "Firm": firm_R},
                        "West": {"Swerve": 1.0 - firm_W, "Firm": firm_W}},
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
                for s in ("R", "W")]
        ok = np.ones(len(cols["w_R"]), dtype=bool)
        for side, (gain, loss) in zip(("R", "W"), gaps, strict=True):
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
            payoffs={"Russia": res["eu_R"], "West": res["eu_W"]},
            boundary=res["boundary"],
            multiple_equilibria=np.ones(len(res["p_war"]), dtype=bool),
            details={k: res[k] for k in ("firm_R", "firm_W", "firm_R_mixed", "firm_W_mixed",
                                         "p_war_mixed", "eu_R_mixed", "eu_W_mixed",
                                         "qre_limit")},
        )

    @staticmethod
    def _arrays(cols: Mapping[str, np.ndarray], sel: np.ndarray,
                always_limit: bool = False) -> dict[str, np.ndarray]:
        """Every reported quantity for a batch, shared by both solve paths.

        The QRE-limit selection is computed where it is requested (or
        everywhere with ``always_limit``); elsewhere its code is −1.
        """
        n = len(cols["w_R"])
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
        firm_R = np.select([code == 1, code == 2], [1.0, 0.0], mixed["firm_R"])
        firm_W = np.select([code == 1, code == 2], [0.0, 1.0], mixed["firm_W"])
        eu_R = np.select([code == 1, code == 2], [cols["w_R"], cols["l_R"]], mixed["eu_R"])
        eu_W = np.select([code == 1, code == 2], [cols["l_W"], cols["w_W"]], mixed["eu_W"])
        probs = np.stack([firm_R * firm_W, firm_R * (1 - firm_W), (1 - firm_R) * firm_W,
                          (1 - firm_R) * (1 - firm_W)], axis=1)
        return {
            "code": code, "firm_R": firm_R, "firm_W": firm_W, "p_war": firm_R * firm_W,
            "eu_R": eu_R, "eu_W": eu_W, "probs": probs,
            # A QRE-limit selection whose branch bifurcates (a strategically
            # symmetric game) is a knife-edge: report it as a boundary case.
            "boundary": want & fold,
            "qre_limit": np.where(need, limit, -1),
            **{f"{k}_mixed": mixed[k] for k in ("firm_R", "firm_W", "p_war", "eu_R", "eu_W")},
        }

    # -- game -------------------------------------------------------------------
    def game(self, params: Mapping[str, Any] | None = None) -> NormalFormGame:
        """The bimatrix game with exact rational payoffs (decimal values kept)."""
        values = self.validate(params)
        A, B = chicken_arrays(values)

        def exact(a: np.ndarray) -> np.ndarray:
            return np.array([[Fraction(repr(float(v))) for v in row] for row in a], dtype=object)

        return NormalFormGame.from_arrays(
            exact(A), exact(B), players=self.players,
            strategies=(("Swerve", "Firm"), ("Swerve", "Firm")), title="Chicken")


def _explain(p: Mapping[str, Any], regime: str, mixed: Mapping[str, float], limit: str) -> str:
    gain_R, loss_R = p["w_R"] - p["s_R"], p["l_R"] - p["d_R"]
    gain_W, loss_W = p["w_W"] - p["s_W"], p["l_W"] - p["d_W"]
    parts = []
    if regime == "mixed":
        parts.append(
            f"In the mixed equilibrium Russia stands firm with probability "
            f"{mixed['firm_R']:.2f}, fixed by the West's payoffs: the West's gain from "
            f"firmness against a swerving Russia (w_W − s_W = {gain_W:.2f}) over that gain "
            f"plus what swerving saves it against a firm Russia (l_W − d_W = {loss_W:.2f}). "
            f"The West stands firm with probability {mixed['firm_W']:.2f}, fixed likewise by "
            f"Russia's payoffs ({gain_R:.2f} and {loss_R:.2f}). War follows with probability "
            f"{mixed['p_war']:.2f}.")
        parts.append(
            "Each side's mixing is pinned down by the opponent's payoffs: a worse war for "
            "the West (lower d_W) makes Russia less firm, not the West.")
    else:
        firm, soft = ("Russia", "the West") if regime == "russia_firm" else ("the West", "Russia")
        f, s = ("R", "W") if firm == "Russia" else ("W", "R")
        cap = firm[0].upper() + firm[1:]
        g_firm = gain_R if firm == "Russia" else gain_W
        l_soft = loss_W if soft == "the West" else loss_R
        parts.append(
            f"{cap} stands firm and {soft} swerves. {cap} would lose w_{f} − s_{f} = "
            f"{g_firm:.2f} by swerving too, and {soft} would lose l_{s} − d_{s} = "
            f"{l_soft:.2f} by standing firm into war, so neither deviates; the mirror "
            f"equilibrium and a mixed one (P(war) = {mixed['p_war']:.2f}) also exist. In the "
            f"mixed one each side's firmness is pinned down by the opponent's payoffs: "
            f"Russia's ({mixed['firm_R']:.2f}) by the West's, the West's "
            f"({mixed['firm_W']:.2f}) by Russia's.")
    named = {"russia_firm": "(Russia Firm, West Swerve)",
             "west_firm": "(Russia Swerve, West Firm)", "mixed": "the mixed equilibrium"}
    verb = "selects" if p["equilibrium"] == 3 else "would select"
    if gain_R == gain_W and loss_R == loss_W:
        parts.append("The game is strategically symmetric: the logit-QRE branch bifurcates, "
                     f"and its symmetric continuation {verb} the mixed equilibrium; "
                     "either pure equilibrium is equally entitled to selection.")
    else:
        parts.append(f"As decision noise vanishes, the logit-QRE principal branch {verb} "
                     f"{named[limit]}.")
    return " ".join(parts)


MODELS = (Chicken2x2(),)
