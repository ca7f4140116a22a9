"""Adapters from model_cases.json to the Chicken, brinkmanship, ladder and QRE models.

Each adapter takes a whole case dict, maps the case's parameter names onto
the registered model, solves it, and returns exactly the case's expected keys
computed by the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.models import get_model

__all__ = ["ADAPTERS"]


def _pick(computed: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    missing = sorted(set(expected) - set(computed))
    if missing:
        raise KeyError(f"adapter cannot compute expected key(s) {missing}")
    return {k: computed[k] for k in expected}


def _chicken_payoffs(params: dict[str, Any]) -> dict[str, float]:
    """``{"R": {w, s, l, d}, "W": {...}}`` (or flat ``w_R``...) as model parameters."""
    if "R" in params:
        return {f"{k}_{side}": float(params[side][k]) for side in ("R", "W") for k in "wsld"}
    return {f"{k}_{side}": float(params[f"{k}_{side}"]) for side in ("R", "W") for k in "wsld"}


def chicken_2x2(case: dict[str, Any]) -> dict[str, Any]:
    out = get_model("chicken_2x2").solve(_chicken_payoffs(case["params"]))
    d = out.details
    computed = {
        "n_equilibria": d["n_equilibria"],
        "pure_equilibria": d["pure_equilibria"],
        "firm_R": d["firm_R_mixed"],
        "firm_W": d["firm_W_mixed"],
        "p_war": d["p_war_mixed"],
        "eu_R_mixed": d["eu_R_mixed"],
        "eu_W_mixed": d["eu_W_mixed"],
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


def _ladder_params(params: dict[str, Any], names: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in params.items():
        if k not in names:
            raise KeyError(f"ladder case parameter {k!r} is not a model parameter")
        out[k] = [float(x) for x in v] if isinstance(v, list) else v
    return out


def escalation_ladder_complete(case: dict[str, Any]) -> dict[str, Any]:
    model = get_model("escalation_ladder_complete")
    out = model.solve(_ladder_params(case["params"], {s.name for s in model.params}))
    d = out.details
    computed = {
        "actions_by_step": d["actions_by_step"],
        "path": d["path"],
        "p_disaster": out.p_war,
        "eu_R": out.payoffs["Russia"],
        "eu_W": out.payoffs["West"],
        "critical_risk_R": d["critical_risk_R"],
        "critical_risk_W": d["critical_risk_W"],
    }
    return _pick(computed, case["expected"])


def escalation_ladder_incomplete(case: dict[str, Any]) -> dict[str, Any]:
    model = get_model("escalation_ladder_incomplete")
    out = model.solve(_ladder_params(case["params"], {s.name for s in model.params}))
    d = out.details
    computed = {
        "esc_prob": d["esc_prob"],
        "mu3": d["beliefs_by_step"].get("R3"),
        "p_disaster": out.p_war,
        "eu_R": out.payoffs["Russia"],
        "eu_W_ex_ante": out.payoffs["West"],
        "eu_W_res": d["eu_W_res"],
        "eu_W_irr": d["eu_W_irr"],
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
    computed = {"firm_R": d["firm_R"], "firm_W": d["firm_W"], "p_war": out.p_war,
                "limit_selection": d["limit_selection"]}
    return _pick(computed, case["expected"])


ADAPTERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "chicken_2x2": chicken_2x2,
    "brinkmanship_window": brinkmanship_window,
    "escalation_ladder_complete": escalation_ladder_complete,
    "escalation_ladder_incomplete": escalation_ladder_incomplete,
    "logit_qre_normal_form": logit_qre_normal_form,
}
