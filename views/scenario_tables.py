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
    return f"“{q}”" if q is not None else "(paraphrase: source text not available)"


def scenario_tables(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """One table per section: actors, issues, demands, concessions, threats, events, claims,
    parameters and sources. Quoted entries start with their quote, then say what it is
    and where it comes from; ids, which only the file needs, are left out."""
    name = {a.id: a.name for a in scenario.actors}
    issue = {i.id: i.name for i in scenario.issues}
    claims = {c.id: c.statement for c in scenario.claims}

    def names(ids: list[str]) -> str:
        return ", ".join(name.get(i, i) for i in ids)

    def src(sid: str) -> str:
        return source_label(scenario, sid)

    def grounds(ids: list[str]) -> str:
        return "; ".join("analyst calibration" if cid == "analyst"
                         else claims.get(cid, "a claim of the scenario") for cid in ids)

    tables: dict[str, pd.DataFrame] = {}
    tables["Actors"] = pd.DataFrame([{
        "name": a.name, "description": a.description, "kind": a.kind,
        "leaders": ", ".join(f"{ld.name} ({ld.role})" for ld in a.leaders),
    } for a in scenario.actors])
    tables["Issues"] = pd.DataFrame([{
        "issue": i.name, "0 means": i.low, "1 means": i.high,
    } for i in scenario.issues])
    tables["Demands"] = pd.DataFrame([{
        "quote": _quote(d.quote), "demand": d.summary, "by": name.get(d.by, d.by),
        "addressed to": names(d.addressed_to), "issue": issue.get(d.issue, d.issue),
        "position": f"{d.position:g}", "form": d.form, "status": d.status, "source": src(d.source),
    } for d in scenario.demands])
    tables["Concessions"] = pd.DataFrame([{
        "quote": _quote(c.quote), "concession": c.summary, "by": name.get(c.by, c.by),
        "to": names(c.to), "issue": issue.get(c.issue, c.issue),
        "from → to": f"{c.from_position:g} → {c.to_position:g}", "status": c.status,
        "source": src(c.source),
    } for c in scenario.concessions])
    tables["Threats"] = pd.DataFrame([{
        "quote": _quote(t.quote), "by": name.get(t.by, t.by), "against": names(t.against),
        "action": t.action, "trigger": t.trigger,
        "stated likelihood": "" if t.stated_likelihood is None else f"{t.stated_likelihood:.0%}",
        "source": src(t.source),
    } for t in scenario.threats])
    tables["Events"] = pd.DataFrame([{
        "date": e.date.isoformat(), "quote": _quote(e.quote), "event": e.description,
        "actors": names(e.actors), "source": src(e.source),
    } for e in sorted(scenario.events, key=lambda e: e.date)])
    tables["Claims"] = pd.DataFrame([{
        "quote": _quote(c.quote), "claim": c.statement, "about": names(c.about),
        "source": src(c.source),
    } for c in scenario.claims])
    tables["Parameters"] = pd.DataFrame([{
        "parameter": p.label, "symbol": p.symbol or "", "value": f"{p.value:g}",
        "range": f"{p.min:g} to {p.max:g}", "unit": p.unit, "meaning": p.description,
        "rests on": grounds(p.derived_from),
    } for p in scenario.parameters])
    tables["Sources"] = pd.DataFrame([{
        "title": s.title, "kind": s.kind, "publisher": s.publisher or "",
        "date": str(s.date) if s.date else (
            f"{s.date_range.start} – {s.date_range.end}" if s.date_range else ""),
        "note": s.note or "",
    } for s in scenario.sources])
    return tables


#: Longest dot label on the timeline; the whole description shows on hover.
LABEL_CHARS = 60
_ACTOR_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                  "#e377c2", "#17becf")


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def timeline_labels(scenario: Scenario) -> list[str]:
    """One label per event, in date order: ``Oct 22 · Kennedy announces…`` (unique, so
    that two events never share a row)."""
    labels: list[str] = []
    for e in sorted(scenario.events, key=lambda e: e.date):
        label = f"{e.date:%d %b %Y} · {_short(e.description)}"
        while label in labels:
            label += " "
        labels.append(label)
    return labels


def timeline_figure(scenario: Scenario) -> go.Figure:
    """The scenario's events on a time axis, one labelled row per event (earliest on top),
    each dot coloured by the event's lead actor."""
    events = sorted(scenario.events, key=lambda e: e.date)
    name = {a.id: a.name for a in scenario.actors}
    leads = [name.get(e.actors[0], e.actors[0]) if e.actors else "—" for e in events]
    labels = timeline_labels(scenario)
    fig = go.Figure()
    for k, lead in enumerate(dict.fromkeys(leads)):
        rows = [i for i, who in enumerate(leads) if who == lead]
        fig.add_trace(go.Scatter(
            x=[events[i].date.isoformat() for i in rows], y=[labels[i] for i in rows],
            mode="markers", name=lead,
            marker={"size": 13, "color": _ACTOR_COLOURS[k % len(_ACTOR_COLOURS)]},
            customdata=[events[i].description for i in rows],
            hovertemplate="%{x}<br>%{customdata}<extra>" + lead + "</extra>",
        ))
    fig.update_layout(
        title="Timeline of events (colour: the actor who acted)",
        height=140 + 30 * max(1, len(events)),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "title": "",
               "tickfont": {"size": 13}, "automargin": True},
        legend={"title": {"text": "acted"}},
    )
    return fig
