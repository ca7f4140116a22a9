"""The figures built without plotly's per-property checks are valid plotly figures."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from sim.scenario import load_scenario
from sim.scenario.binding import run_analysis, scenario_values
from sim.scenario.catalog import bundled_scenarios
from sim.sweep import regime_map
from views.equilibrium_figures import probability_figure, tree_figure
from views.map_figures import regime_codes, regime_map_figure


@pytest.fixture(scope="module")
def runs():
    sc = load_scenario(bundled_scenarios()["russia_nato_2022_02"]).scenario
    values = scenario_values(sc)
    return {a.id: run_analysis(sc, a.id, values) for a in sc.analyses}


def _valid(fig: go.Figure) -> go.Figure:
    return go.Figure(fig.to_dict())  # raises on any invalid property


def test_equilibrium_figures_validate(runs) -> None:
    drawn = 0
    for run in runs.values():
        _valid(probability_figure(run.outcome))
        game = run.bound.game()
        if game is not None and hasattr(game, "flat"):
            checked = _valid(tree_figure(game, run.outcome))
            assert checked.layout.title.text == "The game tree"
            drawn += 1
    assert drawn >= 3


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
