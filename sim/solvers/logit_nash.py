"""A Nash equilibrium of an N-player game as the limit of the logit QRE branch.

The principal branch of logit QRE converges, as ``lam -> inf``, to a Nash
equilibrium (McKelvey and Palfrey 1995, Games and Economic Behavior 10,
theorem 2; Turocy 2005, Games and Economic Behavior 51): the "logit solution",
which is also a refinement device (it is what Gambit's ``logit_solve``
reports). We trace the branch of the payoff-normalised game with
:mod:`sim.solvers.logit_qre` in stages of increasing ``lam``; after each stage
we guess the support from the current profile and polish: Newton's method on
the indifference conditions of that support,

    u_i(a, sigma_-i) = u_i(a_0, sigma_-i)  for a in S_i,   sum_{a in S_i} sigma_i(a) = 1,

then accept the profile only if it is a probability profile whose max regret
is at most ``1e-9`` (relative to the payoff range), it lies within 0.02 of
the current QRE, and two successive stages polish to the same profile.
Otherwise tracing goes on.
"""

from __future__ import annotations

import numpy as np

from sim.games.errors import GameError
from sim.games.normal_form import NormalFormGame
from sim.solvers.logit_qre import QRESystem, principal_start, trace_curve
from sim.solvers.result import Equilibrium, SolveResult

__all__ = ["logit_solve", "polish_on_support"]

#: Accepted max regret, relative to the game's payoff range.
REGRET_TOL = 1e-9
#: Largest distance (max norm) between the QRE and the polished equilibrium.
LIMIT_GAP = 0.02


def polish_on_support(
    system: QRESystem, sigma: list[np.ndarray], support: list[np.ndarray], iters: int = 50
) -> list[np.ndarray] | None:
    """Newton's method on the indifference conditions of ``support``.

    Returns the polished profile (zero off the support), or ``None`` if the
    iteration fails or leaves the simplex.
    """
    n = system.n
    sizes = [int(s.sum()) for s in support]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    x = np.concatenate([sigma[i][support[i]] for i in range(n)])
    x = np.clip(x, 1e-12, None)

    def unpack(x: np.ndarray) -> list[np.ndarray]:
        prof = []
        for i in range(n):
            p = np.zeros(system.shape[i])
            p[support[i]] = x[offsets[i] : offsets[i + 1]]
            prof.append(p)
        return prof

    for _ in range(iters):
        prof = unpack(x)
        F = []
        rows = []
        for i in range(n):
            idx = np.flatnonzero(support[i])
            U = system.values(prof, i)[idx]
            row = np.zeros(offsets[-1])
            row[offsets[i] : offsets[i + 1]] = 1.0
            F.append(prof[i][idx].sum() - 1.0)
            rows.append(row)
            for k in range(1, len(idx)):
                F.append(U[k] - U[0])
                row = np.zeros(offsets[-1])
                for j in range(n):
                    if j == i:
                        continue
                    D = system.values(prof, i, j)
                    jdx = np.flatnonzero(support[j])
                    row[offsets[j] : offsets[j + 1]] = D[idx[k], jdx] - D[idx[0], jdx]
                rows.append(row)
        Fv = np.array(F)
        Jm = np.array(rows)
        step = np.linalg.lstsq(Jm, -Fv, rcond=None)[0]
        x = x + step
        if np.abs(step).max() < 1e-15 and np.abs(Fv).max() < 1e-13:
            break
    if not np.all(np.isfinite(x)) or x.min() < -1e-12:
        return None
    prof = unpack(np.clip(x, 0.0, None))
    return [p / p.sum() for p in prof]


def logit_solve(
    game: NormalFormGame,
    *,
    lam_max: float = 1e7,
    stages: int = 40,
) -> SolveResult:
    """A Nash equilibrium: the limit of the principal logit QRE branch, polished.

    Parameters
    ----------
    game
        Any finite normal-form game.
    lam_max
        Largest precision traced (for payoffs rescaled to the range [0, 1]).
    stages
        Number of geometric stages between ``lam = 10`` and ``lam_max``;
        polishing is attempted after each.

    Returns
    -------
    SolveResult
        ``method="logit"``, one equilibrium with its max-regret certificate,
        ``parameters["lam"]`` the precision (in normalised units) where the
        polish succeeded.

    Raises
    ------
    GameError
        If no certified equilibrium is found up to ``lam_max``.

    Examples
    --------
    >>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> logit_solve(mp).equilibria[0].profile[0].round(12).tolist()
    [0.5, 0.5]
    """
    fgame = game.as_float()
    arrays = fgame.to_arrays()
    lo = min(float(a.min()) for a in arrays)
    span = max(float(a.max()) for a in arrays) - lo
    scale = span if span > 0 else 1.0
    system = QRESystem([(a - lo) / scale for a in arrays])
    z, t = principal_start(system)
    notes: list[str] = []
    previous: list[np.ndarray] | None = None
    for lam_stage in np.geomspace(10.0, lam_max, stages):
        trace = trace_curve(system, z, t, float(lam_stage), h0=0.03, h_max=0.5, max_points=20000)
        notes.extend(f"bifurcation near lam={zb[-1] * 1.0 / scale:.6g} (raw payoffs)"
                     for zb, _ in trace.bifurcations)
        z, t = trace.points[-1], trace.tangents[-1]
        sigma = system.profile(z)
        found = _polish(system, sigma)
        # Accept a polished profile once two successive stages agree on it:
        # a one-off polish far from the limit could pick another equilibrium.
        stable = (
            found is not None
            and previous is not None
            and all(np.abs(p - q).max() <= 1e-9 for p, q in zip(found[0], previous, strict=True))
        )
        previous = found[0] if found is not None else None
        if found is not None and stable:
            profile, regret = found
            raw_regret = float(fgame.regret(profile))
            pure = all(int(np.count_nonzero(p)) == 1 for p in profile)
            return SolveResult(
                method="logit",
                parameters={"lam": float(z[-1]), "lam_raw": float(z[-1]) / scale},
                game=game,
                equilibria=(
                    Equilibrium(
                        profile=tuple(profile),
                        payoffs=tuple(float(v) for v in fgame.expected_payoffs(profile)),
                        regret=raw_regret,
                        label="pure" if pure else "mixed",
                    ),
                ),
                notes=tuple(notes),
            )
        if trace.stopped != "lam_max":
            notes.append(f"tracing stopped ({trace.stopped}) at lam={z[-1]:.6g}")
            break
    raise GameError("logit_solve found no certified equilibrium; " + "; ".join(notes))


def _polish(system: QRESystem, sigma: list[np.ndarray]) -> tuple[list[np.ndarray], float] | None:
    # Candidate supports: strategies above a probability threshold; the
    # thresholds go from generous to strict so near-ties are tried first.
    tried: set[tuple[bytes, ...]] = set()
    best: tuple[list[np.ndarray], float] | None = None
    best_gap = np.inf
    for tau in (1e-2, 1e-3, 1e-4, 1e-6, 1e-8):
        support = [p >= tau * p.max() for p in sigma]
        key = tuple(s.tobytes() for s in support)
        if key in tried:
            continue
        tried.add(key)
        prof = polish_on_support(system, sigma, support)
        if prof is None:
            continue
        regret = 0.0
        for i in range(system.n):
            U = system.values(prof, i)
            regret = max(regret, float(U.max() - U @ prof[i]))
        gap = max(float(np.abs(p - s).max()) for p, s in zip(prof, sigma, strict=True))
        if regret <= REGRET_TOL and gap < best_gap:
            best, best_gap = (prof, regret), gap
    # Only an equilibrium close to the current QRE can be the branch's limit.
    return best if best_gap <= LIMIT_GAP else None
