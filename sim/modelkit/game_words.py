"""Words for the short labels some models give their game's moves and nodes.

The International Interaction Game keeps the codes of its literature (Signorino
1999, fig. 2): nodes ``n1`` … ``n12``, actions ``D``/``nD`` (demand or not) and
``F``/``nF`` (force or not), outcomes ``SQ``, ``ACQ_A``, ``WAR_B``. They are right for
the solver, its files and its tests; a projected page reads them in words. The
words name the sides by their display names, so that
:func:`sim.modelkit.render.substitute` then puts in the scenario's actors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sim.kernels.iig import OUTCOME_LABELS
from sim.modelkit.render import substitute

__all__ = ["GAME_WORDS", "words_of"]

_IIG: dict[str, str] = {
    **OUTCOME_LABELS,
    "D": "Demand",
    "nD": "No demand",
    "F": "Use force",
    "nF": "No force",
    "n1": "1. Side A: make a demand?",
    "n2": "2. Side B, no demand made: make one?",
    "n3": "3. Side B, facing Side A's demand: counter?",
    "n4": "4. Side A, facing Side B's demand: counter?",
    "n5": "5. Side A, in the crisis it opened: use force?",
    "n6": "6. Side B, in the crisis it opened: use force?",
    "n7": "7. Side A, Side B held back: use force?",
    "n8": "8. Side A, attacked: fight back?",
    "n9": "9. Side B, Side A held back: use force?",
    "n10": "10. Side B, attacked: fight back?",
    "n11": "11. Side B, attacked: fight back?",
    "n12": "12. Side A, attacked: fight back?",
}

#: Registered model name → game label → words.
GAME_WORDS: dict[str, dict[str, str]] = {
    "iig_complete_info": _IIG,
    "logit_aqre_extensive_form": _IIG,
}


def words_of(model: str, names: Mapping[str, str] | None = None) -> Callable[[str], str] | None:
    """A relabelling of ``model``'s game labels into words and actor names, or ``None``
    when the model's labels are words already."""
    words = GAME_WORDS.get(model)
    if words is None:
        return None
    return lambda label: substitute(words.get(label, label), names or {})
