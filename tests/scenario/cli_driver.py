"""Run many ``coercion`` command lines in one process, timing each.

``python -m tests.scenario.cli_driver JOBS.json OUT.json`` reads a list of
argument lists, runs each as the console script would (``coercion ARGS...``)
and writes each run's exit status, output and time to ``OUT.json``. One
process for the whole corpus keeps the hostile-corpus test fast: starting the
interpreter and importing the models costs more than refusing a file. The
first run is repeated untimed beforehand, so no file is charged the imports.
"""

from __future__ import annotations

import contextlib
import io
import json
import signal
import sys
import time
import traceback
from typing import Any

#: Seconds one run may take before it is recorded as timed out.
PER_RUN_TIMEOUT = 10
_KEEP = 20_000


def _alarm(signum: int, frame: Any) -> None:
    raise TimeoutError(f"no answer within {PER_RUN_TIMEOUT} s")


def _run(cli: Any, args: list[str]) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    signal.alarm(PER_RUN_TIMEOUT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code: Any = cli.main(args=args, prog_name="coercion", standalone_mode=False) or 0
    except SystemExit as exc:
        code = exc.code
    except BaseException:  # noqa: BLE001 - recorded, and the test fails on it
        code = "exception"
        err.write(traceback.format_exc())
    finally:
        signal.alarm(0)
    return {"args": args, "code": code, "seconds": time.perf_counter() - start,
            "stdout": out.getvalue()[:_KEEP], "stderr": err.getvalue()[:_KEEP],
            "stdout_chars": len(out.getvalue()), "stderr_chars": len(err.getvalue())}


def main(jobs_path: str, out_path: str) -> None:
    import typer

    from sim.cli import app

    with open(jobs_path, encoding="utf-8") as fh:
        jobs: list[list[str]] = json.load(fh)
    cli = typer.main.get_command(app)
    signal.signal(signal.SIGALRM, _alarm)
    warmed: set[str] = set()
    results = []
    for args in jobs:
        if args[0] not in warmed:  # imports of the command, untimed
            warmed.add(args[0])
            _run(cli, args)
        results.append(_run(cli, args))
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(results, fh)


if __name__ == "__main__":
    main(*sys.argv[1:3])
