"""Rubinstein alternating-offers bargaining (SPE).

Game (models.md §4a; Rubinstein 1982, *Econometrica* 50(1): 97–109): the
first proposer offers a split of the unit pie at ``t = 0, 2, ...``, the other
side at ``t = 1, 3, ...``; a rejected offer costs a period, payoffs are
``delta_i**t`` times the share. The unique SPE has immediate agreement with
the first proposer's share ``(1 - d2)/(1 - d1 d2)``. With ``delta_i =
exp(-r_i Δ)`` and ``Δ → 0`` the share tends to ``r2/(r1 + r2)`` (Binmore,
Rubinstein & Wolinsky 1986). "Time is on Russia's side": ``delta_R > delta_W``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.kernels.bargaining import rubinstein_share
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec

__all__ = ["Rubinstein", "delta_params", "MODELS"]


def _f(v: float) -> str:
    return f"{v:.2f}"


def delta_params() -> tuple[ParamSpec, ...]:
    """Discount factors and proposer, shared by the bargaining models."""
    return (
        ParamSpec("delta_R", 0.95, hi=0.999999, unit="per round",
                  meaning="Russia's discount factor (patience)", symbol="δ_R"),
        ParamSpec("delta_W", 0.85, hi=0.999999, unit="per round",
                  meaning="the West's discount factor (patience)", symbol="δ_W"),
        ParamSpec("proposer", 0, hi=1, step=1, unit="choice", kind="integer",
                  meaning="who proposes first: 0 Russia, 1 the West", symbol="proposer"),
    )


def limit_share(d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """Continuous-time limit ``r2/(r1 + r2)`` with ``r_i = -ln delta_i``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r1, r2 = -np.log(d1), -np.log(d2)
        out = r2 / (r1 + r2)
    # delta = 0 is infinitely impatient; both equal 0 splits evenly by symmetry.
    out = np.where(np.isinf(r1) & np.isinf(r2), 0.5,
                   np.where(np.isinf(r1), 0.0, np.where(np.isinf(r2), 1.0, out)))
    return out


class Rubinstein(Model):
    """Alternating offers between a patient Russia and an impatient West."""

    name = "rubinstein"
    family = "rubinstein_nbs"
    title = "Rubinstein alternating-offers bargaining"
    citation = "Rubinstein (1982), Econometrica 50(1): 97-109; models.md §4a"
    description = (
        "Russia and the West alternate proposals over the unit pie; every rejection costs "
        "a round of delay, discounted at δ_R and δ_W. Moscow's claim that 'time is on its "
        "side' is δ_R > δ_W: the more patient side can hold out for more. With δ_R = 0.95 "
        "and δ_W = 0.85, Russia proposing first gets 0.78. War plays no part here; see "
        "rubinstein_outside_option for the West's war option."
    )
    players = ("Russia", "West")
    outcomes = ("Agreement",)
    regimes = ("immediate_agreement",)
    params = delta_params()

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        dR, dW = np.asarray(b["delta_R"], dtype=float), np.asarray(b["delta_W"], dtype=float)
        west = np.asarray(b["proposer"], dtype=float) > 0.5
        d1, d2 = np.where(west, dW, dR), np.where(west, dR, dW)
        x1 = rubinstein_share(d1, d2)
        x_R = np.where(west, 1.0 - x1, x1)
        return {"x1": x1, "x_R": x_R, "limit_1": limit_share(d1, d2), "west": west,
                "x_R_other_first": np.where(west, rubinstein_share(dR, dW),
                                            1.0 - rubinstein_share(dW, dR))}

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = {k: np.atleast_1d(v)[0] for k, v in self._core(p).items()}
        x1, x_R = float(r["x1"]), float(r["x_R"])
        west = bool(r["west"])
        first = "the West" if west else "Russia"
        dR, dW = p["delta_R"], p["delta_W"]
        other = float(r["x_R_other_first"])
        text = (f"{first[0].upper() + first[1:]} proposes first; in the unique subgame-perfect "
                f"equilibrium the first offer is accepted at once and gives the proposer "
                f"(1 − δ₂)/(1 − δ₁δ₂) = {_f(x1)}, so Russia gets {_f(x_R)} and the West "
                f"{_f(1 - x_R)}. ")
        if abs(dR - dW) <= 1e-12:
            text += "Both sides are equally patient, so only the first-mover advantage remains."
        else:
            more = "Russia" if dR > dW else "the West"
            text += (f"{more[0].upper() + more[1:]} is the more patient side "
                     f"(δ_R = {_f(dR)}, δ_W = {_f(dW)}); the gap of {_f(abs(dR - dW))} is what "
                     f"'time is on its side' buys.")
        text += (f" If the other side proposed first, Russia would get {_f(other)}. As "
                 f"rounds shrink to nothing the proposer's share tends to r₂/(r₁ + r₂) = "
                 f"{_f(float(r['limit_1']))}.")
        return Outcome(
            model=self.name,
            params=p,
            outcome="Agreement",
            regime="immediate_agreement",
            probabilities={"Agreement": 1.0},
            p_war=0.0,
            payoffs={"Russia": x_R, "West": 1.0 - x_R},
            strategies={("West" if west else "Russia") + " (first offer)": {_f(x1): 1.0},
                        ("Russia" if west else "West") + " (response)": {"Accept": 1.0}},
            flags=Flags(),
            explanation=text,
            details={"x1": x1, "x2": 1.0 - x1, "x_R": x_R, "x_W": 1.0 - x_R,
                     "x_R_if_other_proposes": other,
                     "continuous_time_limit_x1": float(r["limit_1"])},
            method="closed form (Rubinstein 1982)",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        n = len(r["x_R"])
        return self.batch_outcome(
            batch,
            regime=np.zeros(n, dtype=np.int64),
            probabilities=np.ones((n, 1)),
            p_war=np.zeros(n),
            payoffs={"Russia": r["x_R"], "West": 1.0 - r["x_R"]},
            details={"x1": r["x1"], "x_R": r["x_R"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """No finite game: offers are continuous and the horizon is infinite."""
        return None


MODELS = (Rubinstein(),)
