"""Nash bargaining solution with war payoffs as the disagreement point.

Definition (docs/models/nash_bargaining.md; Nash 1950, *Econometrica* 18(2); Kalai 1977 for
the asymmetric form): Side A's share ``x`` maximises
``(u_A(x) - d_A)**alpha * (u_B(1 - x) - d_B)**(1 - alpha)`` over the
bargaining range, with ``d = (p - c_A, 1 - p - c_B)`` and ``u_i(z) = z**r_i``.
With linear utilities ``x = d_A + alpha (1 - d_A - d_B)`` (symmetric:
``p + (c_B - c_A)/2``). With concave utilities the solution is found by a
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
from sim.modelkit.text import f2 as _f
from sim.modelkit.vocabulary import SIDES, utility_exponent, war_cost, win_probability
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec, first_point

__all__ = ["NashBargaining", "MODELS"]

_REGIMES = ("linear_closed_form", "concave_numeric")



class NashBargaining(Model):
    """The axiomatic (asymmetric) Nash bargaining split between Side A and Side B."""

    name = "nash_bargaining"
    family = "rubinstein_nbs"
    title = "Nash bargaining solution (war as disagreement point)"
    citation = "Nash (1950), Econometrica 18(2): 155-162; Kalai (1977)"
    description = (
        "An axiomatic benchmark: the split that maximises the product of both sides' gains "
        "over war, weighted by bargaining power alpha (Side A's weight). War payoffs are the "
        "disagreement point, which is the usual convention in IR; treating war as an outside "
        "option gives different numbers. With the defaults and equal weights Side A gets p + "
        "(c_B − c_A)/2; a more risk-averse Side B (r_B < 1) concedes more."
    )
    roles = SIDES
    outcomes = ("Agreement",)
    regimes = _REGIMES
    params = (
        win_probability("Side A"),
        war_cost("A", "Side A", 0.15),
        war_cost("B", "Side B", 0.10),
        ParamSpec("alpha", 0.5, unit="weight", meaning="Side A's bargaining weight",
                  symbol="α"),
        utility_exponent("A", "Side A"),
        utility_exponent("B", "Side B"),
    )

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        p, c_A, c_B, alpha, r_A, r_B = (np.asarray(b[k], dtype=float)
                                        for k in ("p", "c_A", "c_B", "alpha", "r_A", "r_B"))
        rng = bargaining_range(p, c_A, c_B, r_A, r_B)
        d1, d2 = rng["war_A"], rng["war_B"]
        x = nash_share(d1, d2, alpha, r_A, r_B, rng["lower"], rng["upper"])
        return {"x": x, "u1": x ** r_A, "u2": (1.0 - x) ** r_B, "d1": d1, "d2": d2,
                "lower": rng["lower"], "upper": rng["upper"],
                "regime": np.where((r_A == 1.0) & (r_B == 1.0), 0, 1).astype(np.int64)}

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
        x, u1, u2, d1, d2 = (float(r[k]) for k in ("x", "u1", "u2", "d1", "d2"))
        code = int(r["regime"])
        lin = x if code == 0 else float(np.clip(d1 + p["alpha"] * (1 - d1 - d2),
                                                r["lower"], r["upper"]))
        text = (f"Convention: war payoffs are the disagreement point (d_A = {_f(d1)}, "
                f"d_B = {_f(d2)}); treating war as an outside option instead would give "
                f"different numbers. The bargaining range is [{_f(float(r['lower']))}, "
                f"{_f(float(r['upper']))}] and the Nash solution with Side A's weight "
                f"α = {_f(p['alpha'])} gives Side A x = {_f(x)}: gains over war of "
                f"{_f(u1 - d1)} for Side A and {_f(u2 - d2)} for Side B.")
        if code == 0:
            text += (f" With linear utilities x = d_A + α(1 − d_A − d_B): raising α by 0.10 "
                     f"would give Side A {_f(0.1 * (1 - d1 - d2))} more.")
        else:
            text += (f" With risk-neutral utilities it would be {_f(lin)}; risk aversion "
                     f"(r_A = {_f(p['r_A'])}, r_B = {_f(p['r_B'])}) moves it by "
                     f"{_f(x - lin)}: the more risk-averse side gets less.")
        return self.point_outcome(
            p,
            outcome="Agreement",
            regime=_REGIMES[code],
            probabilities={"Agreement": 1.0},
            p_war=0.0,
            payoffs={"Side A": u1, "Side B": u2},
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
            payoffs={"Side A": r["u1"], "Side B": r["u2"]},
            details={"x1": r["x"], "d1": r["d1"], "d2": r["d2"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """No finite game: the Nash solution is axiomatic, not the outcome of moves."""
        return None


MODELS = (NashBargaining(),)
