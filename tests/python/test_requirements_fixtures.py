"""One fixture folder per requirements-file shape pip accepts (the folder name says which).

tests/fixtures/requirements/<row>/ holds the requirements files and pyproject.toml of a small
repo, and either
  expected.toml        the pyproject after plan + apply (byte for byte), and
  expected-notes.txt   lines `<note code> <file:line>` (or `-` for no place) the plan must report;
or
  expected-error.txt   the refusal: ` | `-separated parts the one-line message must contain
                       (always the file:line it names).
case.toml (optional) sets plan options, e.g. `override_pins = true`.
Every migrating fixture is also checked for idempotency: planning the result adds nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomlkit
from packaging.utils import canonicalize_name

from uvmk.sources.pip import planner as req
from uvmk.sources.pip.grammar import parse_requirements_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "requirements"
ROWS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
MIGRATING = [r for r in ROWS if (FIXTURES / r / "expected.toml").exists()]
REFUSING = [r for r in ROWS if (FIXTURES / r / "expected-error.txt").exists()]


def _case(root: Path) -> dict[str, Any]:
    case = root / "case.toml"
    return tomlkit.parse(case.read_text()).unwrap() if case.exists() else {}


def _plan(root: Path, text: str) -> req.DependencyPlan:
    return req.plan_dependencies(root, text, override_pins=_case(root).get("override_pins", False))


def _applied(text: str, plan: req.DependencyPlan) -> str:
    doc = tomlkit.parse(text)
    req.apply_dependency_plan(doc, plan)
    return tomlkit.dumps(doc)


def test_every_row_has_an_expectation() -> None:
    assert set(MIGRATING) | set(REFUSING) == set(ROWS)
    assert not set(MIGRATING) & set(REFUSING)


@pytest.mark.parametrize("row", MIGRATING)
def test_row_migrates_to_expected_pyproject(row: str) -> None:
    root = FIXTURES / row
    text = (root / "pyproject.toml").read_text()
    result = _applied(text, _plan(root, text))
    assert result == (root / "expected.toml").read_text()


@pytest.mark.parametrize("row", MIGRATING)
def test_row_reports_expected_notes(row: str) -> None:
    root = FIXTURES / row
    plan = _plan(root, (root / "pyproject.toml").read_text())
    reported = {(n.code, str(n.where) if n.where else "-") for n in [*plan.notes, *plan.conflicts]}
    expected_file = root / "expected-notes.txt"
    expected = [tuple(line.split()) for line in expected_file.read_text().splitlines() if line]
    missing = [e for e in expected if e not in reported]
    assert not missing, f"missing notes {missing}; got {sorted(reported)}"
    assert all("\n" not in n.message for n in plan.notes)


@pytest.mark.parametrize("row", MIGRATING)
def test_row_is_idempotent(row: str) -> None:
    root = FIXTURES / row
    once = (root / "expected.toml").read_text()
    again = _plan(root, once)
    assert not again.additions, again.additions
    assert not again.sources and not again.indexes and not again.tool_uv
    assert not again.rewrites and not again.changes_pyproject
    assert _applied(once, again) == once


@pytest.mark.parametrize("row", MIGRATING)
def test_row_accounts_for_every_requirement_line(row: str) -> None:
    """Never silently dropped: each requirement line is an addition, a drift row, a note, or
    (a transitive pin of a compiled file) a seed pin; each option line is a note."""
    root = FIXTURES / row
    plan = _plan(root, (root / "pyproject.toml").read_text())
    cited = {a.where for a in plan.additions} | {n.where for n in plan.notes}
    cited |= {d.requirements_where for d in plan.drift}
    for reqfile in plan.files:
        parsed = parse_requirements_file(root, root / reqfile.path)
        for line in parsed.requirements:
            seeded = line.name is not None and canonicalize_name(line.name) in plan.seed_pins
            assert line.where in cited or seeded, f"{line.where} `{line.text}` unaccounted"
        for option in parsed.options:  # each option appears once per fixture: each is cited
            assert option.where in cited, f"{option.where} `{option.text}` unaccounted"


@pytest.mark.parametrize("row", REFUSING)
def test_row_is_refused_naming_file_and_line(row: str) -> None:
    root = FIXTURES / row
    text = (root / "pyproject.toml").read_text()
    refused = _plan(root, text).refusal_lines()
    assert refused, "nothing refused"
    message = refused[0]
    assert "\n" not in message
    for part in (root / "expected-error.txt").read_text().strip().split(" | "):
        assert part in message, message
