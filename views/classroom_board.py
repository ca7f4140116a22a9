"""The projector board: a large join code, a QR code of the student link, and live counts.

Nothing on it is private: no student's type and no outcome of the open round.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from sim.classroom.store import JOIN_ALPHABET, InstructorState

__all__ = ["student_url", "qr_png", "render_board_header", "render_counts", "REFRESH_SECONDS"]

#: How often the live parts of the class pages refresh themselves, in seconds.
REFRESH_SECONDS = 3.0


def student_url(code: str, page_url: str | None) -> str:
    """The link students open: this server's address with ``?mode=classroom&join=CODE``."""
    if not code or any(ch not in JOIN_ALPHABET for ch in code):
        raise ValueError("not a join code")
    parts = urlsplit(page_url or "")
    base = (f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"
            if parts.scheme in ("http", "https") and parts.netloc else "http://localhost:8501/")
    return f"{base}?{urlencode({'mode': 'classroom', 'join': code})}"


def qr_png(text: str, scale: int = 8) -> bytes:
    """A QR code of ``text`` as PNG bytes (error correction M, a four-module quiet zone)."""
    buf = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


def _page_url() -> str | None:
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - no request context (tests)
        return None
    return url if isinstance(url, str) else None


def render_board_header(code: str, big: bool = False) -> None:
    """The join code, large, beside a QR code of the student link."""
    url = student_url(code, _page_url())
    left, right = st.columns([3, 2] if big else [4, 1], vertical_alignment="center")
    size = "7rem" if big else "3.5rem"
    # the code has only letters and digits of the join alphabet: safe to put in HTML
    left.markdown(
        f"<div style='font-size:1.1rem'>Join code</div>"
        f"<div style='font-size:{size};font-weight:700;letter-spacing:.25em;"
        f"font-family:monospace;line-height:1.1' aria-label='Join code'>{code}</div>",
        unsafe_allow_html=True)
    left.caption(f"Students: scan the QR code, or open {url}")
    right.image(qr_png(url), width=300 if big else 150, caption="Scan to join")


def render_counts(state: InstructorState) -> None:
    """Who has joined, and who has moved in the open round, by role."""
    cols = st.columns(2 + len(state.by_role))
    cols[0].metric("Students joined", state.joined)
    if state.finished:
        cols[1].metric("Rounds played", f"{state.rounds} / {state.rounds}")
        return
    cols[1].metric(f"Round {state.round}: moves in", f"{state.submitted} / {state.joined}")
    for col, (role, joined, moved) in zip(cols[2:], state.by_role, strict=True):
        col.metric(f"{role}: moves in", f"{moved} / {joined}")
