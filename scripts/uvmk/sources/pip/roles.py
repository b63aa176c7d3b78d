"""Which requirements files there are, what each is for, and which lines end up where.

A file's name gives its role (requirements.txt -> runtime, requirements-dev.txt -> group dev,
constraints.txt -> constraints); the -r/-c graph refines it: a file only reached through -r of
another (not discovered by name, or pulled in by the runtime file) is include-only, its lines
belong to the includer. A discovered group file keeps its group even when another group file
-r's it: the includer gets {include-group = ...}. Walking the graph from every file that has a
role yields each requirement line with the pyproject table it is headed for.

Two refinements say what a name alone cannot. A deployment file (prod.txt, heroku.txt) next to
a base file is a group of its own: what a server needs is not what every environment needs. And
a repo whose only requirements.txt lives in a subfolder (project/requirements.txt beside the
app's Dockerfile) has its runtime there, not a group named after the folder.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal, cast

from packaging.utils import canonicalize_name

from uvmk.diagnostics import Where
from uvmk.sources.pip.grammar import Include, Note, ParsedFile, ReqLine, relative_posix
from uvmk.sources.setuptools.setup_cfg import SetupCfgError, is_setup_cfg_project
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import parse_read_only
from uvmk.survey.readers import Reader, installed_files, scan
from uvmk.survey.subprojects import (
    NOT_THE_PROJECT,
    has_code,
    of_file,
    root_has_code,
    subfolders,
)
from uvmk.survey.tree import Tree

Role = Literal["runtime", "group", "constraints", "include-only"]

RUNTIME_TABLE = "project.dependencies"
CONSTRAINTS_TABLE = "tool.uv.constraint-dependencies"

_RUNTIME_STEMS = {"base", "prod", "production", "main", "common", "runtime", "requirements"}
# Names that say where the requirements are deployed, not what the code needs: beside another
# runtime file (base, common, requirements.txt) such a file is a dependency group of its own,
# the one a deployment installs on top of the runtime. Not docker (a container is as often the
# dev or test environment) nor server (a component of its own as often as a host).
DEPLOY_STEMS = {"prod", "production", "deploy", "deployment", "heroku"}
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")
_GROUP_ALIASES = {
    "development": "dev",
    "local": "dev",  # cookiecutter-django's requirements/local.txt: the developer's tools
    "develop": "dev",
    "devel": "dev",
    "tests": "test",
    "testing": "test",
    "doc": "docs",
    "documentation": "docs",
    "linting": "lint",
    "linters": "lint",
    "lints": "lint",
}


def discover_requirement_files(tree: Tree) -> list[Path]:
    """requirements*.txt, *-requirements.txt / *_requirements.txt and constraints*.txt at the
    root, every .txt under requirements/ (not inside venvs, .git, node_modules), and any file
    the repository installs with -r/-c (referenced_files). Others are reached through -r/-c."""
    root = tree.root
    found = [root / rel for rel in tree.glob("", "*.txt") if is_conventional_name(rel)]
    found = [p for p in found if p.is_file()]
    found += [root / rel for rel in tree.below("requirements") if rel.endswith(".txt")]
    # files CI, a Dockerfile, a Makefile, tox... install with -r/-c, whatever their name
    found += [root / rel for rel, _ in referenced_files(tree)[0] if root / rel not in found]
    found += [p for p in _docs_files(tree) if p not in found]
    if not any(file_role(relative_posix(root, p))[0] == "runtime" for p in found):
        found += [p for p in lone_subfolder_files(tree) if p not in found]
    # pip-tools: the .in next to a compiled .txt is the list of direct dependencies
    return [p for path in found for p in (path, compile_source(path)) if p is not None]


def is_conventional_name(rel: str) -> bool:
    """Named like a requirements file: discovery finds it without a reader."""
    path = PurePosixPath(rel)
    stem = path.stem.lower()
    named = stem.startswith(("requirements", "constraints")) or stem.endswith(
        ("-requirements", "_requirements")
    )
    return path.suffix == ".txt" and (
        (named and len(path.parts) == 1) or path.parts[0] == "requirements"
    )


def referenced_files(tree: Tree) -> tuple[list[tuple[str, Reader]], list[tuple[str, Reader]]]:
    """Files something in the repository installs with pip's -r/-c (development.txt in tox.ini,
    deps/prod.pip in a Dockerfile), each with its first reader: (this project's, those of a
    subproject: a folder with its own pyproject.toml/setup.py, a service or an image of its own
    (uvmk.survey.subprojects), left out of the root's plan; the one subfolder whose requirements are
    the root's runtime is the root's). Computed once a tree."""
    if "referenced-files" not in tree.views:
        tree.views["referenced-files"] = _referenced_files(tree)
    return cast(
        "tuple[list[tuple[str, Reader]], list[tuple[str, Reader]]]", tree.views["referenced-files"]
    )


def _referenced_files(tree: Tree) -> tuple[list[tuple[str, Reader]], list[tuple[str, Reader]]]:
    root = tree.root
    own: list[tuple[str, Reader]] = []
    others: list[tuple[str, Reader]] = []
    lone = {p.parent for p in lone_subfolder_files(tree)}
    folders = [f for f in subfolders(tree) if root / f.path not in lone]
    for rel, reader in installed_files(scan(tree)):
        if PurePosixPath(rel).suffix not in (".txt", ".in", ".pip", ".pip-requirements"):
            continue  # `-r` of something that is no requirements file (a script's own flag)
        parents = PurePosixPath(rel).parents
        sub = any(
            _has_file(tree, f"{p}/{marker}")
            for p in list(parents)[:-1]
            for marker in ("pyproject.toml", "setup.py", "setup.cfg")
        )
        (others if sub or of_file(folders, rel) else own).append((rel, reader))
    return own, others


def _has_file(tree: Tree, rel: str) -> bool:
    """A file of the walk; below a folder the walk left out (an -r into build/), asked of the
    disk."""
    if tree.walked(posixpath.dirname(rel)):
        return tree.has_file(rel)
    return (tree.root / rel).is_file()


def compile_source(path: Path) -> Path | None:
    """requirements.in next to requirements.txt (pip-compile's input), if there is one."""
    source = path.with_suffix(".in")
    return source if path.suffix == ".txt" and source.is_file() else None


def _docs_files(tree: Tree) -> list[Path]:
    """docs/requirements*.txt (doc/, documentation/): what the docs build installs, the docs
    group (Read the Docs reads it, or a docs target), unless that folder is a project."""
    found: list[Path] = []
    for name in ("docs", "doc", "documentation"):
        if not any(tree.has_file(f"{name}/{m}") for m in _PROJECT_MARKERS):
            found += [tree.root / rel for rel in tree.glob(name, "requirements*.txt")]
    return found


def lone_subfolder_files(tree: Tree) -> list[Path]:
    """When the root holds no runtime requirements and declares no dependencies itself, the
    requirements files of the one subfolder with a requirements.txt (not docs, tests or
    examples, not a project of its own: that one is migrated on its own): fastapi-celery's
    project/requirements.txt is the app's runtime. None when several folders have one (a
    monorepo: each is a project of its own). A folder without Python code of its own
    (site/requirements.txt for mkdocs, docker/requirements.txt) is the runtime only when the
    root is a project (code, or a [project] table): beside a tool-only root, it is not.
    Computed once a tree."""
    if "lone-subfolder-files" not in tree.views:
        tree.views["lone-subfolder-files"] = _lone_subfolder_files(tree)
    return list(cast("list[Path]", tree.views["lone-subfolder-files"]))


def _lone_subfolder_files(tree: Tree) -> list[Path]:
    if _root_declares_dependencies(tree) or _root_has_runtime_file(tree):
        return []
    folders = [d for d in _candidate_folders(tree) if _holds_runtime(tree, d)]
    if len(folders) != 1:
        return []
    (folder,) = folders
    if not has_code(tree, folder) and not root_has_code(tree) and not _root_has_project(tree):
        return []
    found = [rel for rel in tree.glob(folder, "*.txt") if is_conventional_name(_name(rel))]
    inner = [tree.root / rel for rel in tree.glob(f"{folder}/requirements", "*.txt")]
    return [tree.root / rel for rel in found] + [p for p in inner if p.is_file()]


def _root_has_project(tree: Tree) -> bool:
    """pyproject.toml has a [project] table (one of tool settings only is no project)."""
    text = tree.read("pyproject.toml")
    if text is None:
        return False
    try:
        doc = parse_read_only(text)
    except SurveyError:
        return True  # unreadable: guess nothing (the survey reports it)
    return isinstance(doc.get("project"), dict)


def _candidate_folders(tree: Tree) -> list[str]:
    """The folders, at most three levels down, outside hidden folders, docs/tests/examples and
    subprojects (a folder with its own pyproject.toml, setup.py or setup.cfg)."""
    out: list[str] = []
    for folder in tree.dirs:
        parts = folder.split("/") if folder else []
        if not parts or len(parts) > 3 or parts[-1] == "requirements":
            continue
        if all(
            not part.startswith(".")
            and part.lower() not in NOT_THE_PROJECT
            and not any(tree.has_file("/".join(parts[: k + 1]) + "/" + m) for m in _PROJECT_MARKERS)
            for k, part in enumerate(parts)
        ):
            out.append(folder)
    return out


def _root_has_runtime_file(tree: Tree) -> bool:
    """requirements.txt at the root, or requirements/base.txt (prod, common...)."""
    named = [rel for rel in tree.glob("", "*.txt") if is_conventional_name(rel)]
    named += tree.glob("requirements", "*.txt")
    return any(file_role(rel)[0] == "runtime" for rel in named)


def _holds_runtime(tree: Tree, folder: str) -> bool:
    """requirements.txt, or requirements/base.txt (common, prod...), in `folder`."""
    return tree.has_file(f"{folder}/requirements.txt") or any(
        file_role(f"requirements/{_name(rel)}")[0] == "runtime"
        for rel in tree.glob(f"{folder}/requirements", "*.txt")
    )


def _name(rel: str) -> str:
    return rel.rpartition("/")[2]


def _root_declares_dependencies(tree: Tree) -> bool:
    """setup.py, a setup.cfg project (not one of tool settings only), or a pyproject.toml with
    [project] dependencies (or one that does not parse: then nothing is guessed)."""
    if tree.has_file("setup.py"):
        return True
    cfg, text = tree.read("setup.cfg"), tree.read("pyproject.toml")
    try:
        if cfg is not None and is_setup_cfg_project(cfg):
            return True
        doc = parse_read_only(text.removeprefix("\ufeff")) if text is not None else None
    except (SetupCfgError, SurveyError):
        return True  # unreadable: guess nothing (the survey reports it)
    project = doc.get("project") if doc is not None else None
    return isinstance(project, dict) and bool(project.get("dependencies"))


def file_role(path: str) -> tuple[Role, str | None]:
    """The role a file's *name* gives it: requirements.txt, requirements/base.txt -> runtime;
    requirements-dev.txt, requirements/test.txt, dev-requirements.txt -> group; constraints*.txt
    -> constraints. (Whether it is only an include is decided from the -r graph.)"""
    key = _name_key(path)
    if key is None:
        return "constraints", None
    if key in _RUNTIME_STEMS:
        return "runtime", None
    return "group", key


def _name_key(path: str) -> str | None:
    """What the name says the file is for: dev, docs, base, prod... (None: constraints)."""
    stem = PurePosixPath(path).stem.lower()  # requirements-dev.txt, and .in files given explicitly
    folder = PurePosixPath(path).parent.name.lower()
    if stem == "requirements" and folder not in ("", "requirements"):
        stem = folder  # docs/requirements.txt: the docs group, not the runtime
    if stem.startswith("constraint"):
        return None
    match = re.fullmatch(r"requirements[-_.](.+)", stem) or re.fullmatch(
        r"(.+)[-_.]requirements", stem
    )
    group = match.group(1) if match else stem
    key: str = canonicalize_name(group.strip("_-."))
    return _GROUP_ALIASES.get(key, key)


def table_for(role: Role, group: str | None) -> str:
    if role == "runtime":
        return RUNTIME_TABLE
    if role == "constraints":
        return CONSTRAINTS_TABLE
    return f"dependency-groups.{group}"


Roles = dict[str, tuple[Role, str | None]]


def assign_roles(
    root: Path,
    files: dict[str, ParsedFile],
    start_rels: list[str],
    forced_runtime: set[str],
    lock_only: frozenset[str] = frozenset(),
) -> Roles:
    """What each file is for. `start_rels` were discovered or given; `forced_runtime` are read
    by setuptools as the project's dependencies. The runtime file keeps its role even when a
    group file -r's it (the "dev file includes requirements.txt" case); a group file the
    runtime files pull in through -r is include-only (its lines are runtime lines), except a
    deployment file (heroku.txt), a group of its own. A `lock_only` file (pip-compile output of
    a .in) keeps the role its name gives, also when a .in file -c's it (pip-tools' way of
    keeping dev pins in line with the runtime ones)."""
    by_r: dict[str, list[str]] = {rel: [] for rel in files}
    by_c: dict[str, list[str]] = {rel: [] for rel in files}
    for rel, parsed in files.items():
        for include in parsed.includes:
            target = relative_posix(root, include.resolved)
            (by_r if include.kind == "requirement" else by_c)[target].append(rel)

    named = named_roles(root, files, forced_runtime)
    runtime_lines = _runtime_reach(root, files, named)
    # what the runtime file pulls in is the runtime, a deployment's file too (Heroku installs
    # requirements.txt: `-r requirements/production.txt` makes gunicorn the app's own)
    deployment = {rel for rel in files if named[rel][1] in DEPLOY_STEMS} - runtime_lines
    roles: Roles = {}
    for rel in files:
        role, group = named[rel]
        if rel in forced_runtime:
            roles[rel] = ("runtime", None)
        elif rel in lock_only and rel in start_rels:
            roles[rel] = (role, group)
        elif by_c[rel] and not by_r[rel]:
            roles[rel] = ("constraints", None)
        elif role == "runtime" or (role == "constraints" and (rel in start_rels or not by_r[rel])):
            roles[rel] = (role, group)
        elif rel in deployment or (rel in start_rels and rel not in runtime_lines):
            # A group file of its own (requirements/test.txt), even when another group file
            # -r's it: that one will include the group instead of copying its lines.
            roles[rel] = (role, group)
        else:
            roles[rel] = ("include-only", None)
    # Files that include each other in a ring with no outside entry would be lost:
    # promote the first of them to the role its name gives.
    while True:
        reached = _reachable(root, files, roles)  # once a round, not once a file
        unreached = [r for r in start_rels if r not in reached]
        if not unreached:
            break
        roles[unreached[0]] = named[unreached[0]]
    return roles


def named_roles(root: Path, files: dict[str, ParsedFile], forced_runtime: set[str]) -> Roles:
    """The role each file's name gives it, read against the other files: with no runtime file
    elsewhere, the requirements.txt of the one subfolder that has one is the runtime (not a
    group named after the folder); a deployment file (prod.txt, requirements-heroku.txt) beside
    a base file (common.txt, requirements.txt) is a group named after it, installed on top of
    the runtime where it is deployed, not in every environment (alone, or pulled in by the
    runtime file through -r, it is the runtime)."""
    named = {rel: file_role(rel) for rel in files}
    named.update({rel: ("runtime", None) for rel in forced_runtime if rel in named})
    if all(role != "runtime" for role, _ in named.values()):
        lone = [rel for rel in files if is_folder_requirements(rel)]
        if len({PurePosixPath(rel).parent for rel in lone}) == 1:
            named.update({rel: ("runtime", None) for rel in lone})
    base = {
        rel
        for rel, (role, _) in named.items()
        if role == "runtime" and (rel in forced_runtime or not _deployment(rel))
    }
    pulled = {rel for b in base for rel in _reach(root, files, b)}
    for rel in files:
        if _deployment(rel) and rel not in base | pulled and _beside_base(root, files, rel, base):
            named[rel] = ("group", _name_key(rel))
    return named


def _beside_base(root: Path, files: dict[str, ParsedFile], rel: str, base: set[str]) -> bool:
    """Is there a runtime besides the deployment file `rel`: a base file it -r's (prod.txt:
    `-r common.txt`), or one with requirements of its own that does not pull `rel` in (a
    requirements.txt that only forwards to requirements/prod.txt leaves prod the runtime)?"""
    return bool(_reach(root, files, rel) & base) or any(
        files[b].requirements and rel not in _reach(root, files, b) for b in base
    )


def _reach(root: Path, files: dict[str, ParsedFile], start: str) -> set[str]:
    """Files `start` pulls in through -r, directly or not."""
    seen: set[str] = set()
    pending = [start]
    while pending:
        for include in files[pending.pop()].includes:
            target = relative_posix(root, include.resolved)
            if include.kind == "requirement" and target not in seen and target in files:
                seen.add(target)
                pending.append(target)
    return seen


def _deployment(rel: str) -> bool:
    return _name_key(rel) in DEPLOY_STEMS


def is_folder_requirements(rel: str) -> bool:
    """project/requirements.txt (or .in): a folder's requirements, not docs' or tests'."""
    path = PurePosixPath(rel)
    folders = {p.lower() for p in path.parent.parts}
    return (
        path.stem.lower() == "requirements"
        and path.parent.name.lower() not in ("", "requirements")
        and not folders & NOT_THE_PROJECT
    )


def _runtime_reach(root: Path, files: dict[str, ParsedFile], named: Roles) -> set[str]:
    """Files whose lines the runtime files pull in through -r (directly or not)."""
    return {rel for r in files if named[r][0] == "runtime" for rel in _reach(root, files, r)}


def _reachable(root: Path, files: dict[str, ParsedFile], roles: Roles) -> set[str]:
    seen: set[str] = set()
    stack = [rel for rel, (role, _) in roles.items() if role != "include-only"]
    while stack:
        rel = stack.pop()
        if rel not in seen:
            seen.add(rel)
            stack.extend(relative_posix(root, i.resolved) for i in files[rel].includes)
    return seen


@dataclass
class _Walk:
    root: Path
    files: dict[str, ParsedFile]
    roles: Roles
    lock_only: frozenset[str] = frozenset()
    notes: list[Note] = field(default_factory=list)
    noted: set[tuple[str, str]] = field(default_factory=set)
    group_includes: dict[str, list[str]] = field(default_factory=dict)

    def include_group(self, rel: str, table: str, target: str, where: Where) -> None:
        """Group G's file -r's group H's file: G gets {include-group = "H"} (unless that would
        close a cycle, which uv rejects)."""
        group, included = table.split(".", 1)[1], self.roles[target][1]
        assert included is not None
        if group == included or group in self._included_by(included):
            self.note(
                "include-cycle",
                f"{rel} -r {target}: groups {group} and {included} would include each other; "
                f"followed once",
                where,
            )
            return
        if included not in self.group_includes.setdefault(group, []):
            self.group_includes[group].append(included)
        self.note(
            "include-group",
            f"{rel} includes {target}: [dependency-groups] {group} gets "
            f'{{include-group = "{included}"}} instead of a copy of its lines',
            where,
        )

    def _included_by(self, group: str) -> set[str]:
        """Every group `group` includes, directly or not."""
        found: set[str] = set()
        pending = list(self.group_includes.get(group, []))
        while pending:
            current = pending.pop()
            if current not in found:
                found.add(current)
                pending.extend(self.group_includes.get(current, []))
        return found

    def note(self, code: str, message: str, where: Where) -> None:
        if (code, message) not in self.noted:
            self.noted.add((code, message))
            self.notes.append(Note(code, message, where))

    def lines(self, rel: str, table: str, stack: tuple[str, ...]) -> Iterator[tuple[ReqLine, str]]:
        parsed = self.files[rel]
        events: list[tuple[int, ReqLine | Include]] = [
            *((r.where.line, r) for r in parsed.requirements),
            *((i.where.line, i) for i in parsed.includes),
        ]
        for _, event in sorted(events, key=lambda e: e[0]):
            if isinstance(event, ReqLine):
                yield event, table
                continue
            target = relative_posix(self.root, event.resolved)
            if target in stack:
                chain = " -> ".join((*stack[stack.index(target) :], target))
                self.note("include-cycle", f"include cycle {chain}: followed once", event.where)
            elif event.kind == "constraint" and target in self.lock_only:
                self.note(
                    "constraint-compiled",
                    f"{rel} -c {target}: one uv.lock resolves every table together, so the "
                    f"pins of {target} seed it instead of becoming constraints",
                    event.where,
                )
            elif event.kind == "constraint":
                yield from self.lines(target, CONSTRAINTS_TABLE, (*stack, target))
            elif self.roles[target][0] == "runtime" and table != RUNTIME_TABLE:
                self.note(
                    "include-runtime",
                    f"{rel} includes the runtime requirements ({target}): they stay in "
                    f"[project] dependencies and are not copied into [{table}]",
                    event.where,
                )
            elif self.roles[target][0] == "group" and table.startswith("dependency-groups."):
                self.include_group(rel, table, target, event.where)
            elif table == RUNTIME_TABLE and self.roles[target][1] in DEPLOY_STEMS:
                group = self.roles[target][1]
                self.note(
                    "deployment-group",
                    f"{rel} includes {target}, a deployment's requirements: they go to "
                    f"[dependency-groups] {group}, not [project] dependencies "
                    f"(`uv sync --group {group}` installs them where it is deployed)",
                    event.where,
                )
            else:
                yield from self.lines(target, table, (*stack, target))


@dataclass(frozen=True)
class Walked:
    lines: list[tuple[ReqLine, str]]  # each requirement line with the table it is for
    notes: list[Note]
    group_includes: dict[str, list[str]]  # group -> groups it includes


def walk_roles(
    root: Path, files: dict[str, ParsedFile], roles: Roles, lock_only: frozenset[str] = frozenset()
) -> Walked:
    """Every requirement line with the table it is for, each (line, table) once, runtime files
    first. A group file that -r's the runtime file does not get the runtime lines, one that -r's
    another group's file includes that group; include cycles stop and are noted."""
    order = {"runtime": 0, "group": 1, "constraints": 2}
    starts = sorted(
        (rel for rel, (role, _) in roles.items() if role != "include-only"),
        key=lambda rel: (order[roles[rel][0]], rel),
    )
    walk = _Walk(root, files, roles, lock_only)
    seen: set[tuple[Where, str]] = set()
    found: list[tuple[ReqLine, str]] = []
    for start in starts:
        role, group = roles[start]
        for line, table in walk.lines(start, table_for(role, group), (start,)):
            if (line.where, table) not in seen:
                seen.add((line.where, table))
                found.append((line, table))
    return Walked(found, walk.notes, walk.group_includes)
