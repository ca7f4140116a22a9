"""Cross-parameter constraints checked over whole columns at once.

A sweep or map whose box crosses a model's constraint (Chicken's payoff order
``w > s > l > d``) must find the points that break it. The generic way calls
the model's :meth:`~sim.models.base.Model.check_constraints` once per point,
which costs about ten microseconds a point in Python: 0.4 s of a 200 × 200
Chicken map on an idle core, where the whole map takes 5 ms once checked at
once. A model listed in :data:`VECTORISED` has a kernel that checks every
point in one numpy expression and agrees with ``check_constraints`` point for
point (tests/sweep/test_constraints_vectorised.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from sim.kernels.chicken import chicken_order_holds
from sim.models.base import Model, ModelError

__all__ = ["VECTORISED", "constraints_hold"]

#: Model name → function of the parameter columns returning where the constraints hold.
VECTORISED: dict[str, Callable[[Mapping[str, Any]], np.ndarray]] = {
    "chicken_2x2": chicken_order_holds,
    "logit_qre_normal_form": chicken_order_holds,
}


def constraints_hold(model: Model, values: Mapping[str, Any], candidates: np.ndarray
                     ) -> np.ndarray:
    """Which of the ``candidates`` points pass the model's cross-parameter constraints.

    Parameters
    ----------
    model
        The model.
    values
        Every parameter: scalar parameters as columns of length ``n`` (or
        single values), vector and label parameters as their single
        (checked) value.
    candidates
        Boolean mask of length ``n``: the points to check (the others, such as
        points outside a parameter's range, come back ``False``).

    Returns
    -------
    numpy.ndarray
        Boolean mask of length ``n``.
    """
    ok = np.array(candidates, dtype=bool)
    n = ok.shape[0]
    scalars = [s.name for s in model.params if s.is_scalar]
    cols = {k: (np.broadcast_to(np.asarray(v, dtype=float), (n,)) if k in scalars else v)
            for k, v in values.items()}
    kernel = VECTORISED.get(model.name)
    if kernel is not None:
        picked = {k: (v[ok] if k in scalars else v) for k, v in cols.items()}
        ok[ok] = np.broadcast_to(kernel(picked), (int(ok.sum()),))
        return ok
    integer = {s.name for s in model.params if s.is_scalar and s.kind == "integer"}
    for k in np.flatnonzero(ok):
        point = dict(cols)
        for name in scalars:
            x = float(cols[name][k])
            point[name] = int(x) if name in integer else x
        try:
            model.check_constraints(point)
        except ModelError:
            ok[k] = False
    return ok
