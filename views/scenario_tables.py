"""Pure builders of the Scenario tab's tables and timeline (no Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sim.scenario import Scenario

__all__ = ["scenario_tables", "timeline_figure", "source_label"]


def source_label(scenario: Scenario, source_id: str) -> str:
    """``title (kind, date)`` of a source."""
    try:
        s = scenario.source(source_id)
    except KeyError:
        return source_id
    when = str(s.date) if s.date else (
        f"{s.date_range.start} – {s.date_range.end}" if s.date_range else "undated")
    return f"{s.title} ({s.kind}, {when})"


def _quote(q: str | None) -> str:
    return q if q is not None else "(paraphrase: source text not available)"


def scenario_tables(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """One table per section: actors, issues, demands, concessions, threats, events, claims,
    parameters and sources, each quoted entry with its quote and source."""
    name = {a.id: a.name for a in scenario.actors}

    def names(ids: list[str]) -> str:
        return ", ".join(name.get(i, i) for i in ids)

    def src(sid: str) -> str:
        return source_label(scenario, sid)

    tables: dict[str, pd.DataFrame] = {}
    tables["Actors"] = pd.DataFrame([{
        "id": a.id, "name": a.name, "kind": a.kind,
        "leaders": ", ".join(f"{ld.name} ({ld.role})" for ld in a.leaders),
        "description": a.description,
    } for a in scenario.actors])
    tables["Issues"] = pd.DataFrame([{
        "id": i.id, "issue": i.name, "0 means": i.low, "1 means": i.high,
    } for i in scenario.issues])
    tables["Demands"] = pd.DataFrame([{
        "id": d.id, "by": name.get(d.by, d.by), "addressed to": names(d.addressed_to),
        "issue": d.issue, "position": d.position, "form": d.form, "status": d.status,
        "demand": d.summary, "quote": _quote(d.quote), "source": src(d.source),
    } for d in scenario.demands])
    tables["Concessions"] = pd.DataFrame([{
        "id": c.id, "by": name.get(c.by, c.by), "to": names(c.to), "issue": c.issue,
        "from → to": f"{c.from_position:g} → {c.to_position:g}", "status": c.status,
        "concession": c.summary, "quote": _quote(c.quote), "source": src(c.source),
    } for c in scenario.concessions])
    tables["Threats"] = pd.DataFrame([{
        "id": t.id, "by": name.get(t.by, t.by), "against": names(t.against),
        "action": t.action, "trigger": t.trigger,
        "stated likelihood": "" if t.stated_likelihood is None else f"{t.stated_likelihood:.0%}",
        "quote": _quote(t.quote), "source": src(t.source),
    } for t in scenario.threats])
    tables["Events"] = pd.DataFrame([{
        "date": e.date.isoformat(), "id": e.id, "event": e.description,
        "actors": names(e.actors), "quote": _quote(e.quote), "source": src(e.source),
    } for e in sorted(scenario.events, key=lambda e: e.date)])
    tables["Claims"] = pd.DataFrame([{
        "id": c.id, "claim": c.statement, "about": names(c.about),
        "quote": _quote(c.quote), "source": src(c.source),
    } for c in scenario.claims])
    tables["Parameters"] = pd.DataFrame([{
        "name": p.name, "label": p.label, "value": p.value, "min": p.min, "max": p.max,
        "unit": p.unit, "derived from": ", ".join(p.derived_from), "meaning": p.description,
    } for p in scenario.parameters])
    tables["Sources"] = pd.DataFrame([{
        "id": s.id, "title": s.title, "kind": s.kind, "publisher": s.publisher or "",
        "date": str(s.date) if s.date else (
            f"{s.date_range.start} – {s.date_range.end}" if s.date_range else ""),
        "note": s.note or "",
    } for s in scenario.sources])
    return tables


def timeline_figure(scenario: Scenario) -> go.Figure:
    """The scenario's events on a time axis, one row per lead actor."""
    events = sorted(scenario.events, key=lambda e: e.date)
    name = {a.id: a.name for a in scenario.actors}
    rows = [name.get(e.actors[0], e.actors[0]) if e.actors else "—" for e in events]
    fig = go.Figure(go.Scatter(
        x=[e.date.isoformat() for e in events],
        y=rows,
        mode="markers",
        marker={"size": 12},
        text=[e.description for e in events],
        hovertemplate="%{x}<br>%{text}<extra></extra>",
    ))
    fig.update_layout(
        title="Timeline of events", height=320, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        xaxis_title="date", yaxis_title="",
    )
    return fig
