"""Scenario analyses bind to the models and reproduce models.md's 2022 readings."""

from __future__ import annotations

import pytest

from sim.models import all_models
from sim.scenario import load_scenario
from sim.scenario.binding import (
    BindingError,
    bind_analysis,
    run_analyses,
    run_analysis,
    scenario_values,
)
from tests.paths import SCENARIO_2022


@pytest.fixture(scope="module")
def sc():
    return load_scenario(SCENARIO_2022).scenario


def test_values_follow_preset_then_overrides(sc) -> None:
    base = scenario_values(sc)
    article = scenario_values(sc, "article")
    assert base["pi"] == 0.5 and article["pi"] == 0.2
    assert article["x"] == base["x"]  # not set by the preset
    assert scenario_values(sc, "article", {"pi": 0.9})["pi"] == 0.9


def test_bad_overrides_and_presets(sc) -> None:
    with pytest.raises(BindingError, match=r"unknown parameter 'cR' \(did you mean 'c_R'\?\)"):
        scenario_values(sc, None, {"cR": 0.1})
    with pytest.raises(BindingError, match=r"c_R: 1\.5 is outside \[0, 1\]"):
        scenario_values(sc, None, {"c_R": 1.5})
    with pytest.raises(BindingError, match=r"unknown preset 'artcle' \(did you mean 'article'\?\)"):
        scenario_values(sc, "artcle")
    with pytest.raises(BindingError, match="unknown analysis"):
        bind_analysis(sc, "nope", scenario_values(sc))


def test_every_family_is_analysed(sc) -> None:
    models = all_models()
    families = {models[a.model].family for a in sc.analyses}
    non_spatial = {f for m in models.values() for f in [m.family]} - {"spatial"}
    assert non_spatial <= families


def test_mapping_is_recorded(sc) -> None:
    bound = bind_analysis(sc, "commitment", scenario_values(sc))
    # Russia is the declining state D; the West/Ukraine the rising state, whose cost is c_U
    assert bound.mapped_from["c_D"] == "c_R" and bound.mapped_from["c_U"] == "c_W"
    assert bound.params["c_D"] == 0.15 and bound.params["c_U"] == 0.10
    assert bound.roles == {"declining": "RUS", "rising": "USA"}


def test_2022_defaults_reproduce_models_md(sc) -> None:
    """models.md §0: range [0.50, 0.75]; the stated demand 0.9 lies outside; war follows.
    Russia's optimal demand, the top of the range, is accepted."""
    values = scenario_values(sc)
    for stated, optimal in (("fearon_range_stated", "fearon_range"),
                            ("compellence_stated", "compellence")):
        assert run_analysis(sc, stated, values).outcome.p_war == 1.0
        best = run_analysis(sc, optimal, values).outcome
        assert best.p_war == 0.0
        assert best.details["demand_gap"] == pytest.approx(0.15)
    # a stated demand at the top of the range, p + c_W = 0.75, is conceded
    at_edge = run_analysis(sc, "compellence_stated", {**values, "x": 0.75}).outcome
    assert at_edge.p_war == 0.0


def test_all_analyses_solve_under_every_preset(sc) -> None:
    for preset in [p.id for p in sc.presets]:
        runs = run_analyses(sc, scenario_values(sc, preset))
        assert len(runs) == len(sc.analyses)
        for r in runs:
            assert 0.0 <= r.outcome.p_war <= 1.0
            assert r.outcome.explanation
