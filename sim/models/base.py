"""What every coercive-bargaining model provides.

A model is a small class in front of free functions over numpy arrays. It
declares its parameters (:class:`ParamSpec`), solves one parameter point into
a frozen :class:`Outcome`, solves many points at once into a
:class:`BatchOutcome` of arrays, and, where one exists, returns the finite
game it solves so that the generic engine can cross-check the closed form.

Conventions (``docs/models/README.md``): a responder accepts when
indifferent, a player escalates only when strictly better off, and a decision
margin within ``BOUNDARY_TOL`` of zero sets the ``boundary`` flag. Two-sided
models name their sides by the roles of their literature (``roles``: role id
to display name); a scenario maps each role id to one of its actors.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
import numpy.typing as npt

from sim.kernels.tolerance import BOUNDARY_TOL
from sim.modelkit.aliases import resolve_param_aliases

__all__ = [
    "BOUNDARY_TOL",
    "FAMILIES",
    "ModelError",
    "ParamSpec",
    "Flags",
    "Outcome",
    "BatchOutcome",
    "FLAG_FIELDS",
    "first_point",
    "PointArrays",
    "Model",
]


#: The model families, in the order the documentation presents them. New
#: families are appended here.
FAMILIES: tuple[str, ...] = (
    "fearon",
    "compellence",
    "chicken_brinkmanship",
    "rubinstein_nbs",
    "iig",
    "commitment",
    "sanctions",
    "spatial",
    "qre",
    "costly_signalling",
    "reassurance",
    "extended_deterrence",
    "war_bargaining",
)


class ModelError(ValueError):
    """Invalid model input; the message names the parameter and the problem."""


@dataclass(frozen=True)
class ParamSpec:
    """One model parameter, as the dashboard's sliders and the CLI see it.

    Attributes
    ----------
    name
        Canonical ASCII name used in code, files and URLs (``c_A``).
    default
        Default value (the teaching default). A tuple for vectors.
    lo, hi
        Inclusive range of valid values (each element, for vectors).
    step
        Slider step.
    unit
        Unit in words (``"share of the pie"``, ``"probability"``).
    meaning
        One line saying what the parameter means.
    symbol
        Mathematical symbol for display (``"c_A"``, ``"δ_B"``).
    kind
        ``"real"``, ``"integer"``, ``"vector"`` (a tuple of reals) or
        ``"labels"`` (a tuple of strings, such as actor names).
    options
        For a choice parameter (an integer from ``lo`` to ``hi``), the label of
        each value, in order: ``options[v - lo]`` names the value ``v``.
    """

    name: str
    default: Any
    lo: float = 0.0
    hi: float = 1.0
    step: float = 0.01
    unit: str = "share of the pie"
    meaning: str = ""
    symbol: str = ""
    kind: Literal["real", "integer", "vector", "labels"] = "real"
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.options and (self.kind != "integer"
                             or len(self.options) != int(self.hi - self.lo) + 1):
            raise ValueError(f"{self.name}: options need an integer parameter with one "
                             f"label per value from {self.lo:g} to {self.hi:g}")

    def option_label(self, value: Any) -> str | None:
        """The label of choice ``value``, or ``None`` if this is not a choice parameter."""
        if not self.options:
            return None
        k = int(round(float(value) - self.lo))
        return self.options[k] if 0 <= k < len(self.options) else None

    @property
    def is_scalar(self) -> bool:
        return self.kind in ("real", "integer")

    def check(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ModelError."""
        if self.kind == "labels":
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise ModelError(f"{self.name}: expected a list of labels, got {value!r}")
            return tuple(str(v) for v in value)
        if self.kind == "vector":
            if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray):
                raise ModelError(f"{self.name}: expected a list of numbers, got {value!r}")
            return tuple(self._check_real(v) for v in value)
        x = self._check_real(value)
        if self.kind == "integer":
            if x != int(x):
                raise ModelError(f"{self.name}: expected a whole number, got {value!r}")
            return int(x)
        return x

    def _check_real(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise ModelError(f"{self.name}: expected a number, got {value!r}")
        x = float(value)
        if not math.isfinite(x):
            raise ModelError(f"{self.name}: {value!r} is not finite")
        if x < self.lo or x > self.hi:
            raise ModelError(f"{self.name}: {x:g} is outside [{self.lo:g}, {self.hi:g}]")
        return x


@dataclass(frozen=True)
class Flags:
    """The three flags every outcome carries (``docs/models/README.md``)."""

    boundary: bool = False
    multiple_equilibria: bool = False
    assumption_violated: bool = False


@dataclass(frozen=True)
class Outcome:
    """The solved equilibrium of one model at one parameter point.

    Attributes
    ----------
    model
        Registry name of the model.
    params
        The complete parameter values used (defaults filled in).
    outcome
        Label of the equilibrium outcome (the most likely one when mixed).
    regime
        Which closed-form branch applied.
    probabilities
        Probability of each outcome label; the values sum to 1.
    p_war
        Ex-ante probability of war (or disaster, or imposition).
    payoffs
        Expected payoff per player role (ex ante over types).
    strategies
        Behaviour probabilities: decision node or information set, then
        action label, then probability.
    beliefs
        Posterior beliefs where relevant, keyed by a descriptive name.
    flags
        ``boundary``, ``multiple_equilibria``, ``assumption_violated``.
    explanation
        Plain-English account generated from the numbers: the binding
        condition and how far key parameters are from flipping the regime.
    details
        Model-specific numbers (thresholds, offers, ranges).
    method
        How it was solved (``"closed form"``, ``"backward induction"``, ...).
    """

    model: str
    params: Mapping[str, Any]
    outcome: str
    regime: str
    probabilities: Mapping[str, float]
    p_war: float
    payoffs: Mapping[str, float]
    strategies: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    beliefs: Mapping[str, float] = field(default_factory=dict)
    flags: Flags = field(default_factory=Flags)
    explanation: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    method: str = "closed form"

    def to_dict(self) -> dict[str, Any]:
        """Every field, JSON-ready."""
        return _jsonable(asdict(self))


#: The three flags every solved point carries.
FLAG_FIELDS: tuple[str, ...] = ("boundary", "multiple_equilibria", "assumption_violated")


@dataclass(frozen=True, kw_only=True)
class PointArrays:
    """A model's solutions at many points, as arrays of length ``n``.

    ``regime`` holds integer codes into ``regimes``; ``probabilities`` has
    one column per label in ``outcomes``.
    """

    model: str
    regimes: tuple[str, ...]
    regime: np.ndarray
    outcomes: tuple[str, ...]
    probabilities: np.ndarray
    p_war: np.ndarray
    payoffs: Mapping[str, np.ndarray]
    boundary: np.ndarray
    multiple_equilibria: np.ndarray
    assumption_violated: np.ndarray


@dataclass(frozen=True, kw_only=True)
class BatchOutcome(PointArrays):
    """Many parameter points solved at once by one model's batch path."""

    params: Mapping[str, np.ndarray]
    details: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.p_war.shape[0])

    def regime_labels(self) -> np.ndarray:
        """Regime names per point."""
        return np.asarray(self.regimes, dtype=object)[self.regime]


class Model(ABC):
    """Base class of every registered model.

    Subclasses set the class attributes and implement :meth:`_solve`; they
    override :meth:`_solve_batch` with vectorised numpy code wherever a
    closed form exists, and :meth:`game` where the model is a finite game.
    ``roles`` maps each role id (the key a scenario's ``roles:`` uses) to the
    display name in ``players``, in the same order.
    """

    name: ClassVar[str]
    family: ClassVar[str]
    title: ClassVar[str]
    citation: ClassVar[str]
    description: ClassVar[str] = ""
    roles: ClassVar[Mapping[str, str]]
    #: The display names of ``roles``, in order (set from ``roles`` when not given).
    players: ClassVar[tuple[str, ...]]
    outcomes: ClassVar[tuple[str, ...]]
    regimes: ClassVar[tuple[str, ...]]
    params: ClassVar[tuple[ParamSpec, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "roles" in cls.__dict__ and "players" not in cls.__dict__:
            cls.players = tuple(cls.roles.values())

    # -- parameters ---------------------------------------------------------
    @classmethod
    def param(cls, name: str) -> ParamSpec:
        """The spec of ``name`` (an old name of the alias table is accepted, with a warning)."""
        name = next(iter(resolve_param_aliases(cls.name, {name: None})))
        for spec in cls.params:
            if spec.name == name:
                return spec
        raise ModelError(f"{cls.name}: unknown parameter {name!r}")

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {s.name: s.default for s in cls.params}

    def validate(self, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults filled in, every value checked; raises ModelError.

        Old parameter names of the alias table are accepted, with a
        DeprecationWarning.
        """
        given = resolve_param_aliases(self.name, params or {})
        known = {s.name for s in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise ModelError(
                f"{self.name}: unknown parameter {unknown[0]!r}; "
                f"parameters are {', '.join(sorted(known))}"
            )
        values = {s.name: s.check(given.get(s.name, s.default)) for s in self.params}
        self.check_constraints(values)
        return values

    def check_constraints(self, values: Mapping[str, Any]) -> None:  # noqa: B027
        """Cross-parameter constraints (``c_lo < c_hi``); raise ModelError.

        The default accepts every point; models with constraints override it.
        """

    # -- solving ------------------------------------------------------------
    def solve(self, params: Mapping[str, Any] | None = None, **kwargs: Any) -> Outcome:
        """Solve at one parameter point (defaults for anything not given)."""
        merged = dict(params or {})
        merged.update(kwargs)
        return self._solve(self.validate(merged))

    @abstractmethod
    def _solve(self, p: dict[str, Any]) -> Outcome:
        """Solve validated parameters."""

    def solve_batch(self, arrays: Mapping[str, npt.ArrayLike]) -> BatchOutcome:
        """Solve many points: scalar parameters broadcast to a common length.

        Parameters not given take their defaults. Vector and label parameters
        are fixed for the whole batch.
        """
        given = resolve_param_aliases(self.name, arrays)
        known = {s.name for s in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise ModelError(f"{self.name}: unknown parameter {unknown[0]!r}")
        scalars = [s for s in self.params if s.is_scalar]
        columns = [np.atleast_1d(np.asarray(given.get(s.name, s.default), dtype=float))
                   for s in scalars]
        try:
            columns = list(np.broadcast_arrays(*columns))
        except ValueError as exc:
            raise ModelError(f"{self.name}: parameter arrays do not broadcast: {exc}") from exc
        batch: dict[str, Any] = {}
        for spec, col in zip(scalars, columns, strict=True):
            col = np.ascontiguousarray(col.reshape(-1))
            bad = ~np.isfinite(col) | (col < spec.lo) | (col > spec.hi)
            if bad.any():
                v = col[np.argmax(bad)]
                raise ModelError(f"{spec.name}: {v:g} is outside [{spec.lo:g}, {spec.hi:g}]")
            batch[spec.name] = col
        for spec in self.params:
            if not spec.is_scalar:
                batch[spec.name] = spec.check(given.get(spec.name, spec.default))
        return self._solve_batch(batch)

    def point_outcome(self, params: Mapping[str, Any], *, regime: str,
                      probabilities: Mapping[str, float], p_war: float,
                      payoffs: Mapping[str, float], outcome: str | None = None,
                      **fields: Any) -> Outcome:
        """An :class:`Outcome` of this model at ``params``.

        ``outcome`` defaults to the most likely label (the first in
        ``outcomes`` on a tie); the other fields are those of :class:`Outcome`.
        """
        label = outcome if outcome is not None else max(
            self.outcomes, key=lambda o: probabilities.get(o, 0.0))
        return Outcome(model=self.name, params=dict(params), outcome=label, regime=regime,
                       probabilities=probabilities, p_war=p_war, payoffs=payoffs, **fields)

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        """Fallback: solve point by point. Closed-form models override this."""
        scalars = [s.name for s in self.params if s.is_scalar]
        n = len(batch[scalars[0]]) if scalars else 1
        results = []
        for k in range(n):
            point = {name: (batch[name][k] if name in scalars else batch[name])
                     for name in batch}
            if scalars:
                point = {name: (float(v) if name in scalars else v) for name, v in point.items()}
            self.check_constraints(point)
            results.append(self._solve(point))
        return stack_outcomes(self, results, batch)

    def batch_outcome(
        self,
        batch: Mapping[str, Any],
        *,
        regime: np.ndarray,
        probabilities: np.ndarray,
        p_war: np.ndarray,
        payoffs: Mapping[str, np.ndarray],
        boundary: np.ndarray | None = None,
        multiple_equilibria: np.ndarray | None = None,
        assumption_violated: np.ndarray | None = None,
        details: Mapping[str, np.ndarray] | None = None,
    ) -> BatchOutcome:
        """A :class:`BatchOutcome` of this model; flags not given are all False."""
        n = int(np.shape(p_war)[0])

        def flag(values: np.ndarray | None) -> np.ndarray:
            return np.zeros(n, dtype=bool) if values is None else np.asarray(values, dtype=bool)

        return BatchOutcome(
            model=self.name,
            params={k: v for k, v in batch.items() if isinstance(v, np.ndarray)},
            regimes=self.regimes,
            regime=regime,
            outcomes=self.outcomes,
            probabilities=probabilities,
            p_war=p_war,
            payoffs=payoffs,
            boundary=flag(boundary),
            multiple_equilibria=flag(multiple_equilibria),
            assumption_violated=flag(assumption_violated),
            details=dict(details or {}),
        )

    # -- games --------------------------------------------------------------
    def game(self, params: Mapping[str, Any] | None = None) -> Any:
        """The finite game this model solves at ``params``, or ``None``."""
        return None

    def engine_check(self, params: Mapping[str, Any] | None = None) -> bool | None:
        """Whether the generic engine confirms the model's own solution at ``params``.

        A model that solves its game in closed form, and whose :meth:`game` keys
        the strategies by the same information sets, overrides this to check its
        profile on the tree with :mod:`sim.solvers` (sequential rationality or
        backward induction). The shared model test runs it on random points.
        ``None``: the model offers no such check, for example because its
        strategies are cut-offs on a continuum rather than moves in the tree.
        """
        return None

    def __repr__(self) -> str:
        return f"<model {self.name}>"


def first_point(arrays: Mapping[str, Any]) -> dict[str, Any]:
    """The first point of a kernel's arrays: one model's solve from its batch kernel."""
    return {k: np.atleast_1d(v)[0] for k, v in arrays.items()}


def stack_outcomes(
    model: Model, results: Sequence[Outcome], batch: Mapping[str, Any]
) -> BatchOutcome:
    """Assemble single-point outcomes into a :class:`BatchOutcome`."""
    regime_index = {r: i for i, r in enumerate(model.regimes)}
    n = len(results)
    probs = np.zeros((n, len(model.outcomes)))
    for k, res in enumerate(results):
        for j, label in enumerate(model.outcomes):
            probs[k, j] = res.probabilities.get(label, 0.0)
    return BatchOutcome(
        model=model.name,
        params={k: v for k, v in batch.items() if isinstance(v, np.ndarray)},
        regimes=model.regimes,
        regime=np.array([regime_index[r.regime] for r in results], dtype=np.int64),
        outcomes=model.outcomes,
        probabilities=probs,
        p_war=np.array([r.p_war for r in results], dtype=float),
        payoffs={pl: np.array([r.payoffs[pl] for r in results], dtype=float)
                 for pl in model.players},
        boundary=np.array([r.flags.boundary for r in results], dtype=bool),
        multiple_equilibria=np.array([r.flags.multiple_equilibria for r in results], dtype=bool),
        assumption_violated=np.array([r.flags.assumption_violated for r in results], dtype=bool),
    )


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    return obj
