"""The Sweep tab runs the command line's sweep stack: same design, samplers and engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.scenario.loader import load_scenario
from sim.scenario.sweep_spec import SweepSpec
from sim.sweep.engine import read_manifest, read_results, run_resolved
from sim.sweep.resolve import resolve_sweep
from tests.dashboard.conftest import problems
from tests.paths import SCENARIO_2022
from views.sweep_tab import RESULT_KEY, page_spec

P_LABEL = "Russia's chance of prevailing by force (p)"
C_LABEL = "Russia's cost of war (c_R)"


def _run_form(at, sampler: str, n: int, seed: int, save: bool = False):  # type: ignore[no-untyped-def]
    at.radio(key="sweep_sampler").set_value(sampler)
    at.number_input(key="sweep_n").set_value(n)
    at.number_input(key="sweep_seed").set_value(seed)
    if save:
        at.checkbox(key="sweep_save").check()
    next(b for b in at.button if b.label == "Run sweep").click().run()
    assert problems(at) == []
    return at.session_state[RESULT_KEY]


def _ranges(at) -> dict[str, tuple[float, float]]:  # type: ignore[no-untyped-def]
    prefix = "sweep_range.fearon_bargaining_range."
    return {s.key.removeprefix(prefix): tuple(s.value) for s in at.slider
            if s.key and s.key.startswith(prefix)}


def _cli_frame(result: dict, varied: dict, sampler: str, n: int,  # type: ignore[type-arg]
               seed: int, tmp_path: Path) -> pd.DataFrame:
    """The same sweep written as a spec file's ``sweep:`` block, run by the CLI's engine."""
    spec = page_spec("fearon_bargaining_range", varied, {}, sampler, n, seed)
    data = spec.model_dump(mode="json", exclude_none=True)
    data["varied"] = {k: {f: x for f, x in v.items() if x is not None}
                      for k, v in data["varied"].items()}
    data["fixed"] = {k: v for k, v in result["fixed"].items() if isinstance(v, float | int)}
    resolved = resolve_sweep(SweepSpec.model_validate(data))
    run_resolved(resolved, tmp_path / "cli", workers=1)
    return read_results(tmp_path / "cli").to_pandas()


@pytest.mark.parametrize("sampler,n,points", [("sobol", 600, 512), ("lhs", 300, 300),
                                              ("grid", 400, 400)])
def test_the_page_sweep_equals_the_command_line_sweep(open_app, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      sampler: str, n: int,
                                                      points: int) -> None:
    at = open_app(tab="Sweep", analysis="fearon_range_stated")
    result = _run_form(at, sampler, n, 9)
    frame = result["frame"]
    assert len(frame) == points
    ranges = _ranges(at)
    c_r = next(q for q in load_scenario(SCENARIO_2022).scenario.parameters if q.name == "c_R")
    assert ranges == {"p": (0.0, 1.0), "c_A": (c_r.min, c_r.max)}  # the scenario's range
    assert frame["c_A"].between(c_r.min, c_r.max).all()
    cli = _cli_frame(result, ranges, sampler, n, 9, tmp_path)
    for name in ("point", "p", "c_A", "p_war", "P(War)", "payoff[Challenger]", "valid"):
        assert np.array_equal(frame[name].to_numpy(), cli[name].to_numpy()), name
    assert frame["regime"].tolist() == cli["regime"].astype(str).tolist()
    # the teaching calibration: x = 0.9 is accepted iff p + c_W >= 0.9 (c_W = 0.1)
    accepted = frame["regime"] == "demand_accepted"
    assert (accepted == (frame["p"] + 0.1 >= 0.9 - 1e-12)).all()


def test_sobol_design_shows_sobol_indices(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Sweep", analysis="fearon_range_stated")
    result = _run_form(at, "sobol", 2000, 3)
    frame = result["frame"]
    # N = 256 base rows, k = 2 parameters: blocks A, B, AB:p, AB:c_A
    assert len(frame) == 256 * 4
    assert frame["block"].value_counts().to_dict() == {"A": 256, "B": 256, "AB:p": 256,
                                                       "AB:c_A": 256}
    assert result["design"] == "Sobol (Saltelli), 1,024 points, seed 3"
    total = "with interactions (total index)"
    table = next(d.value for d in at.dataframe if total in d.value.columns)
    # with x = 0.9 war depends on p alone (c_A moves no regime): p explains the variance
    top = table.iloc[0]
    assert top["parameter"] == P_LABEL and top[total] > 0.9
    assert table.set_index("parameter").loc[C_LABEL, total] < 0.05


def test_save_as_dataset_writes_the_chunked_output(open_app, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COERCION_SWEEPS_DIR", str(tmp_path / "sweeps"))
    at = open_app(tab="Sweep", analysis="fearon_range_stated")
    result = _run_form(at, "lhs", 25_000, 2, save=True)
    out = Path(result["saved"])
    assert out.parent == tmp_path / "sweeps" and out.name.startswith("fearon_range_stated-")
    chunks = sorted((out / "chunks").glob("part-*.parquet"))
    assert len(chunks) == 3  # 25,000 points in chunks of 10,000
    manifest = read_manifest(out)
    assert manifest["n_points"] == 25_000 and len(manifest["chunks"]) == 3
    saved = read_results(out).to_pandas()
    assert np.array_equal(saved["p"].to_numpy(), result["frame"]["p"].to_numpy())
    assert any("Saved as a dataset in" in c.value for c in at.caption)
