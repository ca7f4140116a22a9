"""``coercion solve``: equilibria of a game stored in a Gambit ``.nfg`` or ``.efg`` file.

The JSON output (``--json``) is described in ``docs/solve_json.md``. Game files
are read within the size limits of :class:`sim.games.limits.GameLimits`;
``--max-size KEY=N`` raises them.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer

from sim.games.errors import GameError, GameTooLarge
from sim.games.limits import DEFAULT_LIMITS, GameLimits

__all__ = ["register", "solve_file", "to_jsonable"]

METHODS = ("all", "pure", "one", "zero-sum", "spe", "pbe", "qre")
EXIT_BAD_INPUT = 2
_NFG_WHERE = re.compile(r"^line (\d+), column (\d+): (.*)$", re.S)


def to_jsonable(value: Any) -> Any:
    """Numbers as JSON floats (exact values keep their exactness in ``*_exact`` twins)."""
    import numpy as np  # on first use: ``coercion --help`` does not need it

    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    return float(value)


def _exact_text(value: Any) -> Any:
    import numpy as np

    if isinstance(value, dict):
        return {str(k): _exact_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_exact_text(v) for v in list(value)]
    if isinstance(value, (Fraction, int)) and not isinstance(value, bool):
        return str(Fraction(value))
    return value


def _load(path: Path, limits: GameLimits = DEFAULT_LIMITS) -> tuple[str, Any]:
    kind, game, _line = _load_located(path, limits)
    return kind, game


def _load_located(path: Path, limits: GameLimits,
                  sets: list[str] | None = None) -> tuple[str, Any, int]:
    """The game in ``path``, and the line where its strategies (or its tree) start."""
    suffix = path.suffix.lower()
    if suffix == ".json":  # the game lab's JSON form, at the --set values
        from sim.lab.cli import load_lab_json

        kind, game = load_lab_json(path, sets or [])
        return kind, game, 1
    if sets:
        raise GameError(f"{path}: --set applies to the game lab's .json form only")
    if suffix == ".efg":
        from sim.games.efg import read_efg

        return "efg", read_efg(path, limits=limits), 1
    if suffix == ".nfg":
        from sim.games.limits import read_game_text
        from sim.games.nfg import parse_nfg

        text = read_game_text(path)
        try:
            game, strategies_line = parse_nfg(text, limits=limits)
            return "nfg", game, strategies_line
        except GameError as exc:
            m = _NFG_WHERE.match(str(exc))
            if m:
                line, col, what = m.group(1), m.group(2), m.group(3)
                raise GameError(f"{path}:{line}: {what} (column {col})") from None
            if str(exc).startswith("end of file"):
                raise GameError(f"{path}:{text.count(chr(10)) + 1}: {exc}") from None
            raise GameError(f"{path}:1: {exc}") from None
    raise GameError(f"{path}:1: unknown file type {suffix!r}; expected .nfg or .efg")


def _nfg_method(method: str, game: Any, lam: float | None,
                limits: GameLimits = DEFAULT_LIMITS) -> Any:
    if method == "all":
        from sim.solvers.enummixed import enummixed_solve

        if game.n_players != 2:
            raise GameError("--method all enumerates two-player games; try --method pure or qre")
        return enummixed_solve(game, max_systems=limits.systems)
    if method == "pure":
        from sim.solvers.pure import pure_solve

        return pure_solve(game)
    if method == "one":
        from sim.solvers.lemke_howson import lemke_howson_solve

        return lemke_howson_solve(game)
    if method == "zero-sum":
        from sim.solvers.zero_sum import lp_solve

        return lp_solve(game)
    if method == "qre":
        from sim.solvers.logit_qre import logit_qre_at

        if lam is None:
            raise GameError("--method qre on a normal-form game needs --lambda")
        return logit_qre_at(game, lam)
    raise GameError(f"--method {method} needs an extensive-form (.efg) game")


def _efg_method(method: str, game: Any, lam: float | None,
                limits: GameLimits = DEFAULT_LIMITS) -> Any:
    if method == "spe":
        from sim.solvers.spe import spe_solve

        return spe_solve(game, ties="all", max_equilibria=1000)
    if method in ("all", "pbe"):
        from sim.solvers.enummixed import check_enumerable
        from sim.solvers.sequential import nash_efg_solve

        rows, cols = _reduced(game, limits).shape
        check_enumerable(rows, cols, limits.systems)
        res = nash_efg_solve(game)
        if method == "all":
            return res
        keep = tuple(e for e in res.equilibria if "not sequentially" not in e.label)
        from dataclasses import replace

        return replace(res, method="pbe", equilibria=keep, components=(),
                       notes=res.notes + ("weak PBE: Nash equilibria sequentially rational "
                                          "with Bayes beliefs on path",))
    if method == "qre":
        from sim.solvers.agent_qre import agent_qre_solve

        return agent_qre_solve(game, lam)
    return _nfg_method(method, _reduced(game, limits), lam, limits)


def _reduced(game: Any, limits: GameLimits) -> Any:
    """The reduced normal form of a tree, refused beyond the strategy and payoff caps."""
    from sim.games.reduced import reduced_normal_form

    try:
        nfg = reduced_normal_form(game, max_cells=limits.profiles)
    except GameError as exc:
        raise GameTooLarge(f"{exc}; {limits.hint('profiles')}") from None
    for name, labels in zip(game.players, nfg.strategies, strict=True):
        if len(labels) > limits.strategies:
            raise GameTooLarge(f"{name!r} has {len(labels):,} reduced strategies; "
                            + limits.hint("strategies"))
    return nfg


def _solve(path: Path, method: str, lam: float | None,
           limits: GameLimits = DEFAULT_LIMITS,
           sets: list[str] | None = None) -> tuple[dict[str, Any], Any]:
    if method not in METHODS:
        raise GameError(f"{path}: unknown method {method!r}; choose one of {', '.join(METHODS)}")
    kind, game, line = _load_located(path, limits, sets)
    if kind == "efg" and game.n_players != 2 and method in ("all", "pbe", "one", "zero-sum"):
        raise GameError(f"{path}: --method {method} on a tree needs two players; "
                        "try spe, pure or qre")
    try:
        if kind == "nfg":
            raw = _nfg_method(method, game, lam, limits)
        else:
            raw = _efg_method(method, game, lam, limits)
        return _report(path, kind, game, method, lam, raw, limits), raw
    except GameTooLarge as exc:
        raise GameTooLarge(f"{path}:{line}: {exc}") from None
    except RecursionError:
        raise GameError(f"{path}:{line}: the game is nested too deeply to solve") from None
    except MemoryError:
        raise GameError(f"{path}:{line}: the game is too large to solve in memory") from None


def solve_file(path: Path, method: str = "all", lam: float | None = None,
               limits: GameLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Solve the game in ``path`` and return the JSON-ready report.

    Raises
    ------
    GameError
        ``"FILE:line: what is wrong"`` for a malformed file, one beyond
        ``limits``, or a method that does not apply.
    """
    return _solve(Path(path), method, lam, limits)[0]


def limits_from_options(specs: list[str] | None) -> GameLimits:
    """The limits of ``--max-size KEY=N`` options (each may list several, comma-separated)."""
    limits = DEFAULT_LIMITS
    for spec in specs or ():
        limits = limits.raised(spec)
    return limits


def _report(path: Path, kind: str, game: Any, method: str, lam: float | None,
            result: Any, limits: GameLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    exact = bool(game.is_exact)
    info: dict[str, Any] = {"title": game.title, "players": list(game.players)}
    if kind == "nfg":
        info["strategies"] = [list(s) for s in game.strategies]
    else:
        info["infosets"] = [
            {"key": s.key, "player": s.player, "actions": list(s.actions)}
            for s in game.infosets.values()
        ]
        if method in ("pure", "one", "zero-sum", "all", "pbe"):
            info["strategies"] = [list(s) for s in _reduced(game, limits).strategies]
    equilibria = []
    for k, e in enumerate(result.equilibria):
        entry: dict[str, Any] = {
            "label": e.label,
            "profile": [list(p) for p in e.profile] if len(e.profile) else None,
            "behavior": dict(e.behavior) or None,
            "beliefs": dict(e.beliefs) or None,
            "payoffs": list(e.payoffs),
            "regret": e.regret,
        }
        paths = getattr(result, "paths", ())
        if paths:
            entry["path"] = list(paths[k])
        out = to_jsonable(entry)
        if exact:
            out["exact"] = _exact_text({k2: entry[k2] for k2 in
                                        ("profile", "behavior", "beliefs", "payoffs", "regret")})
        equilibria.append(out)
    return {
        "file": str(path),
        "format": kind,
        "method": method,
        "solver": result.method,
        "parameters": to_jsonable(_plain(result.parameters)),
        "lambda": lam,
        "exact": exact,
        "game": info,
        "equilibria": equilibria,
        "flags": {
            "degenerate": bool(result.degenerate),
            "multiple_equilibria": len(result.equilibria) > 1,
            "boundary": bool(getattr(result, "boundary", False)),
        },
        "components": [list(c) for c in result.components],
        "notes": list(result.notes),
    }


def _plain(params: Any) -> Any:
    out: dict[str, Any] = {}
    for k, v in dict(params).items():
        if v is None or isinstance(v, (int, float, str, bool, Fraction, list, tuple, dict)):
            out[k] = v
        else:
            out[k] = str(v)
    return out


def _fmt(v: Any) -> str:
    import numpy as np

    if v is None:
        return "-"
    if isinstance(v, Fraction):
        return str(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{float(v):.6g}"


def _text(report: dict[str, Any], raw: Any) -> str:
    game = report["game"]
    lines = [f"{report['file']}: {game['title'] or '(untitled)'}",
             f"players: {', '.join(game['players'])}"]
    if "strategies" in game:
        for name, labels in zip(game["players"], game["strategies"], strict=True):
            lines.append(f"  {name} strategies: {' '.join(labels)}")
    n = len(raw.equilibria)
    lines.append(f"method: {report['method']} ({report['solver']}); "
                 f"{n} equilibri{'um' if n == 1 else 'a'}")
    for k, e in enumerate(raw.equilibria, 1):
        lines.append(f"[{k}] {e.label}")
        if len(e.profile):
            for name, probs in zip(game["players"], e.profile, strict=True):
                lines.append(f"    {name}: " + " ".join(_fmt(p) for p in probs))
        elif e.behavior:
            for key, dist in e.behavior.items():
                lines.append(f"    {key}: " + " ".join(f"{a}={_fmt(p)}" for a, p in dist.items()))
        if report["equilibria"][k - 1].get("path"):
            lines.append("    path: " + " -> ".join(report["equilibria"][k - 1]["path"]))
        lines.append("    payoffs: " + " ".join(_fmt(v) for v in e.payoffs)
                     + f"   regret: {_fmt(e.regret)}")
    flags = [f for f, on in report["flags"].items() if on]
    lines.append("flags: " + (", ".join(flags) if flags else "none"))
    lines.extend(f"note: {n}" for n in report["notes"])
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add ``coercion solve`` to ``app``."""

    @app.command("solve")
    def solve(
        file: Annotated[Path, typer.Argument(
            help="A Gambit .nfg or .efg file, or a game-lab .json file.")],
        method: Annotated[str, typer.Option(
            "--method", "-m",
            help="all | pure | one | zero-sum | spe | pbe | qre")] = "all",
        lam: Annotated[float | None, typer.Option(
            "--lambda", help="Logit precision for --method qre (trees: omit for the limit).")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON (docs/solve_json.md).")
                           ] = False,
        max_size: Annotated[list[str] | None, typer.Option(
            "--max-size", metavar="KEY=N",
            help="Raise a size limit: strategies (100 per player), profiles (10^6 payoffs), "
                 "players (16), nodes (10^5), depth (200), digits (100 per number), "
                 "systems (2x10^6). Repeat or separate with commas.")] = None,
        sets: Annotated[list[str] | None, typer.Option(
            "--set", help="name=value for a parameter of a game-lab .json file.")] = None,
    ) -> None:
        """Find equilibria of the game in FILE and print them with their regret."""
        try:
            report, raw = _solve(file, method, lam, limits_from_options(max_size), sets)
        except GameError as exc:
            msg = str(exc)
            if not msg.startswith(str(file)):
                msg = f"{file}: {msg}"
            typer.echo(msg, err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except ImportError as exc:
            typer.echo(f"{file}: solver not available: {exc}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        if as_json:
            typer.echo(json.dumps(report, indent=2))
        else:
            typer.echo(_text(report, raw))
