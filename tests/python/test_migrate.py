"""uv-migrate end to end with the real uv: preview changes nothing, apply carries the plan out
(seeded lock keeps the old pins), failures and refusals leave every file byte-identical, and a
second run has nothing to do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import FIXTURES, REPO, UV_MK, checksums, copy_repo, make_venv, run
from uvmk.plan import exports as plan_exports
from uvmk.plan import references as plan_references
from uvmk.plan import routes
from uvmk.rewriters import readme as plan_readme
from uvmk.survey.readers import scan
from uvmk.survey.tree import walk
from uvmk.vendor import vendored_bytes

SCRIPT = REPO / "scripts" / "uvmk_migrate.py"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return copy_repo(FIXTURES / "tiny", tmp_path / "tiny")


def locked(root: Path) -> dict[str, str]:
    data = tomlkit.parse((root / "uv.lock").read_text()).unwrap()
    return {p["name"]: p["version"] for p in data["package"] if "version" in p}


def test_preview_changes_nothing_and_lists_every_path(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = checksums(tiny)
    r = run(capsys, "migrate", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert r.code == 0, r.err
    assert checksums(tiny) == before
    for path in (
        "pyproject.toml",
        ".python-version",
        "uv.lock",
        "requirements.txt",
        "requirements-dev.txt",
        "venv/",
        ".gitignore",
        "Makefile",
        "README.md",
    ):
        assert path in r.out, path
    assert "six==1.16.0" not in r.out  # the line-by-line account is --verbose
    r = run(capsys, "migrate", "--root", str(tiny), "--uv-mk", str(UV_MK), "--verbose")
    assert "six==1.16.0" in r.out and "requirements.txt:3" in r.out
    j = run(capsys, "migrate", "--root", str(tiny), "--format", "json", "--uv-mk", str(UV_MK))
    plan = json.loads(j.out)
    actions = {c["path"]: c["action"] for c in plan["changes"]}
    assert actions["venv/"] == "delete-dir"
    assert actions["uv.mk"] == "create"  # the one file vendored, beside the Makefile
    assert plan["seed_pins"] == {"iniconfig": "2.0.0", "six": "1.16.0"}
    assert checksums(tiny) == before


def test_apply_migrates_then_nothing_to_do(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UV_FROZEN", "1")  # ambient: must not make `uv lock` a silent no-op
    outside = tmp_path / "elsewhere-venv"
    make_venv(outside)
    os.symlink(outside, tiny / "oldenv")
    r = run(capsys, "migrate", "--root", str(tiny), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 0, r.err
    # the lock keeps the tested pins (iniconfig 2.0.0 although newer releases exist)
    versions = locked(tiny)
    assert versions["iniconfig"] == "2.0.0" and versions["six"] == "1.16.0"
    assert "kept the pinned versions: iniconfig==2.0.0, six==1.16.0" in r.out
    pyproject = (tiny / "pyproject.toml").read_text()
    assert '"iniconfig>=1.1",  # config parsing' in pyproject  # pyproject's spec and comment kept
    assert "six==1.16.0" in pyproject
    assert "constraint-dependencies" not in pyproject  # the seeds were temporary
    assert "dev-dependencies" not in pyproject
    assert (tiny / ".python-version").read_text() == "3.11\n"  # Makefile's python3.11
    assert not (tiny / "requirements.txt").exists()
    assert not (tiny / "requirements-dev.txt").exists()
    assert not (tiny / "venv").exists() and (tiny / ".venv" / "pyvenv.cfg").is_file()
    assert (tiny / "oldenv").is_symlink() and (outside / "pyvenv.cfg").is_file()
    assert ".venv/" in (tiny / ".gitignore").read_text().splitlines()
    makefile = (tiny / "Makefile").read_text()
    assert "include uv.mk" in makefile and "pip install" not in makefile
    # one file vendored, as `uv-mk init` writes it; no engine code
    assert (tiny / "uv.mk").read_bytes() == vendored_bytes(UV_MK)
    assert not (tiny / "uv-mk").exists() and not (tiny / "scripts").exists()
    assert "uv sync --all-extras --all-groups" in (tiny / "README.md").read_text()
    # second run: nothing to do, nothing touched; the audit is clean
    before = checksums(tiny)
    again = run(capsys, "migrate", "--root", str(tiny), "--apply", "--uv-mk", str(UV_MK))
    assert again.code == 0 and "nothing to do" in again.out
    assert checksums(tiny) == before
    audit = run(capsys, "audit", "--root", str(tiny))
    assert audit.code == 1 and "oldenv/: legacy venv (symlink" in audit.out  # left to the user
    (tiny / "oldenv").unlink()
    audit = run(capsys, "audit", "--root", str(tiny))
    assert audit.code == 0, audit.out
    assert "clean: nothing to fix" in audit.out


def test_lock_failure_restores_every_file(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UV_OFFLINE", "1")  # network down, and no cache to fall back on
    monkeypatch.setenv("UV_NO_CACHE", "1")
    before = checksums(tiny)
    r = run(capsys, "migrate", "--root", str(tiny), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 2
    assert r.err.startswith("uv.mk: error: uv lock") and r.err.count("\n") == 1
    assert checksums(tiny) == before
    assert not (tiny / "uv.lock").exists() and not (tiny / ".python-version").exists()


def test_a_failed_lock_leaves_no_build_leftover(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """uv lock builds a dynamic-version setuptools project's metadata in the source tree
    (src/eggy.egg-info) before it finds the requirements unsatisfiable: a refused apply must
    remove it too, not only restore the files it meant to touch."""
    root = tmp_path / "eggy"
    (root / "src" / "eggy").mkdir(parents=True)
    (root / "src" / "eggy" / "__init__.py").write_text('__version__ = "1.2.3"\n')
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "eggy"\ndynamic = ["version"]\nrequires-python = ">=3.10"\n'
        "dependencies = []\n\n"
        '[tool.setuptools.dynamic]\nversion = {attr = "eggy.__version__"}\n'
    )
    (root / "requirements.txt").write_text("uvmk-no-such-package-zz==1.0\n")
    before = checksums(root)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 2, r.out
    assert "uvmk-no-such-package-zz" in r.err
    assert checksums(root) == before
    assert sorted(p.name for p in (root / "src").iterdir()) == ["eggy"]


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


def test_dirty_git_tree_is_refused_unless_forced(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _git(tiny, "init", "-q")
    (tiny / ".gitignore").write_text("__pycache__/\nvenv/\n.venv/\n")
    _git(tiny, "add", "-A")
    _git(tiny, "commit", "-qm", "legacy")
    with (tiny / "requirements.txt").open("a") as f:
        f.write("idna==3.7\n")
    before = {k: v for k, v in checksums(tiny).items() if not k.startswith(".git/")}
    r = run(capsys, "migrate", "--root", str(tiny), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 2
    assert r.err.startswith("uv.mk: error: uncommitted changes") and "requirements.txt" in r.err
    assert r.err.count("\n") == 1
    after = {k: v for k, v in checksums(tiny).items() if not k.startswith(".git/")}
    assert after == before
    forced = run(
        capsys, "migrate", "--root", str(tiny), "--apply", "--force", "--uv-mk", str(UV_MK)
    )
    assert forced.code == 0, forced.err
    assert "idna==3.7" in (tiny / "pyproject.toml").read_text()


def test_malformed_pyproject_is_refused_byte_identical(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tiny / "pyproject.toml").write_text('[project]\nname = "tiny"\ndependencies = ["a",\n')
    before = checksums(tiny)
    for args in (["audit"], ["migrate"], ["migrate", "--apply"]):
        r = run(capsys, *args, "--root", str(tiny))
        assert r.code == 2
        assert r.err.startswith("uv.mk: error: pyproject.toml") and "(pyproject.toml:" in r.err
        assert r.err.count("\n") == 1
    assert checksums(tiny) == before


def test_keep_requirements(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    req = (tiny / "requirements.txt").read_bytes()
    r = run(
        capsys,
        "migrate",
        "--root",
        str(tiny),
        "--apply",
        "--keep-requirements",
        "--uv-mk",
        str(UV_MK),
    )
    assert r.code == 0, r.err
    assert (tiny / "requirements.txt").read_bytes() == req
    again = run(
        capsys, "migrate", "--root", str(tiny), "--keep-requirements", "--uv-mk", str(UV_MK)
    )
    assert "nothing to do" in again.out


def test_export_requirements_regenerates_from_the_lock(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    r = run(
        capsys,
        "migrate",
        "--root",
        str(tiny),
        "--apply",
        "--export-requirements",
        "--uv-mk",
        str(UV_MK),
    )
    assert r.code == 0, r.err
    text = (tiny / "requirements.txt").read_text()
    assert "autogenerated by uv" in text and "iniconfig==2.0.0" in text
    again = run(
        capsys, "migrate", "--root", str(tiny), "--export-requirements", "--uv-mk", str(UV_MK)
    )
    assert again.code == 0 and "nothing to do" in again.out


def test_pep723_entry_runs_under_uv_run_script(tiny: Path) -> None:
    proc = subprocess.run(
        ["uv", "run", "--quiet", "--script", str(SCRIPT), "audit", "--format", "json"],
        cwd=tiny,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["clean"] is False
    assert {v["path"] for v in data["venvs"]} == {".venv", "venv"}


def test_bad_usage_is_a_one_line_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "migrate", "--keep-requirements", "--export-requirements")
    assert r.code == 2 and r.err.startswith("uv.mk: error:") and r.err.count("\n") == 1


@pytest.mark.parametrize("pyproject", [None, "[tool.black]\nline-length = 100\n"])
def test_repo_without_project_table_gets_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pyproject: str | None
) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "requirements.txt").write_text("six==1.16.0\n")
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    doc = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert doc["project"]["name"] == "plain"
    assert doc["project"]["dependencies"] == ["six==1.16.0"]
    assert doc["project"]["requires-python"].startswith(">=3.")
    if pyproject is not None:
        assert (root / "pyproject.toml").read_text().startswith(pyproject)
    assert locked(root)["six"] == "1.16.0"
    assert "nothing to do" in run(capsys, "migrate", "--root", str(root)).out


def test_poetry_project_is_converted_and_its_lock_seeds_uv_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_repo(FIXTURES.parent / "poetry" / "poetry1-app", tmp_path / "poetry", venvs=())
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    doc = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert doc["project"]["dependencies"][0] == "requests>=2.28,<3.0"
    assert set(doc["tool"]["poetry"]) == {"packages", "include", "exclude", "classifiers"}
    assert locked(root)["attrs"] == "23.2.0"  # poetry.lock's, not the newest 23.x
    assert (root / "poetry.lock").is_file()  # kept: a Dockerfile or CI may read it


def test_poetry_project_uv_cannot_be_told_is_refused_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "poetry"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "p"\nversion = "1.0"\n'
        '[tool.poetry.dependencies]\nsix = "1.15 || 1.17"\n'
    )
    (root / "requirements.txt").write_text("six==1.16.0\n")
    before = checksums(root)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 2 and r.err.startswith("uv.mk: error:") and r.err.count("\n") == 1
    assert "(pyproject.toml:5)" in r.err
    assert checksums(root) == before


def test_requirements_folder_without_pyproject_matches_the_expected_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """requirements/ + Dockerfile evidence + a `$(VENV)/bin/activate` Makefile, no pyproject:
    the result is checked in under reqdir.expected/."""
    root = copy_repo(FIXTURES / "reqdir", tmp_path / "reqdir", venvs=(".venv",))
    preview = run(capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK))
    assert "requirements/base.txt is still read by Dockerfile:2" in preview.out
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 0, r.err
    expected = FIXTURES / "reqdir.expected"
    for name in ("Makefile", "pyproject.toml", ".python-version", ".gitignore"):
        assert (root / name).read_text() == (expected / name).read_text(), name
    # the Dockerfile still reads base.txt: regenerated from the lock, not deleted; apply says
    # what it did, not the plan again
    assert "regenerated requirements/base.txt from uv.lock" in r.out
    assert "still read by Dockerfile:2" not in r.out
    base = (root / "requirements" / "base.txt").read_text()
    assert base.startswith("# This file was autogenerated by uv")
    assert "-o requirements/base.txt" in base and str(root) not in base
    assert sorted(p.name for p in (root / "requirements").iterdir()) == ["base.txt"]
    assert locked(root)["iniconfig"] == "2.0.0"
    assert "nothing to do" in run(capsys, "migrate", "--root", str(root)).out
    assert run(capsys, "audit", "--root", str(root)).code == 0


def test_routes_show_notes_at_a_line_where_a_requirement_was_added(tmp_path: Path) -> None:
    from uvmk.sources.pip import planner as req

    pins = [f"pkg{i}==1.{i}" for i in range(15)]
    (tmp_path / "requirements.txt").write_text("\n".join([*pins, "pkg-resources==0.0.0"]) + "\n")
    rows = routes.routes_of(req.plan_dependencies(tmp_path, None))
    at_1 = {r.status for r in rows if r.source == "requirements.txt:1"}
    # the addition of pkg0 and the notes about the whole file, all at line 1
    assert {"weakened", "freeze-file", "freeze-all-added"} <= at_1
    # "pkg0>=1.0 added to [project.dependencies]" is not repeated as a second row
    # each pin is a row of its own, said weakened (the == of a freeze became a >= bound)
    assert [r.status for r in rows].count("weakened") == 15


def test_requirement_references_find_names_glued_to_r_and_c(tmp_path: Path) -> None:

    (tmp_path / "tox.ini").write_text(
        "[testenv]\ndeps = -rrequirements-dev.txt\n  -cconstraints.txt\n"
        "other = --requirement=requirements-dev.txt\nnot = xrrequirements-dev.txt\n"
    )
    assert plan_references.requirement_references(
        scan(walk(tmp_path)), "requirements-dev.txt", {}
    ) == [
        "tox.ini:2",
        "tox.ini:4",
    ]
    assert plan_references.requirement_references(scan(walk(tmp_path)), "constraints.txt", {}) == [
        "tox.ini:3"
    ]


def test_python_not_installed_here_never_narrows_requires_python(tmp_path: Path) -> None:
    from uvmk import plan as uvmk_plan
    from uvmk.facts import Facts
    from uvmk.survey import snapshot as uvmk_survey

    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n")
    (tmp_path / "Dockerfile").write_text("FROM python:3.10-slim\n")
    (tmp_path / "runtime.txt").write_text("python-3.12.1\n")
    # downloads off: the installed 3.11 is chosen (with downloads on, runtime.txt's 3.12)
    offline = Facts(pythons=("3.11.7",), python_downloads="never")
    plan = uvmk_plan.build_plan(uvmk_survey.survey(tmp_path), uvmk_plan.Options(), offline)
    created = plan.contents["pyproject.toml"].decode()
    assert 'requires-python = ">=3.10"' in created  # the lowest evidence: production's image
    assert plan.contents[".python-version"] == b"3.11\n"  # the development version
    assert any("requires-python >=3.10 from Dockerfile:1" in n for n in plan.notes)

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.9"\ndependencies = []\n'
    )
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(tmp_path), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    assert 'requires-python = ">=3.9"' in plan.contents["pyproject.toml"].decode()


def test_a_requirements_file_a_kept_target_reads_is_regenerated_and_named_at_its_line_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """install (removed) and deploy (kept) both read a requirements file: the preview names the
    kept line as the Makefile numbers it today, and the file is exported, not deleted."""
    root = tmp_path / "r"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "r"\nversion = "0.1.0"\nrequires-python = ">=3.8"\ndependencies = []\n'
    )
    (root / "requirements.txt").write_text("iniconfig==2.0.0\n")
    (root / "requirements-dev.txt").write_text("-r requirements.txt\n")
    (root / "Makefile").write_text(
        "VENV := venv\n\ninstall:\n\t$(VENV)/bin/pip install -r requirements-dev.txt\n\n"
        "deploy:\n\tpip install -r requirements.txt && ./ship.sh\n"
    )
    preview = run(capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK))
    assert "requirements.txt is still read by Makefile:7: regenerated from uv.lock" in preview.out
    assert "requirements-dev.txt is still read" not in preview.out  # only install read it
    assert "`make uv-export` refreshes requirements.txt from uv.lock" in preview.out
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 0, r.err
    assert not (root / "requirements-dev.txt").exists()
    exported = (root / "requirements.txt").read_text()
    assert exported.startswith("# This file was autogenerated by uv")
    assert "iniconfig==2.0.0" in exported and str(root) not in exported
    assert "nothing to do" in run(capsys, "migrate", "--root", str(root)).out


def test_readme_rewrite_replaces_only_the_pip_and_venv_lines() -> None:

    text = (
        "# app\n\n## Setup\n\n```sh\n# make a venv\npython3 -m venv venv\n"
        "source venv/bin/activate\npip install -r requirements.txt\n"
        "cp example.env .env   # fill it in\nflask run\n```\n\n## Usage\n\nrun it\n"
    )
    new, _, details = plan_readme.readme_quickstart(text) or ("", "", ())
    assert "uv sync --all-extras --all-groups\n" in new and "pip install" not in new
    assert new.index("uv sync") < new.index("cp example.env .env   # fill it in\nflask run\n```")
    assert "# make a venv" not in new  # its comment goes with the venv line
    assert "replaced: pip install -r requirements.txt" in details
    assert "kept: flask run" in details and "kept: cp example.env .env   # fill it in" in details
    assert new.endswith("## Usage\n\nrun it\n")


def test_readme_rewrite_handles_indented_blocks_and_windows_fences() -> None:

    indented = (
        "# a\n\n## Getting started\n\n    virtualenv env\n    pip install -r r.txt\n"
        "    python -m a\n"
    )
    new = (plan_readme.readme_quickstart(indented) or ("",))[0]
    assert "    uv sync --all-extras --all-groups\n" in new and "pip install" not in new
    assert new.endswith("    source .venv/bin/activate\n    python -m a\n")
    assert "\n\n    #" not in new.split("## Getting started\n\n", 1)[1]  # one code block
    for lang, comment in (("bat", "REM"), ("powershell", "#"), ("ps1", "#"), ("cmd", "REM")):
        text = (
            f"# w\r\n\r\n## Install\r\n\r\n```{lang}\r\n"
            "py -m venv .venv\r\npip install -r r.txt\r\n```\r\n"
        )
        new, what, _ = plan_readme.readme_quickstart(text) or ("", "", ())
        assert "install.ps1 | iex" in new and ".venv\\Scripts\\activate\r\n" in new
        assert f"{comment} Install dependencies" in new
        assert "install.sh" not in new and "source " not in new and "bin/activate" not in new
        assert new.count("\n") == new.count("\r\n")
        assert "Windows" in what


def test_crlf_files_stay_crlf_and_keep_their_bom(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from uvmk import apply as uvmk_apply

    bom = b"\xef\xbb\xbf"
    assert uvmk_apply.in_original_style((b"a\r\nb\r\n", 0o644), "a\nb\nc\n") == b"a\r\nb\r\nc\r\n"
    assert uvmk_apply.in_original_style((bom + b"# x\n", 0o644), "# x\ny\n") == bom + b"# x\ny\n"
    assert uvmk_apply.in_original_style((b"a\nb\n", 0o644), "a\r\nb\n") == b"a\r\nb\n"
    assert uvmk_apply.in_original_style(None, "a\n") == b"a\n"

    root = tmp_path / "w"
    root.mkdir()
    (root / "pyproject.toml").write_bytes(
        b'[project]\r\nname = "w"\r\nversion = "0.1.0"\r\nrequires-python = ">=3.8"\r\n'
        b"dependencies = []\r\n"
    )
    (root / "requirements.txt").write_bytes(b"iniconfig==2.0.0\r\n")
    (root / "requirements-dev.txt").write_bytes(b"-r requirements.txt\r\npytest\r\n")
    (root / "Makefile").write_bytes(b"install:\r\n\tpip install -r requirements.txt\r\n")
    (root / "README.md").write_bytes(
        bom + b"# w\r\n\r\n## Install\r\n\r\n```sh\r\npip install -r requirements.txt\r\n```\r\n"
    )
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 0, r.err
    for name in ("pyproject.toml", "Makefile", "README.md"):
        data = (root / name).read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n") >= 3, name
    assert (root / "README.md").read_bytes().startswith(bom)
    assert b"[dependency-groups]\r\n" in (root / "pyproject.toml").read_bytes()
    assert "nothing to do" in run(capsys, "migrate", "--root", str(root)).out


def test_exports_are_faithful_to_the_file_they_replace(tmp_path: Path) -> None:
    """Same selection, the project only if it was listed, hashes only if it had them, and never
    when pip could not check them (an editable or local path, or the project, in the file)."""

    class F:
        def __init__(self, path: str, role: str, group: str | None = None) -> None:
            self.path, self.role, self.group, self.includes = path, role, group, ()

    (tmp_path / "requirements.txt").write_text("six==1.16.0 --hash=sha256:abc\n")
    (tmp_path / "dev.txt").write_text("pytest\n")
    (tmp_path / "full.txt").write_text("-r requirements.txt\n-e .\npytest\n")
    runtime, dev = F("requirements.txt", "runtime"), F("dev.txt", "group", "dev")
    full = F("full.txt", "group", "dev")
    files = [runtime, dev, full]
    plain = tomlkit.parse('[project]\nname = "a"\n[dependency-groups]\ndev = ["pytest"]\n')
    tree = walk(tmp_path)
    assert plan_exports._export_args(plain, runtime, tree, files) == [
        "--no-default-groups", "--no-emit-project",
    ]  # fmt: skip
    assert plan_exports._export_args(plain, dev, tree, files) == [
        "--only-group", "dev", "--no-emit-project", "--no-hashes",
    ]  # fmt: skip
    assert plan_exports._export_args(plain, full, tree, files) == [
        "--no-default-groups", "--group", "dev", "--no-hashes",
    ]  # fmt: skip
    local = tomlkit.parse(
        '[project]\nname = "a"\n[tool.uv.sources]\ncore = {path = "libs/core", editable = true}\n'
    )
    assert plan_exports._export_args(local, runtime, tree, files)[-1] == "--no-hashes"  # type: ignore[index]
    packaged = tomlkit.parse('[build-system]\nrequires = ["flit_core"]\n[project]\nname = "a"\n')
    assert "--no-hashes" not in plan_exports._export_args(packaged, runtime, tree, files)  # type: ignore[operator]


def test_audit_check_runs_uv_lock_check_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pre-commit hook runs on every commit: `uv lock --check` (0.1-0.5 s, the network when
    the cache is cold) once, its answer both the plan's and the gate's."""
    root = tmp_path / "app"
    shutil.copytree(REPO / "tests" / "fixtures" / "app", root)
    log = tmp_path / "uv-calls"
    real = shutil.which("uv")
    assert real is not None
    wrapper = tmp_path / "uv-logging"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >>"{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("UV", str(wrapper))
    r = run(capsys, "audit", "--root", str(root), "--check")
    assert r.code == 0, r.out
    calls = log.read_text().splitlines()
    assert [c for c in calls if c.startswith("lock --check")] == ["lock --check"], calls
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text().replace("dependencies = []", 'dependencies = ["six"]')
    )
    log.unlink()
    stale = run(capsys, "audit", "--root", str(root), "--check")
    assert stale.code == 1 and "uv.lock is stale" in stale.out
    assert len([c for c in log.read_text().splitlines() if c.startswith("lock --check")]) == 1


def test_tool_tables_split_around_project_are_seeded_and_migrated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """gfloat: [tool.setuptools] above [project], [tool.black] below it; tomlkit hands [tool]
    back as an out-of-order proxy, and seeding the lock died with an AttributeError."""
    root = tmp_path / "split"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.setuptools]\npackages = ["split"]\n\n'
        '[project]\nname = "split"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n\n'
        "[tool.black]\nline-length = 100\n"
    )
    (root / "requirements.txt").write_text("six==1.16.0\n")
    preview = run(capsys, "migrate", "--root", str(root))
    assert preview.code == 0, preview.err
    applied = run(capsys, "migrate", "--root", str(root), "--apply")
    assert applied.code == 0, applied.err
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert data["project"]["dependencies"] == ["six==1.16.0"]
    assert data["tool"]["black"] == {"line-length": 100}
    assert "constraint-dependencies" not in data["tool"].get("uv", {})


def test_the_preview_says_pins_weakened_without_verbose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A freeze dump whose pins all become `>=` bounds changes what the project asks for: the
    default preview says so (VERBOSE=1 only names each)."""
    pins = [f"pkg{i}==1.{i}" for i in range(3)]
    (tmp_path / "requirements.txt").write_text("\n".join([*pins, "pkg-resources==0.0.0"]) + "\n")
    r = run(capsys, "migrate", "--root", str(tmp_path), "--uv-mk", str(UV_MK))
    assert "3 exact pin(s) become >= bounds in pyproject" in r.out
    assert "requirements.txt (3)" in r.out
    assert "all 3 pins are added as direct dependencies" in r.out


def test_an_unreachable_index_is_named_with_the_line_that_brought_it_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """uv's `Failed to fetch: URL` sits among its causes; the one line keeps it, with the host
    and the requirements line whose --extra-index-url brought it in (`.invalid` never
    resolves)."""
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    root = tmp_path / "corp"
    root.mkdir()
    (root / "requirements.txt").write_text(
        "# the company mirror\n--extra-index-url https://pypi.corp.invalid/simple\nsix==1.16.0\n"
    )
    before = checksums(root)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 2 and r.err.count("\n") == 1, r.err
    assert "cannot fetch https://pypi.corp.invalid/simple/six/" in r.err
    assert "(host pypi.corp.invalid, from requirements.txt:2)" in r.err
    assert checksums(root) == before


def test_a_fetch_failure_names_pyproject_when_no_old_file_brought_the_host() -> None:
    from uvmk.fetch_failure import fetch_line

    stderr = (
        "error: Request failed after 3 retries\n"
        "  cause: Failed to fetch: https://pkgs.corp.invalid/simple/six/\n"
        "  cause: dns error\n"
    )
    pyproject = (
        '[project]\nname = "x"\n\n[[tool.uv.index]]\nurl = "https://pkgs.corp.invalid/simple"\n'
    )
    assert fetch_line(stderr, [], pyproject) == (
        "cannot fetch https://pkgs.corp.invalid/simple/six/ "
        "(host pkgs.corp.invalid, from pyproject.toml:5)"
    )
    assert fetch_line("error: No solution found", [], pyproject) is None


def test_a_project_table_split_around_other_tables_takes_the_requirements(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """[project], then [tool.setuptools.dynamic], then [project.urls]: tomlkit hands the split
    [project] back as a proxy, which the writer took for no table at all and refused ("no
    [project] table", lastmile-ai/aiconfig's python/pyproject.toml)."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "split"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
        'dynamic = ["dependencies"]\n\n[tool.setuptools.dynamic]\n'
        'dependencies = {file = ["requirements.txt"]}\n\n[project.urls]\n'
        'Homepage = "https://example.org"\n'
    )
    (tmp_path / "requirements.txt").write_text("six==1.16.0\n")
    r = run(capsys, "migrate", "--root", str(tmp_path), "--uv-mk", str(UV_MK), "--format", "json")
    assert r.code == 0, r.err
    plan = json.loads(r.out)
    write = next(
        op
        for change in plan["changes"]
        if change["path"] == "pyproject.toml"
        for op in change["operations"]
        if op["do"] == "write"
    )
    assert write["path"] == "pyproject.toml"
    assert "project.dependencies += six==1.16.0  (requirements.txt:1)" in "\n".join(
        d for change in plan["changes"] for d in change["details"]
    )
