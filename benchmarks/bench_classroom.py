"""A class of simulated students hitting the classroom store at once.

Run ``.venv/bin/python benchmarks/bench_classroom.py [--students 100] [--rounds 3]
[--db sqlite] [--db postgres] [--db URL] [--json FILE] [--matching strangers] [--rotate]
[--game chicken|threat]``. ``--db`` names a back end to measure, in turn and never two at
once: ``sqlite`` (a temporary file, the default), ``postgres`` (a throw-away PostgreSQL
server started in a temporary folder and removed after, see ``tests/pg_server.py``) or a
database URL (``postgresql+psycopg://...``). Each
student is a thread (with ``--per-student-stores``, with its own store and database
connection, as a separate server process would have). All join at the same moment.
In Chicken (played at once) each student then, for each round, moves, changes their
mind once, and polls their page while the instructor polls and closes the round. In
the threat game (a tree played in turn) the instructor starts each round, and each
student polls their page, moves when it says it is their move, and polls until the
close. It prints, per
back end and per operation (join, move, wait = a student's poll, close), the
p50 and p95 latency in milliseconds, the errors shown, and the acknowledged
moves that were lost or counted twice; and the CPU time and peak memory of the
process that serves the class (this one) and of a throw-away database server.

Targets: no error, nothing lost, nothing double-counted, p95 under 1 s. At the end the
counts are checked (every student joined once, every acknowledged move is stored once
and scored once); the script exits with status 1, after printing and writing the JSON,
if they are not right.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the throw-away PostgreSQL server lives beside the tests

from sim.classroom.schema import moves, players, results  # noqa: E402
from sim.classroom.store import ClassroomError, ClassroomStore  # noqa: E402
from tests.pg_server import postgres_server  # noqa: E402

T = TypeVar("T")
OPERATIONS = ("join", "move", "wait", "instructor poll", "start", "close")
#: The p95 latency every student-facing operation should stay under, in seconds.
TARGET_P95_S = 1.0
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """A process's parent id and its CPU seconds, its reaped children's included (Linux)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # the name, in brackets, may hold spaces
    # fields 3 (state), 4 (ppid), ... 14-17 (utime, stime, cutime, cstime) of proc(5)
    return int(fields[1]), sum(int(f) for f in fields[11:15]) / _TICK


def _tree(root: int) -> list[int]:
    """``root`` and its direct children: a PostgreSQL postmaster and its backends."""
    kids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat is not None and stat[0] == root:
                kids.append(int(entry.name))
    return [root, *kids]


def _tree_cpu(root: int) -> float:
    """CPU seconds of a process tree so far: exited backends are in the postmaster's
    children's time once it has reaped them, live ones are read one by one."""
    return sum(stat[1] for pid in _tree(root) if (stat := _proc_stat(pid)) is not None)


def _memory_mb(pids: list[int]) -> float:
    """Proportional set size (shared pages split among their users) of processes, in MB."""
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
        except OSError:
            continue
    return total_kb / 1024


@contextmanager
def usage(db_pid: int | None, every: float = 0.25) -> Iterator[dict[str, float | None]]:
    """CPU seconds and peak memory of this process, and of a database server's tree.

    Memory is sampled every ``every`` seconds on a thread of its own; the figures
    are filled into the yielded dict when the block ends. Without ``/proc``, or
    without a local server's process id, the database's figures are ``None``.
    """
    out: dict[str, float | None] = {}
    have_proc = Path("/proc/self/smaps_rollup").exists()
    peak = {"app": 0.0, "db": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while True:
            if have_proc:
                peak["app"] = max(peak["app"], _memory_mb([os.getpid()]))
                if db_pid is not None:
                    peak["db"] = max(peak["db"], _memory_mb(_tree(db_pid)))
            if stop.wait(every):
                return

    cpu0 = time.process_time()
    db0 = _tree_cpu(db_pid) if db_pid is not None and have_proc else None
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield out
    finally:
        stop.set()
        sampler.join()
        out["app_cpu_s"] = time.process_time() - cpu0
        out["app_peak_mb"] = peak["app"] if have_proc else None
        if db_pid is not None and db0 is not None:
            time.sleep(0.5)  # let the postmaster reap the backends the pool just closed
            out["db_cpu_s"] = _tree_cpu(db_pid) - db0
            out["db_peak_mb"] = peak["db"]
        else:
            out["db_cpu_s"] = out["db_peak_mb"] = None


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
              rotate: bool = False, game: str = "chicken",
              db_pid: int | None = None) -> dict[str, Any]:
    """Play ``rounds`` rounds of ``game`` with ``n`` students; timings, counts and usage.

    With ``per_student`` every student has its own store and connection pool, as
    if each were served by its own process; otherwise all share one store, as
    the sessions of one Streamlit server do. ``db_pid``, the process id of a
    local PostgreSQL server, adds that server's CPU time and memory.
    """
    admin = ClassroomStore(url)  # the pool the dashboard's store has
    created = admin.create_session(game, seed=seed, matching=matching, rotate=rotate)
    in_turn = admin.game_of(created.instructor_token).in_turn
    started = [threading.Event() for _ in range(rounds + 1)]
    timings = Timings()
    acked: dict[tuple[str, int], str] = {}
    acked_moves = [0]  # in a tree, every acknowledged move; in Chicken, the last of a round
    ack_lock = threading.Lock()
    ready = threading.Barrier(n + 1)
    joined = threading.Barrier(n + 1)  # a tree's round starts once the class is in
    round_done = [threading.Event() for _ in range(rounds + 1)]
    moved = [threading.Barrier(n + 1) for _ in range(rounds + 1)]

    def student(i: int) -> None:
        rng = np.random.default_rng([seed, i])
        own = ClassroomStore(url, pool_size=1, max_overflow=1) if per_student else admin
        name = f"Student {i:03d}"
        ready.wait()
        ticket = timings.timed("join", own.join, created.code, name, client=f"bench-{i}")
        joined.wait()
        for r in range(1, rounds + 1):
            if ticket is None:
                moved[r].wait()
                continue
            if in_turn:
                started[r].wait()
                mine: list[str] = []
                while True:  # the page polls; it moves when the page says so
                    me = timings.timed("wait", own.player_state, ticket.player_token)
                    if me is None or me.turn is None or me.turn.finished:
                        break
                    if me.turn.my_move:
                        action = me.actions[int(rng.integers(len(me.actions)))]
                        if timings.timed("move", own.submit, ticket.player_token, action, r,
                                         step=me.turn.step) is not None:
                            mine.append(action)
                    else:
                        time.sleep(float(rng.uniform(0.2, 0.6)))
                with ack_lock:
                    acked[(name, r)] = ", ".join(mine)
                    acked_moves[0] += len(mine)
                moved[r].wait()
                while not round_done[r].is_set():
                    timings.timed("wait", own.player_state, ticket.player_token)
                    time.sleep(float(rng.uniform(0.2, 0.6)))
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

    with usage(db_pid) as used, ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(student, i) for i in range(n)]
        ready.wait()
        start = time.perf_counter()
        joined.wait()
        for r in range(1, rounds + 1):
            if in_turn:
                timings.timed("start", admin.start_round, created.instructor_token, r)
                started[r].set()
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
        in_class = conn.execute(
            sa.select(sa.func.count()).select_from(players)
            .where(players.c.session_id == created.session_id, players.c.bot.is_(None))
        ).scalar_one()
    closed = admin.choices(created.instructor_token)
    admin.dispose()
    got: dict[tuple[str, int], str] = {}
    for row in closed:  # in a tree, a student's moves of a round in order
        if row["outcome"] is not None:
            key = (row["name"], int(row["round"]))
            got[key] = (got[key] + ", " + row["action"]) if in_turn and key in got \
                else row["action"]
    if in_turn:
        acked = {k: v for k, v in acked.items() if v}  # a role that never had to move
    else:
        acked_moves[0] = len(acked)  # a change of mind replaces the first choice
    lost = sum(1 for k, a in acked.items() if got.get(k) != a)
    duplicated = len(scored) - len({(r.player_id, r.round) for r in scored})
    return {"timings": timings, "acked": len(acked), "lost": lost, "duplicated": duplicated,
            "wall": wall, "students": n, "rounds": rounds, "in_turn": in_turn,
            "joined": int(in_class), "acked_moves": acked_moves[0], "stored_moves": len(closed),
            "scored": len(scored), "usage": used}


def problems(out: dict[str, Any]) -> list[str]:
    """What is wrong with a run's counts, in words; empty when every student joined once
    and every acknowledged move is stored once and scored once."""
    found = []
    n, rounds = out["students"], out["rounds"]
    errors = sum(len(e) for e in out["timings"].errors.values())
    if errors:
        found.append(f"{errors} operations failed")
    if out["joined"] != n:
        found.append(f"{out['joined']} of {n} students are in the class")
    if not out["in_turn"] and out["acked"] != n * rounds:
        found.append(f"{out['acked']} of {n * rounds} students' rounds have an acknowledged move")
    if out["stored_moves"] != out["acked_moves"]:
        found.append(f"{out['stored_moves']} moves stored for {out['acked_moves']} acknowledged")
    if out["lost"]:
        found.append(f"{out['lost']} acknowledged moves lost")
    if out["duplicated"]:
        found.append(f"{out['duplicated']} moves scored twice")
    if not out["in_turn"] and out["scored"] != out["acked"]:
        found.append(f"{out['scored']} moves scored for {out['acked']} acknowledged")
    return found


def summary(out: dict[str, Any], backend: str, label: str, load: list[float],
            game: str = "chicken") -> dict[str, Any]:
    """A run as JSON: latencies in seconds per operation, counts, usage and the targets."""
    timings = out["timings"]
    ops = {}
    for op in OPERATIONS:
        ms = timings.ms.get(op)
        if ms:
            ops[op] = {"calls": len(ms), "p50_s": float(np.percentile(ms, 50)) / 1e3,
                       "p95_s": float(np.percentile(ms, 95)) / 1e3, "max_s": max(ms) / 1e3,
                       "errors": len(timings.errors.get(op, []))}
    student_p95 = max(ops[op]["p95_s"] for op in ("join", "move", "wait") if op in ops)
    wrong = problems(out)
    return {"backend": backend, "label": label, "game": game, "students": out["students"],
            "rounds": out["rounds"], "load_average": load, "cpus": os.cpu_count(),
            "wall_s": out["wall"], "operations": ops,
            "acknowledged": out["acked"], "acknowledged_moves": out["acked_moves"],
            "stored_moves": out["stored_moves"], "joined": out["joined"],
            "lost": out["lost"], "duplicated": out["duplicated"], **out["usage"],
            "target_p95_s": TARGET_P95_S, "student_p95_s": student_p95,
            "counts_right": not wrong, "problems": wrong,
            "met": student_p95 < TARGET_P95_S and not wrong}


def _report(label: str, out: dict[str, Any]) -> None:
    timings = out["timings"]
    assert isinstance(timings, Timings)
    print(f"\n{label}: {out['acked']} acknowledged moves, lost {out['lost']}, "
          f"duplicated {out['duplicated']}, wall {out['wall']:.1f} s")
    print(f"{'operation':<16}{'calls':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'errors':>8}")
    for op in OPERATIONS:
        ms = np.array(timings.ms.get(op, [np.nan]))
        print(f"{op:<16}{len(timings.ms.get(op, [])):>7}{np.percentile(ms, 50):>10.1f}"
              f"{np.percentile(ms, 95):>10.1f}{ms.max():>10.1f}"
              f"{len(timings.errors.get(op, [])):>8}")
    for op, errs in timings.errors.items():
        print(f"  {op} errors, first: {errs[0]}")
    used = out["usage"]
    line = f"serving process: {used['app_cpu_s']:.1f} s CPU"
    if used["app_peak_mb"] is not None:
        line += f", peak {used['app_peak_mb']:.0f} MB"
    if used["db_cpu_s"] is not None:
        line += (f"; database server: {used['db_cpu_s']:.1f} s CPU, "
                 f"peak {used['db_peak_mb']:.0f} MB")
    print(line)
    wrong = problems(out)
    print("counts: " + ("; ".join(wrong) if wrong else
                        f"all {out['joined']} students joined once, {out['stored_moves']} "
                        f"acknowledged moves stored once, {out['scored']} scored once"))


@contextmanager
def _database(which: str, tmp: Path) -> Iterator[tuple[str, str, int | None]]:
    """A back end named on the command line: its kind, URL and local server's process id."""
    if which == "sqlite":
        yield "sqlite", f"sqlite:///{tmp / 'bench.db'}", None
    elif which == "postgres":
        with postgres_server(max_connections=300) as server:
            yield "postgresql", server.url, server.pid
    else:
        yield sa.make_url(which).get_backend_name(), which, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-student-stores", action="store_true",
                        help="one store (and connection pool) per student, as separate "
                             "processes would have; default: one shared store, one server")
    parser.add_argument("--db", action="append", default=None,
                        help="sqlite (a temporary file), postgres (a throw-away local "
                             "server) or a database URL; repeat to measure several in turn "
                             "(default: sqlite)")
    parser.add_argument("--json", type=Path, default=None,
                        help="write the figures here (benchmarks/results/classroom.json)")
    parser.add_argument("--matching", default="random",
                        choices=("random", "partners", "strangers"))
    parser.add_argument("--rotate", action="store_true", help="roles swap every round")
    parser.add_argument("--game", default="chicken",
                        help="chicken (played at once) or threat (a tree played in turn)")
    args = parser.parse_args()
    how = "a store per student" if args.per_student_stores else "one shared store"
    how += f", {args.matching} matching" + (", rotating roles" if args.rotate else "")
    how += f", {args.game}"
    runs = []
    wrong = False
    for which in args.db or ["sqlite"]:
        with tempfile.TemporaryDirectory() as tmp, _database(which, Path(tmp)) as (
                backend, url, pid):
            load = [os.getloadavg()[0]]
            name = "SQLite" if backend == "sqlite" else "PostgreSQL" \
                if backend == "postgresql" else backend
            label = f"{name}, {args.students} students, {how}"
            print(f"\n{label}: load average {load[0]:.2f} before the run")
            out = run_class(url, args.students, args.rounds,
                            per_student=args.per_student_stores, matching=args.matching,
                            rotate=args.rotate, game=args.game, db_pid=pid)
            load.append(os.getloadavg()[0])
            _report(label, out)
            runs.append(summary(out, backend, label, load, args.game))
            wrong = wrong or bool(problems(out))
    if args.json:
        command = "benchmarks/bench_classroom.py " + " ".join(sys.argv[1:])
        args.json.write_text(json.dumps({"command": command.strip(), "runs": runs},
                                        indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    if wrong:
        raise SystemExit("the counts are not right (see above)")


if __name__ == "__main__":
    main()
