"""Every analysis of every bundled scenario names its actors, never the model's roles.

Explanations, outcome labels, outcome probabilities, strategy and regime words
are read at the scenario's defaults and at each of its presets. A role word
("the patron", "the proposer", "Player 1") is allowed only where the scenario
has an actor literally so named.
"""

from __future__ import annotations

import re

import pytest

from sim.modelkit.regime_words import regime_phrase
from sim.modelkit.render import substitute
from sim.scenario import load_scenario
from sim.scenario.binding import bind_analysis, scenario_values
from sim.scenario.catalog import bundled_scenarios

ROLE_WORDS = re.compile(
    r"\bthe (?:patron|client|challenger|target|proposer|responder|sender|defender|"
    r"attacker|coercer|initiator)\b|\b(?:Player|Side) [12AB]\b", re.IGNORECASE)
SCENARIOS = {sid: load_scenario(path).scenario for sid, path in bundled_scenarios().items()}


def _texts(scenario_id: str) -> list[tuple[str, str]]:
    sc = SCENARIOS[scenario_id]
    found = []
    for preset in [None, *(p.id for p in sc.presets)]:
        values = scenario_values(sc, preset)
        for analysis in sc.analyses:
            bound = bind_analysis(sc, analysis, values)
            out = bound.solve()
            where = f"{analysis.id} at {preset or 'defaults'}"
            found += [(where, out.explanation or ""), (where, out.outcome),
                      (where, regime_phrase(out.model, out.regime, bound.names))]
            found += [(where, k) for k in [*out.probabilities, *out.strategies, *out.payoffs]]
    return found


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_no_role_word_in_any_analysis(scenario_id: str) -> None:
    actors = " ".join(a.name for a in SCENARIOS[scenario_id].actors)
    leftovers = sorted({f"{where}: {m.group(0)!r} in {text[:90]!r}"
                        for where, text in _texts(scenario_id)
                        for m in ROLE_WORDS.finditer(text)
                        if m.group(0).lower().removeprefix("the ") not in actors.lower()})
    assert leftovers == []


def test_a_role_noun_reads_as_the_actor() -> None:
    names = {"Patron": "United States", "Target": "Ukraine"}
    assert (substitute("War with the patron; The target's belief", names)
            == "War with United States; Ukraine's belief")
    # Words that merely contain the noun are left alone.
    assert substitute("the patrons and the targeting", names) == "the patrons and the targeting"


def test_the_walk_would_find_a_leftover() -> None:
    assert ROLE_WORDS.search("gives the proposer 0.78")
    assert ROLE_WORDS.search("Player 1 moves")
    assert not ROLE_WORDS.search("Russia proposes first")


def test_extended_deterrence_names_its_parameters_in_words() -> None:
    sc = SCENARIOS["russia_nato_2022_02"]
    text = bind_analysis(sc, "extended_deterrence", scenario_values(sc)).solve().explanation
    assert "its cost of intervening (c_P)" in text
    assert "the probability that the United States fights (φ)" in text
    assert "the probability that its commitment binds (κ)" in text
