"""The QRE tab: what happens when leaders err, from random play to perfect rationality."""

from __future__ import annotations

import streamlit as st

from sim.games.normal_form import NormalFormGame
from sim.modelkit.game_words import words_of
from sim.modelkit.render import relabel_outcome
from sim.models.base import ModelError
from sim.models.registry import get_model
from sim.scenario.binding import BindingError, bind_analysis
from sim.solvers.logit_qre import QREPath, logit_qre_path
from views.compute import Frozen, cached_profile, freeze, game_of, solve
from views.equilibrium_figures import probability_chart, strategy_table
from views.map_figures import profile_figure
from views.map_tab import profile_in_words
from views.qre_figures import QRE_PARAM, engine_path_figure, qre_analyses
from views.sidebar import Selection
from views.state import analysis_titles, regime_words
from views.text import plain_md

__all__ = ["render_qre_tab"]

PATH_POINTS = 161


@st.cache_data(show_spinner=False, max_entries=32)
def _engine_path(model_name: str, params: Frozen, lam_max: float) -> QREPath:
    """The principal logit-QRE branch of the model's normal-form game."""
    game = get_model(model_name).game(dict(params))
    return logit_qre_path(game.as_float(), lam_max)


def render_qre_tab(sel: Selection) -> None:
    pairs = []
    for a in sel.scenario.analyses:
        try:
            pairs.append((a.id, get_model(a.model)))
        except ModelError:
            continue
    ids = qre_analyses(pairs)
    if not ids:
        st.info("This scenario has no quantal-response analysis.")
        return
    default = ids.index(sel.analysis.id) if sel.analysis.id in ids else 0
    titles = analysis_titles(sel.scenario)
    aid = st.selectbox("Analysis with noisy leaders", ids, index=default, key="qre_analysis",
                       format_func=lambda i: titles[i])
    analysis = next(a for a in sel.scenario.analyses if a.id == aid)
    st.caption(analysis.question)
    try:
        bound = bind_analysis(sel.scenario, analysis, sel.values)
    except (BindingError, ModelError) as exc:
        st.error(str(exc))
        return
    params = dict(bound.params)
    if aid == sel.analysis.id:
        params.update(sel.model_values)
    model = bound.model
    spec = model.param(QRE_PARAM)
    source = analysis.params.get(QRE_PARAM)
    scen = {p.name: p for p in sel.scenario.parameters}
    hi = scen[source].max if isinstance(source, str) and source in scen else min(spec.hi, 50.0)
    lam = st.slider("Precision λ: how error-prone are the leaders? "
                    "(0: choices at random; large: almost perfectly rational)",
                    min_value=float(spec.lo), max_value=float(hi),
                    value=float(min(max(params[QRE_PARAM], spec.lo), hi)),
                    step=float(spec.step), key=f"qre_lam.{aid}")
    params[QRE_PARAM] = lam
    try:
        out = solve(model.name, freeze(params), freeze(bound.names))
    except ModelError as exc:
        st.error(f"No quantal response equilibrium at these values: {exc}")
        return
    # An outcome is a phrase, too long for a third of a row in a metric's large type.
    st.markdown(f"**Most likely outcome:** {plain_md(out.outcome)}")
    c1, c2 = st.columns(2)
    c1.metric("λ", f"{lam:g}")
    c2.metric("P(war)", f"{out.p_war:.2f}")
    limit = regime_words(model.name, out.regime, bound.names)
    st.caption(f"Limit as λ grows: {limit}. {out.explanation}")
    frame = cached_profile(model.name, freeze(params), QRE_PARAM, float(spec.lo), float(hi),
                           PATH_POINTS)
    label = "Precision λ"
    shown, outcomes = profile_in_words(frame, QRE_PARAM, label, model.outcomes, bound.names)
    st.plotly_chart(profile_figure(shown, label, outcomes, lam), key="qre_path")
    left, right = st.columns(2)
    with left:
        st.echarts_chart(probability_chart(out), height=320, key="qre_probs")
    with right:
        st.markdown(f"**Quantal response strategies at λ = {lam:g}**")
        sub = words_of(model.name, bound.names)
        shown = out if sub is None else relabel_outcome(out, sub)
        st.dataframe(strategy_table(shown), hide_index=True, key="qre_strategies")
    game = game_of(model.name, freeze(params), freeze(bound.names))
    if isinstance(game, NormalFormGame):
        try:
            path = _engine_path(model.name, freeze(params), float(hi))
        except (ValueError, ArithmeticError) as exc:
            st.caption(f"The path-following engine could not trace this game: {exc}")
            return
        st.plotly_chart(engine_path_figure(path, game, lam), key="qre_engine_path")
        st.caption("Traced by numerical continuation from λ = 0 (Turocy 2005) on the game's "
                   "raw payoffs; it matches the curve above when payoffs are not normalised.")
    else:
        st.caption("For the extensive-form game the agent QRE is solved at each λ of the grid "
                   "(McKelvey & Palfrey 1998).")
