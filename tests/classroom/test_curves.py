"""Learning curves: the per-round QRE fit recovers a known λ from synthetic choices."""

from __future__ import annotations

import numpy as np
import pytest

from sim.classroom.curves import learning_curves, outcome_timeline
from sim.classroom.debrief import qre_profile
from sim.classroom.games import make_game


def _draw(game, lam: float, round_: int, n: int, rng: np.random.Generator) -> list[dict]:
    """``n`` choices of every agent at the QRE of precision ``lam``."""
    profile = qre_profile(game, lam)
    rows = []
    for agent in game.agents:
        probs = np.array([profile[agent.key][a] for a in agent.actions])
        for k in rng.choice(len(agent.actions), size=n, p=probs / probs.sum()):
            rows.append({"round": round_, "role": agent.role, "type": agent.type,
                         "agent": agent.key if agent.infoset else None,
                         "action": agent.actions[int(k)], "outcome": "x", "match": 0,
                         "timed_out": False})
    return rows


@pytest.mark.parametrize("name", ["chicken", "threat"])
def test_the_fit_recovers_each_rounds_lambda(name) -> None:
    game = make_game(name)
    rng = np.random.default_rng(20)
    truth = {1: 0.5, 2: 2.0, 3: 6.0}  # a class learning: play sharpens round by round
    choices = [row for r, lam in truth.items() for row in _draw(game, lam, r, 4000, rng)]
    curves = learning_curves(game, choices)
    assert sorted(curves.lam) == [1, 2, 3]
    for r, lam in truth.items():
        assert curves.lam[r] == pytest.approx(lam, rel=0.2, abs=0.25)
    assert curves.lam[1] < curves.lam[2] < curves.lam[3]
    one = curves.table[(curves.table["round"] == 3)]
    # each agent's shares sum to one, and the fitted QRE is close to what was drawn
    for _, part in one.groupby("agent"):
        assert part["observed"].sum() == pytest.approx(1.0)
        assert np.abs(part["observed"] - part["qre_fit"]).max() < 0.05
    eq = one.set_index(["agent", "action"])["equilibrium"]
    key = next(iter(game.prediction))
    for action, p in game.prediction[key].items():
        assert eq[(key, action)] == pytest.approx(p)


def test_timed_out_moves_can_be_left_out() -> None:
    game = make_game("chicken")
    choices = _draw(game, 3.0, 1, 500, np.random.default_rng(1))
    late = [dict(r, action="Swerve", timed_out=True) for r in choices[:400]]
    with_late = learning_curves(game, choices + late)
    without = learning_curves(game, choices + late, leave_out_timed_out=True)
    assert without.lam[1] == pytest.approx(learning_curves(game, choices).lam[1])
    assert with_late.lam[1] != pytest.approx(without.lam[1])


def test_the_outcome_timeline_counts_groups_once() -> None:
    rows = [{"round": 1, "match": 0, "outcome": "War"}, {"round": 1, "match": 0,
                                                         "outcome": "War"},
            {"round": 1, "match": 1, "outcome": "Status quo"},
            {"round": 2, "match": 0, "outcome": "War"}]
    t = outcome_timeline(rows)
    assert t.to_dict("records") == [{"round": 1, "outcome": "Status quo", "groups": 1},
                                    {"round": 1, "outcome": "War", "groups": 1},
                                    {"round": 2, "outcome": "War", "groups": 1}]
    assert outcome_timeline([]).empty
