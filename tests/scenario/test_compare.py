"""Readings side by side: outcome classes, honest agreement, and what moved a reading.

The movers are checked on a synthetic model whose answer is known by
construction: war iff ``a + b > 1``, regime "tight" iff ``c > 0.5``; ``d`` is
bound but never matters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from sim.models.base import Outcome
from sim.scenario import compare as cmp
from sim.scenario import load_scenario
from sim.scenario.binding import run_analyses, scenario_values
from sim.scenario.catalog import bundled_scenarios
from sim.scenario.compare import (
    AnalysisComparison,
    Reading,
    agreement_sentences,
    cell_text,
    compare_presets,
    compared_presets,
    what_moved,
)
from sim.scenario.schema import Scenario


class ToyModel:
    """War iff a + b > 1; the regime is "tight" iff c > 0.5."""

    name = "toy"
    family = "fearon"
    title = "A toy crisis for Challenger"
    roles: ClassVar[dict[str, str]] = {"challenger": "Challenger"}
    solves: ClassVar[list[dict[str, float]]] = []


@dataclass(frozen=True)
class ToyBound:
    params: Mapping[str, Any]

    def solve(self) -> Outcome:
        p = dict(self.params)
        ToyModel.solves.append(p)
        war = p["a"] + p["b"] > 1.0
        return Outcome(model="toy", params=p, outcome="War" if war else "Deal",
                       regime="tight" if p["c"] > 0.5 else "loose",
                       probabilities={"War": 0.9 if war else 0.1}, p_war=0.9 if war else 0.1,
                       payoffs={})


def _toy_bind(scenario: Scenario, analysis: Any, values: Mapping[str, float]) -> ToyBound:
    return ToyBound({m: values[s] for m, s in analysis.params.items()})


PRESETS = {
    "base": {"a": 0.3, "b": 0.3, "c": 0.2, "d": 0.1},
    "a_only": {"a": 0.8, "b": 0.3, "c": 0.2, "d": 0.9},  # a alone, d is noise
    "together": {"a": 0.6, "b": 0.6, "c": 0.2, "d": 0.9},  # a and b only together
    "either": {"a": 0.8, "b": 0.8, "c": 0.2, "d": 0.1},  # a alone or b alone
    "regime": {"a": 0.3, "b": 0.3, "c": 0.9, "d": 0.1},  # only the regime moves
    "same": {"a": 0.3, "b": 0.4, "c": 0.3, "d": 0.5},  # nothing moves
}


def _toy_scenario(n_analyses: int = 1) -> Scenario:
    param = {"min": 0, "max": 1, "step": 0.01, "unit": "share", "description": "d",
             "derived_from": ["analyst"]}
    return Scenario.model_validate({
        "meta": {"id": "toy", "title": "Toy", "summary": "s", "date": "2022-02-18"},
        "sources": [{"id": "src", "title": "A source", "kind": "news"}],
        "actors": [{"id": "RUS", "name": "Russia", "kind": "state", "description": "c"}],
        "parameters": [{"name": n, "label": f"Weight {n}", "symbol": n, "value": 0.3, **param}
                       for n in "abcd"],
        "presets": [{"id": k, "name": k.replace("_", " ").title(), "rationale": "r",
                     "values": v} for k, v in PRESETS.items()],
        "analyses": [{"id": f"toy{i}", "model": "toy", "question": "Is there war?",
                      "roles": {"challenger": "RUS"},
                      "params": {"a": "a", "b": "b", "c": "c", "d": "d"}}
                     for i in range(n_analyses)],
    })


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> Scenario:
    monkeypatch.setattr(cmp, "get_model", lambda name: ToyModel)
    monkeypatch.setattr(cmp, "bind_analysis", _toy_bind)
    ToyModel.solves.clear()
    return _toy_scenario()


def _move(sc: Scenario, start: str, end: str, **kw: Any) -> cmp.Move | None:
    return what_moved(sc, sc.analyses[0], (start, scenario_values(sc, start)),
                      (end, scenario_values(sc, end)), **kw)


def test_one_parameter_alone_moves_it(toy: Scenario) -> None:
    move = _move(toy, "base", "a_only")
    assert move is not None
    assert move.changed == ("outcome class", "outcome")
    assert set(move.differing) == {"a", "d"}
    assert move.sets == (("a",),)
    assert not move.together and move.complete


def test_two_parameters_only_together(toy: Scenario) -> None:
    move = _move(toy, "base", "together")
    assert move is not None
    assert move.sets == (("a", "b"),)
    assert move.together


def test_either_parameter_alone(toy: Scenario) -> None:
    move = _move(toy, "base", "either")
    assert move is not None and move.sets == (("a",), ("b",))


def test_a_regime_change_without_a_class_change(toy: Scenario) -> None:
    move = _move(toy, "base", "regime")
    assert move is not None
    assert move.changed == ("regime",) and move.sets == (("c",),)


def test_no_move_when_readings_agree(toy: Scenario) -> None:
    assert _move(toy, "base", "same") is None


def test_the_search_stops_at_its_budget(toy: Scenario) -> None:
    move = _move(toy, "base", "together", max_trials=2)
    assert move is not None and not move.complete
    assert set(move.sets[0]) == {"a", "b", "d"}  # everything that differs, together


def test_compare_presets_collects_readings_moves_and_classes(toy: Scenario) -> None:
    c = compare_presets(toy, ["base", "a_only", "regime"])
    assert c.presets == ("base", "a_only", "regime")
    assert c.preset_names == ("Base", "A Only", "Regime")
    (row,) = c.analyses
    assert [r.outcome_class for r in row.readings] == ["war unlikely", "war likely",
                                                       "war unlikely"]
    assert row.class_changes and row.outcome_changes and row.regime_changes and row.responds
    pairs = {(m.start, m.end): m.sets for m in row.moves}
    assert pairs == {("base", "a_only"): (("a",),), ("base", "regime"): (("c",),),
                     ("a_only", "regime"): (("a", "c"),)}
    assert row.title == "A toy crisis for Russia"  # the model's roles in actor names


def test_overrides_apply_to_every_preset(toy: Scenario) -> None:
    c = compare_presets(toy, ["base", "regime"], {"b": 0.9})
    assert [r.outcome for r in c.analyses[0].readings] == ["War", "War"]
    assert c.overrides == (("b", 0.9),)


def test_cell_text_in_words() -> None:
    war = Reading("p", "War", "war likely", 0.8, "r", ())
    deal = Reading("p", "Concession", "war unlikely", 0.1, "r", ())
    spatial = Reading("p", "Compromise", "Compromise", 0.0, "r", ())
    failed = Reading("p", "", "", float("nan"), "", (), "bad")
    assert [cell_text(r) for r in (war, deal, spatial, failed)] == [
        "War likely (0.80)", "Concession; war unlikely (0.10)", "Compromise", "not solved"]


def _row(aid: str, p_war: float, conflict: str = "war") -> AnalysisComparison:
    cls = f"{conflict} {'likely' if p_war >= 0.5 else 'unlikely'}" if conflict else "Deal"
    return AnalysisComparison(aid, aid.title(), "?", "m", "f", conflict,
                              (Reading("p", "X", cls, p_war, "r", ()),), ())


def test_disagreeing_models_are_named_and_p_war_is_never_averaged() -> None:
    rows = [_row("alpha", 0.9), _row("beta", 0.2), _row("gamma", 0.0),
            _row("delta", 0.7, "sanctions"), _row("eps", 0.0, "")]
    text = " ".join(agreement_sentences(rows, 0))
    assert text.startswith("The models of war disagree, and most find it unlikely: "
                           "1 of 3 find war likely, the other 2 unlikely. Likely in: Alpha.")
    assert "The one sanctions model here, Delta, finds that sanctions are likely" in text
    assert "Left out, as they do not model war: Eps." in text
    assert "verage" not in text and "mean" not in text


def test_all_likely_and_unsolved() -> None:
    failed = AnalysisComparison("zeta", "Zeta", "?", "m", "f", "war",
                                (Reading("p", "", "", float("nan"), "", (), "bad"),), ())
    text = " ".join(agreement_sentences([_row("a", 0.9), _row("b", 0.6), failed], 0))
    assert text.startswith("All 2 models of war agree that war is likely: P(war) is at least "
                           "0.60 in each.")
    assert text.endswith("Not solved under this calibration: Zeta.")


@pytest.fixture(scope="module")
def cuba() -> Scenario:
    return load_scenario(bundled_scenarios()["cuba_1962"]).scenario


def test_cuba_reads_as_agreement_when_no_model_makes_war_likely(cuba: Scenario) -> None:
    c = compare_presets(cuba)
    assert c.presets == tuple(p.id for p in cuba.presets)  # no article/skeptical pair
    for k, preset in enumerate(c.presets):
        p_war = [r.outcome.p_war for r in run_analyses(cuba, scenario_values(cuba, preset))]
        text = " ".join(c.agreement[k])
        if max(p_war) < 0.5:
            assert text == (f"All {len(p_war)} models of war agree that war is unlikely: "
                            f"P(war) is at most {max(p_war):.2f} in each.")
            assert "disagree" not in text
        else:
            assert "likely" in text


def test_cuba_readings_match_the_analyses(cuba: Scenario) -> None:
    c = compare_presets(cuba)
    for k, preset in enumerate(c.presets):
        runs = run_analyses(cuba, scenario_values(cuba, preset))
        for row, run in zip(c.analyses, runs, strict=True):
            reading = row.readings[k]
            assert (reading.outcome, reading.regime) == (run.outcome.outcome, run.outcome.regime)
            assert reading.p_war == pytest.approx(run.outcome.p_war)


def test_default_presets_are_the_three_readings_where_the_scenario_has_them() -> None:
    sc = load_scenario(bundled_scenarios()["russia_nato_2022_02"]).scenario
    assert compared_presets(sc) == ["article", "skeptical", "hindsight"]


def test_move_sentences_in_words(toy: Scenario) -> None:
    from sim.scenario.compare import move_sentence

    alone, together, either = (_move(toy, "base", end) for end in ("a_only", "together",
                                                                    "either"))
    assert alone is not None and together is not None and either is not None
    assert move_sentence(toy, alone) == "weight a (a) alone."
    assert move_sentence(toy, together) == "weight a (a) and weight b (b) together; neither " \
                                           "alone does it."
    assert move_sentence(toy, either) == "either weight a (a) or weight b (b), each alone."


@pytest.mark.parametrize(("label", "words"), [
    ("Prior that Russia is resolved", "prior that Russia is resolved"),
    ("The West's cost of war", "the West's cost of war"),
    ("West's cost of backing down", "the West's cost of backing down"),
    ("US cost of war", "the US cost of war"),
    ("Russia's chance of prevailing by force", "Russia's chance of prevailing by force"),
    ("NATO's posture", "NATO's posture"),
    ("Chicken: Russia's payoff", "Chicken: Russia's payoff"),
])
def test_a_parameter_reads_inside_a_sentence(label: str, words: str) -> None:
    from sim.scenario.compare import _mid_sentence

    assert _mid_sentence(label, frozenset({"Russia", "United", "States"})) == words


def test_the_whole_comparison_has_a_search_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """An uploaded file with many analyses cannot make the search run without end."""
    monkeypatch.setattr(cmp, "get_model", lambda name: ToyModel)
    monkeypatch.setattr(cmp, "bind_analysis", _toy_bind)
    monkeypatch.setattr(cmp, "MAX_SEARCH", 6)
    c = compare_presets(_toy_scenario(4), ["base", "together"])
    moves = [a.moves[0] for a in c.analyses]
    assert moves[0].complete and moves[0].sets == (("a", "b"),)  # 6 sets: a, b, d, ab, ad, bd
    assert not any(m.complete for m in moves[1:])  # the budget is spent
    assert all(set(m.sets[0]) == {"a", "b", "d"} for m in moves[1:])
