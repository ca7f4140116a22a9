"""Readings side by side: every analysis under each calibration, and what moved it.

Each analysis of a scenario is solved under each compared preset (a
*reading*). Agreement between models is judged on outcome classes, never by
averaging P(war): a model's P(war) means different things in different
models (war, a disaster on an escalation ladder, the imposition of
sanctions), so only the verdict "likely" (P ≥ 0.5) or "unlikely" is shared.

*What moved* an analysis between two presets is found by switching the
analysis's bound scenario parameters, one at a time and then in growing
sets, from the first preset's values to the second's, and keeping the
smallest sets that reproduce the second preset's reading. This is a
one-factor-at-a-time decomposition in the sense of Saltelli et al. (2008),
*Global Sensitivity Analysis: The Primer*, §1.2.3, taken to the outcome
class, outcome label and regime instead of a number.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sim.modelkit.aliases import resolve_role_aliases
from sim.modelkit.regime_words import regime_phrase
from sim.modelkit.render import role_names, substitute
from sim.models.base import ModelError, Outcome
from sim.models.registry import get_model
from sim.scenario.binding import BindingError, bind_analysis, scenario_values
from sim.scenario.schema import Analysis, Scenario

__all__ = [
    "COMPARED",
    "WAR_LIKELY",
    "MAX_TRIALS",
    "MAX_SEARCH",
    "MAX_PRESETS",
    "Reading",
    "Move",
    "AnalysisComparison",
    "PresetComparison",
    "compared_presets",
    "analysis_title",
    "conflict_word",
    "outcome_class",
    "reading_of",
    "cell_text",
    "what_moved",
    "agreement_sentences",
    "compare_presets",
    "compare_outcomes",
    "parameter_words",
    "move_sentence",
]

#: Presets compared by default, when the scenario has at least two of them.
COMPARED = ("article", "skeptical", "hindsight")
#: An outcome counts as likely when its probability is at least this.
WAR_LIKELY = 0.5
#: Most parameter sets tried per pair of presets before the search stops.
MAX_TRIALS = 128
#: Most parameter sets tried in one whole comparison, and most presets compared by
#: default: an uploaded file cannot make the page search without end.
MAX_SEARCH = 3000
MAX_PRESETS = 6
#: What P(war) measures, by model family, when it is not war; ``""``: no war in the model.
CONFLICT_WORDS: Mapping[str, str] = {"sanctions": "sanctions", "spatial": ""}


@dataclass(frozen=True)
class Reading:
    """One analysis solved at one preset, or why it could not be.

    ``outcome_class`` is ``"war likely"``, ``"war unlikely"`` (``"sanctions …"``
    for sanctions models), or the outcome label where the model has no war.
    """

    preset: str
    outcome: str
    outcome_class: str
    p_war: float
    regime: str
    flags: tuple[str, ...]
    error: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What must match for two readings to be the same."""
        return (self.outcome_class, self.outcome, self.regime)


@dataclass(frozen=True)
class Move:
    """What moved one analysis from preset ``start`` to preset ``end``.

    ``changed`` names what differs (``"outcome class"``, ``"outcome"``,
    ``"regime"``). ``sets`` holds the smallest sets of scenario parameters whose
    switch from ``start``'s to ``end``'s values alone reproduces ``end``'s
    reading (several sets of that size when each works). ``complete`` is False
    when the search stopped at ``MAX_TRIALS`` before the smallest set was found;
    ``sets`` then holds all the differing parameters together.
    """

    start: str
    end: str
    changed: tuple[str, ...]
    differing: tuple[str, ...]
    sets: tuple[tuple[str, ...], ...]
    trials: int
    complete: bool = True

    @property
    def together(self) -> bool:
        """True when it takes several parameters moved together."""
        return bool(self.sets) and len(self.sets[0]) > 1


@dataclass(frozen=True)
class AnalysisComparison:
    """One analysis under every compared preset."""

    id: str
    title: str
    question: str
    model: str
    family: str
    conflict: str
    readings: tuple[Reading, ...]
    moves: tuple[Move, ...]
    #: Role id → the name of the actor that plays it (for regime names in words).
    actors: tuple[tuple[str, str], ...] = ()

    def reading(self, preset: str) -> Reading:
        return next(r for r in self.readings if r.preset == preset)

    def regime_words(self, regime: str) -> str:
        """``regime`` in plain words, with this analysis's actors for its roles."""
        try:
            names = role_names(get_model(self.model), dict(self.actors))
        except ModelError:
            names = {}
        return regime_phrase(self.model, regime, names)

    @property
    def class_changes(self) -> bool:
        """Whether the outcome class (war likely or not) differs across presets."""
        return len({r.outcome_class for r in self.readings if r.error is None}) > 1

    @property
    def outcome_changes(self) -> bool:
        return len({r.outcome for r in self.readings if r.error is None}) > 1

    @property
    def regime_changes(self) -> bool:
        return len({r.regime for r in self.readings if r.error is None}) > 1

    @property
    def responds(self) -> bool:
        """Whether any reading differs from another (class, outcome, regime or P(war))."""
        solved = [r for r in self.readings if r.error is None]
        return len({(*r.key, round(r.p_war, 2)) for r in solved}) > 1


@dataclass(frozen=True)
class PresetComparison:
    """Every analysis of a scenario under each compared preset.

    ``method`` says how the movers were found; ``overrides`` are the scenario
    parameter values applied on top of every preset.
    """

    scenario: str
    presets: tuple[str, ...]
    preset_names: tuple[str, ...]
    analyses: tuple[AnalysisComparison, ...]
    agreement: tuple[tuple[str, ...], ...]
    overrides: tuple[tuple[str, float], ...] = ()
    method: str = ("each pair of presets whose readings differ: the analysis's scenario "
                   "parameters switched from the first preset's values to the second's, "
                   f"singly, then in growing sets (at most {MAX_TRIALS} sets per pair and "
                   f"{MAX_SEARCH} in all); "
                   "the smallest sets that reproduce the second reading are kept")

    def name(self, preset: str) -> str:
        """A preset's name in words."""
        return dict(zip(self.presets, self.preset_names, strict=True)).get(preset, preset)

    def short_name(self, preset: str) -> str:
        """A preset's name up to its first colon or bracket (``Skeptical assessment``),
        or the whole name where two short names would be the same."""
        short = {p: re.split(r"\s*[:(]", n, maxsplit=1)[0].strip() or n
                 for p, n in zip(self.presets, self.preset_names, strict=True)}
        if len(set(short.values())) < len(short):
            return self.name(preset)
        return short.get(preset, preset)


def compared_presets(scenario: Scenario) -> list[str]:
    """The article, skeptical and hindsight presets when there are two of them, else all
    (the first ``MAX_PRESETS``)."""
    ids = [p.id for p in scenario.presets]
    chosen = [p for p in COMPARED if p in ids]
    return chosen if len(chosen) >= 2 else ids[:MAX_PRESETS]


def analysis_title(scenario: Scenario, analysis: Analysis) -> str:
    """The analysis in words: its model's title in the scenario's actor names, then the
    analysis's own ``title`` if it has one; else, where two analyses share a model, the
    issue (or the analysis id in words)."""
    try:
        model = get_model(analysis.model)
    except ModelError:
        return analysis.id.replace("_", " ")
    try:
        roles = resolve_role_aliases(model.name, analysis.roles)
        names = role_names(model, {r: scenario.actor(a).in_text for r, a in roles.items()})
    except KeyError:
        names = {}
    title = substitute(model.title, names)
    if analysis.title:
        return f"{title} — {analysis.title}"
    if sum(a.model == analysis.model for a in scenario.analyses) > 1:
        issue = next((i.name for i in scenario.issues if i.id == analysis.issue), None)
        title += f" — {issue or analysis.id.replace('_', ' ')}"
    return title


def _actors(scenario: Scenario, analysis: Analysis) -> tuple[tuple[str, str], ...]:
    """Role id → actor name, for the roles the analysis assigns."""
    try:
        roles = resolve_role_aliases(get_model(analysis.model).name, analysis.roles)
        return tuple((role, scenario.actor(actor).in_text) for role, actor in roles.items())
    except (ModelError, KeyError):
        return ()


def conflict_word(family: str) -> str:
    """What P(war) measures in this family: ``"war"``, ``"sanctions"``, or ``""``."""
    return CONFLICT_WORDS.get(family, "war")


def outcome_class(outcome: Outcome, family: str) -> str:
    """``"war likely"`` / ``"war unlikely"`` (P(war) against ``WAR_LIKELY``), the same
    for sanctions, or the outcome label for a model without war."""
    word = conflict_word(family)
    if not word:
        return outcome.outcome
    return f"{word} {'likely' if outcome.p_war >= WAR_LIKELY else 'unlikely'}"


def reading_of(preset: str, outcome: Outcome, family: str) -> Reading:
    flags = tuple(k.replace("_", " ") for k, v in vars(outcome.flags).items() if v)
    return Reading(preset, outcome.outcome, outcome_class(outcome, family),
                   float(outcome.p_war), outcome.regime, flags)


def cell_text(reading: Reading) -> str:
    """A reading in words: ``"War likely (0.80)"``, ``"Concession; war unlikely (0.10)"``."""
    if reading.error is not None:
        return "not solved"
    if reading.outcome_class == reading.outcome:  # no war in this model
        return reading.outcome
    verdict = f"{reading.outcome_class} ({reading.p_war:.2f})"
    first = reading.outcome_class.split()[0]
    if reading.outcome.lower().startswith(first) and reading.outcome_class.endswith(" likely"):
        return verdict[0].upper() + verdict[1:]
    return f"{reading.outcome}; {verdict}"


def _solve(scenario: Scenario, analysis: Analysis, values: Mapping[str, float],
           preset: str, family: str) -> Reading:
    try:
        outcome = bind_analysis(scenario, analysis, values).solve()
    except (BindingError, ModelError) as exc:
        return Reading(preset, "", "", float("nan"), "", (), " ".join(str(exc).split()))
    return reading_of(preset, outcome, family)


def _changed(a: Reading, b: Reading) -> tuple[str, ...]:
    names = ("outcome class", "outcome", "regime")
    return tuple(n for n, x, y in zip(names, a.key, b.key, strict=True) if x != y)


def what_moved(scenario: Scenario, analysis: Analysis, start: tuple[str, Mapping[str, float]],
               end: tuple[str, Mapping[str, float]], *, max_trials: int = MAX_TRIALS,
               ) -> Move | None:
    """Which of the analysis's scenario parameters take it from ``start``'s reading
    to ``end``'s, or ``None`` when the two readings agree.

    ``start`` and ``end`` are ``(preset id, scenario values)``. Sets are tried by
    size, in the order the analysis binds its parameters; every set of the first
    size that reproduces ``end``'s reading is kept.
    """
    family = get_model(analysis.model).family
    (p0, v0), (p1, v1) = start, end
    return _move(scenario, analysis, family, (p0, v0, _solve(scenario, analysis, v0, p0, family)),
                 (p1, v1, _solve(scenario, analysis, v1, p1, family)), max_trials)


Side = tuple[str, Mapping[str, float], Reading]


def _move(scenario: Scenario, analysis: Analysis, family: str, start: Side, end: Side,
          max_trials: int) -> Move | None:
    (p0, v0, r0), (p1, v1, r1) = start, end
    if r0.error is not None or r1.error is not None or r0.key == r1.key:
        return None
    changed = _changed(r0, r1)
    bound = dict.fromkeys(src for src in analysis.params.values() if isinstance(src, str))
    differing = tuple(n for n in bound if n in v0 and n in v1 and v0[n] != v1[n])
    trials = 0
    for size in range(1, len(differing)):
        found = []
        for subset in itertools.combinations(differing, size):
            if trials >= max_trials:
                return Move(p0, p1, changed, differing, (differing,), trials, False)
            trials += 1
            values = {**v0, **{n: v1[n] for n in subset}}
            if _solve(scenario, analysis, values, p1, family).key == r1.key:
                found.append(subset)
        if found:
            return Move(p0, p1, changed, differing, tuple(found), trials)
    # Only all of them together; no set at all when no bound parameter differs.
    return Move(p0, p1, changed, differing, (differing,) if differing else (), trials)


def _titles(items: Sequence[AnalysisComparison]) -> str:
    return "; ".join(a.title for a in items)


#: How the sentences name each kind of model, and the event P(war) measures in it.
KINDS: Mapping[str, tuple[str, str]] = {"war": ("models of war", "war is"),
                                        "sanctions": ("sanctions models", "sanctions are")}


def _verdicts(kind: str, rows: Sequence[tuple[AnalysisComparison, Reading]]) -> str:
    """One sentence on the models of one kind (war, or sanctions) at one preset."""
    models, event = KINDS.get(kind, (f"models of {kind}", f"{kind} is"))
    n = len(rows)
    likely = [a for a, r in rows if r.p_war >= WAR_LIKELY]
    p = [r.p_war for _, r in rows]
    if n == 1:
        (a, r), = rows
        return (f"The one {models.replace('models', 'model')} here, {a.title}, finds that "
                f"{event} {'likely' if likely else 'unlikely'}: P({kind}) = {r.p_war:.2f}.")
    if not likely:
        most = (f"P({kind}) is 0.00 in each" if max(p) < 0.005 else
                f"P({kind}) is at most {max(p):.2f} in each")
        return f"All {n} {models} agree that {event} unlikely: {most}."
    if len(likely) == n:
        return (f"All {n} {models} agree that {event} likely: P({kind}) is at least "
                f"{min(p):.2f} in each.")
    others = n - len(likely)
    lean = ("most find it unlikely" if others > len(likely) else
            "most find it likely" if others < len(likely) else "they split evenly")
    return (f"The {models} disagree, and {lean}: {len(likely)} of {n} find {kind} likely, "
            f"the other {others} unlikely. Likely in: {_titles(likely)}.")


def agreement_sentences(analyses: Sequence[AnalysisComparison], index: int) -> tuple[str, ...]:
    """Where the models agree at the ``index``-th preset, judged on outcome classes."""
    groups: dict[str, list[tuple[AnalysisComparison, Reading]]] = {}
    unsolved, no_war = [], []
    for a in analyses:
        r = a.readings[index]
        if r.error is not None:
            unsolved.append(a)
        elif not a.conflict:
            no_war.append(a)
        else:
            groups.setdefault(a.conflict, []).append((a, r))
    out = [_verdicts(kind, rows) for kind, rows in sorted(groups.items(),
                                                          key=lambda kv: kv[0] != "war")]
    if not groups:
        out.append("No analysis here gives a probability of war.")
    if no_war:
        out.append(f"Left out, as they do not model war: {_titles(no_war)}.")
    if unsolved:
        out.append(f"Not solved under this calibration: {_titles(unsolved)}.")
    return tuple(out)


def compare_presets(scenario: Scenario, presets: Sequence[str] | None = None,
                    overrides: Mapping[str, float] | None = None) -> PresetComparison:
    """Every analysis under each preset (``compared_presets`` by default), with movers.

    ``overrides`` (scenario parameter → value) apply on top of every preset; a
    bad preset or override raises BindingError. An analysis that cannot be
    solved under a preset gets a reading with its ``error``.
    """
    chosen = list(presets) if presets is not None else compared_presets(scenario)
    values = {p: scenario_values(scenario, p, overrides) for p in chosen}
    names = {p.id: p.name for p in scenario.presets}
    rows = []
    budget = MAX_SEARCH
    for analysis in scenario.analyses:
        try:
            family = get_model(analysis.model).family
        except ModelError:
            family = ""
        readings = tuple(_solve(scenario, analysis, values[p], p, family) for p in chosen)
        sides = [(p, values[p], r) for p, r in zip(chosen, readings, strict=True)]
        moves = []
        for a, b in itertools.combinations(sides, 2):
            move = _move(scenario, analysis, family, a, b, min(MAX_TRIALS, budget))
            if move is not None:
                budget -= move.trials
                moves.append(move)
        rows.append(AnalysisComparison(
            analysis.id, analysis_title(scenario, analysis), analysis.question,
            analysis.model, family, conflict_word(family), readings, tuple(moves),
            _actors(scenario, analysis)))
    agreement = tuple(agreement_sentences(rows, k) for k in range(len(chosen)))
    return PresetComparison(scenario.meta.id, tuple(chosen),
                            tuple(names.get(p, p) for p in chosen), tuple(rows), agreement,
                            tuple(sorted((overrides or {}).items())))


def compare_outcomes(scenario: Scenario, solved: Sequence[tuple[Analysis, Outcome | str]],
                     label: str = "current") -> tuple[AnalysisComparison, ...]:
    """Rows of one calibration, from analyses already solved (or the reason they were not),
    for ``agreement_sentences(rows, 0)``."""
    rows = []
    for analysis, outcome in solved:
        try:
            family = get_model(analysis.model).family
        except ModelError:
            family = ""
        reading = (Reading(label, "", "", float("nan"), "", (), outcome)
                   if isinstance(outcome, str) else reading_of(label, outcome, family))
        rows.append(AnalysisComparison(analysis.id, analysis_title(scenario, analysis),
                                       analysis.question, analysis.model, family,
                                       conflict_word(family), (reading,), (),
                                       _actors(scenario, analysis)))
    return tuple(rows)


#: Names that are proper nouns but read with "the" inside a sentence ("the West's cost").
_TAKE_THE = frozenset({"West", "US", "Soviet", "Soviets"})


#: Words of an actor's name that do not make a label's first word a name ("The American
#: public" leaves "The West's cost of war" a common phrase).
_ARTICLES = frozenset({"The", "A", "An"})


def _mid_sentence(label: str, proper: frozenset[str]) -> str:
    """``label`` as it reads inside a sentence: a common first word in lower case
    ("Prior that ..." → "prior that ..."), "the" before a name that takes it ("US cost of
    war" → "the US cost of war"), and an actor's name or a game's heading ("Chicken: ...")
    as it is."""
    first, _, rest = label.partition(" ")
    bare = first.removesuffix("'s").removesuffix("'").rstrip(":")
    if bare in _TAKE_THE:
        return f"the {label}"
    if (bare in proper or first.endswith(":") or not first[:1].isupper()
            or first[1:2].isupper()):
        return label
    return f"{first[0].lower()}{first[1:]} {rest}".rstrip()


def parameter_words(scenario: Scenario, name: str) -> str:
    """A scenario parameter in words, as it reads inside a sentence: its label with its
    symbol, ``Russia's cost of war (c_R)``, ``prior that Russia is resolved (π)``."""
    spec = next((p for p in scenario.parameters if p.name == name), None)
    if spec is None:
        return name
    proper = frozenset(w.removesuffix("'s") for a in scenario.actors
                       for w in a.name.split()) - _ARTICLES
    return f"{_mid_sentence(spec.label, proper)} ({spec.symbol or spec.name})"


def _joined(items: Sequence[str], last: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def move_sentence(scenario: Scenario, move: Move) -> str:
    """What moved a reading, as words that follow "moved by": which parameters, alone
    or together."""
    words = [[parameter_words(scenario, n) for n in s] for s in move.sets]
    if not words:
        return "no parameter this analysis binds (the change comes from elsewhere)."
    if not move.complete:
        return (f"{_joined(words[0], 'and')} together; a smaller set was not searched "
                f"(more than {MAX_TRIALS} combinations).")
    if len(words) > 1:
        how = "each alone" if len(words[0]) == 1 else "each set together"
        return f"either {_joined([_joined(w, 'and') for w in words], 'or')}, {how}."
    (only,) = words
    if len(only) == 1:
        return f"{only[0]}{' alone' if len(move.differing) > 1 else ''}."
    neither = "neither" if len(only) == 2 else "no one of them"
    return f"{_joined(only, 'and')} together; {neither} alone does it."
