"""Folders below the root that hold dependencies of their own, not the root project's: a project
(pkg_a/ with its pyproject.toml, setup.py or setup.cfg project), a service (services/api/ with a
requirements.txt beside its own Python code: a monorepo's app, a serverless function) and an
image (kubernetes/ with a requirements.txt and a Dockerfile but no Python code: what an image
installs, read by its Dockerfile, not what the code needs). Reads only, never writes.

Until uv-migrate makes workspaces, a project or service is refused by name, or left as it is
when the user says so (SUBPROJECTS=keep, or the root's own files named); an image's file is
kept as written. Documentation, examples and tests folders are none of these (roles decides
what their files are)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import tomlkit
from tomlkit.exceptions import TOMLKitError

from uvmk.sources.setuptools.setup_cfg import SetupCfgError, has_setup_cfg_project

Kind = Literal["project", "service", "image"]

# folders whose requirements files are not the project's own dependencies: documentation builds
# (Read the Docs' docs/requirements.txt), examples and demos, test data
NOT_THE_PROJECT = frozenset(
    {
        *("docs", "doc", "documentation", "examples", "example", "demos", "demo", "samples"),
        *("sample", "tests", "test", "testing", "fixtures", "benchmarks"),
    }
)
# never a project's folder: installed packages, caches, build output
SKIP = frozenset({"node_modules", "site-packages", "__pycache__", "venv", "env", "build", "dist"})
REQUIREMENTS_NAME = re.compile(r"(requirements.*|.*[-_]requirements)\.(txt|in)$", re.I)
_MAX_CODE_LOOK = 2000  # entries looked at for Python code in one folder
# -r/-c to a file outside the folder: such a file is not self-contained
_INCLUDE = re.compile(r"^\s*(?:-[rc]|--requirements?|--constraints?)[\s=]*(\S+)", re.M)


@dataclass(frozen=True)
class Subfolder:
    path: str  # posix, relative to the root
    kind: Kind
    marker: str | None  # the file that makes it a project (pkg_a/pyproject.toml)
    files: tuple[str, ...]  # its requirements files, repo-relative

    def holds(self, rel: str) -> bool:
        return rel.startswith(self.path + "/")


def subfolders(root: Path) -> list[Subfolder]:
    """Every project, service and image folder below the root, outermost only (a service's own
    subfolders are its business), outside the root's requirements/, docs, examples and tests,
    hidden folders, virtual environments and build output."""
    found: list[Subfolder] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in SKIP
            and d.lower() not in NOT_THE_PROJECT
            and not (here / d / "pyvenv.cfg").exists()
            and not (here == root and d == "requirements")
        )
        if here == root:
            continue
        folder = _classify(root, here, filenames)
        if folder is not None:
            found.append(folder)
            dirnames[:] = []
    return found


def of_file(folders: list[Subfolder], rel: str) -> Subfolder | None:
    return next((f for f in folders if f.holds(rel)), None)


def _classify(root: Path, here: Path, filenames: list[str]) -> Subfolder | None:
    rel = here.relative_to(root).as_posix()
    files = _requirements_files(here, filenames, root)
    marker = _project_marker(here, filenames)
    if marker is not None:
        return Subfolder(rel, "project", f"{rel}/{marker}", files)
    if not files:
        return None
    if _has_code(here):
        return Subfolder(rel, "service", None, files)
    if all(_self_contained(root / f, here) for f in files):
        return Subfolder(rel, "image", None, files)
    return None  # -r ../requirements.txt: part of the root's graph, found through its reader


def _requirements_files(here: Path, filenames: list[str], root: Path) -> tuple[str, ...]:
    names = [here / n for n in sorted(filenames) if REQUIREMENTS_NAME.fullmatch(n)]
    inner = here / "requirements"
    if inner.is_dir():
        names += sorted(p for p in inner.glob("*.txt") if p.is_file())
    return tuple(p.relative_to(root).as_posix() for p in names)


def _project_marker(here: Path, filenames: list[str]) -> str | None:
    """pyproject.toml with [project] or [tool.poetry] (one of tool settings only is not a
    project), setup.py, or a setup.cfg project."""
    if "pyproject.toml" in filenames:
        try:
            doc = tomlkit.parse((here / "pyproject.toml").read_text(encoding="utf-8")).unwrap()
        except (OSError, UnicodeDecodeError, ValueError, TOMLKitError):
            return "pyproject.toml"  # unreadable: a project until it says otherwise
        if "project" in doc or "poetry" in doc.get("tool", {}):
            return "pyproject.toml"
    if "setup.py" in filenames:
        return "setup.py"
    try:
        return "setup.cfg" if "setup.cfg" in filenames and has_setup_cfg_project(here) else None
    except SetupCfgError:
        return "setup.cfg"


def _has_code(folder: Path) -> bool:
    """Python code of its own in the folder or below (a bounded look)."""
    seen = 0
    for _dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in SKIP]
        if any(n.endswith(".py") for n in filenames):
            return True
        seen += len(filenames) + len(dirnames)
        if seen > _MAX_CODE_LOOK:
            return False
    return False


def _self_contained(path: Path, folder: Path) -> bool:
    """Its -r/-c files, if any, are in the folder too."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    for m in _INCLUDE.finditer(text):
        target = (path.parent / m.group(1)).resolve()
        if not target.is_relative_to(folder.resolve()):
            return False
    return True


def path_used(folder: Subfolder, texts: list[str]) -> bool:
    """Does the root install the folder as a path dependency (`-e ./lib`, `./lib`, `lib/`,
    `path = "lib"`): then it is part of the root's graph, not a project left behind. A bare
    name is not a path: `kubernetes` is as often a package the project depends on."""
    name = re.escape(folder.path)
    pattern = re.compile(
        rf"(?<![\w./-])(?:\./{name}(?![\w.-])|{name}/(?![\w.-])|-e\s+{name}(?![\w./-]))"
        rf"|\bpath\s*=\s*[\"'](?:\./)?{name}/?[\"']"
    )
    return any(pattern.search(t) for t in texts)
