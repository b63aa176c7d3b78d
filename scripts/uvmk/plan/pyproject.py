"""The pyproject.toml step: the merged project (plan/merge) written by the one writer
(plan/pyproject_writer), the tools' excludes learning uv's venv, said as a Change."""

from __future__ import annotations

from typing import Any

import tomlkit

from uvmk.plan.draft import Draft
from uvmk.plan.merge import project_model
from uvmk.plan.model import Change, PythonChoice
from uvmk.plan.pyproject_writer import write_pyproject
from uvmk.plan.tool_excludes import pyproject_excludes
from uvmk.sources.pip import planner as req
from uvmk.survey.snapshot import Survey


def plan_pyproject(
    draft: Draft, s: Survey, dep: req.DependencyPlan, python: PythonChoice
) -> tuple[Any, str, bool]:
    """pyproject.toml with the dependency plan written in: (its document, its text, changed)."""
    model = project_model(s, dep, python)
    draft.notes.extend(model.notes)
    written = write_pyproject(model)
    # the audit lists it; migrate refuses with the rest; else it only follows from the project
    # the survey could not read
    if written.refusal is not None and not s.refused:
        dep.refusals.append(written.refusal)
    doc = written.document
    excludes = pyproject_excludes(s, doc)
    final = tomlkit.dumps(doc)
    changed = final != model.original
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
