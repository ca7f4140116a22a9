"""``coercion sweep`` and ``coercion sweep-report``."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.cli.scenario_cmds import EXIT_INVALID

if TYPE_CHECKING:
    from sim.scenario.diagnostics import ScenarioError

__all__ = ["register", "GRID_LIMIT_HELP"]

#: The default of ``--max-grid-points`` (``sweep_spec.MAX_GRID_POINTS``), written out
#: so that ``coercion --help`` need not import the spec format (pydantic).
GRID_LIMIT_HELP = "Refuse grids with more points than this (default: 100,000,000)."


def cmd_sweep(
    spec_file: Annotated[Path, typer.Argument(help="A sweep file, or a scenario with sweeps.")],
    out: Annotated[Path, typer.Option("--out", help="Output directory.")],
    executor: Annotated[str, typer.Option(help="local or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address, tcp://HOST:PORT.")] = None,
    dask_workers: Annotated[int | None, typer.Option(
        help="Start a local Dask cluster with N workers for the run.")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Processes of the local executor (default: the machine's cores).")] = None,
    chunk_size: Annotated[int | None, typer.Option(help="Points per chunk.")] = None,
    resume: Annotated[bool, typer.Option(
        "--resume/--no-resume", help="Reuse chunks of an interrupted run.")] = True,
    sweep_id: Annotated[str | None, typer.Option(
        "--sweep", help="Which sweep of a scenario file (default: the first).")] = None,
    max_grid_points: Annotated[int | None, typer.Option(
        help=GRID_LIMIT_HELP, show_default=False)] = None,
    n: Annotated[int | None, typer.Option(
        "--n", help="Sample count (Sobol: the base count N), instead of the spec's; "
                    "for a quick trial run.")] = None,
) -> None:
    """Run a parameter sweep into a Parquet dataset; kill it and re-run to resume."""
    from pydantic import ValidationError
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from sim.scenario.diagnostics import ScenarioError
    from sim.scenario.sweep_spec import MAX_GRID_POINTS, SweepSpec
    from sim.sweep.engine import plan, run_resolved
    from sim.sweep.files import load_sweep_sources
    from sim.sweep.resolve import SweepError, resolve_sweep

    try:
        sources = load_sweep_sources(spec_file)
    except ScenarioError as exc:
        _echo_diagnostics(exc)
        raise typer.Exit(EXIT_INVALID) from None
    if sweep_id is not None:
        sources = [s for s in sources if s.spec.id == sweep_id]
    if not sources:
        typer.echo(f"error: no sweep {_short(sweep_id)!r} in {spec_file}", err=True)
        raise typer.Exit(EXIT_INVALID)
    if executor not in ("local", "dask"):
        typer.echo(f"error: unknown executor {_short(executor)!r}; choose local or dask",
                   err=True)
        raise typer.Exit(EXIT_INVALID)
    source = sources[0]
    spec = source.spec
    if max_grid_points is None:
        max_grid_points = MAX_GRID_POINTS
    if n is not None:
        try:
            spec = SweepSpec.model_validate({**spec.model_dump(), "n": n})
        except ValidationError as exc:
            typer.echo(f"error: --n {n}: {exc.errors()[0]['msg'].removeprefix('Value error, ')}",
                       err=True)
            raise typer.Exit(EXIT_INVALID) from None
    try:
        resolved = resolve_sweep(spec, spec_file.resolve().parent)
        if chunk_size is not None and chunk_size < 1:
            raise SweepError("--chunk-size must be at least 1")
        plan(resolved, int(chunk_size or spec.chunk_size), max_grid_points)
    except SweepError as exc:
        typer.echo(str(source.diagnostic(exc.field, str(exc))), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except ScenarioError as exc:
        _echo_diagnostics(exc)
        raise typer.Exit(EXIT_INVALID) from None
    # SIGTERM ends the run like Ctrl-C, so chunks already written are kept.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TaskProgressColumn(), TextColumn("{task.fields[rate]}"),
                   TimeElapsedColumn(), TimeRemainingColumn()]
        with Progress(*columns, transient=False) as bar:
            task = bar.add_task(f"sweep {spec.id}", total=None, rate="")
            start: list[float] = []

            def progress(done: int, total: int) -> None:
                import time

                now = time.perf_counter()
                if not start:
                    start.extend([now, float(done)])
                elapsed = now - start[0]
                rate = (done - start[1]) / elapsed if elapsed > 0 else 0.0
                bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} pts/s")

            summary = run_resolved(resolved, out, executor=executor, workers=workers,
                                   scheduler=scheduler, dask_workers=dask_workers,
                                   chunk_size=chunk_size, resume=resume,
                                   max_grid_points=max_grid_points, progress=progress)
    except SweepError as exc:
        typer.echo(f"error: {_short(str(exc), 400)}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:
        typer.echo(f"error: {out}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo(f"interrupted: finished chunks are kept in {out}; "
                   "re-run the same command to resume", err=True)
        raise typer.Exit(130) from None
    typer.echo(f"{summary.n_points:,} points in {summary.n_chunks} chunks "
               f"({summary.computed} computed, {summary.reused} reused) in "
               f"{summary.seconds:.2f} s -> {summary.results}")


def cmd_sweep_report(
    out: Annotated[Path, typer.Argument(help="A finished sweep's output directory.")],
    bins: Annotated[int, typer.Option(help="Bins of the outcome curves.")] = 20,
) -> None:
    """Write a finished sweep's figures (HTML and PNG), CSV and Markdown summary."""
    from sim.sweep.report import write_report
    from sim.sweep.resolve import SweepError

    try:
        report = write_report(out, bins=bins)
    except SweepError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(f"wrote {report.markdown}, {report.csv} and {len(report.figures)} figures")


def _short(text: str | None, limit: int = 80) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def _echo_diagnostics(exc: ScenarioError) -> None:
    for d in exc.diagnostics[:50]:
        typer.echo(_short(str(d), 400), err=True)
    if len(exc.diagnostics) > 50:
        typer.echo(f"… and {len(exc.diagnostics) - 50} more problems", err=True)


def register(app: typer.Typer) -> None:
    app.command("sweep")(cmd_sweep)
    app.command("sweep-report")(cmd_sweep_report)
