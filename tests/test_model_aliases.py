"""Old parameter names and role keys keep working for one release, with a
deprecation note, and the outcome speaks in the scenario's actor names."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.modelkit.aliases import PARAM_ALIASES, ROLE_ALIASES, resolve_param_aliases
from sim.modelkit.render import render_outcome, role_names, substitute
from sim.models import get_model
from sim.models.registry import all_models
from sim.scenario import load_scenario
from sim.scenario.binding import bind_analysis, run_analysis, scenario_values

ROOT = Path(__file__).resolve().parents[1]
CUBA = ROOT / "scenarios" / "cuba_1962.yaml"
RUSSIA = ROOT / "scenarios" / "russia_nato_2022_02.yaml"


def test_the_table_maps_onto_current_names_only() -> None:
    models = all_models()
    for model, table in PARAM_ALIASES.items():
        names = {s.name for s in models[model].params}
        assert set(table.values()) <= names, model
        assert not set(table) & names, f"{model}: an old name is still a parameter"
    for model, table in ROLE_ALIASES.items():
        assert set(table.values()) <= set(models[model].roles), model


def test_commitment_rising_cost_is_not_an_old_name_of_anything() -> None:
    olds = {old for table in PARAM_ALIASES.values() for old in table}
    assert "c_U" not in olds
    assert PARAM_ALIASES["commitment_shifting_power"] == {"c_R": "c_U"}


def test_old_parameter_names_solve_the_same_with_a_warning() -> None:
    model = get_model("fearon_bargaining_range")
    with pytest.warns(DeprecationWarning, match=r"'c_R' is the old name of 'c_A'"):
        old = model.solve({"c_R": 0.2, "c_W": 0.05})
    new = model.solve({"c_A": 0.2, "c_B": 0.05})
    assert old == new
    assert new.details["upper"] == pytest.approx(0.7)
    with pytest.warns(DeprecationWarning):
        batch = model.solve_batch({"c_W": [0.05, 0.2]})
    assert list(batch.details["upper"]) == pytest.approx([0.7, 0.85])


def test_an_old_and_a_current_name_together_are_refused() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValueError, match="both 'c_R' and its current name 'c_A'"):
            resolve_param_aliases("fearon_bargaining_range", {"c_R": 0.1, "c_A": 0.2})


def _old_style(tmp_path: Path) -> Path:
    text = CUBA.read_text(encoding="utf-8")
    new = "roles: {challenger: USA, target: USSR}\n    params: {d_A: d_US, d_B: d_SU}"
    old = "roles: {Russia: USA, West: USSR}\n    params: {d_R: d_US, d_W: d_SU}"
    text = text.replace(new, old)
    assert "Russia: USA" in text
    path = tmp_path / "cuba_old_names.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_scenario_with_old_names_loads_and_binds_with_a_deprecation(tmp_path: Path) -> None:
    path = _old_style(tmp_path)
    with pytest.warns(DeprecationWarning):
        sc = load_scenario(path).scenario
    with pytest.warns(DeprecationWarning, match="role 'Russia' is the old name of 'challenger'"):
        bound = bind_analysis(sc, "chicken", scenario_values(sc))
    assert bound.roles == {"challenger": "USA", "target": "USSR"}
    assert set(bound.params) == {"d_A", "d_B"}
    new_sc = load_scenario(CUBA).scenario
    assert bound.solve() == run_analysis(new_sc, "chicken", scenario_values(new_sc)).outcome


def test_the_validator_prints_a_note_not_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(_old_style(tmp_path))])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if ": note: " in line]
    assert any("role 'Russia' is the old name of 'challenger'" in n for n in notes)
    assert any("parameter 'd_R' is the old name of 'd_A'" in n for n in notes)
    assert "valid" in result.output


def test_cuba_speaks_of_the_usa_and_the_ussr() -> None:
    sc = load_scenario(CUBA).scenario
    for analysis in sc.analyses:
        out = run_analysis(sc, analysis.id, scenario_values(sc)).outcome
        text = " ".join([out.explanation, *out.payoffs, *out.strategies])
        assert "United States" in text and "Soviet Union" in text, analysis.id
        for word in ("Russia", "West", "Challenger", "Target"):
            assert word not in text, (analysis.id, word)
    bound = bind_analysis(sc, "brinkmanship", scenario_values(sc))
    assert bound.game().players == ("United States", "Soviet Union")


def test_sanctions_roles_follow_the_scenario() -> None:
    sc = load_scenario(ROOT / "scenarios" / "libya_2003.yaml").scenario
    sanctions = [a for a in sc.analyses if a.model.startswith("sanctions")]
    assert sanctions
    out = run_analysis(sc, sanctions[0].id, scenario_values(sc)).outcome
    assert set(out.payoffs) == {"United States", "Libya"}


def test_substitution_is_by_whole_name_with_possessives() -> None:
    names = {"Target": "United States", "Challenger": "Russia"}
    # The role's common noun ("the target") reads as the actor too; "Targets" is another word.
    assert substitute("Target's cost; the target; Targets; Challenger's demand", names) == (
        "United States' cost; United States; Targets; Russia's demand")
    model = get_model("threat_game_complete_info")
    out = render_outcome(model.solve(), role_names(model, {"challenger": "Russia"}))
    assert set(out.payoffs) == {"Russia", "Target"}
    assert out.p_war == model.solve().p_war


def test_russia_2022_still_speaks_of_russia() -> None:
    sc = load_scenario(RUSSIA).scenario
    out = run_analysis(sc, "fearon_range_stated", scenario_values(sc)).outcome
    assert set(out.payoffs) == {"Russia", "United States"}
    assert "Russia's demand" in out.explanation


def test_a_model_sweep_with_old_names_still_runs() -> None:
    import numpy as np

    from sim.sweep.run import evaluate

    with pytest.warns(DeprecationWarning, match="'c_W' is the old name of 'c_B'"):
        old = evaluate("fearon_bargaining_range", {}, {"c_W": np.array([0.05, 0.3])})
    new = evaluate("fearon_bargaining_range", {}, {"c_B": np.array([0.05, 0.3])})
    assert list(old.p_war) == list(new.p_war) == [1.0, 0.0]
    with pytest.warns(DeprecationWarning):
        assert get_model("rubinstein").param("delta_W").name == "delta_B"
