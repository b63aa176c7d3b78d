"""The generated docs pages match what their scripts write, so they cannot drift from uv.mk."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


docs_targets = load("docs_targets")
docs_migration = load("docs_migration")


def test_targets_page_is_what_the_script_writes_from_uv_mk() -> None:
    page = (ROOT / "docs" / "targets.md").read_text(encoding="utf-8")
    expected = docs_targets.render((ROOT / "uv.mk").read_text(encoding="utf-8"))
    assert page == expected, "docs/targets.md is stale: run make docs"


def test_targets_page_has_a_section_for_every_target_with_a_help_line() -> None:
    uv_mk = (ROOT / "uv.mk").read_text(encoding="utf-8")
    page = docs_targets.render(uv_mk)
    helped = re.findall(r"^([a-z%-]+):[^#\n]*## ", uv_mk, re.M)
    assert len(helped) > 25
    for target in helped:
        assert f"(`{target}`)" in page or f"### `{target}`" in page, target


def test_targets_page_documents_every_knob_and_its_errors() -> None:
    uv_mk = (ROOT / "uv.mk").read_text(encoding="utf-8")
    page = docs_targets.render(uv_mk)
    table = page.split("## Variables", 1)[1]
    for knob in re.findall(r"^([A-Z_]+) \?=", uv_mk, re.M):
        assert f"`{knob}`" in table, knob
    lint = page.split("### `lint`", 1)[1].split("###", 1)[0]
    assert "make uv-add-dev PKG=<pkg>" in lint
    assert "`SYNC_DEV_FLAGS`" in lint


def test_a_change_to_a_help_line_makes_the_targets_page_stale() -> None:
    uv_mk = (ROOT / "uv.mk").read_text(encoding="utf-8")
    changed = uv_mk.replace("## Lint with ruff\n", "## Lint with ruff, loudly\n")
    assert changed != uv_mk
    assert docs_targets.render(changed) != docs_targets.render(uv_mk)


def test_migration_page_text_and_steps_are_what_the_script_writes() -> None:
    page = (ROOT / "docs" / "migration.md").read_text(encoding="utf-8")
    assert docs_migration.problems(page) == []


def python_uv_finds(request: str) -> str | None:
    done = subprocess.run(
        ["uv", "python", "find", "--system", "--show-version", request],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    return done.stdout.strip() if done.returncode == 0 else None


def test_migration_page_is_what_a_real_migration_prints_today(tmp_path: Path) -> None:
    # The page shows which Python the engine picks for K2 (Makefile says 3.13, requires-python
    # >=3.11): on a machine where uv finds another set of Pythons the right page is another.
    newest = python_uv_finds(">=3.11")
    if python_uv_finds("3.13") or not (newest or "").startswith("3.11."):
        pytest.skip(f"the page was made where uv finds 3.11 and no 3.13; here: {newest}")
    page = (ROOT / "docs" / "migration.md").read_text(encoding="utf-8")
    regenerated = docs_migration.render(docs_migration.migrate(tmp_path))
    assert regenerated == page, "docs/migration.md differs from a migration run now: make docs"


def test_migration_check_catches_an_edited_sentence_and_an_empty_output() -> None:
    page = (ROOT / "docs" / "migration.md").read_text(encoding="utf-8")
    edited = page.replace("touches nothing", "touches a little", 1)
    assert edited != page
    assert docs_migration.problems(edited)
    emptied = re.sub(
        r"(<!-- output: verify -->\n```text\n).*?(```)", r"\1\2", page, count=1, flags=re.S
    )
    assert any("verify" in p for p in docs_migration.problems(emptied))


def test_docs_tools_are_ruff_and_mypy_clean() -> None:
    # tests/run lints scripts/ and tests/python/; the docs tools live outside both.
    for command in (
        [sys.executable, "-m", "ruff", "check", "tools"],
        [sys.executable, "-m", "ruff", "format", "--check", "tools"],
        [sys.executable, "-m", "mypy", "--strict", "tools"],
    ):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_every_relative_link_in_readme_and_docs_points_to_a_file() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_every_faq_entry_says_why_and_gives_the_fix() -> None:
    faq = (ROOT / "docs" / "faq.md").read_text(encoding="utf-8")
    entries = faq.split("\n## ")[1:]
    assert len(entries) >= 7
    for entry in entries:
        title = entry.splitlines()[0]
        assert "**Why.**" in entry and "**Fix.**" in entry, title


def test_every_make_target_the_faq_names_exists_in_uv_mk() -> None:
    faq = (ROOT / "docs" / "faq.md").read_text(encoding="utf-8")
    uv_mk = (ROOT / "uv.mk").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([a-z][a-z-]*):", uv_mk, re.M))
    defined |= {t.removeprefix("uv-") for t in defined}
    named = set(re.findall(r"`make (?:-s )?([a-z][a-z-]*)", faq))
    assert named, "the FAQ names no make target"
    assert named <= defined, named - defined
