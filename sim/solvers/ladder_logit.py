"""The logit-limit sequential equilibrium of one private-resolve escalation ladder.

See docs/models/escalation_ladder_incomplete.md; the equations are in
:mod:`sim.kernels.ladder_private`.

Sequential equilibrium, selected as the limit of the logit agent quantal
response equilibrium (McKelvey & Palfrey 1998) along its principal branch,
which is how Gambit's ``logit_solve`` defines the reported equilibrium. Two
stages:

1. **Tracing.** With behaviour log-odds ``z_j`` at every information set, the
   agent QRE solves ``z_j = λ ΔU_j(σ(z))``, where ``ΔU_j`` is the value of
   escalating over quitting given the continuation play and, for Challenger,
   Bayes beliefs computed from the log-odds (so beliefs off the path are the
   limits of the trembles). The branch is followed from λ = 0 (uniform play)
   by the path follower of :mod:`sim.solvers.continuation`, on payoffs scaled
   to a maximum of 1, to ``λ = 10⁴`` and, if stage 2 fails there, on to
   ``10⁵`` and ``10⁶`` (a pure action whose margin is below ``25/λ`` still
   looks mixed).
2. **Polishing.** Information sets whose log-odds stay small mix in the
   limit; the others are pure. The mixing ones are solved exactly from their
   indifference conditions ``ΔU_j = 0``, holding the pure ones fixed. The
   result is checked: every pure action must be a best reply; the largest
   gain from deviating is reported as ``regret``.

If a step cannot be completed, or the polished profile fails its check, the
QRE at the last λ reached is reported with ``exact`` False.

References
----------
McKelvey, R. D., & Palfrey, T. R. (1998). Quantal Response Equilibria for
Extensive Form Games. *Experimental Economics* 1(1): 9–41.
Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic
quantal response equilibrium correspondence. *GEB* 51(2): 243–263.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import root
from scipy.special import expit

from sim.games.errors import GameError
from sim.kernels.ladder_private import LadderPoint, beliefs_from_logb, evaluate, infosets, regret
from sim.solvers.continuation import follow_branch

__all__ = ["LadderSE", "solve_ladder_logit"]

#: Log-odds below this at the end of tracing mark a mixing information set.
_Z_MIX = 25.0
#: Precisions at which tracing pauses to try the exact polish (payoffs scaled
#: to a maximum of 1); a pure action with a margin below ``_Z_MIX / λ`` is
#: taken for a mixing one at that stage, so later stages resolve small margins.
_LAMBDA_STAGES = (1e4, 1e5, 1e6)


@dataclass(frozen=True)
class LadderSE:
    """The solved incomplete-information ladder.

    ``keys`` name the information sets (``A1``, ``B2_res``, ``B2_irr``, ...);
    ``esc`` holds their escalation probabilities and ``margin`` the value of
    escalating over quitting; ``beliefs`` maps ``A<k>`` to ``μ_k``.
    """

    keys: tuple[str, ...]
    esc: tuple[float, ...]
    margin: tuple[float, ...]
    mixing: tuple[bool, ...]
    beliefs: Mapping[str, float]
    eu_A: float
    eu_B_res: float
    eu_B_irr: float
    eu_B: float
    p_disaster: float
    p_challenger_quits: float
    p_target_quits: float
    regret: float
    exact: bool
    lam_reached: float


def _logb(z: np.ndarray) -> list[float]:
    return list(-np.logaddexp(0.0, -z))


def _margins(g: LadderPoint, a: Sequence[float], z: np.ndarray) -> np.ndarray:
    mu = beliefs_from_logb(g.prior_res, _logb(z))
    return np.asarray(evaluate(g, list(a), mu)["margin"], dtype=float)


def _trace(g: LadderPoint, lam_end: float, z0: np.ndarray | None = None,
           lam0: float = 0.0) -> tuple[np.ndarray, float, bool]:
    """Follow the agent-QRE principal branch from ``(z0, lam0)`` (default λ = 0) to ``lam_end``.

    The branch solves ``H(z, λ) = z − λ ΔU(σ(z)) = 0``; the point reached is
    corrected with λ held fixed.
    """
    z = np.zeros(len(infosets(len(g.risks)))) if z0 is None else z0

    def residual(zz: np.ndarray, lam: float) -> np.ndarray:
        return zz - lam * _margins(g, expit(zz).tolist(), zz)

    try:
        point = follow_branch(residual, z, lam0, lam_end, 1e-9, residual_scale=1e5)
    except GameError:
        return z, lam0, False
    if not point.reached:
        return point.z, point.lam, False
    sol = root(lambda zz: residual(zz, lam_end), point.z, method="hybr",
               options={"xtol": 1e-13})
    if np.all(np.isfinite(sol.x)) and np.max(np.abs(residual(sol.x, lam_end))) < 1e-9 * (
            1 + lam_end):
        return np.asarray(sol.x), lam_end, True
    return point.z, lam_end, True


def _certify(g: LadderPoint, z: np.ndarray) -> np.ndarray | None:
    """Polish the mixing information sets exactly; ``None`` unless an equilibrium results.

    Information sets with ``|z| < _Z_MIX`` are solved from ``ΔU_j = 0``; the
    others keep their log-odds (pure up to ``e^{−25}``, which also carries
    the limiting beliefs off the path). The polished profile, with the pure
    actions rounded to 0/1, must have regret below 1e-9.
    """
    mixing = np.abs(z) < _Z_MIX
    z = z.copy()
    if mixing.any():
        idx = np.flatnonzero(mixing)

        def eqs(x: np.ndarray) -> np.ndarray:
            zz = z.copy()
            zz[idx] = x
            return _margins(g, expit(zz).tolist(), zz)[idx]

        sol = root(eqs, z[idx], method="hybr", options={"xtol": 1e-14})
        # hybr may report slow progress after reaching the root; judge by the residual.
        if not (np.all(np.isfinite(sol.x)) and np.max(np.abs(eqs(sol.x))) < 1e-11):
            return None
        z[idx] = sol.x
        if np.any(np.abs(sol.x) >= _Z_MIX):
            return None
    a = np.where(mixing, expit(z), (z > 0).astype(float))
    return z if regret(_margins(g, a.tolist(), z), a, mixing) <= 1e-9 else None


def solve_ladder_logit(g: LadderPoint) -> LadderSE:
    """Sequential equilibrium (logit-QRE limit) of one incomplete-information ladder.

    See the module docstring for the method. Payoffs are scaled to a maximum
    absolute value of 1 for tracing; reported values are in the given units.
    ``g.risks`` must end with its first risk of 1.
    """
    scale = max(abs(g.v_A), abs(g.v_B), abs(g.d_A), abs(g.d_B_res), abs(g.d_B_irr), 1e-12)
    scaled = replace(g, v_A=g.v_A / scale, v_B=g.v_B / scale, d_A=g.d_A / scale,
                     d_B_res=g.d_B_res / scale, d_B_irr=g.d_B_irr / scale)
    z: np.ndarray | None = None
    lam = 0.0
    certified: np.ndarray | None = None
    for stage in _LAMBDA_STAGES:
        z, lam, traced = _trace(scaled, stage, z, lam)
        if not traced:
            break
        certified = _certify(scaled, z)
        if certified is not None:
            break
    assert z is not None
    exact = certified is not None
    if certified is not None:
        z = certified
    mixing = np.abs(z) < _Z_MIX
    a = np.asarray(expit(z))
    if exact:
        a = np.where(mixing, a, (z > 0).astype(float))
    mu = beliefs_from_logb(g.prior_res, _logb(z))
    ev = evaluate(g, a.tolist(), mu)
    margin = np.asarray(ev["margin"], dtype=float)
    eu = ev["eu"]
    sets = infosets(len(g.risks))
    return LadderSE(
        keys=tuple(key for key, _, _ in sets),
        esc=tuple(float(x) for x in a),
        margin=tuple(float(m) for m in margin),
        mixing=tuple(bool(m) for m in mixing),
        beliefs={key: float(mu[k // 2]) for key, k, side in sets if side is None},
        eu_A=float(g.prior_res * eu["res"][0] + (1 - g.prior_res) * eu["irr"][0]),
        eu_B_res=float(eu["res"][1]), eu_B_irr=float(eu["irr"][1]),
        eu_B=float(g.prior_res * eu["res"][1] + (1 - g.prior_res) * eu["irr"][1]),
        p_disaster=float(ev["p_disaster"]), p_challenger_quits=float(ev["p_challenger_quits"]),
        p_target_quits=float(ev["p_target_quits"]), regret=float(regret(margin, a, mixing)),
        exact=exact, lam_reached=float(lam / scale),
    )
