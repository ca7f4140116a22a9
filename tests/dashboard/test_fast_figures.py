"""The figures built without plotly's per-property checks are valid plotly figures, and the
ECharts options are plain JSON that never carries markup from an upload."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from sim.scenario import load_scenario
from sim.scenario.binding import run_analysis, scenario_values
from sim.scenario.catalog import bundled_scenarios
from sim.sweep import regime_map
from views.equilibrium_figures import probability_chart, tree_chart
from views.map_figures import regime_codes, regime_map_figure


@pytest.fixture(scope="module")
def runs():
    sc = load_scenario(bundled_scenarios()["russia_nato_2022_02"]).scenario
    values = scenario_values(sc)
    return {a.id: run_analysis(sc, a.id, values) for a in sc.analyses}


def _valid(fig: go.Figure) -> go.Figure:
    return go.Figure(fig.to_dict())  # raises on any invalid property


def _drawable(chart: dict) -> dict:
    """An ECharts option as the browser receives it: plain JSON, nothing else."""
    assert json.loads(json.dumps(chart, allow_nan=False)) == chart
    return chart


def test_equilibrium_charts_are_plain_json(runs) -> None:
    drawn = 0
    for run in runs.values():
        bars = _drawable(probability_chart(run.outcome))["series"][0]["data"]
        assert [b["value"] for b in bars] == pytest.approx(
            [float(p) for p in run.outcome.probabilities.values()], abs=1e-6)
        game = run.bound.game()
        if game is not None and hasattr(game, "flat"):
            chart = _drawable(tree_chart(game, run.outcome))
            assert chart["title"]["text"] == "The game tree"
            series = {s["name"]: s for s in chart["series"]}
            n = len(game.flat())
            assert len(series["nodes"]["data"]) == n
            # a tree of n nodes has n - 1 edges, each drawn once and labelled once
            assert len(series["equilibrium play"]["data"]) + len(
                series["other moves"]["data"]) == n - 1
            assert len(series["moves"]["data"]) == n - 1
            drawn += 1
    assert drawn >= 3


def test_chart_text_from_an_upload_is_never_markup() -> None:
    from sim.games.extensive_form import Decision, ExtensiveFormGame, Terminal

    name = "<img src=x onerror=alert(1)> {b}"
    root = Decision(0, (("go {c}", Terminal((1, 0), "<b>end</b>")),
                        ("stop", Terminal((0, 1), "stop"))), infoset="i")
    game = ExtensiveFormGame(root, [name, "B"])
    chart = tree_chart(game)
    nodes = next(s for s in chart["series"] if s["name"] == "nodes")["data"]
    # tooltips are HTML: every name in them is escaped
    tips = [n["tooltip"]["formatter"] for n in nodes]
    assert tips[0] == "&lt;img src=x onerror=alert(1)&gt; (b) moves (information set i)"
    assert tips[1] == "&lt;b&gt;end&lt;/b&gt;<br/>&lt;img src=x onerror=alert(1)&gt; (b): 1, B: 0"
    # labels are drawn as text, and no brace reaches ECharts' templates
    assert [n["name"] for n in nodes][:2] == ["<img src=x onerror=alert(1)> (b)", "<b>end</b>"]
    moves = next(s for s in chart["series"] if s["name"] == "moves")["data"]
    assert [m["label"]["formatter"] for m in moves] == ["go (c)", "stop"]


def test_regime_map_is_one_byte_a_point_and_validates(runs) -> None:
    run = runs["fearon_range"]
    rm = regime_map(run.bound.model, run.bound.params, ("p", 0.0, 1.0), ("c_B", 0.0, 1.0),
                    40, 30)
    present, codes = regime_codes(rm)
    assert codes.dtype.name == "uint8" and codes.shape == (30, 40)
    # every point's code names its own regime
    names = (*rm.regimes, "invalid parameters")
    for (row, col) in [(0, 0), (29, 39), (15, 20)]:
        assert present[codes[row, col]] == names[rm.regime[row, col]]
    for kind in ("regime", "p_war"):
        fig = _valid(regime_map_figure(rm, kind, (0.65, 0.1)))
        assert fig.data[1].text == ("current values",)
    ticks = regime_map_figure(rm, "regime").data[0].colorbar.ticktext
    assert len(ticks) == len(present)


def test_a_solve_time_reads_in_plain_words() -> None:
    from views.compute import solve_time_words

    assert solve_time_words(4.1e-4, 10_000) == ("a point takes about 0.41 ms to solve here, "
                                                "so 10,000 points take about 4.1 s")
    assert solve_time_words(7.9e-3, 10_000).endswith("take about 79 s")
    assert solve_time_words(2e-6, 40_000).endswith("take under 0.1 s")
