"""coercion-sim: equilibria of coercive-diplomacy models, bound to real crises.

The package is a pure numeric core; it never imports streamlit.
"""

__version__ = "0.1.0"
