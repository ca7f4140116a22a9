"""Perfect Bayesian equilibria of 2-type, 2-message, 2-response signalling games.

Nature draws the sender's type ``t1`` with probability ``prior`` (else
``t2``); the sender sends ``m1`` or ``m2``; the receiver sees the message,
forms a belief ``mu_m = P(t1 | m)`` and responds ``r1`` or ``r2``.
A PBE (Fudenberg & Tirole 1991, Def. 8.2; Morrow 1994, ch. 8) is a profile
and beliefs such that each type's message is optimal given the responses,
each response is optimal given the belief, and beliefs follow Bayes' rule
wherever the message is sent with positive probability.

The enumeration runs over the supports of the two types' messages and of the
receiver's responses at on-path messages (81 cases at most):

* the receiver mixes at ``m`` only at the belief ``mu*_m`` that makes it
  indifferent, so a mixing receiver pins the belief;
* each type that mixes is indifferent, a linear equation in the receiver's
  mixing probabilities ``rho_m = P(r1 | m)``;
* Bayes' rule ties beliefs to the sender's mixing: when ``t1`` mixes and
  ``t2`` always sends ``m``, ``mu_m = pi s / (pi s + 1 - pi)``.

Equilibria are labelled pooling, separating or semi-separating (one type
mixes; "hybrid"). For a pooling equilibrium the off-path response is pure
and the whole interval of off-path beliefs that supports it is reported (the
receiver may also mix off path at a boundary belief; those are convex
combinations and are not listed). Non-generic payoffs that give a continuum
of on-path behaviour are flagged ``degenerate``. Arithmetic is exact for
rational inputs. Beer–quiche (Cho & Kreps 1987) is the standard example: two
pooling equilibria, only one of which survives the intuitive criterion.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sim.games.errors import GameError
from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal

__all__ = ["SignallingPBE", "SignallingResult", "pbe_solve", "signalling_game"]

_SUPPORTS = ((0,), (1,), (0, 1))


@dataclass(frozen=True)
class SignallingPBE:
    """One PBE (or a representative of a continuum when ``degenerate``).

    Attributes
    ----------
    kind
        ``"pooling on m"``, ``"separating"`` or ``"semi-separating"``.
    sender
        ``{type: {message: probability}}``.
    receiver
        ``{message: {response: probability}}``.
    beliefs
        ``{message: P(t1 | message)}``; for an off-path message, the
        belief used to build the representative (an end of the interval).
    off_path_beliefs
        ``{message: (low, high)}``: every ``P(t1 | message)`` in this closed
        interval supports the equilibrium.
    payoffs
        ``{"t1": .., "t2": .., "sender": ex ante, "receiver": ex ante}``.
    degenerate
        A continuum of on-path behaviour exists (non-generic payoffs) or the
        prior sits on an indifference belief.
    notes
        What makes it degenerate, intervals of mixing probabilities.
    """

    kind: str
    sender: dict[str, dict[str, Any]]
    receiver: dict[str, dict[str, Any]]
    beliefs: dict[str, Any]
    off_path_beliefs: dict[str, tuple[Any, Any]]
    payoffs: dict[str, Any]
    degenerate: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignallingResult:
    """All PBE of a signalling game, pooling first, then separating, then hybrid."""

    method: str
    parameters: dict[str, Any]
    equilibria: tuple[SignallingPBE, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def multiple_equilibria(self) -> bool:
        return len(self.equilibria) > 1

    @property
    def degenerate(self) -> bool:
        return any(e.degenerate for e in self.equilibria)

    def __len__(self) -> int:
        return len(self.equilibria)


#: Default labels of the types, messages and responses.
_TYPES, _MESSAGES, _RESPONSES = ("t1", "t2"), ("m1", "m2"), ("r1", "r2")


def _num(v: Any) -> Any:
    if isinstance(v, bool):
        raise GameError(f"{v!r} is not a number")
    return Fraction(v) if isinstance(v, (int, Fraction)) else float(v)


def _array(values: Any, name: str) -> list[list[list[Any]]]:
    try:
        out = [[[_num(values[t][m][r]) for r in range(2)] for m in range(2)] for t in range(2)]
    except (IndexError, TypeError, KeyError) as exc:
        raise GameError(f"{name} must be a 2x2x2 array [type][message][response]") from exc
    return out


def signalling_game(prior: Any, sender_payoffs: Any, receiver_payoffs: Any,
                    types: Sequence[str] = _TYPES, messages: Sequence[str] = _MESSAGES,
                    responses: Sequence[str] = _RESPONSES) -> ExtensiveFormGame:
    """The signalling game as a tree (sender player 0, receiver player 1).

    Information sets: the types' keys are the type names; the receiver's are
    ``"after <message>"``.
    """
    s = _array(sender_payoffs, "sender_payoffs")
    r = _array(receiver_payoffs, "receiver_payoffs")
    p = _num(prior)

    def sender(t: int) -> Decision:
        moves = []
        for m in range(2):
            acts = tuple(
                (responses[k], Terminal((s[t][m][k], r[t][m][k]))) for k in range(2)
            )
            moves.append((messages[m], Decision(1, acts, infoset=f"after {messages[m]}")))
        return Decision(0, tuple(moves), infoset=types[t])

    root = Chance(((types[0], p, sender(0)), (types[1], 1 - p, sender(1))))
    return ExtensiveFormGame(root, ("Sender", "Receiver"), "Signalling game")


def pbe_solve(prior: Any, sender_payoffs: Any, receiver_payoffs: Any,
              types: Sequence[str] = _TYPES, messages: Sequence[str] = _MESSAGES,
              responses: Sequence[str] = _RESPONSES) -> SignallingResult:
    """Every PBE of a 2x2x2 signalling game (see the module docstring).

    Parameters
    ----------
    prior
        ``P(t1)``, strictly between 0 and 1.
    sender_payoffs, receiver_payoffs
        ``payoffs[type][message][response]``.
    types, messages, responses
        Labels used in the result.
    """
    pi = _num(prior)
    if not 0 < pi < 1:
        raise GameError(f"prior must be strictly between 0 and 1, got {prior}")
    S = _array(sender_payoffs, "sender_payoffs")
    R = _array(receiver_payoffs, "receiver_payoffs")
    exact = isinstance(pi, Fraction) and all(
        isinstance(v, Fraction) for a in (S, R) for x in a for y in x for v in y
    )
    one: Any = Fraction(1) if exact else 1.0
    zero: Any = one * 0
    # Receiver's gain from r1 over r2 at m given type t: D_m(mu) = mu*A + (1-mu)*B.
    gain = [[R[t][m][0] - R[t][m][1] for m in range(2)] for t in range(2)]

    def receiver_ok(m: int, support: tuple[int, ...], mu: Any) -> bool:
        d = mu * gain[0][m] + (1 - mu) * gain[1][m]
        if support == (0,):
            return d >= 0
        if support == (1,):
            return d <= 0
        return d == 0

    def belief_interval(m: int, support: tuple[int, ...]) -> tuple[Any, Any] | None:
        """Beliefs mu in [0, 1] at which ``support`` is optimal at m."""
        a, b = gain[0][m], gain[1][m]
        slope = a - b
        if slope == 0:
            return (zero, one) if receiver_ok(m, support, zero) else None
        root = -b / slope
        if support == (0, 1):
            return (root, root) if 0 <= root <= 1 else None
        # d >= 0 on one side of the root
        up = (slope > 0) == (support == (0,))
        lo, hi = (max(zero, root), one) if up else (zero, min(one, root))
        return (lo, hi) if lo <= hi else None

    def sender_gap(t: int, rho: Sequence[Any]) -> Any:
        v = [rho[m] * S[t][m][0] + (1 - rho[m]) * S[t][m][1] for m in range(2)]
        return v[0] - v[1]

    found: list[SignallingPBE] = []
    notes: list[str] = []
    for s_sup in itertools.product(_SUPPORTS, repeat=2):
        on_path = sorted({m for sup in s_sup for m in sup})
        off_path = [m for m in range(2) if m not in on_path]
        mixers = [t for t in range(2) if len(s_sup[t]) == 2]
        if len(mixers) == 2:
            found.extend(_both_mix(pi, S, R, gain, sender_gap, types, messages, responses, notes))
            continue
        for r_sup in itertools.product(_SUPPORTS, repeat=len(on_path)):
            rsup = dict(zip(on_path, r_sup, strict=True))
            for off_choice in itertools.product(((0,), (1,)), repeat=len(off_path)):
                rsup.update(zip(off_path, off_choice, strict=True))
                eq = _one_case(pi, S, R, s_sup, rsup, on_path, off_path, mixers, belief_interval,
                               sender_gap, types, messages, responses, one, zero)
                if eq is not None:
                    found.append(eq)
    order = {"pooling": 0, "separating": 1, "semi-separating": 2}
    found.sort(key=lambda e: order[e.kind.split(" ")[0]])
    unique: list[SignallingPBE] = []
    for e in found:
        if all((e.sender, e.receiver, e.beliefs) != (u.sender, u.receiver, u.beliefs)
               for u in unique):
            unique.append(e)
    return SignallingResult(
        "pbe",
        {"prior": prior, "sender_payoffs": S, "receiver_payoffs": R, "types": tuple(types),
         "messages": tuple(messages), "responses": tuple(responses)},
        tuple(unique),
        tuple(dict.fromkeys(notes)),
    )


def _one_case(pi: Any, S: Any, R: Any, s_sup: Any, rsup: dict[int, tuple[int, ...]],
              on_path: list[int], off_path: list[int], mixers: list[int],
              belief_interval: Any, sender_gap: Any, types: Sequence[str],
              messages: Sequence[str], responses: Sequence[str], one: Any, zero: Any,
              ) -> SignallingPBE | None:
    notes: list[str] = []
    degenerate = False
    # Beliefs at on-path messages: an interval of feasible values, then Bayes.
    mu: dict[int, Any] = {}
    sigma = [[zero, zero], [zero, zero]]
    for t in range(2):
        if len(s_sup[t]) == 1:
            sigma[t][s_sup[t][0]] = one
    intervals: dict[int, tuple[Any, Any]] = {}
    for m in range(2):
        iv = belief_interval(m, rsup[m])
        if iv is None:
            return None
        intervals[m] = iv
    if not mixers:
        for m in on_path:
            senders = [t for t in range(2) if s_sup[t] == (m,)]
            mu[m] = pi if len(senders) == 2 else (one if senders == [0] else zero)
            lo, hi = intervals[m]
            if not lo <= mu[m] <= hi:
                return None
    else:
        (t,) = mixers
        other = 1 - t
        (k,) = s_sup[other]  # message the pure type sends; the other one only t sends
        j = 1 - k
        mu[j] = one if t == 0 else zero
        lo, hi = intervals[j]
        if not lo <= mu[j] <= hi:
            return None
        # mu_k ranges over (0, pi) if t1 mixes, (pi, 1) if t2 mixes.
        lo, hi = intervals[k]
        lo2, hi2 = (max(lo, zero), min(hi, pi)) if t == 0 else (max(lo, pi), min(hi, one))
        if not lo2 <= hi2 or (t == 0 and (hi2 <= 0 or lo2 >= pi)) or (
                t == 1 and (lo2 >= 1 or hi2 <= pi)):
            return None
        if lo2 == hi2:
            mu[k] = lo2
        else:
            degenerate = True
            mu[k] = (lo2 + hi2) / 2
            notes.append(f"beliefs after {messages[k]} anywhere in ({lo2}, {hi2}) "
                         "with the matching sender mixture")
        m_k = mu[k]
        s = m_k * (1 - pi) / (pi * (1 - m_k)) if t == 0 else pi * (1 - m_k) / ((1 - pi) * m_k)
        if not 0 < s < 1:
            return None
        sigma[t][k], sigma[t][j] = s, 1 - s
    # Receiver's mixing probabilities from the sender's constraints.
    unknown = [m for m in on_path if len(rsup[m]) == 2]
    rho: list[Any] = [one if rsup[m] == (0,) else zero for m in range(2)]
    cons = []  # (coefficients on rho_m1, rho_m2, constant, kind)
    for t in range(2):
        a = [S[t][0][0] - S[t][0][1], -(S[t][1][0] - S[t][1][1])]
        c = S[t][0][1] - S[t][1][1]
        kind = "eq" if len(s_sup[t]) == 2 else ("ge" if s_sup[t] == (0,) else "le")
        cons.append((a, c, kind))
    solved = _solve_rho(cons, unknown, rho, one, zero)
    if solved is None:
        return None
    rho, cont = solved
    if cont:
        degenerate = True
        notes.append(cont)
    for t in range(2):
        g = sender_gap(t, rho)
        if (s_sup[t] == (0,) and g < 0) or (s_sup[t] == (1,) and g > 0) or (
                len(s_sup[t]) == 2 and g != 0):
            return None
    off: dict[int, tuple[Any, Any]] = {m: intervals[m] for m in off_path}
    for m in off_path:
        mu[m] = off[m][0]
    if not mixers and len(on_path) == 1:
        kind = f"pooling on {messages[on_path[0]]}"
        m = on_path[0]
        lo, hi = intervals[m]
        if len(rsup[m]) == 1 and (lo == pi or hi == pi) and lo != hi:
            notes.append("the prior sits on the receiver's indifference belief")
            degenerate = True
    elif not mixers:
        kind = "separating"
    else:
        kind = "semi-separating"
    pay = _payoffs(pi, S, R, sigma, rho)
    return SignallingPBE(
        kind,
        {types[t]: {messages[m]: sigma[t][m] for m in range(2)} for t in range(2)},
        {messages[m]: {responses[0]: rho[m], responses[1]: 1 - rho[m]} for m in range(2)},
        {messages[m]: mu[m] for m in range(2)},
        {messages[m]: off[m] for m in off_path},
        {"t1" if i == 0 else "t2": v for i, v in enumerate(pay[:2])}
        | {"sender": pay[2], "receiver": pay[3]},
        degenerate,
        tuple(notes),
    )


def _solve_rho(cons: list[Any], unknown: list[int], rho: list[Any], one: Any, zero: Any
               ) -> tuple[list[Any], str] | None:
    """Solve the sender's (in)equalities for the receiver's mixing probabilities."""
    rho = list(rho)
    if not unknown:
        return rho, ""
    if len(unknown) == 1:
        (u,) = unknown
        lo, hi, lo_open, hi_open = zero, one, True, True
        point = None
        for a, c, kind in cons:
            fixed = sum(a[m] * rho[m] for m in range(2) if m != u) + c
            coef = a[u]
            if coef == 0:
                if (kind == "eq" and fixed != 0) or (kind == "ge" and fixed < 0) or (
                        kind == "le" and fixed > 0):
                    return None
                continue
            r = -fixed / coef
            if kind == "eq":
                if point is not None and point != r:
                    return None
                point = r
            elif (kind == "ge") == (coef > 0):
                if r > lo or (r == lo and lo_open):
                    lo, lo_open = r, False
            elif r < hi or (r == hi and hi_open):
                hi, hi_open = r, False
        if point is not None:
            if not (lo < point < hi or (point == lo and not lo_open and point > 0)
                    or (point == hi and not hi_open and point < 1)):
                return None
            if not 0 < point < 1:
                return None
            rho[u] = point
            return rho, ""
        if lo > hi or (lo == hi and (lo_open or hi_open or lo in (0, 1))):
            return None
        rho[u] = (lo + hi) / 2
        return rho, f"receiver's mixing probability in [{lo}, {hi}] (a continuum)"
    eqs = [(a, c) for a, c, kind in cons if kind == "eq"]
    if len(eqs) == 2:
        (a1, c1), (a2, c2) = eqs
        det = a1[0] * a2[1] - a1[1] * a2[0]
        if det != 0:
            r0 = (-c1 * a2[1] + c2 * a1[1]) / det
            r1 = (-a1[0] * c2 + a2[0] * c1) / det
            if 0 < r0 < 1 and 0 < r1 < 1:
                return [r0, r1], ""
            return None
    # Fewer independent equations than unknowns: non-generic; not enumerated.
    return None


def _both_mix(pi: Any, S: Any, R: Any, gain: Any, sender_gap: Any, types: Sequence[str],
              messages: Sequence[str], responses: Sequence[str], notes: list[str]
              ) -> list[SignallingPBE]:
    """Both types mix: generically the receiver mixes at both messages."""
    mu = []
    for m in range(2):
        slope = gain[0][m] - gain[1][m]
        if slope == 0:
            notes.append("receiver indifferent at every belief after "
                         f"{messages[m]}: hybrids with both types mixing not enumerated")
            return []
        mu.append(-gain[1][m] / slope)
    one = pi / pi
    cons = []
    for t in range(2):
        a = [S[t][0][0] - S[t][0][1], -(S[t][1][0] - S[t][1][1])]
        cons.append((a, S[t][0][1] - S[t][1][1], "eq"))
    solved = _solve_rho(cons, [0, 1], [one, one], one, one * 0)
    if solved is None:
        return []
    rho, _ = solved
    m1, m2 = mu
    if m1 == m2:
        if m1 != pi:
            return []
        notes.append("both types mixing with beliefs equal to the prior: a continuum "
                     "of sender mixtures (not enumerated)")
        return []
    if not (min(m1, m2) < pi < max(m1, m2)) or not all(0 < x < 1 for x in mu):
        return []
    p1 = (pi - m2) / (m1 - m2)
    s1 = p1 * m1 / pi
    s2 = p1 * (1 - m1) / (1 - pi)
    if not (0 < s1 < 1 and 0 < s2 < 1):
        return []
    sigma = [[s1, 1 - s1], [s2, 1 - s2]]
    pay = _payoffs(pi, S, R, sigma, rho)
    return [SignallingPBE(
        "semi-separating (both types mix)",
        {types[t]: {messages[m]: sigma[t][m] for m in range(2)} for t in range(2)},
        {messages[m]: {responses[0]: rho[m], responses[1]: 1 - rho[m]} for m in range(2)},
        {messages[0]: m1, messages[1]: m2},
        {},
        {"t1": pay[0], "t2": pay[1], "sender": pay[2], "receiver": pay[3]},
    )]


def _payoffs(pi: Any, S: Any, R: Any, sigma: Any, rho: Any) -> tuple[Any, ...]:
    def val(u: Any, t: int) -> Any:
        return sum(sigma[t][m] * (rho[m] * u[t][m][0] + (1 - rho[m]) * u[t][m][1])
                   for m in range(2))

    v1, v2 = val(S, 0), val(S, 1)
    return v1, v2, pi * v1 + (1 - pi) * v2, pi * val(R, 0) + (1 - pi) * val(R, 1)
