"""Rubinstein alternating-offers bargaining (SPE).

Game (docs/models/rubinstein.md; Rubinstein 1982, *Econometrica* 50(1): 97–109): the
first proposer offers a split of the unit pie at ``t = 0, 2, ...``, the other
side at ``t = 1, 3, ...``; a rejected offer costs a period, payoffs are
``delta_i**t`` times the share. The unique SPE has immediate agreement with
the first proposer's share ``(1 - d2)/(1 - d1 d2)``. With ``delta_i =
exp(-r_i Δ)`` and ``Δ → 0`` the share tends to ``r2/(r1 + r2)`` (Binmore,
Rubinstein & Wolinsky 1986). "Time is on Side A's side": ``delta_A > delta_B``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.kernels.bargaining import rubinstein_share
from sim.modelkit.text import f2 as _f
from sim.modelkit.vocabulary import SIDES, alternating_offer_params
from sim.models.base import BatchOutcome, Flags, Model, Outcome, first_point

__all__ = ["Rubinstein", "MODELS"]



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
    """Alternating offers between a patient Side A and an impatient Side B."""

    name = "rubinstein"
    family = "rubinstein_nbs"
    title = "Rubinstein alternating-offers bargaining"
    citation = "Rubinstein (1982), Econometrica 50(1): 97-109"
    description = (
        "Side A and Side B alternate proposals over the unit pie; every rejection costs a "
        "round of delay, discounted at δ_A and δ_B. The claim that 'time is on our side' is "
        "δ_A > δ_B: the more patient side can hold out for more. With δ_A = 0.95 and δ_B = "
        "0.85, Side A proposing first gets 0.78. War plays no part here; see "
        "rubinstein_outside_option for Side B's war option."
    )
    roles = SIDES
    outcomes = ("Agreement",)
    regimes = ("immediate_agreement",)
    params = alternating_offer_params("Side A", "Side B")

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        dR, dW = np.asarray(b["delta_A"], dtype=float), np.asarray(b["delta_B"], dtype=float)
        side_b = np.asarray(b["proposer"], dtype=float) > 0.5
        d1, d2 = np.where(side_b, dW, dR), np.where(side_b, dR, dW)
        x1 = rubinstein_share(d1, d2)
        x_A = np.where(side_b, 1.0 - x1, x1)
        return {"x1": x1, "x_A": x_A, "limit_1": limit_share(d1, d2), "side_b": side_b,
                "x_A_other_first": np.where(side_b, rubinstein_share(dR, dW),
                                            1.0 - rubinstein_share(dW, dR))}

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
        x1, x_A = float(r["x1"]), float(r["x_A"])
        side_b = bool(r["side_b"])
        first = "Side B" if side_b else "Side A"
        dR, dW = p["delta_A"], p["delta_B"]
        other = float(r["x_A_other_first"])
        text = (f"{first[0].upper() + first[1:]} proposes first; in the unique subgame-perfect "
                f"equilibrium the first offer is accepted at once and gives {first} "
                f"(1 − δ₂)/(1 − δ₁δ₂) = {_f(x1)}, so Side A gets {_f(x_A)} and Side B "
                f"{_f(1 - x_A)}. ")
        if abs(dR - dW) <= 1e-12:
            text += "Both sides are equally patient, so only the first-mover advantage remains."
        else:
            more = "Side A" if dR > dW else "Side B"
            text += (f"{more[0].upper() + more[1:]} is the more patient side "
                     f"(δ_A = {_f(dR)}, δ_B = {_f(dW)}); the gap of {_f(abs(dR - dW))} is what "
                     f"'time is on its side' buys.")
        text += (f" If the other side proposed first, Side A would get {_f(other)}. As "
                 f"rounds shrink to nothing {first}'s share tends to r₂/(r₁ + r₂) = "
                 f"{_f(float(r['limit_1']))}.")
        return self.point_outcome(
            p,
            outcome="Agreement",
            regime="immediate_agreement",
            probabilities={"Agreement": 1.0},
            p_war=0.0,
            payoffs={"Side A": x_A, "Side B": 1.0 - x_A},
            strategies={("Side B" if side_b else "Side A") + " (first offer)": {_f(x1): 1.0},
                        ("Side A" if side_b else "Side B") + " (response)": {"Accept": 1.0}},
            flags=Flags(),
            explanation=text,
            details={"x1": x1, "x2": 1.0 - x1, "x_A": x_A, "x_B": 1.0 - x_A,
                     "x_A_if_other_proposes": other,
                     "continuous_time_limit_x1": float(r["limit_1"])},
            method="closed form (Rubinstein 1982)",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        n = len(r["x_A"])
        return self.batch_outcome(
            batch,
            regime=np.zeros(n, dtype=np.int64),
            probabilities=np.ones((n, 1)),
            p_war=np.zeros(n),
            payoffs={"Side A": r["x_A"], "Side B": 1.0 - r["x_A"]},
            details={"x1": r["x1"], "x_A": r["x_A"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """No finite game: offers are continuous and the horizon is infinite."""
        return None


MODELS = (Rubinstein(),)
