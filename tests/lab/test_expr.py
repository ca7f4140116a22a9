"""The payoff-expression parser: valid forms, plain refusals, and the injection corpus."""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest

from sim.lab.expr import MAX_LENGTH, ExpressionError, parse_expression

VALID = [
    ("3", (), {}, 3.0),
    ("-2.5", (), {}, -2.5),
    ("w - c", ("c", "w"), {"w": 1, "c": 2}, -1.0),
    ("-c", ("c",), {"c": 2}, -2.0),
    ("p*(1-c_R)", ("c_R", "p"), {"p": 0.5, "c_R": 0.2}, 0.4),
    ("-10*d", ("d",), {"d": 0.3}, -3.0),
    ("(V-C)/2", ("C", "V"), {"V": 2, "C": 4}, -1.0),
    ("2^3", (), {}, 8.0),
    ("x**2", ("x",), {"x": 3}, 9.0),
    ("x**-1", ("x",), {"x": 4}, 0.25),
    ("min(a, b) + max(1, 2, 3)", ("a", "b"), {"a": 1, "b": 0}, 3.0),
    ("+a", ("a",), {"a": 1}, 1.0),
    ("w \u2212 c", ("c", "w"), {"w": 3, "c": 1}, 2.0),  # a typographic minus
    ("2 \u00d7 a", ("a",), {"a": 2}, 4.0),
    ("1e3", (), {}, 1000.0),
    ("k**(1/2)", ("k",), {"k": 4}, 2.0),
]

INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    ("w -", "not a valid expression"),
    ("a b", "not a valid expression"),
    ("1,2", "comma"),
    ("a == b", "comparisons"),
    ("a and b", "'and'"),
    ("a if b else c", "'if"),
    ("'text'", "not a number"),
    ("True", "not a number"),
    ("None", "not a number"),
    ("1j", "not a number"),
    ("max(a)", "2 to 10 arguments"),
    ("min(a, b, key=c)", "keyword"),
    ("sqrt(2)", "only min"),
    ("a % b", "operator is not allowed"),
    ("a // b", "operator is not allowed"),
    ("~a", "only unary minus"),
    ("a @ b", "operator is not allowed"),
    ("123456789012", "larger than"),
    ("1e400", "not finite"),
    ("2**17", "exponent is larger"),
    ("é + 1", "not allowed"),
    ("a" * 33, "not a parameter name"),
    ("min", "must be called"),
]

# What an attacker types into a payoff cell.
INJECTION = [
    "9**9**9**9",
    "(" * 10_000 + "1" + ")" * 10_000,
    "(" * 30 + "1" + ")" * 30,
    "-" * 150 + "1",
    "+".join(["a"] * 100),
    "__import__('os')",
    "__import__('os').system('ls')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "a.__class__",
    "__builtins__",
    "_secret",
    "lambda: 1",
    "(lambda x: x)(1)",
    "a[0]",
    "[x for x in range(10)]",
    "{x for x in a}",
    "{1: 2}",
    "(x for x in a)",
    "f'{a}'",
    "f'{__import__(\"os\")}'",
    "open('/etc/passwd')",
    "eval('1')",
    "exec('1')",
    "globals()",
    "getattr(a, 'b')",
    "(a := 1)",
    "*a",
    "await a",
    "yield a",
    "\"\"\"\n1\"\"\"",
    "1; 2",
    "import os",
    "1\n2",
    "a\x00b",
    "9" * 400,
    "10**16**16",
    "max(" * 50 + "1" + ", 1)" * 50,
]

VALID_IDS = [v[0][:20] for v in VALID]


@pytest.mark.parametrize(("text", "names", "values", "expected"), VALID, ids=VALID_IDS)
def test_valid_expressions(text: str, names: tuple[str, ...], values: dict[str, float],
                           expected: float) -> None:
    e = parse_expression(text)
    assert e.names == names
    assert e.evaluate(values) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "fragment"), INVALID, ids=[t[:20] or "blank" for t, _ in INVALID])
def test_invalid_expressions_say_why(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, where="payoff of Row at (Swerve, Straight)")
    msg = str(info.value)
    assert msg.startswith("payoff of Row at (Swerve, Straight): ")
    assert fragment in msg
    assert "Traceback" not in msg


@pytest.mark.parametrize("text", INJECTION, ids=[f"inj{k}" for k in range(len(INJECTION))])
def test_injection_corpus_is_refused_quickly(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    # Generous bound: a hang or an exponential blow-up would take far longer.
    assert time.perf_counter() - start < 5
    assert len(str(info.value)) < 400


def test_refusals_name_the_column() -> None:
    with pytest.raises(ExpressionError, match="column 5: attribute access"):
        parse_expression("w - c.real")
    with pytest.raises(ExpressionError, match="column 25: parentheses nested more than 24"):
        parse_expression("(" * 30 + "1" + ")" * 30)
    with pytest.raises(ExpressionError, match=f"longer than {MAX_LENGTH}"):
        parse_expression("1+" * 150 + "1")


def test_exact_evaluation_keeps_decimals() -> None:
    e = parse_expression("w/(w+c)")
    assert e.evaluate({"w": 1, "c": 2}, exact=True) == Fraction(1, 3)
    assert parse_expression("0.1 + 0.2").evaluate({}, exact=True) == Fraction(3, 10)
    assert parse_expression("c").evaluate({"c": 0.1}, exact=True) == Fraction(1, 10)
    assert parse_expression("x^3").evaluate({"x": Fraction(1, 2)}, exact=True) == Fraction(1, 8)


def test_evaluation_errors_are_plain() -> None:
    with pytest.raises(ExpressionError, match="not a finite number"):
        parse_expression("1/(a-1)").evaluate({"a": 1})
    with pytest.raises(ExpressionError, match="division by zero"):
        parse_expression("1/(a-1)").evaluate({"a": 1}, exact=True)
    with pytest.raises(ExpressionError, match="no value for parameter 'b'"):
        parse_expression("a + b").evaluate({"a": 1})
    # Float powers overflow to a refusal, never to a huge integer.
    with pytest.raises(ExpressionError, match="not a finite number"):
        parse_expression("a**16").evaluate({"a": 1e300})


def test_vectorised_evaluation_over_grids() -> None:
    e = parse_expression("w/(w+c)")
    w = np.linspace(0, 1, 5)[None, :]
    c = np.linspace(1, 2, 3)[:, None]
    out = e.evaluate({"w": w, "c": c})
    assert out.shape == (3, 5)
    assert np.allclose(out, w / (w + c))
    masked = parse_expression("1/w").evaluate_masked({"w": np.array([0.0, 2.0])})
    assert np.isnan(masked[0]) and masked[1] == 0.5
