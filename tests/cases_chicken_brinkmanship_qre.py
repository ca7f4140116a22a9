"""Adapters from model_cases.json to the Chicken, brinkmanship, ladder and QRE models.

Each adapter takes a whole case dict, maps the case's parameter names onto
the registered model, solves it, and returns exactly the case's expected keys
computed by the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.modelkit.aliases import current_param
from sim.models import get_model

__all__ = ["ADAPTERS"]


def _pick(computed: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    missing = sorted(set(expected) - set(computed))
    if missing:
        raise KeyError(f"adapter cannot compute expected key(s) {missing}")
    return {k: computed[k] for k in expected}


def _chicken_payoffs(params: dict[str, Any]) -> dict[str, float]:
    """``{"R": {w, s, l, d}, "W": {...}}`` (or flat ``w_R``...) as model parameters.

    The cases name side A ``R`` and side B ``W``.
    """
    sides = (("R", "A"), ("W", "B"))
    if "R" in params:
        return {f"{k}_{new}": float(params[old][k]) for old, new in sides for k in "wsld"}
    return {f"{k}_{new}": float(params[f"{k}_{old}"]) for old, new in sides for k in "wsld"}


def chicken_2x2(case: dict[str, Any]) -> dict[str, Any]:
    out = get_model("chicken_2x2").solve(_chicken_payoffs(case["params"]))
    d = out.details
    computed = {
        "n_equilibria": d["n_equilibria"],
        "pure_equilibria": d["pure_equilibria"],
        "firm_R": d["firm_A_mixed"],
        "firm_W": d["firm_B_mixed"],
        "p_war": d["p_war_mixed"],
        "eu_R_mixed": d["eu_A_mixed"],
        "eu_W_mixed": d["eu_B_mixed"],
        "qre_limit": d["qre_limit"],
    }
    return _pick(computed, case["expected"])


def brinkmanship_window(case: dict[str, Any]) -> dict[str, Any]:
    out = get_model("brinkmanship_window").solve(
        {k: float(v) for k, v in case["params"].items()})
    d = out.details
    computed = {
        "threat": d["threat"],
        "r_star": d["r_star"],
        "r_low": d["r_low"],
        "r_high": d["r_high"],
        "p_war": out.p_war,
        "eu_threatener": d["eu_threatener"],
        "eu_target": d["eu_target"],
        "boundary": out.flags.boundary,
        "pi_hard_critical": d["pi_hard_critical"],
        "regime": out.regime,
    }
    return _pick(computed, case["expected"])


def _ladder_params(params: dict[str, Any], names: set[str], model: str) -> dict[str, Any]:
    """The case's parameters under the ladder models' names (``v_R`` is ``v_A``)."""
    out: dict[str, Any] = {}
    for old, v in params.items():
        k = current_param(model, old) or old
        if k not in names:
            raise KeyError(f"ladder case parameter {k!r} is not a model parameter")
        out[k] = [float(x) for x in v] if isinstance(v, list) else v
    return out


def escalation_ladder_complete(case: dict[str, Any]) -> dict[str, Any]:
    model = get_model("escalation_ladder_complete")
    out = model.solve(_ladder_params(case["params"], {s.name for s in model.params}, model.name))
    d = out.details
    computed = {
        "actions_by_step": d["actions_by_step"],
        "path": d["path"],
        "p_disaster": out.p_war,
        "eu_R": out.payoffs["Challenger"],
        "eu_W": out.payoffs["Target"],
        "critical_risk_R": d["critical_risk_A"],
        "critical_risk_W": d["critical_risk_B"],
    }
    return _pick(computed, case["expected"])


def escalation_ladder_incomplete(case: dict[str, Any]) -> dict[str, Any]:
    model = get_model("escalation_ladder_incomplete")
    out = model.solve(_ladder_params(case["params"], {s.name for s in model.params}, model.name))
    d = out.details
    # The cases key side A's information sets R<k> and side B's W<k>.
    case_key = {"A": "R", "B": "W"}
    computed = {
        "esc_prob": {case_key[k[0]] + k[1:]: v for k, v in d["esc_prob"].items()},
        "mu3": d["beliefs_by_step"].get("A3"),
        "p_disaster": out.p_war,
        "eu_R": out.payoffs["Challenger"],
        "eu_W_ex_ante": out.payoffs["Target"],
        "eu_W_res": d["eu_B_res"],
        "eu_W_irr": d["eu_B_irr"],
    }
    for key, mu in d["beliefs_by_step"].items():
        computed[f"mu{key[1:]}"] = mu
    return _pick(computed, case["expected"])


def logit_qre_normal_form(case: dict[str, Any]) -> dict[str, Any]:
    params = case["params"]
    values: dict[str, Any] = _chicken_payoffs(params)
    values["lam"] = float(params.get("lambda", params.get("lam")))
    if "normalise" in params:
        values["normalise"] = int(params["normalise"])
    out = get_model("logit_qre_normal_form").solve(values)
    d = out.details
    computed = {"firm_R": d["firm_A"], "firm_W": d["firm_B"], "p_war": out.p_war,
                "limit_selection": d["limit_selection"]}
    return _pick(computed, case["expected"])


ADAPTERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "chicken_2x2": chicken_2x2,
    "brinkmanship_window": brinkmanship_window,
    "escalation_ladder_complete": escalation_ladder_complete,
    "escalation_ladder_incomplete": escalation_ladder_incomplete,
    "logit_qre_normal_form": logit_qre_normal_form,
}
