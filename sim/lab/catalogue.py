"""A catalogue of textbook games for the lab, written for this project with their sources.

Each entry builds a :class:`~sim.lab.model.LabGame` whose payoffs are
expressions in named parameters, so a teacher can load one and move its
sliders. Where a source gives only an ordering of outcomes, the numbers are
our own teaching values that respect it (said so in the description). Three
entries are the project's own models' games, taken from the model registry
by model name at the models' default parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sim.games.errors import GameError
from sim.lab.files import from_engine
from sim.lab.model import LabGame

__all__ = ["CatalogueEntry", "CATALOGUE", "catalogue_game", "catalogue_names"]

Spec = dict[str, Any]


@dataclass(frozen=True)
class CatalogueEntry:
    """A named game and the function that builds it."""

    key: str
    name: str
    build: Callable[[], LabGame]


def _param(name: str, value: float, lo: float, hi: float, label: str = "",
           step: float | None = None) -> Spec:
    out: Spec = {"name": name, "value": value, "lo": lo, "hi": hi, "label": label}
    if step is not None:
        out["step"] = step
    return out


def _nf(title: str, players: Sequence[str], strategies: Sequence[Sequence[str]],
        cells: Sequence[Sequence[str]], params: Sequence[Spec], source: str,
        description: str) -> LabGame:
    return LabGame.model_validate({
        "title": title, "players": list(players), "parameters": list(params),
        "source": source, "description": description,
        "normal_form": {"strategies": [list(s) for s in strategies],
                        "payoffs": [list(c) for c in cells]},
    })


# A small tree notation: ("d", player, infoset, label, [(action, child), ...]),
# ("c", label, [(action, prob, child), ...]) and ("t", label, [payoffs]).
Tree = tuple[Any, ...]


def _flatten(root: Tree) -> list[Spec]:
    nodes: list[Spec] = []

    def add(node: Tree) -> str:
        node_id = f"n{len(nodes) + 1}"
        entry: Spec = {"id": node_id}
        nodes.append(entry)
        if node[0] == "t":
            entry.update(kind="terminal", label=node[1], payoffs=list(node[2]))
        elif node[0] == "d":
            _, player, infoset, label, acts = node
            entry.update(kind="decision", player=player, label=label)
            if infoset is not None:
                entry["infoset"] = infoset
            entry["branches"] = [{"action": a, "to": add(child)} for a, child in acts]
        else:
            _, label, branches = node
            entry.update(kind="chance", label=label)
            entry["branches"] = [{"action": a, "prob": p, "to": add(child)}
                                 for a, p, child in branches]
        return node_id

    add(root)
    return nodes


def _tree(title: str, players: Sequence[str], root: Tree, params: Sequence[Spec],
          source: str, description: str) -> LabGame:
    return LabGame.model_validate({
        "title": title, "players": list(players), "parameters": list(params),
        "source": source, "description": description, "tree": {"nodes": _flatten(root)},
    })


def _row_col(a: str, b: str) -> list[str]:
    return [a, b]


# -- normal-form games ------------------------------------------------------------

def prisoners_dilemma() -> LabGame:
    return _nf(
        "Prisoner's Dilemma", ("Row", "Column"), (("Cooperate", "Defect"),) * 2,
        (_row_col("R", "R"), _row_col("S", "T"), _row_col("T", "S"), _row_col("P", "P")),
        (_param("T", 5, 0, 10, "temptation"), _param("R", 3, 0, 10, "reward"),
         _param("P", 1, 0, 10, "punishment"), _param("S", 0, -5, 10, "sucker's payoff")),
        "Flood and Dresher's 1950 RAND experiment, named by A. W. Tucker; Rapoport & "
        "Chammah (1965), Prisoner's Dilemma, University of Michigan Press.",
        "With T > R > P > S, defecting is dominant and mutual defection is the only "
        "equilibrium, though both prefer mutual cooperation.")


def chicken() -> LabGame:
    return _nf(
        "Chicken", ("Row", "Column"), (("Swerve", "Straight"),) * 2,
        (_row_col("0", "0"), _row_col("0", "w"), _row_col("w", "0"), _row_col("-c", "-c")),
        (_param("w", 1, 0, 5, "gain from standing firm"),
         _param("c", 2, 0.1, 10, "cost of a crash")),
        "Rapoport & Chammah (1966), The game of Chicken, American Behavioral Scientist "
        "10(3); Schelling (1966), Arms and Influence, ch. 3; Dixit, Skeath & Reiley "
        "(2015), Games of Strategy, ch. 4 and 7.",
        "Two pure equilibria (one side swerves) and a mixed one in which each goes "
        "straight with probability w / (w + c).")


def stag_hunt() -> LabGame:
    return _nf(
        "Stag Hunt", ("Row", "Column"), (("Stag", "Hare"),) * 2,
        (_row_col("s", "s"), _row_col("0", "h"), _row_col("h", "0"), _row_col("h", "h")),
        (_param("s", 4, 0, 10, "value of a shared stag"),
         _param("h", 3, 0, 10, "value of a hare")),
        "Rousseau (1755), Discourse on Inequality, part II; Skyrms (2004), The Stag Hunt "
        "and the Evolution of Social Structure, Cambridge University Press, ch. 1.",
        "Hunting stag together pays most (payoff dominance) but hunting hare is safer: it "
        "is risk dominant when h > s / 2.")


def battle_of_the_sexes() -> LabGame:
    return _nf(
        "Battle of the Sexes", ("Row", "Column"), (("Opera", "Football"),) * 2,
        (_row_col("a", "b"), _row_col("0", "0"), _row_col("0", "0"), _row_col("b", "a")),
        (_param("a", 2, 0, 5, "value of one's own favourite"),
         _param("b", 1, 0, 5, "value of the other's favourite")),
        "Luce & Raiffa (1957), Games and Decisions, Wiley, section 5.3.",
        "Two pure equilibria, each favouring one player, and a mixed one.")


def matching_pennies() -> LabGame:
    return _nf(
        "Matching Pennies", ("Row", "Column"), (("Heads", "Tails"),) * 2,
        (_row_col("k", "-k"), _row_col("-k", "k"), _row_col("-k", "k"), _row_col("k", "-k")),
        (_param("k", 1, 0.1, 5, "stake"),),
        "von Neumann & Morgenstern (1944), Theory of Games and Economic Behavior, "
        "section 18; Gibbons (1992), A Primer in Game Theory, section 1.3.A.",
        "Zero-sum with no pure equilibrium: each mixes 50-50.")


def rock_paper_scissors() -> LabGame:
    moves = ("Rock", "Paper", "Scissors")
    beats = {("Rock", "Scissors"), ("Paper", "Rock"), ("Scissors", "Paper")}
    cells = []
    for a in moves:
        for b in moves:
            if a == b:
                cells.append(["0", "0"])
            elif (a, b) in beats:
                cells.append(["w", "-l"])
            else:
                cells.append(["-l", "w"])
    return _nf(
        "Rock, Paper, Scissors", ("Row", "Column"), (moves, moves), cells,
        (_param("w", 1, 0.1, 5, "value of a win"), _param("l", 1, 0.1, 5, "cost of a loss")),
        "Osborne (2004), An Introduction to Game Theory, Oxford University Press, "
        "exercise 37.1; Hofbauer & Sigmund (1998), Evolutionary Games and Population "
        "Dynamics, section 7.1.",
        "One equilibrium, each move with probability 1/3, whatever w and l.")


def hawk_dove() -> LabGame:
    return _nf(
        "Hawk-Dove", ("Row", "Column"), (("Hawk", "Dove"),) * 2,
        (_row_col("(V-C)/2", "(V-C)/2"), _row_col("V", "0"), _row_col("0", "V"),
         _row_col("V/2", "V/2")),
        (_param("V", 2, 0, 10, "value of the prize"), _param("C", 4, 0, 10, "cost of a fight")),
        "Maynard Smith & Price (1973), The logic of animal conflict, Nature 246: 15-18; "
        "Maynard Smith (1982), Evolution and the Theory of Games, ch. 2.",
        "When C > V, each plays Hawk with probability V / C in the mixed equilibrium.")


def deadlock() -> LabGame:
    return _nf(
        "Deadlock", ("Row", "Column"), (("Cooperate", "Defect"),) * 2,
        (_row_col("2", "2"), _row_col("1", "4"), _row_col("4", "1"), _row_col("3", "3")),
        (),
        "Snyder & Diesing (1977), Conflict Among Nations, Princeton University Press, "
        "ch. 2 (ordinal payoffs, 4 best).",
        "Both prefer mutual defection to mutual cooperation: no dilemma, and defection is "
        "dominant. The numbers are the source's ranks.")


def volunteers_dilemma() -> LabGame:
    cells = []
    for a in ("Volunteer", "Ignore"):
        for b in ("Volunteer", "Ignore"):
            for c in ("Volunteer", "Ignore"):
                choices = (a, b, c)
                if "Volunteer" not in choices:
                    cells.append(["0", "0", "0"])
                else:
                    cells.append(["b - k" if x == "Volunteer" else "b" for x in choices])
    return _nf(
        "Volunteer's Dilemma (three players)", ("Ann", "Bob", "Cleo"),
        (("Volunteer", "Ignore"),) * 3, cells,
        (_param("b", 2, 0, 10, "benefit when someone volunteers"),
         _param("k", 1, 0, 10, "cost of volunteering")),
        "Diekmann (1985), Volunteer's dilemma, Journal of Conflict Resolution 29(4): "
        "605-610.",
        "Three pure equilibria in which exactly one volunteers, and a symmetric mixed one "
        "in which each ignores with probability (k / b)^(1/2).")


# -- trees ----------------------------------------------------------------------

def entry_deterrence() -> LabGame:
    root = ("d", 0, None, "Entrant", [
        ("Stay out", ("t", "Monopoly", ["0", "m"])),
        ("Enter", ("d", 1, None, "Incumbent", [
            ("Fight", ("t", "Price war", ["-f", "-f"])),
            ("Accommodate", ("t", "Shared market", ["d", "d"])),
        ])),
    ])
    return _tree(
        "Entry deterrence", ("Entrant", "Incumbent"), root,
        (_param("m", 5, 0, 10, "incumbent's monopoly profit"),
         _param("d", 2, 0, 10, "profit of each when sharing"),
         _param("f", 1, 0, 5, "loss of each in a price war")),
        "Selten (1978), The chain store paradox, Theory and Decision 9: 127-159 (one "
        "stage); Dixit, Skeath & Reiley (2015), ch. 9.",
        "The threat to fight is not credible: the only subgame-perfect equilibrium is "
        "Enter, Accommodate, though Stay out, Fight is a Nash equilibrium.")


def seltens_horse() -> LabGame:
    root = ("d", 0, None, "Player 1", [
        ("Across", ("d", 1, None, "Player 2", [
            ("across", ("t", "Both across", ["1", "1", "1"])),
            ("down", ("d", 2, "not knowing who went down", "Player 3 (after 2 down)", [
                ("Right", ("t", "2 down, 3 Right", ["4", "4", "0"])),
                ("Left", ("t", "2 down, 3 Left", ["0", "0", "1"])),
            ])),
        ])),
        ("Down", ("d", 2, "not knowing who went down", "Player 3 (after 1 down)", [
            ("Right", ("t", "1 down, 3 Right", ["3", "2", "2"])),
            ("Left", ("t", "1 down, 3 Left", ["0", "0", "0"])),
        ])),
    ])
    return _tree(
        "Selten's horse", ("Player 1", "Player 2", "Player 3"), root, (),
        "Selten (1975), Reexamination of the perfectness concept for equilibrium points "
        "in extensive games, International Journal of Game Theory 4: 25-55, figure 1; "
        "Fudenberg & Tirole (1991), Game Theory, figure 8.3.",
        "Player 3 does not know who went down. In one Nash equilibrium player 1 goes down "
        "and player 3 plays Right, resting on player 2's threat to go down, which is not "
        "sequentially rational; in the reasonable one 1 and 2 go across.")


def beer_quiche() -> LabGame:
    def sender(kind: str, beer_bonus: str, quiche_bonus: str, duel_gain: str) -> Tree:
        def resp(msg: str, bonus: str) -> Tree:
            return ("d", 1, f"after {msg}", f"Receiver (after {msg})", [
                ("Duel", ("t", f"{kind}, {msg}, duel", [bonus, duel_gain])),
                ("Don't", ("t", f"{kind}, {msg}, no duel", [f"{bonus} + 2",
                                                           "1 - " + duel_gain])),
            ])
        return ("d", 0, f"if {kind.lower()}", f"Sender ({kind})", [
            ("Beer", resp("Beer", beer_bonus)), ("Quiche", resp("Quiche", quiche_bonus))])

    root = ("c", "Nature", [
        ("Strong", "p", sender("Strong", "1", "0", "0")),
        ("Weak", "1 - p", sender("Weak", "0", "1", "1")),
    ])
    return _tree(
        "Beer-quiche signalling game", ("Sender", "Receiver"), root,
        (_param("p", 0.9, 0.05, 0.95, "probability the sender is strong"),),
        "Cho & Kreps (1987), Signaling games and stable equilibria, Quarterly Journal of "
        "Economics 102(2): 179-221, section II.",
        "The sender likes its preferred breakfast (1) and avoiding a duel (2); the "
        "receiver gains 1 by duelling a weak sender or leaving a strong one alone. With p "
        "above 1/2 both types pool; the intuitive criterion keeps pooling on Beer.")


def zagare_kilgour() -> LabGame:
    root = ("d", 0, None, "Challenger", [
        ("Accept the status quo", ("t", "Status quo", ["0", "1"])),
        ("Challenge", ("d", 1, None, "Defender", [
            ("Concede", ("t", "Defender concedes", ["1", "0"])),
            ("Deny", ("d", 0, None, "Challenger (denied)", [
                ("Back down", ("t", "Challenger backs down", ["-b", "1 + r"])),
                ("Fight", ("t", "Conflict", ["1/2 - cc", "1/2 - cd"])),
            ])),
        ])),
    ])
    return _tree(
        "Unilateral deterrence (Zagare and Kilgour)", ("Challenger", "Defender"), root,
        (_param("b", 0.25, 0, 2, "Challenger's cost of backing down"),
         _param("r", 0.1, 0, 1, "Defender's gain in reputation"),
         _param("cc", 1, 0, 2, "Challenger's cost of conflict"),
         _param("cd", 1, 0, 2, "Defender's cost of conflict")),
        "Zagare & Kilgour (2000), Perfect Deterrence, Cambridge University Press, ch. 3, "
        "the Unilateral Deterrence Game. The numbers are our teaching values; they keep "
        "the source's ordering of outcomes.",
        "With the default values the Challenger would back down if denied, so the "
        "Defender's denial is credible and the status quo holds. Lower the Challenger's "
        "cost of conflict below 1/2 + b: it would fight, the Defender would concede, and "
        "deterrence fails.")


def blockade_1962() -> LabGame:
    root = ("d", 0, None, "United States", [
        ("Blockade", ("d", 1, None, "Soviet Union (blockade)", [
            ("Withdraw the missiles", ("t", "Negotiated withdrawal", ["3", "2"])),
            ("Keep the missiles", ("d", 0, None, "United States (missiles kept)", [
                ("Air strike", ("t", "Strike after the blockade", ["-1", "-1"])),
                ("Accept", ("t", "Missiles stay", ["-s", "4"])),
            ])),
        ])),
        ("Air strike", ("c", "Does the strike stay limited?", [
            ("Limited", "q", ("d", 1, None, "Soviet Union (after a strike)", [
                ("Accept the loss", ("t", "Missiles destroyed", ["4", "1"])),
                ("Retaliate", ("t", "War after a strike", ["-w", "-w"])),
            ])),
            ("Escalates", "1 - q", ("t", "Immediate war", ["-w", "-w"])),
        ])),
    ])
    return _tree(
        "The 1962 blockade decision", ("United States", "Soviet Union"), root,
        (_param("q", 0.5, 0, 1, "probability an air strike stays limited"),
         _param("w", 3, 0, 10, "cost of war"),
         _param("s", 2, 0, 5, "United States' cost of accepting the missiles")),
        "Allison & Zelikow (1999), Essence of Decision, 2nd ed., ch. 2 (the options before "
        "the ExComm); Brams (1985), Superpower Games, Yale University Press, ch. 2; Dixit, "
        "Skeath & Reiley (2015), ch. 14. The numbers are our ordinal teaching values.",
        "The United States chooses between a blockade, which leaves the Soviet Union a "
        "way to withdraw, and an air strike that may escalate. With q = 0.5 the blockade, "
        "followed by withdrawal, is subgame perfect; raise q above about 0.86 and the "
        "strike is chosen.")


def centipede() -> LabGame:
    root = ("d", 0, None, "Ann (1)", [
        ("Take", ("t", "Ann takes at 1", ["2", "0"])),
        ("Pass", ("d", 1, None, "Bob (2)", [
            ("Take", ("t", "Bob takes at 2", ["1", "3"])),
            ("Pass", ("d", 0, None, "Ann (3)", [
                ("Take", ("t", "Ann takes at 3", ["4", "2"])),
                ("Pass", ("d", 1, None, "Bob (4)", [
                    ("Take", ("t", "Bob takes at 4", ["3", "5"])),
                    ("Pass", ("t", "Both pass", ["g", "g - 2"])),
                ])),
            ])),
        ])),
    ])
    return _tree(
        "Centipede game", ("Ann", "Bob"), root,
        (_param("g", 6, 0, 10, "Ann's payoff if both always pass (Bob gets g - 2)"),),
        "Rosenthal (1981), Games of perfect information, predatory pricing and the "
        "chain-store paradox, Journal of Economic Theory 25: 92-100; McKelvey & Palfrey "
        "(1992), Econometrica 60(4).",
        "Backward induction says Ann takes at once, though both would gain by passing; "
        "with g above 7, Bob would pass at his last move and cooperation unravels no more.")


# -- the models' own games --------------------------------------------------------

def _model_game(model_name: str, title: str) -> Callable[[], LabGame]:
    def build() -> LabGame:
        from sim.models.registry import get_model

        model = get_model(model_name)
        game = model.game()
        if game is None:
            raise GameError(f"model {model_name!r} has no finite game")
        lab = from_engine(game, source=f"{model.title}. Source: {model.citation}",
                          description="The project's model at its default parameters; "
                          "the numbers are fixed (use the Explore mode for its own "
                          "parameters).")
        return lab.model_copy(update={"title": title})
    return build


CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry("prisoners_dilemma", "Prisoner's Dilemma", prisoners_dilemma),
    CatalogueEntry("chicken", "Chicken", chicken),
    CatalogueEntry("stag_hunt", "Stag Hunt", stag_hunt),
    CatalogueEntry("battle_of_the_sexes", "Battle of the Sexes", battle_of_the_sexes),
    CatalogueEntry("matching_pennies", "Matching Pennies", matching_pennies),
    CatalogueEntry("rock_paper_scissors", "Rock, Paper, Scissors", rock_paper_scissors),
    CatalogueEntry("hawk_dove", "Hawk-Dove", hawk_dove),
    CatalogueEntry("deadlock", "Deadlock", deadlock),
    CatalogueEntry("volunteers_dilemma", "Volunteer's Dilemma (three players)",
                   volunteers_dilemma),
    CatalogueEntry("entry_deterrence", "Entry deterrence (tree)", entry_deterrence),
    CatalogueEntry("seltens_horse", "Selten's horse (tree, three players)", seltens_horse),
    CatalogueEntry("beer_quiche", "Beer-quiche signalling game (tree)", beer_quiche),
    CatalogueEntry("zagare_kilgour", "Unilateral deterrence, Zagare and Kilgour (tree)",
                   zagare_kilgour),
    CatalogueEntry("blockade_1962", "The 1962 blockade decision (tree)", blockade_1962),
    CatalogueEntry("centipede", "Centipede game (tree)", centipede),
    CatalogueEntry("model_chicken", "Model: Chicken (2x2)",
                   _model_game("chicken_2x2", "Chicken (the project's model)")),
    CatalogueEntry("model_threat", "Model: compellence threat game (tree)",
                   _model_game("threat_game_complete_info",
                               "Compellence threat game (the project's model)")),
    CatalogueEntry("model_iig", "Model: International Interaction Game (tree)",
                   _model_game("iig_complete_info",
                               "International Interaction Game (the project's model)")),
)


def catalogue_names() -> dict[str, str]:
    """Key to display name, in catalogue order."""
    return {e.key: e.name for e in CATALOGUE}


def catalogue_game(key: str) -> LabGame:
    """The catalogue game ``key``.

    Raises
    ------
    KeyError
        If there is no such entry.
    """
    for e in CATALOGUE:
        if e.key == key:
            return e.build()
    raise KeyError(key)
