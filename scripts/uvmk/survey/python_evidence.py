"""Every place a repository names its Python, as evidence of some strength: .python-version,
.tool-versions, runtime.txt, the Makefile, Dockerfiles (the root's, those below it, an
`ARG PYTHON_VERSION=3.11`), CI (`python-version:`, `PYTHON_VERSION:`), tox.ini, mise's config,
Pipfile's [requires] and requires-python's lower bound. Read as text, never run; each hit names
its file:line."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from uvmk.survey.model import PythonEvidence
from uvmk.survey.python_versions import major_minor, requires_lower_bound
from uvmk.survey.readers import is_dockerfile
from uvmk.survey.subprojects import of_file, subfolders
from uvmk.survey.tree import Tree, tree_lines

_MAX_DEPTH = 3
_VERSION = r"[\"']?(3\.\d{1,2})(?:\.\d+)?[\"']?"


def gather_evidence(
    tree: Tree, makefile: Path | None, requires: str | None
) -> list[PythonEvidence]:
    root = tree.root
    ev: list[PythonEvidence] = []

    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix()

    pv = root / ".python-version"
    for n, line in enumerate(tree_lines(tree, pv), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            xy = major_minor(line)
            if xy:
                ev.append(PythonEvidence(".python-version", f"{rel(pv)}:{n}", xy, 100))
            break
    tv = root / ".tool-versions"
    for n, line in enumerate(tree_lines(tree, tv), 1):
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "python" and (xy := major_minor(parts[1])):
            ev.append(PythonEvidence(".tool-versions", f"{rel(tv)}:{n}", xy, 95))
    rt = root / "runtime.txt"
    for n, line in enumerate(tree_lines(tree, rt), 1):
        if (xy := major_minor(line)) and "python" in line.lower():
            ev.append(PythonEvidence("runtime.txt", f"{rel(rt)}:{n}", xy, 90))
    if makefile is not None:
        for n, line in enumerate(tree_lines(tree, makefile), 1):
            if line.lstrip().startswith("#"):
                continue
            for found in re.finditer(r"(?<![\w.-])python(3\.\d{1,2})(?![\w.])", line):
                ev.append(PythonEvidence("Makefile", f"{rel(makefile)}:{n}", found.group(1), 80))
    for docker in sorted(tree.root / rel for rel in tree.files_in("") if is_dockerfile(_name(rel))):
        for n, line in enumerate(tree_lines(tree, docker), 1):
            match: re.Match[str] | None = re.match(
                r"\s*FROM\s+(?:--\S+\s+)*(?:\S+/)?python:(3\.\d{1,2})", line, re.I
            )
            if match:
                ev.append(PythonEvidence("Dockerfile", f"{rel(docker)}:{n}", match.group(1), 70))
    for wf in _workflows(tree):
        for n, line in enumerate(tree_lines(tree, wf), 1):
            match = re.search(r"python-version\s*:\s*(.+)", line)
            if match:
                for xy in re.findall(r"3\.\d{1,2}", match.group(1)):
                    ev.append(PythonEvidence("CI", f"{rel(wf)}:{n}", xy, 60))
    tox = root / "tox.ini"
    for n, line in enumerate(tree_lines(tree, tox), 1):
        if re.match(r"\s*envlist\s*=", line):
            for major, minor in re.findall(r"py(3)(\d{1,2})\b", line):
                ev.append(PythonEvidence("tox.ini", f"{rel(tox)}:{n}", f"{major}.{minor}", 50))
        elif match := re.match(r"\s*basepython\s*=\s*python(3\.\d{1,2})", line):
            ev.append(PythonEvidence("tox.ini", f"{rel(tox)}:{n}", match.group(1), 50))
    ev.extend(more_evidence(tree))
    lower = requires_lower_bound(requires)
    if lower:
        ev.append(PythonEvidence("requires-python", f"pyproject.toml ({requires})", lower, 10))
    # a matrix key named python-version is read both as a literal and as the values a
    # `python-version: ${{ matrix.python-version }}` names: one line is one piece of evidence
    return list(dict.fromkeys(ev))


def more_evidence(tree: Tree) -> list[PythonEvidence]:
    return [*_mise(tree), *_pipfile(tree), *_ci_python_version(tree), *_dockerfiles(tree)]


def _pipfile(tree: Tree) -> Iterator[PythonEvidence]:
    """Pipfile's `[requires] python_version = "3.11"` (or python_full_version): the Python
    Pipenv made the project's environment with."""
    in_requires = False
    for n, line in enumerate(tree_lines(tree, tree.root / "Pipfile"), 1):
        if line.strip().startswith("["):
            in_requires = line.strip() == "[requires]"
            continue
        match = re.match(rf"\s*python_(?:full_)?version\s*=\s*{_VERSION}", line)
        if in_requires and match:
            yield PythonEvidence("Pipfile", f"Pipfile:{n}", match.group(1), 93)


def _mise(tree: Tree) -> Iterator[PythonEvidence]:
    """`python = "3.12"` (or `["3.12", "3.11"]`: the first is the default) under [tools]."""
    for name in ("mise.toml", ".mise.toml"):
        in_tools = False
        for n, line in enumerate(tree_lines(tree, tree.root / name), 1):
            if line.strip().startswith("["):
                in_tools = line.strip() == "[tools]"
                continue
            match = re.match(rf"\s*python\s*=\s*\[?\s*{_VERSION}", line)
            if in_tools and match:
                yield PythonEvidence("mise.toml", f"{name}:{n}", match.group(1), 95)


def _workflows(tree: Tree) -> list[Path]:
    """GitHub's workflow files, sorted."""
    found = tree.glob(".github/workflows", "*.yml") + tree.glob(".github/workflows", "*.yaml")
    return [tree.root / rel for rel in sorted(found)]


def _ci_files(tree: Tree) -> list[Path]:
    gitlab = tree.root / ".gitlab-ci.yml"
    return _workflows(tree) + [p for p in (gitlab,) if p.is_file()]


def _ci_python_version(tree: Tree) -> Iterator[PythonEvidence]:
    """An env `PYTHON_VERSION: "3.11"`, and the versions of the matrix key a
    `python-version: ${{ matrix.python }}` names (a literal `python-version:` is read by
    gather_evidence)."""
    root = tree.root
    for path in _ci_files(tree):
        rel = path.relative_to(root).as_posix()
        text = list(tree_lines(tree, path))
        keys = set()
        for n, line in enumerate(text, 1):
            match = re.match(rf"\s*PYTHON_VERSION\s*:\s*{_VERSION}", line)
            if match:
                yield PythonEvidence("CI", f"{rel}:{n}", match.group(1), 60)
            matrix = re.search(r"python-version\s*:\s*\$\{\{\s*matrix\.([\w-]+)\s*\}\}", line)
            if matrix:
                keys.add(matrix.group(1))
        for key in sorted(keys):
            for n, xy in _matrix_values(text, key):
                yield PythonEvidence("CI", f"{rel}:{n}", xy, 60)


def _matrix_values(text: list[str], key: str) -> Iterator[tuple[int, str]]:
    """`key: ["3.11", "3.12"]`, or `key:` then `- "3.11"` lines: (line, X.Y) of each."""
    for n, line in enumerate(text, 1):
        head = re.match(rf"(\s*){re.escape(key)}\s*:(.*)$", line)
        if head is None:
            continue
        for xy in re.findall(r"3\.\d{1,2}", head.group(2)):
            yield n, xy
        if head.group(2).strip():
            continue
        for m, item in enumerate(text[n:], n + 1):
            listed = re.match(rf"\s*-\s*{_VERSION}\s*$", item)
            if listed is None:
                break
            yield m, listed.group(1)


# a folder with one of these is a project of its own (a service, a JS front end): the Python
# its Dockerfile builds on is that project's, never evidence for the root's
_OWN_PROJECT = ("pyproject.toml", "setup.py", "setup.cfg", "package.json", "requirements.txt")


def another_project(tree: Tree, folder: str) -> bool:
    """Is `folder` (posix, below the root) inside a project of its own: one the migration
    refuses or keeps as such (survey.subprojects: e2e/ with its requirements beside its code,
    whose fixtures' Dockerfiles are not the root's), or a folder with a manifest of its own?"""
    if of_file(subfolders(tree), f"{folder}/") is not None:
        return True
    while folder:
        if any(tree.has_file(f"{folder}/{marker}") for marker in _OWN_PROJECT):
            return True
        folder = posixpath.dirname(folder)
    return False


def _dockerfiles(tree: Tree) -> Iterator[PythonEvidence]:
    """`FROM python:3.X` in Dockerfiles below the root (the root's are read by
    gather_evidence), and `ARG PYTHON_VERSION=3.X` in any of them; not those of another
    project's folder (`services/mcp/` with its own pyproject.toml)."""
    root = tree.root
    for path in _find_dockerfiles(tree):
        below = path.parent != root
        if below and another_project(tree, path.parent.relative_to(root).as_posix()):
            continue
        rel = path.relative_to(root).as_posix()
        for n, line in enumerate(tree_lines(tree, path), 1):
            image = re.match(r"\s*FROM\s+(?:--\S+\s+)*(?:\S+/)?python:(3\.\d{1,2})", line, re.I)
            arg = re.match(rf"\s*ARG\s+PYTHON_VERSION\s*=\s*{_VERSION}", line, re.I)
            if image and below:
                yield PythonEvidence("Dockerfile", f"{rel}:{n}", image.group(1), 65)
            elif arg:
                yield PythonEvidence("Dockerfile", f"{rel}:{n}", arg.group(1), 70 - 5 * below)


def _find_dockerfiles(tree: Tree) -> list[Path]:
    """Dockerfile* and *.Dockerfile within _MAX_DEPTH folders of the root, outside build
    output, in path order (a folder's files sorted among its subfolders)."""
    found = []
    for rel in tree.files:
        *folders, name = rel.split("/")
        if len(folders) > _MAX_DEPTH or "build" in folders:
            continue
        if is_dockerfile(name) and not (tree.root / rel).is_symlink():
            found.append(rel)
    return [tree.root / rel for rel in sorted(found, key=lambda rel: rel.split("/"))]


def _name(rel: str) -> str:
    return rel.rpartition("/")[2]
