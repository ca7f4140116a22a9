"""The Game lab's other tabs: regime map, QRE path, and sharing and downloads."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import streamlit as st

from sim.games.errors import GameError
from sim.games.extensive_form import ExtensiveFormGame
from sim.games.normal_form import NormalFormGame
from sim.lab.build import to_engine
from sim.lab.files import dump_json, to_gambit
from sim.lab.model import LabGame
from sim.lab.regime import lab_regime_map, outcome_names
from sim.lab.solve import infoset_name
from views.game_lab_figures import lab_map_figure, qre_figure

__all__ = ["render_map_tab", "render_qre_tab", "render_share_tab", "game_fingerprint",
           "SELECTIONS"]

SELECTIONS = {"risk": "risk dominance (Harsanyi and Selten)",
              "payoff": "payoff dominance (Harsanyi and Selten)",
              "qre": "the logit QRE limit"}


def game_fingerprint(game: LabGame, skip: tuple[str, ...] = ()) -> str:
    """A cache key: the JSON form without the values of the parameters in ``skip``."""
    data: dict[str, Any] = game.to_json_dict()
    data["parameters"] = [{**p, "value": None} if p["name"] in skip else p
                          for p in data.get("parameters", [])]
    return json.dumps(data, sort_keys=True)


def _label(game: LabGame, name: str) -> str:
    p = game.parameter(name)
    return f"{p.label[:1].upper()}{p.label[1:]} ({name})" if p.label else name


def render_map_tab(lab: dict[str, Any], game: LabGame) -> None:
    """Regime map over two parameters, drawn on request."""
    if len(game.players) != 2 and game.tree is not None:
        st.info("Regime maps of trees are drawn for two players.")
        return
    names = [p.name for p in game.parameters]
    if len(names) < 2:
        st.info("A regime map needs two parameters: type a second name into a payoff cell.")
        return
    c1, c2 = st.columns(2)
    x = c1.selectbox("Across", names, index=0, key="lab.map.x",
                     format_func=lambda n: _label(game, n))
    y_options = [n for n in names if n != x]
    y = c2.selectbox("Up", y_options, index=0, key="lab.map.y",
                     format_func=lambda n: _label(game, n))
    px, py = game.parameter(x), game.parameter(y)
    xr = c1.slider(f"Range of {x}", float(px.lo), float(px.hi), (float(px.lo), float(px.hi)),
                   key=f"lab.map.xr.{x}.{px.lo:g}.{px.hi:g}")
    yr = c2.slider(f"Range of {y}", float(py.lo), float(py.hi), (float(py.lo), float(py.hi)),
                   key=f"lab.map.yr.{y}.{py.lo:g}.{py.hi:g}")
    kinds = {"equilibria": "the number and kind of equilibria",
             "outcome": "the probability of one outcome"}
    is_tree = game.tree is not None
    if len(game.players) > 2:
        kinds = {"equilibria": "the number of pure equilibria"}
    colour = st.radio("Colour by", list(kinds), format_func=kinds.__getitem__,
                      key="lab.map.colour", horizontal=True)
    outcome = None
    selection = "qre"
    if colour == "outcome":
        outcome = st.selectbox("Outcome", outcome_names(game), key="lab.map.outcome")
        two_by_two = game.normal_form is not None and game.normal_form.shape == (2, 2)
        if is_tree:
            st.caption("For a tree, the probability is under the equilibrium the map "
                       "solves at each point (subgame-perfect play when information is "
                       "perfect).")
        options = ["risk", "payoff", "qre"] if two_by_two else ["qre"]
        selection = st.radio("In the equilibrium selected by", options,
                             format_func=SELECTIONS.__getitem__, key="lab.map.sel",
                             horizontal=True)
    settings = (game_fingerprint(game, (x, y)), x, y, xr, yr, colour, outcome, selection)
    # Games beyond 3 x 3 take longer per point: map them on a 100 x 100 grid.
    small = game.normal_form is None or len(game.normal_form.payoffs) <= 9
    n = 200 if small else 100
    if st.button("Draw the map", key="lab.map.go", type="primary"):
        with st.spinner(f"Solving {n * n:,} games…"):
            try:
                rm = lab_regime_map(game, (x, *xr), (y, *yr), n=n, outcome=outcome,
                                    selection=selection)  # type: ignore[arg-type]
                lab["map"] = (settings, rm, None)
            except GameError as exc:
                lab["map"] = (settings, None, str(exc))
    stored = lab.get("map")
    if stored is None:
        st.caption(f"Choose the axes and press Draw the map. The map solves the game on a "
                   f"{n} x {n} grid.")
        return
    old, rm, error = stored
    if error:
        st.error(error)
        return
    if old != settings:
        st.caption("The settings or the game changed since this map was drawn; press Draw "
                   "the map to update it.")
    assert rm is not None
    point = (game.parameter(rm.x_name).value, game.parameter(rm.y_name).value)
    st.plotly_chart(lab_map_figure(rm, point, _label(game, rm.x_name), _label(game, rm.y_name)),
                    width="stretch", key="lab.map.fig")
    st.caption(f"Method: {rm.method}. " + " ".join(rm.notes))


def render_qre_tab(game: LabGame) -> None:
    """The logit QRE path from random play (λ = 0) towards equilibrium."""
    st.markdown("Players who err: a precision λ of 0 means every choice is equally likely; as "
                "λ grows, better replies become more likely and play approaches an equilibrium "
                "(McKelvey and Palfrey 1995).")
    lam_max = st.slider("Largest precision λ", 1.0, 100.0, 20.0, 1.0, key="lab.qre.lam")
    try:
        engine = to_engine(game, exact=False)
        if isinstance(engine, NormalFormGame):
            from sim.solvers.logit_qre import logit_qre_path

            path = logit_qre_path(engine, lam_max)
            series = {}
            for i, pl in enumerate(engine.players):
                for j, s in enumerate(engine.strategies[i]):
                    series[f"{pl}: {s}"] = path.profiles[i][:, j]
            st.plotly_chart(qre_figure(path.lambdas, series), width="stretch",
                            key="lab.qre.fig")
            for note in path.notes:
                st.caption(note)
        else:
            _tree_qre(engine, lam_max)
    except GameError as exc:
        st.error(f"The QRE path could not be traced: {exc}")


def _tree_qre(engine: ExtensiveFormGame, lam_max: float) -> None:
    from sim.solvers.agent_qre import agent_qre_at

    lams = np.linspace(0.0, lam_max, 41)
    rows = [agent_qre_at(engine, float(lam)).behavior for lam in lams]
    series: dict[str, np.ndarray] = {}
    for key, info in engine.infosets.items():
        where = infoset_name(engine, key)
        for a in info.actions[:-1] if len(info.actions) == 2 else info.actions:
            series[f"{engine.players[info.player]} {where}: {a}"] = np.array(
                [r[key][a] for r in rows])
    st.plotly_chart(qre_figure(lams, series), width="stretch", key="lab.qre.fig")
    st.caption("Agent logit QRE: each information set is a separate agent (McKelvey and "
               "Palfrey 1998). Two-action moves show the first action's probability.")


def render_share_tab(game: LabGame, token: str | None) -> None:
    """The link that restores the game, and downloads."""
    st.markdown("**Share this game.** The address bar holds the whole game, expressions, "
                "slider ranges and current values included: copy it and send it.")
    if token is None:
        st.warning("This game is too large for a link; share the JSON file below instead.")
    else:
        base = str(st.context.url or "").split("?")[0]
        st.code(f"{base}?mode=game+lab&game={token}", language="text", wrap_lines=True)
    c1, c2 = st.columns(2)
    try:
        name, text = to_gambit(game)
        c1.download_button(f"Download {name} for Gambit", text, file_name=name,
                           mime="text/plain", key="lab.dl.gambit",
                           help="The game at the current slider values (Gambit files hold "
                                "numbers only).")
    except GameError as exc:
        c1.error(f"No Gambit file at these values: {exc}")
    stem = name.rsplit(".", 1)[0] if "name" in locals() else "game"
    c2.download_button("Download the game-lab JSON", dump_json(game),
                       file_name=f"{stem}.json", mime="application/json", key="lab.dl.json",
                       help="Keeps the expressions and slider ranges; open it here or solve it "
                            "with coercion solve FILE.json --set name=value.")
