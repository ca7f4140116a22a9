"""Pieces the costly-signalling models share: parameters, strategies, beliefs, batches.

The two-type mobilisation game (:mod:`sim.models.mobilisation_signalling`), its
continuum-of-types version and the reassurance game are sender-receiver
games whose PBE the kernels give in closed form (:mod:`sim.kernels.signalling_pbe`,
:mod:`sim.kernels.mobilisation`, :mod:`sim.kernels.reassurance`). These
functions turn the kernels' arrays into the fields of an outcome, with the
roles, types, messages and replies each model names.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame, Node
from sim.kernels import signalling_pbe as sp
from sim.modelkit.vocabulary import win_probability
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec

__all__ = [
    "ClosedFormSignalling", "TwoTypeSignalling", "build_up_params", "closed_form_batch",
    "closed_form_outcome", "fmt",
    "pbe_summary", "posterior_beliefs", "profile_is_rational", "selection_note",
    "signal_behaviour", "signal_strategies", "war_costs",
]


def fmt(v: float) -> str:
    """``v`` with two decimals, free of float noise and of ``-0.00``."""
    return f"{round(v, 9) + 0.0:.2f}"


def build_up_params() -> tuple[ParamSpec, ...]:
    """The challenger's build-up: its odds without it, its effect, size and costs.

    Fearon (1997) for the sunk cost and the tied hands; Slantchev (2005) for
    the shift of the balance, ``p_m = p + k m (1 - p)``.
    """
    return (
        win_probability("the challenger", 0.5,
                        meaning="probability that the challenger wins a war without a build-up"),
        ParamSpec(name="k", default=0.4, unit="share of the remaining chance",
                  meaning="how far a full build-up closes the challenger's gap to certain "
                          "victory: p_m = p + k m (1 - p)", symbol="k"),
        ParamSpec(name="m", default=0.5, unit="share of a full build-up",
                  meaning="size of the build-up (0 none, 1 full mobilisation)", symbol="m"),
        ParamSpec(name="s_A", default=0.8, hi=2.0, unit="value of the stakes",
                  meaning="sunk cost of a full build-up, paid whatever happens", symbol="s_A"),
        ParamSpec(name="a_A", default=0.1, hi=2.0, unit="value of the stakes",
                  meaning="cost of backing down after a full build-up (tied hands)",
                  symbol="a_A"),
    )


def war_costs() -> tuple[ParamSpec, ...]:
    """The two sides' costs of war in the mobilisation games."""
    return (
        ParamSpec(name="c_A", default=0.2, hi=1.0, unit="value of the stakes",
                  meaning="the challenger's cost of war", symbol="c_A"),
        ParamSpec(name="c_B", default=0.6, hi=1.0, unit="share of the stakes",
                  meaning="the target's cost of war (the stakes are worth 1 to it)",
                  symbol="c_B"),
    )


def signal_strategies(sender: str, receiver: str, types: Sequence[str],
                      messages: Sequence[str], replies: Sequence[str], sigma: np.ndarray,
                      rho: np.ndarray) -> dict[str, dict[str, float]]:
    """Each type's choice of the first message and the receiver's reply to each message."""
    out: dict[str, dict[str, float]] = {}
    for t, name in enumerate(types):
        out[f"{sender}, {name.lower()}"] = {messages[0]: float(sigma[t]),
                                            messages[1]: 1 - float(sigma[t])}
    for j, message in enumerate(messages):
        out[f"{receiver}, after {message.lower()}"] = {replies[0]: float(rho[j]),
                                                       replies[1]: 1 - float(rho[j])}
    return out


def signal_behaviour(strategies: Mapping[str, Mapping[str, float]], sender: str, receiver: str,
                     types: Sequence[str], messages: Sequence[str]) -> dict[str, dict[str, float]]:
    """The strategies of :func:`signal_strategies` keyed by the game tree's information sets."""
    beh = {t: dict(strategies[f"{sender}, {t.lower()}"]) for t in types}
    for j in messages:
        beh[f"after {j}"] = dict(strategies[f"{receiver}, after {j.lower()}"])
    return beh


def posterior_beliefs(label: str, messages: Sequence[str], mu: np.ndarray) -> dict[str, float]:
    """The receiver's posterior after each message that some type sends."""
    return {f"P({label} | {m.lower()})": float(mu[j]) for j, m in enumerate(messages)
            if np.isfinite(float(mu[j]))}


def pbe_summary(full: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """How many PBE exist at a point, and of which kinds (the kernel's ``valid`` rows)."""
    return {"n_pbe": int(np.ravel(full["n_pbe"])[0]),
            "pbe_kinds": [sp.KINDS[i] for i in range(len(sp.KINDS))
                          if bool(full["valid"][i, 0])]}


def selection_note(n_pbe: int, sender: str) -> str:
    """The sentence that says which of several PBE is reported."""
    return (f" {n_pbe} equilibria exist; the one reported survives D1 and is {sender}'s best "
            f"among those that do." if n_pbe > 1 else "")


def _first(v: Any) -> Any:
    return np.ravel(v)[0]


def closed_form_outcome(model: Model, p: Mapping[str, Any], r: Mapping[str, Any], *,
                        p_war: str, regime: str, probabilities: Mapping[str, float],
                        violated: bool, **fields: Any) -> Outcome:
    """The :class:`Outcome` at one point of a kernel's closed-form solution ``r``.

    Payoffs and the boundary and multiplicity flags come from ``r`` (as in
    :func:`closed_form_batch`); ``fields`` are the other fields of the outcome.
    """
    sender, receiver = model.players
    return model.point_outcome(
        p, regime=regime, probabilities=probabilities, p_war=float(_first(r[p_war])),
        payoffs={sender: float(_first(r["eu_A"])), receiver: float(_first(r["eu_B"]))},
        flags=Flags(boundary=bool(_first(r["boundary"])),
                    multiple_equilibria=bool(_first(r["multiple"])),
                    assumption_violated=violated),
        **fields)


def closed_form_batch(model: Model, batch: Mapping[str, Any], r: Mapping[str, np.ndarray], *,
                      p_war: str, violated: np.ndarray,
                      details: Mapping[str, str]) -> BatchOutcome:
    """The :class:`BatchOutcome` of a kernel's closed-form solution ``r``.

    ``r`` holds ``regime``, ``probs``, ``eu_A``, ``eu_B`` (the sender's and the
    receiver's values), ``boundary`` and ``multiple``; ``p_war`` names its
    conflict column and ``details`` maps detail names to its keys.
    """
    sender, receiver = model.players
    return model.batch_outcome(
        batch, regime=r["regime"], probabilities=r["probs"], p_war=r[p_war],
        payoffs={sender: r["eu_A"], receiver: r["eu_B"]},
        boundary=r["boundary"], multiple_equilibria=r["multiple"],
        assumption_violated=violated,
        details={name: r[key] for name, key in details.items()},
    )


def profile_is_rational(model: Any, params: Mapping[str, Any] | None = None) -> bool:
    """Whether the generic engine finds the model's reported profile sequentially rational.

    ``model`` has ``game()`` and ``tree_behaviour()``, which keys the outcome's
    strategies by the tree's information sets.
    """
    from sim.solvers.sequential import check_sequential_rationality

    out = model.solve(params)
    return check_sequential_rationality(model.game(params), model.tree_behaviour(out)).rational


class ClosedFormSignalling(Model):
    """A signalling model whose kernel solves every point of a batch in closed form.

    Subclasses give :meth:`_core` (the kernel's arrays, with the keys
    :func:`closed_form_batch` reads) and :meth:`_violated`; ``war_column``
    names the conflict column and ``batch_details`` the details a batch keeps.
    """

    war_column: ClassVar[str] = "p_war"
    batch_details: ClassVar[Mapping[str, str]] = {}

    @staticmethod
    @abstractmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """The kernel's solution at the points of ``b``."""

    @staticmethod
    @abstractmethod
    def _violated(r: Mapping[str, np.ndarray], b: Mapping[str, Any]) -> np.ndarray:
        """Where the model's story does not hold (the ``assumption_violated`` flag)."""

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        return closed_form_batch(self, batch, r, p_war=self.war_column,
                                 violated=self._violated(r, batch), details=self.batch_details)


class TwoTypeSignalling(ClosedFormSignalling):
    """A model whose game is a two-type sender-receiver tree.

    Subclasses name ``type_names``, ``messages`` and ``replies`` (first the
    message that signals, and the reply the sender wants), and say what
    follows the receiver's reply: :meth:`leaf` builds that part of the tree,
    :meth:`follow_ups` keys the outcome's strategies there by the tree's
    information sets. The prior of the first type is the parameter ``pi``.
    """

    type_names: ClassVar[tuple[str, str]]
    messages: ClassVar[tuple[str, str]]
    replies: ClassVar[tuple[str, str]]

    @abstractmethod
    def leaf(self, v: Mapping[str, Any], t: int, j: int, r: int) -> Node:
        """The subtree after type ``t`` sent message ``j`` and got reply ``r``."""

    @abstractmethod
    def follow_ups(self, strategies: Mapping[str, Mapping[str, float]]
                   ) -> dict[str, dict[str, float]]:
        """The strategies after the reply, keyed by the information sets of :meth:`leaf`."""

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """Chance over the sender's type, its message, the receiver's reply, then :meth:`leaf`."""
        v = self.validate(params)
        tree = sp.signalling_tree(v["pi"], self.type_names, self.messages, self.replies,
                                  lambda t, j, r: self.leaf(v, t, j, r))
        return ExtensiveFormGame(tree, self.players, title=self.title)

    def tree_behaviour(self, out: Outcome) -> dict[str, dict[str, float]]:
        """The outcome's strategies keyed by the information sets of :meth:`game`."""
        sender, receiver = self.players
        beh = signal_behaviour(out.strategies, sender, receiver, self.type_names, self.messages)
        return beh | self.follow_ups(out.strategies)

    def engine_check(self, params: Mapping[str, Any] | None = None) -> bool:
        """Whether the generic engine finds the reported profile sequentially rational."""
        return profile_is_rational(self, params)
