"""The 2022 scenario's analyses of a patron and its client, and of bargaining while
fighting, speak of Russia, Ukraine and the United States rather than of roles."""

from __future__ import annotations

import re

import pytest

from sim.scenario import load_scenario
from sim.scenario.binding import bind_analysis, scenario_values
from tests.paths import SCENARIO_2022

ROLE_WORDS = re.compile(r"\b(challenger|client|patron|side a|side b)\b", re.IGNORECASE)
# A side abbreviated to its letter: "B's share", "a weak B", "gains A", "A makes".
LONE_LETTER = re.compile(r"\b[AB]'s\b|\b(?:weak|strong|gains|lose) [AB]\b"
                         r"|\b[AB] (?:makes|keeps|fights|accepts|offers)\b")


@pytest.fixture(scope="module")
def scenario():  # type: ignore[no-untyped-def]
    return load_scenario(SCENARIO_2022).scenario


def _texts(scenario, analysis: str, changes: dict[str, float]) -> list[str]:  # type: ignore[no-untyped-def]
    values = scenario_values(scenario)
    values.update(changes)
    bound = bind_analysis(scenario, analysis, values)
    return [bound.solve().explanation]


@pytest.mark.parametrize("changes", [{}, {"kappa_P": 0.0}, {"kappa_P": 1.0}, {"c_K": 0.9}])
def test_extended_deterrence_names_the_actors(scenario, changes: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    bound = bind_analysis(scenario, "extended_deterrence", scenario_values(scenario))
    assert bound.names == {"Challenger": "Russia", "Client": "Ukraine",
                           "Patron": "the United States"}
    for text in _texts(scenario, "extended_deterrence", changes):
        assert "Russia" in text and ("Ukraine" in text or "United States" in text), text
        assert not ROLE_WORDS.search(text), text


@pytest.mark.parametrize("changes", [{}, {"k_A": 0.2}, {"pi_B": 0.0}])
def test_bargaining_while_fighting_names_the_actors(scenario, changes: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    bound = bind_analysis(scenario, "war_talks", scenario_values(scenario))
    assert bound.names == {"Side A": "Russia", "Side B": "Ukraine"}
    for text in _texts(scenario, "war_talks", changes):
        assert "Russia" in text and "Ukraine" in text, text
        assert not ROLE_WORDS.search(text), text
        # The sides are never abbreviated to a bare letter, which no binding can rename.
        assert not LONE_LETTER.search(text), text


def test_hawk_dove_iig_names_the_actors(scenario) -> None:  # type: ignore[no-untyped-def]
    bound = bind_analysis(scenario, "iig_hawks_doves", scenario_values(scenario))
    text = bound.solve().explanation
    assert "Russia" in text and "United States" in text, text
    assert not ROLE_WORDS.search(text), text
