"""The Game lab's editors: payoff grids for normal forms, a node table for trees.

Each editor takes the JSON form of the game (a dict) and returns the edited
JSON form; the page validates it. Widget keys carry a revision number that
the page bumps whenever the game is replaced (loaded, resized), so grids
start from the new game instead of replaying old edits.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pandas as pd
import streamlit as st

from sim.games.errors import GameError
from sim.lab.edit import paste_matrix, player_matrix, resize, set_player_matrix
from sim.lab.model import max_strategies

__all__ = ["render_normal_form_editor", "render_tree_editor", "tree_rows", "rows_to_tree",
           "KINDS"]

Data = dict[str, Any]
KINDS = {"decision": "Decision", "chance": "Chance", "terminal": "Outcome"}
_ARROW = re.compile(r"^(?P<action>.*?)\s*(?:\((?P<prob>.+)\))?\s*(?:->|→)\s*(?P<to>[^\s;]+)$")


def _names(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[,\n]", text) if s.strip()]


def render_normal_form_editor(data: Data, rev: int) -> tuple[Data, bool]:
    """Players, strategy names and payoff grids. Returns the game and whether it was resized."""
    nf = data["normal_form"]
    n = len(data["players"])
    c1, c2 = st.columns([1, 3])
    new_n = c1.selectbox("Players", [2, 3, 4], index=[2, 3, 4].index(n), key=f"lab.n.{rev}",
                         help="Two players with up to 10 strategies each; three or four "
                              "players with up to 4.")
    players = list(data["players"])
    if new_n != n:
        strategies = [list(s[:max_strategies(new_n)]) for s in nf["strategies"][:new_n]]
        while len(strategies) < new_n:
            strategies.append(["Yes", "No"])
        names = (players + ["Third", "Fourth"])[:new_n]
        return resize(data, strategies, names), True
    player_text = c2.text_input("Player names (comma-separated)", ", ".join(players),
                                key=f"lab.players.{rev}")
    new_players = _names(player_text)
    cols = st.columns(n)
    strategies = []
    for i in range(n):
        text = cols[i].text_input(f"Strategies of {players[i]}", ", ".join(nf["strategies"][i]),
                                  key=f"lab.s.{rev}.{i}",
                                  help=f"Comma-separated, 1 to {max_strategies(n)}.")
        strategies.append(_names(text))
    if len(new_players) == n and new_players != players:
        data = copy.deepcopy(data)
        data["players"] = new_players
    if strategies != nf["strategies"]:
        if any(not s or len(s) > max_strategies(n) for s in strategies):
            st.error(f"Each player needs 1 to {max_strategies(n)} strategies.")
        elif any(len(set(s)) != len(s) for s in strategies):
            st.error("Strategy names of one player must be distinct.")
        else:
            same_shape = [len(s) for s in strategies] == [len(s) for s in nf["strategies"]]
            out = copy.deepcopy(data)
            if same_shape:
                out["normal_form"]["strategies"] = strategies
                return out, False
            return resize(out, strategies, data["players"]), True
    st.caption("Type a number or an expression in each cell, such as `w - c`, `-c` or "
               "`max(0, v - 1)`. A new name gets its own slider. You can paste a block of "
               "cells copied from a spreadsheet.")
    if n == 2:
        return _two_player_grids(data, rev), False
    return _profile_table(data, rev), False


def _two_player_grids(data: Data, rev: int) -> Data:
    nf = data["normal_form"]
    rows, cols = nf["strategies"]
    left, right = st.columns(2)
    for player, box in enumerate((left, right)):
        name = data["players"][player]
        with box:
            st.markdown(f"**Payoffs to {name}**")
            frame = pd.DataFrame(player_matrix(data, player), index=rows, columns=cols)
            edited = st.data_editor(
                frame, key=f"lab.grid.{rev}.{player}", num_rows="fixed",
                width="stretch",
                column_config={c: st.column_config.TextColumn(c) for c in cols})
            matrix = edited.astype(object).where(edited.notna(), "").values.tolist()
            data = set_player_matrix(data, player, matrix)
            with st.expander(f"Paste a matrix for {name}"):
                text = st.text_area(
                    "Rows on separate lines; entries separated by tabs (from a spreadsheet), "
                    "semicolons or spaces.", key=f"lab.paste.{rev}.{player}", height=90)
                if st.button("Use the pasted matrix", key=f"lab.paste_go.{rev}.{player}"):
                    try:
                        data = set_player_matrix(data, player,
                                                 paste_matrix(text, len(rows), len(cols)))
                        st.session_state["_lab_replace"] = data
                    except GameError as exc:
                        st.error(str(exc))
    return data


def _profile_table(data: Data, rev: int) -> Data:
    nf = data["normal_form"]
    players = data["players"]
    import numpy as np

    shape = [len(s) for s in nf["strategies"]]
    records = []
    for k, idx in enumerate(np.ndindex(*shape)):
        rec: dict[str, Any] = {players[i]: nf["strategies"][i][j] for i, j in enumerate(idx)}
        rec.update({f"payoff to {p}": nf["payoffs"][k][i] for i, p in enumerate(players)})
        records.append(rec)
    frame = pd.DataFrame(records)
    edited = st.data_editor(frame, key=f"lab.table.{rev}", num_rows="fixed", hide_index=True,
                            disabled=list(players), width="stretch")
    out = copy.deepcopy(data)
    for k in range(len(records)):
        for i, p in enumerate(players):
            v = edited.iloc[k][f"payoff to {p}"]
            out["normal_form"]["payoffs"][k][i] = (str(v).strip() if v is not None
                                                   and str(v).strip() not in ("", "nan")
                                                   else "0")
    return out


# -- trees ---------------------------------------------------------------------------

def tree_rows(data: Data) -> pd.DataFrame:
    """The tree as one editable row per node."""
    players = data["players"]
    records = []
    for node in data["tree"]["nodes"]:
        branches = []
        for b in node.get("branches", []):
            prob = f" ({b['prob']})" if b.get("prob") is not None else ""
            branches.append(f"{b['action']}{prob} → {b['to']}")
        player = node.get("player")
        records.append({
            "Node": node["id"], "Type": KINDS[node["kind"]],
            "Player": players[player] if player is not None and player < len(players) else "",
            "Information set": node.get("infoset") or "", "Label": node.get("label", ""),
            "Branches": "; ".join(branches), "Payoffs": "; ".join(node.get("payoffs", [])),
        })
    return pd.DataFrame(records, columns=["Node", "Type", "Player", "Information set", "Label",
                                          "Branches", "Payoffs"])


def _cell(v: Any) -> str:
    if v is None:
        return ""
    text = str(v)
    return "" if text == "nan" else text.strip()


def rows_to_tree(frame: pd.DataFrame, data: Data) -> Data:
    """The JSON form with its tree rebuilt from the node table.

    Raises
    ------
    GameError
        ``"row k: what is wrong"`` for a row that cannot be read.
    """
    players = data["players"]
    kinds = {v: k for k, v in KINDS.items()}
    nodes = []
    for k, row in enumerate(frame.to_dict("records"), 1):
        node_id = _cell(row.get("Node"))
        if not node_id:
            if not any(_cell(v) for v in row.values()):
                continue
            raise GameError(f"row {k}: the node needs a name in the Node column")
        kind = kinds.get(_cell(row.get("Type")))
        if kind is None:
            raise GameError(f"row {k} ({node_id}): choose a type")
        entry: dict[str, Any] = {"id": node_id, "kind": kind, "label": _cell(row.get("Label"))}
        if kind == "decision":
            who = _cell(row.get("Player"))
            if who not in players:
                raise GameError(f"row {k} ({node_id}): choose the player who moves here")
            entry["player"] = players.index(who)
            infoset = _cell(row.get("Information set"))
            if infoset:
                entry["infoset"] = infoset
        if kind == "terminal":
            entry["payoffs"] = [p.strip() for p in _cell(row.get("Payoffs")).split(";")]
        else:
            branches = []
            for part in _cell(row.get("Branches")).split(";"):
                if not part.strip():
                    continue
                m = _ARROW.match(part.strip())
                if m is None:
                    raise GameError(f"row {k} ({node_id}): write each branch as "
                                    "'action → node' (chance: 'action (probability) → node')")
                b: dict[str, Any] = {"action": m.group("action").strip(), "to": m.group("to")}
                if kind == "chance":
                    if m.group("prob") is None:
                        raise GameError(f"row {k} ({node_id}): chance branch "
                                        f"{b['action']!r} needs a probability in brackets")
                    b["prob"] = m.group("prob").strip()
                branches.append(b)
            entry["branches"] = branches
        nodes.append(entry)
    out = copy.deepcopy(data)
    out["tree"] = {"nodes": nodes}
    return out


def render_tree_editor(data: Data, rev: int) -> tuple[Data, str | None]:
    """Player names and the node table. Returns the game and an error message, if any."""
    text = st.text_input("Player names (comma-separated)", ", ".join(data["players"]),
                         key=f"lab.tplayers.{rev}")
    names = _names(text)
    if names and names != data["players"] and 1 <= len(names) <= 4:
        data = copy.deepcopy(data)
        data["players"] = names
    st.caption("One row per node; the first row is the root. Branches: `Action → node`, "
               "separated by `;` (chance moves: `Action (probability) → node`). Payoffs: one "
               "expression per player, separated by `;`. Nodes of one player with the same "
               "information set cannot be told apart. Add rows at the bottom.")
    frame = tree_rows(data)
    edited = st.data_editor(
        frame, key=f"lab.tree.{rev}", num_rows="dynamic", hide_index=True,
        width="stretch",
        column_config={
            "Type": st.column_config.SelectboxColumn("Type", options=list(KINDS.values())),
            "Player": st.column_config.SelectboxColumn("Player", options=["", *data["players"]]),
            "Branches": st.column_config.TextColumn("Branches", width="large"),
        })
    try:
        return rows_to_tree(edited, data), None
    except GameError as exc:
        return data, str(exc)
