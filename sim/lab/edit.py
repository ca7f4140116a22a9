"""Editing operations on lab games, as pure functions on the JSON form.

The dashboard's editor works on the JSON form (a dict) and validates the
result into a :class:`~sim.lab.model.LabGame`; these functions do the edits:
new games, resizing a table, setting one player's payoff matrix, pasting a
matrix from a spreadsheet, adding parameters for new names, and a
plain-text outline of a tree.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.games.errors import GameError
from sim.lab.expr import ExpressionError
from sim.lab.model import LabGame, parsed

__all__ = [
    "new_normal_form",
    "new_tree",
    "resize",
    "player_matrix",
    "set_player_matrix",
    "paste_matrix",
    "sync_parameters",
    "outline",
    "DEFAULT_RANGE",
]

Data = dict[str, Any]
#: Range and value of a parameter created for a name typed in a cell.
DEFAULT_RANGE = (0.0, 10.0, 1.0)


def new_normal_form(strategies: Sequence[Sequence[str]], players: Sequence[str] | None = None,
                    title: str = "My game") -> Data:
    """The JSON form of a game with every payoff 0."""
    n = len(strategies)
    players = list(players or ["Row", "Column", "Third", "Fourth"][:n])
    cells = math.prod(len(s) for s in strategies)
    return {"schema": "coercion-sim/game-lab", "version": 1, "title": title,
            "players": players, "parameters": [],
            "normal_form": {"strategies": [list(s) for s in strategies],
                            "payoffs": [["0"] * n for _ in range(cells)]}}


def new_tree(players: Sequence[str] = ("First", "Second"), title: str = "My tree") -> Data:
    """A one-move tree: the first player chooses between two outcomes."""
    zeros = ["0"] * len(players)
    return {"schema": "coercion-sim/game-lab", "version": 1, "title": title,
            "players": list(players), "parameters": [],
            "tree": {"nodes": [
                {"id": "n1", "kind": "decision", "player": 0, "label": players[0],
                 "branches": [{"action": "Left", "to": "n2"}, {"action": "Right", "to": "n3"}]},
                {"id": "n2", "kind": "terminal", "label": "Outcome 1", "payoffs": zeros},
                {"id": "n3", "kind": "terminal", "label": "Outcome 2", "payoffs": list(zeros)},
            ]}}


def resize(data: Data, strategies: Sequence[Sequence[str]],
           players: Sequence[str] | None = None) -> Data:
    """The normal form with new strategy lists; payoffs kept where the position survives."""
    old = data["normal_form"]
    old_shape = tuple(len(s) for s in old["strategies"])
    n_old = len(old_shape)
    out = copy.deepcopy(data)
    n = len(strategies)
    out["players"] = list(players or (list(data["players"]) + ["Third", "Fourth"])[:n])
    if len(out["players"]) < n:
        out["players"] += [f"Player {i + 1}" for i in range(len(out["players"]), n)]
    cells = []
    for idx in np.ndindex(*(len(s) for s in strategies)):
        if n == n_old and all(j < k for j, k in zip(idx, old_shape, strict=True)):
            flat = int(np.ravel_multi_index(idx, old_shape))
            cells.append(list(old["payoffs"][flat]))
        else:
            cells.append(["0"] * n)
    out["normal_form"] = {"strategies": [list(s) for s in strategies], "payoffs": cells}
    return out


def player_matrix(data: Data, player: int) -> list[list[str]]:
    """Player ``player``'s payoffs of a two-player game as rows x columns of expressions."""
    nf = data["normal_form"]
    m, n = (len(s) for s in nf["strategies"])
    return [[nf["payoffs"][i * n + j][player] for j in range(n)] for i in range(m)]


def set_player_matrix(data: Data, player: int, matrix: Sequence[Sequence[Any]]) -> Data:
    """The two-player game with player ``player``'s payoff matrix replaced."""
    out = copy.deepcopy(data)
    nf = out["normal_form"]
    m, n = (len(s) for s in nf["strategies"])
    if len(matrix) != m or any(len(r) != n for r in matrix):
        raise GameError(f"the matrix must have {m} rows of {n} entries")
    for i in range(m):
        for j in range(n):
            v = matrix[i][j]
            text = "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
            nf["payoffs"][i * n + j][player] = text.strip() or "0"
    return out


def paste_matrix(text: str, rows: int, cols: int) -> list[list[str]]:
    """A matrix pasted from a spreadsheet (tabs) or typed (spaces or semicolons).

    Raises
    ------
    GameError
        If the shape is not ``rows`` x ``cols``, with what was found.
    """
    if len(text) > 20_000:
        raise GameError("the pasted text is longer than 20,000 characters")
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    out = []
    for ln in lines:
        if "\t" in ln:
            parts = [p.strip() for p in ln.split("\t")]
        elif ";" in ln:
            parts = [p.strip() for p in ln.split(";")]
        else:
            parts = ln.split()
        out.append(parts)
    if len(out) != rows or any(len(r) != cols for r in out):
        found = f"{len(out)} rows of " + "/".join(sorted({str(len(r)) for r in out}) or {"0"})
        raise GameError(f"expected {rows} rows of {cols} entries (separated by tabs, "
                        f"semicolons or spaces); found {found} entries")
    return out


def _expressions(data: Data) -> list[str]:
    if "normal_form" in data and data["normal_form"] is not None:
        return [t for cell in data["normal_form"]["payoffs"] for t in cell]
    texts = []
    for node in data["tree"]["nodes"]:
        texts.extend(node.get("payoffs", []))
        texts.extend(b["prob"] for b in node.get("branches", []) if b.get("prob") is not None)
    return texts


def sync_parameters(data: Data) -> Data:
    """Parameters for exactly the names the expressions use.

    A new name gets a slider from 0 to 10 at 1; a name no cell uses any more
    loses its slider. Expressions that do not parse are skipped (validation
    reports them).
    """
    names: list[str] = []
    for text in _expressions(data):
        try:
            e = parsed(str(text))
        except ExpressionError:
            continue
        names.extend(x for x in e.names if x not in names)
    have = {p["name"]: p for p in data.get("parameters", [])}
    lo, hi, value = DEFAULT_RANGE
    params = [have.get(name, {"name": name, "value": value, "lo": lo, "hi": hi, "label": ""})
              for name in sorted(names, key=lambda x: (x.lower(), x))]
    # Keep the existing order for known names so sliders do not jump around.
    known = [p for p in data.get("parameters", []) if p["name"] in names]
    fresh = [p for p in params if p["name"] not in have]
    out = dict(data)
    out["parameters"] = known + fresh
    return out


def outline(game: LabGame) -> str:
    """A plain-text outline of a tree: one line per node, indented by depth."""
    if game.tree is None:
        raise GameError("only trees have an outline")
    tree = game.tree
    vals = game.values
    lines: list[str] = []

    def describe(node_id: str) -> str:
        node = tree.node(node_id)
        if node.kind == "terminal":
            pays = ", ".join(f"{p} {_show(t, vals)}" for p, t in zip(game.players, node.payoffs,
                                                                     strict=True))
            return f"{node.label or node.id}: {pays}"
        if node.kind == "chance":
            return f"Chance ({node.label})" if node.label else "Chance"
        assert node.player is not None
        who = game.players[node.player]
        extra = f" [information set: {node.infoset}]" if node.infoset else ""
        return f"{who} moves{extra}"

    def walk(node_id: str, prefix: str) -> None:
        node = tree.node(node_id)
        for k, b in enumerate(node.branches):
            last = k == len(node.branches) - 1
            branch = "└─ " if last else "├─ "
            prob = f" (probability {_show(b.prob, vals)})" if b.prob is not None else ""
            lines.append(f"{prefix}{branch}{b.action}{prob} → {describe(b.to)}")
            walk(b.to, prefix + ("   " if last else "│  "))

    lines.append(describe(tree.nodes[0].id))
    walk(tree.nodes[0].id, "")
    return "\n".join(lines)


def _show(text: str | None, values: dict[str, float]) -> str:
    assert text is not None
    e = parsed(text)
    if e.is_constant:
        return text
    try:
        v = float(e.evaluate(values))
        return f"{text} = {v:.4g}"
    except ExpressionError:
        return text


_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
