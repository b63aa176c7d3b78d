"""The repos bench.py times commands in, made before any timing starts."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Real, public package names with versions that exist, for generated requirements files.
POOL = [
    "attrs==23.2.0",
    "certifi==2024.2.2",
    "charset-normalizer==3.3.2",
    "click==8.1.7",
    "idna==3.6",
    "iniconfig==2.0.0",
    "jinja2==3.1.3",
    "markupsafe==2.1.5",
    "packaging==24.0",
    "pluggy==1.4.0",
    "pyyaml==6.0.1",
    "requests==2.31.0",
    "six==1.16.0",
    "urllib3==2.2.1",
    "typing-extensions==4.10.0",
    "python-dateutil==2.9.0",
    "pytz==2024.1",
    "tomli==2.0.1",
    "wheel==0.43.0",
    "itsdangerous==2.1.2",
    "werkzeug==3.0.1",
    "flask==3.0.2",
    "rich==13.7.1",
    "pygments==2.17.2",
    "structlog==24.1.0",
    "httpx==0.27.0",
    "anyio==4.3.0",
    "sniffio==1.3.1",
    "h11==0.14.0",
    "httpcore==1.0.4",
]


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def real_executables(bin_dir: Path) -> Path:
    """A folder with uv and python3 as the real executables, past any version manager's shim
    (a pyenv shim costs ~150 ms a call): what is timed is uv.mk, uv and Python, not the shim."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    uv = subprocess.run(
        ["uv", "run", "--no-project", "--quiet", "sh", "-c", 'printf %s "$UV"'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    python = subprocess.run(
        ["python3", "-c", "import sys; print(sys.executable)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for name, target in (("uv", uv), ("python3", python)):
        if target and os.access(target, os.X_OK):
            (bin_dir / name).unlink(missing_ok=True)
            (bin_dir / name).symlink_to(target)
    return bin_dir


def k2_copy(dest: Path, root: Path, git: bool = False) -> Path:
    """A fresh copy of the bundled legacy repo, committed when git is True (APPLY=1 wants that)."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(root / "examples" / "k2-legacy", dest)
    if git:
        commit_all(dest, "legacy")
    return dest


def commit_all(repo: Path, message: str) -> None:
    run(["git", "init", "-q"], repo)
    run(["git", "add", "-A"], repo)
    who = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    run(["git", *who, "commit", "-qm", message], repo)


@dataclass
class Hosts:
    dir: Path
    with_include: Path
    without: Path


def k2_host_makefiles(dest: Path, root: Path) -> Hosts:
    """K2's own Makefile plus an `all`, once as it is and once including uv.mk (K2's short
    names skipped, so make has nothing to warn about)."""
    repo = k2_copy(dest, root)
    legacy = (repo / "Makefile").read_text() + "\nall: lint type-check test\n"
    skip = (
        "help install dev-install test test-unit test-integration coverage lint lint-fix format"
        " type-check api api-prod check-env clean"
    )
    (repo / "Makefile.without").write_text(legacy)
    (repo / "Makefile.with").write_text(
        f"UVMK_SKIP_TARGETS := {skip}\ninclude {root / 'uv.mk'}\n{legacy}"
    )
    return Hosts(repo, repo / "Makefile.with", repo / "Makefile.without")


def synced_app(dest: Path, root: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(root / "tests" / "fixtures" / "app", dest)
    run(["make", "install"], dest, dict(os.environ, UVMK=str(root / "uv.mk")))
    return dest


def migrated_k2(dest: Path, root: Path, env: dict[str, str]) -> Path:
    """K2 after `uv-migrate APPLY=1` with ROOT's uv.mk, dev-installed once (the cache is warm).
    OVERRIDE_PINS=1: K2's tested pydantic pin is outside pyproject's range, which APPLY refuses
    until a side is picked (the demo picks the same one)."""
    repo = k2_copy(dest, root, git=True)
    run(["make", "-f", str(root / "uv.mk"), "uv-migrate", "APPLY=1", "OVERRIDE_PINS=1"], repo, env)
    run(["make", "dev-install"], repo, env)
    return repo


def generated_repo(dest: Path, files: int) -> Path:
    """A pip repo with FILES requirements files under requirements/, eight pins each, every
    tenth one `-r`-ing the one before it, and a root requirements.txt that reads the first."""
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "requirements").mkdir(parents=True)
    (dest / "pyproject.toml").write_text(
        '[project]\nname = "generated"\nversion = "0.1.0"\n'
        'requires-python = ">=3.10"\ndependencies = []\n'
    )
    (dest / "requirements.txt").write_text("-r requirements/part-000.txt\n")
    for i in range(files):
        lines = [f"# part {i}: generated for the audit benchmark"]
        if i % 10 == 9:
            lines.append(f"-r part-{i - 1:03}.txt")
        lines += [POOL[(i * 3 + j) % len(POOL)] for j in range(8)]
        (dest / "requirements" / f"part-{i:03}.txt").write_text("\n".join(lines) + "\n")
    commit_all(dest, "generated")
    return dest
