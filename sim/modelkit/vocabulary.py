"""The parameter vocabulary: common parameters declared once, specialised by role.

Two-sided models call their sides A and B (``docs/models/README.md``): side A
is the challenger, demander or first proposer and ``x`` is its share; side B
is the target or responder. A factory here returns the :class:`ParamSpec` of
one common parameter for one side, so that ``p``, the two war costs, ``q``,
``x``, the discount factors, priors and the logit precision mean the same
everywhere and are written once. ``who`` is the display name of the side the
parameter belongs to (``"Challenger"``, ``"Side A"``), used in its meaning.

Choice parameters (``choice``) carry their option labels as data, so that no
view ever has to parse a description.

Groups of parameters that a family of models shares (the escalation ladder,
the commitment problem, the sanctions game, alternating offers) are at the
end of the module, with the cross-parameter checks that go with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from sim.kernels.chicken import chicken_order_violation
from sim.kernels.iig import OUTCOMES, utility_vector_problem
from sim.models.base import ModelError, ParamSpec

__all__ = [
    "CHALLENGER_TARGET",
    "SENDER_TARGET",
    "SIDES",
    "DECLINING_RISING",
    "win_probability",
    "war_cost",
    "utility_exponent",
    "status_quo",
    "demand",
    "discount",
    "audience_cost",
    "prior",
    "precision",
    "choice",
    "payoff",
    "chicken_payoffs",
    "check_chicken",
    "ladder_params",
    "check_risks",
    "commitment_params",
    "check_power_shift",
    "sanction_params",
    "alternating_offer_params",
    "iig_params",
    "check_iig_utilities",
]


# The role pairs of the literature, as a model's ``roles`` (role id: display name).
CHALLENGER_TARGET: Mapping[str, str] = MappingProxyType(
    {"challenger": "Challenger", "target": "Target"})
SENDER_TARGET: Mapping[str, str] = MappingProxyType({"sender": "Sender", "target": "Target"})
SIDES: Mapping[str, str] = MappingProxyType({"side_a": "Side A", "side_b": "Side B"})
DECLINING_RISING: Mapping[str, str] = MappingProxyType(
    {"declining": "Declining state", "rising": "Rising state"})


def win_probability(who: str, default: float = 0.65, *, name: str = "p",
                    meaning: str | None = None) -> ParamSpec:
    """``p``: the probability that ``who`` imposes its terms by war."""
    return ParamSpec(name, default, unit="probability", symbol=name,
                     meaning=meaning or f"probability that {who} imposes its terms by war")


def war_cost(side: str, who: str, default: float, *, lo: float = 0.0, hi: float = 1.0,
             note: str = "") -> ParamSpec:
    """``c_<side>``: the cost of war to ``who``, as a share of the pie."""
    name = f"c_{side}"
    return ParamSpec(name, default, lo=lo, hi=hi, symbol=name,
                     meaning=f"{who}'s cost of war{f' ({note})' if note else ''}")


def utility_exponent(side: str, who: str) -> ParamSpec:
    """``r_<side>``: the exponent of ``u(z) = z**r``; below 1 is risk averse."""
    name = f"r_{side}"
    return ParamSpec(name, 1.0, lo=0.05, unit="exponent", symbol=name,
                     meaning=f"{who}'s utility exponent (below 1: risk averse)")


def status_quo(who: str, default: float = 0.2, *, meaning: str | None = None) -> ParamSpec:
    """``q``: side A's share at the status quo."""
    return ParamSpec("q", default, symbol="q",
                     meaning=meaning or f"status quo share of {who}'s demands")


def demand(who: str, default: float = 0.9, *, meaning: str | None = None) -> ParamSpec:
    """``x``: side A's demand, as its share of the pie."""
    return ParamSpec("x", default, symbol="x",
                     meaning=meaning or f"{who}'s demand (share of its package)")


def discount(side: str | None, who: str, default: float, *, lo: float = 0.0,
             hi: float = 0.999999, unit: str = "per round") -> ParamSpec:
    """``delta_<side>`` (``delta`` when common to both): the discount factor."""
    name = "delta" if side is None else f"delta_{side}"
    symbol = "δ" if side is None else f"δ_{side}"
    meaning = (f"how much {who} value the future (common discount factor)" if side is None
               else f"{who}'s discount factor (patience)")
    return ParamSpec(name, default, lo=lo, hi=hi, step=0.01, unit=unit, meaning=meaning,
                     symbol=symbol)


def audience_cost(side: str, who: str, default: float = 0.1) -> ParamSpec:
    """``a_<side>``: the cost to ``who`` of backing down from its own threat."""
    name = f"a_{side}"
    return ParamSpec(name, default, hi=1.0, symbol=name,
                     meaning=f"{who}'s audience cost of backing down")


def prior(name: str, default: float, meaning: str, *, symbol: str = "π") -> ParamSpec:
    """A prior probability (``π``): the chance of one type, as the other side believes."""
    return ParamSpec(name, default, lo=0.0, hi=1.0, step=0.01, unit="probability",
                     meaning=meaning, symbol=symbol)


def precision(default: float = 5.0, *, hi: float = 200.0, unit: str = "1/utility",
              meaning: str = "logit precision λ: 0 is uniform play, large is near Nash",
              ) -> ParamSpec:
    """``lam``: the logit precision λ of a quantal response equilibrium."""
    return ParamSpec("lam", default, lo=0.0, hi=hi, step=0.1, unit=unit, meaning=meaning,
                     symbol="λ")


def choice(name: str, options: Sequence[str], meaning: str, *, default: int = 0,
           symbol: str | None = None, unit: str = "choice") -> ParamSpec:
    """A switch among ``options``: value ``k`` selects ``options[k]``."""
    return ParamSpec(name, default, lo=0, hi=len(options) - 1, step=1, unit=unit,
                     meaning=meaning, symbol=symbol or name, kind="integer",
                     options=tuple(options))


def demand_rule(stated: str, answer: str, meaning: str) -> ParamSpec:
    """Whether the stated demand ``x`` or Challenger's optimal demand ``x*`` is answered."""
    return choice("demand_rule", (stated, f"optimal: Challenger demands x*, the most it expects "
                                          f"Target to {answer}"), meaning, symbol="demand")


def optimism(who: str = "Challenger", name: str = "o_A") -> ParamSpec:
    """How far ``who`` overestimates its chance ``p`` of prevailing (mutual optimism)."""
    return ParamSpec(name, 0.0, unit="probability", symbol=name,
                     meaning=f"how far {who} overestimates its chance p of prevailing "
                             "(optimism); 0 when both sides agree on p")


def payoff(name: str, default: float, meaning: str, *, lo: float = -10.0,
           hi: float = 10.0) -> ParamSpec:
    """A payoff in utility units (normal-form games)."""
    return ParamSpec(name, default, lo=lo, hi=hi, step=0.1, unit="utility",
                     meaning=meaning, symbol=name)


# -- family groups ----------------------------------------------------------------


def chicken_payoffs(A: str, B: str) -> tuple[ParamSpec, ...]:
    """The eight payoffs of 2×2 Chicken, side A's then side B's."""
    out = []
    for side, me, other, w, s, l, d in (("A", A, B, 1.0, 0.5, 0.0, -1.0),  # noqa: E741
                                         ("B", B, A, 1.0, 0.5, 0.0, -3.0)):
        out += [
            payoff(f"w_{side}", w, f"{me}'s payoff when it stands firm and {other} swerves"),
            payoff(f"s_{side}", s, f"{me}'s payoff when both swerve (compromise)"),
            payoff(f"l_{side}", l, f"{me}'s payoff when it swerves and {other} stands firm"),
            payoff(f"d_{side}", d, f"{me}'s payoff when both stand firm (war)"),
        ]
    return tuple(out)


def check_chicken(model: str, values: Mapping[str, Any]) -> None:
    """Raise ModelError unless both sides' payoffs have Chicken's order."""
    problem = chicken_order_violation(values)
    if problem is not None:
        raise ModelError(f"{model}: {problem}")


def ladder_params(A: str, B: str) -> tuple[ParamSpec, ...]:
    """The escalation ladder's rungs, values and side A's disaster cost."""
    return (
        ParamSpec("K", 4, lo=2, hi=12, step=1, unit="steps", kind="integer",
                  meaning="number of rungs (ignored when risks are given)", symbol="K"),
        ParamSpec("r_1", 0.1, lo=0.0, hi=1.0, step=0.01, unit="probability",
                  meaning="risk of disaster when escalating at the first rung", symbol="r_1"),
        ParamSpec("r_step", 0.1, lo=0.0, hi=1.0, step=0.01, unit="probability",
                  meaning="increase of the risk per rung (last rung is certain war)",
                  symbol="Δr"),
        ParamSpec("risks", (), lo=0.0, hi=1.0, step=0.01, unit="probability", kind="vector",
                  meaning="explicit risk per rung, non-decreasing, ending in 1 "
                          "(overrides K, r_1, r_step)", symbol="r_k"),
        ParamSpec("v_A", 1.0, lo=0.01, hi=10.0, step=0.05, unit="utility",
                  meaning=f"value to {A} of {B} quitting", symbol="v_A"),
        ParamSpec("v_B", 1.0, lo=0.01, hi=10.0, step=0.05, unit="utility",
                  meaning=f"value to {B} of {A} quitting", symbol="v_B"),
        ParamSpec("d_A", 2.0, lo=0.0, hi=10.0, step=0.05, unit="utility",
                  meaning=f"{A}'s cost of disaster", symbol="d_A"),
    )


def check_risks(model: str, risks: Sequence[float]) -> None:
    """Raise ModelError unless the schedule is non-decreasing and ends in 1."""
    if len(risks) < 2:
        raise ModelError(f"{model}: risks needs at least two rungs, got {len(risks)}")
    if any(b < a for a, b in zip(risks, risks[1:], strict=False)):
        raise ModelError(f"{model}: risks must be non-decreasing, got {list(risks)}")
    if risks[-1] != 1.0:
        raise ModelError(f"{model}: the last rung is deliberate war, so risks[-1] must be 1; "
                         f"got {risks[-1]:g}")


def commitment_params() -> tuple[ParamSpec, ...]:
    """Powell's shifting-power game: δ, the two win probabilities and the war costs."""
    return (
        discount(None, "both sides", 0.9, lo=0.01, hi=0.99, unit="discount factor"),
        win_probability("the declining state", 0.6, name="p0",
                        meaning="the declining state's chance of winning a war started now"),
        win_probability("the declining state", 0.3, name="p1",
                        meaning="the declining state's chance of winning a war started "
                                "after the shift in power"),
        war_cost("D", "the declining state", 0.05),
        war_cost("U", "the rising state", 0.05),
    )


def check_power_shift(values: Mapping[str, Any]) -> None:
    """Power must shift against the declining state: ``p1 <= p0``."""
    if values["p1"] > values["p0"]:
        raise ModelError(
            f"p1: {values['p1']:g} exceeds p0 = {values['p0']:g}; "
            "this model needs power to shift against the declining state (p1 <= p0)"
        )


def sanction_params() -> tuple[ParamSpec, ...]:
    """The value parameters of the sanctions game (Lacy & Niou 2004)."""
    return (
        ParamSpec("V_S", 1.0, hi=10.0, unit="utility",
                  meaning="Sender's value of Target complying", symbol="V_S"),
        ParamSpec("V_T", 0.6, hi=10.0, unit="utility",
                  meaning="Target's cost of complying", symbol="V_T"),
        ParamSpec("k_T", 0.8, hi=10.0, unit="utility",
                  meaning="Target's cost of imposed sanctions", symbol="k_T"),
        ParamSpec("a_S", 0.2, hi=10.0, unit="utility",
                  meaning="Sender's cost of backing down from its threat", symbol="a_S"),
        ParamSpec("b_T", 0.0, hi=10.0, unit="utility",
                  meaning="Target's gain if Sender backs down", symbol="b_T"),
    )


def alternating_offer_params(A: str, B: str) -> tuple[ParamSpec, ...]:
    """Discount factors and the first proposer of alternating-offers bargaining."""
    return (
        discount("A", A, 0.95),
        discount("B", B, 0.85),
        choice("proposer", (A, B), "who proposes first"),
    )


def iig_params() -> tuple[ParamSpec, ...]:
    """The International Interaction Game's utilities and the shares that generate them."""
    order = ", ".join(OUTCOMES)
    return (
        ParamSpec("U_A", (), -10.0, 10.0, 0.01, "utility",
                  f"Side A's utilities over ({order}); empty = generate from the sliders",
                  "U_A", "vector"),
        ParamSpec("U_B", (), -10.0, 10.0, 0.01, "utility",
                  f"Side B's utilities over ({order}); empty = generate from the sliders",
                  "U_B", "vector"),
        status_quo("Side A", meaning="Side A's share at the status quo"),
        demand("Side A", meaning="Side A's share if Side B acquiesces to its demand"),
        ParamSpec("y", 0.1, meaning="Side A's share if it acquiesces to Side B's demand",
                  symbol="y"),
        win_probability("Side A",
                        meaning="Side A's chance of winning a war; also its negotiated share"),
        war_cost("A", "Side A", 0.15),
        war_cost("B", "Side B", 0.10),
        ParamSpec("f", 0.05, meaning="extra cost of being attacked (first-strike advantage)",
                  symbol="f"),
        ParamSpec("h", 0.1, 0.0, 0.5, meaning="humiliation cost of capitulating", symbol="h"),
    )


def check_iig_utilities(values: Mapping[str, Any]) -> None:
    """Explicit utility vectors must both be given, with one entry per outcome."""
    problem = utility_vector_problem(values["U_A"], values["U_B"])
    if problem is not None:
        raise ModelError(problem)
