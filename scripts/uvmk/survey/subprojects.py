"""Folders below the root that hold dependencies of their own, not the root project's: a project
(pkg_a/ with its pyproject.toml, setup.py or setup.cfg project), a service (services/api/ with a
requirements.txt beside its own Python code: a monorepo's app, a serverless function) and an
image (kubernetes/ with a requirements.txt and a Dockerfile but no Python code: what an image
installs, read by its Dockerfile, not what the code needs). Reads only, never writes.

A project or service becomes a workspace member (uvmk.workspace) when one uses another, or
WORKSPACE=1 says so; else it is refused by name, or left as it is when the user says so
(SUBPROJECTS=keep, or the root's own files named); an image's file is kept as written.
Documentation, examples and tests folders are none of these (roles decides what their files
are)."""

from __future__ import annotations

import configparser
import posixpath
import re
from dataclasses import dataclass
from typing import Literal

import tomlkit
from tomlkit.exceptions import TOMLKitError

from uvmk.survey.tree import Tree

Kind = Literal["project", "service", "image"]

# folders whose requirements files are not the project's own dependencies: documentation builds
# (Read the Docs' docs/requirements.txt), examples and demos, test data
NOT_THE_PROJECT = frozenset(
    {
        *("docs", "doc", "documentation", "examples", "example", "demos", "demo", "samples"),
        *("sample", "tests", "test", "testing", "fixtures", "benchmarks"),
    }
)
# never a project's folder: installed packages, caches, build output (the Tree's walk skips
# most of them already)
SKIP = frozenset({"node_modules", "site-packages", "__pycache__", "venv", "env", "build", "dist"})
REQUIREMENTS_NAME = re.compile(r"(requirements.*|.*[-_]requirements)\.(txt|in)$", re.I)
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


def subfolders(tree: Tree) -> list[Subfolder]:
    """Every project, service and image folder below the root, outermost only (a service's own
    subfolders are its business), outside the root's requirements/, docs, examples and tests,
    hidden folders, virtual environments and build output: a view of the one walk (computed
    once a tree)."""
    cached = tree.views.get("subfolders")
    if isinstance(cached, list):
        return list(cached)
    found: list[Subfolder] = []
    for rel in tree.dirs:
        if not rel or not _looked_in(rel) or any(f.holds(rel) for f in found):
            continue
        folder = _classify(tree, rel)
        if folder is not None:
            found.append(folder)
    tree.views["subfolders"] = found
    return list(found)


def of_file(folders: list[Subfolder], rel: str) -> Subfolder | None:
    return next((f for f in folders if f.holds(rel)), None)


def _looked_in(rel: str) -> bool:
    parts = rel.split("/")
    if parts[0] == "requirements":
        return False
    return not any(p.startswith(".") or p in SKIP or p.lower() in NOT_THE_PROJECT for p in parts)


def _classify(tree: Tree, rel: str) -> Subfolder | None:
    files = _requirements_files(tree, rel)
    marker = _project_marker(tree, rel)
    if marker is not None:
        return Subfolder(rel, "project", f"{rel}/{marker}", files)
    if not files:
        return None
    if has_code(tree, rel):
        return Subfolder(rel, "service", None, files)
    if all(_self_contained(tree, f, rel) for f in files):
        return Subfolder(rel, "image", None, files)
    return None  # -r ../requirements.txt: part of the root's graph, found through its reader


def _requirements_files(tree: Tree, rel: str) -> tuple[str, ...]:
    names = [f for f in tree.files_in(rel) if REQUIREMENTS_NAME.fullmatch(_name(f))]
    return tuple(names + tree.glob(f"{rel}/requirements", "*.txt"))


def _project_marker(tree: Tree, rel: str) -> str | None:
    """pyproject.toml with [project] or [tool.poetry] (one of tool settings only is not a
    project), setup.py, a setup.cfg project, or a Pipfile."""
    if tree.has_file(f"{rel}/pyproject.toml"):
        try:
            doc = tomlkit.parse(tree.text(f"{rel}/pyproject.toml")).unwrap()
        except (ValueError, TOMLKitError):
            return "pyproject.toml"  # unreadable: a project until it says otherwise
        if "project" in doc or "poetry" in doc.get("tool", {}):
            return "pyproject.toml"
    if tree.has_file(f"{rel}/setup.py"):
        return "setup.py"
    if tree.has_file(f"{rel}/setup.cfg") and _setup_cfg_project(tree.text(f"{rel}/setup.cfg")):
        return "setup.cfg"
    if tree.has_file(f"{rel}/Pipfile"):
        return "Pipfile"  # a Pipenv application's dependencies
    return None


def root_has_code(tree: Tree) -> bool:
    """Python code at the root itself: a module there, or a package folder (or src/) that is
    not a project of its own, nor docs, examples or tests."""
    if any(f.endswith(".py") for f in tree.files_in("")):
        return True
    for name in sorted(tree.root_entries):
        if name.startswith(".") or name in SKIP or name.lower() in NOT_THE_PROJECT:
            continue
        if not tree.below(name) or _project_marker(tree, name) is not None:
            continue  # a file, or a project of its own
        if tree.has_file(f"{name}/__init__.py") or (name == "src" and has_code(tree, name)):
            return True
    return False


def _setup_cfg_project(text: str) -> bool:
    """setup.cfg holds a setuptools project ([metadata], [options], [options.*]), not only tool
    settings; one that cannot be parsed is a project until it says otherwise."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source="setup.cfg")
    except configparser.Error:
        return True
    return any(
        s == name or s.startswith(f"{name}.")
        for s in parser.sections()
        for name in ("metadata", "options")
    )


def has_code(tree: Tree, folder: str) -> bool:
    """Python code of its own in the folder or below."""
    return any(
        f.endswith(".py") and _looked_in_code(f[len(folder) + 1 :]) for f in tree.below(folder)
    )


def _looked_in_code(rel: str) -> bool:
    return not any(p.startswith(".") or p in SKIP for p in rel.split("/")[:-1])


def _self_contained(tree: Tree, rel: str, folder: str) -> bool:
    """Its -r/-c files, if any, are in the folder too."""
    for m in _INCLUDE.finditer(tree.text(rel)):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), m.group(1)))
        if not (target + "/").startswith(folder + "/"):
            return False
    return True


def _name(rel: str) -> str:
    return rel.rpartition("/")[2]


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
