"""Old parameter names and role keys, mapped to the current ones for one release.

Until the models were given the neutral roles of their literature, two-sided
models named their sides after one crisis: parameters ended in ``_R`` and
``_W`` and a scenario's ``roles:`` used the keys ``Russia`` and ``West``.
This table maps, per model, every old name to the current one. It is applied
where names come in from outside: a model's own parameter resolution, a
scenario's analyses when they are bound, and parameters read from a URL.
Each use emits a :class:`DeprecationWarning` whose message names the
replacement.

The table is data, not logic: a model that never had other names has no
entry. It sits at the model layer and imports nothing from it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = [
    "PARAM_ALIASES",
    "ROLE_ALIASES",
    "current_param",
    "current_role",
    "resolve_param_aliases",
    "resolve_role_aliases",
    "deprecation_note",
]

V = TypeVar("V")

#: Per model: old parameter name -> current name.
PARAM_ALIASES: dict[str, dict[str, str]] = {
    "brinkmanship_window": {"D_R": "D_A", "D_W_soft": "D_B_soft", "D_W_hard": "D_B_hard"},
    "chicken_2x2": {
        "w_R": "w_A", "s_R": "s_A", "l_R": "l_A", "d_R": "d_A", "w_W": "w_B", "s_W": "s_B",
        "l_W": "l_B", "d_W": "d_B",
    },
    "commitment_guarantee_extension": {"c_R": "c_U"},
    "commitment_shifting_power": {"c_R": "c_U"},
    "escalation_ladder_complete": {"v_R": "v_A", "v_W": "v_B", "d_R": "d_A", "d_W": "d_B"},
    "escalation_ladder_incomplete": {
        "v_R": "v_A", "v_W": "v_B", "d_R": "d_A", "d_W_res": "d_B_res", "d_W_irr": "d_B_irr",
    },
    "fearon_bargaining_range": {"c_R": "c_A", "c_W": "c_B", "r_R": "r_A", "r_W": "r_B"},
    "fearon_tioli_private_costs": {"c_R": "c_A", "c_W": "c_B"},
    "iig_complete_info": {"c_R": "c_A", "c_W": "c_B"},
    "logit_aqre_extensive_form": {"c_R": "c_A", "c_W": "c_B"},
    "logit_qre_normal_form": {
        "w_R": "w_A", "s_R": "s_A", "l_R": "l_A", "d_R": "d_A", "w_W": "w_B", "s_W": "s_B",
        "l_W": "l_B", "d_W": "d_B",
    },
    "nash_bargaining": {"c_R": "c_A", "c_W": "c_B", "r_R": "r_A", "r_W": "r_B"},
    "rubinstein": {"delta_R": "delta_A", "delta_W": "delta_B"},
    "rubinstein_outside_option": {
        "delta_R": "delta_A", "delta_W": "delta_B", "c_R": "c_A", "c_W": "c_B",
    },
    "spatial_weighted_median_bdm": {"nato": "coalition"},
    "threat_game_complete_info": {"c_R": "c_A", "c_W": "c_B", "a_R": "a_A", "b_W": "b_B"},
    "threat_game_incomplete_info": {"c_W": "c_B", "a_R": "a_A", "b_W": "b_B"},
}

#: Per model: old role key of a scenario's ``roles:`` -> role id.
ROLE_ALIASES: dict[str, dict[str, str]] = {
    "brinkmanship_window": {"Russia": "challenger", "West": "target"},
    "chicken_2x2": {"Russia": "challenger", "West": "target"},
    "commitment_guarantee_extension": {"Russia": "declining", "West": "rising"},
    "commitment_shifting_power": {"Russia": "declining", "West": "rising"},
    "escalation_ladder_complete": {"Russia": "challenger", "West": "target"},
    "escalation_ladder_incomplete": {"Russia": "challenger", "West": "target"},
    "fearon_bargaining_range": {"Russia": "challenger", "West": "target"},
    "fearon_tioli_private_costs": {"Russia": "challenger", "West": "target"},
    "iig_complete_info": {"Russia": "side_a", "West": "side_b"},
    "logit_aqre_extensive_form": {"Russia": "side_a", "West": "side_b"},
    "logit_qre_normal_form": {"Russia": "challenger", "West": "target"},
    "nash_bargaining": {"Russia": "side_a", "West": "side_b"},
    "rubinstein": {"Russia": "side_a", "West": "side_b"},
    "rubinstein_outside_option": {"Russia": "side_a", "West": "side_b"},
    "sanctions_complete_info": {"West": "sender", "Russia": "target"},
    "sanctions_incomplete_info": {"West": "sender", "Russia": "target"},
    "sanctions_severity_window": {"West": "sender", "Russia": "target"},
    "spatial_weighted_median_bdm": {"Russia": "challenger", "West": "coalition"},
    "threat_game_complete_info": {"Russia": "challenger", "West": "target"},
    "threat_game_incomplete_info": {"Russia": "challenger", "West": "target"},
}

def deprecation_note(model: str, kind: str, old: str, new: str) -> str:
    """The one-line note shown when an old name is used."""
    return (f"{model}: {kind} {old!r} is the old name of {new!r}; it still works in this "
            f"release but will be removed, use {new!r}")


def current_param(model: str, name: str) -> str | None:
    """The current name of an old parameter name of ``model``, or ``None``."""
    return PARAM_ALIASES.get(model, {}).get(name)


def current_role(model: str, key: str) -> str | None:
    """The role id an old role key of ``model`` stands for, or ``None``."""
    return ROLE_ALIASES.get(model, {}).get(key)


def _resolve(model: str, given: Mapping[str, V], table: Mapping[str, str],
             kind: str) -> dict[str, V]:
    out: dict[str, V] = {}
    for key, value in given.items():
        new = table.get(key)
        if new is None:
            out[key] = value
            continue
        warnings.warn(deprecation_note(model, kind, key, new), DeprecationWarning,
                      stacklevel=4)
        if new in given:
            raise ValueError(f"{model}: both {key!r} and its current name {new!r} are given")
        out[new] = value
    return out


def resolve_param_aliases(model: str, params: Mapping[str, V]) -> dict[str, V]:
    """``params`` with old parameter names of ``model`` renamed (with a warning)."""
    return _resolve(model, params, PARAM_ALIASES.get(model, {}), "parameter")


def resolve_role_aliases(model: str, roles: Mapping[str, Any]) -> dict[str, Any]:
    """A scenario's ``roles:`` mapping with old role keys renamed (with a warning)."""
    return _resolve(model, roles, ROLE_ALIASES.get(model, {}), "role")
