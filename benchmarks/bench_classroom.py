"""A class of simulated students hitting the classroom store at once.

Run ``.venv/bin/python benchmarks/bench_classroom.py [--students 100] [--rounds 3]
[--postgres URL] [--matching strangers] [--rotate]``. Each student is a thread with
its own store (its own database connection, as a separate server process would have). All join at
the same moment, then, for each round, move, change their mind once, and poll
their page while the instructor polls and closes the round. It prints, per
back end and per operation (join, move, wait = a student's poll, close), the
p50 and p95 latency in milliseconds, the errors shown, and the acknowledged
moves that were lost or counted twice.

Targets: no error, nothing lost, nothing double-counted, p95 under 1 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.classroom.schema import moves, results  # noqa: E402
from sim.classroom.store import ClassroomError, ClassroomStore  # noqa: E402

T = TypeVar("T")


class Timings:
    """Latencies (ms) and errors per operation, shared by the student threads."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self._lock = threading.Lock()

    def timed(self, op: str, call: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        t = time.perf_counter()
        try:
            return call(*args, **kwargs)
        except ClassroomError as exc:
            with self._lock:
                self.errors[op].append(str(exc))
            return None
        finally:
            with self._lock:
                self.ms[op].append(1e3 * (time.perf_counter() - t))


def run_class(url: str, n: int, rounds: int, seed: int = 2022,
              per_student: bool = False, matching: str = "random",
              rotate: bool = False) -> dict[str, object]:
    """Play ``rounds`` rounds of the threat game with ``n`` students; timings and counts.

    With ``per_student`` every student has its own store and connection pool, as
    if each were served by its own process; otherwise all share one store, as
    the sessions of one Streamlit server do.
    """
    admin = ClassroomStore(url, pool_size=10, max_overflow=90)
    created = admin.create_session("threat", seed=seed, matching=matching, rotate=rotate)
    timings = Timings()
    acked: dict[tuple[str, int], str] = {}
    ack_lock = threading.Lock()
    ready = threading.Barrier(n + 1)
    round_done = [threading.Event() for _ in range(rounds + 1)]
    moved = [threading.Barrier(n + 1) for _ in range(rounds + 1)]

    def student(i: int) -> None:
        rng = np.random.default_rng([seed, i])
        own = ClassroomStore(url, pool_size=1, max_overflow=1) if per_student else admin
        name = f"Student {i:03d}"
        ready.wait()
        ticket = timings.timed("join", own.join, created.code, name, client=f"bench-{i}")
        for r in range(1, rounds + 1):
            if ticket is None:
                moved[r].wait()
                continue
            me = timings.timed("wait", own.player_state, ticket.player_token)
            if me is not None:
                for _ in range(2):  # a first choice, then a change of mind
                    action = me.actions[int(rng.integers(len(me.actions)))]
                    if timings.timed("move", own.submit, ticket.player_token, action,
                                     r) is not None:
                        with ack_lock:
                            acked[(name, r)] = action
            moved[r].wait()
            while not round_done[r].is_set():  # the page polls until the round closes
                timings.timed("wait", own.player_state, ticket.player_token)
                time.sleep(float(rng.uniform(0.2, 0.6)))
        if per_student:
            own.dispose()

    with ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(student, i) for i in range(n)]
        ready.wait()
        start = time.perf_counter()
        for r in range(1, rounds + 1):
            moved[r].wait()
            timings.timed("instructor poll", admin.instructor_state, created.instructor_token)
            timings.timed("close", admin.close_round, created.instructor_token, r)
            round_done[r].set()
        for f in futures:
            f.result()
        wall = time.perf_counter() - start
    with admin.engine.connect() as conn:
        scored = conn.execute(
            sa.select(results.c.player_id, results.c.round, moves.c.action)
            .join(moves, sa.and_(moves.c.session_id == results.c.session_id,
                                 moves.c.round == results.c.round,
                                 moves.c.player_id == results.c.player_id))
            .where(results.c.session_id == created.session_id)).all()
    closed = admin.choices(created.instructor_token)
    admin.dispose()
    got = {(row["name"], int(row["round"])): row["action"] for row in closed
           if row["outcome"] is not None}
    lost = sum(1 for k, a in acked.items() if got.get(k) != a)
    duplicated = len(scored) - len({(r.player_id, r.round) for r in scored})
    return {"timings": timings, "acked": len(acked), "lost": lost, "duplicated": duplicated,
            "wall": wall}


def _report(label: str, out: dict[str, object]) -> None:
    timings = out["timings"]
    assert isinstance(timings, Timings)
    print(f"\n{label}: {out['acked']} acknowledged moves, lost {out['lost']}, "
          f"duplicated {out['duplicated']}, wall {out['wall']:.1f} s")
    print(f"{'operation':<16}{'calls':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'errors':>8}")
    for op in ("join", "move", "wait", "instructor poll", "close"):
        ms = np.array(timings.ms.get(op, [np.nan]))
        print(f"{op:<16}{len(timings.ms.get(op, [])):>7}{np.percentile(ms, 50):>10.1f}"
              f"{np.percentile(ms, 95):>10.1f}{ms.max():>10.1f}"
              f"{len(timings.errors.get(op, [])):>8}")
    for op, errs in timings.errors.items():
        print(f"  {op} errors, first: {errs[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-student-stores", action="store_true",
                        help="one store (and connection pool) per student, as separate "
                             "processes would have; default: one shared store, one server")
    parser.add_argument("--postgres", default=None,
                        help="a PostgreSQL URL (postgresql+psycopg://...) to measure as well")
    parser.add_argument("--matching", default="random",
                        choices=("random", "partners", "strangers"))
    parser.add_argument("--rotate", action="store_true", help="roles swap every round")
    args = parser.parse_args()
    how = "a store per student" if args.per_student_stores else "one shared store"
    how += f", {args.matching} matching" + (", rotating roles" if args.rotate else "")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        _report(f"SQLite, {args.students} students, {how}",
                run_class(url, args.students, args.rounds, per_student=args.per_student_stores,
                          matching=args.matching, rotate=args.rotate))
    if args.postgres:
        _report(f"PostgreSQL, {args.students} students, {how}",
                run_class(args.postgres, args.students, args.rounds,
                          per_student=args.per_student_stores, matching=args.matching,
                          rotate=args.rotate))


if __name__ == "__main__":
    main()
