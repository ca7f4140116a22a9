"""The README's tutorial works as written, and its table names every schema section."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from sim.cli import app
from sim.scenario import scenario_json_schema
from tests.paths import ROOT, SCENARIO_2022

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _set_c_r(text: str, value: str, maximum: str | None = None) -> str:
    start = text.index("  - name: c_R\n")
    end = text.index("  - name:", start + 5)
    block = text[start:end].replace("    value: 0.15\n", f"    value: {value}\n")
    if maximum is not None:
        block = block.replace("    max: 1.0\n", f"    max: {maximum}\n")
    return text[:start] + block + text[end:]


def test_tutorial_edit_validates(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    original = SCENARIO_2022.read_text(encoding="utf-8")
    (tmp_path / "my_crisis.yaml").write_text(_set_c_r(original, "0.35"), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "my_crisis.yaml"])
    assert result.exit_code == 0, result.output


def test_tutorial_mistake_gives_the_readme_message(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    original = SCENARIO_2022.read_text(encoding="utf-8")
    (tmp_path / "my_crisis.yaml").write_text(_set_c_r(original, "0.35", "0.3"), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "my_crisis.yaml"])
    assert result.exit_code == 2
    message = result.output.splitlines()[0]
    assert message.startswith("my_crisis.yaml:")
    assert message in README, f"README shows a different message than: {message}"


def test_readme_table_names_every_section() -> None:
    table = README.split("## Writing a scenario", 1)[1].split("**Quotes.**", 1)[0]
    named = set(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.M))
    sections = set(scenario_json_schema()["properties"]) - {"schema_version"}
    assert sections <= named, sections - named


def test_readme_lists_every_model() -> None:
    from sim.models import all_models

    section = README.split("## Models", 1)[1].split("\n## ", 1)[0]
    for name in all_models():
        assert f"| `{name}` |" in section, name
