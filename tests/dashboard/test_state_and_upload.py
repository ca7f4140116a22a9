"""Shareable links, presets, reset, uploads and the sweep form."""

from __future__ import annotations

import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from sim.scenario import load_scenario
from tests.dashboard.conftest import APP, problems, regime_line, summary
from tests.paths import DATA, ROOT, SCENARIO_2022
from views import loading
from views.app_main import UPLOAD
from views.loading import load_upload, upload_label
from views.sidebar import model_specs_of
from views.state import decode_query, encode_query
from views.sweep_tab import RESULT_KEY


def test_link_restores_preset_analysis_and_values(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Equilibrium", preset="article", analysis="chicken",
                  d_W="-2", **{"m.equilibrium": "1"})
    assert problems(at) == []
    assert at.selectbox(key="preset").value == "article"
    assert at.selectbox(key="analysis").value == "chicken"
    assert at.slider(key="sp.d_W").value == -2.0
    assert at.slider(key="sp.d_R").value == -0.5  # the article preset's value
    assert at.selectbox(key="mp.chicken.equilibrium").value == 1
    # Equilibrium 1 of Chicken: Russia Firm, the United States Swerve, no war.
    assert regime_line(at) == "Russia stands firm and the United States swerves"
    assert at.query_params["d_W"] == "-2"
    assert at.query_params["m.equilibrium"] == "1"
    assert "d_R" not in at.query_params  # equal to the preset: not written


def test_bad_link_values_are_ignored_and_reported(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(x="7", p="abc", zz="1", preset="nope")
    assert problems(at) == []
    warning = " ".join(w.value for w in at.warning)
    assert "x=7: not a number in [0, 1]" in warning
    assert "p=abc" in warning and "zz: unknown parameter" in warning
    assert "preset=nope: no such preset" in warning
    assert at.slider(key="sp.x").value == 0.9
    assert "x" not in at.query_params


def test_changing_preset_moves_the_sliders_and_reset_restores_them(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app()
    at.selectbox(key="preset").set_value("article").run()
    assert at.slider(key="sp.p").value == 0.7
    assert at.slider(key="sp.c_W").value == 0.22
    at.slider(key="sp.p").set_value(0.3).run()
    assert at.query_params["p"] == "0.3"
    at.button(key="reset").click().run()
    assert at.slider(key="sp.p").value == 0.7
    assert "p" not in at.query_params
    assert problems(at) == []


def test_values_survive_switching_analysis(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Equilibrium")
    at.slider(key="sp.x").set_value(0.7).run()
    at.selectbox(key="analysis").set_value("chicken").run()
    at.selectbox(key="analysis").set_value("fearon_range_stated").run()
    assert at.slider(key="sp.x").value == 0.7
    assert "The United States accepts the demand" in summary(at)


def test_invalid_upload_function_gives_located_messages() -> None:
    raw = (DATA / "bad" / "07_dangling_reference.yaml").read_bytes()
    loaded = load_upload.__wrapped__("mine.yaml", raw)  # bypass the cache
    assert loaded.report is None
    assert loaded.errors == (
        "mine.yaml:29:9: demands[0].by: unknown actor 'RUSS' (did you mean 'RUS'?)",
    )


def upload(name: str, raw: bytes) -> AppTest:
    """The page after uploading ``raw`` as ``name`` through the sidebar's file uploader."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["scenario"] = UPLOAD
    at.run()
    return at.file_uploader(key="upload").set_value((name, raw, "application/x-yaml")).run()


def test_invalid_upload_is_shown_in_the_page() -> None:
    at = upload("mine.yaml", (DATA / "bad" / "07_dangling_reference.yaml").read_bytes())
    assert [e.value for e in at.exception] == []
    assert at.error[0].value.startswith("This scenario file is invalid.")
    assert [c.value for c in at.code] == [
        "mine.yaml:29:9: demands[0].by: unknown actor 'RUSS' (did you mean 'RUS'?)"]


BARE = ("must be a bare file name (letters, digits, '.', '_' and '-', at most 128), looked up "
        "in the sources folders; folders, '..' and absolute paths are refused")


def test_upload_cannot_probe_proc_self_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """A quote checked against /proc/self/environ would leak the database password."""
    monkeypatch.setenv("COERCION_CLASSROOM_DB", "postgresql+psycopg://u:hunter2@db/x")
    raw = (DATA / "hostile" / "source_path_absolute_environ.yaml").read_text(encoding="utf-8")
    pages = [upload("probe.yaml", raw.replace('quote: "PATH="', f'quote: "{q}"').encode())
             for q in ("u:hunter2@db", "u:wrong@db")]
    for at in pages:
        assert [e.value for e in at.exception] == []
        assert [c.value for c in at.code] == [f"probe.yaml:12:11: sources[0].path: {BARE}"]
        assert "hunter2" not in " ".join(str(e.value) for e in at.markdown)


def test_upload_cannot_probe_etc_passwd() -> None:
    raw = (DATA / "hostile" / "source_path_dotdot_passwd.yaml").read_bytes()
    at = upload("probe.yaml", raw)
    assert [e.value for e in at.exception] == []
    assert [c.value for c in at.code] == [f"probe.yaml:12:11: sources[0].path: {BARE}"]


@pytest.mark.parametrize("name", ["deep_nesting_flow.yaml", "deep_nesting_alias_chain.yaml",
                                  "recursive_alias.yaml", "invalid_date.yaml",
                                  "huge_integer.yaml", "nan_min.yaml", "not_utf8.yaml",
                                  "nul_in_title.yaml", "long_reference_echo.yaml",
                                  "many_dangling_references.yaml"])
def test_hostile_upload_shows_located_messages_never_a_traceback(name: str) -> None:
    raw = (DATA / "hostile" / name).read_bytes()
    at = upload(name, raw)
    assert [e.value for e in at.exception] == []
    assert at.error[0].value.startswith("This scenario file is invalid.")
    (code,) = [c.value for c in at.code]
    lines = code.splitlines()
    assert 1 <= len(lines) <= 201
    assert all(re.match(rf"{re.escape(name)}:\d+:\d+: \S+: \S", ln) for ln in lines), code[:500]
    assert all(len(ln) < 600 for ln in lines)
    assert "Traceback" not in code


def test_upload_name_is_shown_plain_and_short() -> None:
    assert upload_label("../../etc/" + "x" * 300 + "\x1b[31m.yaml") == "x" * 79 + "…"
    assert upload_label("C:\\Users\\me\\crisis.yaml") == "crisis.yaml"
    assert upload_label("a\x00b.yaml") == "a?b.yaml"


def test_unexpected_failure_in_an_upload_is_one_located_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(raw: bytes, name: str) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(loading, "load_scenario_bytes", explode)
    loaded = loading.load_upload.__wrapped__("mine.yaml", b"x: 1")
    assert loaded.report is None
    assert loaded.errors == (
        "mine.yaml:1:1: <document>: the file could not be validated (RuntimeError)",)


def test_shipped_config_hides_error_details() -> None:
    """The boolean ``false`` is deprecated and still shows tracebacks; "none" hides them."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] == 1


def test_valid_upload_is_explored_without_a_link() -> None:
    at = upload("mine.yaml", SCENARIO_2022.read_bytes())
    assert problems(at) == []
    # The first analysis: Russia's threat with its optimal demand, which the West concedes.
    assert "**The United States concedes**" in summary(at)
    assert "analysis" not in at.query_params


def test_sweep_form_produces_a_table_of_the_right_shape(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Sweep", analysis="fearon_range_stated")
    assert at.multiselect(key="sweep_vary.fearon_bargaining_range").value == ["p", "c_A"]
    at.number_input(key="sweep_n").set_value(300)
    at.number_input(key="sweep_seed").set_value(4)
    next(b for b in at.button if b.label == "Run sweep").click().run()
    assert problems(at) == []
    frame = at.session_state[RESULT_KEY]["frame"]
    # p, c_A, regime, outcome, 3 outcome probabilities, p_war, 2 payoffs, 3 flags, valid.
    assert frame.shape == (300, 14)
    c_R = next(q for q in load_scenario(SCENARIO_2022).scenario.parameters if q.name == "c_R")
    assert frame["p"].between(0, 1).all() and frame["c_A"].between(c_R.min, c_R.max).all()
    assert frame["c_A"].min() < c_R.min + 0.01 and frame["c_A"].max() > c_R.max - 0.01
    # x = 0.9 > p + c_W = p + 0.1 unless p >= 0.8: the demand is accepted exactly then.
    accepted = frame["regime"] == "demand_accepted"
    assert (accepted == (frame["p"] + 0.1 >= 0.9 - 1e-12)).all()
    success = [s.value for s in at.success]
    assert success == ["Sweep of Fearon bargaining range (complete information) — with the "
                       "demand as Russia stated it: Latin hypercube, 300 points, seed 4, "
                       "varying Russia's chance of prevailing by force (p); Russia's cost of "
                       "war (c_R)."]
    sens = next(d.value for d in at.dataframe
                if "standardised regression coefficient" in d.value.columns)
    assert sens["parameter"].tolist()[0] == "Russia's chance of prevailing by force (p)"


def test_query_encoding_round_trip() -> None:
    sc = load_scenario(SCENARIO_2022).scenario
    baseline = sc.parameter_values("skeptical")
    values = dict(baseline, x=0.5, p=0.61)
    query = encode_query("russia_nato_2022_02", "skeptical", "chicken", values, baseline,
                         {"equilibrium": 2}, {"equilibrium": 0})
    assert query == {"scenario": "russia_nato_2022_02", "analysis": "chicken",
                     "preset": "skeptical", "x": "0.5", "p": "0.61", "m.equilibrium": "2"}
    state = decode_query(query, sc, model_specs_of(sc))
    assert (state.preset, state.analysis) == ("skeptical", "chicken")
    assert state.values == {"x": 0.5, "p": 0.61}
    assert state.model_values == {"equilibrium": 2}
    assert state.ignored == ()


def test_slider_help_names_claims_and_sources(open_app) -> None:  # type: ignore[no-untyped-def]
    sc = load_scenario(SCENARIO_2022).scenario
    spec = next(q for q in sc.parameters if q.name == "p")
    claims = [c for c in sc.claims if c.id in spec.derived_from]
    assert claims, "p rests on at least one claim of the scenario"
    at = open_app()
    help_p = at.slider(key="sp.p").help
    assert help_p.startswith(spec.description)
    for claim in claims:
        assert f"Claim: “{claim.statement}” — *{sc.source(claim.source).title}*" in help_p
    assert at.slider(key="sp.x").help.endswith(
        "Source: analyst calibration (no source states this number).")


def test_shipped_config_skips_the_collection_after_every_run() -> None:
    """Streamlit's full collection after each run costs every slider move a heap scan."""
    from streamlit import config as st_config

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    st_config.get_option("runner.postScriptGC")  # raises if Streamlit has no such option
