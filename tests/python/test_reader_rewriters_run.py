"""The rewritten readers, used the way their readers use them: tests/fixtures/readers/ci-matrix
migrated for real with REWRITE=all (uv lock and all), then actionlint on its workflow, each
`run:` step of each job run for real with the environment setup-uv gives it (UV_PYTHON from
python-version, the project environment activated), the GitLab job's script lines run, tox's
environments created with tox-uv (`tox --notest`), the bots' configs validated against their
JSON schemas (Dependabot's in tests/fixtures/schemas/, Renovate's from npm), pre-commit's
config validated by pre-commit. A step that needs a service (the `curl` notify) is the one left
out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from test_ci_templates import lint
from test_migrate_helpers import REPO, UV_MK
from test_reader_rewriters import committed_copy

SCHEMAS = REPO / "tests" / "fixtures" / "schemas"
BIN = Path(sys.executable).parent


def _uv_version() -> str:
    done = subprocess.run(["uv", "--version"], capture_output=True, text=True, check=True)
    return done.stdout.split()[1]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture migrated once for the module, readers and all."""
    root = committed_copy(tmp_path_factory.mktemp("readers"))
    done = _migrate(root, "--apply", "--rewrite", "all")
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def _migrate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The engine in a process of its own (a module-wide fixture has no capsys)."""
    return subprocess.run(
        [sys.executable, "-m", "uvmk", "migrate", "--root", str(root), "--uv-mk", str(UV_MK),
         *args],
        capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "PYTHONPATH": str(REPO / "scripts")},
    )  # fmt: skip


def _ci(root: Path) -> dict[str, Any]:
    """The fixture's GitHub workflow, as read."""
    flow: dict[str, Any] = yaml.safe_load((root / ".github" / "workflows" / "ci.yml").read_text())
    return flow


def _outside_the_venv() -> dict[str, str]:
    """The environment of a shell no virtual environment is activated in."""
    return {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}


def _env(root: Path, python: str | None) -> dict[str, str]:
    """What setup-uv leaves the job's later steps: uv's Python (python-version -> UV_PYTHON)
    and, with activate-environment, the project environment first on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_PYTHON")}
    env["PATH"] = os.pathsep.join([str(root / ".venv" / "bin"), *_pythons(), env["PATH"]])
    env["VIRTUAL_ENV"] = str(root / ".venv")
    env["CI"] = "true"
    if python:
        env["UV_PYTHON"] = python
    return env


def _pythons() -> list[str]:
    """pyenv's interpreters, for uv to find the version a job asks for (no downloads here)."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    return [str(p / "bin") for p in sorted(pyenv.glob("3.*"))] if pyenv.is_dir() else []


def _sh(root: Path, script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-ec", script], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )


def _setup_uv(job: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in job["steps"] if str(s.get("uses", "")).startswith("astral-sh/setup-uv"))


def test_the_rewritten_workflow_passes_actionlint(migrated: Path) -> None:
    done = lint(migrated / ".github" / "workflows" / "ci.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_setup_uv_is_pinned_with_its_cache_on_uv_lock_and_the_matrix_python(migrated: Path) -> None:
    flow = _ci(migrated)
    for name, job in flow["jobs"].items():
        step = _setup_uv(job)
        assert step["uses"] == "astral-sh/setup-uv@v10.0.1", name
        inputs = step["with"]
        assert inputs["version"] == _uv_version()
        assert (inputs["enable-cache"], inputs["cache-dependency-glob"]) == (True, "uv.lock")
        assert not any("setup-python" in str(s.get("uses")) for s in job["steps"])
        assert not any("actions/cache" in str(s.get("uses")) for s in job["steps"])
    test = _setup_uv(flow["jobs"]["test"])
    assert test["with"]["python-version"] == "${{ matrix.python-version }}"
    assert flow["jobs"]["test"]["strategy"]["matrix"]["python-version"] == ["3.10", "3.11", "3.12"]


@pytest.mark.parametrize(
    ("job", "leg"), [("test", "3.10"), ("test", "3.11"), ("test", "3.12"), ("lint", None)]
)
def test_each_rewritten_step_runs_for_real(migrated: Path, job: str, leg: str | None) -> None:
    """Each leg of the matrix: setup-uv's python-version is UV_PYTHON, so the sync makes the
    environment with that Python (pyenv's here, uv downloads none)."""
    flow = _ci(migrated)
    steps = flow["jobs"][job]["steps"]
    python = str(_setup_uv(flow["jobs"][job])["with"].get("python-version", ""))
    python = leg if "matrix" in python else python
    if leg is not None and not any(f"/{leg}." in p for p in _pythons()):
        pytest.skip(f"no Python {leg} here")
    shutil.rmtree(migrated / ".venv", ignore_errors=True)  # a fresh runner
    ran = []
    for step in steps:
        script = step.get("run")
        if script is None or "curl " in script:  # the notify step needs a service
            continue
        done = _sh(migrated, script, _env(migrated, python))
        assert done.returncode == 0, f"{script!r}:\n{done.stdout}{done.stderr}"
        ran.append(script.strip())
    assert ran[0].startswith("uv sync --locked")
    assert all(s.startswith("uv ") for s in ran)
    if job == "test":
        assert ran == ["uv sync --locked", "uv run --no-sync pytest -q tests"]
        made = (migrated / ".venv" / "pyvenv.cfg").read_text()
        assert f"version_info = {leg}." in made or f"version = {leg}." in made, made
    else:
        assert ran == ["uv sync --locked --only-group lint", "uv run --no-sync ruff check ."]


def test_the_gitlab_job_installs_uv_then_syncs_and_runs_its_script(migrated: Path) -> None:
    jobs = yaml.safe_load((migrated / ".gitlab-ci.yml").read_text())
    lines = [*jobs["test"]["before_script"], *jobs["test"]["script"]]
    assert lines[0] == f"pip install uv=={_uv_version()}"  # the image has pip; uv is here
    assert lines[1:] == ["uv sync --locked", "uv run --no-sync pytest -q tests"]
    shutil.rmtree(migrated / ".venv", ignore_errors=True)
    done = _sh(migrated, "\n".join(lines[1:]), _outside_the_venv())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_tox_creates_each_environment_from_the_lock_with_tox_uv(migrated: Path) -> None:
    text = (migrated / "tox.ini").read_text()
    assert "deps" not in text and "requires = tox-uv>=1" in text
    done = subprocess.run(
        [str(BIN / "tox"), "-e", "py311,lint", "--notest", "-vv"],
        cwd=migrated, env=_outside_the_venv(), capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "uv sync --locked" in out and "--group dev" in out and "--only-group lint" in out
    lint_env = migrated / ".tox" / "lint" / "bin"
    assert (lint_env / "ruff").exists() and not (lint_env / "pytest").exists()
    assert (migrated / ".tox" / "py311" / "bin" / "pytest").exists()


def _renovate_schema() -> Path:
    """Renovate's schema as tests/run fetched it from npm (tests/get-renovate-schema.sh: its
    licence keeps it out of the repo). Missing: a skip, a failure under CI=true."""
    found = os.environ.get("UVMK_RENOVATE_SCHEMA")
    if not found:
        fetched = sorted((REPO / ".cache" / "renovate-schema").glob("*/renovate-schema.json"))
        found = str(fetched[-1]) if fetched else None
    if found and Path(found).is_file():
        return Path(found)
    missing = "Renovate's schema not fetched (tests/run fetches it with npm)"
    if os.environ.get("CI"):
        pytest.fail(missing)
    pytest.skip(missing)


def test_the_bots_configs_pass_their_json_schemas(migrated: Path) -> None:
    dependabot = yaml.safe_load((migrated / ".github" / "dependabot.yml").read_text())
    schema = json.loads((SCHEMAS / "dependabot-2.0.json").read_text())
    jsonschema.Draft7Validator(schema).validate(dependabot)
    assert [u["package-ecosystem"] for u in dependabot["updates"]] == ["uv", "github-actions"]
    assert dependabot["updates"][0]["groups"] == {"python-packages": {"patterns": ["*"]}}
    renovate = json.loads((migrated / "renovate.json").read_text())
    schema = json.loads(_renovate_schema().read_text())
    jsonschema.Draft7Validator(schema).validate(renovate)
    # enabledManagers is a list of strings to the schema: each must be a manager it knows
    assert set(renovate["enabledManagers"]) <= set(schema["properties"])
    assert renovate["enabledManagers"] == ["pep621", "github-actions"]


def test_pre_commit_accepts_the_uv_lock_hook_pinned_to_the_repos_uv(migrated: Path) -> None:
    config = migrated / ".pre-commit-config.yaml"
    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", str(config)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    repos = yaml.safe_load(config.read_text())["repos"]
    uv = next(r for r in repos if r["repo"] == "https://github.com/astral-sh/uv-pre-commit")
    assert uv["rev"] == _uv_version()
    assert [h["id"] for h in uv["hooks"]] == ["uv-lock"]


def test_every_requirements_file_is_gone_and_uv_verify_checks_pass(migrated: Path) -> None:
    assert not list(migrated.glob("requirements*.txt"))


def _readers_check(root: Path) -> tuple[bool, str]:
    from uvmk.verify import checks

    found = checks(root, uv="uv", uv_mk=UV_MK, keep_requirements=False, quick=True)
    check = next(c for c in found if c.name == "readers")
    return check.ok, check.reason


def test_uv_verify_passes_the_rewritten_readers(migrated: Path) -> None:
    ok, reason = _readers_check(migrated)
    assert ok, reason
    assert reason.startswith("6 file(s): ")


def test_uv_verify_names_each_reader_left_broken_or_wrongly_pinned(tmp_path: Path) -> None:
    """A hand-made move: requirements-dev.txt deleted while the workflow still installs it,
    `uv sync --frozen` taken for a lock check, a setup-uv older than required-version, and
    Dependabot still on pip once uv.lock is there."""
    root = committed_copy(tmp_path)
    (root / "requirements-dev.txt").unlink()
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.uv]\nrequired-version = ">=0.9"\n')
    flow = root / ".github" / "workflows" / "ci.yml"
    steps = (
        "      - uses: astral-sh/setup-uv@v10.0.1\n        with:\n"
        '          version: "0.5.1"\n      - run: uv sync --frozen\n'
    )
    flow.write_text(
        flow.read_text().replace("      - name: Test\n", steps + "      - name: Test\n")
    )
    ok, reason = _readers_check(root)
    assert not ok
    said = reason.split("; ")
    gone = "installs requirements-dev.txt, which no longer exists (REWRITE=ci,tox)"
    assert f".github/workflows/ci.yml:27: {gone}" in said
    assert f".gitlab-ci.yml:8: {gone}" in said
    assert f"tox.ini:5: {gone.replace('-dev', '-dev')}" in said
    assert (
        ".github/workflows/ci.yml:31: uv 0.5.1 is outside the repo's required-version >=0.9" in said
    )
    assert (
        ".github/workflows/ci.yml:32: --frozen checks nothing about uv.lock: use --locked" in said
    )
    assert not any("Dependabot" in s for s in said)  # no uv.lock yet: pip is still the lock
    (root / "uv.lock").write_text("version = 1\n")
    ok, reason = _readers_check(root)
    pip = ".github/dependabot.yml:3: Dependabot's pip ecosystem never updates uv.lock: use uv"
    assert pip in reason.split("; ")


def test_a_second_run_finds_no_reader_to_rewrite(migrated: Path) -> None:
    done = _migrate(migrated, "--rewrite", "all", "--format", "json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["readers"] == []
    assert not any(c["path"].startswith((".github", ".gitlab", "tox")) for c in plan["changes"])
