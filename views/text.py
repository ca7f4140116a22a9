"""Text from scenario files and models, shown as plain words in Markdown.

A scenario may be uploaded by anyone, so its names and prose must never become
links, images, LaTeX or formatting on the page (an image link would make every
viewer's browser fetch an address of the uploader's choosing).
"""

from __future__ import annotations

import re

__all__ = ["plain_md"]

_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#+\-.!|~$:])")


def plain_md(text: object) -> str:
    """``text`` with every Markdown metacharacter escaped, so it renders literally."""
    return _SPECIAL.sub(r"\\\1", str(text))
