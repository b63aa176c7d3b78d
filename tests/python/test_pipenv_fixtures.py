"""Pipenv fixtures (each Pipfile.lock written by the real pipenv) migrated by the engine, with the
real uv: what uv installs by default (`uv export`: the dependencies and the dev group) is what
the real `pipenv requirements --dev` of the original says, name for name and version for
version, and the runtime is `pipenv requirements`'s; [scripts] become make targets; Pipfile and
Pipfile.lock go after the lock unless something still runs pipenv; a failed or refused apply
leaves every file as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import tomlkit
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from test_migrate_helpers import checksums, copy_repo, run

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pipenv"
SCENARIOS = sorted(p.name for p in FIXTURES.iterdir() if (p / "Pipfile.lock").is_file())
# the pipenv that wrote the fixtures' locks, run from PyPI as a user would
PIPENV = ("uv", "tool", "run", "--from", "pipenv==2026.10.3", "pipenv")


def _run(*args: str, cwd: Path) -> str:
    env = {**os.environ, "PIPENV_YES": "1", "PIPENV_NOSPIN": "1", "PIPENV_VERBOSITY": "-1"}
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _pins(requirements: str) -> dict[str, tuple[str | None, str]]:
    """name → (version, marker) of each requirement line (None: listed unpinned); options,
    editables and comments left out."""
    out: dict[str, tuple[str | None, str]] = {}
    for line in requirements.splitlines():
        requirement, _, marker = (part.strip() for part in line.partition(";"))
        if not requirement or requirement.startswith(("-", "#")):
            continue
        name, _, version = requirement.partition("==")
        out[canonicalize_name(name.split("[")[0])] = (version.strip() or None, marker)
    return out


def _uv_export(root: Path, *which: str) -> dict[str, str | None]:
    return _pins(
        _run(
            "uv", "export", *which, "--frozen", "--no-hashes", "--no-emit-project",
            "--no-header", "--no-annotate", cwd=root,
        )
    )  # fmt: skip


def _migrated(scenario: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = copy_repo(FIXTURES / scenario, tmp_path / scenario, venvs=())
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    return root


def _same(uv: dict[str, tuple[str | None, str]], pipenv: dict[str, tuple[str | None, str]]) -> None:
    """Pipfile.lock is one platform's resolution (Linux, Python 3.11, where it was locked), uv.lock
    a universal one: the packages uv installs here (its markers true on Python 3.11 on this
    machine) are the ones Pipenv pinned, at Pipenv's versions. What Pipenv left unpinned (its
    markers false where it locked: colorama on win32) is not installed here by either."""
    here = {"python_version": "3.11", "python_full_version": "3.11.0"}
    installed = {n: v for n, (v, m) in uv.items() if not m or Marker(m).evaluate(here)}
    assert installed == {n: v for n, (v, _) in pipenv.items() if v}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_uv_installs_what_pipenv_requirements_dev_lists_and_the_runtime_what_it_lists(
    scenario: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tmp_path / "original"
    shutil.copytree(FIXTURES / scenario, original)
    dev = _pins(_run(*PIPENV, "requirements", "--dev", cwd=original))
    runtime = _pins(_run(*PIPENV, "requirements", cwd=original))
    root = _migrated(scenario, tmp_path, capsys)
    _same(_uv_export(root), dev)
    _same(_uv_export(root, "--no-default-groups"), runtime)


def test_a_pipfile_nothing_else_reads_goes_after_the_lock_and_its_categories_are_groups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _migrated("pipenv-app", tmp_path, capsys)
    assert not (root / "Pipfile").exists() and not (root / "Pipfile.lock").exists()
    doc = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert doc["dependency-groups"] == {"dev": ["pytest>=8.0"], "docs": ["mdurl~=0.1.2"]}
    assert doc["tool"]["uv"]["sources"]["helper"] == {"path": "./libs/helper", "editable": True}
    assert (root / ".python-version").read_text() == "3.11\n"  # Pipfile's [requires]
    assert _uv_export(root, "--only-group", "docs") == {"mdurl": ("0.1.2", "")}


def test_scripts_become_make_targets_and_pipfile_stays_while_docker_runs_pipenv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_repo(FIXTURES / "pipenv-make-docker", tmp_path / "app", venvs=())
    preview = run(capsys, "migrate", "--root", str(root))
    assert "Pipfile [scripts] test: `make test` is the Makefile's" in preview.out
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    assert (root / "Pipfile").is_file() and (root / "Pipfile.lock").is_file()
    assert "kept Pipfile: still read by Dockerfile:5" in r.out
    made = subprocess.run(
        ["make", "--no-print-directory", "-n", "hello"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )  # --no-print-directory: under `make test` (CI's way in) a child make says where it is
    assert made.stdout == "uv run python -m app.cli --name $USER\n"
    said = subprocess.run(
        ["make", "--no-print-directory", "hello"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "USER": "uv"},
    )
    assert said.stdout.endswith("hello, uv\n"), said.stderr


def test_a_lock_that_fails_leaves_the_pipfile_and_every_file_as_they_were(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_repo(FIXTURES / "pipenv-app", tmp_path / "app", venvs=())
    pipfile = root / "Pipfile"
    pipfile.write_text(
        pipfile.read_text().replace('click = "*"', 'uvmk-no-such-package-anywhere = "==1.0"')
    )
    before = checksums(root)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code != 0 and "every file restored" in r.err
    assert checksums(root) == before


def test_what_uv_cannot_be_told_is_one_refusal_naming_the_pipfile_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_repo(FIXTURES / "pipenv-app", tmp_path / "app", venvs=())
    pipfile = root / "Pipfile"
    pipfile.write_text(pipfile.read_text().replace('click = "*"', 'click = "=>8"'))
    before = checksums(root)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 2 and r.err.startswith("uv.mk: error: Pipfile: click:")
    assert r.err.count("\n") == 1 and "(Pipfile:13)" in r.err
    assert checksums(root) == before


def test_a_requirements_file_pipenv_exported_seeds_uv_lock_and_is_not_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pipenv requirements > requirements.txt` (jroberts07/james_roberts' Makefile does it):
    its transitive pins are Pipfile.lock's, not dependencies of the project."""
    root = copy_repo(FIXTURES / "pipenv-make-docker", tmp_path / "app", venvs=())
    (root / "requirements.txt").write_text(_run(*PIPENV, "requirements", cwd=root))
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--verbose")
    assert r.code == 0, r.err
    assert "its export, as `pipenv requirements` writes" in r.out
    doc = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert doc["project"]["dependencies"] == ["requests>=2.31", "click~=8.1", "attrs==23.2.0"]
    assert _uv_export(root)["certifi"] == ("2026.10.19.post1", "")


def test_a_tool_settings_setup_cfg_beside_the_pipfile_is_no_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """nyu-devops/lab-flask-bdd: setup.cfg holds [tool:pytest] and [flake8] alone (no
    [metadata]), so the Pipfile app converts; a kept recipe's bare `honcho start` runs from
    uv's environment, as it ran from Pipenv's."""
    root = copy_repo(FIXTURES / "pipenv-make-docker", tmp_path / "app", venvs=())
    (root / "setup.cfg").write_text(
        "[tool:pytest]\naddopts = -q\n\n[flake8]\nmax-line-length = 127\n"
    )
    pipfile = root / "Pipfile"  # a dev tool uv.mk has never heard of (Pipfile.lock lacks it)
    pipfile.write_text(pipfile.read_text().replace('pytest = "*"', 'pytest = "*"\nhoncho = "*"'))
    makefile = root / "Makefile"
    makefile.write_text(makefile.read_text() + "\nserve:\n\thoncho start\n")
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    assert (root / "setup.cfg").read_text().startswith("[tool:pytest]")
    assert "serve:\n\t$(UV) run --all-extras --all-groups honcho start\n" in makefile.read_text()


def test_a_second_run_over_a_pipfile_kept_for_its_readers_finds_nothing_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """nyu-devops/lab-flask-bdd: the Dockerfile still runs pipenv, so the Pipfile stays; the
    second run refused 'pyproject.toml has a [project] already: merge it by hand' (exit 2),
    its own conversion taken for a project of the user's."""
    root = copy_repo(FIXTURES / "pipenv-make-docker", tmp_path / "app", venvs=())
    assert run(capsys, "migrate", "--root", str(root), "--apply").code == 0
    assert (root / "Pipfile").is_file()
    again = run(capsys, "migrate", "--root", str(root))
    assert again.code == 0 and "nothing to do" in again.out, again.err
