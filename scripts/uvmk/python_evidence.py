"""More places a repo names its Python: mise's config, `PYTHON_VERSION:` in CI files, and
Dockerfiles below the root (a `services/api/Dockerfile`, an `ARG PYTHON_VERSION=3.11`).
Read as text, never run; each hit names its file:line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from uvmk.survey_model import PythonEvidence

_SKIP_DIRS = {".git", "node_modules", "site-packages", "__pycache__", ".tox", ".nox", "build"}
_MAX_DEPTH = 3
_VERSION = r"[\"']?(3\.\d{1,2})(?:\.\d+)?[\"']?"


def more_evidence(root: Path) -> list[PythonEvidence]:
    return [*_mise(root), *_ci_python_version(root), *_dockerfiles(root)]


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _mise(root: Path) -> Iterator[PythonEvidence]:
    """`python = "3.12"` (or `["3.12", "3.11"]`: the first is the default) under [tools]."""
    for name in ("mise.toml", ".mise.toml"):
        in_tools = False
        for n, line in enumerate(_lines(root / name), 1):
            if line.strip().startswith("["):
                in_tools = line.strip() == "[tools]"
                continue
            match = re.match(rf"\s*python\s*=\s*\[?\s*{_VERSION}", line)
            if in_tools and match:
                yield PythonEvidence("mise.toml", f"{name}:{n}", match.group(1), 95)


def _ci_files(root: Path) -> list[Path]:
    workflows = root / ".github" / "workflows"
    found = sorted([*workflows.glob("*.yml"), *workflows.glob("*.yaml")])
    return found + [p for p in (root / ".gitlab-ci.yml",) if p.is_file()]


def _ci_python_version(root: Path) -> Iterator[PythonEvidence]:
    """An env `PYTHON_VERSION: "3.11"` (the `python-version:` key is read by survey)."""
    for path in _ci_files(root):
        for n, line in enumerate(_lines(path), 1):
            match = re.match(rf"\s*PYTHON_VERSION\s*:\s*{_VERSION}", line)
            if match:
                rel = path.relative_to(root).as_posix()
                yield PythonEvidence("CI", f"{rel}:{n}", match.group(1), 60)


def _dockerfiles(root: Path) -> Iterator[PythonEvidence]:
    """`FROM python:3.X` in Dockerfiles below the root (the root's are read by survey), and
    `ARG PYTHON_VERSION=3.X` in any of them."""
    for path in _find_dockerfiles(root, root, 0):
        below = path.parent != root
        rel = path.relative_to(root).as_posix()
        for n, line in enumerate(_lines(path), 1):
            image = re.match(r"\s*FROM\s+(?:--\S+\s+)*(?:\S+/)?python:(3\.\d{1,2})", line, re.I)
            arg = re.match(rf"\s*ARG\s+PYTHON_VERSION\s*=\s*{_VERSION}", line, re.I)
            if image and below:
                yield PythonEvidence("Dockerfile", f"{rel}:{n}", image.group(1), 65)
            elif arg:
                yield PythonEvidence("Dockerfile", f"{rel}:{n}", arg.group(1), 70 - 5 * below)


def _find_dockerfiles(root: Path, folder: Path, depth: int) -> Iterator[Path]:
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_file() and (
            entry.name.startswith("Dockerfile") or entry.suffix == ".Dockerfile"
        ):
            yield entry
        elif (
            entry.is_dir()
            and depth < _MAX_DEPTH
            and entry.name not in _SKIP_DIRS
            and not (entry / "pyvenv.cfg").exists()
        ):
            yield from _find_dockerfiles(root, entry, depth + 1)
