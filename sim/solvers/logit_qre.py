"""Logit quantal response equilibria (QRE) of N-player normal-form games.

A logit QRE at precision ``lam`` is a profile ``sigma`` with (McKelvey and
Palfrey 1995, Games and Economic Behavior 10, eq. 3)::

    sigma_i(a) = exp(lam * u_i(a, sigma_-i)) / sum_b exp(lam * u_i(b, sigma_-i))

with RAW payoffs (Gambit's convention: rescaling payoffs by ``k`` is the same
as rescaling ``lam`` by ``k``). At ``lam = 0`` the unique QRE is uniform play;
the *principal branch* is the curve of QRE connected to it, which tends to a
Nash equilibrium as ``lam -> inf`` (McKelvey and Palfrey 1995, theorem 2).

Tracing (Turocy 2005, "A dynamic homotopy interpretation of the logistic
quantal response equilibrium correspondence", Games and Economic Behavior 51,
section 4; Allgower and Georg 1990, "Numerical Continuation Methods", ch. 2).
In log-probabilities ``w_i = log sigma_i`` the QRE are the zeros of::

    H_ia(w, lam) = w_i(a) - w_i(0) - lam * (u_i(a, sigma_-i) - u_i(0, sigma_-i)),  a >= 1
    H_i0(w, lam) = sum_a exp(w_i(a)) - 1

a curve in ``(w, lam)``. We follow it by pseudo-arclength predictor-corrector:
Euler predictor along the tangent (the null vector of the Jacobian, oriented
by continuity), Gauss-Newton corrector, adaptive step length. Log
coordinates keep tiny probabilities accurate at large ``lam``.

Bifurcations. In games with symmetries the branch can meet another curve of
QRE (a pitchfork in symmetric Chicken). There the augmented Jacobian
``[J; t^T]`` is singular and its determinant changes sign (Allgower and Georg
1990, section 8.1), while at folds it does not. We record each sign change,
locate the point by bisection, keep following the principal branch through
it, and (``branch="all"``) start the other curve along the second null
direction of ``J``, tracing it both ways.

Every profile returned is checked against the fixed point at its stated
``lam``: the residual ``max |sigma - logit(lam * u(sigma))|`` must be at most
``1e-10``; otherwise an error is raised rather than a wrong profile returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.games.errors import GameError
from sim.games.normal_form import NormalFormGame
from sim.solvers.result import Equilibrium, SolveResult

__all__ = [
    "QREPath",
    "QRESystem",
    "TracedCurve",
    "is_symmetric",
    "logit_qre_at",
    "logit_qre_path",
    "principal_start",
    "qre_residual",
    "trace_curve",
]

#: Largest accepted fixed-point residual of a returned profile.
RESIDUAL_TOL = 1e-10
#: Newton convergence threshold on the log-space equations.
NEWTON_TOL = 1e-13


@dataclass(frozen=True)
class QREPath:
    """A traced curve of logit QRE.

    Attributes
    ----------
    lambdas
        ``(T,)`` precision at each point (not monotone past a fold).
    profiles
        One ``(T, n_i)`` array per player: the QRE probabilities.
    regrets
        ``(T,)`` Nash max regret of each point (tends to 0 along the branch).
    residuals
        ``(T,)`` QRE fixed-point residual of each point (at most ``1e-10``).
    bifurcations
        ``lam`` of each bifurcation point met on the way.
    notes
        Remarks (bifurcations, early stop).
    parameters
        The arguments of the call.
    """

    lambdas: np.ndarray
    profiles: tuple[np.ndarray, ...]
    regrets: np.ndarray
    residuals: np.ndarray
    bifurcations: tuple[float, ...]
    notes: tuple[str, ...]
    parameters: dict[str, float | str]

    def __len__(self) -> int:
        return int(self.lambdas.shape[0])

    def profile(self, t: int) -> tuple[np.ndarray, ...]:
        """The profile at point ``t``."""
        return tuple(p[t] for p in self.profiles)


# -- the system H(w, lam) ------------------------------------------------------


class QRESystem:
    """Payoff tensors of a game and the QRE equations in log-probabilities."""

    def __init__(self, payoffs: Sequence[np.ndarray]) -> None:
        self.payoffs = [np.asarray(a, dtype=float) for a in payoffs]
        self.shape = self.payoffs[0].shape
        self.n = len(self.shape)
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.size = int(self.offsets[-1])

    def split(self, w: np.ndarray) -> list[np.ndarray]:
        return [w[self.offsets[i] : self.offsets[i + 1]] for i in range(self.n)]

    def values(self, sigma: Sequence[np.ndarray], i: int, j: int | None = None) -> np.ndarray:
        """``u_i(a, sigma_-i)`` (``j=None``) or ``u_i(a, b, sigma_-ij)`` as a matrix."""
        result = self.payoffs[i]
        for k in range(self.n - 1, -1, -1):
            if k not in (i, j):
                result = np.tensordot(result, sigma[k], axes=([k], [0]))
        if j is not None and j < i:
            result = result.T
        return np.asarray(result)

    def residual_and_jacobian(
        self, z: np.ndarray, with_jacobian: bool = True
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """``H`` and its Jacobian with respect to ``(w, lam)`` (shape ``(K, K+1)``)."""
        w, lam = z[:-1], z[-1]
        ws = self.split(w)
        sigma = [np.exp(x) for x in ws]
        H = np.empty(self.size)
        J = np.zeros((self.size, self.size + 1)) if with_jacobian else None
        for i in range(self.n):
            o = self.offsets[i]
            ni = self.shape[i]
            U = self.values(sigma, i)
            H[o] = sigma[i].sum() - 1.0
            H[o + 1 : o + ni] = ws[i][1:] - ws[i][0] - lam * (U[1:] - U[0])
            if J is None:
                continue
            J[o, o : o + ni] = sigma[i]
            for a in range(1, ni):
                J[o + a, o + a] = 1.0
                J[o + a, o] = -1.0
            J[o + 1 : o + ni, -1] = -(U[1:] - U[0])
            for j in range(self.n):
                if j == i:
                    continue
                D = self.values(sigma, i, j)  # (n_i, n_j)
                oj = self.offsets[j]
                # Chain rule through sigma_j = exp(w_j).
                J[o + 1 : o + ni, oj : oj + self.shape[j]] = -lam * (D[1:] - D[0]) * sigma[j]
        return H, J

    def profile(self, z: np.ndarray) -> list[np.ndarray]:
        sigma = [np.exp(x) for x in self.split(z[:-1])]
        return [s / s.sum() for s in sigma]


def qre_residual(game: NormalFormGame, profile: Sequence[np.ndarray], lam: float) -> float:
    """``max |sigma - logit(lam * u(sigma))|``: zero exactly at a logit QRE."""
    system = QRESystem(game.as_float().to_arrays())
    sigma = [np.asarray(p, dtype=float) for p in profile]
    worst = 0.0
    for i in range(system.n):
        v = lam * system.values(sigma, i)
        p = np.exp(v - v.max())
        worst = max(worst, float(np.abs(p / p.sum() - sigma[i]).max()))
    return worst


def _regret(system: QRESystem, sigma: Sequence[np.ndarray]) -> float:
    worst = 0.0
    for i in range(system.n):
        U = system.values(sigma, i)
        worst = max(worst, float(U.max() - U @ sigma[i]))
    return worst


# -- continuation --------------------------------------------------------------


def _tangent(J: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    # Null vector of the K x (K+1) Jacobian: last right singular vector.
    _, _, vt = np.linalg.svd(J)
    t = vt[-1]
    if previous is None:
        if t[-1] < 0:
            t = -t
    elif t @ previous < 0:
        t = -t
    return t


def _newton(
    system: QRESystem,
    z: np.ndarray,
    anchor: tuple[np.ndarray, np.ndarray, float] | None,
    max_iter: int = 12,
) -> tuple[np.ndarray, bool, int]:
    """Gauss-Newton correction of ``z`` onto ``H = 0``.

    With ``anchor = (z0, t, h)`` the pseudo-arclength condition
    ``t . (z - z0) = h`` is appended (square system); without it the
    minimum-norm step is used.
    """
    for it in range(1, max_iter + 1):
        # A wild predictor can overflow exp(w): treat as a failed step.
        with np.errstate(over="ignore", invalid="ignore"):
            H, J = system.residual_and_jacobian(z)
        assert J is not None
        if not (np.all(np.isfinite(H)) and np.all(np.isfinite(J))):
            return z, False, it
        if anchor is not None:
            z0, t, h = anchor
            H = np.append(H, t @ (z - z0) - h)
            J = np.vstack([J, t])
            try:
                dz = np.linalg.solve(J, -H)
            except np.linalg.LinAlgError:
                dz = np.linalg.lstsq(J, -H, rcond=None)[0]
        else:
            dz = np.linalg.lstsq(J, -H, rcond=None)[0]
        if not np.all(np.isfinite(dz)):
            return z, False, it
        z = z + dz
        if np.abs(dz).max() < NEWTON_TOL * max(1.0, np.abs(z).max()) * 10 and (
            np.abs(H).max() < 1e-11
        ):
            return z, True, it
    with np.errstate(over="ignore", invalid="ignore"):
        H, _ = system.residual_and_jacobian(z, with_jacobian=False)
    return z, bool(np.all(np.isfinite(H)) and np.abs(H).max() < 1e-11), max_iter


def _solve_at_lambda(system: QRESystem, z: np.ndarray, lam: float) -> np.ndarray | None:
    """Newton in ``w`` with ``lam`` held fixed, from the guess ``z``."""
    z = z.copy()
    z[-1] = lam
    for _ in range(30):
        with np.errstate(over="ignore", invalid="ignore"):
            H, J = system.residual_and_jacobian(z)
        assert J is not None
        if not (np.all(np.isfinite(H)) and np.all(np.isfinite(J))):
            return None
        try:
            dw = np.linalg.solve(J[:, :-1], -H)
        except np.linalg.LinAlgError:
            dw = np.linalg.lstsq(J[:, :-1], -H, rcond=None)[0]
        if not np.all(np.isfinite(dw)):
            return None
        z[:-1] += dw
        if np.abs(dw).max() < 1e-14 * max(1.0, np.abs(z[:-1]).max()):
            break
    with np.errstate(over="ignore", invalid="ignore"):
        H, _ = system.residual_and_jacobian(z, with_jacobian=False)
    return z if np.all(np.isfinite(H)) and np.abs(H).max() < 1e-11 else None


def _aug_det_sign(J: np.ndarray, t: np.ndarray) -> float:
    return float(np.sign(np.linalg.det(np.vstack([J, t]))))


@dataclass
class TracedCurve:
    """Points ``(w, lam)`` and unit tangents of a traced curve, the bifurcation
    points met (each with the incoming tangent) and why tracing stopped."""

    points: list[np.ndarray]
    tangents: list[np.ndarray]
    bifurcations: list[tuple[np.ndarray, np.ndarray]]  # (point, tangent)
    stopped: str


def trace_curve(
    system: QRESystem,
    z0: np.ndarray,
    t0: np.ndarray,
    lam_max: float,
    *,
    h0: float,
    h_max: float,
    max_points: int,
    lam_min: float = 0.0,
) -> TracedCurve:
    """Follow ``H = 0`` from ``z0`` along ``t0`` until ``lam`` leaves ``[lam_min, lam_max]``."""
    z, t = z0.copy(), t0.copy()
    _, J = system.residual_and_jacobian(z)
    assert J is not None
    sign = _aug_det_sign(J, t)
    points, tangents, bifurcations = [z.copy()], [t.copy()], []
    h = h0
    stopped = "lam_max"
    while True:
        if len(points) >= max_points:
            stopped = "max_points"
            break
        if h < 1e-12:
            stopped = "step_underflow"
            break
        z_new, ok, iters = _newton(system, z + h * t, (z, t, h))
        J_new: np.ndarray | None = None
        if ok:
            _, J_new = system.residual_and_jacobian(z_new)
            assert J_new is not None
            t_new = _tangent(J_new, t)
            # Reject steps that jump (large correction or a sharp turn).
            if np.linalg.norm(z_new - (z + h * t)) > 0.5 * h or t_new @ t < 0.8:
                ok = False
        if not ok or J_new is None:
            h *= 0.5
            continue
        new_sign = _aug_det_sign(J_new, t_new)
        if new_sign != sign and new_sign != 0 and sign != 0:
            bifurcations.append(_locate_bifurcation(system, z, t, z_new, sign))
        sign = new_sign if new_sign != 0 else sign
        z, t = z_new, t_new
        points.append(z.copy())
        tangents.append(t.copy())
        if z[-1] >= lam_max or z[-1] < lam_min:
            break
        h = min(h_max * (1.0 + 0.25 * abs(z[-1])), h * (1.6 if iters <= 3 else 1.0))
    return TracedCurve(points, tangents, bifurcations, stopped)


def _locate_bifurcation(
    system: QRESystem, z: np.ndarray, t: np.ndarray, z_next: np.ndarray, sign: float
) -> tuple[np.ndarray, np.ndarray]:
    """Bisect the arclength between ``z`` and ``z_next`` for the sign change."""
    lo, hi = 0.0, float(t @ (z_next - z))
    best = z_next
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        zm, ok, _ = _newton(system, z + mid * t, (z, t, mid))
        if not ok:
            break
        _, J = system.residual_and_jacobian(zm)
        assert J is not None
        tm = _tangent(J, t)
        best = zm
        if _aug_det_sign(J, tm) == sign:
            lo = mid
        else:
            hi = mid
    # At the point itself the null space is two-dimensional; the incoming
    # tangent identifies the branch being followed.
    return best, t


def _branch_direction(system: QRESystem, z: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The second null direction of ``J`` at a bifurcation point, orthogonal to ``t``."""
    _, J = system.residual_and_jacobian(z)
    assert J is not None
    _, _, vt = np.linalg.svd(J)
    candidates = vt[-2:]
    # Project the approximate null space onto the complement of t.
    proj = candidates - np.outer(candidates @ t, t)
    v = proj[np.argmax(np.linalg.norm(proj, axis=1))]
    return v / np.linalg.norm(v)


def principal_start(system: QRESystem) -> tuple[np.ndarray, np.ndarray]:
    w = np.concatenate([np.full(k, -np.log(k)) for k in system.shape])
    z = np.append(w, 0.0)
    _, J = system.residual_and_jacobian(z)
    assert J is not None
    return z, _tangent(J, None)


def _trace_branches(
    system: QRESystem, lam_max: float, h0: float, h_max: float, max_points: int, all_branches: bool
) -> tuple[TracedCurve, list[TracedCurve]]:
    z, t = principal_start(system)
    principal = trace_curve(system, z, t, lam_max, h0=h0, h_max=h_max, max_points=max_points)
    others: list[TracedCurve] = []
    if all_branches:
        for zb, tb in principal.bifurcations:
            v = _branch_direction(system, zb, tb)
            for direction in (v, -v):
                # Step off the bifurcation point along the new direction.
                step = 1e-3
                z1, ok, _ = _newton(system, zb + step * direction, (zb, direction, step))
                if not ok:
                    continue
                _, J1 = system.residual_and_jacobian(z1)
                assert J1 is not None
                t1 = _tangent(J1, direction)
                others.append(
                    trace_curve(system, z1, t1, lam_max, h0=h0, h_max=h_max, max_points=max_points)
                )
    return principal, others


def _check_game(game: NormalFormGame) -> QRESystem:
    return QRESystem(game.as_float().to_arrays())


def _crossings(
    system: QRESystem, trace: TracedCurve, lam: float, first_only: bool
) -> list[np.ndarray]:
    """Points of the traced curve at exactly ``lam`` (Newton from the bracketing pair)."""
    pts = trace.points
    found: list[np.ndarray] = []
    if pts[0][-1] == lam:
        found.append(pts[0])
        if first_only:
            return found
    for a, b in zip(pts[:-1], pts[1:], strict=True):
        la, lb = a[-1], b[-1]
        # A segment counts when lam lies strictly inside it or at its end
        # (a point exactly at lam then belongs to one segment only).
        if not (la < lam < lb or lb < lam < la or lb == lam):
            continue
        s = (lam - la) / (lb - la)
        z = _solve_at_lambda(system, a + s * (b - a), lam)
        if z is not None:
            found.append(z)
            if first_only:
                break
    return found


def _verified_profile(
    game: NormalFormGame, system: QRESystem, z: np.ndarray, lam: float
) -> tuple[list[np.ndarray], float]:
    profile = system.profile(z)
    res = qre_residual(game, profile, lam)
    if res > RESIDUAL_TOL:
        raise GameError(f"QRE at lam={lam} failed its fixed-point check (residual {res:.2e})")
    return profile, res


def logit_qre_path(
    game: NormalFormGame,
    lam_max: float,
    *,
    h0: float = 0.03,
    h_max: float = 0.5,
    max_points: int = 20000,
) -> QREPath:
    """Trace the principal branch of logit QRE from ``lam = 0`` to ``lam_max``.

    Parameters
    ----------
    game
        Any finite normal-form game (solved in floating point).
    lam_max
        Stop once the branch reaches this precision.
    h0, h_max
        Initial and maximal arclength step (the maximum grows with ``lam``).
    max_points
        Safety bound on the number of points.

    Returns
    -------
    QREPath
        The points, each verified to solve the QRE fixed point at its ``lam``.
        Bifurcations met are listed in ``bifurcations`` and ``notes``.
    """
    if lam_max <= 0:
        raise GameError("lam_max must be positive")
    system = _check_game(game)
    z, t = principal_start(system)
    trace = trace_curve(system, z, t, lam_max, h0=h0, h_max=h_max, max_points=max_points)
    points = trace.points
    # The last point may overshoot lam_max; replace it by the point at lam_max.
    if points[-1][-1] > lam_max:
        end = _crossings(system, TracedCurve(points[-2:], [], [], ""), lam_max, True)
        if end:
            points = points[:-1] + end
    profiles = [system.profile(p) for p in points]
    residuals = np.array([qre_residual(game, prof, p[-1]) for prof, p in zip(profiles, points,
                                                                          strict=True)])
    if residuals.max() > RESIDUAL_TOL:
        raise GameError(f"QRE path failed its fixed-point check (residual {residuals.max():.2e})")
    notes = [f"bifurcation near lam={zb[-1]:.6g}; followed the principal branch through it"
             for zb, _ in trace.bifurcations]
    if trace.stopped != "lam_max":
        notes.append(f"tracing stopped early ({trace.stopped}) at lam={points[-1][-1]:.6g}")
    return QREPath(
        lambdas=np.array([p[-1] for p in points]),
        profiles=tuple(np.array([prof[i] for prof in profiles]) for i in range(system.n)),
        regrets=np.array([_regret(system, prof) for prof in profiles]),
        residuals=residuals,
        bifurcations=tuple(float(zb[-1]) for zb, _ in trace.bifurcations),
        notes=tuple(notes),
        parameters={"lam_max": lam_max, "h0": h0, "h_max": h_max},
    )


def is_symmetric(game: NormalFormGame) -> bool:
    """A two-player game with ``B == A^T`` and the same number of strategies."""
    if game.n_players != 2 or game.shape[0] != game.shape[1]:
        return False
    A, B = game.as_float().to_arrays()
    return bool(np.array_equal(A.T, B))


def logit_qre_at(
    game: NormalFormGame,
    lam: float,
    *,
    branch: str = "principal",
    h0: float = 0.03,
    h_max: float = 0.5,
    max_points: int = 20000,
) -> SolveResult:
    """Logit QRE at precision ``lam``.

    Parameters
    ----------
    game
        Any finite normal-form game.
    lam
        The precision (``>= 0``), with raw payoffs.
    branch
        ``"principal"``: the QRE reached first along the branch from
        ``lam = 0``. ``"symmetric"``: the same, for a symmetric two-player
        game (where the principal branch is the symmetric one); an error if
        the game is not symmetric. ``"all"``: the principal-branch QRE plus
        every QRE at ``lam`` on the curves that cross it at bifurcations (in
        symmetric Chicken, the asymmetric mirror pair), each curve followed
        both ways from the bifurcation until it first reaches ``lam`` or
        returns to ``lam = 0``.

    Returns
    -------
    SolveResult
        ``method="logit_qre"``; each profile's ``regret`` is its Nash regret.
        ``notes`` lists bifurcations. Every profile solves the fixed point at
        ``lam`` to ``1e-10``.

    Examples
    --------
    >>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> logit_qre_at(mp, 2.0).equilibria[0].profile[0].round(12).tolist()
    [0.5, 0.5]
    """
    if lam < 0:
        raise GameError("lam must be non-negative")
    if branch not in ("principal", "symmetric", "all"):
        raise GameError(f"unknown branch {branch!r}; use 'principal', 'symmetric' or 'all'")
    if branch == "symmetric" and not is_symmetric(game):
        raise GameError("branch='symmetric' needs a symmetric two-player game")
    system = _check_game(game)
    target = max(lam, 1e-12)
    principal, others = _trace_branches(
        system, target, h0, h_max, max_points, all_branches=branch == "all"
    )
    hits = _crossings(system, principal, lam, first_only=True)
    if not hits:
        raise GameError(f"the principal branch did not reach lam={lam} ({principal.stopped})")
    found: list[tuple[str, np.ndarray]] = [("principal", hits[0])]
    for trace in others:
        for z in _crossings(system, trace, lam, first_only=False):
            found.append(("bifurcation branch", z))
    symmetric = is_symmetric(game)
    equilibria: list[Equilibrium] = []
    seen: list[np.ndarray] = []
    residuals = []
    for label, z in found:
        profile, res = _verified_profile(game, system, z, lam)
        flat = np.concatenate(profile)
        if any(np.abs(flat - s).max() < 1e-8 for s in seen):
            continue
        seen.append(flat)
        residuals.append(res)
        fgame = game.as_float()
        if branch == "symmetric":
            label = "symmetric"
        elif label != "principal" and symmetric:
            same = np.allclose(profile[0], profile[1], atol=1e-9)
            label = "symmetric" if same else "asymmetric"
        equilibria.append(
            Equilibrium(
                profile=tuple(profile),
                payoffs=tuple(float(v) for v in fgame.expected_payoffs(profile)),
                regret=float(fgame.regret(profile)),
                label=label,
            )
        )
    notes = [f"bifurcation near lam={zb[-1]:.6g}" for zb, _ in principal.bifurcations]
    if principal.bifurcations and branch == "principal":
        notes.append("other QRE branches cross the principal one; use branch='all' to list them")
    return SolveResult(
        method="logit_qre",
        parameters={"lam": lam, "branch": branch, "max_residual": max(residuals)},
        game=game,
        equilibria=tuple(equilibria),
        notes=tuple(notes),
    )
