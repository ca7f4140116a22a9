"""A student's page: the game as they see it, their move, and what happened each round.

Light on purpose (a class of 100 polls it): no figures, and its live part
rereads only this student's own state.
"""

from __future__ import annotations

import streamlit as st

from sim.classroom.briefing import payoff_tables, prior_sentences, round_debrief
from sim.classroom.store import ClassroomError, ClassroomStore, PlayerState
from views.classroom_board import REFRESH_SECONDS

__all__ = ["render_student", "history_table"]


@st.fragment(run_every=REFRESH_SECONDS)
def _status(store: ClassroomStore, token: str, shown: PlayerState) -> None:
    try:  # a fragment reruns on its own: its errors are shown here, as one sentence
        me = store.player_state(token)
    except ClassroomError as exc:
        st.warning(str(exc))
        return
    if (me.round, me.ended, len(me.history)) != (shown.round, shown.ended, len(shown.history)):
        st.rerun()  # the round closed: show the outcome and the next round
    if me.ended:
        return
    if me.submitted is not None:
        st.success(f"Recorded: {me.submitted}. You can change it until the round closes; "
                   "this page updates by itself.")
    else:
        st.caption("Choose a move and submit it. This page updates by itself.")


def render_student(store: ClassroomStore, token: str) -> None:
    me = store.player_state(token)
    game = store.player_game(token)
    st.header(me.game_title)
    st.markdown(f"You are **{_plain(me.name)}**, playing **{me.role}**"
                + (f" in round {min(me.round, me.rounds)} of {me.rounds}." if me.rounds else ".")
                + (" Roles swap every round." if me.rotate else ""))
    if me.type is not None:
        st.info(f"Your private type (only you can see it): {me.type}")
    st.write(me.briefing)
    for sentence in prior_sentences(game):
        st.write(sentence)
    with st.expander("Your payoffs (yours / theirs)", expanded=not me.history):
        for table in payoff_tables(game, me.role, me.type):
            st.markdown(f"**{table.title}**")
            st.table(table.table)
    if me.history:
        last = me.history[-1]
        st.subheader(f"What happened in round {last.round}")
        if last.opponent_is_bot:
            st.caption("Your opponent in this round was a computer player, not a classmate.")
        st.info(round_debrief(game, last.role or me.role, last.type, last.round, last.action,
                              last.partners, last.outcome, last.payoff))
    if me.ended:
        st.warning("This session has ended. Thank you for playing.")
    else:
        _move(store, token, me)
        _status(store, token, me)
    if me.history:
        st.subheader("Your rounds so far")
        st.table(history_table(me))


def history_table(me: PlayerState) -> list[dict[str, str]]:
    """Each closed round as this student played it, with plain-English headers."""
    rows = []
    for r in me.history:
        # opponents stay anonymous, as in a lab; a computer player is named as one
        role = r.role if r.type is None else f"{r.role} ({r.type})"
        rows.append({"Round": str(r.round), "Your role": role, "Your move": r.action,
                     "Opponent": "a computer player" if r.opponent_is_bot else "a classmate",
                     "Opponent's move": ", ".join(r.partners.values()),
                     "Outcome": r.outcome, "Your payoff": f"{r.payoff:.2f}"})
    return rows


def _move(store: ClassroomStore, token: str, me: PlayerState) -> None:
    st.subheader(f"Round {me.round}: your move")
    choice = st.radio("Your move", me.actions, index=None if me.submitted is None
                      else me.actions.index(me.submitted), key=f"move.{me.round}",
                      label_visibility="collapsed")
    if st.button("Submit my move", key="submit", type="primary", disabled=choice is None):
        try:
            store.submit(token, str(choice), me.round)
        except ClassroomError as exc:
            st.error(str(exc))
        else:
            st.rerun()


def _plain(text: str) -> str:
    """A student-typed name, with Markdown's special characters escaped."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$" else ch for ch in text)
