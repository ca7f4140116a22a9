"""Display names of a class: validation, and the key under which two names are "the same".

Two names collide when their keys are equal. The key is the name after NFKC
normalisation (full-width ``ＡＬＩＣＥ`` becomes ``ALICE``), case folding
(``Alice`` and ``alice``), and the replacement of Cyrillic and Greek letters
that look like Latin ones by those Latin letters (``Аlice`` with a Cyrillic
``А``). A name that mixes Latin with Cyrillic or Greek letters is refused
outright: it is almost always a look-alike of another name, never a real one.
The look-alike table follows the single-character Latin prototypes of the
Unicode confusables data (Unicode Technical Standard #39, §4).

References
----------
Unicode Consortium (2023). *Unicode Security Mechanisms*, UTS #39, version 15.1.
"""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_NAME", "InvalidName", "clean_name", "name_key", "cut_name"]

#: The longest display name, in characters.
MAX_NAME = 40

#: Cyrillic and Greek letters (after case folding) that render like a Latin letter.
_LOOKALIKE = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "ѕ": "s", "т": "t", "у": "y",
    "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ζ": "z", "ω": "w",
})
#: Scripts whose letters are confused with each other.
_CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})


class InvalidName(ValueError):
    """A display name that cannot be used; the message is safe to show."""


def _script(ch: str) -> str | None:
    """The script of a letter, from its Unicode name (``LATIN SMALL LETTER A`` → ``LATIN``)."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:  # pragma: no cover - every assigned letter has a name
        return None


def cut_name(name: str) -> str:
    """The first :data:`MAX_NAME` characters of a pasted name, trimmed (the form never empties)."""
    return unicodedata.normalize("NFC", str(name)).strip()[:MAX_NAME].strip()


def clean_name(name: object) -> str:
    """The display name to store (NFC, trimmed); raises :class:`InvalidName` with the reason."""
    if not isinstance(name, str):
        raise InvalidName("a display name must be text")
    name = unicodedata.normalize("NFC", name).strip()
    if not name:
        raise InvalidName("enter a display name")
    if len(name) > MAX_NAME:
        raise InvalidName(f"a display name has at most {MAX_NAME} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidName("a display name cannot contain control or invisible characters")
    scripts = {s for s in map(_script, unicodedata.normalize("NFKC", name))
               if s in _CONFUSABLE_SCRIPTS}
    if len(scripts) > 1:
        raise InvalidName("a display name cannot mix Latin, Cyrillic or Greek letters; "
                         "type it in one alphabet")
    return name


def name_key(name: str) -> str:
    """The key under which names collide: NFKC, case-folded, look-alikes made Latin."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = unicodedata.normalize("NFKC", folded)  # folding can un-normalise (ß → ss is fine)
    return " ".join(folded.translate(_LOOKALIKE).split())
