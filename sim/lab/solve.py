"""Solving a lab game at the current parameter values, with plain readings.

The engine does the work; this module picks the methods and words the results:

* two-player normal form: every extreme equilibrium by vertex enumeration
  (:func:`~sim.solvers.enummixed.enummixed_solve`), exact, with its regret
  certificate; degenerate games have their components marked;
* three or four players: every pure equilibrium
  (:func:`~sim.solvers.pure.pure_solve`) and the logit-QRE limit
  (:func:`~sim.solvers.logit_nash.logit_solve`), which may be mixed; the
  list is then not claimed to be complete;
* trees: the Nash equilibria of the reduced normal form in behaviour
  strategies, each checked for sequential rationality (a weak perfect
  Bayesian equilibrium when it passes;
  :func:`~sim.solvers.sequential.nash_efg_solve`), every pure subgame-perfect
  equilibrium when information is perfect (:func:`~sim.solvers.spe.spe_solve`),
  and otherwise (more than two players) the agent logit-QRE limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from sim.games.errors import GameError
from sim.games.extensive_form import ExtensiveFormGame, path_key
from sim.games.normal_form import NormalFormGame
from sim.lab.build import EngineGame, to_engine
from sim.lab.model import LabGame

__all__ = ["LabEquilibrium", "LabSolution", "solve_lab", "solve_engine", "fmt_number",
           "infoset_name"]


@dataclass(frozen=True)
class LabEquilibrium:
    """One equilibrium with its plain reading.

    Attributes
    ----------
    kind
        ``"pure"`` or ``"mixed"``.
    concept
        What kind of equilibrium it is (``"Nash"``, ``"subgame perfect"``,
        ``"Nash, sequentially rational (weak PBE)"``, ...).
    reading
        One line: who does what, and the expected payoffs.
    payoffs
        Expected payoff of each player.
    regret
        The certificate: the most any player gains by deviating (0 exactly
        for exact games).
    profile
        Normal form: one probability vector per player.
    behavior
        Trees: information-set key, then action, then probability.
    outcomes
        Probability of each outcome (profile label or terminal label).
    component
        Index of its connected component in a degenerate game, else None.
    """

    kind: str
    concept: str
    reading: str
    payoffs: tuple[float, ...]
    regret: float | Fraction
    profile: tuple[np.ndarray, ...] = ()
    behavior: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    outcomes: Mapping[str, float] = field(default_factory=dict)
    component: int | None = None


@dataclass(frozen=True)
class LabSolution:
    """Equilibria of a lab game at one point, as the lab shows them.

    Attributes
    ----------
    game
        The engine's game that was solved.
    values
        The parameter values.
    method
        The engine methods used.
    equilibria
        Nash equilibria (normal form) or behaviour equilibria (trees).
    complete
        ``equilibria`` lists every extreme equilibrium.
    degenerate
        The game is degenerate; equilibria may form components.
    spe
        Trees with perfect information: every pure subgame-perfect equilibrium.
    other_nash
        Trees with perfect information: the extreme Nash equilibria of a small
        reduced normal form, subgame perfect or not.
    notes
        Plain remarks for the reader.
    """

    game: EngineGame
    values: Mapping[str, Any]
    method: str
    equilibria: tuple[LabEquilibrium, ...]
    complete: bool
    degenerate: bool = False
    spe: tuple[LabEquilibrium, ...] = ()
    notes: tuple[str, ...] = ()
    other_nash: tuple[LabEquilibrium, ...] = ()

    @property
    def headline(self) -> str:
        """``"3 equilibria: 2 pure, 1 mixed"`` and similar."""
        eqs = self.equilibria
        n_pure = sum(e.kind == "pure" for e in eqs)
        n_mixed = len(eqs) - n_pure
        parts = [f"{n_pure} pure"] if n_pure else []
        if n_mixed:
            parts.append(f"{n_mixed} mixed")
        noun = "equilibrium" if len(eqs) == 1 else "equilibria"
        if self.spe and eqs == self.spe:
            noun = "subgame-perfect " + noun
        head = f"{len(eqs)} {noun}" + (": " + ", ".join(parts) if parts else "")
        if self.degenerate:
            n_comp = len({e.component for e in eqs if e.component is not None})
            head += (f" (not isolated: the corners of {n_comp} connected "
                     f"set{'s' if n_comp != 1 else ''})")
        if not self.complete:
            head += " found"
        return head


def fmt_number(v: Any) -> str:
    """A payoff or probability for a reader: ``2``, ``-1.5``, ``0.333``."""
    f = float(v)
    if abs(f) < 5e-13:
        f = 0.0
    if f.is_integer() and abs(f) < 1e12:
        return str(int(f)).replace("-", "\u2212")
    return f"{f:.3g}".replace("-", "\u2212")


def _pct(p: Any) -> str:
    f = float(p) * 100
    text = f"{f:.0f}%" if abs(f - round(f)) < 0.05 else f"{f:.1f}%"
    return text


def _mix(labels: Sequence[str], probs: Sequence[Any]) -> str:
    support = [(lab, p) for lab, p in zip(labels, probs, strict=True) if float(p) > 1e-12]
    if len(support) == 1:
        return f"plays {support[0][0]}"
    return "mixes " + ", ".join(f"{lab} {_pct(p)}" for lab, p in support)


def _payoff_text(players: Sequence[str], payoffs: Sequence[Any]) -> str:
    return "expected payoffs: " + ", ".join(
        f"{p} {fmt_number(v)}" for p, v in zip(players, payoffs, strict=True))


def _nf_equilibrium(game: NormalFormGame, profile: Sequence[Any], payoffs: Sequence[Any],
                    regret: Any, concept: str, component: int | None) -> LabEquilibrium:
    pure = all(int(np.count_nonzero(np.asarray(p, dtype=float) > 1e-12)) == 1 for p in profile)
    moves = "; ".join(f"{pl} {_mix(game.strategies[i], profile[i])}"
                      for i, pl in enumerate(game.players))
    outcomes: dict[str, float] = {}
    probs = [np.asarray(p, dtype=float) for p in profile]
    for idx in np.ndindex(*game.shape):
        w = float(np.prod([probs[i][j] for i, j in enumerate(idx)]))
        if w > 1e-12:
            outcomes[" / ".join(game.strategies[i][j] for i, j in enumerate(idx))] = w
    return LabEquilibrium(
        kind="pure" if pure else "mixed", concept=concept,
        reading=f"{moves}. E{_payoff_text(game.players, payoffs)[1:]}.",
        payoffs=tuple(float(v) for v in payoffs), regret=regret,
        profile=tuple(profile), outcomes=outcomes, component=component)


def infoset_name(game: ExtensiveFormGame, key: str) -> str:
    """An information set for a reader: its label, or where it is (``"after Enter"``)."""
    flat = game.flat()
    if not key.startswith("#") and not key.startswith(tuple("0123456789")):
        return key
    nodes = flat.members.get(key, [])
    if len(nodes) != 1:
        return key.lstrip("#")
    path = flat.path[nodes[0]]
    return "at the start" if not path else "after " + ", ".join(path)


def _tree_equilibrium(game: ExtensiveFormGame, behavior: Mapping[str, Mapping[str, Any]],
                      payoffs: Sequence[Any], regret: Any, concept: str,
                      component: int | None = None,
                      profile: tuple[np.ndarray, ...] = ()) -> LabEquilibrium:
    flat = game.flat()
    reach = flat.reach_probs(behavior)
    pure = all(sum(float(p) > 1e-12 for p in dist.values()) == 1 for dist in behavior.values())
    parts = []
    for key, info in game.infosets.items():
        dist = behavior.get(key, {})
        labels = list(info.actions)
        probs = [dist.get(a, 0) for a in labels]
        reached = any(float(reach[i]) > 1e-12 for i in flat.members[key])
        where = infoset_name(game, key)
        move = _mix(labels, probs).removeprefix("plays ")
        text = f"{game.players[info.player]} {where}: {move}"
        parts.append(text if reached else text + " (off the path)")
    outcomes: dict[str, float] = {}
    for i in range(len(flat)):
        if flat.kind[i] == "t" and float(reach[i]) > 1e-12:
            label = getattr(flat.nodes[i], "label", "") or path_key(flat.path[i])
            outcomes[label] = outcomes.get(label, 0.0) + float(reach[i])
    ends = " or ".join(f"{k} ({_pct(v)})" if v < 1 - 1e-12 else k for k, v in outcomes.items())
    reading = (f"{'; '.join(parts)}. Play ends at {ends}; "
               f"{_payoff_text(game.players, payoffs)}.")
    return LabEquilibrium(
        kind="pure" if pure else "mixed", concept=concept, reading=reading,
        payoffs=tuple(float(v) for v in payoffs), regret=regret,
        profile=profile, behavior=behavior, outcomes=outcomes, component=component)


def _component_of(components: Sequence[Sequence[int]], k: int) -> int | None:
    for c, members in enumerate(components):
        if k in members:
            return c
    return None


def solve_engine(game: EngineGame, values: Mapping[str, Any] | None = None) -> LabSolution:
    """Equilibria of an engine game, worded for the lab (see the module docstring)."""
    vals = dict(values or {})
    if isinstance(game, NormalFormGame):
        return _solve_nf(game, vals)
    return _solve_tree(game, vals)


def _solve_nf(game: NormalFormGame, vals: dict[str, Any]) -> LabSolution:
    if game.n_players == 2:
        from sim.solvers.enummixed import enummixed_solve

        res = enummixed_solve(game)
        eqs = tuple(_nf_equilibrium(game, e.profile, e.payoffs, e.regret, "Nash",
                                    _component_of(res.components, k) if res.degenerate
                                    else None)
                    for k, e in enumerate(res.equilibria))
        notes = []
        if res.degenerate:
            notes.append("The game is degenerate: some equilibria are not isolated. The "
                         "listed ones are the corners of each connected set; every mixture "
                         "of corners in the same set is an equilibrium too.")
        return LabSolution(game, vals, "vertex enumeration (enummixed)", eqs, True,
                           res.degenerate, notes=tuple(notes))
    from sim.solvers.logit_nash import logit_solve
    from sim.solvers.pure import pure_solve

    pure = pure_solve(game)
    eqs_list = [_nf_equilibrium(game, e.profile, e.payoffs, e.regret, "Nash", None)
                for e in pure.equilibria]
    notes = ["With three or more players the lab lists every pure equilibrium and the "
             "equilibrium selected by the logit QRE limit; other mixed equilibria may exist."]
    try:
        limit = logit_solve(game).equilibria[0]
        fg = game.as_float()
        cand = _nf_equilibrium(fg, limit.profile, limit.payoffs, limit.regret,
                               "Nash (logit QRE limit)", None)
        same = [e for e in eqs_list if all(
            np.allclose(np.asarray(a, float), np.asarray(b, float), atol=1e-6)
            for a, b in zip(e.profile, limit.profile, strict=True))]
        if same:
            idx = eqs_list.index(same[0])
            eqs_list[idx] = LabEquilibrium(**{**same[0].__dict__,
                                              "concept": "Nash (also the logit QRE limit)"})
        else:
            eqs_list.append(cand)
    except GameError as exc:
        notes.append(f"The logit QRE limit was not found: {exc}")
    return LabSolution(game, vals, "pure strategies and logit QRE limit", tuple(eqs_list),
                       False, notes=tuple(notes))


#: Largest reduced normal form (strategy profiles) whose Nash equilibria are enumerated live.
MAX_LIVE_CELLS = 400
#: The same for the secondary list of Nash equilibria of perfect-information trees.
MAX_LIVE_CELLS_PERFECT = 64


def _reduced_cells(game: ExtensiveFormGame) -> int:
    from sim.games.reduced import reduced_strategies

    flat = game.flat()
    cells = 1
    for i in range(game.n_players):
        cells *= len(reduced_strategies(flat, i))
        if cells > 10**7:
            break
    return cells


def _solve_tree(game: ExtensiveFormGame, vals: dict[str, Any]) -> LabSolution:
    from sim.solvers.spe import spe_solve

    notes: list[str] = []
    spe: tuple[LabEquilibrium, ...] = ()
    if game.is_perfect_information:
        res = spe_solve(game, ties="all", max_equilibria=200)
        spe = tuple(_tree_equilibrium(game, e.behavior, e.payoffs, e.regret, "subgame perfect")
                    for e in res.equilibria)
        if len(res.equilibria) >= 200:
            notes.append("Only the first 200 subgame-perfect equilibria are listed.")
    cells = _reduced_cells(game) if game.n_players == 2 else 0
    if spe:
        other: tuple[LabEquilibrium, ...] = ()
        if game.n_players == 2 and cells <= MAX_LIVE_CELLS_PERFECT:
            from sim.solvers.sequential import nash_efg_solve

            nres = nash_efg_solve(game)
            other = tuple(_tree_equilibrium(game, e.behavior, e.payoffs, e.regret, "Nash",
                                            _component_of(nres.components, k)
                                            if nres.degenerate else None, e.profile)
                          for k, e in enumerate(nres.equilibria))
        notes.append("Every pure subgame-perfect equilibrium is listed (found by backward "
                     "induction).")
        return LabSolution(game, vals, "backward induction", spe, True, False, spe,
                           tuple(notes), other)
    if game.n_players == 2 and game.has_perfect_recall and cells <= MAX_LIVE_CELLS:
        from sim.solvers.sequential import nash_efg_solve

        nres = nash_efg_solve(game)
        eqs = []
        for k, e in enumerate(nres.equilibria):
            if "not sequentially" in e.label:
                concept = ("Nash, but not sequentially rational (it rests on a move that "
                           "would not be made)")
            else:
                concept = "Nash, sequentially rational (weak perfect Bayesian equilibrium)"
            comp = _component_of(nres.components, k) if nres.degenerate else None
            eqs.append(_tree_equilibrium(game, e.behavior, e.payoffs, e.regret, concept, comp,
                                         e.profile))
        # Sequentially rational equilibria first: they are the ones a reader wants.
        eqs.sort(key=lambda e: "not sequentially" in e.concept)
        if nres.degenerate:
            notes.append("Trees usually have non-isolated Nash equilibria (moves off the "
                         "path of play can vary); the corners of each connected set are "
                         "listed.")
        return LabSolution(game, vals, "reduced normal form, vertex enumeration, "
                           "sequential-rationality check", tuple(eqs), True, nres.degenerate,
                           spe, tuple(notes))
    if game.n_players == 2 and cells > MAX_LIVE_CELLS:
        notes.append(f"The tree's reduced normal form has {cells:,} strategy profiles, too "
                     "many to enumerate every Nash equilibrium live; use coercion solve on "
                     "the downloaded file.")
    return _pure_tree(game, vals, notes)


def _pure_tree(game: ExtensiveFormGame, vals: dict[str, Any], notes: list[str]) -> LabSolution:
    """Pure Nash equilibria of the reduced normal form, checked for sequential rationality."""
    from sim.games.reduced import reduced_form
    from sim.solvers.pure import pure_solve
    from sim.solvers.sequential import check_sequential_rationality

    if _reduced_cells_any(game) > 20_000:
        raise GameError("the tree is too large to solve live; use coercion solve on the "
                        "downloaded file")
    rf = reduced_form(game)
    eqs = []
    for e in pure_solve(rf.game).equilibria:
        behavior = rf.to_behavior(e.profile)
        check = check_sequential_rationality(game, behavior)
        concept = ("Nash, sequentially rational (weak perfect Bayesian equilibrium)"
                   if check.rational else
                   "Nash, but not sequentially rational (it rests on a move that would not "
                   "be made)")
        eqs.append(_tree_equilibrium(game, behavior, e.payoffs, e.regret, concept,
                                     profile=e.profile))
    eqs.sort(key=lambda e: "not sequentially" in e.concept)
    notes.append("With more than two players and imperfect information the lab lists the "
                 "pure-strategy equilibria, each checked for sequential rationality; mixed "
                 "equilibria are not enumerated.")
    return LabSolution(game, vals, "pure equilibria of the reduced normal form, "
                       "sequential-rationality check", tuple(eqs), False, notes=tuple(notes))


def _reduced_cells_any(game: ExtensiveFormGame) -> int:
    from sim.games.reduced import reduced_strategies

    flat = game.flat()
    cells = 1
    for i in range(game.n_players):
        cells *= len(reduced_strategies(flat, i))
    return cells


def _same_behavior(a: Mapping[str, Mapping[str, Any]], b: Mapping[str, Mapping[str, Any]]
                   ) -> bool:
    for key, dist in b.items():
        other = a.get(key, {})
        for act, p in dist.items():
            if abs(float(other.get(act, 0)) - float(p)) > 1e-9:
                return False
    return True


def solve_lab(game: LabGame, values: Mapping[str, Any] | None = None, *,
              exact: bool = True) -> LabSolution:
    """Build the game at ``values`` (:func:`~sim.lab.build.to_engine`) and solve it."""
    from sim.lab.build import resolve_values

    vals = resolve_values(game, values)
    return solve_engine(to_engine(game, vals, exact=exact), vals)
