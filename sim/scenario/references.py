"""Cross-reference checks: ids are unique and every reference resolves.

These run on the raw parsed data, tolerant of structural errors elsewhere,
so that one run reports every problem in the file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeGuard

from sim.scenario.diagnostics import did_you_mean, shown

__all__ = ["check_references", "Problem"]

Path = tuple[str | int, ...]
#: (path, message, point at the key rather than the value)
Problem = tuple[Path, str, bool]

_ID_SECTIONS = (
    "sources", "actors", "issues", "demands", "concessions", "threats", "events",
    "claims", "presets", "analyses",
)
# (section, field, referenced section, is a list)
_REFS: tuple[tuple[str, str, str, bool], ...] = (
    ("actors", "member_of", "actors", True),
    ("positions", "actor", "actors", False),
    ("positions", "issue", "issues", False),
    ("demands", "by", "actors", False),
    ("demands", "addressed_to", "actors", True),
    ("demands", "issue", "issues", False),
    ("concessions", "by", "actors", False),
    ("concessions", "to", "actors", True),
    ("concessions", "issue", "issues", False),
    ("threats", "by", "actors", False),
    ("threats", "against", "actors", True),
    ("events", "actors", "actors", True),
    ("claims", "about", "actors", True),
    ("presets", "sources", "sources", True),
    ("presets", "claims", "claims", True),
)
_QUOTED = ("demands", "concessions", "threats", "events", "claims")
_SINGULAR = {"actors": "actor", "issues": "issue", "sources": "source", "claims": "claim",
             "presets": "preset", "parameters": "parameter"}


def _items(data: Mapping[str, Any], section: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    items = data.get(section)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                yield i, item


def check_references(
    data: Any, model_check: Callable[[Mapping[str, Any], Path, set[str]], list[Problem]] | None,
    suggest: Callable[[str, Iterable[str]], str] = did_you_mean,
) -> list[Problem]:
    """Every duplicate id and dangling reference in ``data``.

    ``suggest`` gives the "did you mean" hint of an unknown name.
    """
    if not isinstance(data, Mapping):
        return []
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for section in _ID_SECTIONS:
        seen: dict[str, int] = {}
        for i, item in _items(data, section):
            key = item.get("id")
            if not isinstance(key, str):
                continue
            if key in seen:
                problems.append(((section, i, "id"),
                                 f"duplicate id {shown(key)} (also {section}[{seen[key]}])", False))
            else:
                seen[key] = i
        ids[section] = set(seen)
    params: dict[str, int] = {}
    for i, item in _items(data, "parameters"):
        name = item.get("name")
        if isinstance(name, str):
            if name in params:
                problems.append((("parameters", i, "name"), f"duplicate parameter "
                                 f"{shown(name)} (also parameters[{params[name]}])", False))
            else:
                params[name] = i
    ids["parameters"] = set(params)

    def ref(path: Path, value: Any, target: str) -> None:
        if isinstance(value, str) and value not in ids.get(target, set()):
            what = _SINGULAR.get(target, target)
            problems.append(
                (path, f"unknown {what} {shown(value)}{suggest(value, ids.get(target, ()))}",
                 False)
            )

    for section, fieldname, target, is_list in _REFS:
        for i, item in _items(data, section):
            value = item.get(fieldname)
            if is_list and isinstance(value, list):
                for j, v in enumerate(value):
                    ref((section, i, fieldname, j), v, target)
            elif not is_list:
                ref((section, i, fieldname), value, target)
    for section in _QUOTED:
        for i, item in _items(data, section):
            ref((section, i, "source"), item.get("source"), "sources")

    # positions: one per (actor, issue)
    pairs: dict[tuple[Any, Any], int] = {}
    for i, item in _items(data, "positions"):
        pair = (item.get("actor"), item.get("issue"))
        if not all(isinstance(x, str) for x in pair):
            continue  # a wrong type, reported by the schema
        if pair in pairs:
            problems.append((("positions", i), f"duplicate position of {shown(pair[0])} on "
                             f"{shown(pair[1])} (also positions[{pairs[pair]}])", False))
        else:
            pairs[pair] = i

    claim_ids = ids.get("claims", set())
    for section in ("parameters", "positions"):
        for i, item in _items(data, section):
            derived = item.get("derived_from")
            for j, v in enumerate(derived if isinstance(derived, list) else []):
                if isinstance(v, str) and v != "analyst" and v not in claim_ids:
                    problems.append(((section, i, "derived_from", j),
                                     f"unknown claim {shown(v)}{suggest(v, claim_ids)} "
                                     "(use a claim id, or 'analyst')", False))
    for i, item in _items(data, "parameters"):
        problems.extend(_check_value_in_range(item, ("parameters", i)))

    ranges: dict[str, tuple[Any, Any]] = {
        item["name"]: (item.get("min"), item.get("max"))
        for _, item in _items(data, "parameters") if isinstance(item.get("name"), str)
    }
    for i, item in _items(data, "presets"):
        values = item.get("values")
        if not isinstance(values, Mapping):
            continue
        for name, v in values.items():
            path: Path = ("presets", i, "values", name)
            if name not in params:
                hint = suggest(str(name), params)
                problems.append((path, f"unknown parameter {shown(name)}{hint}", True))
                continue
            lo, hi = ranges[name]
            if _num(v) and _num(lo) and _num(hi) and lo <= hi and not lo <= v <= hi:
                problems.append((path, f"{v:g} is outside the parameter's range [{lo:g}, {hi:g}]",
                                 False))
    default = data.get("default_preset")
    if isinstance(default, str) and default not in ids.get("presets", set()):
        hint = suggest(default, ids["presets"])
        problems.append((("default_preset",), f"unknown preset {shown(default)}{hint}", False))

    for i, item in _items(data, "analyses"):
        roles = item.get("roles")
        if isinstance(roles, Mapping):
            for role, actor in roles.items():
                ref(("analyses", i, "roles", role), actor, "actors")
        ref(("analyses", i, "issue"), item.get("issue"), "issues")
        mapping = item.get("params")
        if isinstance(mapping, Mapping):
            for name, v in mapping.items():
                if isinstance(v, str) and v not in params:
                    problems.append(((("analyses", i, "params", name)),
                                     f"unknown scenario parameter {shown(v)}{suggest(v, params)}",
                                     False))
        if model_check is not None:
            problems.extend(model_check(item, ("analyses", i), set(params)))
    return problems


def _num(v: Any) -> TypeGuard[float]:
    """A finite number (non-finite ones and booleans are refused by the schema)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _check_value_in_range(item: Mapping[str, Any], path: Path) -> list[Problem]:
    v, lo, hi = item.get("value"), item.get("min"), item.get("max")
    if _num(v) and _num(lo) and _num(hi) and lo <= hi and not lo <= v <= hi:
        return [((*path, "value"), f"{v:g} is outside [min, max] = [{lo:g}, {hi:g}]", False)]
    return []


