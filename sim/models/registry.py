"""The registry of models: every module in ``sim.models`` that exports ``MODELS``.

Each model module ends with ``MODELS = (ModelA(), ModelB())``. Discovery is by
module, so adding a model means adding a module (see ``docs/adding-a-model.md``);
a test checks that every module registers at least one model and that names
are unique. The infrastructure modules listed in ``REGISTRY_EXCLUDED`` hold no
models; what models share (parameter vocabulary, aliases, rendering) is in
``sim.modelkit``, so that no model module imports another module of ``sim.models``
but ``base``.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from sim.models.base import FAMILIES, Model, ModelError

__all__ = ["all_models", "get_model", "model_modules", "REGISTRY_EXCLUDED"]

#: Modules of ``sim.models`` that hold infrastructure, not models.
REGISTRY_EXCLUDED = frozenset({"base", "registry"})


def model_modules() -> list[str]:
    """Names of the modules that must register models."""
    import sim.models as package

    return sorted(
        m.name
        for m in pkgutil.iter_modules(package.__path__)
        if not m.ispkg and m.name not in REGISTRY_EXCLUDED and not m.name.startswith("_")
    )


@cache
def _registry() -> dict[str, Model]:
    found: dict[str, Model] = {}
    for module_name in model_modules():
        module = importlib.import_module(f"sim.models.{module_name}")
        for model in getattr(module, "MODELS", ()):
            if model.name in found:
                raise RuntimeError(f"model name {model.name!r} registered twice")
            if model.family not in FAMILIES:
                raise RuntimeError(f"model {model.name!r} has unknown family {model.family!r}")
            found[model.name] = model
    return dict(sorted(found.items()))


def all_models() -> dict[str, Model]:
    """Every registered model, keyed by name."""
    return dict(_registry())


def get_model(name: str) -> Model:
    """The model registered as ``name``; raises ModelError with a suggestion."""
    models = _registry()
    if name in models:
        return models[name]
    import difflib

    close = difflib.get_close_matches(name, list(models), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ModelError(f"unknown model {name!r}{hint}")
