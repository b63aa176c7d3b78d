"""Shared helpers for the migration-engine tests (no tests here): fixture copies, checksums and
an in-process runner for scripts/uvmk_migrate.py."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from uvmk import cli as uvmk_migrate

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "legacy"
EXAMPLE = REPO / "examples" / "k2-legacy"
UV_MK = REPO / "uv.mk"


def make_venv(path: Path) -> None:
    """A real (tiny) virtual environment: pyvenv.cfg + bin/python, no pip."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)


def copy_repo(src: Path, dest: Path, *, venvs: tuple[str, ...] = ("venv", ".venv")) -> Path:
    shutil.copytree(
        src,
        dest,
        ignore=shutil.ignore_patterns("__pycache__", ".venv", "venv", "uv.lock", "*.egg-info"),
    )
    for name in venvs:
        make_venv(dest / name)
    return dest


def git_copy(src: Path, dest: Path) -> Path:
    """A copy of the fixture `src` at `dest`, a git repository with every file committed: a
    repo as it stands before its migration."""
    subprocess.run(["cp", "-r", str(src), str(dest)], check=True)
    commit_all(dest)
    return dest


def commit_all(root: Path) -> None:
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "legacy"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=root,
            check=True,
            capture_output=True,
        )


def checksums(root: Path) -> dict[str, str]:
    """sha256 of every file under root (symlinks by their target text), venvs included."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            else:
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    capsys.readouterr()
    code = uvmk_migrate.main(list(args))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)
