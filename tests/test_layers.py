"""Every import arrow runs down the layers, and no model imports another model.

The layers, bottom first: ``sim.games`` and ``sim.kernels``; ``sim.solvers``;
``sim.models``; ``sim.scenario``, ``sim.sweep`` and ``sim.classroom``;
``sim.cli`` and ``views``. A module may import its own layer and the layers
below it. Imports inside functions count too: ``ast`` sees every one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sim.models.registry import model_modules

ROOT = Path(__file__).resolve().parents[1]

#: Package prefix -> layer (0 is the bottom).
LAYERS: dict[str, int] = {
    "sim.games": 0,
    "sim.kernels": 0,
    "sim.solvers": 1,
    "sim.models": 2,
    "sim.modelkit": 2,
    "sim.scenario": 3,
    "sim.sweep": 3,
    "sim.classroom": 3,
    "sim.lab": 3,
    "sim.cli": 4,
    "views": 4,
}


def layer_of(module: str) -> int | None:
    best = None
    for prefix, layer in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            best = layer
    return best


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of every absolute import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # ``from sim.kernels import threat_game`` imports a submodule.
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


SOURCES = sorted([*(ROOT / "sim").rglob("*.py"), *(ROOT / "views").rglob("*.py")])


def _is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def upward_arrows(path: Path, here: str | None = None) -> list[str]:
    here = here or module_name(path)
    mine = layer_of(here)
    if mine is None:
        return []
    bad = []
    for line, target in imports(path):
        theirs = layer_of(target)
        if theirs is not None and theirs > mine and _is_module(target):
            bad.append(f"{path.name}:{line}: {here} (layer {mine}) imports "
                       f"{target} (layer {theirs})")
    return bad


def test_the_layer_table_covers_every_package() -> None:
    packages = {f"sim.{p.name}" for p in (ROOT / "sim").iterdir()
                if (p / "__init__.py").is_file()}
    assert packages <= set(LAYERS), sorted(packages - set(LAYERS))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_down_the_layers(path: Path) -> None:
    assert upward_arrows(path) == []


def test_no_model_imports_another_model() -> None:
    models = {f"sim.models.{m}" for m in model_modules()}
    bad = []
    for name in sorted(models):
        path = ROOT.joinpath(*name.split(".")).with_suffix(".py")
        for line, target in imports(path):
            if target in models and target != name:
                bad.append(f"{path.relative_to(ROOT)}:{line}: imports {target}")
    assert bad == []


def test_the_checker_sees_an_upward_arrow(tmp_path: Path) -> None:
    # A kernel importing a model, even inside a function, is reported; a model
    # importing a kernel is not.
    probe = tmp_path / "probe.py"
    probe.write_text("import numpy\n\ndef f():\n    from sim.models.base import Model\n",
                     encoding="utf-8")
    assert upward_arrows(probe, "sim.kernels.probe") == [
        "probe.py:4: sim.kernels.probe (layer 0) imports sim.models.base (layer 2)"]
    assert upward_arrows(probe, "sim.cli.probe") == []
