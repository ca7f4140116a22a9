"""Pure builders of the Equilibrium tab: tables, bar chart, payoff matrix, game tree.

No Streamlit here, so every builder is unit-tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.games.extensive_form import ExtensiveFormGame
from sim.games.normal_form import NormalFormGame
from sim.modelkit.palette import outcome_colour, outcome_colours
from sim.models.base import Outcome

__all__ = [
    "GameFile",
    "probability_figure",
    "payoff_table",
    "strategy_table",
    "belief_table",
    "payoff_matrix",
    "equilibrium_behaviour",
    "edge_weights",
    "tree_figure",
    "game_file",
]

_PATH = "#d62728"
_OTHER = "#b0b0b0"


def probability_figure(outcome: Outcome) -> go.Figure:
    """Outcome probabilities as a bar chart, each bar in its outcome class's colour."""
    labels = list(outcome.probabilities)
    probs = [float(outcome.probabilities[k]) for k in labels]
    bar = {"type": "bar", "x": labels, "y": probs, "marker": {"color": outcome_colours(labels)},
           "text": [f"{p:.2f}" for p in probs], "textposition": "outside"}
    layout = {"title": {"text": "Probability of each outcome"}, "yaxis": {
        "range": [0, 1.1], "title": {"text": "probability"}}, "height": 320,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}
    return _figure([bar], layout)


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure from plain data, without plotly's per-property checks.

    The checks cost more than the drawing on every slider move; the builders' tests
    validate the same figures.
    """
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def payoff_table(outcome: Outcome) -> pd.DataFrame:
    """Expected payoff of each player."""
    return pd.DataFrame({"player": list(outcome.payoffs),
                         "expected payoff": [float(v) for v in outcome.payoffs.values()]})


def strategy_table(outcome: Outcome) -> pd.DataFrame:
    """The behaviour profile: one row per decision point and action."""
    rows = [{"decision": where, "action": action, "probability": float(p)}
            for where, dist in outcome.strategies.items() for action, p in dist.items()]
    return pd.DataFrame(rows, columns=["decision", "action", "probability"])


def belief_table(outcome: Outcome) -> pd.DataFrame:
    """Posterior beliefs, where the model has any."""
    return pd.DataFrame({"belief": list(outcome.beliefs),
                         "probability": [float(v) for v in outcome.beliefs.values()]})


def _num(v: Any) -> str:
    x = float(v)
    return f"{x:.3g}" if x != int(x) else f"{int(x)}"


def payoff_matrix(game: NormalFormGame) -> pd.DataFrame:
    """A two-player game as a matrix of ``row payoff, column payoff`` cells.

    Games of more players are listed one profile per row.
    """
    pay = game.payoffs
    if game.n_players == 2:
        rows, cols = game.strategies
        cells = [[f"{_num(pay[0][i, j])}, {_num(pay[1][i, j])}" for j in range(len(cols))]
                 for i in range(len(rows))]
        frame = pd.DataFrame(cells, index=list(rows), columns=list(cols))
        frame.index.name = f"{game.players[0]} \\ {game.players[1]}"
        return frame
    records = []
    for idx in np.ndindex(*game.shape):
        rec = {pl: game.strategies[k][i] for k, (pl, i) in enumerate(zip(game.players, idx,
                                                                         strict=True))}
        rec.update({f"payoff[{pl}]": float(pay[k][idx]) for k, pl in enumerate(game.players)})
        records.append(rec)
    return pd.DataFrame(records)


def equilibrium_behaviour(game: ExtensiveFormGame,
                          outcome: Outcome) -> dict[str, Mapping[str, float]] | None:
    """The outcome's strategies keyed by the game's information sets, if they match.

    Models name decision points for readers; when the names are the game's
    information-set keys, or the two lists correspond one to one with the
    same actions, the strategies give a behaviour profile of the game.
    """
    infosets = game.infosets
    strategies = outcome.strategies
    if all(k in strategies and set(strategies[k]) == set(i.actions)
           for k, i in infosets.items()):
        return {k: strategies[k] for k in infosets}
    if len(strategies) == len(infosets) and all(
            set(s) == set(i.actions)
            for s, i in zip(strategies.values(), infosets.values(), strict=True)):
        return dict(zip(infosets, strategies.values(), strict=True))
    return None


def edge_weights(game: ExtensiveFormGame, outcome: Outcome) -> tuple[list[float], bool]:
    """Probability that play reaches each node of ``game.flat()``.

    Exact reach probabilities under the equilibrium behaviour when
    :func:`equilibrium_behaviour` finds it (second value ``True``); otherwise
    every node on a path to a terminal whose label has positive probability
    gets that probability (second value ``False``).
    """
    flat = game.flat()
    behaviour = equilibrium_behaviour(game, outcome)
    if behaviour is not None:
        return [float(r) for r in flat.reach_probs(behaviour)], True
    weight = [0.0] * len(flat)
    for i, node in enumerate(flat.nodes):
        if flat.kind[i] != "t":
            continue
        p = float(outcome.probabilities.get(getattr(node, "label", ""), 0.0))
        j = i
        while j >= 0 and p > 0:
            weight[j] = max(weight[j], p)
            j = flat.parent[j]
    return weight, False


def _layout(game: ExtensiveFormGame) -> tuple[list[float], list[float]]:
    flat = game.flat()
    x = [0.0] * len(flat)
    leaf = 0
    for i in range(len(flat)):
        if flat.kind[i] == "t":
            x[i] = float(leaf)
            leaf += 1
    for i in range(len(flat) - 1, -1, -1):
        if flat.children[i]:
            x[i] = float(np.mean([x[c] for c in flat.children[i]]))
    y = [-float(len(p)) for p in flat.path]
    return x, y


def tree_figure(game: ExtensiveFormGame, outcome: Outcome | None = None) -> go.Figure:
    """The game tree, the equilibrium path drawn thick and red.

    Decision nodes show the mover, chance nodes ``Nature``, terminals their
    label; hovering a terminal shows its payoffs. Edge labels are actions
    (with probabilities at chance nodes).
    """
    flat = game.flat()
    x, y = _layout(game)
    weight = edge_weights(game, outcome)[0] if outcome is not None else [0.0] * len(flat)
    on_x: list[float | None] = []
    on_y: list[float | None] = []
    off_x: list[float | None] = []
    off_y: list[float | None] = []
    annotations = []
    for i in range(len(flat)):
        for k, c in enumerate(flat.children[i]):
            hot = weight[c] > 1e-9
            xs, ys = (on_x, on_y) if hot else (off_x, off_y)
            xs.extend([x[i], x[c], None])
            ys.extend([y[i], y[c], None])
            label = flat.actions[i][k]
            if flat.kind[i] == "c":
                label = f"{label} ({float(flat.probs[i][k]):.2f})"
            annotations.append({"x": (x[i] + x[c]) / 2, "y": (y[i] + y[c]) / 2, "text": label,
                                "showarrow": False, "font": {"size": 10,
                                                             "color": _PATH if hot else "#555"},
                                "bgcolor": "rgba(255,255,255,0.7)"})
    text, hover, colour = [], [], []
    for i, node in enumerate(flat.nodes):
        if flat.kind[i] == "t":
            pays = ", ".join(f"{pl}: {_num(v)}" for pl, v in zip(game.players, flat.payoffs[i],
                                                                  strict=True))
            text.append(getattr(node, "label", "") or "")
            hover.append(f"{text[-1]}<br>{pays}")
            colour.append(outcome_colour(text[-1]))
        elif flat.kind[i] == "c":
            text.append("Nature")
            hover.append("chance move")
            colour.append("#2ca02c")
        else:
            text.append(game.players[flat.player[i]])
            hover.append(f"{text[-1]} moves (information set {flat.infoset[i]})")
            colour.append("#1f77b4")
    data: list[dict[str, Any]] = [
        {"type": "scatter", "x": off_x, "y": off_y, "mode": "lines", "hoverinfo": "skip",
         "line": {"color": _OTHER, "width": 1.5}, "name": "other moves"},
        {"type": "scatter", "x": on_x, "y": on_y, "mode": "lines", "hoverinfo": "skip",
         "line": {"color": _PATH, "width": 4}, "name": "equilibrium play"},
        {"type": "scatter", "x": x, "y": y, "mode": "markers+text", "text": text,
         "textposition": "bottom center", "hovertext": hover, "hoverinfo": "text",
         "marker": {"size": 12, "color": colour}, "showlegend": False},
    ]
    depth = max(1, int(-min(y)))
    layout = {
        "annotations": annotations, "height": max(320, 110 * (depth + 1)),
        "xaxis": {"visible": False}, "yaxis": {"visible": False, "range": [min(y) - 0.6, 0.4]},
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "title": {"text": "The game tree"},
        "legend": {"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.08},
    }
    return _figure(data, layout)


@dataclass(frozen=True)
class GameFile:
    """A game written in Gambit's format, ready to download."""

    file_name: str
    text: str
    mime: str = "text/plain"


def game_file(game: Any, stem: str) -> GameFile | None:
    """The game as a Gambit ``.nfg`` or ``.efg`` file, or None if not writable."""
    if isinstance(game, NormalFormGame):
        from sim.games.nfg import write_nfg

        return GameFile(f"{stem}.nfg", write_nfg(game))
    if isinstance(game, ExtensiveFormGame):
        from sim.games.efg import format_efg

        return GameFile(f"{stem}.efg", format_efg(game))
    return None
