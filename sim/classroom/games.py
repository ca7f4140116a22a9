"""Games a class can play live: roles, private types, moves, payoffs, predictions.

Each classroom game is played by the strategy method: every student submits a
complete plan for their role (and private type), and the plans of matched
students determine the outcome. Each game is also a finite normal-form game
in which every (role, type) is a separate player, the agent form of the
Bayesian game, so the engine computes its equilibrium prediction and its
logit QRE.

* **Chicken** (docs/models/chicken_2x2.md): roles Russia and West choose Swerve or Firm.
* **Threat with private resolve** (docs/models/threat_game_incomplete_info.md): Russia
  is resolved or
  irresolute (its private type, drawn with prior π) and plans to keep the
  status quo, to demand and back down if resisted, or to demand and fight;
  the West, not knowing the type, plans to concede or resist a demand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.games.normal_form import NormalFormGame
from sim.models.registry import get_model

__all__ = ["ClassroomGame", "Agent", "CLASSROOM_GAMES", "chicken_game", "threat_game",
           "make_game"]


@dataclass(frozen=True)
class Agent:
    """A decision maker of the agent form: a role, possibly with a private type."""

    role: str
    type: str | None
    actions: tuple[str, ...]
    prior: float = 1.0

    @property
    def key(self) -> str:
        return self.role if self.type is None else f"{self.role} ({self.type})"


@dataclass(frozen=True)
class ClassroomGame:
    """A game for live play.

    Attributes
    ----------
    name, title, description
        Identity and a plain-English briefing.
    roles
        Role names, in matching order (one student per role in each match).
    agents
        The (role, type) decision makers, each with its actions and the prior
        probability of its type.
    params
        The model parameters the game was built from.
    normal_form
        The agent-form game: one player per agent; a role's payoff is its
        expected payoff over the other roles' types.
    prediction
        Equilibrium probability of each action of each agent, from the model.
    source
        For a game from the lab, its JSON form (with ``name`` and ``params``,
        what identifies the game); empty for the built-in games.
    """

    name: str
    title: str
    description: str
    roles: tuple[str, ...]
    agents: tuple[Agent, ...]
    params: Mapping[str, float]
    normal_form: NormalFormGame
    prediction: Mapping[str, Mapping[str, float]]
    outcome_labels: tuple[str, ...] = field(default=())
    source: str = field(default="", repr=False)
    _payoffs: Any = field(default=None, repr=False)

    def agent(self, role: str, type_: str | None) -> Agent:
        for a in self.agents:
            if a.role == role and a.type == type_:
                return a
        raise KeyError(f"no agent {role!r} with type {type_!r}")

    def types_of(self, role: str) -> list[tuple[str | None, float]]:
        return [(a.type, a.prior) for a in self.agents if a.role == role]

    def play(self, moves: Mapping[str, tuple[str | None, str]]) -> tuple[str, dict[str, float]]:
        """Outcome label and payoff per role of one match.

        ``moves`` maps each role to ``(type, action)``.
        """
        result: tuple[str, dict[str, float]] = self._payoffs(moves)
        return result


#: The model names the classroom games read, in one place. Keys are what the games call
#: them; values are the model's names (its players, then its parameters).
MODEL_NAMES: dict[str, str] = {
    "challenger": "Challenger", "defender": "Target",  # chicken_2x2's players, challenger first
    "audience_cost": "a_A", "reputation_gain": "b_B", "defender_war_cost": "c_B",
    "cost_resolved": "c_res", "cost_irresolute": "c_irr", "prior_resolved": "pi",
    "status_quo": "q", "demand": "x", "win_probability": "p",
}


def _name(key: str) -> str:
    return MODEL_NAMES[key]


def chicken_game(params: Mapping[str, float] | None = None) -> ClassroomGame:
    """Chicken between Russia and the West, from the ``chicken_2x2`` model."""
    model = get_model("chicken_2x2")
    p = model.validate(dict(params or {}))
    nf = model.game(p)
    outcome = model.solve(p)
    firm_r = float(outcome.strategies[_name("challenger")]["Firm"])
    firm_w = float(outcome.strategies[_name("defender")]["Firm"])
    agents = (Agent("Russia", None, ("Swerve", "Firm")), Agent("West", None, ("Swerve", "Firm")))
    idx = {"Swerve": 0, "Firm": 1}
    a_r, a_w = (np.asarray(x, dtype=float) for x in nf.to_arrays())

    def payoffs(moves: Mapping[str, tuple[str | None, str]]) -> tuple[str, dict[str, float]]:
        r, w = idx[moves["Russia"][1]], idx[moves["West"][1]]
        label = {(0, 0): "Compromise", (1, 0): "West backs down", (0, 1): "Russia backs down",
                 (1, 1): "War"}[(r, w)]
        return label, {"Russia": float(a_r[r, w]), "West": float(a_w[r, w])}

    return ClassroomGame(
        name="chicken", title="Chicken: who swerves first?",
        description=("Each side chooses to Swerve (back down) or stand Firm. Standing firm "
                     "against a side that swerves wins; if both stand firm, it is war."),
        roles=("Russia", "West"), agents=agents, params=dict(p),
        normal_form=NormalFormGame.from_arrays(a_r, a_w, players=("Russia", "West"),
                                               strategies=(("Swerve", "Firm"),) * 2),
        prediction={"Russia": {"Swerve": 1 - firm_r, "Firm": firm_r},
                    "West": {"Swerve": 1 - firm_w, "Firm": firm_w}},
        outcome_labels=("Compromise", "West backs down", "Russia backs down", "War"),
        _payoffs=payoffs,
    )


_PLANS = ("Status quo", "Demand, back down if resisted", "Demand, fight if resisted")



def threat_game(params: Mapping[str, float] | None = None) -> ClassroomGame:
    """The compellence game with private resolve, from ``threat_game_incomplete_info``."""
    model = get_model("threat_game_incomplete_info")
    p = model.validate(dict(params or {_name("demand"): 0.7}))
    q, x, pr = p[_name("status_quo")], p[_name("demand")], p[_name("win_probability")]
    a, b = p[_name("audience_cost")], p[_name("reputation_gain")]
    c_t, pi = p[_name("defender_war_cost")], p[_name("prior_resolved")]
    cost = {"resolved": p[_name("cost_resolved")], "irresolute": p[_name("cost_irresolute")]}
    prior = {"resolved": pi, "irresolute": 1.0 - pi}

    def outcome(plan: int, resist: bool, type_: str) -> tuple[str, float, float]:
        if plan == 0:
            return "Status quo", q, 1.0 - q
        if not resist:
            return "Concession", x, 1.0 - x
        if plan == 1:
            return "Back down", q - a, 1.0 - q + b
        return "War", pr - cost[type_], 1.0 - pr - c_t

    # agent form: players resolved Russia, irresolute Russia, West
    shape = (3, 3, 2)
    u_res, u_irr, u_w = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for i in range(3):
        for j in range(3):
            for k in range(2):
                _, r1, w1 = outcome(i, k == 1, "resolved")
                _, r2, w2 = outcome(j, k == 1, "irresolute")
                u_res[i, j, k], u_irr[i, j, k] = r1, r2
                u_w[i, j, k] = prior["resolved"] * w1 + prior["irresolute"] * w2
    nf = NormalFormGame.from_arrays(
        u_res, u_irr, u_w, players=("Russia (resolved)", "Russia (irresolute)", "West"),
        strategies=(_PLANS, _PLANS, ("Concede", "Resist")))
    solved = model.solve(p)
    beta = float(solved.details.get("beta", 1.0))
    rho = float(solved.details.get("rho", 0.0))
    res_fights = pr - cost["resolved"] > q - a
    irr_fights = pr - cost["irresolute"] > q - a
    prediction = {
        "Russia (resolved)": _plan_probs(1.0, res_fights),
        "Russia (irresolute)": _plan_probs(beta, irr_fights),
        "West": {"Concede": 1.0 - rho, "Resist": rho},
    }
    agents = (Agent("Russia", "resolved", _PLANS, pi),
              Agent("Russia", "irresolute", _PLANS, 1.0 - pi),
              Agent("West", None, ("Concede", "Resist")))

    def payoffs(moves: Mapping[str, tuple[str | None, str]]) -> tuple[str, dict[str, float]]:
        type_, plan = moves["Russia"]
        assert type_ is not None
        label, r, w = outcome(_PLANS.index(plan), moves["West"][1] == "Resist", type_)
        return label, {"Russia": r, "West": w}

    return ClassroomGame(
        name="threat", title="Is the threat credible? Compellence with private resolve",
        description=("Russia privately learns whether it is resolved (war is worth fighting) "
                     "or irresolute. It keeps the status quo or makes a demand; if the West "
                     "resists, Russia fights or backs down, paying an audience cost."),
        roles=("Russia", "West"), agents=agents, params=dict(p), normal_form=nf,
        prediction=prediction,
        outcome_labels=("Status quo", "Concession", "Back down", "War"),
        _payoffs=payoffs,
    )


def _plan_probs(demand: float, fights: bool) -> dict[str, float]:
    plan = {name: 0.0 for name in _PLANS}
    plan["Status quo"] = 1.0 - demand
    plan[_PLANS[2] if fights else _PLANS[1]] = demand
    return plan


CLASSROOM_GAMES = {"chicken": chicken_game, "threat": threat_game}


def make_game(name: str, params: Mapping[str, float] | None = None) -> ClassroomGame:
    """Build the classroom game ``name`` (``chicken`` or ``threat``)."""
    if name not in CLASSROOM_GAMES:
        raise ValueError(f"unknown classroom game {name!r}; choose {', '.join(CLASSROOM_GAMES)}")
    return CLASSROOM_GAMES[name](params)
