"""Pure builders of the Equilibrium tab: tables, bar chart, payoff matrix, game tree.

The charts are ECharts options (plain dicts for ``st.echarts_chart``).

No Streamlit here, so every builder is unit-tested on its own.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.games.extensive_form import ExtensiveFormGame
from sim.games.normal_form import NormalFormGame
from sim.modelkit.palette import outcome_colour, outcome_colours
from sim.models.base import Outcome

__all__ = [
    "GameFile",
    "probability_chart",
    "payoff_table",
    "strategy_table",
    "belief_table",
    "payoff_matrix",
    "equilibrium_behaviour",
    "edge_weights",
    "tree_chart",
    "tree_height",
    "game_file",
]

_PATH = "#d62728"
_OTHER = "#b0b0b0"
_MOVER = "#1f77b4"
_NATURE = "#2ca02c"
#: Width in pixels a tree is drawn in on a 1440-pixel page, less its margins.
_TREE_WIDTH_PX = 900
#: Line width of a move on the equilibrium path (other moves are drawn 1.5 wide).
_PATH_WIDTH = 4


def probability_chart(outcome: Outcome) -> dict[str, Any]:
    """Outcome probabilities as an ECharts bar chart, each bar in its outcome class's colour.

    ECharts rather than plotly: its library loads in a fraction of plotly's time, and
    this chart is on the Equilibrium tab's first screen.
    """
    labels = list(outcome.probabilities)
    probs = [float(outcome.probabilities[k]) for k in labels]
    bars = [{"value": round(p, 6), "itemStyle": {"color": c}, "label": {"formatter": f"{p:.2f}"}}
            for p, c in zip(probs, outcome_colours(labels), strict=True)]
    return {
        "title": {"text": "Probability of each outcome", "textStyle": {"fontSize": 14}},
        "grid": {"left": 8, "right": 8, "top": 56, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "item", "valueFormatter": "%.3f"},
        "xAxis": {"type": "category", "data": [_chart_text(k) for k in labels],
                  "axisLabel": {"interval": 0, "width": 96, "overflow": "break"}},
        "yAxis": {"type": "value", "min": 0, "max": 1, "interval": 0.25,
                  "name": "probability"},
        "series": [{"type": "bar", "name": "probability", "data": bars,
                    "label": {"show": True, "position": "top"}}],
        "animation": False,
    }


def _chart_text(text: str) -> str:
    """``text`` as an ECharts label shows it: template braces become parentheses.

    ECharts reads ``{b}``-style placeholders in label and tooltip strings; names from
    a scenario or a lab game must never be taken as one.
    """
    return str(text).replace("{", "(").replace("}", ")")


def _tooltip(*lines: str) -> str:
    # a tooltip string is HTML: names from uploads are escaped
    return "<br/>".join(html.escape(_chart_text(line)) for line in lines)


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


def tree_chart(game: ExtensiveFormGame, outcome: Outcome | None = None) -> dict[str, Any]:
    """The game tree as an ECharts chart, the equilibrium path drawn thick and red.

    Decision nodes show the mover, chance nodes ``Nature``, terminals their
    label; hovering a node shows who moves there, or a terminal's payoffs. Edge
    labels are actions (with probabilities at chance nodes). Nodes and edges are
    drawn on hidden axes, one unit a leaf across and one a level down, so that
    markers keep their shape whatever the tree's proportions.
    """
    flat = game.flat()
    x, y = _layout(game)
    weight = edge_weights(game, outcome)[0] if outcome is not None else [0.0] * len(flat)
    nodes = []
    for i, node in enumerate(flat.nodes):
        if flat.kind[i] == "t":
            label = getattr(node, "label", "") or ""
            pays = ", ".join(f"{pl}: {_num(v)}" for pl, v in zip(game.players, flat.payoffs[i],
                                                                  strict=True))
            hover, colour = _tooltip(label, pays), outcome_colour(label)
        elif flat.kind[i] == "c":
            label, hover, colour = "Nature", "chance move", _NATURE
        else:
            label = game.players[flat.player[i]]
            hover = _tooltip(f"{label} moves (information set {flat.infoset[i]})")
            colour = _MOVER
        nodes.append({"value": [x[i], y[i]], "name": _chart_text(label),
                      "itemStyle": {"color": colour}, "tooltip": {"formatter": hover}})
    on: list[dict[str, Any]] = []
    off: list[dict[str, Any]] = []
    actions = []
    for i in range(len(flat)):
        for k, c in enumerate(flat.children[i]):
            hot = weight[c] > 1e-9
            (on if hot else off).append({"coords": [[x[i], y[i]], [x[c], y[c]]]})
            action = flat.actions[i][k]
            if flat.kind[i] == "c":
                action = f"{action} ({float(flat.probs[i][k]):.2f})"
            actions.append({"value": [(x[i] + x[c]) / 2, (y[i] + y[c]) / 2],
                            "label": {"formatter": _chart_text(action),
                                      "color": _PATH if hot else "#444"}})
    axis = {"type": "value", "show": False}
    # labels wrap within a leaf's share of a projected page's width (at least 80 pixels),
    # so that neighbours rarely overlap there
    wrap = {"width": max(80, min(160, _TREE_WIDTH_PX // max(1, int(max(x)) + 1) - 8)),
            "overflow": "break", "lineHeight": 15}
    return {
        "title": {"text": "The game tree", "textStyle": {"fontSize": 14}},
        "legend": {"data": ["equilibrium play", "other moves"], "left": 0, "top": 24},
        "tooltip": {"trigger": "item"},
        "grid": {"left": 50, "right": 50, "top": 64, "bottom": 64},
        "xAxis": {**axis, "min": -0.5, "max": max(x) + 0.5},
        "yAxis": {**axis, "min": min(y) - 0.15, "max": 0.1},
        "series": [
            {"type": "lines", "name": "other moves", "coordinateSystem": "cartesian2d",
             "data": off, "lineStyle": {"color": _OTHER, "width": 1.5, "opacity": 1},
             "silent": True},
            {"type": "lines", "name": "equilibrium play", "coordinateSystem": "cartesian2d",
             "data": on, "lineStyle": {"color": _PATH, "width": _PATH_WIDTH, "opacity": 1},
             "silent": True},
            {"type": "scatter", "name": "nodes", "data": nodes, "symbolSize": 14,
             "label": {"show": True, "position": "bottom", "formatter": "{b}",
                       "fontSize": 13, "color": "#222", **wrap,
                       "backgroundColor": "rgba(255,255,255,0.85)", "padding": [1, 3]}},
            {"type": "scatter", "name": "moves", "data": actions, "symbolSize": 0,
             "silent": True, "tooltip": {"show": False},
             "label": {"show": True, "position": "inside", "fontSize": 12, **wrap,
                       "backgroundColor": "rgba(255,255,255,0.85)", "padding": [1, 3]}},
        ],
        "animation": False,
    }


def tree_height(game: ExtensiveFormGame) -> int:
    """Pixels for :func:`tree_chart`: about 110 a level of depth, at least 320."""
    depth = max(1, max(len(p) for p in game.flat().path))
    return max(320, 110 * (depth + 1))


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
