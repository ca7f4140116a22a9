"""The Game lab mode: build any game, turn payoffs into sliders, solve it live, share it.

Session state holds the game's JSON form (``_lab``: the last valid game, a
revision number for editor widgets, the last error). The address bar holds
the game as a compact link (``?mode=game+lab&game=...``), so a copied link
restores it, expressions and slider ranges included.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from pydantic import ValidationError

from sim.games.errors import GameError
from sim.games.extensive_form import ExtensiveFormGame
from sim.games.normal_form import NormalFormGame
from sim.lab.catalogue import CATALOGUE, catalogue_game
from sim.lab.edit import new_normal_form, new_tree, outline, sync_parameters
from sim.lab.files import (
    MAX_FILE_BYTES,
    LabFileError,
    decode_link,
    encode_link,
    read_game_text,
    validation_messages,
)
from sim.lab.model import LabGame
from sim.lab.solve import LabSolution, fmt_number, solve_lab
from views.equilibrium_figures import tree_height
from views.game_lab_class import render_class_action
from views.game_lab_editor import render_normal_form_editor, render_tree_editor
from views.game_lab_figures import lab_tree_chart
from views.game_lab_results import render_map_tab, render_qre_tab, render_share_tab

__all__ = ["render_game_lab", "LAB", "DEFAULT_GAME", "md_escape"]

LAB = "_lab"
DEFAULT_GAME = "chicken"
_NEW = {"new_2x2": "A new 2 x 2 game", "new_3x3": "A new 3 x 3 game",
        "new_3p": "A new three-player game", "new_tree": "A new tree"}
_TABS = ("Game and equilibria", "Regime map", "QRE path", "Share and download")


def md_escape(text: str) -> str:
    """User text shown as plain text inside Markdown."""
    for ch in "\\`*_{}[]()#+!|<>$~":
        text = text.replace(ch, "\\" + ch)
    return text


def _fresh(key: str) -> LabGame:
    if key == "new_2x2":
        data = new_normal_form([["Top", "Bottom"], ["Left", "Right"]])
    elif key == "new_3x3":
        data = new_normal_form([["Top", "Middle", "Bottom"], ["Left", "Centre", "Right"]])
    elif key == "new_3p":
        data = new_normal_form([["Yes", "No"]] * 3, ["Ann", "Bob", "Cleo"])
    elif key == "new_tree":
        data = new_tree()
    else:
        return catalogue_game(key)
    return LabGame.model_validate(data)


def _state() -> dict[str, Any]:
    lab = st.session_state.get(LAB)
    if lab is None:
        game: LabGame | None = None
        warning = None
        token = st.query_params.get("game")
        if token:
            try:
                game = decode_link(str(token))
            except GameError as exc:
                warning = f"The game in this link could not be opened: {exc}"
        lab = {"game": game or catalogue_game(DEFAULT_GAME), "rev": 0, "warning": warning}
        st.session_state[LAB] = lab
    return lab


def _replace(lab: dict[str, Any], game: LabGame) -> None:
    lab["game"] = game
    lab["rev"] += 1
    lab.pop("map", None)


def _on_upload() -> None:
    upload = st.session_state.get("lab.upload")
    if upload is None:
        return
    lab = st.session_state[LAB]
    if upload.size > MAX_FILE_BYTES:
        lab["upload_error"] = (f"{upload.name}: the file is {upload.size:,} bytes; the limit is "
                               f"{MAX_FILE_BYTES:,}")
        return
    try:
        _replace(lab, read_game_text(upload.getvalue(), upload.name))
        lab["upload_error"] = None
    except GameError as exc:
        lab["upload_error"] = str(exc)


def _on_load() -> None:
    lab = st.session_state[LAB]
    _replace(lab, _fresh(st.session_state["lab.start"]))


def _sidebar_start(lab: dict[str, Any]) -> None:
    sb = st.sidebar
    options = [*_NEW, *(e.key for e in CATALOGUE)]
    names = {**_NEW, **{e.key: e.name for e in CATALOGUE}}
    if st.session_state.get("lab.start") not in options:
        st.session_state["lab.start"] = DEFAULT_GAME
    sb.selectbox("Start from", options, key="lab.start", format_func=names.__getitem__,
                 help="A textbook game from the catalogue, or an empty game to fill in.")
    sb.button("Load this game", key="lab.load", on_click=_on_load, type="primary")
    sb.file_uploader("Or open a Gambit .nfg or .efg file, or a game-lab .json file "
                     f"(at most {MAX_FILE_BYTES // 1024} KiB)", type=["nfg", "efg", "json"],
                     key="lab.upload", on_change=_on_upload)
    if lab.get("upload_error"):
        sb.error("This file could not be opened:\n\n" + md_escape(lab["upload_error"]))


def _sliders(lab: dict[str, Any], game: LabGame) -> LabGame:
    sb = st.sidebar
    if not game.parameters:
        sb.caption("No parameters yet: type a name such as `c` into a payoff cell to get a "
                   "slider for it.")
        return game
    sb.markdown("**Parameters**")
    rev = lab["rev"]
    params = []
    for p in game.parameters:
        key = f"lab.v.{rev}.{p.name}.{p.lo:g}.{p.hi:g}"
        if key not in st.session_state:
            st.session_state[key] = float(p.value)
        label = f"{p.label[:1].upper()}{p.label[1:]} ({p.name})" if p.label else p.name
        value = sb.slider(label, min_value=float(p.lo), max_value=float(p.hi),
                          step=float(p.slider_step), key=key, format="%g")
        params.append(p.model_copy(update={"value": float(value)}))
    game = game.model_copy(update={"parameters": params})
    with sb.expander("Slider ranges"):
        frame = pd.DataFrame([{"Parameter": p.name, "Lowest": p.lo, "Highest": p.hi,
                               "Meaning": p.label} for p in game.parameters])
        edited = st.data_editor(frame, key=f"lab.ranges.{rev}", hide_index=True,
                                disabled=["Parameter"], num_rows="fixed")
        changed = []
        for p, row in zip(game.parameters, edited.to_dict("records"), strict=True):
            lo, hi = float(row["Lowest"]), float(row["Highest"])
            label = "" if row["Meaning"] is None else str(row["Meaning"])
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                st.error(f"The range of {p.name} needs its lowest value below its highest.")
                changed.append(p)
                continue
            value = min(max(p.value, lo), hi)
            try:
                changed.append(p.model_copy(update={"lo": lo, "hi": hi, "value": value,
                                                    "label": label[:60]}))
            except ValidationError:
                changed.append(p)
        if [(p.lo, p.hi, p.label) for p in changed] != [
                (p.lo, p.hi, p.label) for p in game.parameters]:
            game = LabGame.model_validate({**game.to_json_dict(),
                                           "parameters": [p.model_dump() for p in changed]})
            lab["game"] = game
            st.rerun()
    return game


def _validate(data: dict[str, Any]) -> tuple[LabGame | None, list[str]]:
    try:
        return LabGame.model_validate(sync_parameters(data)), []
    except ValidationError as exc:
        return None, [m.removeprefix("game: ") for m in validation_messages(exc, "game")]


def _payoff_text(engine: NormalFormGame) -> pd.DataFrame | None:
    if engine.n_players != 2:
        return None
    A, B = engine.to_arrays()
    rows, cols = engine.strategies
    return pd.DataFrame([[f"{fmt_number(A[i, j])}, {fmt_number(B[i, j])}"
                          for j in range(len(cols))] for i in range(len(rows))],
                        index=list(rows), columns=list(cols))


def _render_solution(game: LabGame, sol: LabSolution) -> None:
    st.markdown(f"#### {md_escape(sol.headline[:1].upper() + sol.headline[1:])}")
    for k, e in enumerate(sol.equilibria, 1):
        comp = f" · connected set {e.component + 1}" if e.component is not None else ""
        st.markdown(f"**{k}. {e.kind.capitalize()}** · {md_escape(e.concept)}{comp}  \n"
                    f"{md_escape(e.reading)}")
    for note in sol.notes:
        st.caption(note)
    if sol.other_nash:
        with st.expander(f"All {len(sol.other_nash)} Nash equilibria, subgame perfect or not"):
            for k, e in enumerate(sol.other_nash, 1):
                st.markdown(f"**{k}. {e.kind.capitalize()}** · {md_escape(e.reading)}")
    st.caption("Each equilibrium is certified: its largest gain from deviating is "
               + ", ".join(fmt_number(e.regret) for e in sol.equilibria[:8])
               + (" …" if len(sol.equilibria) > 8 else "") + f". Method: {sol.method}.")


def render_game_lab() -> None:
    """The Game lab page (sidebar and main area)."""
    lab = _state()
    _sidebar_start(lab)
    game: LabGame = lab["game"]
    if lab.get("warning"):
        st.warning(lab["warning"])
    st.header(game.title)
    if game.description:
        st.markdown(md_escape(game.description))
    if game.source:
        st.caption("Source: " + game.source)
    tabs = st.tabs(list(_TABS), key="lab_tab", on_change="rerun")
    with tabs[0]:
        edit_col, result_col = st.columns([5, 4], gap="large")
        with edit_col:
            title = st.text_input("Title", game.title, key=f"lab.title.{lab['rev']}",
                                  max_chars=120)
            data = game.to_json_dict()
            if title.strip() and title.strip() != game.title:
                data["title"] = title.strip()
            error = None
            if game.normal_form is not None:
                data, resized = render_normal_form_editor(data, lab["rev"])
            else:
                data, error = render_tree_editor(data, lab["rev"])
                resized = False
            replaced = st.session_state.pop("_lab_replace", None)
            if replaced is not None:
                data, resized = replaced, True
            new, problems = _validate(data)
            if error:
                problems.insert(0, error)
            if problems:
                st.error("This edit is not used yet: " + md_escape(problems[0])
                         + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
            elif new is not None and new != game:
                keep = {p.name: p for p in game.parameters}
                new = new.model_copy(update={"parameters": [keep.get(p.name, p)
                                                            for p in new.parameters]})
                if resized:
                    _replace(lab, new)
                    st.rerun()
                # No rerun here: the sliders are drawn below, after the editor, so a new
                # name gets its slider in this run and the other sliders keep their state.
                lab["game"] = new
                game = new
    game = _sliders(lab, game)
    lab["game"] = game
    try:
        token: str | None = encode_link(game)
    except LabFileError:
        token = None
    if token is not None and st.query_params.get("game") != token:
        st.query_params["game"] = token
    with tabs[0], result_col:
        try:
            sol = solve_lab(game)
        except GameError as exc:
            st.error(f"The game cannot be solved at these values: {md_escape(str(exc))}")
            sol = None
        if sol is not None:
            engine = sol.game
            if isinstance(engine, NormalFormGame):
                table = _payoff_text(engine)
                if table is not None:
                    st.markdown("**Payoffs at these values** (" + ", ".join(
                        md_escape(p) for p in engine.players) + ")")
                    st.dataframe(table, width="stretch")
            _render_solution(game, sol)
    if sol is not None and isinstance(sol.game, ExtensiveFormGame):
        with tabs[0]:
            shown = sol.equilibria
            pick = 0
            if len(shown) > 1:
                pick = st.selectbox("Equilibrium drawn on the tree", range(len(shown)),
                                    format_func=lambda k: f"{k + 1}. {shown[k].concept}",
                                    key=f"lab.pick.{lab['rev']}")
            st.echarts_chart(lab_tree_chart(sol.game, shown[pick] if shown else None),
                             height=tree_height(sol.game), key="lab.treefig")
            with st.expander("The tree as text"):
                st.code(outline(game), language="text")
    with tabs[0]:
        render_class_action(game)
    if tabs[1].open:
        with tabs[1]:
            render_map_tab(lab, game)
    if tabs[2].open:
        with tabs[2]:
            render_qre_tab(game)
    if tabs[3].open:
        with tabs[3]:
            render_share_tab(game, token)
