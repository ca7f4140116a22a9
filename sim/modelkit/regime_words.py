"""Every model's regimes in plain words, one table per registered model.

A regime id (``demand_rejected``) names the closed-form branch a solution
fell in; it is right for code, files and URLs but not for a projected page.
:data:`REGIME_WORDS` maps each registered model name to a dict of regime id to
a short phrase. Phrases name the sides by the model's role display names
(``Challenger``, ``Side A``), so that :func:`sim.modelkit.render.substitute`
puts a scenario's actors into them. A test checks that every regime each
registered model can return has a phrase here.
"""

from __future__ import annotations

from collections.abc import Mapping

from sim.modelkit.render import substitute

__all__ = ["REGIME_WORDS", "regime_phrase"]

_COMPELLENCE_BLUFFING = {
    "pooling": "both types threaten, and Target gives in",
    "semi_separating": "Challenger sometimes bluffs when weak; Target sometimes resists",
    "boundary": "on a knife edge between bluffing and not bluffing",
    "target_concedes_regardless": "Target gives in whatever Challenger's type",
    "target_resists_regardless": "Target resists whatever Challenger's type",
    "no_gain_from_demand": "no demand is worth making",
    "separating": "Challenger threatens only if resolved",
}

_SANCTIONS_BLUFFING = {
    "pooling": "both types threaten sanctions, and Target complies",
    "semi_separating": "Sender sometimes bluffs when weak; Target sometimes defies",
    "boundary": "on a knife edge between bluffing and not bluffing",
    "target_concedes_regardless": "Target complies whatever Sender's type",
    "target_resists_regardless": "Target defies whatever Sender's type",
    "no_gain_from_demand": "no demand is worth making",
    "separating": "Sender threatens sanctions only if resolved",
}

_IIG = {
    "status_quo": "the status quo holds",
    "side_a_acquiesces": "Side A gives in to Side B's demand",
    "side_b_acquiesces": "Side B gives in to Side A's demand",
    "negotiation": "the two sides negotiate",
    "side_a_capitulates": "Side A capitulates",
    "side_b_capitulates": "Side B capitulates",
    "war_side_a_first": "war, Side A striking first",
    "war_side_b_first": "war, Side B striking first",
}

_BUILD_UP = {
    "separating": "Challenger builds up only if resolved",
    "semi_separating": "Challenger sometimes bluffs with a build-up when irresolute",
    "cutoff_separating": "Challenger builds up only if it values the stakes enough",
    "cutoff_semi_separating": "a build-up separates the types only in part",
    "build_up_to_fight": "Challenger builds up and war follows",
    "pooling_on_build_up_target_concedes":
        "Challenger builds up whatever its type; Target gives in",
    "pooling_on_build_up_target_resists": "Challenger builds up whatever its type; Target resists",
    "no_build_up_target_concedes": "nobody builds up; Target gives in",
    "no_build_up_target_resists": "nobody builds up; Target resists",
    "other_signalling": "another signalling equilibrium",
}

#: Registered model name → regime id → plain phrase.
REGIME_WORDS: dict[str, dict[str, str]] = {
    "bargaining_while_fighting": {
        "settle_at_once": "Side A settles at once on generous terms",
        "tough_offer_at_once": "Side A makes a tough offer at once",
        "fight_to_learn": "Side A fights on to learn Side B's strength",
    },
    "brinkmanship_window": {
        "threat": "Challenger threatens with the least effective risk",
        "no_threat_unprofitable": "no threat: the risk would cost Challenger more than it gains",
        "no_threat_ineffective": "no threat: no risk is enough to make Target comply",
    },
    "chicken_2x2": {
        "mixed": "both sides gamble (mixed strategies)",
        "challenger_firm": "Challenger stands firm and Target swerves",
        "target_firm": "Target stands firm and Challenger swerves",
    },
    "commitment_guarantee_extension": {
        "peace_without_guarantee": "peace without any guarantee",
        "guarantee_secures_peace": "a binding guarantee secures peace",
        "preventive_war": "Declining state starts a preventive war",
    },
    "commitment_shifting_power": {
        "peace_under_every_protocol": "peace however the offers are made",
        "protocol_dependent_war": "war or peace depends on who makes the offers",
        "preventive_war": "Declining state starts a preventive war",
    },
    "escalation_ladder_complete": {
        "challenger_quits": "Challenger quits at once",
        "target_quits": "Target quits after Challenger escalates",
    },
    "escalation_ladder_incomplete": {
        "challenger_quits": "Challenger quits at once",
        "no_bluffing": "Target quits at once when weak (no bluffing)",
        "bluffing": "Target bluffs when weak, then quits",
    },
    "extended_deterrence": {
        "no_gain_from_demand": "no demand is worth making",
        "client_concedes": "Client gives in",
        "threat_not_credible": "Challenger's threat is not credible",
        "challenger_deterred": "Challenger is deterred by Patron",
        "war_client_alone": "war, Client fighting alone",
        "war_patron_may_intervene": "war, Patron may come in",
        "war_patron_intervenes": "war, Patron comes in",
    },
    "fearon_bargaining_range": {
        "demand_accepted": "Target accepts the demand",
        "demand_rejected": "Target rejects the demand and war follows",
        "status_quo_kept": "the status quo is kept",
        "tioli_revision": "the status quo is revised by a final offer",
        "empty_range": "no bargain beats war",
    },
    "fearon_tioli_private_costs": {
        "interior": "a risky demand: war if Target's cost is low",
        "safe_offer": "a safe demand every Target accepts",
        "corner_full_demand": "Challenger asks for everything",
    },
    "iig_complete_info": dict(_IIG),
    "iig_incomplete_info": {
        "status_quo": "the status quo holds",
        "side_a_acquiesces": "Side A gives in to Side B's demand",
        "side_b_acquiesces": "Side B gives in to Side A's demand",
        "negotiation": "both sides negotiate, whatever their types",
        "coercion": "one side capitulates without war, for some types",
        "war_side_a_first": "war may follow, Side A striking first",
        "war_side_b_first": "war may follow, Side B striking first",
    },
    "logit_aqre_extensive_form": {k: f"{v} (as the leaders' errors vanish)"
                                  for k, v in _IIG.items()},
    "logit_qre_normal_form": {
        "limit_mixed": "both sides gamble, as the leaders' errors vanish",
        "limit_challenger_firm": "Challenger stands firm, as the leaders' errors vanish",
        "limit_target_firm": "Target stands firm, as the leaders' errors vanish",
    },
    "mobilisation_signalling": {k: _BUILD_UP[k] for k in (
        "separating", "semi_separating", "build_up_to_fight",
        "pooling_on_build_up_target_concedes", "pooling_on_build_up_target_resists",
        "no_build_up_target_concedes", "no_build_up_target_resists", "other_signalling")},
    "mobilisation_signalling_continuous": {k: _BUILD_UP[k] for k in (
        "no_build_up_target_concedes", "cutoff_separating", "cutoff_semi_separating",
        "build_up_to_fight", "pooling_on_build_up_target_concedes",
        "pooling_on_build_up_target_resists", "no_build_up_target_resists")},
    "nash_bargaining": {
        "linear_closed_form": "agreement (risk-neutral sides, closed form)",
        "concave_numeric": "agreement (a risk-averse side, solved numerically)",
    },
    "reassurance_game": {
        "reassurance_separates": "Side A reassures when cooperative, and Side B trusts it",
        "partial_reassurance": "reassurance works only in part",
        "trust_without_reassurance": "trust without any reassurance",
        "spiral": "mistrust spirals into conflict",
        "pooling_on_restraint": "Side A restrains whatever its type, and Side B trusts it",
        "other_signalling": "another signalling equilibrium",
    },
    "rubinstein": {
        "immediate_agreement": "agreement at once",
    },
    "rubinstein_outside_option": {
        "no_option_binds": "war threats do not change the split",
        "option_2_binds": "Side B's war option shapes the split",
        "option_1_binds": "Side A's war option shapes the split",
        "both_bind": "both war options shape the split",
    },
    "sanctions_complete_info": {
        "status_quo": "the status quo holds",
        "compliance": "Target complies",
        "imposition": "sanctions are imposed",
        "back_down": "Sender backs down",
    },
    "sanctions_incomplete_info": dict(_SANCTIONS_BLUFFING),
    "sanctions_severity_window": {
        "window_open": "some sanctions would make Target comply",
        "window_empty": "no sanctions would make Target comply",
    },
    "spatial_weighted_median_bdm": {
        "demand_rejected": "Challenger's demand is rejected",
        "compromise": "a compromise between the sides",
        "demand_met": "Challenger's demand is met",
    },
    "threat_game_complete_info": {
        "status_quo": "the status quo holds",
        "concession": "Target concedes",
        "war": "Target resists and war follows",
        "back_down": "Challenger backs down",
    },
    "threat_game_incomplete_info": dict(_COMPELLENCE_BLUFFING),
}


def regime_phrase(model: str, regime: str, names: Mapping[str, str] | None = None) -> str:
    """The plain phrase of ``regime`` of ``model``, in actor names when ``names`` (display
    name → actor name) is given; an unknown regime reads as its words (``a b``)."""
    phrase = REGIME_WORDS.get(model, {}).get(regime, regime.replace("_", " "))
    return substitute(phrase, names or {})
