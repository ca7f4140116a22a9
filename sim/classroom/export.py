"""The tidy export of a class: one row per student per closed round, as CSV or Parquet.

The columns are documented in ``docs/classroom_export.md``; :data:`COLUMNS`
holds them in order with their Arrow types, so CSV and Parquet agree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["COLUMNS", "tidy_rows", "to_table", "to_csv", "to_parquet_bytes", "write_export"]

#: (column, Arrow type), in order.
COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("session", pa.string()),
    ("round", pa.int64()),
    ("group", pa.int64()),
    ("student", pa.string()),
    ("is_bot", pa.bool_()),
    ("role", pa.string()),
    ("type", pa.string()),
    ("information_set", pa.string()),
    ("action", pa.string()),
    ("time_taken", pa.float64()),
    ("timed_out", pa.bool_()),
    ("outcome", pa.string()),
    ("payoff", pa.float64()),
)
_SCHEMA = pa.schema([pa.field(name, kind) for name, kind in COLUMNS])


def tidy_rows(code: str, rows: Sequence[Any], where: Mapping[str, str] | None = None
              ) -> list[dict[str, Any]]:
    """Rows of the store's scored moves as dictionaries with :data:`COLUMNS` as keys.

    A row with an ``infoset`` is a move in a tree; ``where`` names its information
    set in words. Otherwise the move was made at once, knowing role and own type.
    """
    out = []
    names = where or {}
    for r in rows:
        infoset = getattr(r, "infoset", None)
        if infoset is not None:
            where_ = f"{r.role}, {names.get(infoset, infoset)}"
        else:
            where_ = r.role if r.type is None else f"{r.role} ({r.type})"
        out.append({
            "session": code, "round": int(r.round), "group": int(r.match) + 1,
            "student": r.name, "is_bot": r.bot is not None, "role": r.role, "type": r.type,
            "information_set": where_, "action": r.action,
            "time_taken": None if r.taken is None else round(float(r.taken), 3),
            "timed_out": bool(r.timed_out), "outcome": r.outcome, "payoff": float(r.payoff),
        })
    return out


def to_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist([dict(r) for r in rows], schema=_SCHEMA)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """CSV text; names starting like a spreadsheet formula are quoted with a leading '."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[c for c, _ in COLUMNS], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        safe = dict(row)
        if isinstance(safe["student"], str) and safe["student"][:1] in "=+-@":
            safe["student"] = "'" + safe["student"]
        for key in ("is_bot", "timed_out"):
            safe[key] = "true" if safe[key] else "false"
        writer.writerow(safe)
    return buf.getvalue()


def to_parquet_bytes(rows: Sequence[dict[str, Any]]) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(to_table(rows), sink)
    return bytes(sink.getvalue().to_pybytes())


def write_export(rows: Sequence[dict[str, Any]], path: Path) -> None:
    """Write ``rows`` to ``path``: Parquet for ``.parquet``, CSV for ``.csv``."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        path.write_bytes(to_parquet_bytes(rows))
    elif suffix == ".csv":
        path.write_text(to_csv(rows), encoding="utf-8")
    else:
        raise ValueError(f"{path}: the file name must end in .parquet or .csv")
