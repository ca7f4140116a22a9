"""Names and prose from an uploaded scenario render as literal text, never as Markdown."""

from __future__ import annotations

from views.text import plain_md


def test_image_link_is_escaped() -> None:
    text = plain_md("![x](http://198.51.100.1/beacon.png)")
    assert "![" not in text and "](" not in text
    assert text.replace("\\", "") == "![x](http://198.51.100.1/beacon.png)"


def test_formatting_and_latex_are_escaped() -> None:
    for raw in ("**bold**", "_it_", "$x^2$", "<b>x</b>", "# heading", "a|b", "`code`"):
        escaped = plain_md(raw)
        assert escaped.replace("\\", "") == raw
        assert all(escaped[i - 1] == "\\" for i, ch in enumerate(escaped)
                   if ch in "*_$<>#|`" and i > 0)


def test_plain_words_are_unchanged() -> None:
    assert plain_md("Russia demands guarantees") == "Russia demands guarantees"
