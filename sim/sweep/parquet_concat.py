"""Concatenate Parquet row groups byte for byte, without decoding them.

A Parquet file is ``PAR1``, the column chunks of each row group, a footer
(``FileMetaData`` in Thrift's compact protocol), its length and ``PAR1``
(Apache Parquet format specification, "File format"). A row group is
self-contained: its pages are addressed by absolute file offsets recorded in
the footer. So row groups written by other processes can be copied into one
file unchanged, provided the footer gets their offsets shifted to where they
land. This lets a sweep merge its chunks in the time of a copy, where
decoding and re-encoding them costs as much as computing them.

Only the footer is parsed: a small generic reader and writer of Thrift's
compact protocol (Apache Thrift, "Thrift Compact protocol encoding").
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

__all__ = ["ConcatWriter", "FooterError", "RowGroupPiece", "file_footer", "row_group_pieces"]

MAGIC = b"PAR1"

# Thrift compact types
_TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)

# Field ids of the Parquet format (parquet.thrift).
_FMD_NUM_ROWS, _FMD_ROW_GROUPS = 3, 4
_RG_COLUMNS, _RG_NUM_ROWS, _RG_FILE_OFFSET, _RG_ORDINAL = 1, 3, 5, 7
_CC_FILE_PATH, _CC_FILE_OFFSET, _CC_META = 1, 2, 3
_CC_OFFSET_INDEX, _CC_COLUMN_INDEX = 4, 6
_CM_COMPRESSED_SIZE = 7
_CM_DATA_PAGE, _CM_INDEX_PAGE, _CM_DICT_PAGE = 9, 10, 11
_CM_BLOOM_FILTER = 14

#: A Thrift struct: its fields in order, as [field id, type, value, raw bytes] when read
#: (the raw bytes are written back unchanged) or [field id, type, value] when changed.
Struct = list[list[Any]]


class FooterError(ValueError):
    """The bytes are not a Parquet footer this module can rewrite."""


class _Reader:
    """Reads Thrift compact structs; each field keeps its raw bytes, for re-writing."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def varint(self) -> int:
        data, pos = self.data, self.pos
        out = shift = 0
        while True:
            b = data[pos]  # IndexError past the end: a truncated footer
            pos += 1
            out |= (b & 0x7F) << shift
            if not b & 0x80:
                self.pos = pos
                return out
            shift += 7
            if shift > 70:
                raise FooterError("varint too long")

    def zigzag(self) -> int:
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def value(self, kind: int) -> Any:
        if kind in (_I16, _I32, _I64):
            return self.zigzag()
        if kind == _BINARY:
            n = self.varint()
            start = self.pos
            self.pos += n
            if self.pos > len(self.data):
                raise FooterError("truncated footer")
            return self.data[start:self.pos]
        if kind == _STRUCT:
            return self.struct()
        if kind in (_LIST, _SET):
            head = self.data[self.pos]
            self.pos += 1
            size, elem = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            if size > len(self.data):
                raise FooterError("list longer than the footer")
            return [elem, [self.value(elem) for _ in range(size)]]
        if kind in (_TRUE, _FALSE, _BYTE):  # bools only inside collections: one byte
            b = self.data[self.pos]
            self.pos += 1
            return b == 1 if kind != _BYTE else b
        if kind == _DOUBLE:
            self.pos += 8
            return struct.unpack("<d", self.data[self.pos - 8:self.pos])[0]
        raise FooterError(f"unsupported Thrift type {kind}")

    def struct(self) -> Struct:
        fields: Struct = []
        last = 0
        data = self.data
        while True:
            start = self.pos
            head = data[self.pos]
            self.pos += 1
            if head == 0:
                return fields
            delta, kind = head >> 4, head & 0x0F
            fid = last + delta if delta else self.zigzag()
            value: Any = kind == _TRUE if kind in (_TRUE, _FALSE) else self.value(kind)
            # the raw bytes of an unchanged field are written back as they were
            fields.append([fid, kind, value, data[start:self.pos]])
            last = fid


def _varint(v: int, out: bytearray) -> None:
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return


def _zigzag(v: int, out: bytearray) -> None:
    _varint((v << 1) ^ (v >> 63), out)


def _write_value(kind: int, value: Any, out: bytearray) -> None:
    if kind in (_TRUE, _FALSE):
        out.append(1 if value else 2)
    elif kind == _BYTE:
        out.append(value & 0xFF)
    elif kind in (_I16, _I32, _I64):
        _zigzag(value, out)
    elif kind == _DOUBLE:
        out += struct.pack("<d", value)
    elif kind == _BINARY:
        _varint(len(value), out)
        out += value
    elif kind in (_LIST, _SET):
        elem, items = value
        if len(items) < 15:
            out.append((len(items) << 4) | elem)
        else:
            out.append(0xF0 | elem)
            _varint(len(items), out)
        for item in items:
            _write_value(elem, item, out)
    elif kind == _STRUCT:
        _write_struct(value, out)
    else:
        raise FooterError(f"unsupported Thrift type {kind}")


def _write_struct(fields: Struct, out: bytearray) -> None:
    last = 0
    for field in fields:
        if len(field) == 4:  # as read, and the field before it too: its bytes as they were
            out += field[3]
            last = field[0]
            continue
        fid, kind, value = field
        head_kind = (_TRUE if value else _FALSE) if kind in (_TRUE, _FALSE) else kind
        if 0 < fid - last <= 15:
            out.append(((fid - last) << 4) | head_kind)
        else:
            out.append(head_kind)
            _zigzag(fid, out)
        if kind not in (_TRUE, _FALSE):
            _write_value(kind, value, out)
        last = fid
    out.append(0)


def _field(fields: Struct, fid: int) -> list[Any] | None:
    return next((f for f in fields if f[0] == fid), None)


def file_footer(data: bytes | memoryview) -> Struct:
    """The ``FileMetaData`` of a whole Parquet file in memory."""
    view = memoryview(data)
    if len(view) < 12 or bytes(view[:4]) != MAGIC or bytes(view[-4:]) != MAGIC:
        raise FooterError("not a Parquet file")
    n = struct.unpack("<I", view[-8:-4])[0]
    if n > len(view) - 12:
        raise FooterError("footer length out of range")
    try:
        return _Reader(bytes(view[-8 - n:-8])).struct()
    except (IndexError, struct.error, RecursionError):
        raise FooterError("truncated or malformed footer") from None


@dataclass(frozen=True)
class RowGroupPiece:
    """One row group of a file: where its bytes are, and its footer entry."""

    start: int
    size: int
    num_rows: int
    meta: Struct


def row_group_pieces(footer: Struct) -> list[RowGroupPiece]:
    """The row groups of a file, each a contiguous byte range that can be copied."""
    groups = _field(footer, _FMD_ROW_GROUPS)
    pieces = []
    for rg in groups[2][1] if groups else []:
        start, end = None, 0
        for cc in _field(rg, _RG_COLUMNS)[2][1]:  # type: ignore[index]
            if any(_field(cc, f) for f in (_CC_FILE_PATH, _CC_OFFSET_INDEX, _CC_COLUMN_INDEX)):
                raise FooterError("row groups with external columns or page indexes")
            meta = _field(cc, _CC_META)
            if meta is None or _field(meta[2], _CM_BLOOM_FILTER):
                raise FooterError("a column chunk without metadata, or with a bloom filter")
            offsets = [f[2] for f in meta[2] if f[0] in (_CM_DATA_PAGE, _CM_DICT_PAGE)]
            size = _field(meta[2], _CM_COMPRESSED_SIZE)
            if not offsets or size is None:
                raise FooterError("a column chunk without offsets")
            first = min(offsets)
            start = first if start is None else min(start, first)
            end = max(end, first + size[2])
        rows = _field(rg, _RG_NUM_ROWS)
        if start is None or rows is None:
            raise FooterError("an empty row group")
        pieces.append(RowGroupPiece(start, end - start, rows[2], rg))
    return pieces


def _shifted(rg: Struct, delta: int, ordinal: int) -> Struct:
    out: Struct = []
    for field in rg:
        fid, kind, value = field[:3]
        if fid == _RG_COLUMNS:
            field = [fid, kind, [value[0], [_shift_column(cc, delta) for cc in value[1]]]]
        elif fid == _RG_FILE_OFFSET:
            field = [fid, kind, value + delta]
        elif fid == _RG_ORDINAL:
            field = [fid, kind, ordinal]
        out.append(field)
    return out


def _shift_column(cc: Struct, delta: int) -> Struct:
    out: Struct = []
    for field in cc:
        fid, kind, value = field[:3]
        if fid == _CC_FILE_OFFSET and value:  # Arrow's writers leave this deprecated field 0
            field = [fid, kind, value + delta]
        elif fid == _CC_META:
            field = [fid, kind, [[f[0], f[1], f[2] + delta]
                                 if f[0] in (_CM_DATA_PAGE, _CM_INDEX_PAGE, _CM_DICT_PAGE)
                                 else f for f in value]]
        out.append(field)
    return out


class ConcatWriter:
    """Writes one Parquet file from row groups copied out of other files.

    The footer of the result is ``template`` (the footer of a file with the
    same schema, e.g. an empty one written with the final key-value
    metadata) with the copied row groups and their row count. The SHA-256 of
    the bytes written is kept as they are written.
    """

    def __init__(self, sink: BinaryIO) -> None:
        self.sink = sink
        self.digest = hashlib.sha256()
        self.pos = 0
        self.groups: list[Struct] = []
        self.rows = 0
        self._write(MAGIC)

    def _write(self, data: bytes | memoryview) -> None:
        self.sink.write(data)
        self.digest.update(data)
        self.pos += len(data)

    def add(self, data: bytes | memoryview, piece: RowGroupPiece) -> None:
        """Append the row group ``piece`` of the file whose bytes are ``data``."""
        delta = self.pos - piece.start
        self._write(memoryview(data)[piece.start:piece.start + piece.size])
        self.groups.append(_shifted(piece.meta, delta, len(self.groups)))
        self.rows += piece.num_rows

    def close(self, template: Struct) -> str:
        """Write the footer; returns the SHA-256 of the whole file."""
        footer: Struct = []
        for field in template:
            if field[0] == _FMD_NUM_ROWS:
                field = [field[0], field[1], self.rows]
            elif field[0] == _FMD_ROW_GROUPS:
                field = [field[0], field[1], [_STRUCT, self.groups]]
            footer.append(field)
        out = bytearray()
        _write_struct(footer, out)
        self._write(bytes(out))
        self._write(struct.pack("<I", len(out)) + MAGIC)
        return self.digest.hexdigest()
