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
    if _moment(me) != _moment(shown):
        st.rerun()  # the round closed, started, or it became this student's move
    if me.ended:
        return
    if me.paused:
        st.warning("The game is paused. This page updates by itself.")
        return
    if me.in_turn:
        if not me.started:
            st.info(f"Round {me.round} has not started yet. This page updates by itself.")
        elif me.turn is None:
            st.info("You joined after this round started: you play from the next round.")
        elif me.turn.finished:
            st.success("Your group's game is over for this round. The outcome is shown when "
                       "the instructor closes the round.")
        elif me.turn.my_move:
            if me.turn.seconds_left is not None:
                st.caption(f"Time left for this move: {me.turn.seconds_left:.0f} seconds.")
        else:
            st.info(f"Waiting for {me.turn.waiting_for} to move. This page tells you when it "
                    "is your move.")
        return
    if me.seconds_left is not None and me.submitted is None:
        st.caption(f"Time left to move: {me.seconds_left:.0f} seconds.")
    if me.submitted is not None:
        st.success(f"Recorded: {me.submitted}. You can change it until the round closes; "
                   "this page updates by itself.")
    else:
        st.caption("Choose a move and submit it. This page updates by itself.")


def _moment(me: PlayerState) -> tuple[object, ...]:
    """What, when it changes, redraws the whole page (not a tick of the clock)."""
    turn = me.turn
    return (me.round, me.ended, len(me.history), me.started, me.paused,
            None if turn is None else (turn.step, turn.my_move, turn.finished))


def render_student(store: ClassroomStore, token: str) -> None:
    me = store.player_state(token)
    game = store.player_game(token)
    st.header(me.game_title)
    st.markdown(f"You are **{_plain(me.name)}**, playing **{me.role}**"
                + (f" in round {min(me.round, me.rounds)} of {me.rounds}." if me.rounds else ".")
                + (" Roles swap every round." if me.rotate else ""))
    if me.type is not None:
        st.info(f"Your private type (only you can see it): {me.type}")
    playing = me.in_turn and not me.ended
    if playing:  # on a phone, whose move it is comes first, above the briefing
        _status(store, token, me)
        _turn(store, token, me)
    st.write(me.briefing)
    for sentence in prior_sentences(game):
        st.write(sentence)
    label = "Your payoffs" if me.in_turn else "Your payoffs (yours / theirs)"
    with st.expander(label, expanded=not me.history and not (playing and me.started)):
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
    elif not playing:
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


def _turn(store: ClassroomStore, token: str, me: PlayerState) -> None:
    """A tree played in turn: what the student has seen, and their move when it is theirs."""
    turn = me.turn
    if turn is None:
        return
    st.subheader(f"Round {me.round}: " + ("your move" if turn.my_move else
                                          "the game so far"))
    for sentence in turn.seen:
        if not sentence.startswith("Your private type"):  # shown above, in its own box
            st.write(sentence)
    if not turn.my_move or me.paused:
        return
    st.success(f"It is your move ({turn.where}).")
    choice = st.radio("Your move", turn.actions, index=None,
                      key=f"turn.{me.round}.{turn.step}", label_visibility="collapsed")
    if st.button("Play this move", key=f"play.{turn.step}", type="primary",
                 disabled=choice is None):
        try:
            store.submit(token, str(choice), me.round, step=turn.step)
        except ClassroomError as exc:
            st.error(str(exc))
        else:
            st.rerun()


def _plain(text: str) -> str:
    """A student-typed name, with Markdown's special characters escaped."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$" else ch for ch in text)
