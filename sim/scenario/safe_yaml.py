"""Safe YAML loading that remembers where every value came from.

Only PyYAML's safe loader is used (libyaml's when it is installed), so no tag
can construct a Python object. Before constructing, the document is checked
for what the safe loader allows but a scenario must not contain, each found
problem reported with its location:

- nesting deeper than :data:`MAX_DEPTH` (checked on the event stream, before
  any recursive composition), recursive aliases, and alias "bombs" (a few
  lines of anchors that expand exponentially);
- non-standard tags, duplicate mapping keys and non-scalar keys;
- number literals longer than :data:`MAX_NUMBER_CHARS`, strings longer than
  :data:`MAX_STRING_CHARS`, and control characters in strings;
- dates that do not exist, such as ``2022-02-30``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from sim.scenario.diagnostics import Diagnostic, ScenarioError, format_path, shown

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_NUMBER_CHARS",
    "MAX_STRING_CHARS",
    "LocatedData",
    "load_located",
]

#: Files larger than this are refused before parsing.
MAX_BYTES = 1024 * 1024
#: Refuse documents whose alias expansion exceeds this many nodes.
MAX_NODES = 200_000
#: Deepest nesting of mappings and sequences, aliases followed.
MAX_DEPTH = 40
#: Longest number literal, in characters (a float needs about 25).
MAX_NUMBER_CHARS = 40
#: Longest string value or key, in characters.
MAX_STRING_CHARS = 20_000

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_STR_TAG = "tag:yaml.org,2002:str"
# C0 and C1 controls other than tab, newline and carriage return, DEL, and the
# bidirectional overrides that make text display other than it reads.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

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
                        f"file is larger than the limit of {MAX_BYTES:,} bytes (1 MiB)")]
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


class _Loader(_BASE):
    """The safe loader, with dates and integers that fail as located YAML errors."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown(node.value)} is not a valid date ({exc})",
                node.start_mark) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_int(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown(node.value)} is not a valid integer ({exc})",
                node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _syntax_error(exc: yaml.YAMLError, name: str, text: str) -> ScenarioError:
    if isinstance(exc, yaml.MarkedYAMLError):
        line, col = _at(exc.problem_mark or exc.context_mark)
        problem = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in problem:  # libyaml's own bound, met while scanning ahead
            return ScenarioError([Diagnostic(name, line, col, "<document>",
                                             f"nesting is deeper than {MAX_DEPTH} levels")])
        if exc.context and problem.startswith("but "):
            problem = f"{exc.context}, {problem}"
    elif isinstance(exc, yaml.reader.ReaderError):
        pos = min(max(exc.position, 0), len(text))
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        problem = f"character U+{char:04X} is not allowed in YAML"
    else:
        line, col, problem = 1, 1, "invalid YAML"
    return ScenarioError([Diagnostic(name, line, col, "<syntax>",
                                     f"YAML syntax error: {problem}")])


def _check_depth(text: str, name: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, on the event stream.

    The parser keeps its own stack, so this never recurses however deep the
    text nests; composing nodes afterwards recurses at most MAX_DEPTH levels.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_BASE):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _at(event.start_mark)
                raise ScenarioError([Diagnostic(
                    name, line, col, "<document>",
                    f"nesting is deeper than {MAX_DEPTH} levels")])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_located(raw: bytes, name: str) -> LocatedData:
    """Parse ``raw`` YAML bytes safely, keeping locations.

    Raises
    ------
    ScenarioError
        With every problem found: size, encoding, syntax, nesting, tags,
        duplicate keys, alias expansion, over-long or invalid scalars.
    """
    text = _read_text(raw, name)
    try:
        _check_depth(text, name)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, name, text) from None
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise _syntax_error(exc, name, text) from None
        if node is None:
            raise ScenarioError([Diagnostic(name, 1, 1, "<document>", "file is empty")])
        graph = _graph_problem(node)
        if graph is not None:
            bad, message = graph
            line, col = _at(bad.start_mark)
            raise ScenarioError([Diagnostic(name, line, col, "<document>", message)])
        size = _expanded_size(node, {})
        if size > MAX_NODES:
            line, col = _at(node.start_mark)
            raise ScenarioError([Diagnostic(
                name, line, col, "<document>",
                f"aliases expand to more than {MAX_NODES:,} nodes (refusing an alias bomb)",
            )])
        located = LocatedData(data=None)
        problems: list[Diagnostic] = []
        for path, n, key_node in _walk(node, ()):
            line, col = _at(n.start_mark)
            located.values.setdefault(path, (line, col))
            if key_node is not None:
                located.keys.setdefault(path, _at(key_node.start_mark))
            if n.tag not in _STANDARD_TAGS:
                problems.append(Diagnostic(
                    name, line, col, format_path(path),
                    f"tag {shown(_short_tag(n.tag))} is not allowed "
                    "(only plain YAML data is accepted)",
                ))
            if isinstance(n, yaml.ScalarNode):
                problem = _scalar_problem(n)
                if problem:
                    problems.append(Diagnostic(name, line, col, format_path(path), problem))
            elif isinstance(n, yaml.MappingNode):
                problems.extend(_key_problems(n, path, name))
        if problems:
            raise ScenarioError(problems)
        try:
            located.data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            line, col = _at(getattr(exc, "problem_mark", None))
            problem = getattr(exc, "problem", None) or "cannot be read"
            raise ScenarioError(
                [Diagnostic(name, line, col, _path_at(located, line, col),
                            f"invalid value: {problem}")]
            ) from None
        return located
    finally:
        loader.dispose()


def _path_at(located: LocatedData, line: int, col: int) -> str:
    for path, where in located.values.items():
        if where == (line, col):
            return format_path(path)
    return "<document>"


def _scalar_problem(n: yaml.ScalarNode) -> str | None:
    value = n.value
    if n.tag in _NUMBER_TAGS and len(value) > MAX_NUMBER_CHARS:
        return (f"number literal of {len(value):,} characters; "
                f"the limit is {MAX_NUMBER_CHARS}")
    if len(value) > MAX_STRING_CHARS:
        return f"text of {len(value):,} characters; the limit is {MAX_STRING_CHARS:,}"
    if n.tag == _STR_TAG:
        bad = _CONTROL.search(value)
        if bad:
            return (f"text contains the control character U+{ord(bad.group()):04X}, "
                    "which is not allowed")
    return None


def _key_problems(n: yaml.MappingNode, path: Path, name: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    seen: dict[Any, int] = {}
    for k, _ in n.value:
        line, col = _at(k.start_mark)
        if not isinstance(k, yaml.ScalarNode):
            problems.append(Diagnostic(name, line, col, format_path(path),
                                       "mapping keys must be plain scalars"))
            continue
        problem = _scalar_problem(k)
        if problem:
            problems.append(Diagnostic(name, line, col, format_path(path), f"key: {problem}"))
            continue
        if k.value in seen:
            problems.append(Diagnostic(
                name, line, col, format_path((*path, k.value)),
                f"duplicate key {shown(k.value)} (first at line {seen[k.value]})",
            ))
        else:
            seen[k.value] = line
    return problems


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [c for pair in node.value for c in pair]
    return []


def _graph_problem(root: yaml.Node) -> tuple[yaml.Node, str] | None:
    """A recursive alias, or nesting deeper than MAX_DEPTH once aliases are followed.

    Iterative depth-first search over the node graph (aliases share nodes), so
    that a long chain of anchors cannot exhaust the interpreter's stack.
    """
    height: dict[int, int] = {}  # finished nodes: levels of collections at and below
    active: set[int] = set()
    stack: list[tuple[yaml.Node, Iterator[yaml.Node]]] = [(root, iter(_children(root)))]
    active.add(id(root))
    too_deep = f"nesting is deeper than {MAX_DEPTH} levels (aliases followed)"
    while stack:
        node, unvisited = stack[-1]
        child = next(unvisited, None)
        if child is None:
            stack.pop()
            active.discard(id(node))
            height[id(node)] = 1 + max((height.get(id(c), 0) for c in _children(node)),
                                       default=0)
            continue
        if not isinstance(child, yaml.CollectionNode):
            continue
        if id(child) in active:
            return child, "recursive alias (a collection that contains itself)"
        if id(child) in height:
            if len(stack) + height[id(child)] > MAX_DEPTH:
                return child, too_deep
            continue
        if len(stack) >= MAX_DEPTH:
            return child, too_deep
        active.add(id(child))
        stack.append((child, iter(_children(child))))
    return None


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1
    if isinstance(node, yaml.SequenceNode):
        total = 1 + sum(_expanded_size(c, memo) for c in node.value)
    elif isinstance(node, yaml.MappingNode):
        total = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    else:
        total = 1
    memo[key] = min(total, MAX_NODES + 1)
    return memo[key]


def _walk(
    node: yaml.Node, path: Path, key_node: yaml.Node | None = None
) -> Iterator[tuple[Path, yaml.Node, yaml.Node | None]]:
    """Every node with its path; depth is bounded by _graph_problem beforehand."""
    yield path, node, key_node
    if isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            yield from _walk(child, (*path, i), None)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            label: str | int = k.value if isinstance(k, yaml.ScalarNode) else "?"
            yield from _walk(v, (*path, label), k)
