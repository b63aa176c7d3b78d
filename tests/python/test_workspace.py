"""A monorepo whose project folders use one another becomes one uv workspace: a root listing the
members, one pyproject per member read by the same sources (pip's requirements, setuptools'
setup.py), `{ workspace = true }` sources for the members used, one uv.lock; members that cannot
share a lock are refused, naming which, and nothing changes. Real uv, real make."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, UV_MK, checksums, run
from uvmk.plan.tool_uv import tool_uv

SHAPES = REPO / "tests" / "fixtures" / "workspace"
UV = os.environ.get("UV", "uv")


def committed(shape: str, tmp_path: Path) -> Path:
    root = tmp_path / shape
    subprocess.run(["cp", "-r", str(SHAPES / shape), str(root)], check=True)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "legacy")
    return root


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True
    )


def migrate(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> tuple[int, str, str]:
    r = run(capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK), *extra)
    return r.code, r.out, r.err


def toml(path: Path) -> dict[str, object]:
    doc: dict[str, object] = tomlkit.parse(path.read_text()).unwrap()
    return doc


def uv(root: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [UV, *args], cwd=cwd or root, capture_output=True, text=True, env=_env(), timeout=600
    )


def _env() -> dict[str, str]:
    # CI=true (CI's run) turns on uv.mk's CI mode, whose --locked the make -n assertions
    # below do not expect: tests/bats/ci.bats tells that story
    dropped = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "CI")
    return {k: v for k, v in os.environ.items() if k not in dropped}


def dry_run_installs(root: Path, requirements: Path, cwd: Path, venv: Path) -> set[str]:
    """What `pip install -r requirements` would install (name==version), asked of a fresh venv."""
    if not venv.exists():
        assert uv(root, "venv", "-q", str(venv)).returncode == 0
    done = uv(
        root, "pip", "install", "--dry-run", "-p", str(venv), "-r", str(requirements), cwd=cwd
    )
    assert done.returncode == 0, done.stderr
    return set(re.findall(r"^ \+ ([A-Za-z0-9_.-]+==[^\s]+)", done.stderr, re.M))


def test_linked_services_become_one_workspace_that_locks_syncs_and_tests_each_member(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("linked-services", tmp_path)
    api = root / "services" / "api"
    before = dry_run_installs(root, api / "requirements.txt", api, tmp_path / "before-venv")
    audit = run(capsys, "audit", "--root", str(root), "--uv-mk", str(UV_MK))
    assert audit.code == 1  # findings to fix: the audit plans the workspace too
    assert "project of its own" not in audit.out and "the workspace's root" in audit.out
    code, out, err = migrate(capsys, root)
    assert code == 0, err
    for row in ("services/api/pyproject.toml", "services/worker/pyproject.toml", "uv.lock"):
        assert row in out
    assert "a uv workspace of 3 member(s)" in out
    code, out, err = migrate(capsys, root, "--apply")
    assert code == 0, err
    top = toml(root / "pyproject.toml")
    assert "project" not in top  # a virtual root: nothing of its own to install
    assert top["tool"]["uv"]["workspace"]["members"] == [  # type: ignore[index]
        "libs/common",
        "services/api",
        "services/worker",
    ]
    assert top["dependency-groups"]["dev"] == ["pytest==8.3.3", "ruff==0.6.9"]  # type: ignore[index]
    api_doc = toml(api / "pyproject.toml")
    assert api_doc["project"]["dependencies"] == ["common", "iniconfig==2.0.0"]  # type: ignore[index]
    assert api_doc["tool"]["uv"]["sources"] == {"common": {"workspace": True}}  # type: ignore[index]
    assert api_doc["dependency-groups"]["dev"] == ["pytest==8.3.3"]  # type: ignore[index]
    worker = root / "services" / "worker"
    assert not (worker / "setup.py").exists()  # its metadata is in its pyproject now
    worker_doc = toml(worker / "pyproject.toml")
    assert worker_doc["project"]["dependencies"] == ["common", "packaging==24.1"]  # type: ignore[index]
    assert worker_doc["tool"]["uv"]["sources"]["common"] == {"workspace": True}  # type: ignore[index]
    assert not (api / "uv.lock").exists() and not (worker / "uv.lock").exists()
    assert uv(root, "lock", "--check").returncode == 0
    synced = uv(root, "sync", "--all-packages", "--locked")
    assert synced.returncode == 0, synced.stderr
    # the image's file, regenerated for the api alone, installs what it did before
    exported = (api / "requirements.txt").read_text()
    assert "--package api" in exported
    after = dry_run_installs(root, api / "requirements.txt", root, tmp_path / "after-venv")
    assert "iniconfig==2.0.0" in before and any(p.startswith("idna==") for p in before)
    assert before <= after
    for member in ("api", "worker"):
        tested = make(root, "uv-test", f"PACKAGE={member}")
        assert tested.returncode == 0, tested.stdout + tested.stderr
        assert "1 passed" in tested.stdout
    every = make(root, "uv-test")
    assert every.returncode == 0, every.stdout + every.stderr
    assert "services/api:" in every.stdout and "services/worker:" in every.stdout
    git(root, "add", "-A")
    git(root, "commit", "-qm", "uv")
    code, out, _ = migrate(capsys, root)
    assert code == 0 and "nothing to do" in out  # idempotent
    verified = run(capsys, "verify", "--root", str(root), "--uv-mk", str(UV_MK))
    assert verified.code == 0, verified.out
    assert "every workspace member" in verified.out and "make test" in verified.out


def make(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**_env(), "UV": UV}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_an_exact_pin_two_members_hold_two_ways_is_refused_naming_both_and_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("pins-clash", tmp_path)
    before = checksums(root)
    code, _, err = migrate(capsys, root, "--apply")
    assert code == 2
    line = err.strip()
    assert "\n" not in line and line.startswith("uv.mk: error: ")
    assert "iniconfig==2.0.0 (services/api/requirements.txt:2)" in line
    assert "iniconfig==1.1.1 (services/legacy/requirements.txt:2)" in line
    assert "conflicts" in line and "ROOT=services/legacy" in line
    assert checksums(root) == before


def test_members_only_the_resolver_finds_incompatible_fail_with_its_reason_every_file_restored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("resolver-clash", tmp_path)
    before = checksums(root)
    code, _, err = migrate(capsys, root, "--apply")
    assert code == 2
    assert "uv lock failed for the workspace" in err and "cannot share one uv.lock" in err
    assert "api depends on iniconfig==2.0.0 and common depends on iniconfig<2" in err
    assert checksums(root) == before


def test_python_ranges_that_do_not_meet_are_refused_naming_each_member(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("pins-clash", tmp_path)
    common = root / "libs" / "common" / "pyproject.toml"
    common.write_text(common.read_text().replace(">=3.10", ">=3.12"))
    (root / "services" / "legacy" / "requirements.txt").write_text("-e ../../libs/common\n")
    (root / "services" / "legacy" / "setup.py").write_text(
        'from setuptools import setup\nsetup(name="legacy", version="1.0", '
        'python_requires="<3.11", install_requires=["common"])\n'
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "old")
    before = checksums(root)
    code, _, err = migrate(capsys, root, "--apply")
    assert code == 2
    assert "share no version" in err
    assert "libs/common/ requires-python >=3.12" in err
    assert "services/legacy/ requires-python <3.11" in err
    assert checksums(root) == before


def test_folders_that_use_no_one_stay_refused_unless_workspace_yes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("pins-clash", tmp_path)
    for member in ("api", "legacy"):
        (root / "services" / member / "requirements.txt").write_text("iniconfig==2.0.0\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "unlinked")
    code, _, err = migrate(capsys, root)
    assert code == 2 and "WORKSPACE=1 makes them one uv workspace" in err
    code, out, err = migrate(capsys, root, "--workspace", "yes")
    assert code == 0, err
    assert "a uv workspace of 3 member(s)" in out
    code, _, err = migrate(capsys, root, "--workspace", "yes", "--members", "services/nope")
    assert code == 2 and "MEMBERS names services/nope" in err


def test_members_chooses_the_workspace_and_the_others_are_kept_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("pins-clash", tmp_path)
    code, _, err = migrate(
        capsys, root, "--apply", "--members", "libs/common,services/api", "--format", "json"
    )
    assert code == 0, err
    members = toml(root / "pyproject.toml")["tool"]["uv"]["workspace"]["members"]  # type: ignore[index]
    assert members == ["libs/common", "services/api"]
    assert (root / "services" / "legacy" / "requirements.txt").read_text() == (
        "-e ../../libs/common\niniconfig==1.1.1\n"
    )
    assert not (root / "services" / "legacy" / "pyproject.toml").exists()


def test_uv_mk_in_a_workspace_syncs_every_member_and_package_picks_one(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text(f"WORKSPACE := libs/common services/api\ninclude {UV_MK}\n")
    every = make(tmp_path, "-n", "uv-dev-install")
    assert "sync --all-extras --all-groups --all-packages" in every.stdout
    one = make(tmp_path, "-n", "uv-install", "PACKAGE=api")
    assert "sync --no-default-groups --directory 'services/api'" in one.stdout
    named = make(tmp_path, "-n", "uv-test", "PACKAGE=acme-api")
    assert "run --package 'acme-api'" in named.stdout
    # Jenkins exports its own WORKSPACE: never a member list
    (tmp_path / "Makefile").write_text(f"include {UV_MK}\n")
    env = {**_env(), "WORKSPACE": "/var/lib/jenkins/workspace/job"}
    jenkins = subprocess.run(
        ["make", "-n", "uv-dev-install"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert "--all-packages" not in jenkins.stdout
    assert "--directory" not in jenkins.stdout


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "legacy")
    return root


POETRY_BASE = """[tool.poetry]
name = "mycorp-base"
version = "0.0.1"
description = ""
authors = ["A <a@example.com>"]

[tool.poetry.dependencies]
python = ">=3.10"
iniconfig = "^2.0"

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""


def test_a_poetry_library_reached_by_a_path_line_is_a_member_and_its_template_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the shape of tweag/python-monorepo-example: `-e ../base` names a Poetry project, whose
    # name only [tool.poetry] holds; templates/ holds a cookiecutter template's pyproject
    fancy = POETRY_BASE.replace("mycorp-base", "mycorp-fancy").replace(
        'iniconfig = "^2.0"', 'mycorp-base = "*"'
    )
    root = write(
        tmp_path / "repo",
        {
            "libs/base/pyproject.toml": POETRY_BASE,
            "libs/base/requirements.txt": "iniconfig==2.0.0\n",
            "libs/fancy/pyproject.toml": fancy,
            "libs/fancy/requirements.txt": "-e ../base\n",
            "templates/lib/cookiecutter.json": '{"name": "x"}\n',
            "templates/lib/pyproject.toml": POETRY_BASE.replace("mycorp-base", "template"),
        },
    )
    code, out, err = migrate(capsys, root, "--format", "json")
    assert code == 0, err
    import json

    plan = json.loads(out)
    assert plan["workspace_members"] == ["libs/base", "libs/fancy"]
    assert plan["seed_pins"] == {"iniconfig": "2.0.0"}
    code, _, err = migrate(capsys, root, "--apply")
    assert code == 0, err
    fancy_doc = toml(root / "libs" / "fancy" / "pyproject.toml")
    assert fancy_doc["tool"]["uv"]["sources"] == {"mycorp-base": {"workspace": True}}  # type: ignore[index]
    assert (root / "templates" / "lib" / "pyproject.toml").read_text() == POETRY_BASE.replace(
        "mycorp-base", "template"
    )
    assert uv(root, "lock", "--check").returncode == 0


def test_a_poetry_members_lock_seeds_the_workspace_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the shape of alercebroker/user-microservices: Poetry members with path dependencies and
    # their own poetry.lock
    users = POETRY_BASE.replace("mycorp-base", "users").replace(
        'iniconfig = "^2.0"', 'base = {path = "../libs/base", develop = true}'
    )
    lock = (
        '[[package]]\nname = "iniconfig"\nversion = "2.0.0"\ndescription = ""\noptional = false\n'
        'python-versions = ">=3.7"\nfiles = []\n\n[metadata]\nlock-version = "2.0"\n'
        'python-versions = ">=3.10"\ncontent-hash = "x"\n'
    )
    root = write(
        tmp_path / "repo",
        {
            "libs/base/pyproject.toml": POETRY_BASE.replace("mycorp-base", "base"),
            "libs/base/poetry.lock": lock,
            "users/pyproject.toml": users,
        },
    )
    code, out, err = migrate(capsys, root, "--format", "json")
    assert code == 0, err
    import json

    plan = json.loads(out)
    assert plan["workspace_members"] == ["libs/base", "users"]
    assert plan["seed_pins"] == {"iniconfig": "2.0.0"}


def test_a_named_path_line_and_a_setup_dict_name_link_members(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the shape of ITISFoundation/osparc-simcore: `simcore-models-library @ ../../packages/x`
    # in a service's requirements, and setup(**SETUP) with SETUP = {"name": ...}
    root = write(
        tmp_path / "repo",
        {
            "packages/models/setup.py": (
                "from setuptools import setup\n"
                'SETUP = {"name": "simcore-models", "version": "1.0", '
                '"install_requires": ["iniconfig==2.0.0"], "python_requires": ">=3.10"}\n'
                "setup(**SETUP)\n"
            ),
            "packages/models/simcore_models/__init__.py": "",
            "services/api/requirements.txt": "simcore-models @ ../../packages/models\n",
            "services/api/main.py": "import simcore_models\n",
        },
    )
    code, out, err = migrate(capsys, root)
    assert code == 0, err
    assert "services/api/ uses simcore-models from the workspace" in out


def test_a_pipenv_service_is_a_member_read_by_the_pipenv_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write(
        tmp_path / "repo",
        {
            "libs/common/pyproject.toml": POETRY_BASE.replace("mycorp-base", "common"),
            "services/pipe/Pipfile": (
                '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n'
                '[packages]\ncommon = {path = "../../libs/common", editable = true}\n'
                'iniconfig = "==2.0.0"\n'
            ),
            "services/pipe/pipe/__init__.py": "",
        },
    )
    code, _, err = migrate(capsys, root, "--apply")
    assert code == 0, err
    pipe = toml(root / "services" / "pipe" / "pyproject.toml")
    assert pipe["project"]["dependencies"] == ["common", "iniconfig==2.0.0"]  # type: ignore[index]
    assert pipe["tool"]["uv"]["sources"] == {"common": {"workspace": True}}  # type: ignore[index]
    assert uv(root, "lock", "--check").returncode == 0


def test_a_member_whose_tool_tables_stand_around_project_gets_its_workspace_sources() -> None:
    """[tool.setuptools] above [project], [tool.black] below: tomlkit gives [tool] back as an
    out-of-order proxy, which has no .add (what the workspace writer called, and raised on)."""
    doc = tomlkit.parse(
        '[tool.setuptools]\npackages = ["a"]\n\n[project]\nname = "a"\n\n[tool.black]\n'
    )
    tool_uv(doc)["sources"] = {"b": {"workspace": True}}
    assert tomlkit.parse(tomlkit.dumps(doc))["tool"]["uv"]["sources"] == {"b": {"workspace": True}}
