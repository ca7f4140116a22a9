"""``coercion classroom bots`` and ``coercion classroom export``.

Both open the class database the browser uses: ``--db``, else
``COERCION_CLASSROOM_DB``, else ``classroom.db`` in the working directory.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from sim.cli.scenario_cmds import EXIT_INVALID

__all__ = ["register"]

classroom = typer.Typer(help="Run simulated students in a class session, or export its data.",
                        no_args_is_help=True, rich_markup_mode=None)

_DB_HELP = "Database URL (default: COERCION_CLASSROOM_DB, else sqlite:///classroom.db)."


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_INVALID)


@classroom.command("bots")
def cmd_bots(
    session: Annotated[str, typer.Option("--session", help="The session's join code.")],
    n: Annotated[int, typer.Option("--n", min=1, max=500, help="How many students.")] = 10,
    policy: Annotated[str, typer.Option(
        help="qre:LAMBDA, nash, uniform or always:ACTION.")] = "nash",
    seed: Annotated[int, typer.Option(help="Seed of the students' draws.")] = 0,
    db: Annotated[str | None, typer.Option("--db", help=_DB_HELP)] = None,
    once: Annotated[bool, typer.Option(
        "--once", help="Move in the open round only, then stop.")] = False,
    poll: Annotated[float, typer.Option(min=0.1, help="Seconds between looks.")] = 2.0,
    idle: Annotated[float, typer.Option(
        min=1.0, help="Stop after this many seconds without a new round.")] = 3600.0,
) -> None:
    """Join N simulated students who play every round through the class store."""
    from sim.classroom.bots import BotClass, parse_policy
    from sim.classroom.store import ClassroomError, ClassroomStore

    store = ClassroomStore(db)
    try:
        game = store.game_by_code(session)
        bots = BotClass(store, session, parse_policy(policy, game), seed=seed)
        bots.join(n)
        typer.echo(f"{n} simulated students joined session {session.upper()}.")
        last = time.monotonic()
        while True:
            moved = bots.play()
            if moved:
                me = store.player_state(bots.tokens[0])
                typer.echo(f"round {me.round}: {moved} moves")
                last = time.monotonic()
            me = store.player_state(bots.tokens[0])
            if once or me.ended:
                break
            if time.monotonic() - last > idle:
                typer.echo("no new round for a while; stopping", err=True)
                break
            time.sleep(poll)
    except (ClassroomError, ValueError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    finally:
        store.dispose()


@classroom.command("export")
def cmd_export(
    session: Annotated[str, typer.Option("--session", help="The session's join code.")],
    out: Annotated[Path, typer.Option("--out", help="A .parquet or .csv file.")],
    token: Annotated[str | None, typer.Option(
        "--token", envvar="COERCION_INSTRUCTOR_TOKEN",
        help="The instructor token (the teacher= part of the instructor link).")] = None,
    password: Annotated[str | None, typer.Option(
        "--password", envvar="COERCION_INSTRUCTOR_PASSWORD",
        help="The instructor password, instead of the token.")] = None,
    db: Annotated[str | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Write the tidy table of every closed round (schema: docs/classroom_export.md)."""
    from sim.classroom.export import write_export
    from sim.classroom.store import ClassroomError, ClassroomStore

    if out.suffix.lower() not in (".parquet", ".csv"):
        _fail(f"{out}: the file name must end in .parquet or .csv")
    if token is None and password is None:
        _fail("give the instructor token (--token) or the instructor password (--password)")
    store = ClassroomStore(db, instructor_password=password)
    try:
        if token is not None:
            s = store.instructor_state(token)
            if s.code != session.replace("-", "").strip().upper():
                _fail("this instructor token belongs to another session")
            rows = store.export_rows(token)
        else:
            rows = store.export_rows(code=session, password=password, client="cli")
        write_export(rows, out)
    except ClassroomError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{out}: {exc.strerror or exc}")
    finally:
        store.dispose()
    typer.echo(f"{len(rows)} rows written to {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(classroom, name="classroom")
