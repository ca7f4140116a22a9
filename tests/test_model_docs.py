"""The model pages in docs/models/: one per registered model, matching its code.

Each page's parameter table must list exactly the model's parameters, in the
order the model declares them, with the code's defaults; the sections come in
the documented order; every regime is explained; the numbers of each worked
example are what the model computes now; links between pages resolve; and the
pages are written in the project's own words (no long run of prose shared with
the external specification, when that file is present) and never cite it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from sim.models import all_models
from sim.models.base import Model
from tests.paths import ROOT, SHARED

DOCS = ROOT / "docs" / "models"
SPEC = SHARED / "docs" / "models.md"

#: The trees that must not cite the external specification ``models.md``.
SELF_CONTAINED: tuple[Path, ...] = (DOCS,)

#: Section headings of a model page, in order (the title comes first).
SECTIONS = (
    "The game",
    "Parameters",
    "Equilibrium",
    "Closed form",
    "How the engine checks it",
    "A reading of February 2022",
    "References",
)

#: Pages in docs/models/ that are not model pages.
NOT_MODEL_PAGES = frozenset({"README"})

MODELS = all_models()


def page(name: str) -> str:
    path = DOCS / f"{name}.md"
    assert path.is_file(), f"model {name!r} has no page {path.relative_to(ROOT)}"
    return path.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The body of ``## heading`` up to the next second-level heading."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section '## {heading}'"
    return match.group(1)


def parameter_rows(text: str) -> list[list[str]]:
    """Cells of the first markdown table in the Parameters section, header excluded."""
    lines = [ln.strip() for ln in section(text, "Parameters").splitlines()]
    table = []
    for ln in lines:
        if ln.startswith("|"):
            table.append(ln)
        elif table:
            break
    assert len(table) >= 2, "the Parameters section has no table"
    header = [c.strip() for c in table[0].strip("|").split("|")]
    assert header[0] == "Name" and "Default" in header, f"unexpected table header {header}"
    assert set(table[1].replace("|", "").strip()) <= set("-: "), "missing separator row"
    rows = [[c.strip() for c in ln.strip("|").split("|")] for ln in table[2:]]
    assert all(len(r) == len(header) for r in rows), "rows with a wrong number of cells"
    return [[r[0], r[header.index("Default")]] for r in rows]


def _default_matches(cell: str, default: object) -> bool:
    if isinstance(default, tuple):
        if not default:
            return cell == "empty"
        items = [c.strip() for c in cell.strip("()").split(",")]
        if all(isinstance(v, str) for v in default):
            return items == list(default)
        return len(items) == len(default) and all(
            math.isclose(float(a), float(b)) for a, b in zip(items, default, strict=True))
    return math.isclose(float(cell), float(default))  # type: ignore[arg-type]


def test_every_registered_model_has_a_page_and_every_page_a_model() -> None:
    pages = {p.stem for p in DOCS.glob("*.md")} - NOT_MODEL_PAGES
    assert sorted(pages - set(MODELS)) == [], "pages without a registered model"
    for name in MODELS:
        assert (DOCS / f"{name}.md").is_file(), f"no page for {name}"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_parameter_table_matches_the_code(name: str) -> None:
    model: Model = MODELS[name]
    rows = parameter_rows(page(name))
    names = [re.fullmatch(r"`([^`]+)`", r[0]) for r in rows]
    assert all(names), f"parameter names must be in backticks: {[r[0] for r in rows]}"
    listed = [m.group(1) for m in names if m]
    assert listed == [s.name for s in model.params]
    for (_, cell), spec in zip(rows, model.params, strict=True):
        assert _default_matches(cell, spec.default), (
            f"{name}: {spec.name} default {cell!r} in the page, {spec.default!r} in the code")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_page_structure(name: str) -> None:
    text = page(name)
    assert text.startswith("# "), "a page starts with its title"
    positions = [text.find(f"\n## {h}\n") for h in SECTIONS]
    assert all(p > 0 for p in positions), (
        f"missing sections: {[h for h, p in zip(SECTIONS, positions, strict=True) if p < 0]}")
    assert positions == sorted(positions), "sections out of order"
    assert f"Registry name: `{name}`" in text
    see_also = [ln for ln in text.splitlines() if ln.startswith("See also:")]
    assert see_also, "no 'See also' line"
    assert text.rstrip().splitlines()[-1].endswith(")."), "the 'See also' line ends the page"
    # Every regime the code can report is named and explained on the page.
    equilibrium = section(text, "Equilibrium") + section(text, "Closed form")
    for regime in MODELS[name].regimes:
        assert f"`{regime}`" in equilibrium, f"regime {regime!r} is not explained"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_links_between_pages_resolve(name: str) -> None:
    for target in re.findall(r"\]\(([^)#]+\.md)\)", page(name)):
        assert (DOCS / target).is_file(), f"{name}: broken link to {target}"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_general_description_uses_neutral_roles(name: str) -> None:
    """Actor names appear only in the reading of the 2022 crisis."""
    text = page(name)
    start = text.index("\n## A reading of February 2022\n")
    general = text[:start]
    for word in ("Russia", "Moscow", "Kremlin", "NATO", "Ukraine", "the West"):
        assert word not in general, f"{name}: {word!r} outside the 2022 reading"


def _prose_words(text: str) -> list[str]:
    """Lower-case words of the prose: code, formulas, tables and references removed."""
    text = text.split("\n## References\n")[0]
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = "\n".join(ln for ln in text.splitlines()
                     if not ln.lstrip().startswith("|") and not ln.startswith("    "))
    return re.findall(r"[a-z']+", text.lower())


def _shingles(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_shingles_find_a_copied_sentence() -> None:
    sentence = ("the proposer takes the far end of the range and the responder accepts "
                "when indifferent between the deal and war")
    copied = f"Intro text. {sentence.capitalize()}. More of our own text follows here."
    shared = _shingles(_prose_words(copied), 10) & _shingles(_prose_words(sentence), 10)
    assert shared
    assert not _shingles(_prose_words("`formula` | a | table |"), 1)


@pytest.mark.skipif(not SPEC.is_file(), reason=f"specification not found at {SPEC}")
@pytest.mark.parametrize("name", sorted(MODELS))
def test_pages_are_not_copied_from_the_specification(name: str) -> None:
    spec = _shingles(_prose_words(SPEC.read_text(encoding="utf-8")), 10)
    shared = _shingles(_prose_words(page(name)), 10) & spec
    assert not shared, f"{name}: prose copied from the specification: {sorted(shared)[:3]}"


def test_no_file_cites_the_external_specification() -> None:
    citing = sorted(
        str(path.relative_to(ROOT))
        for tree in SELF_CONTAINED
        for path in tree.rglob("*")
        if path.suffix in {".md", ".py"} and re.search(
            r"(?<![\w/])models\.md", path.read_text(encoding="utf-8"))
    )
    assert citing == []


#: Numbers each page quotes in its worked example: (model, parameters, quantity, as quoted).
#: A quantity is ``p_war``, ``payoff:<player>`` or a key of ``details``.
WORKED_EXAMPLES: tuple[tuple[str, dict[str, object], str, str], ...] = (
    ("bargaining_while_fighting", {}, "mu_hat", "0.600"),
    ("bargaining_while_fighting", {}, "expected_duration", "3.483"),
    ("bargaining_while_fighting", {}, "p_war", "0.176"),
    ("brinkmanship_window", {}, "r_star", "0.25"),
    ("brinkmanship_window", {}, "p_war", "0.075"),
    ("brinkmanship_window", {}, "pi_hard_critical", "0.667"),
    ("chicken_2x2", {}, "firm_A", "0.143"),
    ("chicken_2x2", {}, "p_war", "0.048"),
    ("chicken_2x2", {"d_B": -1, "equilibrium": 3}, "p_war", "0.111"),
    ("commitment_guarantee_extension", {}, "kappa_critical", "0.50"),
    ("commitment_guarantee_extension", {"kappa": 0.3}, "best_peace_D", "0.496"),
    ("commitment_shifting_power", {}, "p1_critical_best_case", "0.45"),
    ("commitment_shifting_power", {}, "delta_critical_best_case", "0.692"),
    ("escalation_ladder_complete", {}, "p_war", "0.10"),
    ("escalation_ladder_complete", {}, "payoff:Target", "-0.40"),
    ("escalation_ladder_incomplete", {}, "p_war", "0.149"),
    ("escalation_ladder_incomplete", {}, "esc_prob.A3", "0.269"),
    ("extended_deterrence", {}, "kappa_K", "0.375"),
    ("extended_deterrence", {}, "credibility_margin", "0.16"),
    ("fearon_bargaining_range", {}, "upper", "0.75"),
    ("fearon_bargaining_range", {"r_A": 0.5, "r_B": 0.5}, "upper", "0.9375"),
    ("fearon_tioli_private_costs", {}, "x_star", "0.725"),
    ("fearon_tioli_private_costs", {}, "payoff:Challenger", "0.669"),
    ("iig_complete_info", {}, "payoff:Side A", "0.65"),
    ("iig_complete_info", {"f": 0.3, "h": 0, "p": 0.35}, "payoff:Side B", "0.25"),
    ("iig_incomplete_info", {}, "payoff:Side A", "0.1875"),
    ("iig_incomplete_info", {}, "payoff:Side B", "0.5375"),
    ("iig_incomplete_info", {}, "fear_threshold_a_hawk", "0.43"),
    ("logit_aqre_extensive_form", {}, "p_war", "0.381"),
    ("logit_aqre_extensive_form", {"normalise": 1}, "p_war", "0.366"),
    ("logit_qre_normal_form", {}, "firm_A", "0.924"),
    ("logit_qre_normal_form", {"lam": 0.5}, "p_war", "0.174"),
    ("mobilisation_signalling", {}, "m_sep", "0.375"),
    ("mobilisation_signalling", {}, "m_max", "0.875"),
    ("mobilisation_signalling_continuous", {}, "v_star", "0.4"),
    ("mobilisation_signalling_continuous", {}, "payoff:Challenger", "0.18"),
    ("nash_bargaining", {}, "x1", "0.625"),
    ("nash_bargaining", {"r_A": 0.5}, "x1", "0.481"),
    ("reassurance_game", {}, "t_star", "0.5"),
    ("reassurance_game", {}, "p_war", "0.60"),
    ("rubinstein", {}, "x_A", "0.779"),
    ("rubinstein", {}, "continuous_time_limit_x1", "0.760"),
    ("rubinstein_outside_option", {}, "x1", "0.75"),
    ("rubinstein_outside_option", {"p": 0.9, "c_A": 0.05}, "x1", "0.8725"),
    ("sanctions_complete_info", {}, "credibility_margin", "-0.30"),
    ("sanctions_complete_info", {"k_S": 0.1}, "payoff:Target", "-0.6"),
    ("sanctions_incomplete_info", {}, "p_war", "0.417"),
    ("sanctions_incomplete_info", {}, "mu_star", "0.75"),
    ("sanctions_severity_window", {}, "window_margin", "-0.10"),
    ("sanctions_severity_window", {"K_S": 0.5}, "s_credible_max", "0.632"),
    ("spatial_weighted_median_bdm", {}, "weighted_median", "10"),
    ("spatial_weighted_median_bdm", {}, "weighted_mean", "36.3"),
    ("threat_game_complete_info", {}, "x_star", "0.75"),
    ("threat_game_complete_info", {}, "challenge_margin", "0.30"),
    ("threat_game_incomplete_info", {}, "p_war", "0.50"),
    ("threat_game_incomplete_info", {"x": 0.7}, "rho_star", "0.833"),
)


def _quantity(name: str, params: dict[str, object], quantity: str) -> float:
    out = MODELS[name].solve(params)
    if quantity == "p_war":
        return out.p_war
    if quantity.startswith("payoff:"):
        return out.payoffs[quantity.removeprefix("payoff:")]
    value: object = out.details
    for key in quantity.split("."):
        assert isinstance(value, dict)
        value = value[key]
    assert isinstance(value, int | float)
    return float(value)


def test_every_page_has_a_checked_worked_example() -> None:
    checked = {name for name, *_ in WORKED_EXAMPLES}
    assert checked == set(MODELS)
    assert all(sum(n == name for n, *_ in WORKED_EXAMPLES) >= 2 for name in MODELS)


@pytest.mark.parametrize(("name", "params", "quantity", "quoted"), WORKED_EXAMPLES,
                         ids=[f"{n}-{q}-{v}" for n, _, q, v in WORKED_EXAMPLES])
def test_worked_examples_quote_the_model(name: str, params: dict[str, object],
                                         quantity: str, quoted: str) -> None:
    """The number is on the page, and the model, run now, rounds to it."""
    assert quoted in section(page(name), "Closed form"), f"{quoted} not quoted on the page"
    decimals = len(quoted.split(".")[1]) if "." in quoted else 0
    assert round(_quantity(name, params, quantity), decimals) == pytest.approx(float(quoted))
