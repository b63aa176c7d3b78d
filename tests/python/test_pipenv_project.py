"""The survey's door to Pipenv (sources/pipenv/project.py) and what the plan makes of it: the
Pipfile's Python as evidence, Pipfile.lock's seeds, [scripts] as make targets, Pipfile and
Pipfile.lock deleted after the lock or kept while a line that stays still runs pipenv."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_migrate_helpers import UV_MK, run
from uvmk.rewriters.makefile.scripts import script_targets
from uvmk.sources.notes import seeds_of
from uvmk.sources.pipenv.project import pipenv_project
from uvmk.survey.model import SurveyError
from uvmk.survey.snapshot import survey
from uvmk.survey.tree import walk

PIPFILE = '[packages]\nsix = "*"\n[requires]\npython_full_version = "3.12.4"\n'
LOCK = '{"_meta": {}, "default": {"six": {"version": "==1.16.0"}}, "develop": {}}'


def _repo(root: Path, pipfile: str = PIPFILE, lock: str | None = LOCK) -> Path:
    (root / "Pipfile").write_text(pipfile)
    if lock is not None:
        (root / "Pipfile.lock").write_text(lock)
    return root


def test_the_pipfile_becomes_the_pyproject_the_survey_reads_and_its_python_is_evidence(
    tmp_path: Path,
) -> None:
    s = survey(_repo(tmp_path))
    assert s.pipenv is not None and s.poetry is None
    assert s.pipenv.seeds == {"six": "1.16.0"}
    assert s.pipenv.retired == ("Pipfile", "Pipfile.lock")
    assert s.requires_python == ">=3.12"
    pipfile = [e for e in s.evidence if e.source == "Pipfile"]
    assert [(e.where, e.version) for e in pipfile] == [("Pipfile:4", "3.12")]


def test_an_unreadable_pipfile_lock_and_a_url_with_a_variable_are_one_refusal_line_each(
    tmp_path: Path,
) -> None:
    _repo(tmp_path, lock="{not json")
    with pytest.raises(SurveyError, match=r"^Pipfile.lock: cannot be read .*\(Pipfile.lock:1\)$"):
        pipenv_project(walk(tmp_path), None)
    _repo(
        tmp_path,
        '[[source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\n'
        '[[source]]\nname = "corp"\nurl = "https://${CORP_HOST}/simple"\n[packages]\nsix = "*"\n',
        lock=None,
    )
    with pytest.raises(SurveyError, match=r"uv cannot expand .*\(Pipfile:\d+\)$"):
        pipenv_project(walk(tmp_path), None)


def test_a_pipfile_beside_setup_py_or_poetry_is_refused_not_half_converted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path)
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    r = run(capsys, "migrate", "--root", str(tmp_path), "--apply")
    assert r.code == 2 and "setup.py beside it makes the project" in r.err
    (tmp_path / "setup.py").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.poetry]\nname = "a"\nversion = "1"\n')
    r = run(capsys, "migrate", "--root", str(tmp_path), "--apply")
    assert r.code == 2 and "Pipenv and Poetry (pyproject.toml) both say" in r.err
    assert not (tmp_path / "uv.lock").exists()


def test_both_lock_readers_seed_one_version_and_name_a_package_locked_at_several() -> None:
    seeds, notes = seeds_of({"six": {"1.16.0"}, "attrs": {"23.1.0", "23.2.0"}}, "", "apart")
    assert seeds == {"six": "1.16.0"}
    assert [n.text.split(":")[0] for n in notes] == ["attrs is locked at 23.1.0, 23.2.0 (apart)"]


def test_a_script_becomes_a_target_unless_make_has_that_name_already() -> None:
    done = script_targets(
        "include uv.mk\n\nrun:\n\tpython app.py\n",
        {
            "serve": "gunicorn app:app -b :$PORT",
            "fmt": "pipenv run isort . && pipenv run black .",
            "run": "python app.py",
            "test": "pytest",
            "a b": "x",
        },
        {"test", "install"},
    )
    assert done.added == ["serve", "fmt"]
    assert "\t$(UV) run isort . && $(UV) run black .\n" in done.text
    assert "serve: ## Pipfile [scripts] serve: gunicorn app:app -b :$PORT\n" in done.text
    assert "\t$(UV) run gunicorn app:app -b :$$PORT\n" in done.text
    assert [n.split(":")[0] for n in done.notes] == [
        "Pipfile [scripts] run",
        "Pipfile [scripts] test",
        "Pipfile [scripts] a b",
    ]


def test_without_a_makefile_every_script_is_said_with_its_uv_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, PIPFILE + '[scripts]\nserve = "python -m http.server"\n')
    r = run(capsys, "migrate", "--root", str(tmp_path))
    assert r.code == 0, r.err
    assert "Pipfile [scripts] serve: no Makefile to make it a target of; with uv it is " in r.out
    assert "`uv run python -m http.server` (was `pipenv run serve`)" in r.out


@pytest.mark.parametrize(
    ("makefile", "kept"),
    [
        # a target uv.mk takes over goes, and with it the line that ran pipenv
        ("venv:\n\tpython3 -m venv venv\n\tvenv/bin/pip install pipenv\n", False),
        # a recipe's pipenv run is uv run now (rewriters/old_tools): nothing runs pipenv
        ("deploy:\n\tpipenv run python deploy.py\n", False),
        # no exact uv form: the line is kept as written, and still runs pipenv
        ("deploy:\n\tpipenv install --system --deploy\n", True),
    ],
)
def test_pipfile_goes_after_the_lock_unless_a_kept_line_still_runs_pipenv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], makefile: str, kept: bool
) -> None:
    _repo(tmp_path)
    (tmp_path / "Makefile").write_text(makefile)
    (tmp_path / "README.md").write_text("Install with `pipenv install`.\n")  # docs break nothing
    r = run(capsys, "migrate", "--root", str(tmp_path), "--uv-mk", str(UV_MK), "--verbose")
    assert r.code == 0, r.err
    rows = [line.split()[:2] for line in r.out.splitlines() if "Pipfile" in line]
    action = "keep" if kept else "delete"
    assert [action, "Pipfile"] in rows and [action, "Pipfile.lock"] in rows


def test_a_git_package_pipfile_lock_locked_at_a_commit_is_said_not_seeded(tmp_path: Path) -> None:
    _repo(
        tmp_path,
        '[packages]\nlib = {git = "https://g.example/lib.git", ref = "main"}\n',
        '{"_meta": {}, "default": {"lib": {"git": "https://g.example/lib.git", "ref": "0abc"}}}',
    )
    project = pipenv_project(walk(tmp_path), None)
    assert project is not None and project.seeds == {}
    assert any(
        n.startswith("Pipfile.lock: lib is locked from git https://g.example/lib.git@0abc")
        for n in project.notes
    )


def test_a_dockerfile_running_pipenv_in_exec_form_keeps_the_pipfile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path)
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.12\nCOPY Pipfile* ./\nCMD ["pipenv", "run", "python", "app.py"]\n'
    )
    r = run(capsys, "migrate", "--root", str(tmp_path))
    assert r.code == 0, r.err
    assert "Dockerfile:3 still runs `pipenv run`: with uv it is `uv run`" in r.out
    assert "Pipfile.lock is kept: Dockerfile:3 still runs pipenv" in r.out


def test_a_script_target_stays_beside_the_export_knobs_a_kept_reader_gets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the Dockerfile still reads requirements.txt: it is regenerated, and the Makefile gets
    # EXPORT_FILE set in the include block its one rewrite wrote (plan/exports.py); re-running
    # the rewrite for it, as the plan did, lost the Pipfile [scripts] targets
    _repo(tmp_path, PIPFILE + '[scripts]\nserve = "flask run"\n')
    (tmp_path / "requirements.txt").write_text("six==1.16.0\n")
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nRUN pip install -r requirements.txt\n")
    (tmp_path / "Makefile").write_text("lint:\n\tflake8 .\n")
    r = run(capsys, "migrate", "--root", str(tmp_path), "--uv-mk", str(UV_MK), "--verbose")
    assert r.code == 0, r.err
    assert "export  requirements.txt" in r.out
    assert "set uv.mk knobs: EXPORT_FILE := requirements.txt" in r.out
    assert "add target `serve`: $(UV) run flask run (Pipfile [scripts])" in r.out
