"""Adapters from model_cases.json to the Fearon, threat-game, sanctions and bargaining models.

Each adapter takes a whole case dict, maps the case's parameter names
(``c_A``/``c_B``, ``c_C``/``c_T``, ``delta_1``/``delta_2``, ``prior_res`` ...)
onto the registered model, solves it, and returns exactly the case's expected
keys computed by the model. Player "A", "C" or "1" of a case is the model's
side A (the first proposer or the challenger); in the sanctions cases S is
the sender and T the target.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sim.models import get_model

__all__ = ["ADAPTERS"]

#: Outcome words of the cases (threat-game vocabulary) for the models' labels.
_CASE_OUTCOME = {
    "Status quo": "SQ",
    "Concession": "Concede",
    "Compliance": "Concede",
    "War": "Execute",
    "Imposition": "Execute",
    "Back down": "Backdown",
}


def _pick(computed: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    missing = sorted(set(expected) - set(computed))
    if missing:
        raise KeyError(f"adapter cannot compute expected key(s) {missing}")
    return {k: computed[k] for k in expected}


def _get(params: dict[str, Any], *names: str, default: Any = None) -> Any:
    for n in names:
        if n in params:
            return params[n]
    return default


def _proposer(params: dict[str, Any]) -> int:
    """0 when A (Challenger) proposes, 1 when B (Target) does; cases default to A."""
    who = _get(params, "proposer", default="A")
    if isinstance(who, int | float):
        return int(who)
    return 1 if str(who).strip().upper() in ("B", "W", "WEST", "US/NATO") else 0


def fearon_bargaining_range(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    values = {
        "p": pr["p"],
        "c_A": _get(pr, "c_A", "c_R", "c_1"),
        "c_B": _get(pr, "c_B", "c_W", "c_2"),
        "r_A": _get(pr, "r_A", "r_R", "r_1", default=1.0),
        "r_B": _get(pr, "r_B", "r_W", "r_2", default=1.0),
    }
    if "q" in pr:
        values["q"] = pr["q"]
    if "x" in pr:
        values["x"] = pr["x"]
    model = get_model("fearon_bargaining_range")
    out = model.solve(values)
    d = out.details
    computed: dict[str, Any] = {
        "lower": d["lower"],
        "upper": d["upper"],
        "nonempty": d["nonempty"],
        "width": d["width"],
        "tioli_A_proposes_x": d["tioli_challenger_proposes"],
        "tioli_B_proposes_x": d["tioli_target_proposes"],
        "demand_inside_range": d["demand_inside_range"],
        "status_quo_inside_range": d["status_quo_inside_range"],
        "p_war": out.p_war,
        "assumption_violated": out.flags.assumption_violated,
    }
    # Keys such as "challenger_maximal_demand_0_9_inside_range" name the demand.
    for key in case["expected"]:
        m = re.search(r"demand_(\d+)_(\d+)_inside_range$", key)
        if m:
            x = float(f"{m.group(1)}.{m.group(2)}")
            computed[key] = model.solve({**values, "x": x}).details["demand_inside_range"]
    return _pick(computed, case["expected"])


def fearon_tioli_private_costs(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    values = {
        "p": pr["p"],
        "c_A": _get(pr, "c_A", "c_R", default=0.0),
        "c_B": _get(pr, "c_B", "c_W", default=0.0),
        "c_lo": pr["c_lo"],
        "c_hi": pr["c_hi"],
        "proposer": _proposer(pr),
    }
    out = get_model("fearon_tioli_private_costs").solve(values)
    d = out.details
    computed = {
        "x_star": d["x_star"],
        "p_war": out.p_war,
        "eu_A": d["eu_A"],
        "eu_B": d["eu_B"],
    }
    return _pick(computed, case["expected"])


def threat_game_complete_info(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    values = {"q": pr["q"], "x": pr["x"], "p": pr["p"], "c_A": pr["c_C"], "c_B": pr["c_T"],
              "a_A": pr.get("a", 0.0), "b_B": pr.get("b", 0.0)}
    out = get_model("threat_game_complete_info").solve(values)
    d = out.details
    computed = {
        "outcome": _CASE_OUTCOME[out.outcome],
        "payoff_C": out.payoffs["Challenger"],
        "payoff_T": out.payoffs["Target"],
        "C_would_execute": d["credible"],
        "T_concedes_if_challenged": d["target_concedes_if_challenged"],
        "C_challenges": d["challenger_demands"],
        "endogenous_demand_x_star": d["x_star"],
        "p_war": out.p_war,
    }
    return _pick(computed, case["expected"])


def _ii_computed(out: Any, threatener: str, target: str) -> dict[str, Any]:
    d = out.details
    probs = list(out.probabilities.values())  # SQ, give in, execute, back down
    return {
        "regime": out.regime,
        "mu_star": d["mu_star"],
        "rho_star": d["rho_star"],
        "beta": d["beta"],
        "rho": d["rho"],
        "posterior": d["posterior"],
        "P_sq": probs[0],
        "P_concede": probs[1],
        "P_execute": probs[2],
        "P_backdown": probs[3],
        "p_war": out.p_war,
        "eu_threatener_resolved": d["eu_resolved"],
        "eu_threatener_irresolute": d["eu_irresolute"],
        "eu_threatener": out.payoffs[threatener],
        "eu_target": out.payoffs[target],
        "no_threat_pbe_also_exists": d["no_threat_pbe_also_exists"],
        "multiple_equilibria": out.flags.multiple_equilibria,
        "boundary": out.flags.boundary,
    }


def threat_game_incomplete_info(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    values = {"q": pr["q"], "x": pr["x"], "p": pr["p"], "c_B": pr["c_T"],
              "a_A": pr.get("a", 0.0), "b_B": pr.get("b", 0.0), "c_res": pr["c_res"],
              "c_irr": pr["c_irr"], "pi": _get(pr, "prior_res", "pi")}
    out = get_model("threat_game_incomplete_info").solve(values)
    return _pick(_ii_computed(out, "Challenger", "Target"), case["expected"])


def sanctions_complete_info(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    keys = ("V_S", "V_T", "k_S", "k_T", "a_S", "b_T")
    out = get_model("sanctions_complete_info").solve({k: pr[k] for k in keys if k in pr})
    d = out.details
    computed = {
        "outcome": _CASE_OUTCOME[out.outcome],
        "payoff_S": out.payoffs["Sender"],
        "payoff_T": out.payoffs["Target"],
        "S_would_impose": d["sender_would_impose"],
        "T_complies_if_threatened": d["target_complies_if_threatened"],
        "S_threatens": d["sender_threatens"],
        "p_war": out.p_war,
    }
    return _pick(computed, case["expected"])


def sanctions_severity_window(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    keys = ("K_T", "K_S", "V_T", "a_S", "V_S", "b_T")
    out = get_model("sanctions_severity_window").solve({k: pr[k] for k in keys if k in pr})
    d = out.details
    computed = {
        "s_effective_min": d["s_effective_min"],
        "s_credible_max": d["s_credible_max"],
        "window_nonempty": d["window_nonempty"],
        "s_star": d["s_star"],
        "outcome": _CASE_OUTCOME[out.outcome],
        "payoff_S": out.payoffs["Sender"],
        "payoff_T": out.payoffs["Target"],
    }
    return _pick(computed, case["expected"])


def sanctions_incomplete_info(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    keys = ("V_S", "V_T", "k_T", "a_S", "b_T", "k_S_res", "k_S_irr")
    values = {k: pr[k] for k in keys if k in pr}
    values["pi"] = _get(pr, "prior_res", "pi")
    out = get_model("sanctions_incomplete_info").solve(values)
    return _pick(_ii_computed(out, "Sender", "Target"), case["expected"])


def rubinstein(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    out = get_model("rubinstein").solve(
        {"delta_A": pr["delta_1"], "delta_B": pr["delta_2"], "proposer": 0})
    d = out.details
    computed = {"x1": d["x1"], "x2": d["x2"],
                "continuous_time_limit_x1": d["continuous_time_limit_x1"]}
    return _pick(computed, case["expected"])


def rubinstein_outside_option(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    out = get_model("rubinstein_outside_option").solve({
        "delta_A": pr["delta_1"], "delta_B": pr["delta_2"], "proposer": 0,
        "p": pr["p"], "c_A": pr["c_1"], "c_B": pr["c_2"],
    })
    d = out.details
    computed = {k: d[k] for k in ("x1", "x2", "w1", "w2", "rubinstein_x1_without_options",
                                  "option_1_binding", "option_2_binding")}
    computed["p_war"] = out.p_war
    return _pick(computed, case["expected"])


def nash_bargaining(case: dict[str, Any]) -> dict[str, Any]:
    pr = case["params"]
    out = get_model("nash_bargaining").solve({
        "p": pr["p"], "c_A": pr["c_1"], "c_B": pr["c_2"],
        "alpha": pr.get("alpha", 0.5), "r_A": pr.get("r_1", 1.0), "r_B": pr.get("r_2", 1.0),
    })
    d = out.details
    computed = {k: d[k] for k in ("x1", "u1", "u2", "d1", "d2")}
    computed["x2"] = 1.0 - d["x1"]
    return _pick(computed, case["expected"])


ADAPTERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "fearon_bargaining_range": fearon_bargaining_range,
    "fearon_tioli_private_costs": fearon_tioli_private_costs,
    "threat_game_complete_info": threat_game_complete_info,
    "threat_game_incomplete_info": threat_game_incomplete_info,
    "sanctions_complete_info": sanctions_complete_info,
    "sanctions_severity_window": sanctions_severity_window,
    "sanctions_incomplete_info": sanctions_incomplete_info,
    "rubinstein": rubinstein,
    "rubinstein_outside_option": rubinstein_outside_option,
    "nash_bargaining": nash_bargaining,
}
