"""Regenerate the extensive-form golden fixtures from pygambit 16.7.

Run from the project root:  .venv/bin/python tests/data/golden/make_ef_oracle.py

Writes
------
ef_efg_corpus.json
    For every .efg file of Gambit's collection (``../shared/gambit-games``):
    pygambit's reading in canonical form (see ``tests/engine_ef``) or the
    error message when pygambit rejects the file.
ef_reduced_corpus.json
    pygambit's reduced strategic form (strategy labels, payoff tables as
    ``"p/q"`` strings) of every perfect-recall game with at most 25,000 cells.
ef_agent_qre.json
    pygambit's agent logit QRE (``qre.logit_solve_lambda``) at several
    lambdas and its limit (``nash.logit_solve``) on test trees, keyed by the
    depth-first index of each information set's first node.
"""

from __future__ import annotations

import json
import sys
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

import pygambit as gbt  # noqa: E402

from sim.games.efg import format_efg  # noqa: E402
from tests.engine_ef import (  # noqa: E402
    GAMBIT_GAMES,
    GOLDEN,
    beer_quiche,
    canonical_gambit,
    entry_deterrence,
    gambit_flat_actions,
    iig,
    model_case,
)

MAX_CELLS = 25_000


def corpus_files() -> list[Path]:
    return sorted(GAMBIT_GAMES.rglob("*.efg"))


def rel(path: Path) -> str:
    return path.relative_to(GAMBIT_GAMES).as_posix()


def make_corpus() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in corpus_files():
        try:
            g = gbt.read_efg(str(f))
        except Exception as exc:  # pygambit raises several types
            out[rel(f)] = {"rejected": str(exc)}
            continue
        out[rel(f)] = {
            "players": [p.label for p in g.players],
            "perfect_recall": bool(g.is_perfect_recall),
            "tree": canonical_gambit(g),
        }
    return out


def make_reduced(corpus: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in corpus_files():
        entry = corpus[rel(f)]
        if "rejected" in entry or not entry["perfect_recall"]:
            continue
        g = gbt.read_efg(str(f))
        sizes = [len(p.strategies) for p in g.players]
        cells = 1
        for s in sizes:
            cells *= s
        if cells > MAX_CELLS:
            continue
        arrays = g.to_arrays()
        out[rel(f)] = {
            "strategies": [[s.label for s in p.strategies] for p in g.players],
            "payoffs": [
                [str(Fraction(str(v))) for v in a.reshape(-1)] for a in arrays
            ],
        }
    return out


def tree_games() -> dict[str, Any]:
    war = model_case("M9-aqre-iig-war-case-lambda-5")["params"]
    neg = model_case("M5-iig-negotiation")["params"]
    return {
        "iig_war": iig(war["U_A"], war["U_B"]),
        "iig_negotiation": iig(neg["U_A"], neg["U_B"]),
        "beer_quiche_0.9": beer_quiche(Fraction(9, 10)),
        "beer_quiche_0.3": beer_quiche(Fraction(3, 10)),
        "entry_deterrence": entry_deterrence(),
    }


QRE_FILES = ("contrib/cent2.efg", "contrib/bayes1a.efg", "contrib/montyhal.efg",
             "contrib/e02.efg", "contrib/coord2.efg", "contrib/sww1.efg")
LAMBDAS = (0.5, 1.0, 5.0)


def _profile(g: Any, values: Any) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for (first, _k), v in zip(gambit_flat_actions(g), values, strict=True):
        out.setdefault(str(first), []).append(float(v))
    return out


def make_qre() -> dict[str, Any]:
    games: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, game in tree_games().items():
            path = Path(tmp) / f"{name}.efg"
            path.write_text(format_efg(game))
            games[name] = gbt.read_efg(str(path))
    for f in QRE_FILES:
        if (GAMBIT_GAMES / f).exists():
            games[f] = gbt.read_efg(str(GAMBIT_GAMES / f))
    out: dict[str, Any] = {}
    for name, g in games.items():
        at = gbt.qre.logit_solve_lambda(g, lam=list(LAMBDAS))
        entry: dict[str, Any] = {
            "lambda": {str(lam): _profile(g, list(p)) for lam, p in zip(LAMBDAS, at, strict=True)}
        }
        limit = gbt.nash.logit_solve(g).equilibria[0]
        entry["limit"] = _profile(g, [limit[a] for p in g.players for i in p.infosets
                                      for a in i.actions])
        out[name] = entry
    return out


def main() -> None:
    corpus = make_corpus()
    files = {
        "ef_efg_corpus.json": corpus,
        "ef_reduced_corpus.json": make_reduced(corpus),
        "ef_agent_qre.json": make_qre(),
    }
    for name, data in files.items():
        payload = {"generator": "tests/data/golden/make_ef_oracle.py",
                   "pygambit": gbt.__version__, "data": data}
        (GOLDEN / name).write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n")
        print(name, len(data))


if __name__ == "__main__":
    main()
