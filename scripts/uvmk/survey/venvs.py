"""The virtual environments in a repository: the folders holding a pyvenv.cfg (depth-limited),
each with its size, its Python and the files that use it, and the one uv makes its project
environment (.venv or UV_PROJECT_ENVIRONMENT)."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from uvmk.survey.model import VenvInfo
from uvmk.survey.tree import Tree, tree_lines

VENV_SEARCH_DEPTH = 3


def describe_venvs(tree: Tree, makefile: Path | None, target: str) -> list[VenvInfo]:
    root = tree.root
    venvs: list[VenvInfo] = []
    for path, is_link in find_venvs(tree):
        rel = path.relative_to(root).as_posix()
        venvs.append(
            VenvInfo(
                path=rel,
                size=0 if is_link else dir_size(path),
                python=_venv_python(path / "pyvenv.cfg"),
                is_symlink=is_link,
                is_target=(rel == target),
                used_by=_venv_references(tree, makefile, rel),
                outside_root=not path.resolve().is_relative_to(root),
            )
        )
    return venvs


def _venv_python(cfg: Path) -> str | None:
    try:
        text = cfg.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip().lower()] = value.strip()
    for key in ("version_info", "version"):
        if key in values:
            match = re.match(r"\d+\.\d+(?:\.\d+)?", values[key])
            if match:
                return match.group(0)
    return None


def dir_size(path: Path) -> int:
    total = 0
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def find_venvs(tree: Tree) -> list[tuple[Path, bool]]:
    """Folders holding a pyvenv.cfg, VENV_SEARCH_DEPTH levels down at most (the walk never
    enters a venv nor a symlink). Returns (path, is_symlink)."""
    return [(tree.root / v.rel, v.is_symlink) for v in tree.venvs if v.depth <= VENV_SEARCH_DEPTH]


def _venv_references(tree: Tree, makefile: Path | None, venv_rel: str) -> tuple[str, ...]:
    root = tree.root
    files: list[Path] = []
    if makefile is not None:
        files.append(makefile)
    for name in (
        "tox.ini",
        "setup.cfg",
        ".envrc",
        "noxfile.py",
        "docker-compose.yml",
        ".pre-commit-config.yaml",
        ".vscode/settings.json",
    ):
        if (root / name).is_file():
            files.append(root / name)
    files += [root / rel for rel in tree.glob("", "Dockerfile*")]
    files += [root / rel for rel in tree.glob(".github/workflows", "*.y*ml")]
    name = re.escape(venv_rel)
    # a path use (`venv/bin/pip`, `source venv/bin/activate`) or a value (`VENV := venv`),
    # not `python -m venv` nor the word in a comment
    pattern = re.compile(
        r"(?<![\w./-])(?:\./)?"
        + name
        + r"/|(?:[:?+]?=|:)\s*(?:\./)?"
        + name
        + r"/?\s*$|[\s\"'](?:\./)?"
        + name
        + r"/?[\"']"
    )
    refs: list[str] = []
    for f in files:
        for n, line in enumerate(tree_lines(tree, f), 1):
            if line.lstrip().startswith("#"):
                continue
            if not line.startswith("\t"):
                line = line.split("#", 1)[0]
            if pattern.search(line):
                refs.append(f"{f.relative_to(root).as_posix()}:{n}")
    return tuple(refs)


def target_venv_name(root: Path) -> str:
    env = os.environ.get("UV_PROJECT_ENVIRONMENT")
    if env:
        p = Path(env)
        if not p.is_absolute():
            return p.as_posix()
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()
    return ".venv"


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
