"""The 2022 scenario encodes every item the foundation requires, by id."""

from __future__ import annotations

import pytest

from sim.scenario import load_scenario
from tests.paths import SCENARIO_2022


@pytest.fixture(scope="module")
def sc():
    return load_scenario(SCENARIO_2022).scenario


def _ids(items) -> set[str]:
    return {i.id for i in items}


def test_actors(sc) -> None:
    assert {"RUS", "USA", "NATO", "UKR", "DONBASS", "DEU", "FRA", "EU", "CHN",
            "US_PUBLIC"} <= _ids(sc.actors)
    assert sc.actor("DONBASS").kind == "non-state armed group"
    assert sc.actor("US_PUBLIC").kind == "domestic public"
    assert sc.actor("EU").kind == "international organisation"
    assert sc.actor("NATO").kind == "alliance"
    assert {ld.name for ld in sc.actor("RUS").leaders} == {"Vladimir Putin", "Sergey Lavrov"}
    assert {ld.name for ld in sc.actor("DEU").leaders} == {"Olaf Scholz"}


def test_three_legally_binding_guarantees(sc) -> None:
    demands = {d.id: d for d in sc.demands}
    for did, issue in (("dem_no_nato_expansion", "nato_enlargement"),
                       ("dem_no_strike_weapons", "strike_weapons"),
                       ("dem_posture_1997", "posture_1997")):
        d = demands[did]
        assert (d.by, d.form, d.issue, d.position) == ("RUS", "legally binding", issue, 1.0)
        assert "USA" in d.addressed_to or "NATO" in d.addressed_to
    issue = next(i for i in sc.issues if i.id == "nato_enlargement")
    assert "Georgia" in issue.high and "Open door" in issue.low


def test_three_de_escalation_steps(sc) -> None:
    demands = {d.id: d for d in sc.demands}
    for did, issue in (("dem_halt_arms_supplies", "arms_supplies"),
                       ("dem_recall_advisers", "advisers"),
                       ("dem_end_joint_exercises", "exercises")):
        assert demands[did].by == "RUS" and demands[did].issue == issue


def test_russian_rejections(sc) -> None:
    demands = {d.id: d for d in sc.demands}
    assert demands["dem_us_de_escalation"].status == "rejected"
    assert demands["dem_us_de_escalation"].by == "USA"
    events = {e.id: e for e in sc.events}
    assert "rejects the threat of sanctions" in events["ev_sanctions_threat_rejected"].quote


def test_concessions_and_western_positions(sc) -> None:
    c = {x.id: x for x in sc.concessions}
    assert c["con_discuss_european_security"].status == "offered"
    assert c["con_withdraw_us_advisers"].status == "made"
    assert c["con_no_us_intervention"].by == "USA"
    assert c["con_no_us_missiles"].issue == "strike_weapons"
    assert c["con_swift_dropped"].issue == "sanctions_severity"
    assert c["con_scholz_no_membership"].by == "DEU"
    assert c["con_lavrov_blinken_meeting"].issue == "european_security"
    assert "ev_lavrov_blinken_scheduled" in _ids(sc.events)


def test_threats_and_coercive_moves(sc) -> None:
    t = {x.id: x for x in sc.threats}
    assert set(t) >= {"thr_troop_deployment", "thr_donbass_intervention", "thr_dnepr_offensive",
                      "thr_recognition_plan_b", "thr_donbass_evacuation",
                      "thr_western_sanctions"}
    assert t["thr_donbass_intervention"].stated_likelihood == 1.0
    assert "SWIFT" in t["thr_western_sanctions"].action
    assert "Dnepr" in t["thr_dnepr_offensive"].action


def test_third_parties(sc) -> None:
    assert {"dem_china_accommodate", "dem_china_minsk2"} <= _ids(sc.demands)
    assert {"ev_macron_xi_call", "ev_eu_china_summit_scheduled", "ev_china_statement"} <= _ids(
        sc.events)
    assert "clm_alliance_fault_lines" in _ids(sc.claims)


def test_claims(sc) -> None:
    assert {"clm_time_on_russias_side", "clm_sanctions_withstood", "clm_hypersonic_balance",
            "clm_no_invasion", "clm_manageable_tensions"} <= _ids(sc.claims)


def test_sources_and_neutrality(sc) -> None:
    seed = sc.source("seed-2022-02")
    assert seed.kind == "opinion"
    assert seed.title == "Moscow’s coercive diplomacy is working"
    assert (seed.date_range.start.isoformat(), seed.date_range.end.isoformat()) == (
        "2022-02-17", "2022-02-18")
    invasion = next(e for e in sc.events if e.id == "ev_invasion")
    assert invasion.date.isoformat() == "2022-02-24"
    assert sc.source(invasion.source).kind == "news"
    hindsight = sc.preset("hindsight")
    assert "news-2022-02-24-invasion" in hindsight.sources
    assert hindsight.values["pi"] == 1.0


def test_presets_offer_other_calibrations(sc) -> None:
    assert {"article", "skeptical", "hindsight"} <= _ids(sc.presets)
    assert sc.preset("article").name == "As the article argues"
    article, skeptical = sc.preset("article").values, sc.preset("skeptical").values
    # the article's contested numbers are offered beside other calibrations
    for name in ("pi", "c_R", "p", "delta_W"):
        assert article[name] != skeptical[name], name
    assert article["delta_R"] > article["delta_W"]  # "time is on its side"
    assert skeptical["pi"] == 0.8


def test_parameters_name_their_origin(sc) -> None:
    claims = _ids(sc.claims)
    for p in sc.parameters:
        assert p.derived_from, p.name
        assert all(d == "analyst" or d in claims for d in p.derived_from)
    derived = {p.name: p.derived_from for p in sc.parameters}
    assert "clm_time_on_russias_side" in derived["delta_R"]
    assert "clm_no_invasion" in derived["pi"]
    values = sc.parameter_values()
    # models.md §10 teaching defaults: bargaining range [p - c_R, p + c_W] = [0.50, 0.75]
    assert values["p"] - values["c_R"] == pytest.approx(0.50)
    assert values["p"] + values["c_W"] == pytest.approx(0.75)
    assert values["x"] == 0.9
