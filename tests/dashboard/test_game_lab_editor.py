"""The Game lab's tree editor: the node table reads back to the same tree."""

from __future__ import annotations

import pytest

from sim.games.errors import GameError
from sim.lab.catalogue import CATALOGUE, catalogue_game
from sim.lab.edit import outline
from sim.lab.model import LabGame
from views.game_lab_editor import rows_to_tree, tree_rows

TREES = [e.key for e in CATALOGUE if catalogue_game(e.key).tree is not None]


@pytest.mark.parametrize("key", TREES)
def test_node_table_round_trip(key: str) -> None:
    game = catalogue_game(key)
    data = game.to_json_dict()
    back = LabGame.model_validate(rows_to_tree(tree_rows(data), data))
    assert back == game


def test_node_table_errors_name_the_row() -> None:
    data = catalogue_game("entry_deterrence").to_json_dict()
    frame = tree_rows(data)
    frame.loc[0, "Branches"] = "Stay out n2; Enter → n3"
    with pytest.raises(GameError, match=r"row 1 \(n1\): write each branch as 'action → node'"):
        rows_to_tree(frame, data)
    frame = tree_rows(data)
    frame.loc[1, "Player"] = "Nobody"
    frame.loc[1, "Type"] = "Decision"
    with pytest.raises(GameError, match=r"row 2 \(n2\): choose the player who moves here"):
        rows_to_tree(frame, data)


def test_outline_reads_the_tree() -> None:
    text = outline(catalogue_game("beer_quiche"))
    lines = text.splitlines()
    assert lines[0] == "Chance (Nature)"
    assert lines[1].startswith("├─ Strong (probability p = 0.9) → Sender moves")
    assert "└─ Weak (probability 1 - p = 0.1) → Sender moves" in text
