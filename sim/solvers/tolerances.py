"""Tolerances of the floating-point bimatrix kernels (payoffs scaled to ``[1, 2]``).

Kept apart from the compiled kernels so that importing them costs nothing.
"""

from __future__ import annotations

__all__ = ["FLOAT_TOL", "CANDIDATE_TOL", "PIVOT_TOL", "MERGE_TOL", "REGRET_ALARM"]

#: Feasibility / tightness tolerance of the float path (payoffs scaled to [1, 2]),
#: so a float equilibrium's regret is at most about 2e-11 times the payoff range.
FLOAT_TOL = 1e-11
#: Looser tolerance used to collect candidates that are then checked exactly.
CANDIDATE_TOL = 1e-6
#: Pivots below this are treated as singular systems.
PIVOT_TOL = 1e-12
#: Two solutions with the same labels closer than this are one vertex.
MERGE_TOL = 1e-7
#: A float equilibrium whose regret exceeds this fraction of the payoff range is
#: close to failing its certificate: the game is then solved exactly.
REGRET_ALARM = 1e-9
