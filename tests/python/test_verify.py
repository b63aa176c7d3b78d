"""uv-verify: the post-migration checklist, ✓/✗ per check, exit 1 on any ✗."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from test_migrate_helpers import FIXTURES, UV_MK, checksums, copy_repo, run
from uvmk.verify import stale_export


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return copy_repo(FIXTURES / "tiny", tmp_path / "tiny")


def test_legacy_repo_fails_with_reasons(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "verify", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert r.code == 1
    lines = r.out.splitlines()

    def line(name: str) -> str:
        return next(ln for ln in lines if ln.strip()[2:].startswith(name))

    assert line("uv present").lstrip().startswith("✓")
    assert line(".python-version").lstrip().startswith("✗") and "missing" in line(".python-version")
    assert line("uv.lock").lstrip().startswith("✗")
    assert "requirements-dev.txt, requirements.txt" in line("no requirements*.txt")
    assert "venv/" in line("no stray venvs") and line("no stray venvs").lstrip().startswith("✗")
    assert "checks failed" in lines[-1]


def test_migrated_repo_passes_every_check(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --quick: the targets exist (make -n); tiny installs no pytest or ruff, so running them fails
    assert run(capsys, "migrate", "--root", str(tiny), "--apply", "--uv-mk", str(UV_MK)).code == 0
    venv = checksums(tiny / ".venv")
    r = run(capsys, "verify", "--quick", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert r.code == 0, r.out
    for name in (
        "uv present",
        ".python-version",
        "uv.lock",
        "no requirements*.txt",
        "no stray venvs",
        "make targets",
    ):
        assert any(ln.strip().startswith(f"✓ {name}") for ln in r.out.splitlines()), name
    # quick installs nothing: no uv sync, no `uv run` of the console script (k2's full verify,
    # in test_migrate_example, runs both)
    for name in ("uv sync --locked", "tiny --help"):
        line = next(ln for ln in r.out.splitlines() if ln.strip()[2:].startswith(name))
        assert line.lstrip().startswith("-") and "not run under QUICK=1" in line, line
    assert checksums(tiny / ".venv") == venv  # nothing synced into it
    assert r.out.splitlines()[-1] == "6/6 checks passed (2 skipped)"
    assert "\x1b[" not in r.out  # not a terminal: no colour
    # without the host Makefile the targets are looked up in uv.mk itself
    (tiny / "Makefile").unlink()
    (tiny / "uv.mk").unlink()
    r = run(capsys, "verify", "--quick", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert r.code == 0, r.out
    assert f"via -f {UV_MK}" in r.out


def test_kept_requirements_pass_only_when_asked(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run(
            capsys,
            "migrate",
            "--root",
            str(tiny),
            "--apply",
            "--keep-requirements",
            "--uv-mk",
            str(UV_MK),
        ).code
        == 0
    )
    bad = run(capsys, "verify", "--quick", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert bad.code == 1 and "KEEP_REQUIREMENTS=1" in bad.out
    ok = run(
        capsys,
        "verify",
        "--quick",
        "--root",
        str(tiny),
        "--uv-mk",
        str(UV_MK),
        "--keep-requirements",
    )
    assert ok.code == 0, ok.out
    assert "kept by choice" in ok.out


def test_missing_uv_is_a_failed_check(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UV", str(tiny / "no-such-uv"))
    r = run(capsys, "verify", "--quick", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert r.code == 1
    assert any(ln.strip().startswith("✗ uv present") for ln in r.out.splitlines())


def test_python_version_uv_cannot_read_fails(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "migrate", "--root", str(tiny), "--apply", "--uv-mk", str(UV_MK)).code == 0
    (tiny / ".python-version").write_text("tiny-3.11\n")
    r = run(capsys, "verify", "--quick", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert r.code == 1
    # (a pyenv shim of uv fails on this file too: the "uv present" line may name it as well)
    line = next(ln for ln in r.out.splitlines() if ln.strip()[2:].startswith(".python-version"))
    assert line.lstrip().startswith("✗") and "not a version uv understands" in line


def test_a_kept_requirements_in_is_not_a_leftover(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "migrate", "--root", str(tiny), "--apply", "--uv-mk", str(UV_MK)).code == 0
    (tiny / "requirements.in").write_text("six\n")  # pip-compile's source, kept on purpose
    r = run(capsys, "verify", "--quick", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert any(ln.strip().startswith("✓ no requirements*.txt") for ln in r.out.splitlines())


def test_a_uv_export_file_is_stale_once_the_lock_moves(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["iniconfig>=2", "six"]\n'
    )
    uv = shutil.which("uv") or "uv"
    subprocess.run([uv, "lock", "-q"], cwd=tmp_path, check=True)
    subprocess.run(
        [uv, "export", "--frozen", "--no-emit-project", "-q", "-o", "requirements.txt"],
        cwd=tmp_path,
        check=True,
    )
    assert stale_export(tmp_path / "requirements.txt", tmp_path, [uv]) is None
    text = (tmp_path / "pyproject.toml").read_text().replace(', "six"', "")
    (tmp_path / "pyproject.toml").write_text(text)
    subprocess.run([uv, "lock", "-q"], cwd=tmp_path, check=True)
    assert stale_export(tmp_path / "requirements.txt", tmp_path, [uv]) == (
        "differs from what uv.lock exports now"
    )


def test_the_real_run_skips_the_targets_whose_tool_the_repo_never_installed(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "migrate", "--root", str(tiny), "--apply", "--uv-mk", str(UV_MK)).code == 0
    r = run(capsys, "verify", "--root", str(tiny), "--uv-mk", str(UV_MK))
    lines = r.out.splitlines()
    names = [ln.strip()[2:].split("  ")[0] for ln in lines if ln.strip()[:1] in "✓✗-"]
    runs = [n for n in names if n.startswith("make ") and n != "make targets"]
    assert runs == [
        "make install",
        "make dev-install",
        "make test-unit",
        "make lint",
        "make format-check",
    ]
    assert next(ln for ln in lines if "make install" in ln).lstrip().startswith("✓")
    # tiny never installed pytest or ruff: those targets are skipped, saying why, not failed
    at = next(i for i, ln in enumerate(lines) if "make test-unit" in ln)
    assert lines[at].lstrip().startswith("-")
    assert "runs pytest, which the project never installed" in lines[at]
    assert "make uv-add-dev PKG=pytest" in lines[at]
    assert r.code == 0, r.out  # a skip is neither a pass nor a failure
    assert lines[-1].endswith("(3 skipped)")


def _stub_targets(root: Path, test_recipe: str) -> None:
    """A migrated-looking repo (a project with no dependencies, locked, so `uv sync --locked`
    works) whose Makefile's daily targets succeed but test-unit, which runs test_recipe: verify
    runs targets for real only where those gates pass."""
    (root / "pyproject.toml").write_text(
        '[project]\nname = "stub"\nversion = "0"\nrequires-python = ">=3.10"\n'
        "dependencies = []\n\n[tool.uv]\npackage = false\n"
    )
    subprocess.run(["uv", "lock", "--quiet"], cwd=root, check=True)
    targets = ("install", "dev-install", "test", "lint", "format", "format-check", "uv-lock")
    ok = "\n".join(f"{t}:\n\t@true" for t in targets)
    (root / "Makefile").write_text(f"{ok}\ntest-unit:\n\t@{test_recipe}\n")


def test_a_target_that_needs_a_missing_service_is_skipped_not_passed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _stub_targets(
        tmp_path,
        "echo 'psycopg2.OperationalError: could not connect to server: Connection refused'; exit 1",
    )
    r = run(capsys, "verify", "--root", str(tmp_path), "--uv-mk", str(UV_MK))
    line = next(ln for ln in r.out.splitlines() if "make test-unit" in ln)
    assert line.lstrip().startswith("-") and "skipped: needs a service" in line
    assert "Connection refused" in line
    assert "(1 skipped)" in r.out.splitlines()[-1]


def test_a_target_past_its_time_limit_fails_and_is_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _stub_targets(tmp_path, "sleep 30")
    r = run(capsys, "verify", "--timeout", "1", "--root", str(tmp_path), "--uv-mk", str(UV_MK))
    assert r.code == 1
    at = next(i for i, ln in enumerate(r.out.splitlines()) if "make test-unit" in ln)
    assert r.out.splitlines()[at].lstrip().startswith("✗")
    assert "timed out after 1 s" in r.out.splitlines()[at + 1]


def test_a_failing_check_names_the_exception_not_the_traceback_header() -> None:
    from uvmk.verify import _first_error

    out = (
        "Traceback (most recent call last):\n"
        '  File "/x/bin/k2", line 5, in <module>\n'
        "    from k2.cli import main\n"
        "ModuleNotFoundError: No module named 'k2.cli'\n"
    )
    assert _first_error(out) == "ModuleNotFoundError: No module named 'k2.cli'"
    assert _first_error("error: " + "word " * 60).endswith("word …")


def test_verify_checks_what_a_django_black_isort_repo_really_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Django repo tested by `manage.py test`, formatted by black + isort, that never had
    ruff or pytest: the migration sets FORMATTER=black from its dependencies; verify runs
    Django's runner for the tests and skips ruff's lint, saying why, instead of failing
    three targets the repo never had."""
    root = copy_repo(FIXTURES / "django-runner", tmp_path / "django-runner", venvs=("venv",))
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "legacy"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root)
    assert run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK)).code == 0
    assert "FORMATTER := black" in (root / "Makefile").read_text().splitlines()
    r = run(capsys, "verify", "--root", str(root), "--uv-mk", str(UV_MK))
    lines = r.out.splitlines()

    def line(name: str) -> str:
        return next(ln for ln in lines if ln.strip()[2:].startswith(name))

    assert r.code == 0, r.out
    assert line("manage.py test").lstrip().startswith("✓") and "Django's runner" in line(
        "manage.py test"
    )
    assert line("make format-check").lstrip().startswith("✓")  # black --check and isort
    lint = line("make lint")
    assert lint.lstrip().startswith("-") and "runs ruff, which the project never installed" in lint
    assert "make uv-add-dev PKG=ruff" in lint
    assert not any("make test-unit" in ln for ln in lines)
