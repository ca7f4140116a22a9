"""The Game lab's "Play this game in class" action: start a class session with the game.

A two-player lab game, at the sliders' current values, becomes a class
session (:func:`sim.classroom.lab_games.lab_game`); the teacher is sent to
the new session's instructor page, as after the Classroom's start form.
"""

from __future__ import annotations

import streamlit as st

from sim.classroom.lab_games import LAB_GAME_NAME, class_ready
from sim.classroom.matching import PROTOCOL_LABELS, PROTOCOLS
from sim.classroom.store import ClassroomError, default_url
from sim.lab.model import LabGame

__all__ = ["render_class_action"]


def render_class_action(game: LabGame) -> None:
    """The expander that starts a class session playing ``game``."""
    from views.classroom_page import _client, _store

    with st.expander("Play this game in class"):
        why = class_ready(game)
        if why is not None:
            st.info(why)
            return
        st.caption("Students join with a code and play this game at the current values, "
                   "over rounds, as in the Classroom mode."
                   + (" A tree is played by the strategy method: each student chooses a "
                      "complete plan in advance." if game.tree is not None else ""))
        store = _store(default_url())
        with st.form("lab.class"):
            seed = st.number_input("Seed of the randomiser (roles, matching)", 0, 2**31 - 1,
                                   value=2022, step=1, key="lab.class.seed")
            rounds = st.number_input("Number of rounds", 1, 200, value=5, step=1,
                                     key="lab.class.rounds")
            matching = st.selectbox("Who meets whom each round", PROTOCOLS,
                                    key="lab.class.matching",
                                    format_func=PROTOCOL_LABELS.__getitem__)
            rotate = st.checkbox("Students swap roles every round", key="lab.class.rotate")
            fill_gap = st.checkbox("With an odd number of students, a computer player makes "
                                   "up the last pair", key="lab.class.fill_gap")
            password = (st.text_input("Instructor password", type="password",
                                      key="lab.class.password")
                        if store.instructor_password else None)
            if not st.form_submit_button("Start a class session", type="primary"):
                return
            try:
                created = store.create_session(
                    LAB_GAME_NAME, dict(game.values), seed=int(seed), password=password,
                    client=_client(), rounds=int(rounds), matching=matching, rotate=rotate,
                    fill_gap=fill_gap, lab=game)
            except ClassroomError as exc:
                st.error(str(exc))
                return
        st.session_state["_recovery_code"] = created.recovery_code
        for key in ("game", "host"):
            if key in st.query_params:
                del st.query_params[key]
        st.query_params["mode"] = "classroom"
        st.query_params["teacher"] = created.instructor_token
        st.rerun()
