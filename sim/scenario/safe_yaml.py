"""Safe YAML loading that remembers where every value came from.

Only PyYAML's ``SafeLoader`` is used, so no tag can construct a Python object.
Before constructing, the node graph is checked for what ``SafeLoader`` allows
but a scenario must not contain: non-standard tags, duplicate mapping keys
and alias "bombs" (a few lines of anchors that expand exponentially).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from sim.scenario.diagnostics import Diagnostic, ScenarioError, format_path

__all__ = ["MAX_BYTES", "MAX_NODES", "LocatedData", "load_located"]

#: Files larger than this are refused before parsing.
MAX_BYTES = 1024 * 1024
#: Refuse documents whose alias expansion exceeds this many nodes.
MAX_NODES = 200_000

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

Path = tuple[str | int, ...]


@dataclass
class LocatedData:
    """Parsed YAML data and the (line, column) of every key and value."""

    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Best location for ``path``: itself, else its nearest located parent."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        for cut in range(len(path), -1, -1):
            prefix = path[:cut]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


def _read_text(raw: bytes, name: str) -> str:
    if len(raw) > MAX_BYTES:
        raise ScenarioError(
            [Diagnostic(name, 1, 1, "<document>",
                        f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} (1 MiB)")]
        )
    if b"\x00" in raw:
        raise ScenarioError(
            [Diagnostic(name, 1, 1, "<document>", "binary file (contains NUL bytes)")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(
            [Diagnostic(name, line, column, "<document>",
                        f"not UTF-8 text (invalid byte 0x{raw[exc.start]:02x})")]
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise ScenarioError([Diagnostic(name, 1, 1, "<document>", "file is empty")])
    return text


def load_located(raw: bytes, name: str) -> LocatedData:
    """Parse ``raw`` YAML bytes safely, keeping locations.

    Raises
    ------
    ScenarioError
        With every problem found: size, encoding, syntax, tags, duplicate
        keys, alias expansion.
    """
    text = _read_text(raw, name)
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = exc.problem or exc.context or "invalid YAML"
            if exc.context and problem.startswith("but "):
                problem = f"{exc.context}, {problem}"
            raise ScenarioError(
                [Diagnostic(name, line, col, "<syntax>", f"YAML syntax error: {problem}")]
            ) from None
        except yaml.YAMLError as exc:
            raise ScenarioError(
                [Diagnostic(name, 1, 1, "<syntax>", f"YAML syntax error: {exc}")]
            ) from None
        if node is None:
            raise ScenarioError([Diagnostic(name, 1, 1, "<document>", "file is empty")])
        located = LocatedData(data=None)
        problems: list[Diagnostic] = []
        size = _expanded_size(node, {})
        if size > MAX_NODES:
            problems.append(Diagnostic(
                name, node.start_mark.line + 1, node.start_mark.column + 1, "<document>",
                f"aliases expand to more than {MAX_NODES:,} nodes (refusing an alias bomb)",
            ))
            raise ScenarioError(problems)
        for path, n, key_node in _walk(node, ()):
            line, col = n.start_mark.line + 1, n.start_mark.column + 1
            located.values.setdefault(path, (line, col))
            if key_node is not None:
                located.keys.setdefault(path, (key_node.start_mark.line + 1,
                                               key_node.start_mark.column + 1))
            if n.tag not in _STANDARD_TAGS:
                problems.append(Diagnostic(
                    name, line, col, format_path(path),
                    f"tag {_short_tag(n.tag)!r} is not allowed (only plain YAML data is accepted)",
                ))
            if isinstance(n, yaml.MappingNode):
                seen: dict[Any, int] = {}
                for k, _ in n.value:
                    if not isinstance(k, yaml.ScalarNode):
                        problems.append(Diagnostic(
                            name, k.start_mark.line + 1, k.start_mark.column + 1,
                            format_path(path), "mapping keys must be plain scalars",
                        ))
                        continue
                    if k.value in seen:
                        problems.append(Diagnostic(
                            name, k.start_mark.line + 1, k.start_mark.column + 1,
                            format_path((*path, k.value)),
                            f"duplicate key {k.value!r} (first at line {seen[k.value]})",
                        ))
                    else:
                        seen[k.value] = k.start_mark.line + 1
        if problems:
            raise ScenarioError(problems)
        try:
            located.data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise ScenarioError(
                [Diagnostic(name, line, col, "<document>", f"invalid value: {exc}")]
            ) from None
        return located
    finally:
        loader.dispose()


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # guards against recursive aliases while counting
    if isinstance(node, yaml.SequenceNode):
        total = 1 + sum(_expanded_size(c, memo) for c in node.value)
    elif isinstance(node, yaml.MappingNode):
        total = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    else:
        total = 1
    memo[key] = min(total, MAX_NODES + 1)
    return memo[key]


def _walk(
    node: yaml.Node, path: Path, key_node: yaml.Node | None = None, depth: int = 0
) -> Iterator[tuple[Path, yaml.Node, yaml.Node | None]]:
    yield path, node, key_node
    if depth > 100:
        return
    if isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            yield from _walk(child, (*path, i), None, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            label: str | int = k.value if isinstance(k, yaml.ScalarNode) else "?"
            yield from _walk(v, (*path, label), k, depth + 1)
