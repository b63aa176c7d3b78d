"""Every source's Contribution merged into one project: its dependencies, groups, indexes and
sources (pip's requirements planned against pyproject as Poetry's conversion and setuptools'
[project] leave it, with what the survey left aside said at its file:line), and the pyproject
document they are written into (the one there, converted, or made). The one writer
(plan/pyproject_writer) writes the model; a workspace merges once per member."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import tomlkit

from uvmk.plan.model import PythonChoice
from uvmk.plan.python import forced_version, lowest_evidenced, requires_python_note
from uvmk.sources.pip import planner as req
from uvmk.sources.pip import roles as req_roles
from uvmk.sources.toml_tables import folder_project_name
from uvmk.survey.pyproject_text import parse_pyproject
from uvmk.survey.snapshot import Survey
from uvmk.survey.tree import Tree


@dataclass
class ProjectModel:
    """One project as the migration leaves it, before it is written: the document the sources
    leave (`original` is the pyproject's text today, "" when there is none), the merged
    dependencies, and what merging them said."""

    document: Any  # tomlkit document
    original: str
    created: bool
    dependencies: req.DependencyPlan
    notes: list[str] = field(default_factory=list)
    # a workspace member's: the members it uses, each `{ workspace = true }` in its sources
    workspace_sources: tuple[str, ...] = ()


def project_model(s: Survey, dep: req.DependencyPlan, python: PythonChoice) -> ProjectModel:
    """The pyproject document the merged dependencies go into: made (from setup.cfg's metadata,
    or minimal) when missing, Poetry's converted, given a [project] when it only configures
    tools."""
    notes: list[str] = []
    converted = s.converted
    if s.pyproject_text is None and converted is None:
        doc = _new_pyproject(s, python)
        if floor_note := requires_python_note(s, python):
            notes.append(floor_note)
        return ProjectModel(doc, "", True, dep, notes)
    # a Poetry or Pipenv project's: the converted one (sources/), what it reported said
    doc = parse_pyproject(converted.text if converted else s.pyproject_text or "")
    original = s.pyproject_text or ""
    if converted is not None:
        notes.extend(converted.notes)
        _python_floor(notes, s, python, doc)
    if "project" not in doc and _may_add_project(doc):
        # a pyproject that only configures tools (black, ruff...): give it a [project]
        if not original.endswith("\n\n"):
            doc.add(tomlkit.nl())
        made = _new_pyproject(s, python)
        doc.add("project", made["project"])
        _add_missing(doc, made, ("build-system", "tool"))  # a setup.py project's
        notes.append(
            "pyproject.toml had no [project] table: added one (name, version, "
            "requires-python, dependencies)"
        )
        if floor_note := requires_python_note(s, python):
            notes.append(floor_note)
    return ProjectModel(doc, original, s.pyproject_text is None, dep, notes)


def _python_floor(notes: list[str], s: Survey, python: PythonChoice, doc: Any) -> None:
    """A Pipfile without [requires] says no Python: requires-python from the evidence, as for
    a pyproject made here, after version, where a person writes it."""
    project = doc.get("project")
    if s.pipenv is None or project is None or "requires-python" in project:
        return
    lowest = lowest_evidenced(s, forced_version(python))
    floor = lowest.version if lowest is not None else python.version
    if not floor:
        return
    items = list(project.items())
    for key, _ in items:
        del project[key]
    for key, value in items:
        project[key] = value
        if key == "version":
            project["requires-python"] = f">={floor}"
    if floor_note := requires_python_note(s, python):
        notes.append(floor_note)


def merge_contributions(
    s: Survey, override_pins: bool = False, keep_pyproject_pins: bool = False
) -> req.DependencyPlan:
    """The requirements files against pyproject (what cannot move in `refusals`, the survey's
    own first), with what the survey left aside said at its file:line."""
    if s.read_pins != (override_pins, keep_pyproject_pins):
        raise ValueError("the survey read the requirements with other pin options")
    dep: req.DependencyPlan = copy.deepcopy(s.contributions["pip"].detail)
    for refused in reversed(s.refused):
        where, message = req.where_of(refused)
        dep.refusals.insert(0, req.Note("refused", message, where))
    if not s.named_roles:
        dep.notes += referenced_notes(s.tree)
    if s.setup_py is not None:
        from uvmk.sources.setuptools import legacy  # the evaluator only with a setup.py

        runtime = [f.path for f in dep.files if f.role == "runtime"]
        dep.notes.extend(legacy.notes(s.setup_py, runtime))
    for path in s.ignored_requirement_files:
        rel = path.relative_to(s.root).as_posix()
        dep.notes.append(
            req.Note(
                "git-ignored",
                f"{rel} is ignored by git (a developer's own file?): left alone, neither "
                f"migrated into the shared pyproject.toml nor deleted",
                req.Where(rel, 1),
            )
        )
    for where in s.release_lines:
        line = where_text(s.tree, where)
        dep.notes.append(
            req.Note(
                "installs-release",
                f"{where.path} installs the released `{line}`, not this checkout (a deployment "
                "installing the project from an index): kept as written, neither migrated nor "
                "regenerated from uv.lock (which holds no release of the project)",
                where,
            )
        )
    return dep


def where_text(tree: Tree, where: req.Where) -> str:
    lines = tree.lines(where.path)
    return lines[where.line - 1].split(" #")[0].strip() if where.line <= len(lines) else ""


def referenced_notes(tree: Tree) -> list[req.Note]:
    """What discovery by reference found: a file named like no requirements file that something
    installs is migrated (said with its reader); one of a subproject is left, and said."""
    own, others = req_roles.referenced_files(tree)
    notes = []
    for rel, reader in own:
        if not req_roles.is_conventional_name(rel):
            notes.append(
                req.Note(
                    "found-by-reference",
                    f"{rel} is installed by {reader} (`{reader.text}`): migrated like the "
                    f"requirements files",
                    req.Where(rel, 1),
                )
            )
    for rel, reader in others:
        notes.append(
            req.Note(
                "subproject-requirements",
                f"{rel} is installed by {reader} but belongs to a project of its own below the "
                "root (its own pyproject.toml or setup.py, or requirements beside its own code, "
                "or a Docker image's): not migrated here",
                req.Where(rel, 1),
            )
        )
    return notes


def _new_pyproject(s: Survey, python: PythonChoice) -> tomlkit.TOMLDocument:
    if s.setup_project is not None:  # setup.cfg's own metadata, never a made-up name
        made = tomlkit.parse(s.setup_project)
        lowest = lowest_evidenced(
            s, forced_version(python)
        )  # evidence only: a library may support older Pythons
        if s.setup_py is not None and "requires-python" not in made["project"] and lowest:
            made["project"].add("requires-python", f">={lowest.version}")
        return made
    doc = tomlkit.document()
    project = tomlkit.table()
    project.add("name", folder_project_name(s.root.name))
    project.add("version", "0.1.0")
    lowest = lowest_evidenced(s, forced_version(python))
    floor = lowest.version if lowest is not None else python.version
    if floor:
        project.add("requires-python", f">={floor}")
    project.add("dependencies", tomlkit.array())
    doc.add("project", project)
    return doc


def _may_add_project(doc: Any) -> bool:
    """Not when another tool owns the metadata (poetry: the survey converts it). A setup.cfg project
    gets the [project] the survey made from its metadata (it refuses one it cannot read)."""
    tool = doc.get("tool") or {}
    return "poetry" not in tool


def _add_missing(dst: Any, src: Any, keys: tuple[str, ...] | None = None) -> None:
    """The tables of `src` that `dst` lacks, at any depth ([tool.setuptools.dynamic] into a
    pyproject that has [tool.setuptools] already); what `dst` has wins."""
    for key in keys if keys is not None else tuple(src):
        if key not in src:
            continue
        if key not in dst:
            dst.add(key, src[key])
        elif isinstance(dst[key], dict) and isinstance(src[key], dict):
            _add_missing(dst[key], src[key])
