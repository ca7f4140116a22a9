"""Equilibrium solvers, one module per method, each named ``<method>_solve``."""

from sim.solvers.result import Equilibrium, SolveResult

__all__ = ["Equilibrium", "SolveResult"]
