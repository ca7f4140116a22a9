"""Every view setting travels in the link, and a hostile link is refused quietly."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import APP, problems
from views.view_query import decode_view, pick, pick_int, pick_names, pick_range

FEARON = "fearon_bargaining_range"
#: The analysis of the 2022 case these views open on (its model is FEARON).
FEARON_ANALYSIS = "fearon_range_stated"


def _reopen(at: AppTest, tab: str) -> AppTest:
    """A fresh session opened from the address bar ``at`` shows now."""
    again = AppTest.from_file(APP, default_timeout=120)
    for key, value in at.query_params.items():
        again.query_params[key] = value[0] if isinstance(value, list) else value
    again.query_params["tab"] = tab
    return again.run()


def test_map_settings_round_trip() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["analysis"] = FEARON_ANALYSIS
    at.query_params["tab"] = "Regime map"
    at.run()
    at.selectbox(key=f"map_x.{FEARON}").set_value("x").run()
    at.selectbox(key=f"map_y.{FEARON}").set_value("p").run()
    at.radio(key="map_kind").set_value("pwar").run()
    at.selectbox(key=f"map_n.{FEARON}").set_value(50).run()
    at.selectbox(key=f"map_one.{FEARON}").set_value("c_A").run()
    assert problems(at) == []
    assert {k: at.query_params[k] for k in ("map_x", "map_y", "map_colour", "map_grid",
                                             "map_one")} == {
        "map_x": "x", "map_y": "p", "map_colour": "pwar", "map_grid": "50", "map_one": "c_A"}
    again = _reopen(at, "Regime map")
    assert problems(again) == []
    assert again.selectbox(key=f"map_x.{FEARON}").value == "x"
    assert again.selectbox(key=f"map_y.{FEARON}").value == "p"
    assert again.radio(key="map_kind").value == "pwar"
    assert again.selectbox(key=f"map_n.{FEARON}").value == 50
    assert again.selectbox(key=f"map_one.{FEARON}").value == "c_A"


def test_map_settings_survive_a_visit_to_another_tab() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"tab": "Equilibrium", "map_x": "x", "map_colour": "pwar"})
    at.run()
    at.slider(key="sp.x").set_value(0.7).run()
    assert at.query_params["map_x"] == "x" and at.query_params["map_colour"] == "pwar"


def test_sweep_design_round_trip() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["analysis"] = FEARON_ANALYSIS
    at.query_params["tab"] = "Sweep"
    at.run()
    at.multiselect(key=f"sweep_vary.{FEARON}").set_value(["x", "p"]).run()
    at.radio(key="sweep_sampler").set_value("random")
    at.number_input(key="sweep_n").set_value(40)
    at.number_input(key="sweep_seed").set_value(7)
    at.slider(key=f"sweep_range.{FEARON}.x").set_value((0.2, 0.8))
    at.selectbox(key=f"sweep_dist.{FEARON}.p").set_value("triangular")
    next(b for b in at.get("button") if "Run sweep" in str(b.proto.label)).click().run()
    assert problems(at) == []
    assert at.query_params["sweep_vary"] == "x,p"
    assert at.query_params["sweep_design"] == "random"
    assert (at.query_params["sweep_points"], at.query_params["sweep_seed"]) == ("40", "7")
    assert at.query_params["sweep_range.x"] == "0.2:0.8"
    assert at.query_params["sweep_dist.p"] == "triangular"
    again = _reopen(at, "Sweep")
    assert problems(again) == []
    assert again.multiselect(key=f"sweep_vary.{FEARON}").value == ["x", "p"]
    assert again.radio(key="sweep_sampler").value == "random"
    assert again.number_input(key="sweep_n").value == 40
    assert again.number_input(key="sweep_seed").value == 7
    assert again.slider(key=f"sweep_range.{FEARON}.x").value == (0.2, 0.8)
    assert again.selectbox(key=f"sweep_dist.{FEARON}.p").value == "triangular"


def test_hostile_view_values_are_refused_quietly() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["analysis"] = FEARON_ANALYSIS
    at.query_params.update({"tab": "Regime map", "map_x": "../../etc/passwd",
                            "map_y": "x" * 10_000, "map_grid": "99999999",
                            "map_colour": "<script>", "map_one": "no_such_parameter"})
    at.run()
    assert problems(at) == []
    assert at.warning == [] or all("link" in str(w.value) for w in at.warning)
    assert at.selectbox(key=f"map_x.{FEARON}").value == "p"
    assert at.radio(key="map_kind").value == "regime"
    assert at.selectbox(key=f"map_one.{FEARON}").value == "p"
    assert len(at.query_params["map_y"]) < 100


def test_decoding_view_keys_bounds_what_it_keeps() -> None:
    view = decode_view({"map_x": "c_A", "map_y": "a" * 500, "map_colour": "p war<",
                        "uploaded": "../../secret/crisis.yaml", "sweep_range.x": "0:1",
                        "sweep_range.__import__('os')": "0:1", "x": "0.5"})
    assert view == {"map_x": "c_A", "uploaded": "crisis.yaml", "sweep_range.x": "0:1"}
    assert pick("x", ["p", "x"], "p") == "x" and pick("zz", ["p", "x"], "p") == "p"
    assert pick_int("99999999", 10, 200, 25) == 200 and pick_int("1e3", 10, 200, 25) == 25
    assert pick_names("x,nope,x,p", ["p", "x"], ["p"]) == ["x", "p"]
    assert pick_range("-5:0.5", 0.0, 1.0) == (0.0, 0.5)
    assert pick_range("nan:1", 0.0, 1.0) == (0.0, 1.0)
    assert pick_range("0.9:0.1", 0.0, 1.0) == (0.1, 0.9)


def test_unknown_scenario_warns_and_opens_the_default() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["scenario"] = "nonexistent"
    at.run()
    assert [str(e.value) for e in at.exception] == []
    assert any("no bundled scenario called “nonexistent”" in str(w.value) for w in at.warning)
    assert at.selectbox(key="scenario").value == "russia_nato_2022_02"
    assert at.query_params["scenario"] == "russia_nato_2022_02"


def test_hostile_parameter_values_are_echoed_short() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"x": "9" * 5000, "c_R": "nan", "zz" * 300: "1"})
    at.run()
    assert [str(e.value) for e in at.exception] == []
    warning = next(str(w.value) for w in at.warning if "ignored" in str(w.value))
    assert len(warning) < 400
    assert "x=" in warning and "c_R=nan" in warning


def test_an_upload_link_names_the_file_and_no_bundled_scenario() -> None:
    from tests.paths import ROOT

    raw = (ROOT / "scenarios" / "libya_2003.yaml").read_bytes()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.session_state["_upload"] = ("my_crisis.yaml", raw)
    at.selectbox(key="scenario").set_value("Upload a YAML file…").run()
    assert [str(e.value) for e in at.exception] == []
    assert "scenario" not in at.query_params
    assert at.query_params["uploaded"] == "my_crisis.yaml"
    assert any("cannot reopen it" in str(c.value) for c in at.caption)
    again = _reopen(at, "Scenario")
    assert any("upload the file again" in str(w.value) for w in again.warning)
    assert again.selectbox(key="scenario").value == "Upload a YAML file…"


def test_the_default_map_crosses_a_regime_boundary() -> None:
    """fearon_range's first two parameters, p × c_A, split the map along p alone (c_A does
    not enter the range's upper end); the default axes are two that both move it."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["analysis"] = FEARON_ANALYSIS
    at.query_params["tab"] = "Regime map"
    at.run()
    x = at.selectbox(key=f"map_x.{FEARON}").value
    y = at.selectbox(key=f"map_y.{FEARON}").value
    assert "c_A" not in (x, y)
    assert {x, y} <= {"p", "c_B", "x"}
