"""Live cross-checks of the extensive-form engine against pygambit 16.7.

These recompute what the golden fixtures store (``make_ef_oracle.py``) and
add checks that need pygambit itself: our written files read by Gambit,
pygambit's catalog, agent QRE and logit limits, and Nash equilibria of trees.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

gbt = pytest.importorskip("pygambit")

from sim.games.efg import format_efg, parse_efg, read_efg  # noqa: E402
from sim.games.reduced import reduced_normal_form  # noqa: E402
from sim.solvers.agent_qre import agent_qre_at  # noqa: E402
from sim.solvers.sequential import nash_efg_solve  # noqa: E402
from sim.solvers.spe import spe_solve  # noqa: E402
from tests.engine_ef import (  # noqa: E402
    GAMBIT_GAMES,
    GOLDEN,
    beer_quiche,
    behavior_by_first_node,
    canonical_gambit,
    canonical_ours,
    entry_deterrence,
    gambit_flat_actions,
    iig,
    model_case,
    not_escalating,
)

pytestmark = pytest.mark.oracle

CORPUS = json.loads((GOLDEN / "ef_efg_corpus.json").read_text())["data"]
FILES = sorted(CORPUS)


def _gambit_from(game, tmp_path):
    path = tmp_path / "g.efg"
    path.write_text(format_efg(game))
    return gbt.read_efg(str(path))


@pytest.mark.skipif(not GAMBIT_GAMES.is_dir(), reason="Gambit's game collection is absent")
@pytest.mark.parametrize("name", FILES)
def test_corpus_reading_and_writing(name: str, tmp_path) -> None:
    ours = read_efg(GAMBIT_GAMES / name)
    try:
        theirs = gbt.read_efg(str(GAMBIT_GAMES / name))
    except Exception as exc:
        assert CORPUS[name] == {"rejected": str(exc)}
        theirs = None
    if theirs is not None:
        assert canonical_ours(ours) == canonical_gambit(theirs) == CORPUS[name]["tree"]
    # Every file we write, Gambit reads back as the same game.
    assert canonical_gambit(_gambit_from(ours, tmp_path)) == canonical_ours(ours)


def test_catalog_games_read_and_round_trip(tmp_path) -> None:
    catalog = gbt.catalog.games()
    slugs = list(catalog["Game"])
    trees = 0
    for slug in slugs:
        g = gbt.catalog.load(slug)
        if not g.is_tree:
            continue
        trees += 1
        ours = parse_efg(g.to_efg(), slug)
        assert canonical_ours(ours) == canonical_gambit(g), slug
        assert canonical_gambit(_gambit_from(ours, tmp_path)) == canonical_gambit(g), slug
    assert trees > 10


@pytest.mark.skipif(not GAMBIT_GAMES.is_dir(), reason="Gambit's game collection is absent")
@pytest.mark.parametrize("name", ["contrib/bayes1a.efg", "contrib/cent2.efg", "contrib/e04.efg",
                                  "contrib/montyhal.efg", "contrib/my_2-4.efg"])
def test_reduced_form_live(name: str) -> None:
    if not (GAMBIT_GAMES / name).exists():
        pytest.skip(f"{name} not in this collection")
    g = gbt.read_efg(str(GAMBIT_GAMES / name))
    nf = reduced_normal_form(read_efg(GAMBIT_GAMES / name), "gambit")
    labels = [[s.label for s in p.strategies] for p in g.players]
    assert [list(s) for s in nf.strategies] == labels
    for ours, theirs in zip(nf.payoffs, g.to_arrays(), strict=True):
        exact = np.vectorize(lambda v: Fraction(str(v)), otypes=[object])(theirs)
        assert np.array_equal(ours, exact)


def _trees():
    war = model_case("M9-aqre-iig-war-case-lambda-5")["params"]
    return {"iig_war": iig(war["U_A"], war["U_B"]), "beer_quiche": beer_quiche(Fraction(3, 10)),
            "entry": entry_deterrence()}


@pytest.mark.parametrize("name", ["iig_war", "beer_quiche", "entry"])
@pytest.mark.parametrize("lam", [0.7, 3.0])
def test_agent_qre_live(name: str, lam: float, tmp_path) -> None:
    game = _trees()[name]
    g = _gambit_from(game, tmp_path)
    (prof,) = gbt.qre.logit_solve_lambda(g, lam=[lam])
    theirs: dict[str, list[float]] = {}
    for (first, _), v in zip(gambit_flat_actions(g), list(prof), strict=True):
        theirs.setdefault(str(first), []).append(float(v))
    ours = behavior_by_first_node(game, agent_qre_at(game, lam).behavior)
    for key, probs in theirs.items():
        assert ours[key] == pytest.approx(probs, abs=1e-6)


def test_spe_equals_logit_limit_on_iig(tmp_path) -> None:
    for case_id in ("M5-iig-negotiation", "M9-aqre-iig-war-case-lambda-5"):
        p = model_case(case_id)["params"]
        game = iig(p["U_A"], p["U_B"])
        g = _gambit_from(game, tmp_path)
        eq = gbt.nash.logit_solve(g).equilibria[0]
        spe = spe_solve(game, preferred_on_tie=not_escalating).equilibria[0]
        for infoset in (i for pl in g.players for i in pl.infosets):
            key = infoset.label
            for a in infoset.actions:
                assert float(eq[a]) == pytest.approx(float(spe.behavior[key][a.label]), abs=1e-4)


def test_lcp_equilibrium_is_among_ours(tmp_path) -> None:
    game = beer_quiche(Fraction(9, 10))
    g = _gambit_from(game, tmp_path)
    theirs = gbt.nash.lcp_solve(g, rational=True).equilibria
    ours = nash_efg_solve(game)
    ours_pay = {tuple(e.payoffs) for e in ours.equilibria}
    for eq in theirs:
        pay = tuple(Fraction(str(eq.payoff(p))) for p in g.players)
        assert pay in ours_pay


@pytest.mark.parametrize("prior", [Fraction(9, 10), Fraction(1, 3)])
def test_every_signalling_pbe_is_nash_for_pygambit(prior, tmp_path) -> None:
    from sim.solvers.signalling import pbe_solve, signalling_game

    sender = [[[1, 3], [0, 2]], [[0, 2], [1, 3]]]
    receiver = [[[0, 1], [0, 1]], [[1, 0], [1, 0]]]
    labels = (("strong", "weak"), ("Beer", "Quiche"), ("Duel", "Not"))
    game = signalling_game(prior, sender, receiver, *labels)
    g = _gambit_from(game, tmp_path)
    result = pbe_solve(prior, sender, receiver, *labels)
    assert len(result) >= 1
    for eq in result.equilibria:
        behavior = {**eq.sender, **{f"after {m}": d for m, d in eq.receiver.items()}}
        profile = g.mixed_behavior_profile(rational=True)
        for infoset in (i for pl in g.players for i in pl.infosets):
            for a in infoset.actions:
                profile[a] = gbt.Rational(str(behavior[infoset.label][a.label]))
        assert profile.max_regret() == 0
