"""Turning pydantic validation errors into located, readable diagnostics."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.scenario.diagnostics import Diagnostic, did_you_mean, format_path, shown
from sim.scenario.safe_yaml import LocatedData

__all__ = ["pydantic_diagnostics"]

PathT = tuple[str | int, ...]


def pydantic_diagnostics(
    exc: ValidationError, located: LocatedData, name: str, root: type[BaseModel],
    suggest: Callable[[str, Iterable[str]], str] = did_you_mean,
) -> list[Diagnostic]:
    """Located diagnostics for every error pydantic found validating ``root``.

    ``suggest`` gives the "did you mean" hint for an unknown field.
    """
    out: list[Diagnostic] = []
    seen: set[PathT] = set()
    for err in exc.errors():
        loc: PathT = tuple(err["loc"])
        kind = err["type"]
        # Union members add their type name to loc; cut back to what is in the file.
        if kind != "missing" and kind != "extra_forbidden":
            while loc and loc not in located.values:
                loc = loc[:-1]
        if loc in seen and kind != "missing":
            continue
        seen.add(loc)
        value = err.get("input")
        ctx = err.get("ctx") or {}
        if kind == "missing":
            line, col = located.locate(loc[:-1])
            message = "required field is missing"
        elif kind == "extra_forbidden":
            line, col = located.locate(loc, key=True)
            allowed = _fields_at(root, loc[:-1])
            message = f"unknown field{suggest(str(loc[-1]), allowed)}"
        else:
            line, col = located.locate(loc)
            message = _message(kind, err["msg"], value, ctx)
        out.append(Diagnostic(name, line, col, format_path(loc), message))
    return out


def _message(kind: str, msg: str, value: Any, ctx: Mapping[str, Any]) -> str:
    v = shown(value)
    if kind == "greater_than_equal":
        return f"{v} is below the minimum {ctx['ge']}"
    if kind == "less_than_equal":
        return f"{v} is above the maximum {ctx['le']}"
    if kind == "greater_than":
        return f"{v} must be greater than {ctx['gt']}"
    if kind == "literal_error":
        return f"{v} is not allowed; expected {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return f"{v} is not a valid identifier or address"
    if kind == "too_short":
        return "must not be empty"
    if kind == "finite_number":
        return f"{v} is not a finite number"
    if kind == "float_type" and isinstance(value, bool):
        return f"a number is expected, not the boolean {str(value).lower()}"
    if kind == "float_type" and isinstance(value, str):
        hint = " (numbers are written without quotes)" if _looks_numeric(value) else ""
        return f"a number is expected, not the text {v}{hint}"
    if kind.startswith("value_error") or kind == "assertion_error":
        return msg.removeprefix("Value error, ")
    text = msg[0].lower() + msg[1:] if msg else kind
    if isinstance(value, Mapping | list):
        return text
    return f"{text} (got {v})"


def _looks_numeric(text: str) -> bool:
    try:
        float(text[:100])
    except ValueError:
        return False
    return True


def _fields_at(root: type[BaseModel], loc: PathT) -> list[str]:
    """Field names allowed at ``loc`` in the schema, for typo suggestions."""
    tp: Any = root
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            args = typing.get_args(tp)
            tp = args[0] if args else Any
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(str(part))
            if info is None:
                return []
            tp = info.annotation
        else:
            args = typing.get_args(tp)
            tp = args[-1] if args else Any
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [f.alias or k for k, f in tp.model_fields.items()]
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp
