"""Row groups copied byte for byte into one Parquet file, and the merge built on them."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim.scenario.sweep_spec import SweepSpec
from sim.sweep import engine
from sim.sweep.parquet_concat import ConcatWriter, FooterError, file_footer, row_group_pieces
from sim.sweep.resolve import resolve_sweep

OPTIONS = {"compression": "none", "use_dictionary": ["regime"], "data_page_version": "1.0"}


def _table(n: int, seed: int = 0) -> pa.Table:
    rng = np.random.default_rng(seed)
    labels = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, 3, n).astype(np.int8)),
                                            pa.array(["peace", "war", "invalid parameters"]))
    return pa.table({"point": np.arange(n), "x": rng.random(n), "regime": labels,
                     "valid": rng.random(n) > 0.2})


def _encode(table: pa.Table, row_group: int) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=row_group, **OPTIONS)
    return sink.getvalue()


def test_copied_row_groups_read_back_as_the_table_with_the_template_metadata() -> None:
    table = _table(5500)
    parts = [_encode(table.slice(0, 2000), 1000), _encode(table.slice(2000, 3000), 1000),
             _encode(table.slice(5000), 1000)]
    meta = {b"coercion-sim": b'{"rows": 5500}'}
    template = _encode(table.schema.with_metadata(meta).empty_table(), 1000)
    sink = io.BytesIO()
    writer = ConcatWriter(sink)
    for part in parts:
        for piece in row_group_pieces(file_footer(part)):
            writer.add(part, piece)
    digest = writer.close(file_footer(template))
    data = sink.getvalue()
    back = pq.read_table(pa.BufferReader(data))
    assert back.equals(table.replace_schema_metadata(meta))
    assert back.schema.metadata == meta
    info = pq.read_metadata(pa.BufferReader(data))
    assert info.num_rows == 5500
    assert [info.row_group(i).num_rows for i in range(info.num_row_groups)] == \
        [1000] * 5 + [500]
    # statistics travel with their row group
    stats = info.row_group(3).column(0).statistics
    assert (stats.min, stats.max) == (3000, 3999)
    import hashlib

    assert digest == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("data", [b"", b"PAR1PAR1", b"PAR1\x00\x00\x00\x00garbage\xff\xffPAR1",
                                  b"PAR1" + b"\x19" * 40 + b"\x28\x00\x00\x00PAR1"])
def test_a_file_that_is_not_parquet_is_refused_cleanly(data: bytes) -> None:
    with pytest.raises(FooterError):
        row_group_pieces(file_footer(data))


def test_the_merge_gives_the_same_bytes_whether_it_copies_or_re_encodes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small row groups, so that aligned chunks (copied) and unaligned ones
    # (cut and re-encoded) both occur, alone and mixed, with one and two workers.
    monkeypatch.setattr(engine, "_ROW_GROUP", 500)
    monkeypatch.setattr(engine, "_PARQUET", {**engine._PARQUET, "row_group_size": 500})
    spec = SweepSpec.model_validate({
        "id": "concat-test", "model": "fearon_tioli_private_costs",
        "varied": {"p": {"dist": "uniform"}, "c_hi": {"dist": "uniform", "min": 0.1,
                                                      "max": 0.8}},
        "sampler": "random", "n": 4200, "seed": 5, "chunk_size": 1000})
    resolved = resolve_sweep(spec)
    digests = set()
    for size, workers in ((1000, 1), (700, 1), (1500, 2), (4200, 1)):
        out = tmp_path / f"run-{size}"
        engine.run_resolved(resolved, out, chunk_size=size, workers=workers)
        digests.add((out / engine.RESULTS).read_bytes())
        info = pq.read_metadata(out / engine.RESULTS)
        assert [info.row_group(i).num_rows for i in range(info.num_row_groups)] == \
            [500] * 8 + [200]
    assert len(digests) == 1
    table = engine.read_results(tmp_path / "run-700")
    memory = engine.evaluate_in_memory(resolved, chunk_size=999)
    assert table.column("point").to_pylist() == list(range(4200))
    for name in ("p", "c_hi", "p_war"):
        assert np.array_equal(table.column(name).to_numpy(), memory.column(name).to_numpy())
    assert table.column("regime").to_pylist() == memory.column("regime").to_pylist()
