"""Nash bargaining solution with war payoffs as the disagreement point.

Definition (models.md §4c; Nash 1950, *Econometrica* 18(2); Kalai 1977 for
the asymmetric form): Russia's share ``x`` maximises
``(u_R(x) - d_R)**alpha * (u_W(1 - x) - d_W)**(1 - alpha)`` over the
bargaining range, with ``d = (p - c_R, 1 - p - c_W)`` and ``u_i(z) = z**r_i``.
With linear utilities ``x = d_R + alpha (1 - d_R - d_W)`` (symmetric:
``p + (c_W - c_R)/2``). With concave utilities the solution is found by a
bounded scalar maximisation: bisection on the derivative of the strictly
concave log Nash product (:func:`sim.kernels.bargaining.nash_share`); the
more risk-averse side gets less.

Convention (Binmore, Rubinstein & Wolinsky 1986; Binmore, Shaked & Sutton
1989): war payoffs as the *disagreement point* make the bargaining range the
Pareto set; treating them as *outside options* (rubinstein_outside_option)
gives different numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.kernels.bargaining import nash_share
from sim.kernels.fearon import bargaining_range
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec

__all__ = ["NashBargaining", "MODELS"]

_REGIMES = ("linear_closed_form", "concave_numeric")


def _f(v: float) -> str:
    return f"{v:.2f}"


class NashBargaining(Model):
    """The axiomatic (asymmetric) Nash bargaining split between Russia and the West."""

    name = "nash_bargaining"
    family = "rubinstein_nbs"
    title = "Nash bargaining solution (war as disagreement point)"
    citation = "Nash (1950), Econometrica 18(2): 155-162; Kalai (1977); models.md §4c"
    description = (
        "An axiomatic benchmark: the split that maximises the product of both sides' gains "
        "over war, weighted by bargaining power alpha (Russia's weight). War payoffs are the "
        "disagreement point, which is the usual convention in IR; treating war as an "
        "outside option gives different numbers. With the 2022 teaching values and equal "
        "weights Russia gets p + (c_W − c_R)/2 = 0.625; a more risk-averse West (r_W < 1) "
        "concedes more."
    )
    players = ("Russia", "West")
    outcomes = ("Agreement",)
    regimes = _REGIMES
    params = (
        ParamSpec("p", 0.65, unit="probability",
                  meaning="probability that Russia imposes its terms by war", symbol="p"),
        ParamSpec("c_R", 0.15, meaning="Russia's cost of war", symbol="c_R"),
        ParamSpec("c_W", 0.10, meaning="the West's cost of war", symbol="c_W"),
        ParamSpec("alpha", 0.5, unit="weight", meaning="Russia's bargaining weight",
                  symbol="α"),
        ParamSpec("r_R", 1.0, lo=0.05, unit="exponent",
                  meaning="Russia's utility exponent (below 1: risk averse)", symbol="r_R"),
        ParamSpec("r_W", 1.0, lo=0.05, unit="exponent",
                  meaning="the West's utility exponent (below 1: risk averse)", symbol="r_W"),
    )

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        p, c_R, c_W, alpha, r_R, r_W = (np.asarray(b[k], dtype=float)
                                        for k in ("p", "c_R", "c_W", "alpha", "r_R", "r_W"))
        rng = bargaining_range(p, c_R, c_W, r_R, r_W)
        d1, d2 = rng["war_A"], rng["war_B"]
        x = nash_share(d1, d2, alpha, r_R, r_W, rng["lower"], rng["upper"])
        return {"x": x, "u1": x ** r_R, "u2": (1.0 - x) ** r_W, "d1": d1, "d2": d2,
                "lower": rng["lower"], "upper": rng["upper"],
                "regime": np.where((r_R == 1.0) & (r_W == 1.0), 0, 1).astype(np.int64)}

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = {k: np.atleast_1d(v)[0] for k, v in self._core(p).items()}
        x, u1, u2, d1, d2 = (float(r[k]) for k in ("x", "u1", "u2", "d1", "d2"))
        code = int(r["regime"])
        lin = x if code == 0 else float(np.clip(d1 + p["alpha"] * (1 - d1 - d2),
                                                r["lower"], r["upper"]))
        text = (f"Convention: war payoffs are the disagreement point (d_R = {_f(d1)}, "
                f"d_W = {_f(d2)}); treating war as an outside option instead would give "
                f"different numbers. The bargaining range is [{_f(float(r['lower']))}, "
                f"{_f(float(r['upper']))}] and the Nash solution with Russia's weight "
                f"α = {_f(p['alpha'])} gives Russia x = {_f(x)}: gains over war of "
                f"{_f(u1 - d1)} for Russia and {_f(u2 - d2)} for the West.")
        if code == 0:
            text += (f" With linear utilities x = d_R + α(1 − d_R − d_W): raising α by 0.10 "
                     f"would give Russia {_f(0.1 * (1 - d1 - d2))} more.")
        else:
            text += (f" With risk-neutral utilities it would be {_f(lin)}; risk aversion "
                     f"(r_R = {_f(p['r_R'])}, r_W = {_f(p['r_W'])}) moves it by "
                     f"{_f(x - lin)}: the more risk-averse side gets less.")
        return Outcome(
            model=self.name,
            params=p,
            outcome="Agreement",
            regime=_REGIMES[code],
            probabilities={"Agreement": 1.0},
            p_war=0.0,
            payoffs={"Russia": u1, "West": u2},
            flags=Flags(),
            explanation=text,
            details={"x1": x, "u1": u1, "u2": u2, "d1": d1, "d2": d2,
                     "lower": float(r["lower"]), "upper": float(r["upper"]),
                     "convention": "war payoffs as disagreement point"},
            method=("closed form" if code == 0
                    else "bounded scalar maximisation (bisection on the log-product derivative)"),
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        n = len(r["x"])
        return self.batch_outcome(
            batch,
            regime=r["regime"],
            probabilities=np.ones((n, 1)),
            p_war=np.zeros(n),
            payoffs={"Russia": r["u1"], "West": r["u2"]},
            details={"x1": r["x"], "d1": r["d1"], "d2": r["d2"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """No finite game: the Nash solution is axiomatic, not the outcome of moves."""
        return None


MODELS = (NashBargaining(),)
