"""A monorepo as one uv workspace: the root planned as the single-project migration plans it
(its Makefile, .python-version, venvs, its own dev requirements as the shared dev group), each
member by plan/member (the same merge and writer, once a member), then the root's pyproject
gets `[tool.uv.workspace] members`, and one uv.lock is locked for all of them, seeded with every
member's pins. Members that cannot share one lock (an exact pin two ways, Python ranges that
do not meet) are refused before anything is written, naming each, with the ways out."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

import tomlkit
from packaging.utils import canonicalize_name

from uvmk.options import Options
from uvmk.plan.build import build_plan
from uvmk.plan.draft import Draft
from uvmk.plan.lock import plan_lock
from uvmk.plan.member import MemberPlan, member_model, model_name, plan_member
from uvmk.plan.model import Change, MigrationPlan
from uvmk.plan.operations import Lock, Write
from uvmk.plan.routes import routes_of
from uvmk.plan.schedule import schedule
from uvmk.plan.workspace_checks import shared_lock_refusals
from uvmk.sources.pip import planner as req
from uvmk.survey.pyproject_text import parse_pyproject
from uvmk.survey.snapshot import Survey
from uvmk.survey.subprojects import root_has_code

if TYPE_CHECKING:
    from uvmk.facts import Facts

_MADE_PROJECT = "pyproject.toml had no [project] table"
# what apply says when the one lock fails: uv's reason follows; when it is the members'
# requirements that clash, these are the ways out
CANNOT_SHARE = (
    "uv lock failed for the workspace (if uv finds the members' requirements incompatible, "
    "they cannot share one uv.lock: declare the members never installed together as uv "
    '`conflicts`, [tool.uv] conflicts = [[{ package = "a" }, { package = "b" }]], experimental '
    "in uv 0.13; or MEMBERS= without one; or migrate each as its own project, make uv-migrate "
    "ROOT=<member>)"
)


def build_workspace_plan(
    top: Survey, members: list[tuple[str, Survey]], options: Options, facts: Facts
) -> tuple[MigrationPlan, bool]:
    """`top`: the root surveyed with the member folders left to their own surveys. (The plan,
    whether any member uses another.)"""
    root = build_plan(top, options, facts)
    models = [(path, s, member_model(s, options, root.python)) for path, s in members]
    names: dict[str, str] = {canonicalize_name(model_name(m, path)): path for path, _, m in models}
    parts = [plan_member(path, s, m, options, names) for path, s, m in models]
    root_text = _root_pyproject(top, root, [p.path for p in parts])
    dep = _combined(root.dependencies, parts)
    dep.refusals += shared_lock_refusals(parts)
    relock = (
        not facts.lock_fresh
        or root_text != (top.pyproject_text or "")
        or any(c.path == f"{p.path}/pyproject.toml" for p in parts for c in p.changes)
    )
    changes, seeds = _root_changes(top, root, root_text, dep, [p.path for p in parts], relock)
    # the members' pyprojects before the one lock, their other files after it (an export
    # reads uv.lock), before the venvs go
    written = [c for p in parts for c in p.changes if c.path == f"{p.path}/pyproject.toml"]
    at = next((i for i, c in enumerate(changes) if c.path == "uv.lock"), 0)
    changes[at:at] = written
    changes = _before_venvs(changes, [c for p in parts for c in p.changes if c not in written])
    virtual = "project" not in parse_pyproject(root_text)
    own = [n for n in root.notes if not (virtual and n.startswith(_MADE_PROJECT))]
    notes = [*own, *_workspace_notes(parts), *(n for p in parts for n in p.notes)]
    plan = dataclasses.replace(
        root,
        dependencies=dep,
        changes=changes,
        routes=routes_of(dep),
        seed_pins=seeds,
        notes=notes,
        contents={**root.contents, "pyproject.toml": root_text.encode("utf-8")},
        members=tuple(p.path for p in parts),
    )
    return plan, any(p.uses for p in parts)


def _root_pyproject(top: Survey, root: MigrationPlan, members: list[str]) -> str:
    """The root's pyproject as its own plan leaves it, with the members listed. A [project]
    the root's plan made only to hold nothing (no dependencies of its own, no code at the root)
    goes: the root is a virtual workspace root (uv's term), holding the shared dev group and
    the settings; uv takes the Python range from the members."""
    planned = root.contents.get("pyproject.toml")
    text = planned.decode("utf-8") if planned is not None else (top.pyproject_text or "")
    doc = parse_pyproject(text) if text else tomlkit.document()
    project = doc.get("project")
    virtual = project is not None and _virtual(top, project)
    if virtual:
        del doc["project"]
        if "build-system" in doc and top.pyproject_text is None:
            del doc["build-system"]
    tool = _table(doc, "tool", super_table=True)
    uv = _table(tool, "uv", super_table=True)
    workspace = _table(uv, "workspace")
    listed = [str(m) for m in workspace.get("members", [])]
    wanted = listed + [m for m in members if m not in listed]
    array = tomlkit.array()
    array.extend(wanted)
    array.multiline(len(wanted) > 2)
    workspace["members"] = array
    if not virtual:
        return tomlkit.dumps(doc)
    # the blank line the root plan put before the [project] that went, gone with it
    return re.sub(r"\n{3,}", "\n\n", tomlkit.dumps(doc)).rstrip("\n") + "\n"


def _virtual(top: Survey, project: Any) -> bool:
    """The [project] is the root plan's own making (none was there), and holds nothing."""
    before = parse_pyproject(top.pyproject_text) if top.pyproject_text else {}
    made = "project" not in before
    return made and not project.get("dependencies") and not root_has_code(top.tree)


def _table(parent: Any, key: str, super_table: bool = False) -> Any:
    found = parent.get(key)
    if found is None:
        found = tomlkit.table(is_super_table=super_table)
        parent.add(key, found)
    return found


def _combined(root: req.DependencyPlan, parts: list[MemberPlan]) -> req.DependencyPlan:
    """One dependency plan for the report and apply: the root's and every member's rows, with
    every member's pins seeding the one lock (a package pinned two ways seeds neither: the
    refusal names it)."""
    out = dataclasses.replace(root)
    for part in parts:
        d = part.dependencies
        out.files = [*out.files, *d.files]
        out.additions = [*out.additions, *d.additions]
        out.notes = [*out.notes, *d.notes]
        out.refusals = [*out.refusals, *d.refusals]
        out.conflicts = [*out.conflicts, *d.conflicts]
        out.drift = [*out.drift, *d.drift]
    seeds: dict[str, str] = {}
    clash: set[str] = set()
    for pins in [root.seed_pins, *(p.dependencies.seed_pins for p in parts)]:
        for name, version in pins.items():
            key = canonicalize_name(name)
            held = next((v for k, v in seeds.items() if canonicalize_name(k) == key), None)
            if held is not None and held != version:
                clash.add(key)
            seeds.setdefault(name, version)
    out.seed_pins = {k: v for k, v in seeds.items() if canonicalize_name(k) not in clash}
    return out


def _root_changes(
    top: Survey,
    root: MigrationPlan,
    root_text: str,
    dep: req.DependencyPlan,
    members: list[str],
    relock: bool,
) -> tuple[list[Change], dict[str, str]]:
    """The root plan's changes with its pyproject and its uv.lock made the workspace's: the
    lock is always (re)made, seeded with every member's pins."""
    draft = Draft()
    draft.contents["pyproject.toml"] = root_text.encode("utf-8")
    seeds, seeded = plan_lock(
        draft, top, dep, final_pyproject=root_text, relock=relock, tested_python=root.python.version
    )
    lock = schedule(draft, python_version=root.python.version, seeds=seeds, seeded=seeded)
    others = [c for c in root.changes if c.path not in ("pyproject.toml", "uv.lock")]
    if not lock:
        return others, seeds
    lock_change = lock[0]
    ops = tuple(
        dataclasses.replace(op, failure=CANNOT_SHARE) if isinstance(op, Lock) else op
        for op in lock_change.operations
    )
    lock_change = dataclasses.replace(lock_change, operations=ops)
    # the lock where the root's plan had it (after .python-version), else first
    at = next((i for i, c in enumerate(root.changes) if c.path == "uv.lock"), None)
    if at is None:
        out = [lock_change, *others]
    else:
        before = sum(1 for c in root.changes[:at] if c.path != "pyproject.toml")
        out = [*others[:before], lock_change, *others[before:]]
    if root_text == (top.pyproject_text or ""):
        return out, seeds
    return [_pyproject_change(top, root, root_text, members), *out], seeds


def _pyproject_change(top: Survey, root: MigrationPlan, text: str, members: list[str]) -> Change:
    before = next((c for c in root.changes if c.path == "pyproject.toml"), None)
    details = (f"tool.uv.workspace.members = {members}", *(before.details if before else ()))
    return Change(
        "pyproject.toml",
        "create" if top.pyproject_text is None else "modify",
        "the workspace's root: [tool.uv.workspace] members, the shared dev group",
        details,
        operations=(Write("pyproject.toml", text.encode("utf-8"), "wrote pyproject.toml"),),
    )


def _before_venvs(changes: list[Change], more: list[Change]) -> list[Change]:
    at = next((i for i, c in enumerate(changes) if c.action == "delete-dir"), len(changes))
    return [*changes[:at], *more, *changes[at:]]


def _workspace_notes(parts: list[MemberPlan]) -> list[str]:
    out = [
        f"a uv workspace of {len(parts)} member(s) ({', '.join(p.path for p in parts)}), one "
        "uv.lock: `uv sync --all-packages` (make dev-install) installs them all, "
        "`uv sync --package <name>` one; `make test PACKAGE=<name>` tests one"
    ]
    for part in parts:
        if part.uses:
            out.append(
                f"{part.path}/ uses {', '.join(part.uses)} from the workspace "
                "({ workspace = true } in its [tool.uv.sources])"
            )
        exports = [c.path for c in part.changes if c.action == "export"]
        for path in exports:
            out.append(
                f"{path} is regenerated for {part.name} alone (uv export --package "
                f"{part.name}); its workspace paths are relative to the root (-e ./libs/...): "
                f"an image may install it from the root, or run `uv sync --package {part.name} "
                "--no-dev --frozen` instead of pip"
            )
    return out
