"""Dependencies kept where uv-migrate does not reach yet: a Pipfile (Pipenv), requirements files
of other projects in subfolders (a monorepo's services/*/requirements.txt). Migrating the rest
would leave a pyproject that claims the project while those stay behind unsaid: the audit lists
them, and APPLY refuses, naming the files. (Full Pipenv and workspace support is a later step.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from uvmk.sources.pip.roles import NOT_THE_PROJECT
from uvmk.survey.tree import BUILD_OUTPUT, Tree

if TYPE_CHECKING:
    from uvmk.sources.contribution import Contribution
    from uvmk.sources.pip.planner import DependencyPlan
    from uvmk.survey.snapshot import Survey

_REQUIREMENTS = re.compile(r"(requirements.*|.*[-_]requirements)\.(txt|in)$", re.I)


@dataclass(frozen=True)
class Unmigrated:
    path: str  # posix, relative to the repo root
    why: str
    blocks_apply: bool  # APPLY refuses while it is there


def find(
    tree: Tree, migrated: set[str], contributions: dict[str, Contribution]
) -> list[Unmigrated]:
    """What holds dependencies that the plan does not migrate. `migrated` are the repo-relative
    paths of the requirements files the plan reads (their -r includes too); a source that
    blocks APPLY (Pipenv) says so in its contribution."""
    root = tree.root
    out = [
        Unmigrated(c.owned[0], note.message, True)
        for c in contributions.values()
        for note in c.said("blocks-apply")
        if c.source != "pip"  # pip's conflicts are the plan's, resolved by --override-pins
    ]
    for rel in _nested_requirements(tree):
        if rel in migrated:
            continue
        folders = {p.lower() for p in PurePosixPath(rel).parts[:-1]}
        if folders & NOT_THE_PROJECT:  # reported, never a refusal
            out.append(
                Unmigrated(
                    rel,
                    f"{rel} (documentation, examples or tests, not the project's own "
                    "dependencies) is left as it is",
                    False,
                )
            )
            continue
        folder = PurePosixPath(rel).parent
        marker = next(
            (
                f"{folder}/{m}"
                for m in ("pyproject.toml", "setup.py")
                if (root / folder / m).is_file()
            ),
            None,
        )
        whose = (
            f"a subproject ({marker} makes {folder}/ a project of its own)"
            if marker
            else "another project in this repo (a monorepo?)"
        )
        out.append(
            Unmigrated(
                rel,
                f"{rel} belongs to {whose}, which uv-migrate does not migrate yet: migrate that "
                f"folder on its own (uv-migrate --root {folder}), or include it from a root "
                "requirements file",
                True,
            )
        )
    return out


def of_survey(s: Survey, dep: DependencyPlan) -> list[Unmigrated]:
    migrated = {f.path for f in dep.files}
    migrated |= {i for f in dep.files for i in f.includes}
    migrated |= {s.rel(p) for p in s.requirement_files}
    if s.setup_py is not None:
        migrated |= set(s.setup_py.extras_files) | set(s.setup_py.reads)
    return find(s.tree, migrated, s.contributions)


def refusal(found: list[Unmigrated]) -> str | None:
    """One line naming every file that blocks APPLY, or None."""
    blocking = [u for u in found if u.blocks_apply]
    if not blocking:
        return None
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
        if _REQUIREMENTS.fullmatch(name):
            found.append(rel)
    return found
