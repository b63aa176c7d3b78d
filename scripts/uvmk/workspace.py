"""Whether a monorepo becomes a uv workspace, and its plan: the project folders below the root
(services/*, packages/*, libs/*, apps/*, at any depth the walk reaches, outermost only: a
member's own subfolders are its business) each surveyed on its own, the root surveyed with
them left out, then plan/workspace composes them.

When: `--workspace yes` (WORKSPACE=1) always; `auto` (the default) when the folders are linked,
one using another by a local path (`-e ../../libs/common`, `file:`) or by name (a setup.py's
install_requires naming a sibling): such folders cannot be migrated one by one without
breaking the link, and refusing them would leave the user nothing; folders that do not use one
another stay refused (or SUBPROJECTS=keep, ROOT=… each), since one lock for unrelated services
ties their upgrades together, a choice the user makes. `no` (WORKSPACE=0): never."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from uvmk.survey.model import SurveyError
from uvmk.survey.subprojects import subfolders

if TYPE_CHECKING:
    from uvmk.options import Options
    from uvmk.plan import MigrationPlan
    from uvmk.survey.requirement_files import NamedFiles
    from uvmk.survey.snapshot import Survey

Mode = Literal["auto", "yes", "no"]
MAX_DEPTH = 4  # services/team/api/v2: deeper folders are a member's own business


def member_folders(s: Survey) -> list[str]:
    """The project and service folders below the root: the workspace's candidates. A
    cookiecutter template's project (templates/pylibrary/ beside its cookiecutter.json) is what
    it generates, not a member."""
    return [
        f.path
        for f in subfolders(s.tree)
        if f.kind in ("project", "service")
        and f.path.count("/") < MAX_DEPTH
        and not _template(s, f.path)
    ]


def _template(s: Survey, folder: str) -> bool:
    parts = folder.split("/")
    above = ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]
    return any(s.tree.has_file(f"{d}/cookiecutter.json") for d in above)


def chosen(found: list[str], wanted: str | None) -> list[str]:
    """MEMBERS=services/api,libs/common: those, each one a project folder found below the root."""
    if not wanted:
        return found
    asked = [m.strip("/").removeprefix("./") for m in re.split(r"[\s,]+", wanted.strip()) if m]
    unknown = [m for m in asked if m not in found]
    if unknown:
        listed = ", ".join(found) or "none"
        raise SurveyError(
            f"MEMBERS names {', '.join(unknown)}, which is no project folder below the root "
            f"(found: {listed})"
        )
    return asked


def plan_workspace(
    s: Survey,
    options: Options,
    *,
    mode: Mode,
    members: str | None,
    named: NamedFiles | None,
    ask_pythons: bool = True,
) -> tuple[Survey, MigrationPlan] | None:
    """The workspace's root survey (the member folders left to their own) and its plan, or None
    when the repository is not to become one (then the single project's plan and its refusals
    stand). `ask_pythons`: False for the audit, which takes the Python evidence at its word."""
    if mode == "no":
        return None
    folders = chosen(member_folders(s), members)
    if mode == "auto" and (len(folders) < 2 and not members):
        return None
    if not folders:
        raise SurveyError("WORKSPACE=1: no project folder below the root to make a member")
    from uvmk.facts import gather as gather_facts
    from uvmk.plan.python import python_requests
    from uvmk.plan.workspace import build_workspace_plan

    top, surveyed = workspace_surveys(s.root, folders, options, named)
    wanted = python_requests(top, options.python) if ask_pythons else None
    facts = gather_facts(top, options, pythons=wanted)
    plan, linked = build_workspace_plan(top, surveyed, options, facts)
    if mode == "auto" and not members and not linked:
        return None
    return top, plan


def workspace_surveys(
    root: Path, folders: list[str], options: Options, named: NamedFiles | None
) -> tuple[Survey, list[tuple[str, Survey]]]:
    """The root's survey (the member folders left out, and the Python range they all allow:
    the root's one .python-version serves every member) and each member's, over one walk."""
    from uvmk.plan.python import planned_requires
    from uvmk.survey.snapshot import survey

    top = survey(root, named=named, options=options, keep_subprojects=True, members=tuple(folders))
    surveyed = [(rel, survey(root / rel, options=options, top_tree=top.tree)) for rel in folders]
    ranges = [r for _, m in surveyed if (r := planned_requires(m))]
    if ranges:
        top = dataclasses.replace(top, members_python=", ".join(dict.fromkeys(ranges)))
    return top, surveyed
