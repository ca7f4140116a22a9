"""Tests of the extensive-form engine; shared tree builders and paths."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from tests.paths import GAMBIT_GAMES, REFERENCE_CASES, ROOT

__all__ = [
    "GAMBIT_GAMES", "GOLDEN", "IIG_OUTCOMES", "REFERENCE_CASES", "beer_quiche",
    "behavior_by_first_node", "canonical_gambit", "canonical_ours", "entry_deterrence",
    "gambit_flat_actions", "iig", "model_case", "not_escalating", "threat_game",
]

GOLDEN = ROOT / "tests" / "data" / "golden"

IIG_OUTCOMES = ("SQ", "ACQ_A", "ACQ_B", "NEG", "CAP_A", "CAP_B", "WAR_A", "WAR_B")


def model_case(case_id: str) -> dict[str, Any]:
    """One worked reference case: ``params``, ``expected`` and ``tolerance``."""
    for case in json.loads(REFERENCE_CASES.read_text(encoding="utf-8")):
        if case["case_id"] == case_id:
            return dict(case)
    raise KeyError(case_id)


def iig(u_a: Mapping[str, Any], u_b: Mapping[str, Any]) -> ExtensiveFormGame:
    """The International Interaction Game of models.md §5 (Signorino 1999 node numbers).

    Escalatory actions are labelled ``D`` (demand), ``F`` (force), ``R``
    (retaliate); the alternatives ``nD``, ``nF``, ``nR``. Information-set keys
    are the node numbers ``n1`` ... ``n12``.
    """

    def t(name: str) -> Terminal:
        return Terminal((u_a[name], u_b[name]), name)

    def d(node: str, player: int, esc: str, yes: Any, no: Any) -> Decision:
        return Decision(player, ((esc, yes), ("n" + esc, no)), infoset=node)

    a, b = 0, 1
    n10 = d("n10", b, "R", t("WAR_A"), t("CAP_B"))
    n12 = d("n12", a, "R", t("WAR_B"), t("CAP_A"))
    n9 = d("n9", b, "F", n12, t("NEG"))
    n5 = d("n5", a, "F", n10, n9)
    n8 = d("n8", a, "R", t("WAR_B"), t("CAP_A"))
    n11 = d("n11", b, "R", t("WAR_A"), t("CAP_B"))
    n7 = d("n7", a, "F", n11, t("NEG"))
    n6 = d("n6", b, "F", n8, n7)
    n3 = d("n3", b, "D", n5, t("ACQ_B"))
    n4 = d("n4", a, "D", n6, t("ACQ_A"))
    n2 = d("n2", b, "D", n4, t("SQ"))
    n1 = d("n1", a, "D", n3, n2)
    return ExtensiveFormGame(n1, ("A", "B"), "International Interaction Game")


def not_escalating(key: str, tied: Any) -> str:
    """models.md §0: escalate only if strictly better (``n*`` labels de-escalate)."""
    calm = [a for a in tied if a.startswith("n") or a in ("Concede", "Back down", "Status quo")]
    return calm[0] if calm else tied[0]


def threat_game(q: Any, x: Any, p: Any, c_c: Any, c_t: Any, a: Any, b: Any) -> ExtensiveFormGame:
    """The compellence game of models.md §2a (challenger C, target T)."""
    tree = Decision(0, (
        ("Status quo", Terminal((q, 1 - q), "SQ")),
        ("Demand", Decision(1, (
            ("Concede", Terminal((x, 1 - x), "Concede")),
            ("Resist", Decision(0, (
                ("Execute", Terminal((p - c_c, 1 - p - c_t), "War")),
                ("Back down", Terminal((q - a, 1 - q + b), "Back down")),
            ), infoset="C after Resist")),
        ), infoset="T")),
    ), infoset="C")
    return ExtensiveFormGame(tree, ("C", "T"), "Threat game")


def entry_deterrence() -> ExtensiveFormGame:
    """Selten's chain-store stage game: entrant (0) Out/In, incumbent (1) Fight/Accommodate."""
    tree = Decision(0, (
        ("Out", Terminal((0, 2))),
        ("In", Decision(1, (
            ("Fight", Terminal((-1, -1))),
            ("Accommodate", Terminal((1, 1))),
        ), infoset="Incumbent")),
    ), infoset="Entrant")
    return ExtensiveFormGame(tree, ("Entrant", "Incumbent"))


def beer_quiche(prior_strong: Any) -> ExtensiveFormGame:
    """Cho & Kreps (1987) beer–quiche as a tree (sender 0, receiver 1).

    Sender gets 1 for its preferred breakfast (beer if strong, quiche if weak)
    plus 2 if not challenged; the receiver gets 1 for duelling a weak sender
    or not duelling a strong one.
    """

    def sender(t: str) -> Decision:
        def after(m: str) -> Decision:
            likes = 1 if (t == "strong") == (m == "Beer") else 0
            win_duel = 1 if t == "weak" else 0
            return Decision(1, (
                ("Duel", Terminal((likes, win_duel))),
                ("Not", Terminal((likes + 2, 1 - win_duel))),
            ), infoset=f"after {m}")

        return Decision(0, (("Beer", after("Beer")), ("Quiche", after("Quiche"))), infoset=t)

    root = Chance((("strong", prior_strong, sender("strong")),
                   ("weak", 1 - prior_strong, sender("weak"))))
    return ExtensiveFormGame(root, ("Sender", "Receiver"), "Beer-quiche")


# -- canonical forms shared by the golden generator and the tests -------------
# A tree is compared node by node in depth-first order: ["t", payoffs],
# ["c", probabilities] or ["d", player, first node of its information set,
# number of actions]. Numbers are exact rationals written as "p/q" strings.


def _q(v: Any) -> str:
    from fractions import Fraction

    return str(Fraction(str(v))) if not isinstance(v, Fraction) else str(v)


def canonical_ours(game: ExtensiveFormGame) -> list[Any]:
    """Our reading of a tree in canonical form."""
    flat = game.flat()
    first = {key: nodes[0] for key, nodes in flat.members.items()}
    out: list[Any] = []
    for i in range(len(flat)):
        if flat.kind[i] == "t":
            out.append(["t", [_q(v) for v in flat.payoffs[i]]])
        elif flat.kind[i] == "c":
            out.append(["c", [_q(p) for p in flat.probs[i]]])
        else:
            out.append(["d", flat.player[i], first[flat.infoset[i]], len(flat.actions[i])])
    return out


def canonical_gambit(g: Any) -> list[Any]:
    """pygambit's reading of a tree in the same canonical form."""
    from fractions import Fraction

    players = list(g.players)
    order: list[Any] = []
    stack = [(g.root, [Fraction(0)] * len(players))]
    while stack:
        node, acc = stack.pop()
        try:
            pay = [Fraction(str(node.outcome[p])) for p in players]
        except KeyError:  # pygambit raises for a node without an outcome
            pay = [Fraction(0)] * len(players)
        acc = [a + v for a, v in zip(acc, pay, strict=True)]
        order.append((node, acc))
        stack.extend((c, acc) for c in reversed(list(node.children)))
    first: dict[Any, int] = {}
    out: list[Any] = []
    for i, (node, acc) in enumerate(order):
        if node.is_terminal:
            out.append(["t", [str(a) for a in acc]])
        elif node.player.is_chance:
            out.append(["c", [str(Fraction(str(a.prob))) for a in node.infoset.actions]])
        else:
            key = (players.index(node.player), node.infoset.number)
            first.setdefault(key, i)
            out.append(["d", key[0], first[key], len(list(node.infoset.actions))])
    return out


def gambit_flat_actions(g: Any) -> list[tuple[int, int]]:
    """For pygambit's flat action index: (first node of the infoset, action position)."""
    canon_first: dict[tuple[int, int], int] = {}
    stack = [g.root]
    i = 0
    players = list(g.players)
    while stack:
        node = stack.pop()
        if not node.is_terminal and not node.player.is_chance:
            canon_first.setdefault((players.index(node.player), node.infoset.number), i)
        i += 1
        stack.extend(reversed(list(node.children)))
    out = []
    for p, player in enumerate(players):
        for infoset in player.infosets:
            for k, _ in enumerate(infoset.actions):
                out.append((canon_first[(p, infoset.number)], k))
    return out


def behavior_by_first_node(
    game: ExtensiveFormGame, behavior: Mapping[str, Any]
) -> dict[str, list[float]]:
    """Behaviour keyed by the depth-first index of each information set's first node."""
    flat = game.flat()
    return {
        str(nodes[0]): [float(behavior[key][a]) for a in flat.actions[nodes[0]]]
        for key, nodes in flat.members.items()
    }


def tree_from_canonical(canon: list[Any], players: list[str], title: str = "") -> ExtensiveFormGame:
    """Rebuild a tree from its canonical form (as stored in the golden fixtures).

    The canonical form keeps structure, payoffs, chance probabilities and
    information sets, not labels: actions are named ``1``, ``2``, ... (Gambit's
    own numbering) and information sets by their first node. This lets the
    fixtures of Gambit's collection be solved without the collection itself.
    """
    from fractions import Fraction

    pos = 0

    def build() -> Any:
        nonlocal pos
        entry = canon[pos]
        pos += 1
        if entry[0] == "t":
            return Terminal(tuple(Fraction(v) for v in entry[1]))
        if entry[0] == "c":
            probs = [Fraction(v) for v in entry[1]]
            return Chance(tuple((str(k + 1), p, build()) for k, p in enumerate(probs)))
        _, player, first, n_actions = entry
        children = [build() for _ in range(n_actions)]
        return Decision(player, tuple((str(k + 1), c) for k, c in enumerate(children)),
                        infoset=f"{player + 1}:{first}")

    root = build()
    if pos != len(canon):
        raise ValueError(f"canonical form has {len(canon) - pos} nodes after the tree")
    return ExtensiveFormGame(root, tuple(players), title)
