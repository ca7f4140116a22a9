"""Number formatting shared by the models' plain-English explanations."""

from __future__ import annotations

__all__ = ["f2"]


def f2(v: float) -> str:
    """``v`` with two decimals, as the explanations quote numbers."""
    return f"{v:.2f}"
