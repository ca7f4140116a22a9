"""Summaries of a finished sweep: regime shares with bootstrap intervals,
one-parameter outcome curves, two-parameter regime maps, and sensitivity
(Sobol indices for Saltelli designs, a tornado of swings otherwise).

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., &
Tarantola, S. (2010). *Computer Physics Communications* 181(2): 259–270,
Table 2 (first-order estimator (b), total-effect estimator (f), Jansen 1999).
Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
Chapman & Hall (percentile intervals).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "iid_rows",
    "regime_shares_ci",
    "outcome_curves",
    "regime_grid",
    "sobol_indices",
    "tornado",
]


def iid_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that form a plain sample (for Saltelli designs, blocks A and B)."""
    if "block" in frame.columns:
        return frame[frame["block"].isin(["A", "B"])]
    return frame


def regime_shares_ci(frame: pd.DataFrame, n_boot: int = 1000, level: float = 0.95,
                     seed: int | np.random.Generator = 0) -> pd.DataFrame:
    """Share of points per regime with percentile bootstrap intervals.

    Returns columns ``regime``, ``share``, ``lo``, ``hi``, largest share first.
    """
    rows = iid_rows(frame)
    labels = rows["regime"].astype(str).to_numpy()
    names, codes = np.unique(labels, return_inverse=True)
    n = len(codes)
    counts = np.bincount(codes, minlength=len(names)) / max(n, 1)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    boot = np.empty((n_boot, len(names)))
    # multinomial resampling of the regime counts is the bootstrap of a categorical sample
    draws = rng.multinomial(n, counts, size=n_boot) if n else np.zeros((n_boot, len(names)))
    boot[:] = draws / max(n, 1)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(boot, [alpha, 1.0 - alpha], axis=0)
    out = pd.DataFrame({"regime": names, "share": counts, "lo": lo, "hi": hi})
    return out.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)


def _outcome_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("P(") and c.endswith(")")]


def outcome_curves(frame: pd.DataFrame, name: str, bins: int = 20) -> pd.DataFrame:
    """Mean outcome probabilities and P(war) in equal-width bins of ``name``."""
    rows = iid_rows(frame)
    rows = rows[rows["valid"]] if "valid" in rows.columns else rows
    x = rows[name].to_numpy(dtype=float)
    if len(x) == 0:
        return pd.DataFrame(columns=[name, "n", *_outcome_columns(frame), "p_war"])
    edges = np.linspace(x.min(), x.max(), bins + 1) if x.max() > x.min() else np.array(
        [x.min(), x.min() + 1.0])
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    cols = [*_outcome_columns(frame), "p_war"]
    grouped = rows.assign(_bin=idx).groupby("_bin")
    out = grouped[cols].mean()
    out.insert(0, "n", grouped.size())
    centres = 0.5 * (edges[:-1] + edges[1:])
    out.insert(0, name, centres[out.index.to_numpy()])
    return out.reset_index(drop=True)


def regime_grid(frame: pd.DataFrame, x: str, y: str, bins: int = 40) -> pd.DataFrame:
    """Modal regime and mean P(war) on a ``bins`` × ``bins`` grid of two parameters."""
    rows = iid_rows(frame)
    xs, ys = rows[x].to_numpy(dtype=float), rows[y].to_numpy(dtype=float)

    def index(v: np.ndarray) -> np.ndarray:
        lo, hi = v.min(), v.max()
        if hi <= lo:
            return np.zeros(len(v), dtype=int)
        return np.clip(((v - lo) / (hi - lo) * bins).astype(int), 0, bins - 1)

    ix, iy = index(xs), index(ys)
    data = pd.DataFrame({"ix": ix, "iy": iy, "regime": rows["regime"].astype(str).to_numpy(),
                         "p_war": rows["p_war"].to_numpy(dtype=float)})
    modal = data.groupby(["ix", "iy"])["regime"].agg(lambda s: s.value_counts().index[0])
    mean = data.groupby(["ix", "iy"])["p_war"].mean()
    out = pd.concat([modal, mean], axis=1).reset_index()

    def centre(v: np.ndarray, i: pd.Series) -> np.ndarray:
        lo, hi = v.min(), v.max()
        width = (hi - lo) / bins if hi > lo else 0.0
        return lo + (i.to_numpy() + 0.5) * width

    out.insert(0, y, centre(ys, out["iy"]))
    out.insert(0, x, centre(xs, out["ix"]))
    return out.drop(columns=["ix", "iy"])


def sobol_indices(frame: pd.DataFrame, names: Sequence[str], target: str = "p_war",
                  n_boot: int = 200, seed: int | np.random.Generator = 0) -> pd.DataFrame:
    """First-order and total Sobol indices of ``target`` from a Saltelli design.

    ``frame`` must hold the blocks ``A``, ``B`` and ``AB:<name>`` (in point
    order) written by the Sobol sampler. Estimators (Saltelli et al. 2010,
    Table 2): ``S_i = mean(f_B (f_ABi − f_A)) / V`` and
    ``ST_i = mean((f_A − f_ABi)²) / (2V)``, with ``V`` the variance of
    ``f_A`` and ``f_B`` pooled. Intervals: percentile bootstrap over base rows.
    """
    if "block" not in frame.columns:
        raise ValueError("Sobol indices need a sweep run with sampler: sobol")
    block = frame["block"].astype(str).to_numpy()
    y = frame[target].to_numpy(dtype=float)
    f_a, f_b = y[block == "A"], y[block == "B"]
    n = len(f_a)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    boot_idx = rng.integers(0, n, size=(n_boot, n)) if n else np.zeros((n_boot, 0), int)

    def estimate(fa: np.ndarray, fb: np.ndarray, fab: np.ndarray) -> tuple[float, float]:
        var = np.var(np.concatenate([fa, fb]))
        if not np.isfinite(var) or var <= 0:
            return 0.0, 0.0
        return (float(np.mean(fb * (fab - fa)) / var),
                float(np.mean((fa - fab) ** 2) / (2.0 * var)))

    rows = []
    for name in names:
        f_ab = y[block == f"AB:{name}"]
        if len(f_ab) != n:
            raise ValueError(f"the design has no complete block AB:{name}")
        s1, st = estimate(f_a, f_b, f_ab)
        boots = np.array([estimate(f_a[i], f_b[i], f_ab[i]) for i in boot_idx])
        lo1, hi1 = np.quantile(boots[:, 0], [0.025, 0.975]) if n_boot else (s1, s1)
        lot, hit = np.quantile(boots[:, 1], [0.025, 0.975]) if n_boot else (st, st)
        rows.append({"parameter": name, "S1": s1, "S1_lo": lo1, "S1_hi": hi1,
                     "ST": st, "ST_lo": lot, "ST_hi": hit})
    out = pd.DataFrame(rows)
    return out.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)


def tornado(frame: pd.DataFrame, names: Sequence[str], target: str = "p_war",
            tail: float = 0.1) -> pd.DataFrame:
    """Swing of ``target`` between the lowest and highest ``tail`` of each parameter.

    Returns ``parameter``, ``low`` (mean target where the parameter is in its
    bottom ``tail`` quantile), ``high`` (top quantile) and ``swing`` =
    ``high − low``, sorted by ``|swing|``.
    """
    rows = iid_rows(frame)
    rows = rows[np.isfinite(rows[target].to_numpy(dtype=float))]
    out = []
    for name in names:
        v = rows[name].to_numpy(dtype=float)
        y = rows[target].to_numpy(dtype=float)
        if len(v) == 0 or v.max() <= v.min():
            out.append({"parameter": name, "low": np.nan, "high": np.nan, "swing": 0.0})
            continue
        lo_cut, hi_cut = np.quantile(v, [tail, 1.0 - tail])
        low = float(y[v <= lo_cut].mean())
        high = float(y[v >= hi_cut].mean())
        out.append({"parameter": name, "low": low, "high": high, "swing": high - low})
    table = pd.DataFrame(out)
    order = np.argsort(-np.abs(table["swing"].to_numpy(dtype=float)), kind="stable")
    return table.iloc[order].reset_index(drop=True)
