"""The report of a finished sweep: figures (HTML and PNG), CSV and a Markdown summary.

HTML figures are plotly with plotly.js embedded, so they open offline; PNG
figures are drawn with matplotlib's Agg backend, which needs no browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.sweep.engine import MANIFEST, read_manifest, read_results
from sim.sweep.resolve import SweepError
from sim.sweep.summary import (
    iid_rows,
    outcome_curves,
    regime_grid,
    regime_shares_ci,
    sobol_indices,
    tornado,
)

__all__ = ["Report", "write_report"]


@dataclass(frozen=True)
class Report:
    """Files written by :func:`write_report`."""

    markdown: Path
    csv: Path
    figures: tuple[Path, ...]


def _save(fig: go.Figure, png_draw: object, folder: Path, stem: str) -> list[Path]:
    html = folder / f"{stem}.html"
    fig.write_html(html, include_plotlyjs=True, full_html=True)
    png = folder / f"{stem}.png"
    png_draw(png)  # type: ignore[operator]
    return [html, png]


def _md_table(frame: pd.DataFrame) -> str:
    def cell(v: object) -> str:
        return f"{v:.4f}" if isinstance(v, float | np.floating) else str(v)

    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _mpl() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_report(out_dir: str | Path, *, bins: int = 20, seed: int = 0) -> Report:
    """Write figures, ``results.csv`` and ``report.md`` for the sweep in ``out_dir``."""
    out = Path(out_dir)
    manifest_path = out / MANIFEST
    if not manifest_path.is_file():
        raise SweepError(f"{out} holds no sweep ({MANIFEST} missing)")
    manifest = read_manifest(out)
    frame = read_results(out).to_pandas()
    frame["regime"] = frame["regime"].astype(str)
    names = [str(n) for n in manifest["varied"] if n in frame.columns]
    if not names:
        raise SweepError(f"{manifest_path}: names no varied parameter of the results")
    folder = out / "report"
    folder.mkdir(exist_ok=True)
    plt = _mpl()
    figures: list[Path] = []

    csv = out / "results.csv"
    frame.to_csv(csv, index=False)

    shares = regime_shares_ci(frame, seed=seed)
    fig = go.Figure(go.Bar(
        x=shares["regime"], y=shares["share"],
        error_y={"type": "data", "symmetric": False,
                 "array": shares["hi"] - shares["share"],
                 "arrayminus": shares["share"] - shares["lo"]}))
    fig.update_layout(title="Share of points by regime (95% bootstrap intervals)",
                      yaxis_title="share", xaxis_title="regime")

    def draw_shares(path: Path) -> None:
        f, ax = plt.subplots(figsize=(8, 4.5))
        ax.bar(shares["regime"], shares["share"],
               yerr=[shares["share"] - shares["lo"], shares["hi"] - shares["share"]])
        ax.set_ylabel("share")
        ax.set_title("Share of points by regime (95% bootstrap intervals)")
        ax.tick_params(axis="x", rotation=30)
        f.tight_layout()
        f.savefig(path, dpi=120)
        plt.close(f)

    figures += _save(fig, draw_shares, folder, "regime_shares")

    for name in names:
        curve = outcome_curves(frame, name, bins=bins)
        cols = [c for c in curve.columns if c.startswith("P(")] + ["p_war"]
        fig = go.Figure([go.Scatter(x=curve[name], y=curve[c], mode="lines", name=c)
                         for c in cols])
        fig.update_layout(title=f"Outcome probabilities against {name}", xaxis_title=name,
                          yaxis_title="probability")

        def draw_curve(path: Path, curve: pd.DataFrame = curve, cols: list[str] = cols,
                       name: str = name) -> None:
            f, ax = plt.subplots(figsize=(8, 4.5))
            for c in cols:
                ax.plot(curve[name], curve[c], label=c)
            ax.set_xlabel(name)
            ax.set_ylabel("probability")
            ax.set_title(f"Outcome probabilities against {name}")
            ax.legend(fontsize=8)
            f.tight_layout()
            f.savefig(path, dpi=120)
            plt.close(f)

        figures += _save(fig, draw_curve, folder, f"curve_{name}")

    if len(names) >= 2:
        x, y = names[0], names[1]
        grid = regime_grid(frame, x, y, bins=min(bins * 2, 60))
        fig = go.Figure(go.Scatter(x=grid[x], y=grid[y], mode="markers",
                                   marker={"color": grid["p_war"], "colorscale": "Reds",
                                           "showscale": True, "symbol": "square", "size": 9},
                                   text=grid["regime"],
                                   hovertemplate=f"{x}=%{{x:.3f}}<br>{y}=%{{y:.3f}}<br>"
                                                 "%{text}<br>P(war)=%{marker.color:.2f}"))
        fig.update_layout(title=f"Mean P(war) over {x} and {y} (hover: modal regime)",
                          xaxis_title=x, yaxis_title=y)

        def draw_map(path: Path) -> None:
            f, ax = plt.subplots(figsize=(6.5, 5))
            sc = ax.scatter(grid[x], grid[y], c=grid["p_war"], cmap="Reds", marker="s",
                            vmin=0, vmax=1)
            f.colorbar(sc, ax=ax, label="mean P(war)")
            ax.set_xlabel(x)
            ax.set_ylabel(y)
            ax.set_title(f"Mean P(war) over {x} and {y}")
            f.tight_layout()
            f.savefig(path, dpi=120)
            plt.close(f)

        figures += _save(fig, draw_map, folder, f"map_{x}_{y}")

    if manifest.get("sampler") == "sobol":
        sens = sobol_indices(frame, names, seed=seed)
        title = "Sobol indices of P(war)"
        fig = go.Figure([go.Bar(x=sens["parameter"], y=sens["S1"], name="first order"),
                         go.Bar(x=sens["parameter"], y=sens["ST"], name="total")])
        fig.update_layout(title=title, barmode="group", yaxis_title="index")

        def draw_sens(path: Path) -> None:
            f, ax = plt.subplots(figsize=(8, 4.5))
            pos = np.arange(len(sens))
            ax.bar(pos - 0.2, sens["S1"], 0.4, label="first order")
            ax.bar(pos + 0.2, sens["ST"], 0.4, label="total")
            ax.set_xticks(pos, sens["parameter"])
            ax.set_title(title)
            ax.legend()
            f.tight_layout()
            f.savefig(path, dpi=120)
            plt.close(f)

        figures += _save(fig, draw_sens, folder, "sensitivity_sobol")
        sens_md = _md_table(sens)
    else:
        sens = tornado(frame, names)
        title = "Tornado: swing of mean P(war) from each parameter's bottom to top decile"
        fig = go.Figure(go.Bar(y=sens["parameter"], x=sens["swing"], orientation="h"))
        fig.update_layout(title=title, xaxis_title="swing of P(war)")

        def draw_tornado(path: Path) -> None:
            f, ax = plt.subplots(figsize=(8, 4.5))
            ax.barh(sens["parameter"][::-1], sens["swing"][::-1])
            ax.set_xlabel("swing of P(war)")
            ax.set_title("Tornado: swing of mean P(war)")
            f.tight_layout()
            f.savefig(path, dpi=120)
            plt.close(f)

        figures += _save(fig, draw_tornado, folder, "sensitivity_tornado")
        sens_md = _md_table(sens)

    rows = iid_rows(frame)
    lines = [
        f"# Sweep `{manifest['sweep']}`",
        "",
        f"- model: `{manifest['model']}`; sampler: {manifest['sampler']}; seed: {manifest['seed']}",
        f"- points: {manifest['n_points']:,} ({manifest['n_chunks']} chunks); "
        f"varied: {', '.join(names)}",
        f"- fingerprint: `{manifest['fingerprint']}`",
        f"- mean P(war): {rows['p_war'].mean():.4f}; invalid points: "
        f"{int((~rows['valid']).sum()) if 'valid' in rows else 0}",
        "",
        "## Regime shares (95% bootstrap intervals)",
        "",
        _md_table(shares),
        "",
        f"## Sensitivity: {title}",
        "",
        sens_md,
        "",
        "## Figures",
        "",
        *[f"- [{p.name}](report/{p.name})" for p in figures],
        "",
        "Teaching values, not estimates.",
        "",
    ]
    md = out / "report.md"
    md.write_text("\n".join(lines), encoding="utf-8")
    return Report(md, csv, tuple(figures))
