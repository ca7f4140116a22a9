"""Sanctions threat game with private information about the sender's resolve (PBE).

Game (docs/models/sanctions_incomplete_info.md; Lacy & Niou 2004; Whang, McLean &
Kuberski 2013, *AJPS*
57(1)): nature makes Sender resolved (imposition cost ``k_S_res < a_S``)
with prior ``pi`` or irresolute (``k_S_irr > a_S``); Target sees only whether
sanctions are threatened. Same closed form as the compellence game (§2c),
through :func:`sim.kernels.threat_game.incomplete_info`:

* ``mu* = (V_T + b_T)/(k_T + b_T)``, ``rho* = V_S/(V_S + a_S)``;
* ``pi > mu*``: both types threaten and Target complies;
* ``pi < mu*``: the irresolute Sender bluffs with ``beta*``, Target defies
  with ``rho*``, and sanctions are imposed with probability ``pi rho*`` --
  by resolved senders facing targets who defy, so imposed sanctions "fail"
  (a selection effect).

When ``-k_S_res <= 0`` a pooling PBE in which nobody threatens also exists,
held up by pessimistic off-path beliefs. It fails D1 (Cho & Kreps 1987;
Banks & Sobel 1987): the resolved type gains from threatening for a strictly
larger set of Target's responses. The D1 equilibrium (the limit of the logit
QRE) is reported and ``multiple_equilibria`` is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels import threat_game as tg
from sim.kernels.threat_game import SANCTION_ACTIONS, SANCTION_OUTCOMES, signalling_tree
from sim.modelkit.signalling import explain_ii, ii_batch, ii_outcome, type_note
from sim.modelkit.vocabulary import SENDER_TARGET, prior, sanction_params
from sim.models.base import BatchOutcome, Model, Outcome, ParamSpec, first_point

__all__ = ["SanctionsIncompleteInfo", "MODELS"]


class SanctionsIncompleteInfo(Model):
    """Sanctions threats when Target is unsure whether Sender would impose them."""

    name = "sanctions_incomplete_info"
    family = "sanctions"
    title = "Sanctions threat game with bluffing (incomplete information)"
    citation = ("Lacy & Niou (2004), J. Politics 66(1): 25-42; Whang, McLean & Kuberski "
                "(2013), AJPS 57(1): 65-81")
    description = (
        "Target does not know whether Sender is resolved to impose its sanctions (blow-back "
        "k_S below the cost of backing down a_S) or would back down. When Target's prior that "
        "Sender is resolved is below μ*, an irresolute Sender bluffs, Target defies with "
        "probability ρ*, and sanctions are imposed with probability πρ*. Impositions "
        "therefore come from resolved senders facing targets who defy, which is why imposed "
        "sanctions are so often observed to fail. The reported equilibrium survives the D1 "
        "refinement; a 'nobody threatens' equilibrium may also exist and is flagged."
    )
    roles = SENDER_TARGET
    outcomes = SANCTION_OUTCOMES
    regimes = tg.II_REGIMES
    params = (
        *sanction_params(),
        ParamSpec("k_S_res", 0.1, hi=10.0, unit="utility",
                  meaning="imposition cost of a resolved Sender", symbol="k_S,res"),
        ParamSpec("k_S_irr", 0.5, hi=10.0, unit="utility",
                  meaning="imposition cost of an irresolute Sender", symbol="k_S,irr"),
        prior("pi", 0.5, "Target's prior that Sender is resolved"),
    )

    @staticmethod
    def _core(b: dict[str, Any]) -> dict[str, np.ndarray]:
        V_S, V_T, k_T, a_S, b_T, k_res, k_irr, pi = (
            np.asarray(b[k], dtype=float)
            for k in ("V_S", "V_T", "k_T", "a_S", "b_T", "k_S_res", "k_S_irr", "pi"))
        zero = np.zeros_like(V_S)
        return tg.incomplete_info(zero, V_S, -a_S, -k_res, -k_irr, pi,
                                  zero, -V_T, -k_T, b_T)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
        text = explain_ii(r, p["pi"], self.players, "a_S", "cost of backing down",
                          ("threat", "comply", "complies", "defy", "defies"))
        text = text.replace("threat is carried out", "threat is carried out (sanctions imposed)")
        # Here the setup reads k_S_res < a_S < k_S_irr and k_T > V_T.
        violated = bool(tg.outside_signalling(r))
        if int(r["regime"]) == tg.ALWAYS_RESIST and p["k_T"] < p["V_T"]:
            text += (f" This is outside the model's assumptions: imposed sanctions would cost "
                     f"Target k_T = {p['k_T']:.2f}, less than complying (V_T = "
                     f"{p['V_T']:.2f}), so it defies even a Sender it knew to be resolved; its "
                     f"belief plays no role and no bluff can work. Only k_T above V_T restores "
                     f"the signalling game.")
        elif violated:
            text += " " + type_note(r, "k_S_res", "k_S_irr", "Sender")
        return ii_outcome(self, p, r, self.outcomes, self.players, ("resolved", "irresolute"),
                          SANCTION_ACTIONS[:4], text, violated)

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        return ii_batch(self, batch, r, self.players, tg.outside_signalling(r))

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The signalling tree: chance over Sender's type, one Target's information set."""
        v = self.validate(params)

        def pay(k_S: float) -> dict[str, tuple[float, float]]:
            return {"sq": (0.0, 0.0), "give": (v["V_S"], -v["V_T"]),
                    "execute": (-k_S, -v["k_T"]), "back_down": (-v["a_S"], v["b_T"])}

        tree = signalling_tree(v["pi"], pay(v["k_S_res"]), pay(v["k_S_irr"]), self.outcomes,
                               actions=SANCTION_ACTIONS[:3] + SANCTION_ACTIONS[3:])
        return ExtensiveFormGame(tree, self.players, title=self.title)


MODELS = (SanctionsIncompleteInfo(),)
