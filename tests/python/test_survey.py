"""survey.snapshot: what a legacy repo has (venvs, Python evidence, Makefile hits, findings)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import EXAMPLE, copy_repo, make_venv
from uvmk import plan as uvmk_plan
from uvmk.audit import findings
from uvmk.facts import Facts
from uvmk.plan import merge
from uvmk.plan import python as plan_python
from uvmk.survey import snapshot as uvmk_survey
from uvmk.survey.git_ignored import git_ignored
from uvmk.survey.model import SurveyError
from uvmk.survey.python_evidence import gather_evidence
from uvmk.survey.python_versions import allows, requires_lower_bound, uv_reads_python_request
from uvmk.survey.tree import walk
from uvmk.survey.venvs import find_venvs


@pytest.fixture
def k2(tmp_path: Path) -> Path:
    return copy_repo(EXAMPLE, tmp_path / "k2")


def test_example_survey_matches_the_review(k2: Path) -> None:
    s = uvmk_survey.survey(k2)
    assert [f.path for f in merge.merge_contributions(s).files] == [
        "requirements-dev.txt",
        "requirements.txt",
    ]
    venvs = {v.path: v for v in s.venvs}
    assert set(venvs) == {".venv", "venv"}
    assert venvs[".venv"].is_target and not venvs["venv"].is_target
    assert venvs["venv"].python and venvs["venv"].python.startswith("3.")
    assert venvs["venv"].size > 0
    assert venvs["venv"].used_by == ()  # `-m venv` is not a use of venv/
    assert venvs[".venv"].used_by == ("Makefile:7",)  # VENV := .venv
    assert [(e.source, e.version, e.where) for e in s.evidence] == [
        ("Makefile", "3.13", "Makefile:6"),
        ("requires-python", "3.11", "pyproject.toml (>=3.11)"),
    ]
    kinds = {(h.where, h.kind) for h in s.makefile_hits}
    assert ("Makefile:6", "interpreter") in kinds
    assert ("Makefile:24", "pip") in kinds
    assert ("Makefile:70", "venv") in kinds
    assert not s.has_lock and s.python_version_file is None
    codes = {f.code for f in findings(s, merge.merge_contributions(s)) if f.severity == "fix"}
    assert {
        "requirements-file",
        "conflict",
        "drift-only-requirements",
        "stray-venv",
        "no-lock",
        "no-python-version",
        "makefile-interpreter",
        "makefile-pip",
    } <= codes
    assert s.scripts == ["k2", "k2-api"]


def test_malformed_pyproject_is_refused_with_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["a",\n')
    with pytest.raises(SurveyError) as exc:
        uvmk_survey.survey(tmp_path)
    assert "pyproject.toml:" in str(exc.value)
    assert "\n" not in str(exc.value)


def test_venv_symlinks_are_reported_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside-venv"
    make_venv(outside)
    repo = tmp_path / "repo"
    repo.mkdir()
    os.symlink(outside, repo / "venv")
    make_venv(repo / "tools" / "env")
    found = {p.relative_to(repo).as_posix(): link for p, link in find_venvs(walk(repo))}
    assert found == {"venv": True, "tools/env": False}


def test_python_evidence_sources(tmp_path: Path) -> None:
    (tmp_path / "runtime.txt").write_text("python-3.12.4\n")
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim AS base\n")
    (tmp_path / "tox.ini").write_text("[tox]\nenvlist = py311, py312\n")
    wf = tmp_path / ".github" / "workflows"
    wf.mkdir(parents=True)
    (wf / "ci.yml").write_text('      python-version: ["3.11", "3.12"]\n')
    ev = gather_evidence(walk(tmp_path), None, ">=3.10")
    got = sorted((e.source, e.version, e.where) for e in ev)
    assert ("runtime.txt", "3.12", "runtime.txt:1") in got
    assert ("Dockerfile", "3.12", "Dockerfile:1") in got
    assert ("tox.ini", "3.11", "tox.ini:2") in got
    assert ("CI", "3.12", ".github/workflows/ci.yml:1") in got
    assert ("requires-python", "3.10", "pyproject.toml (>=3.10)") in got


@pytest.mark.parametrize(
    "rel", ["infra/dockerfile.base", "container/builder.dockerfile", "Containerfile"]
)
def test_python_evidence_reads_every_dockerfile_the_reader_scan_recognises(
    tmp_path: Path, rel: str
) -> None:
    """One classifier: a Dockerfile the reader scan reads (readers.is_dockerfile) is one the
    Python evidence reads too; `infra/dockerfile.base` was a reader and no evidence."""
    from uvmk.survey.readers import kind_of

    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / rel).write_text("FROM python:3.12-slim\nARG PYTHON_VERSION=3.12\n")
    assert kind_of(rel) == "dockerfile"
    got = {(e.source, e.version, e.where) for e in gather_evidence(walk(tmp_path), None, None)}
    assert ("Dockerfile", "3.12", f"{rel}:1") in got or ("Dockerfile", "3.12", f"{rel}:2") in got


def test_python_choice_falls_back_to_installed_and_says_so(k2: Path) -> None:
    s = uvmk_survey.survey(k2)
    choice = plan_python.choose_python(s, ["3.11.7", "3.11.2"], downloads="never")
    assert choice.version == "3.11" and choice.write
    assert any("3.13" in n and "not installed" in n and "never" in n for n in choice.notes)
    # uv may download: the Makefile's 3.13 is pinned, and the plan says uv will fetch it
    fetched = plan_python.choose_python(s, ["3.11.7"], downloads="automatic")
    assert fetched.version == "3.13" and any("uv downloads it" in n for n in fetched.notes)
    # when 3.13 is installed, the Makefile's evidence wins
    assert plan_python.choose_python(s, ["3.13.1", "3.11.7"]).version == "3.13"
    # an explicit --python wins over everything
    assert plan_python.choose_python(s, [], forced="3.12").version == "3.12"


def test_python_outside_requires_python_is_ignored(k2: Path) -> None:
    (k2 / "runtime.txt").write_text("python-3.9.18\n")
    s = uvmk_survey.survey(k2)
    choice = plan_python.choose_python(s, ["3.13.0", "3.11.7"])
    assert choice.version == "3.13"
    assert any("3.9" in n and "outside requires-python" in n for n in choice.notes)


def test_existing_python_version_is_kept(k2: Path) -> None:
    (k2 / ".python-version").write_text("3.12\n")
    s = uvmk_survey.survey(k2)
    choice = plan_python.choose_python(s, ["3.11.7"])
    assert choice.version == "3.12" and not choice.write
    assert any("not installed" in n and "uv downloads it" in n for n in choice.notes)


def test_allows_checks_the_whole_minor_series() -> None:
    assert allows(">=3.11.4", "3.11")
    assert not allows("<3.11", "3.11")
    assert allows("==3.12.*", "3.12")
    assert requires_lower_bound(">=3.9,<4") == "3.9"


def test_a_pyenv_virtualenv_name_in_python_version_is_rewritten(k2: Path) -> None:
    (k2 / ".python-version").write_text("k2-3.11\n")
    s = uvmk_survey.survey(k2)
    found = findings(s, merge.merge_contributions(s))
    assert any(f.code == "python-version-unreadable" for f in found)
    choice = plan_python.choose_python(s, ["3.11.7"])
    assert choice.version == "3.11" and choice.write
    assert any("'k2-3.11'" in n and "rewritten as 3.11" in n for n in choice.notes)


@pytest.mark.parametrize(
    ("request_text", "readable"),
    [
        ("3.11", True),
        ("3.11.7", True),
        ("cpython@3.12", True),
        ("pypy3.10", True),
        ("3.13t", True),
        (">=3.11,<3.13", True),
        ("/opt/python/bin/python3", True),
        ("weatherbot-3.11", False),
        ("system", False),
        ("miniconda3-4.7.12", False),
    ],
)
def test_uv_reads_python_request(request_text: str, readable: bool) -> None:
    assert uv_reads_python_request(request_text) is readable


def test_a_git_ignored_requirements_file_is_left_alone_and_reported(k2: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=k2, check=True)
    (k2 / ".gitignore").write_text("requirements-local.txt\n")
    (k2 / "requirements-local.txt").write_text("ipdb==0.13.13\n")
    s = uvmk_survey.survey(k2)
    dep = merge.merge_contributions(s)
    assert "requirements-local.txt" not in [f.path for f in dep.files]
    assert not any("ipdb" in a.requirement for a in dep.additions)
    note = next(n for n in dep.notes if n.code == "git-ignored")
    assert str(note.where) == "requirements-local.txt:1" and "left alone" in note.message
    plan = uvmk_plan.build_plan(s, uvmk_plan.Options(), Facts(pythons=("3.11.7",)))
    assert "requirements-local.txt" not in [c.path for c in plan.changes]
    assert any(r.status == "git-ignored" for r in plan.routes)


def test_git_ignored_outside_a_work_tree_is_nothing(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("six\n")
    assert git_ignored(tmp_path, [tmp_path / "requirements.txt"]) == []


SETUP_CFG = """[metadata]
name = pollsite
version = 1.4.2

[options]
python_requires = >=3.9
install_requires =
    Django>=4.2,<5.0
    sqlparse  # SQL formatting

[options.extras_require]
postgres =
    psycopg2-binary>=2.9

[options.entry_points]
console_scripts =
    pollsite-admin = pollsite.cli:main

[flake8]
max-line-length = 100
"""


def test_setup_cfg_metadata_becomes_the_project_table(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("from setuptools import setup\n\nsetup()\n")
    (tmp_path / "setup.cfg").write_text(SETUP_CFG)
    (tmp_path / "requirements.txt").write_text("Django==4.2.16\nwhitenoise==6.7.0\n-e .\n")
    s = uvmk_survey.survey(tmp_path)
    assert s.project_name == "pollsite" and s.requires_python == ">=3.9"
    plan = uvmk_plan.build_plan(s, uvmk_plan.Options(), Facts(pythons=("3.11.7",)))
    data = tomlkit.parse(plan.contents["pyproject.toml"].decode()).unwrap()["project"]
    assert data["name"] == "pollsite" and data["version"] == "1.4.2"
    assert data["requires-python"] == ">=3.9"
    assert data["dependencies"] == ["Django>=4.2,<5.0", "sqlparse", "whitenoise==6.7.0"]
    assert data["optional-dependencies"] == {"postgres": ["psycopg2-binary>=2.9"]}
    assert any(r.status == "setup-py-project" for r in plan.routes)
    assert data["scripts"] == {"pollsite-admin": "pollsite.cli:main"}
    built = tomlkit.parse(plan.contents["pyproject.toml"].decode()).unwrap()
    assert built["build-system"]["build-backend"] == "setuptools.build_meta"


@pytest.mark.parametrize(
    ("setup_py", "setup_cfg", "where"),
    [
        ("from setuptools import setup\nsetup()\n", None, "setup.py:2"),
        (None, SETUP_CFG.replace("= pollsite", "= attr: pollsite.NAME", 1), "setup.cfg:2"),
        (None, SETUP_CFG.replace("[metadata]", "[metadata\n"), "setup.cfg:1"),
    ],
)
def test_setup_project_that_cannot_be_read_faithfully_is_refused(
    tmp_path: Path, setup_py: str | None, setup_cfg: str | None, where: str
) -> None:
    if setup_py is not None:
        (tmp_path / "setup.py").write_text(setup_py)
    if setup_cfg is not None:
        (tmp_path / "setup.cfg").write_text(setup_cfg)
    refused = uvmk_survey.survey(tmp_path).refused  # listed by the audit, refused by migrate
    assert len(refused) == 1
    message = refused[0]
    assert "name" in message or "cannot be read" in message
    assert message.endswith(f"({where})") and "\n" not in message


def test_poetry_project_is_surveyed_as_its_converted_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\n\n[tool.poetry]\nname = "p"\nversion = "1"\n'
        '[tool.poetry.dependencies]\npython = "^3.10"\n'
    )
    s = uvmk_survey.survey(tmp_path)
    assert s.refused == []
    assert s.project_name == "p" and s.requires_python == ">=3.10,<4.0"
    assert s.poetry is not None and "[project]" in s.poetry.text


def test_poetry_refusal_names_what_uv_cannot_say_and_its_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\n\n[tool.poetry]\nname = "p"\n'
        '[tool.poetry.dependencies]\npython = "~2.7 || ^3.6"\n'
    )
    refused = uvmk_survey.survey(tmp_path).refused
    assert len(refused) == 1
    assert "python" in refused[0] and "\n" not in refused[0]
    assert refused[0].endswith("(pyproject.toml:7)")


def test_a_requirements_in_next_to_a_uv_exported_txt_is_migrated_already(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["click>=8.1"]\n'
    )
    (tmp_path / "requirements.in").write_text("click>=8.1\n")
    header = "# This file was autogenerated by uv via the following command:\n#    {}\n"
    (tmp_path / "requirements.txt").write_text(
        header.format("uv export --format requirements.txt -o requirements.txt") + "click==8.1.7\n"
    )
    assert merge.merge_contributions(uvmk_survey.survey(tmp_path)).files == []
    # the same first line above `uv pip compile` (or a script running it): compiled output
    for command in ("uv pip compile requirements.in -o requirements.txt", "./bin/lock"):
        (tmp_path / "requirements.txt").write_text(header.format(command) + "click==8.1.7\n")
        files = merge.merge_contributions(uvmk_survey.survey(tmp_path)).files
        assert sorted((f.path, f.kind) for f in files) == [
            ("requirements.in", "compile-input"),
            ("requirements.txt", "compiled"),
        ]
