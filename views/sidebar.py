"""The sidebar: scenario, preset, analysis and one control per parameter.

Widget values live in ``st.session_state`` under stable keys (``sp.<name>``
for scenario parameters, ``mp.<analysis>.<name>`` for model parameters the
scenario does not map). The calibration itself is kept in ``_cal`` so it
survives switching analysis (Streamlit forgets widgets it does not draw);
each control is seeded from it when drawn and writes back to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from sim.models.base import ModelError, ParamSpec
from sim.models.registry import get_model
from sim.scenario import Scenario
from sim.scenario.binding import BindingError, BoundAnalysis, bind_analysis
from sim.scenario.catalog import DEFAULT_SCENARIO, bundled_titles
from sim.scenario.schema import Analysis, Parameter
from views.state import (
    QueryState,
    actor_names,
    analysis_titles,
    choice_labels,
    clip,
    decode_query,
    encode_query,
    model_param_label,
    parameter_help,
    scenario_param_label,
    unmapped_params,
)
from views.view_query import UPLOADED_KEY, VIEW_STORE, decode_view, encode_view

__all__ = ["Selection", "render_controls", "model_specs_of", "choose_scenario"]

#: Session key of a scenario id the link asked for that is not bundled.
_UNKNOWN = "_unknown_scenario"


@dataclass(frozen=True)
class Selection:
    """Everything the tabs need: the scenario, the calibration and the bound analysis."""

    scenario_id: str
    scenario: Scenario
    preset: str | None
    analysis: Analysis
    values: dict[str, float]
    model_values: dict[str, Any]
    bound: BoundAnalysis | None
    error: str | None

    @property
    def params(self) -> dict[str, Any]:
        """The model parameters of the selected analysis at the current calibration."""
        return dict(self.bound.params) if self.bound is not None else {}


def model_specs_of(scenario: Scenario) -> dict[str, dict[str, ParamSpec]]:
    """Per analysis, its model's scalar parameters the scenario leaves unmapped."""
    out: dict[str, dict[str, ParamSpec]] = {}
    for a in scenario.analyses:
        try:
            model = get_model(a.model)
        except ModelError:
            continue
        out[a.id] = {s.name: s for s in unmapped_params(model, a)}
    return out


def _clear_widgets() -> None:
    for key in [k for k in st.session_state if str(k).startswith(("sp.", "mp."))]:
        del st.session_state[key]


def _apply_preset(scenario: Scenario) -> None:
    """Callback of the preset box and the reset button: back to the preset's values."""
    cal = st.session_state["_cal"]
    cal["values"] = scenario.parameter_values(st.session_state.get("preset"))
    cal["model_values"] = {}
    _clear_widgets()


def _initialise(scenario_id: str, scenario: Scenario, query: QueryState | None) -> None:
    preset = (query.preset if query and query.preset else None) or scenario.default_preset
    values = scenario.parameter_values(preset)
    analysis = query.analysis if query and query.analysis else None
    if analysis is None and scenario.analyses:
        analysis = scenario.analyses[0].id
    model_values: dict[str, dict[str, Any]] = {}
    if query is not None:
        values.update(query.values)
        if query.model_values and analysis is not None:
            model_values[analysis] = dict(query.model_values)
    st.session_state["_cal"] = {"scenario": scenario_id, "values": values,
                                "model_values": model_values,
                                "ignored": query.ignored if query else ()}
    st.session_state["preset"] = preset
    st.session_state["analysis"] = analysis
    _clear_widgets()


def _decimals(step: float) -> int:
    text = f"{step:.10g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def _scenario_slider(scenario: Scenario, p: Parameter, values: dict[str, float]) -> None:
    key = f"sp.{p.name}"
    if key not in st.session_state:
        st.session_state[key] = float(values[p.name])
    unit = f" — {p.unit}" if p.unit else ""
    values[p.name] = st.slider(
        f"{scenario_param_label(p)}{unit}", min_value=float(p.min), max_value=float(p.max),
        step=float(p.step), format=f"%.{_decimals(p.step)}f", key=key,
        help=parameter_help(scenario, p.derived_from, p.description),
    )


def _model_control(analysis_id: str, spec: ParamSpec, store: dict[str, Any],
                   names: Mapping[str, str]) -> None:
    key = f"mp.{analysis_id}.{spec.name}"
    if key not in st.session_state:
        st.session_state[key] = store.get(spec.name, spec.default)
    label = model_param_label(spec, names)
    help_text = (f"A parameter of the model ({spec.unit}) that the scenario does not set: "
                 "it starts at the model's default, an analyst's calibration.")
    labels = choice_labels(spec, names)
    if labels is not None:
        value: Any = st.selectbox(label, list(labels), key=key, help=help_text,
                                  format_func=lambda k: labels[k])
    elif spec.kind == "integer":
        value = st.slider(label, min_value=int(spec.lo), max_value=int(spec.hi),
                          step=max(1, int(spec.step)), key=key, help=help_text)
    else:
        st.session_state[key] = float(st.session_state[key])
        value = st.slider(label, min_value=float(spec.lo), max_value=float(spec.hi),
                          step=float(spec.step), format=f"%.{_decimals(spec.step)}f",
                          key=key, help=help_text)
    if value != spec.default:
        store[spec.name] = value
    else:
        store.pop(spec.name, None)


def render_controls(scenario_id: str, scenario: Scenario, shareable: bool,
                    query: Mapping[str, str] | None) -> Selection | None:
    """Draw the sidebar controls; return the selection, or None without analyses."""
    if not scenario.analyses:
        st.sidebar.info("This scenario defines no analyses.")
        return None
    if query is not None:
        st.session_state[VIEW_STORE] = decode_view(query)
    cal = st.session_state.get("_cal")
    if cal is None or cal["scenario"] != scenario_id:
        decoded = (decode_query(query, scenario, model_specs_of(scenario))
                   if query is not None else None)
        _initialise(scenario_id, scenario, decoded)
        cal = st.session_state["_cal"]
    if cal["ignored"]:
        st.sidebar.warning("Parts of the link were ignored: " + "; ".join(cal["ignored"]))

    sb = st.sidebar
    preset_ids = [p.id for p in scenario.presets]
    names = {p.id: p.name for p in scenario.presets}
    if preset_ids:
        if st.session_state.get("preset") not in preset_ids:
            st.session_state["preset"] = scenario.default_preset or preset_ids[0]
        preset: str | None = sb.selectbox("Preset", preset_ids, key="preset",
                                          format_func=lambda i: names[i],
                                          on_change=_apply_preset, args=(scenario,))
        sb.caption(scenario.preset(preset).rationale if preset else "")
    else:
        preset = None
    analyses = {a.id: a for a in scenario.analyses}
    if st.session_state.get("analysis") not in analyses:
        st.session_state["analysis"] = scenario.analyses[0].id
    titles = analysis_titles(scenario)
    analysis_id = sb.selectbox("Analysis (model)", list(analyses), key="analysis",
                               format_func=lambda i: titles[i])
    analysis = analyses[analysis_id]
    sb.markdown(f"**Question.** {analysis.question}")

    values: dict[str, float] = cal["values"]
    specs = {p.name: p for p in scenario.parameters}
    mapped = [src for src in dict.fromkeys(analysis.params.values())
              if isinstance(src, str) and src in specs]
    sb.markdown("**Scenario parameters**")
    for name in mapped:
        with sb:
            _scenario_slider(scenario, specs[name], values)
    error: str | None = None
    model_store: dict[str, Any] = cal["model_values"].setdefault(analysis_id, {})
    try:
        model = get_model(analysis.model)
    except ModelError as exc:
        model = None
        error = str(exc)
    if model is not None:
        extra = unmapped_params(model, analysis)
        if extra:
            sb.markdown("**Model parameters** (not in the scenario; model defaults)")
            for spec in extra:
                with sb:
                    _model_control(analysis_id, spec, model_store,
                                   actor_names(scenario, analysis, model))
    sb.button("Reset to preset", key="reset", on_click=_apply_preset, args=(scenario,),
              help="Put every slider back to the preset's value.")

    bound: BoundAnalysis | None = None
    if model is not None:
        try:
            b = bind_analysis(scenario, analysis, values)
            bound = dataclasses.replace(b, params={**b.params, **model_store})
        except (BindingError, ModelError) as exc:
            error = str(exc)
    _write_link(scenario_id, scenario, shareable, preset, analysis_id, values, model_store,
                {sp.name: sp.default for sp in (model.params if model else ())})
    return Selection(scenario_id, scenario, preset, analysis, dict(values), dict(model_store),
                     bound, error)


def _write_link(scenario_id: str, scenario: Scenario, shareable: bool, preset: str | None,
                analysis_id: str, values: Mapping[str, float], model_store: Mapping[str, Any],
                model_defaults: Mapping[str, Any]) -> None:
    """Put the view into the address bar: the calibration and every view setting.

    An uploaded scenario cannot be reopened by a link, so its link names the file
    (``uploaded=…``) and no bundled scenario, and the sidebar says so.
    """
    view: dict[str, str] = dict(st.session_state.get(VIEW_STORE, {}))
    if shareable:
        view.pop(UPLOADED_KEY, None)
        wanted = encode_query(scenario_id, preset, analysis_id, dict(values),
                              scenario.parameter_values(preset), dict(model_store),
                              dict(model_defaults))
    else:
        name = scenario_id.split(":", 1)[1] if ":" in scenario_id else "upload.yaml"
        view[UPLOADED_KEY] = clip(name, 80)
        wanted = {}
        st.sidebar.caption(f"The link in the address bar names the uploaded file "
                           f"“{clip(name, 80)}” but cannot reopen it: an uploaded file "
                           "stays in this browser tab. Share the file itself.")
    st.session_state[VIEW_STORE] = view
    wanted.update(encode_view(view))
    current = st.query_params.to_dict()
    for key in [k for k in current if k not in wanted and k != "tab"]:
        del st.query_params[key]
    for key, val in wanted.items():
        if current.get(key) != val:
            st.query_params[key] = val


def set_view(key: str, value: str | None) -> None:
    """Record one view setting in the session and the link (``None`` removes it)."""
    view: dict[str, str] = st.session_state.setdefault(VIEW_STORE, {})
    if value is None:
        view.pop(key, None)
        if key in st.query_params:
            del st.query_params[key]
        return
    view[key] = value
    if st.query_params.get(key) != value:
        st.query_params[key] = value


def view_setting(key: str) -> str | None:
    """One view setting as the link or the page last set it."""
    value = st.session_state.get(VIEW_STORE, {}).get(key)
    return value if isinstance(value, str) else None


def _forget_unknown() -> None:
    st.session_state.pop(_UNKNOWN, None)


def choose_scenario(options: list[str], upload: str) -> str:
    """The scenario picker: bundled scenarios by title, the upload entry last.

    A link's ``scenario`` opens that bundled scenario; an id that is not bundled
    gets a warning and the default scenario; a link made from an uploaded file
    opens the uploader and says that the file itself must be uploaded again.
    """
    if "scenario" not in st.session_state:
        wanted = str(st.query_params.get("scenario", ""))
        bundled = [o for o in options if o != upload]
        default = DEFAULT_SCENARIO if DEFAULT_SCENARIO in bundled else options[0]
        if wanted in bundled:
            choice = wanted
        elif UPLOADED_KEY in st.query_params and not wanted:
            choice = upload
            st.session_state[_UNKNOWN] = (
                "This link was made from an uploaded file, which a link cannot reopen: "
                "upload the file again to see it.")
        else:
            choice = default
            if wanted:
                st.session_state[_UNKNOWN] = (
                    f"There is no bundled scenario called “{clip(wanted)}”; "
                    "the default scenario is shown instead.")
        st.session_state["scenario"] = choice
    if st.session_state.get(_UNKNOWN):
        st.sidebar.warning(st.session_state[_UNKNOWN])
    titles = bundled_titles()
    return str(st.sidebar.selectbox("Scenario", options, key="scenario",
                                    format_func=lambda o: titles.get(o, o),
                                    on_change=_forget_unknown))
