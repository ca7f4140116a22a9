"""Payoff expressions: a whitelist parser on Python's ``ast`` module.

A payoff cell holds a number or an arithmetic expression in named parameters,
such as ``w - c``, ``p*(1-c_A)`` or ``-10*d``. The grammar is deliberately
small: numbers, parameter names, ``+ - * /``, powers (``**`` or ``^``), unary
minus and plus, parentheses, and the functions ``min`` and ``max``.

The text is parsed with :func:`ast.parse` in ``"eval"`` mode and the tree is
walked against a whitelist of node types; anything else (attribute access,
subscripts, calls other than ``min``/``max``, lambdas, comprehensions,
f-strings, comparisons, dunder names) is refused with a message that names the
column. Nothing is ever passed to ``eval`` or ``compile``. Sizes are bounded
before parsing (text length, parenthesis depth) and after (tree depth, node
count, literal magnitude, exponent size), so no input can make the parser or
the evaluator spend unbounded time or memory: evaluation is in floating point
or in exact rationals with small integer exponents only.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from sim.games.errors import GameError

__all__ = [
    "Expression",
    "ExpressionError",
    "parse_expression",
    "MAX_LENGTH",
    "MAX_DEPTH",
    "MAX_LITERAL",
    "MAX_EXPONENT",
    "NAME_PATTERN",
]

#: Longest accepted expression text.
MAX_LENGTH = 200
#: Deepest accepted nesting of operations (and of parentheses).
MAX_DEPTH = 24
#: Most operations and operands in one expression.
MAX_NODES = 120
#: Largest magnitude of a number written in an expression.
MAX_LITERAL = 1e9
#: Largest magnitude of a constant exponent; exponents that are not constants
#: are evaluated in floating point and must give a finite result.
MAX_EXPONENT = 16
#: Parameter names: a letter, then letters, digits or underscores (at most 32).
NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
_FUNCTIONS = ("min", "max")
_HINT = "use numbers, parameter names, + - * / ^, parentheses, min() and max()"
_TRANSLATE = str.maketrans({"\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00b7": "*",
                            "\u00f7": "/", "\u2009": " ", "\u00a0": " "})


class ExpressionError(GameError):
    """An expression is not accepted; the message says where and why."""


Node = tuple[Any, ...]


@dataclass(frozen=True)
class Expression:
    """A parsed payoff expression.

    Attributes
    ----------
    text
        The expression as typed (normalised: ``^`` becomes ``**``).
    names
        The parameter names it uses, sorted.
    """

    text: str
    names: tuple[str, ...]
    _tree: Node

    @property
    def is_constant(self) -> bool:
        return not self.names

    def evaluate(self, values: Mapping[str, Any], *, exact: bool = False) -> Any:
        """The value at ``values`` (name to number, or to numpy arrays that broadcast).

        With ``exact=True`` and rational inputs the result is a ``Fraction``
        (falling back to ``float`` for a non-integer exponent).

        Raises
        ------
        ExpressionError
            If a parameter has no value, on division by zero, or if the
            result is not a finite number.
        """
        missing = [n for n in self.names if n not in values]
        if missing:
            raise ExpressionError(f"{self.text!r}: no value for parameter {missing[0]!r}")
        if exact:
            out = _eval_exact(self._tree, values)
            if isinstance(out, float) and not math.isfinite(out):
                raise ExpressionError(f"{self.text!r}: the value is not a finite number")
            return out
        with np.errstate(all="ignore"):
            out = _eval_float(self._tree, values)
        arr = np.asarray(out, dtype=float)
        if not np.isfinite(arr).all():
            raise ExpressionError(f"{self.text!r}: the value is not a finite number "
                                  "(division by zero or overflow)")
        return out if arr.ndim else float(arr)

    def evaluate_masked(self, values: Mapping[str, Any]) -> np.ndarray:
        """Vectorised float value; non-finite points become NaN instead of an error."""
        missing = [n for n in self.names if n not in values]
        if missing:
            raise ExpressionError(f"{self.text!r}: no value for parameter {missing[0]!r}")
        with np.errstate(all="ignore"):
            arr = np.asarray(_eval_float(self._tree, values), dtype=float)
        return np.where(np.isfinite(arr), arr, np.nan)


def _where(col: int | None) -> str:
    return f"column {col + 1}" if col is not None else "here"


def parse_expression(text: object, *, where: str = "") -> Expression:
    """Parse ``text`` into an :class:`Expression`, or say plainly what is wrong.

    Parameters
    ----------
    text
        A number or an expression string.
    where
        A location prefix for messages, e.g. ``"payoff of Row at (Swerve, Straight)"``.

    Raises
    ------
    ExpressionError
        ``"where: 'text': column k: what is wrong; use ..."``.

    Examples
    --------
    >>> e = parse_expression("w - c")
    >>> e.names, e.evaluate({"w": 1, "c": 2})
    (('c', 'w'), -1.0)
    """
    prefix = f"{where}: " if where else ""
    if isinstance(text, bool):
        raise ExpressionError(f"{prefix}{text!r} is not a number")
    if isinstance(text, int | float | Fraction):
        if isinstance(text, float) and not math.isfinite(text):
            raise ExpressionError(f"{prefix}{text!r} is not a finite number")
        if abs(float(text)) > MAX_LITERAL:
            raise ExpressionError(f"{prefix}{text!r} is larger than {MAX_LITERAL:g}")
        text = _number_text(text)
    if not isinstance(text, str):
        raise ExpressionError(f"{prefix}{type(text).__name__} is not an expression")
    src = text.translate(_TRANSLATE).strip()
    shown = src if len(src) <= 40 else src[:37] + "..."
    head = f"{prefix}{shown!r}: "
    if not src:
        raise ExpressionError(f"{prefix}the cell is empty; type a number or an expression")
    if len(src) > MAX_LENGTH:
        raise ExpressionError(f"{head}longer than {MAX_LENGTH} characters")
    depth = 0
    for k, ch in enumerate(src):
        if ch == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError(f"{head}column {k + 1}: parentheses nested more than "
                                      f"{MAX_DEPTH} deep")
        elif ch == ")":
            depth -= 1
    bad = next((k for k, ch in enumerate(src) if not (ch.isascii() and ch.isprintable())), None)
    if bad is not None:
        raise ExpressionError(f"{head}column {bad + 1}: character {src[bad]!r} is not allowed; "
                              + _HINT)
    src = src.replace("^", "**")
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError as exc:
        col = (exc.offset - 1) if exc.offset else None
        raise ExpressionError(f"{head}{_where(col)}: this is not a valid expression; "
                              + _HINT) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(f"{head}too complex; " + _HINT) from None
    builder = _Builder(head)
    node = builder.build(tree.body, 1)
    return Expression(src, tuple(sorted(builder.names)), node)


def _number_text(v: int | float | Fraction) -> str:
    if isinstance(v, Fraction):
        return str(v) if v.denominator != 1 else str(v.numerator)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return repr(v)


_BINOPS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
                            ast.Pow: "**"}
_REFUSED: dict[type, str] = {
    ast.Attribute: "attribute access (.) is not allowed",
    ast.Subscript: "indexing with [ ] is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and' / 'or' are not allowed",
    ast.IfExp: "'if ... else' is not allowed",
    ast.Tuple: "a comma is not allowed outside min() and max()",
    ast.List: "lists are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
}


class _Builder:
    def __init__(self, head: str) -> None:
        self.head = head
        self.names: set[str] = set()
        self.count = 0

    def fail(self, node: ast.AST, what: str) -> ExpressionError:
        col = getattr(node, "col_offset", None)
        return ExpressionError(f"{self.head}{_where(col)}: {what}; {_HINT}")

    def build(self, node: ast.expr, depth: int, in_exponent: bool = False) -> Node:
        self.count += 1
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} deep")
        if self.count > MAX_NODES:
            raise self.fail(node, f"more than {MAX_NODES} numbers and operations")
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, int | float):
                kind = "text" if isinstance(v, str | bytes) else repr(v)
                raise self.fail(node, f"{kind} is not a number")
            if isinstance(v, float) and not math.isfinite(v):
                raise self.fail(node, "the number is not finite")
            if abs(v) > MAX_LITERAL:
                raise self.fail(node, f"the number is larger than {MAX_LITERAL:g}")
            return ("num", Fraction(v) if isinstance(v, int) else _float_fraction(v), float(v))
        if isinstance(node, ast.Name):
            name = node.id
            if name.startswith("_") or "__" in name:
                raise self.fail(node, f"the name {name!r} is not allowed (no underscores "
                                      "at the start)")
            if name in _FUNCTIONS:
                raise self.fail(node, f"{name} must be called, as {name}(a, b)")
            if not NAME_PATTERN.match(name):
                raise self.fail(node, f"the name {name!r} is not a parameter name "
                                      "(letters, digits and _, at most 32 characters)")
            self.names.add(name)
            return ("name", name)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return ("neg", self.build(node.operand, depth + 1, in_exponent))
            if isinstance(node.op, ast.UAdd):
                return self.build(node.operand, depth + 1, in_exponent)
            raise self.fail(node, "only unary minus and plus are allowed")
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                raise self.fail(node, "this operator is not allowed")
            if op == "**":
                if in_exponent:
                    raise self.fail(node, "a power inside an exponent is not allowed")
                base = self.build(node.left, depth + 1, in_exponent)
                exponent = self.build(node.right, depth + 1, True)
                const = _constant(exponent)
                if const is not None and abs(const) > MAX_EXPONENT:
                    raise self.fail(node.right, f"the exponent is larger than {MAX_EXPONENT}")
                return ("**", base, exponent)
            return (op, self.build(node.left, depth + 1, in_exponent),
                    self.build(node.right, depth + 1, in_exponent))
        if isinstance(node, ast.Call):
            func = node.func
            if not isinstance(func, ast.Name) or func.id not in _FUNCTIONS:
                raise self.fail(node, "only min(...) and max(...) may be called")
            if node.keywords:
                raise self.fail(node, f"{func.id}() takes no keyword arguments")
            if not 2 <= len(node.args) <= 10:
                raise self.fail(node, f"{func.id}() takes 2 to 10 arguments")
            args = tuple(self.build(a, depth + 1, in_exponent) for a in node.args)
            return (func.id, *args)
        for refused, what in _REFUSED.items():
            if isinstance(node, refused):
                raise self.fail(node, what)
        raise self.fail(node, f"{type(node).__name__} is not allowed")


def _float_fraction(v: float) -> Fraction:
    # A decimal typed by a user means that decimal: 0.1 is 1/10, not its binary value.
    return Fraction(repr(v))


def _constant(node: Node) -> float | None:
    if node[0] == "num":
        return float(node[2])
    if node[0] == "neg":
        inner = _constant(node[1])
        return None if inner is None else -inner
    return None


#: The operators that need no guard, the same in float and in exact arithmetic.
_RING: dict[str, Callable[[Any, Any], Any]] = {"+": operator.add, "-": operator.sub,
                                               "*": operator.mul}


def _eval_float(node: Node, values: Mapping[str, Any]) -> Any:
    kind = node[0]
    if kind == "num":
        return node[2]
    if kind == "name":
        v = values[node[1]]
        return v if isinstance(v, np.ndarray) else float(v)
    if kind == "neg":
        return -_eval_float(node[1], values)
    if kind in ("min", "max"):
        args = [_eval_float(a, values) for a in node[1:]]
        out = args[0]
        for a in args[1:]:
            out = np.minimum(out, a) if kind == "min" else np.maximum(out, a)
        return out
    a = _eval_float(node[1], values)
    b = _eval_float(node[2], values)
    if kind in _RING:
        return _RING[kind](a, b)
    if kind == "/":
        if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
            return a / b if b != 0 else math.nan
        return np.divide(a, b)
    # Powers in float arithmetic: overflow gives inf, never a huge integer.
    return np.power(np.asarray(a, dtype=float), b)


def _exact_value(v: Any) -> Fraction | float:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, bool):
        raise ExpressionError(f"{v!r} is not a number")
    if isinstance(v, int | np.integer):
        return Fraction(int(v))
    f = float(v)
    if not math.isfinite(f):
        return f
    return Fraction(repr(f))


def _eval_exact(node: Node, values: Mapping[str, Any]) -> Fraction | float:
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        return _exact_value(values[node[1]])
    if kind == "neg":
        return -_eval_exact(node[1], values)
    if kind in ("min", "max"):
        args = [_eval_exact(a, values) for a in node[1:]]
        return min(args) if kind == "min" else max(args)
    a = _eval_exact(node[1], values)
    b = _eval_exact(node[2], values)
    if kind in _RING:
        return _RING[kind](a, b)
    if kind == "/":
        if b == 0:
            raise ExpressionError("division by zero")
        return a / b
    if isinstance(b, Fraction) and b.denominator == 1 and abs(b) <= MAX_EXPONENT:
        if a == 0 and b < 0:
            raise ExpressionError("division by zero")
        return a ** int(b)
    try:
        return float(a) ** float(b) if float(a) >= 0 else math.nan
    except OverflowError:
        return math.inf
