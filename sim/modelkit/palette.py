"""One colour per class of outcome, for every figure of the dashboard and the handouts.

The models name their outcomes in words (``"War"``, ``"Side A acquiesces"``,
``"Settlement on tough terms"``); a scenario may put its actors' names into them
(``"Russia acquiesces"``). :func:`outcome_class` reads a label, rendered or not, as one
of a few classes (war, sanctions imposed, spiral, concession, compliance, back-down,
status quo, agreement, exploitation), and :data:`CLASS_COLOURS` gives each class one
colour, so that war is the same red in Explore, Lessons, Classroom and the handouts.

The colours are from the colour-blind-safe palette of Okabe & Ito (2008), with war in
its vermilion (spiral and exploitation, which it lacks, in darker tones). Labels of one
class that share a figure keep the class's colour and are told apart by the dash
patterns of :func:`outcome_styles`.

References
----------
Okabe, M., & Ito, K. (2008). *Color Universal Design (CUD): How to make figures and
presentations that are friendly to colorblind people.* https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["CLASS_COLOURS", "CLASS_NAMES", "OTHER", "WAR", "P_WAR_COLOUR", "INVALID_COLOUR",
           "SERIES_COLOURS", "REGIME_COLOURS", "outcome_class", "outcome_colour", "outcome_colours",
           "outcome_styles", "DASHES"]

WAR = "war"
OTHER = "other"

#: Class → colour (hex). War is vermilion everywhere; peaceful settlements are greens.
CLASS_COLOURS: dict[str, str] = {
    WAR: "#D55E00",           # vermilion
    "imposition": "#E69F00",  # orange: a sanctions threat carried out
    "spiral": "#882255",      # wine: mutual mistrust, short of war
    "concession": "#0072B2",  # blue: the target gives the challenger what it asks
    "compliance": "#56B4E9",  # sky blue: the target complies with a sanctions threat
    "back down": "#CC79A7",   # reddish purple: the challenger retreats
    "status quo": "#999999",  # grey: nothing changes
    "agreement": "#009E73",   # bluish green: a negotiated settlement
    "exploitation": "#8C510A",  # brown: one side exploits the other's restraint
    OTHER: "#555555",
}

#: Class → its name in plain words, for legends.
CLASS_NAMES: dict[str, str] = {
    WAR: "war", "imposition": "sanctions imposed", "spiral": "spiral of mistrust",
    "concession": "concession", "compliance": "compliance", "back down": "back-down",
    "status quo": "status quo", "agreement": "agreement", "exploitation": "exploitation",
    OTHER: "other outcome",
}

#: The colour of the probability of war wherever it is drawn (lines, maps, bars).
P_WAR_COLOUR = CLASS_COLOURS[WAR]
#: Points where a map could not be solved.
INVALID_COLOUR = "#E0E0E0"
#: Series that are not outcomes: what a class did, equilibrium play, a fitted QRE.
SERIES_COLOURS: dict[str, str] = {"observed": "#0072B2", "equilibrium": "#999999",
                                  "qre_fit": "#009E73"}
#: Regimes (how an equilibrium is reached) are not outcomes: pale tones of Paul Tol's
#: "light" scheme, none of them the red of war, so that a map of regimes is never read
#: as a map of outcomes.
REGIME_COLOURS = ("#77AADD", "#EEDD88", "#44BB99", "#FFAABB", "#99DDFF", "#BBCC33",
                  "#AAAA00", "#DDDDDD")
#: Dash patterns that tell apart labels of one class in a line figure.
DASHES = ("solid", "dot", "dashdot", "longdash")

# First match wins: war before the words that may follow it ("War with the patron").
_RULES: tuple[tuple[str, str], ...] = (
    (WAR, r"\bwar\b|\bdisaster\b|\bfights?\b|\bstrikes? first\b"),
    ("imposition", r"\bimposition\b|\bimposed?\b"),
    ("spiral", r"\bspiral\b"),
    ("exploitation", r"\bexploit"),
    ("compliance", r"\bcompl(?:y|ies|iance)\b"),
    ("back down", r"\bbacks? down\b|\bback-down\b|\bretreats?\b|\bquits?\b"),
    ("concession", r"\bconcessions?\b|\bconcedes?\b|\bacquiesces?\b|\bcapitulates?\b"
                   r"|\bdemand met\b|\bgives in\b"),
    ("status quo", r"\bstatus quo\b|\bdemand rejected\b"),
    ("agreement", r"\bagreement\b|\bsettlement\b|\bnegotiation\b|\bcompromise\b"
                  r"|\bmutual cooperation\b|\bdeal\b"),
)
_COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _RULES)


def outcome_class(label: str) -> str:
    """The class of an outcome label, or :data:`OTHER` when no rule reads it."""
    for name, pattern in _COMPILED:
        if pattern.search(label):
            return name
    return OTHER


def outcome_colour(label: str) -> str:
    """The colour of an outcome label's class."""
    return CLASS_COLOURS[outcome_class(label)]


def outcome_colours(labels: Iterable[str]) -> list[str]:
    """The colour of each label, in order."""
    return [outcome_colour(label) for label in labels]


def outcome_styles(labels: Iterable[str]) -> list[tuple[str, str]]:
    """``(colour, dash)`` of each label: the class's colour, and a dash pattern that
    differs between labels of the same class."""
    seen: dict[str, int] = {}
    styles = []
    for label in labels:
        cls = outcome_class(label)
        k = seen.get(cls, 0)
        seen[cls] = k + 1
        styles.append((CLASS_COLOURS[cls], DASHES[k % len(DASHES)]))
    return styles
