"""The instructor's page: the board, the live round, its close, and the debrief.

The page is projected, so it never shows a private type or anything about
the open round beyond who has moved; outcomes and the debrief cover closed
rounds only. The live part refreshes itself every few seconds.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sim.classroom.curves import LearningCurves, learning_curves
from sim.classroom.debrief import (
    AT_EDGE_NOTE,
    PAYOFF_LABELS,
    TABLE_LABELS,
    Debrief,
    debrief,
    lam_words,
)
from sim.classroom.export import to_csv, to_parquet_bytes
from sim.classroom.games import ClassroomGame, make_game
from sim.classroom.handout import debrief_handout
from sim.classroom.lab_games import LAB_GAME_NAME, lab_game_from_json
from sim.classroom.matching import PROTOCOL_LABELS
from sim.classroom.store import ClassroomError, ClassroomStore, InstructorState, csv_rows
from sim.modelkit.palette import SERIES_COLOURS
from views.classroom_board import REFRESH_SECONDS, render_board_header, render_counts
from views.classroom_curves import learning_figure, timeline_figure

__all__ = ["render_instructor", "debrief_figure", "DEBRIEF_COLUMNS", "OUTCOME_COLUMNS",
           "POLICY_NAMES", "plan_sentence", "odd_class_sentence"]

#: The policies the page offers for simulated students, in plain English.
POLICY_NAMES = {"nash": "Play the equilibrium", "qre:2.0": "Noisy best response (QRE, λ = 2)",
                "uniform": "Choose at random"}

DEBRIEF_COLUMNS = TABLE_LABELS
#: The debrief table's columns that hold probabilities.
SHARE_COLUMNS = ("observed", "equilibrium", "qre_fit")
#: Plain-English headers of a closed round's outcomes.
OUTCOME_COLUMNS = {"name": "Student", "role": "Role", "type": "Private type",
                   "action": "Move", "match": "Match", "outcome": "Outcome", "payoff": "Payoff"}


@st.cache_data(show_spinner=False, max_entries=32)
def _debrief(game_name: str, params: tuple[tuple[str, float], ...],
             choices: tuple[tuple[tuple[str, object], ...], ...], source: str = "") -> Debrief:
    """The debrief (its λ fit solves the QRE ~30 times) is recomputed only when moves change."""
    if game_name == LAB_GAME_NAME:
        built = lab_game_from_json(source, json.dumps(dict(params), sort_keys=True))
    else:
        built = make_game(game_name, dict(params))
    return debrief(built, [dict(row) for row in choices])


def debrief_figure(table: pd.DataFrame) -> go.Figure:
    """Observed choices beside equilibrium play and the fitted QRE."""
    x = [f"{a}: {s}" for a, s in zip(table["agent"], table["action"], strict=True)]
    fig = go.Figure([go.Bar(name=name, x=x, y=table[col], marker_color=SERIES_COLOURS[col])
                     for name, col in (("what the class did", "observed"),
                                       ("equilibrium", "equilibrium"),
                                       ("best-fitting QRE", "qre_fit"))])
    fig.update_layout(barmode="group", yaxis_title="share of choices", height=420,
                      yaxis_range=[0, 1], title="What the class did, against equilibrium play",
                      legend={"orientation": "h", "y": -0.3})
    return fig


def _close(store: ClassroomStore, token: str, round_: int) -> None:
    """Close the round shown when the button was drawn (a double click closes it once)."""
    try:
        closed = store.close_round(token, round_)
    except ClassroomError as exc:
        st.session_state["_close_error"] = str(exc)
    else:
        st.session_state["_just_closed"] = closed.round


def plan_sentence(state: InstructorState) -> str:
    """The session's plan in one sentence: rounds, matching, roles."""
    rounds = (f"{state.rounds} round{'s' if state.rounds != 1 else ''}"
              if state.rounds is not None
              else "rounds until the session ends")
    roles = "students swap roles every round" if state.rotate else "roles stay fixed"
    return f"{rounds}; {PROTOCOL_LABELS[state.matching].lower()}; {roles}."


def odd_class_sentence(state: InstructorState) -> str | None:
    """What the page says about an odd class, or ``None`` for an even one."""
    if state.in_turn:
        if state.computer_player or state.joined % 2 == 1:
            return ("A computer player, playing the equilibrium, takes any empty seat in a "
                    "group. Its opponents are told so.")
        return None
    if state.computer_player:
        return ("A computer player, playing the equilibrium, makes up the last pair of this "
                "odd class. Its opponent is told so.")
    if state.joined % 2 == 1 and state.fill_gap:
        return ("An odd number of students has joined: a computer player, playing the "
                "equilibrium, will make up the last pair.")
    if state.joined % 2 == 1:
        return ("An odd number of students has joined: one student will play two matches "
                "and be scored in one.")
    return None


def _add_bots(store: ClassroomStore, token: str) -> None:
    try:
        n = store.add_bots(token, int(st.session_state.get("bots_n", 1)),
                           str(st.session_state.get("bots_policy", "nash")))
    except ClassroomError as exc:
        st.session_state["_close_error"] = str(exc)
    else:
        st.session_state["_bots_added"] = n


def _fill_gap(store: ClassroomStore, token: str) -> None:
    try:
        store.set_fill_gap(token, bool(st.session_state.get("fill_gap")))
    except ClassroomError as exc:
        st.session_state["_close_error"] = str(exc)


def _end(store: ClassroomStore, token: str) -> None:
    try:
        store.end_session(token)
    except ClassroomError as exc:
        st.session_state["_close_error"] = str(exc)


@st.fragment(run_every=REFRESH_SECONDS)
def _live(store: ClassroomStore, token: str, shown_round: int, board: bool) -> None:
    try:  # a fragment reruns on its own: its errors are shown here, as one sentence
        state = store.instructor_state(token)
    except ClassroomError as exc:
        st.warning(str(exc))
        return
    if state.round != shown_round:
        st.rerun()  # a round closed (here or in another tab): redraw the whole page
    render_counts(state)
    odd = odd_class_sentence(state)
    if odd:
        st.caption(odd)
    if board or state.ended:
        return
    if state.finished:
        st.success(f"All {state.rounds} rounds have been played. The debrief and the data are "
                   "below.")
        return
    if state.in_turn:
        _turn_monitor(store, token, state)
        return
    if state.seconds_left is not None:
        st.caption(f"Time left in this round: {state.seconds_left:.0f} seconds. Students who "
                   "have not moved by then get the default move.")
    missing = state.missing
    if not state.submitted:
        st.caption("Waiting for the first moves of this round. This page updates by itself.")
    elif missing:
        listed = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more"
                                            if len(missing) > 12 else "")
        st.warning(f"{len(missing)} of {state.joined} students have not moved yet: {listed}. "
                   "Closing the round now leaves them out of it.")
    label = (f"Close round {state.round} anyway, without {len(missing)} missing"
             if missing and state.submitted else f"Close round {state.round} and reveal outcomes")
    st.button(label, key="close_round", type="primary", on_click=_close,
              args=(store, token, state.round), disabled=state.submitted == 0)


def _start(store: ClassroomStore, token: str, round_: int) -> None:
    try:
        store.start_round(token, round_)
    except ClassroomError as exc:
        st.session_state["_close_error"] = str(exc)


def _control(call: object, *args: object) -> None:
    try:
        call(*args)  # type: ignore[operator]
    except ClassroomError as exc:
        st.session_state["_close_error"] = str(exc)


def group_rows(state: InstructorState) -> list[dict[str, str]]:
    """The monitor's table of groups: whose move, moves made, time left. Nothing private."""
    rows = []
    for g in state.groups:
        if g.finished:
            status = "Finished"
        elif state.paused:
            status = f"Paused: {g.waiting_for} to move"
        else:
            status = f"{g.waiting_for} to move"
        left = ("" if g.finished or g.seconds_left is None else f"{g.seconds_left:.0f} s")
        rows.append({"Group": str(g.group), "Now": status, "Moves made": str(g.step),
                     "Time left": left})
    return rows


def _turn_monitor(store: ClassroomStore, token: str, state: InstructorState) -> None:
    """The live monitor of a tree played in turn: start, progress, close."""
    if not state.started:
        st.info(f"Round {state.round}: {state.joined} students have joined. Start the round "
                "when everyone is in; students who join later play from the next round.")
        st.button(f"Start round {state.round}", key="start_round", type="primary",
                  on_click=_start, args=(store, token, state.round),
                  disabled=state.joined == 0)
        return
    done = sum(g.finished for g in state.groups)
    st.caption(f"{done} of {len(state.groups)} groups have finished round {state.round}. "
               "This page updates by itself.")
    st.dataframe(group_rows(state), hide_index=True, key=f"groups.{state.round}")
    waiting = [p["name"] for p in state.players if p.get("waiting")]
    if waiting:
        listed = ", ".join(waiting[:12]) + (f" and {len(waiting) - 12} more"
                                            if len(waiting) > 12 else "")
        st.caption(f"Whose move it is: {listed}.")
    late = [p["name"] for p in state.players if not p.get("playing", True)]
    if late:
        st.caption(f"Joined during this round, playing from the next: {', '.join(late[:12])}.")
    open_groups = len(state.groups) - done
    label = (f"Close round {state.round} anyway: the default move for {open_groups} "
             f"unfinished group{'s' if open_groups != 1 else ''}" if open_groups
             else f"Close round {state.round} and reveal outcomes")
    st.button(label, key="close_round", type="primary", on_click=_close,
              args=(store, token, state.round))


def _controls(store: ClassroomStore, token: str, state: InstructorState) -> None:
    """Pause, more time, remove a student."""
    with st.expander("Pause, give more time, or remove a student"):
        left, mid = st.columns(2)
        if state.paused:
            left.button("Resume the game", key="resume", on_click=_control,
                        args=(store.pause, token, False))
        else:
            left.button("Pause the game", key="pause", on_click=_control,
                        args=(store.pause, token, True))
        if state.time_limit is not None:
            mid.button("Give 30 more seconds", key="extend", on_click=_control,
                       args=(store.extend_time, token, 30))
        names = [p["name"] for p in state.players if not p["bot"]]
        if names:
            who = st.selectbox("Student to remove", names, index=None, key="remove_who",
                               placeholder="Choose a student")
            st.button("Remove this student", key="remove", disabled=who is None,
                      on_click=_control, args=(store.remove_player, token, who))


def render_instructor(store: ClassroomStore, token: str, board: bool = False) -> None:
    state = store.instructor_state(token)
    game = store.game_of(token)
    st.header(game.title)
    st.caption(f"This session: {plan_sentence(state)}")
    recovery = st.session_state.get("_recovery_code")
    if recovery and not board:
        box = st.container(border=True)
        box.warning(f"Recovery code: {recovery}. Write it down before you project this page; "
                    "it is shown only once. With the join code it opens this page again if "
                    "the link is lost.")
        if box.button("I have written it down", key="recovery_seen"):
            del st.session_state["_recovery_code"]
            st.rerun()
    problem = st.session_state.pop("_close_error", None)
    if problem:
        st.warning(problem)
    if state.ended:
        st.info("This session has ended: no one can join or move any more. The debrief and "
                "the data below stay available.")
    else:
        render_board_header(state.code, big=board)
    _live(store, token, state.round, board)
    if board:
        return
    st.caption("Keep this page's address to yourself: it is the instructor link. Press F11 "
               "before projecting so the address bar is hidden, or open the board on its own.")
    st.link_button("Open the board for the projector", f"?mode=classroom&teacher={token}"
                   "&view=board")
    if state.round > 1:
        shown = store.round_outcomes(token, state.round - 1)
        st.subheader(f"Outcomes of round {shown.round}")
        if st.session_state.pop("_just_closed", None) == shown.round and shown.dropped:
            st.info(f"Left out of round {shown.round} for not moving: "
                    f"{', '.join(shown.dropped)}.")
        frame = pd.DataFrame(list(shown.outcomes), columns=list(OUTCOME_COLUMNS))
        frame["match"] = frame["match"] + 1
        frame["payoff"] = frame["payoff"].map(lambda x: f"{x:.2f}")
        if not any(len(game.types_of(role)) > 1 for role in game.roles):
            frame = frame.drop(columns="type")  # a game without private types
        st.dataframe(frame.rename(columns=OUTCOME_COLUMNS), hide_index=True, key="outcomes")
    _outcomes_so_far(state)
    _debrief_section(store, token, game, state.code)
    if not state.ended and not state.finished:
        _controls(store, token, state)
        st.toggle("With an odd number of students, a computer player makes up the last pair",
                  value=state.fill_gap, key="fill_gap", on_change=_fill_gap,
                  args=(store, token))
        with st.expander("Add simulated students"):
            st.write("Simulated students fill a small class. They join now and move when "
                     "each round closes.")
            st.number_input("How many", 1, 100, value=2, step=1, key="bots_n")
            st.selectbox("How they play", list(POLICY_NAMES), key="bots_policy",
                         format_func=POLICY_NAMES.__getitem__)
            st.button("Add them", key="add_bots", on_click=_add_bots, args=(store, token))
            added = st.session_state.pop("_bots_added", None)
            if added:
                st.success(f"{added} simulated students joined.")
    if not state.ended:
        with st.expander("End the session"):
            st.write("Ending the session stops joining and moving for good. The data stay.")
            st.button("End the session now", key="end_session", on_click=_end,
                      args=(store, token))


def _outcomes_so_far(state: InstructorState) -> None:
    """Closed rounds' outcomes, one count per group (nothing of the open round)."""
    if not state.outcomes_so_far:
        return
    frame = pd.DataFrame(list(state.outcomes_so_far), columns=["Round", "Outcome", "Groups"])
    table = frame.pivot_table(index="Round", columns="Outcome", values="Groups",
                              fill_value=0, aggfunc="sum")
    st.markdown("**Outcomes so far (closed rounds)**")
    st.dataframe(table, key="outcomes_so_far")


@st.cache_data(show_spinner=False, max_entries=16)
def _curves(game_name: str, params: tuple[tuple[str, float], ...],
            choices: tuple[tuple[tuple[str, object], ...], ...], source: str,
            leave_out: bool) -> LearningCurves:
    """Learning curves (a λ fit per round) are recomputed only when moves change."""
    if game_name == LAB_GAME_NAME:
        built = lab_game_from_json(source, json.dumps(dict(params), sort_keys=True))
    else:
        built = make_game(game_name, dict(params))
    return learning_curves(built, [dict(row) for row in choices], leave_out)


def _learning_section(game: ClassroomGame, choices: list[dict[str, object]]) -> None:
    rounds = {int(str(c["round"])) for c in choices}
    if len(rounds) < 2:
        return
    st.subheader("Learning curves")
    leave_out = st.toggle("Leave out moves played by the timer", key="leave_out_timed_out",
                          disabled=not any(c.get("timed_out") for c in choices))
    curves = _curves(game.name, tuple(sorted(game.params.items())),
                     tuple(tuple(sorted(row.items())) for row in choices), game.source,
                     bool(leave_out))
    if curves.table.empty:
        return
    agents = list(dict.fromkeys(curves.table["agent"]))
    agent = st.selectbox("Whose choices", agents, key="curve_agent")
    st.plotly_chart(learning_figure(curves, str(agent)), key="curve_fig")
    lam = pd.DataFrame({"Round": list(curves.lam), "Fitted λ": [lam_words(v) for v in
                                                               curves.lam.values()]})
    st.dataframe(lam, hide_index=True, key="curve_lam")
    st.plotly_chart(timeline_figure(curves), key="timeline_fig")


def _debrief_section(store: ClassroomStore, token: str, game: ClassroomGame, code: str) -> None:
    choices = store.choices(token)  # closed rounds only
    if not choices:
        return
    st.subheader("Debrief of the closed rounds")
    if game.teams:
        from views.classroom_crisis import render_crisis_paths

        render_crisis_paths(game, store.export_rows(token))
    result = _debrief(game.name, tuple(sorted(game.params.items())),
                      tuple(tuple(sorted(row.items())) for row in choices), game.source)
    if result.fit is not None:
        st.metric("Best-fitting logit precision λ", result.fit.words)
        if result.fit.at_edge:
            st.caption(AT_EDGE_NOTE)
    table = result.table
    if game.teams:  # a large tree: only the points of decision the class reached
        table = table[table.groupby("agent")["chosen"].transform("sum") > 0]
    st.dataframe(table.rename(columns=DEBRIEF_COLUMNS), hide_index=True,
                 key="debrief_table",
                 column_config={DEBRIEF_COLUMNS.get("action", "action"):
                                st.column_config.TextColumn(width="large"),
                                # shares to three places, as in the handout: no float noise
                                **{DEBRIEF_COLUMNS[c]: st.column_config.NumberColumn(
                                    format="%.3f") for c in SHARE_COLUMNS}})
    st.plotly_chart(debrief_figure(table), key="debrief_fig")
    _learning_section(game, choices)
    st.markdown("**Payoffs by role**")
    st.dataframe(result.payoffs.rename(columns=PAYOFF_LABELS), hide_index=True, key="payoffs")
    st.download_button("Download all choices (CSV)", data=csv_rows(choices),
                       file_name=f"class-{code}.csv", mime="text/csv", key="csv")
    rows = store.export_rows(token)
    left, right = st.columns(2)
    left.download_button("Download the data of every round (CSV)", data=to_csv(rows),
                         file_name=f"class-{code}-rounds.csv", mime="text/csv", key="tidy_csv")
    right.download_button("Download the data of every round (Parquet)",
                          data=to_parquet_bytes(rows), file_name=f"class-{code}-rounds.parquet",
                          mime="application/octet-stream", key="tidy_parquet")
    # the handout embeds plotly.js (about 5 MB): built on request, not on every refresh
    if st.button("Prepare the debrief handout (HTML)", key="prep_handout"):
        st.session_state["_debrief_handout"] = debrief_handout(
            f"Debrief: {game.title}", result, game.params)
    page = st.session_state.get("_debrief_handout")
    if page is not None:
        st.download_button("Download the debrief handout (works offline)", data=page,
                           file_name=f"debrief-{code}.html", mime="text/html",
                           key="handout")
