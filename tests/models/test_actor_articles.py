"""Actor names that take an article ("the United States") read as English sentences do:
kept inside a sentence, capitalised where it opens one, dropped after "a", and dropped in
keys and players."""

from __future__ import annotations

import pytest

from sim.modelkit.render import render_game, render_outcome, substitute, substitute_name
from sim.models.registry import get_model
from sim.scenario import load_scenario
from sim.scenario.binding import bind_analysis
from tests.paths import ROOT, SCENARIO_2022

NAMES = {"Target": "the United States", "Challenger": "Russia"}


@pytest.mark.parametrize(("text", "sentence", "label"), [
    ("Target concedes", "The United States concedes", "United States concedes"),
    ("Russia stands firm and Target swerves", "Russia stands firm and the United States swerves",
     "Russia stands firm and the United States swerves"),
    ("Target's cost of war", "The United States' cost of war", "United States' cost of war"),
    ("**Target resists**. Then Target quits.", "**The United States resists**. Then the United "
     "States quits.", "**The United States resists**. Then the United States quits."),
    ("the least risk that makes a soft Target comply", "the least risk that makes a soft "
     "United States comply", "the least risk that makes a soft United States comply"),
    ("against the Target and the target", "against the United States and the United States",
     "against the United States and the United States"),
    ("P(Target concedes)", "P(the United States concedes)", "P(the United States concedes)"),
    ("an irresolute Challenger", "an irresolute Russia", "an irresolute Russia"),
])
def test_a_name_with_its_article(text: str, sentence: str, label: str) -> None:
    assert substitute(text, NAMES) == sentence
    assert substitute_name(text, NAMES) == label


def test_names_without_an_article_are_unchanged() -> None:
    names = {"Target": "Libya", "Challenger": "Russia"}
    assert substitute("Target concedes; a soft Target", names) == "Libya concedes; a soft Libya"
    assert substitute_name("Target's cost", names) == "Libya's cost"


def test_outcomes_and_games_keep_bare_names_in_keys_and_players() -> None:
    model = get_model("chicken_2x2")
    names = {model.roles["challenger"]: "Russia", model.roles["target"]: "the United States"}
    out = render_outcome(model.solve({}), names)
    assert set(out.payoffs) == {"Russia", "United States"}
    assert "the United States" in out.explanation and "the the" not in out.explanation
    assert tuple(render_game(model.game({}), names).players) == ("Russia", "United States")


def test_the_scenarios_declare_the_article() -> None:
    sc = load_scenario(SCENARIO_2022).scenario
    assert sc.actor("USA").in_text == "the United States"
    assert sc.actor("RUS").in_text == "Russia"
    cuba = load_scenario(ROOT / "scenarios" / "cuba_1962.yaml").scenario
    bound = bind_analysis(cuba, "chicken", {p.name: p.value for p in cuba.parameters})
    assert set(bound.names.values()) == {"the United States", "the Soviet Union"}
    assert set(bound.game().players) == {"United States", "Soviet Union"}
    text = bound.solve().explanation
    assert "the Soviet Union" in text and " the the " not in text.lower()
