"""The game lab: games typed by a teacher, with payoffs as expressions in parameters.

The pure core of the dashboard's Game lab mode and of ``coercion solve`` on the
lab's JSON form: :mod:`~sim.lab.expr` (the whitelist expression parser),
:mod:`~sim.lab.model` (the validated game), :mod:`~sim.lab.build` (to the
engine's games), :mod:`~sim.lab.solve` (equilibria with plain readings),
:mod:`~sim.lab.regime` (regime maps), :mod:`~sim.lab.files` (JSON, Gambit
files, links) and :mod:`~sim.lab.catalogue` (textbook games).
"""

from sim.lab.build import to_engine
from sim.lab.expr import Expression, ExpressionError, parse_expression
from sim.lab.model import LabGame, Parameter

__all__ = ["Expression", "ExpressionError", "LabGame", "Parameter", "parse_expression",
           "to_engine"]
