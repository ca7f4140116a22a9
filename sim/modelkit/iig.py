"""What the models of the International Interaction Game share.

The game (:mod:`sim.kernels.iig`) is one tree between Side A and Side B. Its
complete-information solution (:mod:`sim.models.iig_complete_info`) and its
agent logit QRE (:mod:`sim.models.logit_aqre_extensive_form`) name the same
roles, outcomes and regimes, and check the same utilities.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.kernels.iig import IIG_REGIMES, OUTCOME_LABELS, OUTCOMES
from sim.modelkit.vocabulary import SIDES, check_iig_utilities
from sim.models.base import Model

__all__ = ["IIGModel"]


class IIGModel(Model):
    """A model whose game is the International Interaction Game's tree.

    Bueno de Mesquita & Lalman (1992), *War and Reason*, ch. 3.
    """

    roles = SIDES
    outcomes = tuple(OUTCOME_LABELS[o] for o in OUTCOMES)
    regimes = IIG_REGIMES

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        check_iig_utilities(values)
