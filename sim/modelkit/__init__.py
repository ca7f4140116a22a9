"""What models share and no model is: the parameter vocabulary, the alias table, actor-name
rendering, and pieces of outcome assembly used by several models.

It sits on the model layer beside ``sim.models.base``; model modules import from here and
from ``sim.models.base`` only, never from one another.
"""
