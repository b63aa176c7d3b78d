"""Dependencies kept where uv-migrate does not reach yet: the folders below the root that are
projects of their own (uvmk.survey.subprojects: a monorepo's services/*/, a
serverless function, pkg_a/ with its pyproject.toml). Migrating the rest would leave a pyproject
that claims the project while those stay behind unsaid: the audit lists them, and APPLY refuses,
naming each, unless the user keeps them (SUBPROJECTS=keep, or the root's own files named): then
the root is migrated alone and each is left as it is, said. A Docker image's own requirements
(kubernetes/requirements.txt, no Python code beside it) are kept as written, said. (Workspace
support is a later step; a source whose files block APPLY says so in its contribution.)
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from uvmk.survey import readers as uvmk_references
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import parse_read_only, table
from uvmk.survey.subprojects import (
    NOT_THE_PROJECT,
    REQUIREMENTS_NAME,
    Subfolder,
    of_file,
    path_used,
    subfolders,
)
from uvmk.survey.tree import BUILD_OUTPUT, Tree

if TYPE_CHECKING:
    from uvmk.sources.contribution import Contribution
    from uvmk.sources.pip.planner import DependencyPlan
    from uvmk.survey.snapshot import Survey


@dataclass(frozen=True)
class Unmigrated:
    path: str  # posix, relative to the repo root
    why: str
    blocks_apply: bool  # APPLY refuses while it is there
    project: str | None = None  # the folder that is a project of its own, if that is why
    kept: bool = False  # left as it is by this migration: the plan says so in a "keep" row


def find(
    tree: Tree,
    migrated: set[str],
    contributions: dict[str, Contribution] | None = None,
    *,
    keep: bool = False,
    root_texts: list[str] | None = None,
    members: tuple[list[str], list[str]] = ([], []),
) -> list[Unmigrated]:
    """What holds dependencies that the plan does not migrate. `migrated` are the repo-relative
    paths of the requirements files the plan reads (their -r includes too); a source that
    blocks APPLY says so in its contribution; `keep`: the user keeps the projects
    below the root as they are; `root_texts` (pyproject and requirements files) say which
    folders the root installs as path dependencies, and `members` (the globs of
    [tool.uv.workspace] members, and its exclude) which are its workspace: those are its
    own."""
    out = [
        Unmigrated(c.owned[0], note.message, True)
        for c in (contributions or {}).values()
        for note in c.said("blocks-apply")
        if c.source != "pip"  # pip's conflicts are the plan's, resolved by --override-pins
    ]
    every = subfolders(tree)
    used = [
        f
        for f in every
        if set(f.files) & migrated or path_used(f, root_texts or []) or _member(f.path, *members)
    ]
    folders = [f for f in every if f not in used]
    scan = uvmk_references.scan(tree) if any(f.kind == "image" for f in folders) else None
    for rel in _nested_requirements(tree):
        if rel in migrated:
            continue
        folder = of_file(folders, rel)
        if folder is not None and folder.kind == "image":
            out.append(_image(rel, folder, scan))
        elif folder is not None:
            out.append(_project(folder, rel, keep))
        elif (owner := of_file(used, rel)) is not None:
            out.append(
                Unmigrated(
                    rel,
                    f"{rel} belongs to {owner.path}/, part of the root's own plan (a path "
                    "dependency it installs, or the folder whose requirements it migrates): "
                    "left as it is",
                    False,
                )
            )
        elif {p.lower() for p in PurePosixPath(rel).parts[:-1]} & NOT_THE_PROJECT:
            out.append(
                Unmigrated(
                    rel,
                    f"{rel} (documentation, examples or tests, not the project's own "
                    "dependencies) is left as it is",
                    False,
                )
            )
        else:
            parent = PurePosixPath(rel).parent
            out.append(
                Unmigrated(
                    rel,
                    f"{rel} belongs to another project in this repo (a monorepo?), which "
                    f"uv-migrate does not migrate yet: migrate that folder on its own "
                    f"(make uv-migrate ROOT={parent}), or include it from a root requirements "
                    "file",
                    True,
                )
            )
    out += [_project(f, f.marker, keep) for f in folders if f.marker and not f.files]
    return out


def _project(folder: Subfolder, rel: str, keep: bool) -> Unmigrated:
    what = f"its {folder.marker}" if folder.marker else "its requirements beside its own code"
    if keep:
        why = (
            f"{folder.path}/ is a project of its own ({what}): left as it is (migrate it "
            f"on its own: make uv-migrate ROOT={folder.path})"
        )
        return Unmigrated(rel, why, False, folder.path, kept=True)
    why = (
        f"{folder.path}/ is a project of its own ({what}), which no project here uses: "
        "WORKSPACE=1 makes them one uv workspace"
    )
    return Unmigrated(rel, why, True, folder.path)


def _image(rel: str, folder: Subfolder, scan: uvmk_references.Scan | None) -> Unmigrated:
    found = [str(r) for r in uvmk_references.readers(scan, rel)] if scan else []
    read = f", read by {', '.join(found[:3])}" if found else ""
    return Unmigrated(
        rel,
        f"{rel} is kept as written: {folder.path}/ holds no Python code, so it lists what an "
        f"image or a deployment installs{read}, not the project's dependencies",
        False,
        kept=True,
    )


def of_survey(s: Survey, dep: DependencyPlan) -> list[Unmigrated]:
    migrated = {f.path for f in dep.files}
    migrated |= {i for f in dep.files for i in f.includes}
    migrated |= {s.rel(p) for p in s.requirement_files}
    migrated |= {w.path for w in s.release_lines}  # a deployment's release: kept, and said
    if s.setup_py is not None:
        migrated |= set(s.setup_py.extras_files) | set(s.setup_py.reads)
    texts = [s.pyproject_with_setup or "", s.pyproject_text or ""]
    texts += [s.tree.text(rel) for rel in s.owned.get("pipenv", ())[:1]]  # its path = "./lib"
    texts += [s.tree.text(s.rel(p)) for p in s.requirement_files]
    keep = s.keep_subprojects or bool(s.named_roles)
    return find(
        s.tree,
        migrated,
        s.contributions,
        keep=keep,
        root_texts=texts,
        members=_with_members(_workspace(s.pyproject_text), s.members),
    )


def _with_members(
    workspace: tuple[list[str], list[str]], members: tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """The workspace the root declares, and the one it is becoming (uvmk.workspace)."""
    found, exclude = workspace
    return [*found, *members], exclude


def _workspace(text: str | None) -> tuple[list[str], list[str]]:
    """[tool.uv.workspace] members and exclude (globs), of a repo on uv already."""
    try:
        doc = parse_read_only(text) if text else None
    except SurveyError:
        return [], []
    found = table(doc, "tool", "uv", "workspace") if doc is not None else None
    if not isinstance(found, dict):
        return [], []
    members, exclude = found.get("members", []), found.get("exclude", [])
    return (
        [str(m) for m in members] if isinstance(members, list) else [],
        [str(e) for e in exclude] if isinstance(exclude, list) else [],
    )


def _member(path: str, members: list[str], exclude: list[str]) -> bool:
    def matches(globs: list[str]) -> bool:
        return any(fnmatch.fnmatchcase(path, g.strip("/").removeprefix("./")) for g in globs)

    return matches(members) and not matches(exclude)


def refusal(found: list[Unmigrated]) -> str | None:
    """One line naming every file that blocks APPLY, or None."""
    blocking = [u for u in found if u.blocks_apply]
    if not blocking:
        return None
    projects = list(dict.fromkeys(u.project for u in blocking if u.project))
    if projects:
        names = ", ".join(f"{p}/" for p in projects[:-1])
        names = f"{names} and {projects[-1]}/" if names else f"{projects[-1]}/"
        wheres = ", ".join(f"{u.path}:1" for u in blocking if u.project)
        first = projects[0]
        return (
            f"{names} {'are projects' if len(projects) > 1 else 'is a project'} of "
            f"{'their' if len(projects) > 1 else 'its'} own ({wheres}) "
            f"{'that do not use one another' if len(projects) > 1 else 'that nothing here uses'}"
            ": migrating the root would leave them behind unsaid; WORKSPACE=1 makes "
            "them one uv workspace (one uv.lock), or migrate each on its own (make uv-migrate "
            f"ROOT={first}), or SUBPROJECTS=keep "
            "(or name the root's files: REQUIREMENTS=...) to migrate the root alone and leave "
            "them as they are"
        )
    names = ", ".join(u.path for u in blocking)
    return (
        f"dependencies live where uv-migrate does not migrate them yet ({names}): migrating the "
        f"rest would leave them behind; {blocking[0].why}"
    )


def _nested_requirements(tree: Tree) -> list[str]:
    """Requirements files below the root, outside requirements/ (the root plan's own folder),
    hidden folders, virtual environments and build output."""
    found: list[str] = []
    for rel in tree.files:
        *folders, name = rel.split("/")
        if not folders or folders[0] == "requirements":
            continue
        if any(f.startswith(".") or f in BUILD_OUTPUT for f in folders):
            continue
        if REQUIREMENTS_NAME.fullmatch(name):
            found.append(rel)
    return found
