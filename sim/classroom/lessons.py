"""Six guided lessons on the 2022 crisis, each "predict, then reveal".

A lesson has learning goals, three to five steps and a short quiz. At each
step the student sees a calibration (a preset of the scenario plus a few
parameter values) and the sliders that matter, commits to a prediction, and
then sees the model's answer and its explanation. Answers are never typed in
by hand: each is computed from the solved model at the step's calibration,
so a lesson stays right if a model or the scenario changes.

Content follows the documentation of each model under ``docs/models/`` and
``scenarios/russia_nato_2022_02.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sim.models.base import Outcome
from sim.scenario.binding import run_analysis, scenario_values
from sim.scenario.schema import Scenario

__all__ = ["Prediction", "Step", "QuizQuestion", "Lesson", "LESSONS", "solve_step",
           "check_prediction", "quiz_answer", "lesson"]

SCENARIO = "russia_nato_2022_02"

#: ``answer(outcome, solve)``: the correct option, from the solved outcome; ``solve(values)``
#: solves the same analysis and preset with other parameter values, for comparisons.
Solver = Callable[[Mapping[str, float]], Outcome]
Answer = Callable[[Outcome, Solver], str]


@dataclass(frozen=True)
class Prediction:
    """A question the student answers before the reveal."""

    question: str
    options: tuple[str, ...]
    answer: Answer


@dataclass(frozen=True)
class Step:
    """One step: a calibration, the sliders to watch, a prediction, and the reveal."""

    title: str
    text: str
    analysis: str
    preset: str | None = None
    values: Mapping[str, float] = field(default_factory=dict)
    sliders: tuple[str, ...] = ()
    prediction: Prediction | None = None


@dataclass(frozen=True)
class QuizQuestion:
    """A quiz question, answered at a fixed calibration checked by the app."""

    question: str
    options: tuple[str, ...]
    analysis: str
    answer: Answer
    preset: str | None = None
    values: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    goals: tuple[str, ...]
    steps: tuple[Step, ...]
    quiz: tuple[QuizQuestion, ...]


def _war(o: Outcome, _s: Solver | None = None) -> str:
    return "War" if o.p_war >= 0.5 else "No war"


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def _compare(value: float, reference: float, labels: tuple[str, str, str]) -> str:
    """``labels`` = (lower, same, higher) for ``value`` against ``reference``."""
    if abs(value - reference) <= 1e-9:
        return labels[1]
    return labels[0] if value < reference else labels[2]


def _band(value: float, cuts: tuple[float, ...], labels: tuple[str, ...]) -> str:
    for cut, label in zip(cuts, labels, strict=False):
        if value < cut:
            return label
    return labels[-1]


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        id="fearon-range",
        title="1. Why bargaining should beat war: the Fearon range",
        goals=(
            "War is costly, so both sides prefer some deals to fighting: the bargaining range.",
            "A demand outside the range is refused even when everything is known.",
            "Private information creates a risk-return trade-off: asking for more risks war.",
        ),
        steps=(
            Step("The range at the teaching defaults",
                 "Russia wins a war with probability p and pays c_R; the United States pays c_W. "
                 "Every share between p − c_R and p + c_W beats war for both.",
                 "fearon_range_stated", "teaching-defaults", {}, ("p", "c_R", "c_W", "x"),
                 Prediction("Russia demands x = 0.9. Does the United States accept, or is it "
                            "war?",
                            ("No war", "War"), _war)),
            Step("A demand at the top of the range",
                 "Lower the demand to p + c_W = 0.75, the most the United States will concede.",
                 "fearon_range_stated", "teaching-defaults", {"x": 0.75}, ("x",),
                 Prediction("Russia demands x = 0.75. War or not?", ("No war", "War"), _war)),
            Step("When Moscow cannot see the United States' costs",
                 "Now the United States' war cost is private, uniform on [c_lo, c_hi]. Russia "
                 "picks its demand to balance a bigger share against the risk of refusal.",
                 "fearon_private_costs", "teaching-defaults", {}, ("c_R", "c_lo", "c_hi"),
                 Prediction("Is the probability of war zero, small (below 0.5) or large?",
                            ("Zero", "Small", "Large"),
                            lambda o, _s: _band(o.p_war, (1e-12, 0.5),
                                                ("Zero", "Small", "Large")))),
            Step("Does military power change the risk of war?",
                 "Raise Russia's chance of winning, p, from 0.65 to 0.75.",
                 "fearon_private_costs", "teaching-defaults", {"p": 0.75}, ("p",),
                 Prediction("Compared with the last step, P(war) is…",
                            ("Lower", "The same", "Higher"),
                            lambda o, s: _compare(o.p_war, s({"p": 0.65}).p_war,
                                                  ("Lower", "The same", "Higher")))),
        ),
        quiz=(
            QuizQuestion("At the teaching defaults, what is the bargaining range?",
                         ("[0.50, 0.75]", "[0.35, 0.90]", "[0.65, 0.75]"), "fearon_range",
                         lambda o, _s: f"[{o.details['lower']:.2f}, {o.details['upper']:.2f}]",
                         "teaching-defaults"),
            QuizQuestion("If both sides' war costs were zero, the range would be…",
                         ("Empty", "The single point p", "The whole pie"), "fearon_range",
                         lambda o, _s: "The single point p" if abs(o.details["width"]) < 1e-12
                         else "Empty", "teaching-defaults", {"c_R": 0.0, "c_W": 0.0}),
        ),
    ),
    Lesson(
        id="credible-threats",
        title="2. Is the threat credible? Compellence, bluffing and audience costs",
        goals=(
            "A threat works only if carrying it out beats backing down: credibility.",
            "Audience costs tie hands: a leader who would lose face fights rather than fold.",
            "Under private resolve, irresolute challengers bluff and targets resist at random.",
        ),
        steps=(
            Step("Credibility under complete information",
                 "Russia fights after resistance if p − c_R exceeds q − a_R.",
                 "compellence_stated", "teaching-defaults", {"x": 0.7}, ("c_R", "a_R", "q"),
                 Prediction("Is Russia's threat credible?", ("Yes", "No"),
                            lambda o, _s: _yes(bool(o.details["credible"])))),
            Step("A costly war",
                 "Raise Russia's war cost c_R to 0.6.",
                 "compellence_stated", "teaching-defaults", {"x": 0.7, "c_R": 0.6}, ("c_R",),
                 Prediction("Is the threat still credible?", ("Yes", "No"),
                            lambda o, _s: _yes(bool(o.details["credible"])))),
            Step("Tying hands",
                 "Keep c_R = 0.6 and raise Putin's audience cost a_R to 0.5.",
                 "compellence_stated", "teaching-defaults", {"x": 0.7, "c_R": 0.6, "a_R": 0.5},
                 ("a_R",),
                 Prediction("Is the threat credible now?", ("Yes", "No"),
                            lambda o, _s: _yes(bool(o.details["credible"])))),
            Step("Bluffing under private resolve",
                 "The United States does not know whether Russia is resolved. A moderate demand "
                 "(x = 0.7) and a low prior of resolve (π = 0.5).",
                 "compellence_bluffing", "teaching-defaults", {"x": 0.7}, ("pi", "a_R"),
                 Prediction("Does the irresolute Russia sometimes bluff (demand without "
                            "meaning to fight)?", ("Yes", "No"),
                            lambda o, _s: _yes(0 < float(o.details.get("beta") or 0) < 1))),
        ),
        quiz=(
            QuizQuestion("With private resolve, raising the audience cost from 0.1 to 0.3 makes "
                         "war…", ("Less likely", "More likely"), "compellence_bluffing",
                         lambda o, s: "Less likely" if o.p_war < s(
                             {"x": 0.7, "a_R": 0.1, "pi": 0.5}).p_war else "More likely",
                         "teaching-defaults", {"x": 0.7, "a_R": 0.3, "pi": 0.5}),
        ),
    ),
    Lesson(
        id="chicken-brinkmanship",
        title="3. Chicken and brinkmanship: a threat that leaves something to chance",
        goals=(
            "Chicken has two pure equilibria and one mixed; who swerves is not pinned down.",
            "In the mixed equilibrium each side's firmness is set by the other side's payoffs.",
            "Brinkmanship: create a risk of war just large enough to make a soft opponent give in.",
        ),
        steps=(
            Step("Mixed play in Chicken",
                 "Russia's war payoff is −1, the United States' −3 (war is worse for the "
                 "United States).",
                 "chicken", "teaching-defaults", {}, ("d_R", "d_W"),
                 Prediction("In the mixed equilibrium, who stands firm more often?",
                            ("Russia", "The United States"),
                            lambda o, _s: "Russia" if o.details["firm_A"] > o.details["firm_B"]
                            else "The United States")),
            Step("A costlier war for the United States",
                 "Lower the United States' war payoff d_W to −6.",
                 "chicken", "teaching-defaults", {"d_W": -6.0}, ("d_W",),
                 Prediction("Does Russia become more or less firm?",
                            ("More firm", "Less firm", "Unchanged"),
                            lambda o, s: _compare(o.details["firm_A"],
                                                  s({}).details["firm_A"],
                                                  ("Less firm", "Unchanged", "More firm")))),
            Step("The brinkmanship window",
                 "Russia picks a risk r of war if the United States defies it. It must be large "
                 "enough to scare a soft United States (r ≥ L/D_W) and small enough to be worth "
                 "it.",
                 "brinkmanship", "teaching-defaults", {}, ("pi_hard", "L", "D_W_soft"),
                 Prediction("Does Russia make the threat?", ("Yes", "No"),
                            lambda o, _s: _yes(bool(o.details["threat"])))),
            Step("A United States likely to be hard",
                 "Raise the prior that the United States is hard, π_hard, to 0.8.",
                 "brinkmanship", "teaching-defaults", {"pi_hard": 0.8}, ("pi_hard",),
                 Prediction("Does Russia still make the threat?", ("Yes", "No"),
                            lambda o, _s: _yes(bool(o.details["threat"])))),
        ),
        quiz=(
            QuizQuestion("How many Nash equilibria does the default Chicken game have?",
                         ("1", "2", "3"), "chicken",
                         lambda o, _s: str(int(o.details["n_equilibria"])), "teaching-defaults"),
        ),
    ),
    Lesson(
        id="patience",
        title="4. \"Time is on its side\": patience, and the United States' war option",
        goals=(
            "In alternating-offers bargaining the more patient side gets more.",
            "An outside option only matters when it beats continuing to bargain.",
        ),
        steps=(
            Step("Patience pays",
                 "Russia discounts each round by δ_R = 0.95, the United States by δ_W = 0.85.",
                 "rubinstein", "teaching-defaults", {}, ("delta_R", "delta_W"),
                 Prediction("Who gets more than half?", ("Russia", "The United States"),
                            lambda o, _s: "Russia" if o.payoffs["Russia"] > 0.5
                            else "The United States")),
            Step("The United States' war option caps Russia's share",
                 "Now the United States may walk away to war, worth 1 − p − c_W to it.",
                 "rubinstein_war_option", "teaching-defaults", {}, ("p", "c_W"),
                 Prediction("Is Russia's share capped by the United States' war option?",
                            ("Yes", "No"),
                            lambda o, _s: _yes(bool(o.details.get("option_2_binding",
                                                              o.details.get("option_W_binding",
                                                                            False)))))),
            Step("A patient United States",
                 "Make the United States as patient as Russia: δ_W = 0.95.",
                 "rubinstein", "teaching-defaults", {"delta_W": 0.95}, ("delta_W",),
                 Prediction("Russia's share is now…", ("Above 0.5", "About 0.5", "Below 0.5"),
                            lambda o, _s: _band(o.payoffs["Russia"], (0.49, 0.52),
                                            ("Below 0.5", "About 0.5", "Above 0.5")))),
        ),
        quiz=(
            QuizQuestion("Raising Russia's patience δ_R (the United States' held fixed) makes "
                         "Russia's share…", ("Larger", "Smaller"), "rubinstein",
                         lambda o, s: "Larger" if o.payoffs["Russia"] > s({}).payoffs["Russia"]
                         else "Smaller", "teaching-defaults", {"delta_R": 0.98}),
        ),
    ),
    Lesson(
        id="sanctions-cohesion",
        title="5. Alliance cohesion and sanctions: why SWIFT was dropped",
        goals=(
            "A sanctions threat must be effective (it makes the target comply) and credible "
            "(the sender would impose it).",
            "Severe sanctions hurt the sender too; the window of packages that are both can "
            "close.",
            "Under complete information sanctions are threatened but never imposed.",
        ),
        steps=(
            Step("The severity window at the teaching defaults",
                 "Severity s costs Russia K_T·s and the United States K_S·s² (European "
                 "blow-back).",
                 "sanctions_severity", "teaching-defaults", {}, ("K_T", "K_S", "a_S"),
                 Prediction("Is there a package both effective and credible?", ("Yes", "No"),
                            lambda o, _s: _yes(bool(o.details["window_nonempty"])))),
            Step("As the article argues",
                 "European opposition makes the full package costlier for the United States.",
                 "sanctions_severity", "article", {}, ("K_S",),
                 Prediction("Is there a package both effective and credible now?", ("Yes", "No"),
                            lambda o, _s: _yes(bool(o.details["window_nonempty"])))),
            Step("The skeptical calibration",
                 "Sanctions hurt Russia more and the United States less.",
                 "sanctions_severity", "skeptical", {}, ("K_T", "K_S"),
                 Prediction("Is the window open?", ("Yes", "No"),
                            lambda o, _s: _yes(bool(o.details["window_nonempty"])))),
        ),
        quiz=(
            QuizQuestion("Under complete information, how likely is it that sanctions are "
                         "actually imposed?", ("Never", "Sometimes"), "sanctions",
                         lambda o, _s: "Never" if o.p_war == 0 else "Sometimes",
                         "teaching-defaults"),
        ),
    ),
    Lesson(
        id="hindsight",
        title="6. Hindsight: why did bargaining fail on 24 February 2022?",
        goals=(
            "Three rationalist roads to war: private information, commitment problems and "
            "a demand outside the bargaining range.",
            "Compare the article's calibration with the hindsight calibration, model by model.",
        ),
        steps=(
            Step("A demand outside the range",
                 "As the article argues: does the maximal demand fall inside the range?",
                 "fearon_range_stated", "article", {}, ("x", "p", "c_W"),
                 Prediction("War or not?", ("No war", "War"), _war)),
            Step("The commitment problem",
                 "In hindsight, Moscow feared that Ukraine's integration with the West would "
                 "shift power against it (p1 well below p0), and no guarantee was credible.",
                 "commitment", "hindsight", {}, ("p0", "p1", "delta"),
                 Prediction("Does the shift in power make preventive war rational?", ("Yes", "No"),
                            lambda o, _s: _yes(o.p_war >= 0.5))),
            Step("Private resolve",
                 "In hindsight Russia was resolved (π = 1).",
                 "compellence_bluffing", "hindsight", {}, ("pi",),
                 Prediction("War or not?", ("No war", "War"), _war)),
            Step("The article's own calibration",
                 "The article held that an invasion was never really on the cards (π = 0.2).",
                 "compellence_bluffing", "article", {}, ("pi",),
                 Prediction("War or not?", ("No war", "War"), _war)),
        ),
        quiz=(
            QuizQuestion("With a legally binding guarantee honoured with probability κ = 0.5, is "
                         "peace possible under the hindsight calibration?", ("Yes", "No"),
                         "guarantee", lambda o, _s: _yes(o.p_war < 0.5), "hindsight",
                         {"kappa": 0.5}),
        ),
    ),
)


def lesson(lesson_id: str) -> Lesson:
    for item in LESSONS:
        if item.id == lesson_id:
            return item
    raise KeyError(f"unknown lesson {lesson_id!r}")


def _solve(scenario: Scenario, analysis: str, preset: str | None,
           values: Mapping[str, float]) -> Outcome:
    return run_analysis(scenario, analysis, scenario_values(scenario, preset, values)).outcome


def solve_step(scenario: Scenario, step: Step, overrides: Mapping[str, float] | None = None
               ) -> Outcome:
    """The model's answer at the step's calibration (plus any slider overrides)."""
    return _solve(scenario, step.analysis, step.preset, {**step.values, **(overrides or {})})


def check_prediction(scenario: Scenario, step: Step, choice: str) -> tuple[bool, str, Outcome]:
    """Whether ``choice`` is the model's answer; returns (correct, answer, outcome)."""
    if step.prediction is None:
        raise ValueError("this step asks no prediction")
    outcome = solve_step(scenario, step)

    def solve(values: Mapping[str, float]) -> Outcome:
        return _solve(scenario, step.analysis, step.preset, values)

    answer = step.prediction.answer(outcome, solve)
    return choice == answer, answer, outcome


def quiz_answer(scenario: Scenario, question: QuizQuestion) -> str:
    """The correct option of a quiz question, computed from the model."""
    def solve(values: Mapping[str, float]) -> Outcome:
        return _solve(scenario, question.analysis, question.preset, values)

    answer: Any = question.answer(solve(question.values), solve)
    return str(answer)
