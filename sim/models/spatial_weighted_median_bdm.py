"""Multi-actor spatial bargaining on one issue (docs/models/spatial_weighted_median_bdm.md).

Each actor i has a position x_i ∈ [0, 100] (100 = Challenger's demand fully
met), a capability c_i and a salience s_i; its weight is w_i = c_i s_i.

* The **weighted median** (the position with at least half the weight on
  each side) is the Condorcet winner under linear loss (Black 1948); it is
  this model's forecast.
* The **weighted mean** is the compromise forecast (Achen 2006).
* **Cohesion** of the actors flagged as members of the coalition is their
  weight-weighted standard deviation (a simulator metric of how far a
  coalition is split).
* **BDM dyadic terms** (Bueno de Mesquita 1994, 1997, as reconstructed by
  Scholz, Calbert & Smith 2011, eq. 1–6): P(i beats j) and
  EU_i(challenge j) for every dyad at risk exponent r and status-quo weight
  Q (with r = 1 and Q = 1, EU = 2d[1 − 2 s_j (1 − P)]).

This is not a war model: ``p_war`` is 0 and the outcome classifies the
median forecast as rejecting, splitting or meeting Challenger's demand. The
multi-round BDM dynamics are an optional heuristic
(:func:`sim.kernels.spatial.bdm_dynamics`, via :meth:`dynamics`), never used
for the reported outcome.

References
----------
Black, D. (1948). *Journal of Political Economy* 56(1), 23–34.
Achen, C. H. (2006). In Thomson et al., *The European Union Decides*, ch. 10.
Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). *Journal of
Theoretical Politics* 23(4), 510–531.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.kernels.spatial import (
    BDMRound,
    bdm_dynamics,
    bdm_expected_utility,
    bdm_probability,
    weighted_mean,
    weighted_median,
    weighted_sd,
)
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome, ParamSpec

__all__ = ["SpatialWeightedMedianBDM", "MODELS"]

_ACTORS = ("Challenger", "Leader", "Ally 1", "Ally 2", "Ally 3", "Ally 4", "Client", "Outsider")
_BANDS = (100.0 / 3.0, 200.0 / 3.0)
#: Points solved at once in a batch (bounds memory: chunk × N² floats).
_CHUNK = 16384


def _band(m: float | np.ndarray) -> Any:
    return np.searchsorted(np.asarray(_BANDS), m, side="right")


class SpatialWeightedMedianBDM(Model):
    """Weighted median, weighted mean, coalition cohesion and BDM dyads."""

    name = "spatial_weighted_median_bdm"
    family = "spatial"
    title = "Multi-actor bargaining: weighted median and BDM expected utility"
    citation = ("Black (1948), JPE 56(1); Achen (2006), The European Union Decides, ch. 10; "
                "Scholz, Calbert & Smith (2011), J. Theoretical Politics 23(4), eq. 1-6")
    description = (
        "Several actors take positions on one issue at a time, from 0 (Challenger's demand "
        "rejected) to 100 (fully met), weighted by capability times salience. The weighted "
        "median is the position no majority of weight can beat; the weighted mean is a "
        "compromise forecast. The cohesion metric measures how far the members of Coalition "
        "stand from one another. Bueno de Mesquita's dyadic expected utilities say which "
        "actors Challenger could profitably challenge. This is a forecast of the bargained "
        "position, not a model of war."
    )
    #: The first actor is the challenger; "Coalition" is the weight-weighted mean
    #: utility of the actors in ``coalition``. Every actor's utility is in ``details``.
    roles = {"challenger": "Challenger", "coalition": "Coalition"}
    outcomes = ("Demand rejected", "Compromise", "Demand met")
    regimes = ("demand_rejected", "compromise", "demand_met")
    params = (
        ParamSpec("actors", _ACTORS, unit="names",
                  meaning="the actors, one per entry of the vectors below", symbol="i",
                  kind="labels"),
        ParamSpec("position", (100.0, 10.0, 45.0, 50.0, 5.0, 0.0, 0.0, 90.0), 0.0, 100.0,
                  1.0, "points on 0-100",
                  "each actor's position (100 = Challenger's demand fully met)", "x_i", "vector"),
        ParamSpec("capability", (0.3, 1.0, 0.35, 0.3, 0.3, 0.15, 0.1, 0.6), unit="share",
                  meaning="each actor's capability", symbol="c_i", kind="vector"),
        ParamSpec("salience", (1.0, 0.7, 0.6, 0.6, 0.6, 1.0, 1.0, 0.3), unit="share",
                  meaning="how much the issue matters to each actor", symbol="s_i",
                  kind="vector"),
        ParamSpec("coalition", ("Leader", "Ally 1", "Ally 2", "Ally 3", "Ally 4"), unit="names",
                  meaning="actors counted as members of the coalition for the cohesion "
                          "metric", symbol="coalition", kind="labels"),
        ParamSpec("r", 1.0, 0.5, 2.0, 0.05, "exponent",
                  "BDM risk exponent (1 = risk-neutral)", "r"),
        ParamSpec("Q", 1.0, 0.0, 2.0, 0.05, "weight",
                  "BDM weight of the status quo in expected utility", "Q"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        actors = values["actors"]
        if len(actors) < 2:
            raise ModelError("actors: at least two actors are needed")
        if len(set(actors)) != len(actors):
            raise ModelError("actors: names must be distinct")
        for name in ("position", "capability", "salience"):
            if len(values[name]) != len(actors):
                raise ModelError(
                    f"{name}: {len(values[name])} values for {len(actors)} actors"
                )
        unknown = [a for a in values["coalition"] if a not in actors]
        if unknown:
            raise ModelError(f"coalition: {unknown[0]!r} is not one of the actors")
        if float(np.dot(values["capability"], values["salience"])) <= 0:
            raise ModelError("capability, salience: the total weight c·s must be positive")

    # -- solving ------------------------------------------------------------
    def _static(self, p: Mapping[str, Any]) -> dict[str, Any]:
        actors = list(p["actors"])
        x = np.asarray(p["position"], dtype=float)
        c = np.asarray(p["capability"], dtype=float)
        s = np.asarray(p["salience"], dtype=float)
        w = c * s
        median, tie = weighted_median(x, w)
        members = np.array([a in p["coalition"] for a in actors])
        coalition_w = w[members].sum()
        out: dict[str, Any] = {
            "weights": {a: float(v) for a, v in zip(actors, w, strict=True)},
            "weighted_median": median,
            "median_tie": tie,
            "weighted_mean": weighted_mean(x, w),
            "coalition_weighted_mean": (weighted_mean(x[members], w[members])
                                   if coalition_w > 0 else None),
            "coalition_weighted_sd": (weighted_sd(x[members], w[members])
                                      if coalition_w > 0 else None),
        }
        return out

    def _solve(self, p: dict[str, Any]) -> Outcome:
        actors = list(p["actors"])
        x = np.asarray(p["position"], dtype=float)
        s = np.asarray(p["salience"], dtype=float)
        static = self._static(p)
        prob = bdm_probability(x, p["capability"], s, p["r"])
        eu = bdm_expected_utility(x, s, prob, p["r"], p["Q"])
        m = static["weighted_median"]
        band = int(_band(m))
        details = dict(static)
        details["P"] = {a: {b: float(prob[i, j]) for j, b in enumerate(actors) if j != i}
                        for i, a in enumerate(actors)}
        details["EU"] = {a: {b: float(eu[i, j]) for j, b in enumerate(actors) if j != i}
                         for i, a in enumerate(actors)}
        details["median_actors"] = [a for a, v in zip(actors, x, strict=True) if v == m]
        details["utilities"] = {a: float(1.0 - abs(v - m) / 100.0)
                                for a, v in zip(actors, x, strict=True)}
        details.update(_median_shift(x, np.asarray(list(static["weights"].values())), m))
        return self.point_outcome(
            p,
            outcome=self.outcomes[band],
            regime=self.regimes[band],
            probabilities={o: float(k == band) for k, o in enumerate(self.outcomes)},
            p_war=0.0,
            payoffs=_camp_payoffs(actors, x, np.asarray(list(static["weights"].values())),
                                  p["coalition"], m),
            flags=Flags(boundary=bool(static["median_tie"]),
                        multiple_equilibria=bool(static["median_tie"])),
            explanation=explain(actors, x, s, static, details, prob, eu),
            details=details,
            method="closed form (weighted median; BDM dyadic expected utility)",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        self.check_constraints(batch)
        actors = list(batch["actors"])
        x = np.asarray(batch["position"], dtype=float)
        s = np.asarray(batch["salience"], dtype=float)
        r, q = batch["r"], batch["Q"]
        n = len(r)
        static = self._static(batch)
        m = static["weighted_median"]
        band = int(_band(m))
        # Only the BDM terms depend on the swept scalars; P depends on r alone, so it
        # is computed once per distinct r (in chunks, to bound memory).
        r_unique, r_index = np.unique(r, return_inverse=True)
        prob_first = np.empty((len(r_unique), len(actors)))
        for lo in range(0, len(r_unique), _CHUNK):
            hi = min(len(r_unique), lo + _CHUNK)
            prob_first[lo:hi] = bdm_probability(x, batch["capability"], s, r_unique[lo:hi],
                                                rows=[0])[:, 0, :]
        eu_first = bdm_expected_utility(x, s, prob_first[r_index][:, None, :], r, q,
                                        rows=[0])[:, 0, :]
        probs = np.zeros((n, len(self.outcomes)))
        probs[:, band] = 1.0
        details: dict[str, np.ndarray] = {"weighted_median": np.full(n, m),
                                          "weighted_mean": np.full(n, static["weighted_mean"])}
        for j, b in enumerate(actors[1:], start=1):
            details[f"EU_{actors[0]}_challenges_{b}"] = eu_first[:, j]
        tie = bool(static["median_tie"])
        return self.batch_outcome(
            batch,
            regime=np.full(n, band, dtype=np.int64),
            probabilities=probs,
            p_war=np.zeros(n),
            payoffs={k: np.full(n, v) for k, v in _camp_payoffs(
                actors, x, np.asarray(list(static["weights"].values())), batch["coalition"],
                m).items()},
            boundary=np.full(n, tie),
            multiple_equilibria=np.full(n, tie),
            details=details,
        )

    def dynamics(self, params: Mapping[str, Any] | None = None,
                 rounds: int = 10) -> list[BDMRound]:
        """HEURISTIC multi-round BDM offers (off by default; see bdm_dynamics)."""
        p = self.validate(params)
        return bdm_dynamics(p["position"], p["capability"], p["salience"], rounds=rounds,
                            r=p["r"], q=p["Q"])

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """``None``: a spatial forecast over a continuum of positions, not a finite game."""
        return None


def _camp_payoffs(actors: Sequence[str], x: np.ndarray, w: np.ndarray,
                  coalition: Sequence[str], m: float) -> dict[str, float]:
    """Linear-loss utility 1 − |x_i − m|/100 of the challenger and of the coalition."""
    u = 1.0 - np.abs(np.asarray(x, dtype=float) - m) / 100.0
    members = np.array([a in coalition for a in actors])
    if not members.any() or w[members].sum() <= 0:
        members = np.arange(len(actors)) > 0
    camp = float(np.average(u[members], weights=np.maximum(w[members], 1e-300)))
    return {"Challenger": float(u[0]), "Coalition": camp}


def _median_shift(x: np.ndarray, w: np.ndarray, m: float) -> dict[str, Any]:
    """Extra weight the first actor needs to move the median towards its position."""
    x0 = float(x[0])
    if x0 > m:
        need = float(w[x <= m].sum() - w[x > m].sum())
        nxt = x[x > m].min()
    elif x0 < m:
        need = float(w[x >= m].sum() - w[x < m].sum())
        nxt = x[x < m].max()
    else:
        return {"first_actor_weight_to_move_median": 0.0, "next_median_position": None}
    return {"first_actor_weight_to_move_median": max(need, 0.0),
            "next_median_position": float(nxt)}


def explain(actors: Sequence[str], x: np.ndarray, s: np.ndarray, static: Mapping[str, Any],
            details: Mapping[str, Any], prob: np.ndarray, eu: np.ndarray) -> str:
    """Plain-English account of the forecast, the split and Challenger's dyads."""
    m, mean = static["weighted_median"], static["weighted_mean"]
    at = details["median_actors"]
    where = f" (the position of {', '.join(at)})" if at else ""
    text = [
        f"The weighted median is {m:.2f}{where}: no coalition with more weight prefers "
        f"another position. The compromise forecast (weighted mean) is {mean:.2f}."
    ]
    if static["median_tie"]:
        text.append("The weight splits exactly in half, so every point between the two "
                    "middle positions is a median; the midpoint is reported.")
    first = actors[0]
    need = details["first_actor_weight_to_move_median"]
    if details["next_median_position"] is None:
        text.append(f"The median sits at {first}'s own position.")
    else:
        cap = f" (capability +{need / s[0]:.2f} at salience {s[0]:.2f})" if s[0] > 0 else ""
        text.append(
            f"{first} at {x[0]:.2f} would need more than {need:.2f} extra weight{cap} to pull "
            f"the median from {m:.2f} towards {details['next_median_position']:.2f}."
        )
    if static["coalition_weighted_sd"] is not None:
        text.append(
            f"Members of the coalition average {static['coalition_weighted_mean']:.2f} with "
            f"weighted standard deviation {static['coalition_weighted_sd']:.2f} "
            "(lower = more cohesive)."
        )
    others = np.arange(1, len(actors))
    best = int(others[np.argmax(eu[0, others])])
    text.append(
        f"{first}'s most promising challenge is against {actors[best]}: P(win) = "
        f"{prob[0, best]:.2f}, EU = {eu[0, best]:.2f}"
        + (" (positive, so worth making)." if eu[0, best] > 0
           else " (negative: no challenge pays).")
    )
    text.append("This is a forecast of the bargained position, not a war model: P(war) = 0.")
    return " ".join(text)


MODELS = (SpatialWeightedMedianBDM(),)
