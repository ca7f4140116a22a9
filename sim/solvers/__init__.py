"""Equilibrium solvers, one module per method, each named ``<method>_solve``.

Normal-form methods exported here:

* :func:`enummixed_solve` - every extreme equilibrium of a bimatrix game (exact);
* :func:`lemke_howson_solve` - one equilibrium by Lemke-Howson;
* :func:`lp_solve` - minimax strategies of a constant-sum game;
* :func:`pure_solve` - every pure equilibrium of an N-player game;
* :func:`logit_solve` - one equilibrium of an N-player game, the logit-QRE limit;
* :func:`logit_qre_at`, :func:`logit_qre_path` - logit QRE;
* :func:`batch_solve` - every extreme equilibrium of a stack of bimatrix games.
"""

from sim.solvers.batch import BatchSolveResult, batch_solve
from sim.solvers.enummixed import enummixed_solve
from sim.solvers.lemke_howson import lemke_howson_solve
from sim.solvers.logit_nash import logit_solve
from sim.solvers.logit_qre import QREPath, logit_qre_at, logit_qre_path
from sim.solvers.pure import pure_solve
from sim.solvers.result import Equilibrium, SolveResult
from sim.solvers.zero_sum import lp_solve

__all__ = [
    "BatchSolveResult",
    "Equilibrium",
    "QREPath",
    "SolveResult",
    "batch_solve",
    "enummixed_solve",
    "lemke_howson_solve",
    "logit_qre_at",
    "logit_qre_path",
    "logit_solve",
    "lp_solve",
    "pure_solve",
]
