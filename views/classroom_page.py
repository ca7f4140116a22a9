"""Classroom mode: an instructor runs a live role-play; students join with a code.

The instructor's page is reached only through its secret link (``?mode=classroom&
teacher=<token>``); a student's page through theirs (``&student=<token>``). All
state is in the classroom database, so a server restart loses nothing. Student
text is only ever shown as plain text.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sim.classroom.debrief import Debrief, debrief
from sim.classroom.games import CLASSROOM_GAMES, make_game
from sim.classroom.handout import debrief_handout
from sim.classroom.store import ClassroomError, ClassroomStore, csv_rows, default_url

__all__ = ["render_classroom", "debrief_figure"]


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ClassroomStore:
    return ClassroomStore(url)


@st.cache_data(show_spinner=False, max_entries=32)
def _debrief(game_name: str, params: tuple[tuple[str, float], ...],
             choices: tuple[tuple[tuple[str, object], ...], ...]) -> Debrief:
    """The debrief (its λ fit solves the QRE ~30 times) is recomputed only when moves change."""
    return debrief(make_game(game_name, dict(params)), [dict(row) for row in choices])


def debrief_figure(table: pd.DataFrame) -> go.Figure:
    """Observed choices beside equilibrium play and the fitted QRE."""
    x = [f"{a}: {s}" for a, s in zip(table["agent"], table["action"], strict=True)]
    fig = go.Figure([go.Bar(name=name, x=x, y=table[col]) for name, col in (
        ("observed", "observed"), ("equilibrium", "equilibrium"), ("fitted QRE", "qre_fit"))])
    fig.update_layout(barmode="group", yaxis_title="share of choices", height=420,
                      title="What the class did, against equilibrium play")
    return fig


def _client() -> str:
    """What identifies this browser for the back-off on wrong codes: its address, else its
    session."""
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - older Streamlit or no request context
        ip = None
    if ip:
        return f"ip:{ip}"
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return f"session:{ctx.session_id}" if ctx is not None else "unknown"


def render_classroom() -> None:
    try:
        store = _store(default_url())
    except ClassroomError as exc:
        st.error(str(exc))
        return
    teacher = st.query_params.get("teacher")
    student = st.query_params.get("student")
    try:
        if teacher:
            _instructor(store, teacher)
        elif student:
            _student(store, student)
        else:
            _start(store)
    except ClassroomError as exc:
        st.error(str(exc))


def _start(store: ClassroomStore) -> None:
    st.header("Classroom role-play")
    left, right = st.columns(2)
    with left, st.form("join"):
        st.subheader("Join a session (students)")
        code = st.text_input("Join code", max_chars=6, key="join_code")
        name = st.text_input("Display name", max_chars=40, key="join_name")
        if st.form_submit_button("Join"):
            try:
                ticket = store.join(code, name, client=_client())
            except ClassroomError as exc:
                st.error(str(exc))
            else:
                st.query_params["student"] = ticket.player_token
                st.rerun()
    with right, st.form("create"):
        st.subheader("Start a session (instructor)")
        game = st.selectbox("Game", list(CLASSROOM_GAMES), key="new_game",
                            format_func={"chicken": "Chicken",
                                         "threat": "Threat with private resolve"}.__getitem__)
        seed = st.number_input("Seed of the randomiser (roles, types, matching)", 0, 2**31 - 1,
                               value=2022, step=1, key="new_seed")
        password = (st.text_input("Instructor password", type="password", key="new_password")
                    if store.instructor_password else None)
        if st.form_submit_button("Create session"):
            created = store.create_session(game, seed=int(seed), password=password,
                                           client=_client())
            st.session_state["_recovery_code"] = created.recovery_code
            st.query_params["teacher"] = created.instructor_token
            st.rerun()


def _instructor(store: ClassroomStore, token: str) -> None:
    state = store.instructor_state(token)
    game = store.game_of(token)
    st.header(game.title)
    close_error = st.session_state.pop("_close_error", None)
    if close_error:
        st.warning(close_error)
    st.metric("Join code", state.code)
    st.caption("Keep this page's address secret: it is the instructor link. Students join "
               "with the code above on the Classroom page.")
    st.metric(f"Round {state.round}: moves in", f"{state.submitted} / {len(state.players)}")
    st.dataframe(pd.DataFrame(list(state.players), columns=["name", "role", "submitted"]),
                 hide_index=True, key="players")
    cols = st.columns(2)
    if cols[0].button("Refresh", key="refresh"):
        st.rerun()
    # the callback closes the round shown when the button was drawn: a double click
    # closes it once and never skips the next round
    cols[1].button("Close the round and reveal outcomes", key="close_round",
                   on_click=_close, args=(store, token, state.round))
    if state.round > 1:
        revealed = store.round_outcomes(token, state.round - 1)
        st.subheader(f"Outcomes of round {revealed.round}")
        st.dataframe(pd.DataFrame(list(revealed.outcomes),
                                  columns=["name", "role", "type", "action", "match",
                                           "outcome", "payoff"]),
                     hide_index=True, key="outcomes")
    choices = store.choices(token)
    if not choices:
        return
    st.subheader("Debrief")
    result = _debrief(game.name, tuple(sorted(game.params.items())),
                      tuple(tuple(sorted(row.items())) for row in choices))
    if result.fit is not None:
        st.metric("Best-fitting logit precision λ", f"{result.fit.lam:.2f}")
    st.dataframe(result.table, hide_index=True, key="debrief_table")
    st.plotly_chart(debrief_figure(result.table), key="debrief_fig")
    st.markdown("**Payoffs by role**")
    st.dataframe(result.payoffs, hide_index=True, key="payoffs")
    st.download_button("Download all choices (CSV)", data=csv_rows(choices),
                       file_name=f"class-{state.code}.csv", mime="text/csv", key="csv")
    # the handout embeds plotly.js (about 5 MB): built on request, not on every refresh
    if st.button("Prepare the debrief handout (HTML)", key="prep_handout"):
        st.session_state["_debrief_handout"] = debrief_handout(
            f"Debrief: {game.title}", result, game.params)
    page = st.session_state.get("_debrief_handout")
    if page is not None:
        st.download_button("Download the debrief handout (works offline)", data=page,
                           file_name=f"debrief-{state.code}.html", mime="text/html",
                           key="handout")


def _close(store: ClassroomStore, token: str, round_: int) -> None:
    try:
        store.close_round(token, round_)
    except ClassroomError as exc:
        st.session_state["_close_error"] = str(exc)


def _student(store: ClassroomStore, token: str) -> None:
    me = store.player_state(token)
    st.header(me.game_title)
    st.write(me.briefing)
    st.text(f"You are {me.name}. Your role: {me.role}.")
    if me.type is not None:
        st.info(f"Your private type (only you can see it): {me.type}")
    if me.last_outcome is not None:
        st.text(f"Last round: {me.last_outcome}; your payoff {me.last_payoff:.2f}")
    st.subheader(f"Round {me.round}")
    choice = st.radio("Your move", me.actions, index=None if me.submitted is None
                      else me.actions.index(me.submitted), key=f"move.{me.round}")
    if st.button("Submit my move", key="submit", disabled=choice is None):
        store.submit(token, str(choice), me.round)
        st.rerun()
    if me.submitted is not None:
        st.success(f"Recorded: {me.submitted}. You can change it until the round closes.")
    if st.button("Refresh", key="refresh_student"):
        st.rerun()
