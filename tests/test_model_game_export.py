"""Every model's game exports to Gambit files that read back, here and in Gambit."""

from __future__ import annotations

import numpy as np
import pytest

from sim.games.efg import format_efg, parse_efg
from sim.games.extensive_form import ExtensiveFormGame
from sim.games.nfg import read_nfg, write_nfg
from sim.games.normal_form import NormalFormGame
from sim.models import all_models

GAMES = [(name, m) for name, m in all_models().items() if m.game(m.defaults()) is not None]


def _draw(model, rng: np.random.Generator) -> dict:
    """Random in-range scalar parameters that satisfy the model's constraints."""
    for _ in range(200):
        params = dict(model.defaults())
        for spec in model.params:
            if spec.kind == "real":
                params[spec.name] = float(rng.uniform(spec.lo, spec.hi))
        try:
            return model.validate(params)
        except ValueError:
            continue
    return model.validate(model.defaults())


@pytest.mark.parametrize(("name", "model"), GAMES, ids=[g[0] for g in GAMES])
def test_game_round_trips_through_gambit_format(name, model) -> None:
    rng = np.random.default_rng(7)
    for params in (model.defaults(), _draw(model, rng)):
        game = model.game(params)
        if game is None:
            continue
        if isinstance(game, ExtensiveFormGame):
            again = parse_efg(format_efg(game))
            assert again.players == game.players
            assert len(list(again.terminals())) == len(list(game.terminals()))
        else:
            assert isinstance(game, NormalFormGame)
            again = read_nfg(write_nfg(game), exact=False)
            for a, b in zip(again.to_arrays(), game.to_arrays(), strict=True):
                np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float))


@pytest.mark.oracle
@pytest.mark.parametrize(("name", "model"), GAMES, ids=[g[0] for g in GAMES])
def test_gambit_reads_exported_games(name, model, tmp_path) -> None:
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(11)
    for k, params in enumerate((model.defaults(), _draw(model, rng))):
        game = model.game(params)
        if game is None:
            continue
        if isinstance(game, ExtensiveFormGame):
            path = tmp_path / f"{k}.efg"
            path.write_text(format_efg(game))
            loaded = gbt.read_efg(str(path))
        else:
            path = tmp_path / f"{k}.nfg"
            path.write_text(write_nfg(game))
            loaded = gbt.read_nfg(str(path))
        assert [p.label for p in loaded.players] == list(game.players)
