"""One member of a workspace, planned as the single-project migration plans a project: its
sources merged (plan/merge), its pyproject written by the one writer (plan/pyproject_writer),
its requirements files deleted, regenerated (`uv export --package <member>`) or kept, its
setup.py gone once pyproject says it all. What a member leaves to the workspace's root: the
lock, .python-version, the Makefile, venvs and .gitignore."""

from __future__ import annotations

import dataclasses
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name

from uvmk.options import Options
from uvmk.plan.draft import Draft
from uvmk.plan.fates import (
    plan_release_files,
    plan_requirement_files,
    plan_setup_py,
    plan_still_read,
)
from uvmk.plan.merge import ProjectModel, merge_contributions, project_model
from uvmk.plan.model import Action, Change, PythonChoice
from uvmk.plan.operations import Export
from uvmk.plan.pyproject_writer import write_pyproject
from uvmk.plan.schedule import schedule
from uvmk.sources.pip import planner as req
from uvmk.survey.snapshot import Survey


@dataclass
class MemberPlan:
    path: str  # the member's folder, posix, relative to the workspace root
    name: str  # its project name, as written
    changes: list[Change]  # paths relative to the workspace root
    dependencies: req.DependencyPlan  # Where paths relative to the workspace root
    document: Any  # its pyproject as written (tomlkit)
    uses: tuple[str, ...] = ()  # the members it depends on (their names)
    notes: list[str] = field(default_factory=list)

    @property
    def requires_python(self) -> str | None:
        project = self.document.get("project") or {}
        value = project.get("requires-python")
        return str(value) if value is not None else None


def member_model(s: Survey, options: Options, python: PythonChoice) -> ProjectModel:
    dep = merge_contributions(s, options.override_pins, options.keep_pyproject_pins)
    return project_model(s, dep, python)


def model_name(model: ProjectModel, folder: str) -> str:
    project = model.document.get("project") or {}
    name = project.get("name")
    return str(name) if name else posixpath.basename(folder)


def plan_member(
    path: str, s: Survey, model: ProjectModel, options: Options, names: dict[str, str]
) -> MemberPlan:
    """`names`: every member's canonical project name -> its folder. The members this one uses
    (by name in its dependencies, or a path source into their folder) get
    `{ workspace = true }` sources in place of the paths."""
    dep = model.dependencies
    name = model_name(model, path)
    uses = _uses(path, model, names, canonicalize_name(name))
    for used in uses:
        for key in [k for k in dep.sources if canonicalize_name(k) == canonicalize_name(used)]:
            del dep.sources[key]
    model.workspace_sources = tuple(uses)
    draft = Draft(notes=list(model.notes))
    written = write_pyproject(model)
    if written.refusal is not None and not s.refused:
        dep.refusals.append(written.refusal)
    if written.changed:
        action: Action = "create" if s.pyproject_text is None else "modify"
        why = f"workspace member {name}: its own dependencies, groups and Python range"
        details = tuple(f"{a.table} += {a.requirement}  ({a.where})" for a in dep.additions)
        details += tuple(f"tool.uv.sources.{u} = {{ workspace = true }}" for u in uses)
        draft.changes.append(Change("pyproject.toml", action, why, details))
        draft.contents["pyproject.toml"] = written.text.encode("utf-8")
    doc = written.document
    plan_requirement_files(draft, dep, doc, options, s.tree)
    plan_release_files(draft, s)
    plan_setup_py(draft, s)
    plan_still_read(draft, s, dep, doc)
    changes = schedule(draft, python_version=None, seeds={}, seeded=())
    prefixed = [_prefixed(c, path, name) for c in changes if c.action != "delete-dir"]
    notes = [f"{path}/: {_workspace_export_note(n, path, name)}" for n in draft.notes]
    own = _dep_prefixed(dep, path)
    # a Poetry member's poetry.lock seeds the one lock too, as the root's would
    own.seed_pins = {**(s.poetry.seeds if s.poetry is not None else {}), **dep.seed_pins}
    return MemberPlan(path, name, prefixed, own, doc, tuple(uses), notes)


def _uses(path: str, model: ProjectModel, names: dict[str, str], own: str) -> list[str]:
    """The other members this one depends on: named in any of its dependency tables, or
    reached by a path source into a member's folder (`-e ../../libs/common`)."""
    found: dict[str, str] = {}
    for written in _requirement_names(model):
        key: str = canonicalize_name(written)
        if key in names and key != own:
            found.setdefault(key, written)
    for source_name, source in model.dependencies.sources.items():
        target = source.get("path") if isinstance(source, dict) else None
        if not isinstance(target, str):
            continue
        folder = posixpath.normpath(posixpath.join(path, target))
        for key, member in names.items():
            if folder == member and key != own:
                found.setdefault(key, source_name)
    return sorted(found.values(), key=canonicalize_name)


_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _requirement_names(model: ProjectModel) -> list[str]:
    doc = model.document
    project = doc.get("project") or {}
    lists: list[Any] = [project.get("dependencies") or []]
    lists += list((project.get("optional-dependencies") or {}).values())
    lists += list((doc.get("dependency-groups") or {}).values())
    texts = [str(item) for items in lists for item in items if isinstance(item, str)]
    texts += [a.requirement for a in model.dependencies.additions]
    return [m.group(1) for t in texts if (m := _NAME.match(t))]


def _prefixed(c: Change, folder: str, name: str) -> Change:
    ops = tuple(_op_prefixed(op, folder, name) for op in c.operations)
    reason = c.reason
    if c.action == "export":
        reason = reason.replace("uv export ", f"uv export --package {name} ", 1)
    return dataclasses.replace(c, path=f"{folder}/{c.path}", reason=reason, operations=ops)


def _op_prefixed(op: Any, folder: str, name: str) -> Any:
    if isinstance(op, Export):
        # run in the workspace's root: the member's own selection, not the whole workspace's
        args = ("--package", name, *op.args)
        return dataclasses.replace(op, path=f"{folder}/{op.path}", args=args)
    if hasattr(op, "path"):
        return dataclasses.replace(op, path=f"{folder}/{op.path}")
    return op


def _workspace_export_note(note: str, folder: str, name: str) -> str:
    """A member's `make uv-export EXPORT_FILE=requirements.txt …` runs in the workspace root."""
    return re.sub(
        r"`make uv-export(?: EXPORT_FILE=(\S+))?(?: EXPORT_FLAGS='([^']*)')?`",
        lambda m: (
            f"`make uv-export EXPORT_FILE={folder}/{m.group(1) or 'requirements.txt'} "
            f"EXPORT_FLAGS='--package {name} {m.group(2) or '--no-default-groups'}'`"
        ),
        note,
    )


def _dep_prefixed(dep: req.DependencyPlan, folder: str) -> req.DependencyPlan:
    """The member's dependency plan with every file:line relative to the workspace's root."""

    def where(w: req.Where | None) -> req.Where | None:
        return dataclasses.replace(w, path=f"{folder}/{w.path}") if w is not None else None

    def at(w: req.Where) -> req.Where:
        return dataclasses.replace(w, path=f"{folder}/{w.path}")

    def notes(items: list[req.Note]) -> list[req.Note]:
        return [dataclasses.replace(n, where=where(n.where)) for n in items]

    out = dataclasses.replace(dep)
    out.files = [dataclasses.replace(f, path=f"{folder}/{f.path}") for f in dep.files]
    out.additions = [dataclasses.replace(a, where=at(a.where)) for a in dep.additions]
    out.notes, out.refusals, out.conflicts = (
        notes(dep.notes),
        notes(dep.refusals),
        notes(dep.conflicts),
    )
    out.drift = [
        dataclasses.replace(d, requirements_where=where(d.requirements_where)) for d in dep.drift
    ]
    return out
