"""Model commands: ``coercion models`` lists the registry, ``coercion model`` solves one.

``coercion model NAME --set k=v ... [--json]`` solves one registered model at
the given parameter values (defaults for the rest). Vector parameters take
comma-separated numbers (``--set position=100,10,45``), label parameters
comma-separated names; an empty value (``--set U_A=``) gives an empty
vector. Invalid input prints one ``error:`` line and exits with status 2.
"""

from __future__ import annotations

import json
import math
import textwrap
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from sim.modelkit.aliases import current_param, deprecation_note

if TYPE_CHECKING:
    from sim.models import Model, ParamSpec

__all__ = ["register", "parse_assignments", "EXIT_INVALID"]

#: Exit status for invalid input (unknown model or parameter, bad value).
EXIT_INVALID = 2


def _fail(message: str) -> NoReturn:
    from sim.scenario.diagnostics import clip

    typer.echo(f"error: {clip(message, 400)}", err=True)
    raise typer.Exit(EXIT_INVALID)


def _parse_value(spec: ParamSpec, text: str) -> Any:
    """Turn the text of ``--set name=text`` into the parameter's Python type."""
    text = text.strip()
    if spec.kind == "labels":
        return [t.strip() for t in text.split(",")] if text else []
    if spec.kind == "vector":
        parts = [t.strip() for t in text.split(",")] if text else []
        return [_number(spec.name, t) for t in parts]
    return _number(spec.name, text)


def _number(name: str, text: str) -> float:
    from sim.models import ModelError
    from sim.scenario.diagnostics import finite_number, shown

    try:
        return finite_number(text)
    except ValueError as e:
        raise ModelError(f"{name}: {shown(text)} {e}") from None


def parse_assignments(model: Model, assignments: list[str]) -> dict[str, Any]:
    """``["k=v", ...]`` as a parameter dict for ``model``; raises ModelError."""
    from sim.lab.cli import split_assignments  # the lab's reader of --set, loaded when used
    from sim.models import ModelError
    from sim.scenario.diagnostics import shown

    values: dict[str, Any] = {}
    for item, name, text in split_assignments(
            assignments, lambda item: ModelError(f"--set {shown(item)}: expected NAME=VALUE")):
        if len(name) > 64:
            raise ModelError(f"--set {shown(item)}: the name is not a parameter name")
        current = current_param(model.name, name)
        if current is not None:
            typer.echo(f"note: {deprecation_note(model.name, 'parameter', name, current)}",
                       err=True)
            name = current
        values[name] = _parse_value(model.param(name), text)
    return values


def _finite(obj: Any) -> Any:
    """Non-finite floats become ``null`` so that the output is strict JSON."""
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_fmt(v) for v in value) + ")"
    return str(value)


def _describe_param(spec: ParamSpec) -> str:
    rng = "" if spec.kind == "labels" else f" in [{spec.lo:g}, {spec.hi:g}]"
    kind = "" if spec.kind == "real" else f" [{spec.kind}]"
    return f"{spec.name} = {_fmt(spec.default)}{rng}{kind} — {spec.meaning}"


def _model_summary(model: Model) -> dict[str, Any]:
    return {
        "name": model.name,
        "family": model.family,
        "title": model.title,
        "citation": model.citation,
        "players": list(model.players),
        "outcomes": list(model.outcomes),
        "regimes": list(model.regimes),
        "params": [
            {"name": s.name, "kind": s.kind, "default": _finite(
                list(s.default) if isinstance(s.default, tuple) else s.default),
             "lo": s.lo, "hi": s.hi, "step": s.step, "unit": s.unit, "meaning": s.meaning,
             "symbol": s.symbol}
            for s in model.params
        ],
    }


def cmd_models(
    family: Annotated[str | None, typer.Option(help="Only models of this family.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the registered models with their parameters, ranges and defaults."""
    from sim.models import all_models

    models = [m for m in all_models().values() if family is None or m.family == family]
    if family is not None and not models:
        _fail(f"no models in family {family!r}")
    if as_json:
        typer.echo(json.dumps([_model_summary(m) for m in models], indent=2,
                              ensure_ascii=False))
        return
    for m in models:
        typer.echo(f"{m.name}  [{m.family}]")
        typer.echo(f"  {m.title}")
        typer.echo(f"  Source: {m.citation}")
        for spec in m.params:
            typer.echo(f"    {_describe_param(spec)}")
        typer.echo("")


def cmd_model(
    name: Annotated[str, typer.Argument(help="Registry name of the model.")],
    assignments: Annotated[list[str] | None, typer.Option(
        "--set", "-s", help="Parameter value NAME=VALUE (repeatable; vectors: 1,2,3).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print every Outcome field as JSON.")
                       ] = False,
) -> None:
    """Solve one model at the given parameter values (defaults for the rest)."""
    from sim.models import ModelError, get_model
    from sim.scenario.diagnostics import shown

    try:
        if len(name) > 64:
            raise ModelError(f"no model is named {shown(name)}")
        model = get_model(name)
        values = parse_assignments(model, assignments or [])
        out = model.solve(values)
    except ModelError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(_finite(out.to_dict()), indent=2, ensure_ascii=False,
                              allow_nan=False))
        return
    typer.echo(f"{model.title}  ({model.name})")
    typer.echo(f"Outcome: {out.outcome}   regime: {out.regime}   P(war): {out.p_war:.3f}")
    probs = ", ".join(f"{k} {v:.3f}" for k, v in out.probabilities.items() if v > 0)
    typer.echo(f"Probabilities: {probs}")
    typer.echo("Payoffs: " + ", ".join(f"{k} {v:.3f}" for k, v in out.payoffs.items()))
    raised = [k for k, v in vars(out.flags).items() if v]
    typer.echo(f"Flags: {', '.join(raised) if raised else 'none'}")
    typer.echo("")
    typer.echo(textwrap.fill(out.explanation, width=88))
    typer.echo("")
    typer.echo("Parameters: " + ", ".join(f"{k}={_fmt(v)}" for k, v in out.params.items()))
    typer.echo(f"Method: {out.method}")


def register(app: typer.Typer) -> None:
    app.command("models")(cmd_models)
    app.command("model")(cmd_model)
