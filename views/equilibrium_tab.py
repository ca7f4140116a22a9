"""The Equilibrium tab: the solved outcome, why, and the game it comes from."""

from __future__ import annotations

import streamlit as st

from sim.games.extensive_form import ExtensiveFormGame
from sim.games.normal_form import NormalFormGame
from sim.modelkit.game_words import words_of
from sim.modelkit.render import relabel_game, relabel_outcome
from sim.models.base import ModelError, Outcome
from views.compute import freeze, game_of, solve
from views.equilibrium_figures import (
    belief_table,
    game_file,
    payoff_matrix,
    payoff_table,
    probability_chart,
    strategy_table,
    tree_chart,
    tree_height,
)
from views.sidebar import Selection
from views.state import analysis_titles, regime_words
from views.text import plain_md

__all__ = ["current_outcome", "render_summary", "render_equilibrium_tab", "regime_of"]


def current_outcome(sel: Selection) -> Outcome | str:
    """The selected analysis solved at the current calibration, or why it cannot be;
    its game labels in words where the model writes them as codes."""
    if sel.bound is None:
        return sel.error or "the analysis could not be bound to its model"
    try:
        out = solve(sel.bound.model.name, freeze(sel.params), freeze(sel.bound.names))
    except ModelError as exc:
        return str(exc)
    sub = words_of(out.model, sel.bound.names)
    return out if sub is None else relabel_outcome(out, sub)


def render_summary(sel: Selection) -> None:
    """One line above the tabs: the current equilibrium, visible from every tab."""
    out = current_outcome(sel)
    if isinstance(out, str):
        st.warning(f"No equilibrium at these values: {out}")
        return
    st.markdown(f"**{plain_md(analysis_titles(sel.scenario)[sel.analysis.id])}** · "
                f"regime: **{plain_md(regime_of(sel, out))}** · "
                f"most likely outcome: **{plain_md(out.outcome)}** · "
                f"P(war) = **{out.p_war:.2f}**")


def regime_of(sel: Selection, out: Outcome) -> str:
    """The outcome's regime in plain words and the scenario's actor names."""
    return regime_words(out.model, out.regime, sel.bound.names if sel.bound else None)


def render_equilibrium_tab(sel: Selection) -> None:
    out = current_outcome(sel)
    if isinstance(out, str):
        st.error(f"These values do not define a valid game: {out}")
        return
    model = sel.bound.model if sel.bound else None
    st.subheader(analysis_titles(sel.scenario)[sel.analysis.id])
    st.caption(f"{sel.analysis.question} — solved by {out.method}. Source: "
               f"{model.citation if model else ''}. The numbers are teaching values, "
               "not estimates.")
    # A regime is a phrase, too long for a metric's large type: it gets a line of its own.
    st.markdown(f"**Regime:** {plain_md(regime_of(sel, out))}")
    c1, c2 = st.columns(2)
    c1.metric("Most likely outcome", out.outcome)
    c2.metric("P(war)", f"{out.p_war:.2f}")
    flags = [name for name, on in (("on a boundary (a tie decides it)", out.flags.boundary),
                                   ("several equilibria exist", out.flags.multiple_equilibria),
                                   ("an assumption of the model is violated",
                                    out.flags.assumption_violated)) if on]
    if flags:
        st.warning("Note: " + "; ".join(flags) + ".")
    st.markdown(plain_md(out.explanation or "(no explanation given by the model)"))
    left, right = st.columns(2)
    with left:
        st.echarts_chart(probability_chart(out), height=320, key="eq_probs")
    with right:
        st.markdown("**Expected payoffs**")
        st.dataframe(payoff_table(out), hide_index=True, key="eq_payoffs")
        if out.beliefs:
            st.markdown("**Beliefs**")
            st.dataframe(belief_table(out), hide_index=True, key="eq_beliefs")
    st.markdown("**Strategy profile**")
    st.dataframe(strategy_table(out), hide_index=True, key="eq_strategies")
    _render_game(sel)


def _render_game(sel: Selection) -> None:
    assert sel.bound is not None
    try:
        game = game_of(sel.bound.model.name, freeze(sel.params), freeze(sel.bound.names))
    except ModelError as exc:
        st.info(f"The game cannot be drawn at these values: {exc}")
        return
    if game is None:
        st.info("This model is solved in closed form over a continuum of choices; "
                "it has no finite game to draw.")
        return
    out = current_outcome(sel)
    st.markdown("#### The game")
    if isinstance(game, NormalFormGame):
        st.caption("Payoffs: row player's first, column player's second.")
        st.dataframe(payoff_matrix(game), key="eq_matrix")
    elif isinstance(game, ExtensiveFormGame):
        st.caption("Thick red lines: moves played with positive probability in the "
                   "equilibrium (or on paths to outcomes that occur).")
        sub = words_of(sel.bound.model.name, sel.bound.names)
        shown = game if sub is None else relabel_game(game, sub)
        st.echarts_chart(tree_chart(shown, out if isinstance(out, Outcome) else None),
                         height=tree_height(shown), key="eq_tree")
    try:
        written = game_file(game, sel.analysis.id)
    except (ImportError, ValueError) as exc:
        st.caption(f"The game cannot be written as a Gambit file: {exc}")
        return
    if written is not None:
        st.download_button(f"Download the game ({written.file_name})", written.text,
                           file_name=written.file_name, mime=written.mime, key="eq_download")
