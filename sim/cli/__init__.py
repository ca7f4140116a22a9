"""The ``coercion`` command line.

Every module ``sim.cli.*_cmds`` contributes commands through a
``register(app)`` function, so each command group lives beside its topic.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="coercion",
    help="Simulate coercive diplomacy: scenarios, models and equilibria.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help text: rendering it through rich would import rich on every start-up.
    rich_markup_mode=None,
)


def _register_all() -> None:
    import sim.cli as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.endswith("_cmds"):
            importlib.import_module(f"sim.cli.{info.name}").register(app)


_register_all()


def main() -> None:
    """Entry point of the ``coercion`` console script."""
    app()
