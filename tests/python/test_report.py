"""uvmk.report: audit as a terminal table, JSON and a markdown review document."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from test_migrate_helpers import EXAMPLE, copy_repo, run
from uvmk import report as uvmk_report


@pytest.fixture
def k2(tmp_path: Path) -> Path:
    return copy_repo(EXAMPLE, tmp_path / "k2")


def test_audit_json_has_the_review_tables(k2: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "audit", "--root", str(k2), "--format", "json")
    assert r.code == 1
    data = json.loads(r.out)
    assert data["clean"] is False
    drift = {d["name"]: d for d in data["drift"]}
    assert drift["pydantic"]["kind"] == "pin-outside-range"
    assert drift["pydantic"]["requirements_where"] == "requirements.txt:6"
    assert drift["python-dotenv"]["kind"] == "only-requirements"
    assert drift["httpx"]["kind"] == "consistent"
    assert data["missing"] == {
        "uv.lock": True,
        ".python-version": True,
        "tool.uv": True,
        "dependency-groups": True,
    }
    assert {v["path"]: v["is_target"] for v in data["venvs"]} == {".venv": True, "venv": False}
    # the audit looks for no Python: the Makefile's 3.13 is taken at its word (uv-migrate checks
    # whether it is installed and falls back: test_k2_example_end_to_end)
    assert data["plan"]["python"]["version"] == "3.13"
    assert any(c["path"] == "Makefile" for c in data["plan"]["changes"])


def test_audit_markdown_is_a_review_document(k2: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "audit", "--root", str(k2), "--format", "markdown")
    assert r.code == 1
    md = r.out
    for heading in (
        "# Python Environment Review: k2-platform",
        "## Executive Summary",
        "### Environment Files Audit",
        "### Virtual Environment Directories",
        "### Missing Components",
        "## Implementation Plan",
        "## Post-Migration Checklist",
    ):
        assert heading in md, heading
    assert "| `requirements.txt` | 8 | runtime |" in md
    assert "| `venv/` |" in md
    assert "\x1b[" not in md


def test_table_output_has_no_colour_unless_a_terminal(
    k2: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    r = run(capsys, "audit", "--root", str(k2), "--verbose")
    assert "\x1b[" not in r.out
    for section in (
        "Environment files",
        "Drift: pyproject <-> requirements",
        "Virtual environments",
        "Missing components",
        "Python version evidence",
        "Makefile: hard-coded interpreters and pip calls",
        "Findings to fix",
        "Plan (make uv-migrate)",
    ):
        assert section in r.out

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert uvmk_report.use_colour(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not uvmk_report.use_colour(Tty())
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("CI", "true")
    assert not uvmk_report.use_colour(Tty())


def test_table_cuts_long_cells() -> None:
    lines = uvmk_report.table(["a", "b"], [["x" * 100, "y"]], max_width=10)
    assert lines[2] == "  xxxxxxxxx…  y"


def test_route_notes_cut_in_the_table_are_printed_whole_below_it(tmp_path: Path) -> None:
    from uvmk.plan import Route

    long = "credentials of index 'internal' not written: set UV_INDEX_INTERNAL_USERNAME"

    routes = [
        Route(long, "requirements.txt:2", "reported", "index-credentials"),
        Route("requests>=2", "requirements.txt:3", "project.dependencies", "added"),
    ]
    lines = uvmk_report._cut_notes(routes)
    assert lines[-1] == f"    requirements.txt:2  index-credentials: {long}"
    assert len(lines) == 3  # the short row is whole in the table already
    drift = "DRIFT: pin outside pyproject's range, not written"
    routes = [
        Route("pydantic==2.4.2", "requirements.txt:6", "pyproject keeps pydantic>=2.5", drift)
    ]
    assert uvmk_report._cut_notes(routes)[-1] == (
        f"    requirements.txt:6  pydantic==2.4.2 -> pyproject keeps pydantic>=2.5: {drift}"
    )


def test_apply_ends_with_the_pins_that_moved_and_exits_1_when_uv_never_blamed_them(
    k2: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # what apply reports when the seeded lock held no pin (uv blamed more conflicts than the
    # rounds allow): simulated, the real K2 plan with the result such a run gives
    from uvmk import apply as uvmk_apply

    result = uvmk_apply.ApplyResult()
    result.caution("the requirements pins make uv lock fail (error: ...): locked without them")
    result.pins_kept = {"httpx": "0.27.0"}
    result.pins_moved = {"pandas": ("2.2.3", "3.1.1"), "six": ("1.16.0", None)}
    monkeypatch.setattr(uvmk_apply, "apply_plan", lambda plan, force=False: result)
    r = run(capsys, "migrate", "--root", str(k2), "--apply", "--override-pins")
    assert r.code == 1
    lines = r.out.splitlines()
    assert "  ! the requirements pins make uv lock fail (error: ...): locked without them" in lines
    at = lines.index(next(ln for ln in lines if ln.startswith("Warning: 2 pinned package(s)")))
    assert lines[at + 1 : at + 3] == [
        "  ! pandas: 2.2.3 -> 3.1.1 (a major version)",
        "  ! six: 1.16.0 -> no longer locked",
    ]
    assert "1 of them moved without uv blaming their pin" in lines[at + 3]
    r = run(capsys, "migrate", "--root", str(k2), "--apply", "--override-pins", "--format", "json")
    data = json.loads(r.out)
    assert r.code == 1
    assert data["pins_moved_major"] == data["pins_unexplained"] == ["pandas"]
    assert data["warnings"] == result.cautions and data["pins_dropped"] == {}
