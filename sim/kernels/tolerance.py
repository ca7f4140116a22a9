"""The decision tolerance every model and kernel shares.

A decision margin within ``BOUNDARY_TOL`` of zero is a tie: the tie rules
apply (a responder accepts, a mover does not escalate) and the ``boundary``
flag is set. See ``docs/models/README.md`` for the shared conventions.
"""

from __future__ import annotations

__all__ = ["BOUNDARY_TOL"]

#: A decision margin this close to zero is reported as a boundary case.
BOUNDARY_TOL = 1e-12
