"""The reader rewriters (uvmk.rewriters.readers) and the REWRITE knob: the preview lists what
each would change, file:line, one line each (VERBOSE: the diff); only the names REWRITE gives
are written, by apply's atomic writes; an unknown name is one line and exit 2."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from test_migrate_helpers import REPO, UV_MK, checksums, run
from uvmk.rewriters.readers import KNOBS, ReaderContext, UnknownReader, parse_rewrite
from uvmk.rewriters.readers.dependabot import DEPENDABOT

FIXTURE = REPO / "tests" / "fixtures" / "readers" / "ci-matrix"


def committed_copy(tmp_path: Path, src: Path = FIXTURE) -> Path:
    root = tmp_path / src.name
    subprocess.run(["cp", "-r", str(src), str(root)], check=True)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "legacy"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=root,
            check=True,
            capture_output=True,
        )
    return root


def test_rewrite_takes_names_commas_or_spaces_and_all() -> None:
    assert parse_rewrite("ci,tox") == {"ci", "tox"}
    assert parse_rewrite(" bots  pre-commit ") == {"bots", "pre-commit"}
    assert parse_rewrite("all") == set(KNOBS)
    assert parse_rewrite("") == frozenset()


def test_an_unknown_rewrite_name_is_one_line_naming_it_and_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UnknownReader, match="unknown reader 'github'"):
        parse_rewrite("ci,github")
    root = committed_copy(tmp_path)
    before = checksums(root)
    done = run(capsys, "migrate", "--root", str(root), "--rewrite", "ci,github", "--apply")
    assert done.code == 2
    assert done.err.count("\n") == 1
    assert "unknown reader 'github' (known: docker, ci, tox, bots, pre-commit, or all)" in done.err
    assert checksums(root) == before


def test_dependabot_pip_in_the_root_becomes_uv_and_keeps_its_schedule_and_groups() -> None:
    text = (FIXTURE / ".github" / "dependabot.yml").read_text()
    done = DEPENDABOT.rewrite(".github/dependabot.yml", text, ReaderContext())
    assert done.new_text == text.replace('"pip"', '"uv"')
    assert [(f.line, f.rewritten) for f in done.findings] == [(3, True)]


def test_dependabot_pip_of_another_folder_stays_and_is_said() -> None:
    text = (
        "version: 2\nupdates:\n  - package-ecosystem: pip\n    directories:\n      - /docs\n"
        "    schedule:\n      interval: daily\n"
    )
    done = DEPENDABOT.rewrite(".github/dependabot.yml", text, ReaderContext())
    assert done.new_text == text
    assert [(f.line, f.rewritten) for f in done.findings] == [(3, False)]
    assert "/docs" in done.findings[0].message


def test_the_preview_lists_each_reader_change_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy(tmp_path)
    before = checksums(root)
    done = run(capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK))
    assert done.code == 0, done.err
    assert (
        "- [bots] .github/dependabot.yml:3: would rewrite: package-ecosystem pip → uv" in done.out
    )
    assert "REWRITE=ci,tox,... or all rewrites them" in done.out
    assert checksums(root) == before
    verbose = run(capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK), "--verbose")
    assert "--- a/.github/dependabot.yml\n+++ b/.github/dependabot.yml\n" in verbose.out
    assert '-  - package-ecosystem: "pip"\n+  - package-ecosystem: "uv"\n' in verbose.out


def test_rewrite_names_what_the_plan_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy(tmp_path)
    done = run(
        capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK), "--rewrite", "bots",
        "--format", "json",
    )  # fmt: skip
    assert done.code == 0, done.err
    import json

    plan = json.loads(done.out)
    change = next(c for c in plan["changes"] if c["path"] == ".github/dependabot.yml")
    assert change["action"] == "modify"
    assert [op["do"] for op in change["operations"]] == ["write"]
    assert plan["readers"][0]["applied"] is True
    assert plan["options"]["rewrite"] == ["bots"]


def test_every_reader_rewriter_changes_a_file_of_the_fixture() -> None:
    """Each registered reader rewriter reads some file of tests/fixtures/readers/ci-matrix and
    changes it: a new one comes with its fixture file."""
    from uvmk.rewriters.readers import READERS
    from uvmk.survey.tree import walk

    tree = walk(FIXTURE)
    changed = {
        r.name
        for r in READERS
        for rel in tree.files
        if r.reads(rel, tree.kind(rel))
        and r.rewrite(rel, tree.text(rel), _FIXTURE_CONTEXT).new_text != tree.text(rel)
    }
    assert changed == {r.name for r in READERS}
    assert {r.knob for r in READERS} <= set(KNOBS)


# what the plan gives the readers of ci-matrix (a Dockerfile needs a selection and a uv)
_FIXTURE_CONTEXT = ReaderContext(
    selections={"requirements.txt": ("--no-default-groups",)}, uv_version="0.13.9", packaged=True
)
