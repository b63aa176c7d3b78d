"""pyproject.toml as the migration leaves it: made (from setup.cfg, or minimal) when missing,
given a [project] when it only configures tools, the dependency plan written in; and the
copy that seeds `uv lock` with the requirements files' pins."""

from __future__ import annotations

from typing import Any

import tomlkit

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change, PythonChoice
from uvmk.plan.python import _requires_python_note, forced_version, lowest_evidenced
from uvmk.plan.tool_excludes import pyproject_excludes
from uvmk.sources.pip import planner as req
from uvmk.sources.toml_tables import folder_project_name
from uvmk.survey.pyproject_text import parse_pyproject
from uvmk.survey.snapshot import Survey


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


def _python_floor(draft: Draft, s: Survey, python: PythonChoice, doc: Any) -> None:
    """A Pipfile without [requires] says no Python: requires-python from the evidence, as for
    a pyproject made here."""
    project = doc.get("project")
    if s.pipenv is None or project is None or "requires-python" in project:
        return
    lowest = lowest_evidenced(s, forced_version(python))
    floor = lowest.version if lowest is not None else python.version
    if floor:
        items = list(project.items())  # after version, where a person writes it
        for key, _ in items:
            del project[key]
        for key, value in items:
            project[key] = value
            if key == "version":
                project["requires-python"] = f">={floor}"
        if floor_note := _requires_python_note(s, python):
            draft.notes.append(floor_note)


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


def plan_pyproject(
    draft: Draft, s: Survey, dep: req.DependencyPlan, python: PythonChoice
) -> tuple[Any, str, bool]:
    """pyproject.toml with the dependency plan written in: (its document, its text, changed)."""
    converted = s.converted
    if s.pyproject_text is None and converted is None:
        doc = _new_pyproject(s, python)
        original = ""
        if floor_note := _requires_python_note(s, python):
            draft.notes.append(floor_note)
    else:
        # a Poetry or Pipenv project's: the converted one (sources/), what it reported said
        doc = parse_pyproject(converted.text if converted else s.pyproject_text or "")
        original = s.pyproject_text or ""
        if converted is not None:
            draft.notes.extend(converted.notes)
            _python_floor(draft, s, python, doc)
        if "project" not in doc and _may_add_project(doc):
            # a pyproject that only configures tools (black, ruff...): give it a [project]
            if not original.endswith("\n\n"):
                doc.add(tomlkit.nl())
            made = _new_pyproject(s, python)
            doc.add("project", made["project"])
            _add_missing(doc, made, ("build-system", "tool"))  # a setup.py project's
            draft.notes.append(
                "pyproject.toml had no [project] table: added one (name, version, "
                "requires-python, dependencies)"
            )
            if floor_note := _requires_python_note(s, python):
                draft.notes.append(floor_note)
    try:
        req.apply_dependency_plan(doc, dep)
    except req.RequirementsError as exc:  # the audit lists it; migrate refuses with the rest
        if not s.refused:  # else it only follows from the project the survey could not read
            where, message = req.where_of(str(exc))
            dep.refusals.append(req.Note("refused", message, where))
    excludes = pyproject_excludes(s, doc)
    final = tomlkit.dumps(doc)
    changed = final != original
    if changed:
        draft.changes.append(
            Change(
                "pyproject.toml",
                "create" if s.pyproject_text is None else "modify",
                _why(s, dep),
                tuple([*_details(s, dep), *excludes]),
            )
        )
        draft.contents["pyproject.toml"] = final.encode("utf-8")
    project = doc.get("project")
    if s.pyproject_text is not None and not (
        isinstance(project, dict) and "requires-python" in project
    ):
        draft.notes.append(
            "pyproject.toml has no requires-python: uv will warn; consider adding one"
        )
    return doc, final, changed


def _why(s: Survey, dep: req.DependencyPlan) -> str:
    if dep.files:
        return "import the requirements files (pyproject stays the source of truth)"
    if s.poetry is not None:
        return "[tool.poetry] → [project], [dependency-groups], [tool.uv] (poetry-core builds)"
    if s.pipenv is not None:
        return "Pipfile → [project], [dependency-groups], [tool.uv] (an application: no build)"
    return "complete the uv configuration"


def _details(s: Survey, dep: req.DependencyPlan) -> list[str]:
    details = [f"{a.table} += {a.requirement}  ({a.where})" for a in dep.additions]
    # where a package now comes from (git, URL, path): `+= click` alone reads like PyPI
    for source_name, source in dep.sources.items():
        inline = tomlkit.inline_table()
        inline.update(source)
        details.append(f"tool.uv.sources.{source_name} = {inline.as_string()}")
    if s.has_deprecated_dev_dependencies:
        details.append("[tool.uv] dev-dependencies -> [dependency-groups] dev")
    return details
