"""One palette: every outcome a model can return has a class and a colour, and every figure
of Explore, Lessons, Classroom and the handouts draws its outcomes in those colours."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sim.classroom.handout import lesson_handout, outcome_figure
from sim.classroom.lessons import lesson
from sim.modelkit.palette import (
    CLASS_COLOURS,
    OTHER,
    P_WAR_COLOUR,
    REGIME_COLOURS,
    WAR,
    outcome_class,
    outcome_colour,
    outcome_styles,
)
from sim.modelkit.render import substitute
from sim.models.registry import all_models
from sim.scenario import load_scenario
from sim.scenario.binding import bind_analysis, run_analysis, scenario_values
from sim.scenario.catalog import bundled_scenarios
from sim.scenario.compare import compare_outcomes
from views.compare_table import compare_figure
from views.equilibrium_figures import probability_chart, tree_chart
from views.map_figures import profile_figure, regime_map_figure

PALETTE = set(CLASS_COLOURS.values())
WAR_LABELS = {"War", "War (Side A strikes first)", "War (Side B strikes first)",
              "War to a decision", "War with the patron", "Client fights alone", "Disaster"}


def _all_labels() -> set[str]:
    return {label for m in all_models().values() for label in m.outcomes}


def test_every_outcome_of_every_model_has_a_class() -> None:
    labels = _all_labels()
    assert len(labels) > 20
    unread = sorted(label for label in labels if outcome_class(label) == OTHER)
    assert not unread, f"outcomes without a class: {unread}"
    assert {label for label in labels if outcome_class(label) == WAR} == WAR_LABELS
    assert outcome_class("Compliance") == "compliance"
    assert outcome_class("Imposition") == "imposition"
    assert outcome_class("Challenger backs down") == "back down"
    assert outcome_class("Status quo") == "status quo"
    assert outcome_class("Agreement") == "agreement"
    assert outcome_class("Side B acquiesces") == "concession"


def test_the_classes_have_distinct_colours() -> None:
    assert len(PALETTE) == len(CLASS_COLOURS)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in PALETTE)
    assert CLASS_COLOURS[WAR] == P_WAR_COLOUR


@pytest.mark.parametrize("sid", sorted(bundled_scenarios()))
def test_actor_names_keep_the_class(sid: str) -> None:
    """A scenario's actor names in a label never change its colour."""
    sc = load_scenario(bundled_scenarios()[sid]).scenario
    checked = 0
    for a in sc.analyses:
        bound = bind_analysis(sc, a, scenario_values(sc))
        for label in bound.model.outcomes:
            assert outcome_class(substitute(label, bound.names)) == outcome_class(label), label
            checked += 1
    assert checked


def test_labels_of_one_class_differ_by_dash() -> None:
    styles = outcome_styles(["War (Side A strikes first)", "War (Side B strikes first)",
                             "Status quo"])
    assert styles[0][0] == styles[1][0] == CLASS_COLOURS[WAR]
    assert styles[0][1] != styles[1][1]
    assert styles[2] == (CLASS_COLOURS["status quo"], "solid")


@pytest.fixture(scope="module")
def solved():
    """A few analyses of the 2022 case solved at the default calibration."""
    sc = load_scenario(bundled_scenarios()["russia_nato_2022_02"]).scenario
    values = scenario_values(sc)
    return sc, {a.id: run_analysis(sc, a.id, values) for a in sc.analyses}


def test_probability_bars_use_the_palette(solved) -> None:
    _, runs = solved
    seen_war = False
    for run in runs.values():
        out = run.outcome
        colours = [b["itemStyle"]["color"] for b in probability_chart(out)["series"][0]["data"]]
        assert colours == [outcome_colour(k) for k in out.probabilities]
        assert set(colours) <= PALETTE
        for label, colour in zip(out.probabilities, colours, strict=True):
            if outcome_class(label) == WAR:
                assert colour == CLASS_COLOURS[WAR]
                seen_war = True
    assert seen_war


def test_handout_bars_use_the_palette(solved) -> None:
    sc, runs = solved
    out = runs["fearon_range"].outcome
    bar = outcome_figure(out, "t").data[0]
    assert list(bar.marker.color) == [outcome_colour(k) for k in out.probabilities]
    page = lesson_handout(sc, lesson("fearon-range"))
    assert CLASS_COLOURS[WAR] in page


def test_profile_lines_and_maps_use_the_palette(solved) -> None:
    _, runs = solved
    run = runs["fearon_range"]
    labels = tuple(run.bound.model.outcomes)
    frame = pd.DataFrame({"x": [0.1, 0.9], "p_war": [0.0, 1.0],
                          **{f"P({k})": [0.5, 0.5] for k in labels}})
    fig = profile_figure(frame, "x", labels)
    lines = {t.name: t.line.color for t in fig.data}
    assert lines["War"] == lines["P(war)"] == CLASS_COLOURS[WAR]
    assert {lines[k] for k in labels} <= PALETTE

    from sim.sweep import regime_map

    rm = regime_map(run.bound.model, run.bound.params, ("p", 0.0, 1.0), ("c_B", 0.0, 1.0), 8, 8)
    heat = regime_map_figure(rm, "p_war").data[0]
    assert heat.colorscale[-1][1] == CLASS_COLOURS[WAR]
    regimes = regime_map_figure(rm, "regime").data[0]
    assert {c for _, c in regimes.colorscale} <= set(REGIME_COLOURS)
    assert not set(REGIME_COLOURS) & PALETTE


def test_compare_bars_and_tree_terminals_use_the_palette(solved) -> None:
    sc, runs = solved
    rows = compare_outcomes(sc, [(a, runs[a.id].outcome) for a in sc.analyses])
    bars = compare_figure(rows).data[0]
    assert set(bars.marker.color) <= PALETTE
    expected = [outcome_colour(a.readings[0].outcome) for a in reversed(rows) if a.conflict]
    assert list(bars.marker.color) == expected
    run = runs["compellence"]
    game = run.bound.game()
    chart = tree_chart(game, run.outcome)
    nodes = next(s for s in chart["series"] if s["name"] == "nodes")["data"]
    flat = game.flat()
    terminal = [n["itemStyle"]["color"] for n, kind in zip(nodes, flat.kind, strict=True)
                if kind == "t"]
    assert terminal and set(terminal) <= PALETTE
