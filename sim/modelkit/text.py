"""Number formatting shared by the models' plain-English explanations.

An explanation that compares two numbers must print them so that the stated
comparison is true of the printed figures: :func:`apart` widens two numbers
that round alike, and :func:`gap` prints a small difference with enough digits
to be seen.
"""

from __future__ import annotations

__all__ = ["f2", "apart", "gap"]

#: Most decimals an explanation prints to tell two numbers apart.
MAX_DECIMALS = 6


def f2(v: float) -> str:
    """``v`` with two decimals, as the explanations quote numbers."""
    return f"{v:.2f}"


def _clean(text: str) -> str:
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


def apart(*values: float, decimals: int = 2) -> tuple[str, ...]:
    """``values`` printed so that the printed figures keep their order.

    Two decimals by default; more, up to :data:`MAX_DECIMALS`, where two of the
    numbers that differ would print alike. Equal numbers print alike.
    """
    d = decimals

    def collide(places: int) -> bool:
        shown: dict[str, float] = {}
        for v in values:
            text = f"{v:.{places}f}"
            if text in shown and shown[text] != v:
                return True
            shown[text] = v
        return False

    while d < MAX_DECIMALS and collide(d):
        d += 1
    return tuple(_clean(f"{v:.{d}f}") for v in values)


def gap(d: float, decimals: int = 2) -> str:
    """A difference ``d``: two decimals, or more where two would print a nonzero ``d``
    as zero (up to :data:`MAX_DECIMALS`)."""
    places = decimals
    while places < MAX_DECIMALS and d != 0 and float(f"{abs(d):.{places}f}") == 0:
        places += 1
    return _clean(f"{d:.{places}f}")
