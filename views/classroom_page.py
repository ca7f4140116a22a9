"""Classroom mode: an instructor runs a live role-play; students join with a code.

Links:

* ``?mode=classroom`` (and ``&join=CODE``, what the board's QR code holds): the
  join form, and nothing for instructors but a link to their page;
* ``?mode=classroom&host=1``: start a session, or recover one with its
  recovery code;
* ``?mode=classroom&teacher=<token>`` (``&view=board`` for the projector): the
  instructor's page, reached only through its secret link;
* ``?mode=classroom&student=<token>``: a student's page.

All state is in the classroom database, so a server restart loses nothing.
Student text is only ever shown as plain text. A browser keeps a device
secret in a cookie, so a student who lost their link rejoins under the same
name and returns to the same player.
"""

from __future__ import annotations

import json
import re
import secrets

import streamlit as st
import streamlit.components.v1 as components

from sim.classroom.games import CLASSROOM_GAMES
from sim.classroom.matching import PROTOCOL_LABELS, PROTOCOLS
from sim.classroom.names import MAX_NAME, cut_name
from sim.classroom.store import JOIN_LENGTH, ClassroomError, ClassroomStore, default_url
from views.classroom_instructor import debrief_figure, render_instructor
from views.classroom_student import render_student

__all__ = ["render_classroom", "debrief_figure", "cut_code", "DEVICE_COOKIE"]

#: The cookie that keeps this browser's device secret.
DEVICE_COOKIE = "coercion_device"
GAME_NAMES = {"chicken": "Chicken: Russia and the United States (February 2022)",
              "threat": "Threat with private resolve: Russia and the United States "
                        "(February 2022)",
              "crisis": "Crisis negotiation (February 2022)"}


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ClassroomStore:
    return ClassroomStore(url)


def cut_code(text: str) -> str:
    """A pasted join code, upper-cased, with spaces and punctuation dropped and cut to length."""
    return re.sub(r"[^0-9A-Z]", "", str(text).upper())[:JOIN_LENGTH]


def _client() -> str:
    """What identifies this browser for the back-off on wrong codes: its address, else its
    session."""
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context
        ip = None
    if isinstance(ip, str) and ip:
        return f"ip:{ip}"
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return f"session:{ctx.session_id}" if ctx is not None else "unknown"


def _device() -> str:
    """This browser's device secret: from its cookie, else a new one kept in the session."""
    try:
        cookie = st.context.cookies.get(DEVICE_COOKIE)
    except Exception:  # noqa: BLE001 - no request context
        cookie = None
    if isinstance(cookie, str) and re.fullmatch(r"[A-Za-z0-9_-]{16,64}", cookie):
        return str(cookie)
    if "_device" not in st.session_state:
        st.session_state["_device"] = secrets.token_urlsafe(18)
    return str(st.session_state["_device"])


def _remember_device(device: str) -> None:
    """Store the device secret in a cookie of this site (a small script in a hidden frame)."""
    value = json.dumps(f"{DEVICE_COOKIE}={device}; path=/; max-age=2592000; SameSite=Strict")
    components.html(f"<script>document.cookie = {value};</script>", height=0)


def render_classroom() -> None:
    try:
        store = _store(default_url())
        teacher = st.query_params.get("teacher")
        student = st.query_params.get("student")
        if teacher:
            render_instructor(store, teacher, board=st.query_params.get("view") == "board")
        elif student:
            render_student(store, student)
        elif st.query_params.get("host"):
            _host(store)
        else:
            _join(store)
    except ClassroomError as exc:
        st.error(str(exc))


def _join(store: ClassroomStore) -> None:
    st.header("Join the class game")
    device = _device()
    _remember_device(device)
    wanted = cut_code(st.query_params.get("join", ""))
    if wanted and "join_code" not in st.session_state:
        st.session_state["join_code"] = wanted
    with st.form("join"):
        code = st.text_input("Join code (on the board)", key="join_code",
                             placeholder="for example K7M2QX")
        name = st.text_input("Your display name", key="join_name",
                             help=f"At most {MAX_NAME} characters; longer names are cut.")
        submitted = st.form_submit_button("Join", type="primary")
    if submitted:
        clean_code, clean_name = cut_code(code), cut_name(name)
        if clean_name != str(name).strip():
            st.info(f"Your name was cut to {MAX_NAME} characters: {clean_name}")
        try:
            ticket = store.join(clean_code, clean_name, client=_client(), device=device)
        except ClassroomError as exc:
            st.error(str(exc))
        else:
            if "join" in st.query_params:
                del st.query_params["join"]
            st.query_params["student"] = ticket.player_token
            st.rerun()
    st.caption("Lost your page? Join again with the same name on the same device: you "
               "return to your place.")
    st.markdown("<div style='margin-top:3rem'></div>", unsafe_allow_html=True)
    st.caption("Instructors: [start or recover a session](?mode=classroom&host=1)")


def _game_names() -> dict[str, str]:
    """Every game a class can play: the two built-ins, then the models with a finite game."""
    from sim.classroom.game_forms import playable_models

    names = dict(GAME_NAMES)
    names.update({k: f"Model: {v}" for k, v in playable_models().items()})
    return names


def _model_params(game: str) -> dict[str, float]:
    """Number inputs for a registry model's real parameters; the built-ins use their own."""
    if game in CLASSROOM_GAMES:
        return {}
    from sim.models.registry import get_model

    model = get_model(game)
    out = {}
    with st.expander("The model's parameters", expanded=False):
        for spec in model.params:
            if spec.kind != "real":
                continue
            out[spec.name] = float(st.number_input(
                spec.meaning or spec.name, float(spec.lo), float(spec.hi),
                value=float(spec.default), step=float(spec.step), key=f"new_param.{spec.name}"))
    return out


#: The default move played when a move's time is up, in plain words.
DEFAULT_MOVES = {"nash": "The equilibrium move", "qre": "A noisy best response (QRE)",
                 "always": "Always the same action"}


def _timer_inputs(game: str) -> tuple[float | None, str | None]:
    limit = st.number_input("Seconds for each move (0: no time limit)", 0, 3600, value=0,
                            step=5, key="new_time_limit")
    if not limit:
        return None, None
    kind = st.selectbox("When the time is up, play", list(DEFAULT_MOVES), key="new_default",
                        format_func=DEFAULT_MOVES.__getitem__)
    if kind == "qre":
        lam = st.number_input("Its precision λ (0: at random; larger: closer to the best "
                              "reply)", 0.0, 100.0, value=2.0, step=0.5, key="new_default_lam")
        return float(limit), f"qre:{lam:g}"
    if kind == "always":
        from sim.classroom.games import make_game

        actions = sorted({a for agent in make_game(game).agents for a in agent.actions})
        action = st.selectbox("Which action (where a player has it; otherwise the "
                              "equilibrium move)", actions, key="new_default_action")
        return float(limit), f"always:{action}"
    return float(limit), "nash"


def _host(store: ClassroomStore) -> None:
    st.header("Start a class session")
    names = _game_names()
    game = st.selectbox("Game", list(names), key="new_game", format_func=names.__getitem__)
    params = _model_params(game)
    limit, default = _timer_inputs(game)
    with st.form("create"):
        seed = st.number_input("Seed of the randomiser (roles, types, matching)", 0, 2**31 - 1,
                               value=2022, step=1, key="new_seed")
        rounds = st.number_input("Number of rounds", 1, 200, value=5, step=1, key="new_rounds")
        matching = st.selectbox("Who meets whom each round", PROTOCOLS, key="new_matching",
                                format_func=PROTOCOL_LABELS.__getitem__)
        rotate = st.checkbox("Students swap roles every round", key="new_rotate")
        fill_gap = st.checkbox("With an odd number of students, a computer player makes up "
                               "the last pair", key="new_fill_gap")
        password = (st.text_input("Instructor password", type="password", key="new_password")
                    if store.instructor_password else None)
        if st.form_submit_button("Create session", type="primary"):
            try:
                created = store.create_session(game, params or None, seed=int(seed),
                                               password=password, client=_client(),
                                               rounds=int(rounds), matching=matching,
                                               rotate=rotate, fill_gap=fill_gap,
                                               time_limit=limit, default_move=default)
            except ClassroomError as exc:
                st.error(str(exc))
                return
            st.session_state["_recovery_code"] = created.recovery_code
            del st.query_params["host"]
            st.query_params["teacher"] = created.instructor_token
            st.rerun()
    with st.form("recover"):
        st.subheader("Lost the instructor link?")
        code = st.text_input("Join code", key="recover_code")
        recovery = st.text_input("Recovery code (shown once when the session was created)",
                                 key="recover_secret", type="password")
        if st.form_submit_button("Open my session"):
            try:
                token = store.recover_instructor(cut_code(code), recovery, client=_client())
            except ClassroomError as exc:
                st.error(str(exc))
                return
            del st.query_params["host"]
            st.query_params["teacher"] = token
            st.rerun()
