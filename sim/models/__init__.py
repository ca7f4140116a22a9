"""Coercive-bargaining models (``docs/models/``) and their registry."""

from sim.models.base import (
    FAMILIES,
    BatchOutcome,
    Flags,
    Model,
    ModelError,
    Outcome,
    ParamSpec,
)
from sim.models.registry import all_models, get_model

__all__ = [
    "FAMILIES",
    "BatchOutcome",
    "Flags",
    "Model",
    "ModelError",
    "Outcome",
    "ParamSpec",
    "all_models",
    "get_model",
]
