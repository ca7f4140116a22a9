"""What students are told: payoff tables, the prior, and the per-round debrief."""

from __future__ import annotations

import pytest

from sim.classroom.briefing import other_role, payoff_tables, prior_sentences, round_debrief
from sim.classroom.games import make_game


def test_chicken_payoff_table_reads_yours_then_theirs() -> None:
    game = make_game("chicken")
    (table,) = payoff_tables(game, "United States", None)
    assert table.title == "Against Russia"
    frame = table.table
    assert list(frame.columns) == ["Russia: Swerve", "Russia: Firm"]
    assert list(frame.index) == ["You: Swerve", "You: Firm"]
    # both firm is war: the United States gets d_W = -3, Russia d_R = -1 (the model's defaults)
    assert frame.loc["You: Firm", "Russia: Firm"] == "−3.00 / −1.00"
    assert frame.loc["You: Firm", "Russia: Swerve"] == "1.00 / 0.00"


def test_threat_game_tables_follow_the_students_type() -> None:
    game = make_game("threat")
    p = game.params
    (resolved,) = payoff_tables(game, "Russia", "resolved")
    (irresolute,) = payoff_tables(game, "Russia", "irresolute")
    fight = "You: Demand → United States: Resist → You: Fight"

    def war(table):
        row = table.table.set_index("How it ends").loc[fight]
        assert row["Outcome"] == "War"
        return float(row["Payoff: You"].replace("−", "-"))

    assert war(resolved) == pytest.approx(p["p"] - p["c_res"], abs=5e-3)
    assert war(irresolute) == pytest.approx(p["p"] - p["c_irr"], abs=5e-3)
    # a Russian sees only the ends its own type can reach: four, nature's move left out
    assert len(resolved.table) == 4 and not resolved.table["How it ends"].str.contains(
        "Nature").any()
    (west,) = payoff_tables(game, "United States", None)
    assert west.title == "How the game can end, as United States"
    assert other_role(game, "United States") == "Russia"
    # the United States does not know the type: it sees the ends of both, nature's move named
    ends = west.table.set_index("How it ends")
    assert len(ends) == 8
    assert ends.loc["Nature: irresolute → Russia: Status quo", "Payoff: You"] == (
        f"{1 - p['q']:.2f}")
    assert ends.loc["Nature: resolved → Russia: Demand → You: Resist → Russia: Fight",
                    "Payoff: Russia"] == f"{p['p'] - p['c_res']:.2f}"


def test_the_prior_is_stated_for_roles_with_private_types_only() -> None:
    assert prior_sentences(make_game("chicken")) == []
    (sentence,) = prior_sentences(make_game("threat"))
    assert sentence.startswith("Russia is resolved with probability 0.50 or irresolute")
    assert "Only the Russia player knows which." in sentence


def test_round_debrief_names_the_opponents_move_and_the_equilibrium() -> None:
    game = make_game("chicken")
    text = round_debrief(game, "Russia", None, 2, "Firm", {"United States": "Swerve"},
                         "The United States backs down", 1.0)
    share = game.prediction["Russia"]["Firm"]
    assert text == (f"Round 2: you chose Firm; United States chose Swerve. Outcome: The United "
                    f"States backs down. "
                    f"Your payoff: 1.00. In equilibrium, Russia chooses Firm with probability "
                    f"{share:.2f}.")
