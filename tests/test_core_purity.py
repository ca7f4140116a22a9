"""The numeric core never imports streamlit."""

from __future__ import annotations

import subprocess
import sys

from tests.paths import ROOT

CODE = """
import importlib, pkgutil, sys
import sim
for info in pkgutil.walk_packages(sim.__path__, "sim."):
    if info.name != "sim.__main__":
        importlib.import_module(info.name)
from sim.scenario import load_scenario
load_scenario("scenarios/russia_nato_2022_02.yaml")
assert "streamlit" not in sys.modules, "sim imported streamlit"
print("ok")
"""


def test_sim_never_imports_streamlit() -> None:
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().endswith("ok")
