"""Round trips through Gambit files and pygambit, and solver agreement with pygambit.

Every catalogue game and every file of the shared Gambit corpus goes editor model ->
.nfg/.efg -> (pygambit and our reader) -> editor model, and every catalogue game's
equilibria are checked against pygambit 16.7.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.games.efg import parse_efg
from sim.games.extensive_form import ExtensiveFormGame
from sim.games.nfg import read_nfg
from sim.games.normal_form import NormalFormGame
from sim.lab.build import to_engine
from sim.lab.catalogue import CATALOGUE, catalogue_game
from sim.lab.files import LabFileError, from_engine, read_game_text, to_gambit
from sim.lab.solve import solve_lab
from tests.paths import SHARED

gbt = pytest.importorskip("pygambit")
from tests.engine_ef import canonical_gambit, canonical_ours  # noqa: E402

pytestmark = pytest.mark.oracle

CORPUS = SHARED / "gambit-games"
FILES = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*")
               if p.suffix in (".nfg", ".efg")) if CORPUS.is_dir() else []
KEYS = [e.key for e in CATALOGUE]


def _gambit(text: str, name: str, tmp_path: Path) -> Any:
    path = tmp_path / name
    path.write_text(text)
    return gbt.read_efg(str(path)) if name.endswith(".efg") else gbt.read_nfg(str(path))


def _gambit_arrays(g: Any) -> list[np.ndarray]:
    return [np.vectorize(lambda v: Fraction(str(v)), otypes=[object])(a) for a in g.to_arrays()]


@pytest.mark.parametrize("key", KEYS)
def test_catalogue_round_trip_through_gambit(key: str, tmp_path: Path) -> None:
    lab = catalogue_game(key)
    engine = to_engine(lab)
    name, text = to_gambit(lab)
    theirs = _gambit(text, name, tmp_path)
    back = read_game_text(text, name)
    again = to_engine(back)
    if isinstance(engine, NormalFormGame):
        assert isinstance(again, NormalFormGame)
        for ours, gb in zip(engine.to_arrays(), _gambit_arrays(theirs), strict=True):
            assert ours.tolist() == gb.tolist()
        assert again == read_nfg(text)
        assert [list(s) for s in again.strategies] == [list(s) for s in engine.strategies]
        assert all(np.array_equal(a, b) for a, b in zip(again.to_arrays(), engine.to_arrays(),
                                                         strict=True))
    else:
        assert isinstance(again, ExtensiveFormGame)
        assert canonical_gambit(theirs) == canonical_ours(engine) == canonical_ours(again)
        assert again == parse_efg(text, name)
    # Back to the editor model and out again: nothing is lost.
    assert to_engine(from_engine(again)) == again


@pytest.mark.skipif(not FILES, reason="the shared Gambit corpus is absent")
@pytest.mark.parametrize("rel", FILES)
def test_corpus_round_trip(rel: str, tmp_path: Path) -> None:
    path = CORPUS / rel
    raw = path.read_bytes()
    try:
        lab = read_game_text(raw, path.name)
    except LabFileError as exc:
        # Games beyond the lab's limits are refused with a plain reason.
        assert any(w in str(exc) for w in ("the lab takes", "at most 10 items")), str(exc)
        return
    engine = to_engine(lab)
    text = raw.decode("utf-8", errors="replace") if raw[:3] != b"NFG" else raw.decode()
    if path.suffix == ".nfg":
        original = read_nfg(text)
        assert isinstance(engine, NormalFormGame)
        assert all(np.array_equal(a, b) for a, b in zip(engine.to_arrays(),
                                                         original.to_arrays(), strict=True))
        assert engine.strategies == original.strategies and engine.players == original.players
    else:
        original_tree = parse_efg(text, rel)
        assert canonical_ours(engine) == canonical_ours(original_tree)  # type: ignore[arg-type]
    name, out = to_gambit(lab)
    theirs = _gambit(out, name, tmp_path)
    if isinstance(engine, NormalFormGame):
        for ours, gb in zip(engine.to_arrays(), _gambit_arrays(theirs), strict=True):
            assert ours.tolist() == gb.tolist()
    else:
        assert canonical_gambit(theirs) == canonical_ours(engine)


def _key(profile: Any) -> tuple[Any, ...]:
    return tuple(tuple(Fraction(str(v)) for v in s) for s in profile)


def _behaviour_regret(engine: ExtensiveFormGame, behavior: Any, g: Any) -> float:
    prof = g.mixed_behavior_profile(rational=False)
    ours_by_player: dict[int, list[str]] = {}
    for key, info in engine.infosets.items():
        ours_by_player.setdefault(info.player, []).append(key)
    for p, player in enumerate(g.players):
        for key, infoset in zip(ours_by_player.get(p, []), player.infosets, strict=True):
            acts = engine.infosets[key].actions
            for a, ga in zip(acts, infoset.actions, strict=True):
                prof[ga] = float(behavior[key][a])
    return float(prof.max_regret())


@pytest.mark.parametrize("key", KEYS)
def test_solver_agrees_with_pygambit(key: str, tmp_path: Path) -> None:
    lab = catalogue_game(key)
    sol = solve_lab(lab)
    name, text = to_gambit(lab)
    g = _gambit(text, name, tmp_path)
    engine = sol.game
    if isinstance(engine, NormalFormGame) and engine.n_players == 2:
        theirs = gbt.nash.enummixed_solve(g, rational=True).equilibria
        their_keys = {_key([[eq[s] for s in p.strategies] for p in g.players]) for eq in theirs}
        assert {_key(e.profile) for e in sol.equilibria} == their_keys
        assert all(e.regret == 0 for e in sol.equilibria)
    elif isinstance(engine, NormalFormGame):
        theirs = gbt.nash.enumpure_solve(g).equilibria
        their_keys = {_key([[eq[s] for s in p.strategies] for p in g.players]) for eq in theirs}
        ours = {_key(e.profile) for e in sol.equilibria if e.kind == "pure"}
        assert ours == their_keys
        for e in sol.equilibria:  # the QRE-limit equilibrium too
            prof = g.mixed_strategy_profile(rational=False)
            for p, player in enumerate(g.players):
                for s, v in zip(player.strategies, e.profile[p], strict=True):
                    prof[s] = float(v)
            assert prof.max_regret() < 1e-6
    else:
        assert isinstance(engine, ExtensiveFormGame)
        listed = list(sol.equilibria) + list(sol.other_nash)
        assert listed
        for e in listed:
            if "not sequentially" in e.concept or e.concept.startswith(("Nash", "subgame")):
                assert _behaviour_regret(engine, e.behavior, g) < 1e-9, e.reading
        if engine.n_players == 2:
            # pygambit's equilibrium (sequence-form LCP) pays what one of ours pays.
            lcp = gbt.nash.lcp_solve(g, rational=True).equilibria
            pays = {tuple(round(v, 9) for v in e.payoffs) for e in listed}
            for eq in lcp:
                assert tuple(round(float(Fraction(str(eq.payoff(p)))), 9)
                             for p in g.players) in pays
