"""Pure builders of the QRE tab: the logit QRE path against the precision λ."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from sim.games.normal_form import NormalFormGame
from sim.models.base import Model
from sim.solvers.logit_qre import QREPath

__all__ = ["QRE_PARAM", "qre_analyses", "engine_path_figure"]

#: Name of the precision parameter of the QRE models.
QRE_PARAM = "lam"


def qre_analyses(analyses: Sequence[tuple[str, Model]]) -> list[str]:
    """Analyses whose model has a logit precision parameter λ."""
    return [aid for aid, m in analyses if any(s.name == QRE_PARAM for s in m.params)]


def engine_path_figure(path: QREPath, game: NormalFormGame, lam: float | None) -> go.Figure:
    """Each player's strategy probabilities along the traced principal branch."""
    fig = go.Figure()
    for i, player in enumerate(game.players):
        for j, strategy in enumerate(game.strategies[i]):
            fig.add_trace(go.Scatter(x=path.lambdas, y=path.profiles[i][:, j], mode="lines",
                                     name=f"{player}: {strategy}"))
    for b in path.bifurcations:
        fig.add_vline(x=b, line_dash="dash", line_color="grey", annotation_text="bifurcation",
                      annotation_position="bottom left")
    if lam is not None:
        fig.add_vline(x=lam, line_dash="dot", annotation_text=f"λ = {lam:g}",
                      annotation_position="bottom right")
    fig.update_layout(title="Logit QRE principal branch (path-following engine)",
                      xaxis_title="λ (precision)", yaxis_title="probability",
                      yaxis_range=[-0.02, 1.02], height=380,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
