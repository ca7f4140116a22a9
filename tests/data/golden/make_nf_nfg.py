"""Regenerate ``nf_nfg_corpus.json``: pygambit's reading of every ``.nfg`` game we test.

Run from the checkout root with pygambit installed (``../shared/gambit-games``
must be present)::

    .venv/bin/python tests/data/golden/make_nf_nfg.py

For each ``.nfg`` file of the shared Gambit corpus (path relative to
``gambit-games``): title, players, strategy labels and payoffs (exact
``"p/q"`` strings, one flat list per player in C order), or the error
message if pygambit rejects the file. For each normal-form game of
``pygambit.catalog``: the same, plus the text of ``Game.to_nfg()``.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("nf_nfg_corpus.json")
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "gambit-games"


def describe(game: Any) -> dict[str, Any]:
    arrays = game.to_arrays()
    return {
        "title": game.title,
        "players": [p.label for p in game.players],
        "strategies": [[s.label for s in p.strategies] for p in game.players],
        "payoffs": [[str(Fraction(str(v))) for v in a.flat] for a in arrays],
    }


def main() -> None:
    import pygambit as gbt
    import pygambit.catalog as catalog

    files = []
    for path in sorted(CORPUS.rglob("*.nfg")):
        entry: dict[str, Any] = {"path": path.relative_to(CORPUS).as_posix()}
        try:
            entry.update(describe(gbt.read_nfg(str(path))))
        except Exception as exc:  # pygambit raises several types
            entry["rejected"] = f"{type(exc).__name__}: {exc}"
        files.append(entry)
    games = []
    for slug in catalog.games(is_tree=False)["Game"]:
        game = catalog.load(slug)
        games.append({"slug": slug, "nfg": game.to_nfg(), **describe(game)})
    data = {"pygambit": gbt.__version__, "files": files, "catalog": games}
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(files)} files and {len(games)} catalog games to {OUT}")


if __name__ == "__main__":
    main()
