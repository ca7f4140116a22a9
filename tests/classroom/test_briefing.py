"""What students are told: payoff tables, the prior, and the per-round debrief."""

from __future__ import annotations

import pytest

from sim.classroom.briefing import other_role, payoff_tables, prior_sentences, round_debrief
from sim.classroom.games import make_game


def test_chicken_payoff_table_reads_yours_then_theirs() -> None:
    game = make_game("chicken")
    (table,) = payoff_tables(game, "West", None)
    assert table.title == "Against Russia"
    frame = table.table
    assert list(frame.columns) == ["Russia: Swerve", "Russia: Firm"]
    assert list(frame.index) == ["You: Swerve", "You: Firm"]
    # both firm is war: the West gets d_W = -3, Russia d_R = -1 (the model's defaults)
    assert frame.loc["You: Firm", "Russia: Firm"] == "−3.00 / −1.00"
    assert frame.loc["You: Firm", "Russia: Swerve"] == "1.00 / 0.00"


def test_threat_game_tables_follow_the_students_type() -> None:
    game = make_game("threat")
    p = game.params
    (resolved,) = payoff_tables(game, "Russia", "resolved")
    (irresolute,) = payoff_tables(game, "Russia", "irresolute")
    fight = "You: Demand, fight if resisted"
    war_res = resolved.table.loc[fight, "West: Resist"].split(" / ")[0]
    war_irr = irresolute.table.loc[fight, "West: Resist"].split(" / ")[0]
    assert float(war_res.replace("−", "-")) == pytest.approx(p["p"] - p["c_res"], abs=5e-3)
    assert float(war_irr.replace("−", "-")) == pytest.approx(p["p"] - p["c_irr"], abs=5e-3)
    west = payoff_tables(game, "West", None)
    assert [t.title for t in west] == [
        f"If Russia is resolved (probability {p['pi']:.2f})",
        f"If Russia is irresolute (probability {1 - p['pi']:.2f})"]
    assert other_role(game, "West") == "Russia"
    # the West's two actions go across, Russia's three plans down: it fits a phone
    assert list(west[0].table.columns) == ["You: Concede", "You: Resist"]
    assert west[0].table.loc["Russia: Status quo", "You: Resist"] == (
        f"{1 - p['q']:.2f} / {p['q']:.2f}")


def test_the_prior_is_stated_for_roles_with_private_types_only() -> None:
    assert prior_sentences(make_game("chicken")) == []
    (sentence,) = prior_sentences(make_game("threat"))
    assert sentence.startswith("Russia is resolved with probability 0.50 or irresolute")
    assert "Only the Russia player knows which." in sentence


def test_round_debrief_names_the_opponents_move_and_the_equilibrium() -> None:
    game = make_game("chicken")
    text = round_debrief(game, "Russia", None, 2, "Firm", {"West": "Swerve"},
                         "West backs down", 1.0)
    share = game.prediction["Russia"]["Firm"]
    assert text == (f"Round 2: you chose Firm; West chose Swerve. Outcome: West backs down. "
                    f"Your payoff: 1.00. In equilibrium, Russia chooses Firm with probability "
                    f"{share:.2f}.")
