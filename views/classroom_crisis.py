"""The crisis negotiation's part of the instructor's debrief: the class's paths beside the
model's subgame-perfect path, in the scenario's actor names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from sim.classroom.games import ClassroomGame
from sim.classroom.negotiation import class_paths, equilibrium_path, paths_table

__all__ = ["render_crisis_paths", "crisis_paths_frame"]


def crisis_paths_frame(game: ClassroomGame, rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per move: the equilibrium path, then each group's path, then the outcomes."""
    return pd.DataFrame(paths_table(game, class_paths(rows)))


def render_crisis_paths(game: ClassroomGame, rows: Sequence[Mapping[str, Any]]) -> None:
    """The section of the debrief that sets the class's paths beside the equilibrium path."""
    st.markdown("**The class's paths beside the equilibrium path**")
    eq = equilibrium_path(game)
    st.write("With every side looking ahead (subgame-perfect equilibrium): "
             + " ".join(f"{who}: {what}." for who, what in eq))
    st.caption("Each column after the first is one group of teams in one round; the last row "
               "is how the crisis ended.")
    # a static table: every cell stays readable on a projector, and wraps instead of cutting
    st.table(crisis_paths_frame(game, rows).set_index("Move"))
