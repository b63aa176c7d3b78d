"""build_plan: a Survey (and the Facts gathered beside it) -> the MigrationPlan, step by step.
It starts no process: git and uv were asked by the survey and the facts step. (What still
reads files here: the requirements planner follows the -r/-c graph itself; the references and
vendor steps look at the files they name.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from uvmk import elsewhere
from uvmk.options import Options
from uvmk.plan.conflicting_extras import plan_conflict_free_flags
from uvmk.plan.dead_markers import dead_markers
from uvmk.plan.deployment import plan_deployment_groups
from uvmk.plan.draft import Draft
from uvmk.plan.exports import installed_tools
from uvmk.plan.fates import (
    plan_release_files,
    plan_requirement_files,
    plan_retired,
    plan_setup_py,
    plan_still_read,
)
from uvmk.plan.gitignore import plan_gitignore, plan_unignore
from uvmk.plan.lock import plan_lock, plan_wheel_check
from uvmk.plan.makefile_step import plan_makefile
from uvmk.plan.merge import merge_contributions
from uvmk.plan.model import Change, MigrationPlan
from uvmk.plan.old_tools_step import old_tools_shape, plan_old_tool_lines
from uvmk.plan.pyproject import plan_pyproject
from uvmk.plan.python import choose_python, plan_python_version
from uvmk.plan.readers_step import (
    homes,
    plan_exported_readers,
    plan_readers,
    reader_context,
)
from uvmk.plan.readme_step import plan_readme
from uvmk.plan.routes import routes_of
from uvmk.plan.schedule import schedule
from uvmk.plan.tool_excludes import plan_ini_excludes
from uvmk.plan.venvs import plan_venvs
from uvmk.rewriters.readers import any_read
from uvmk.survey.snapshot import Survey

if TYPE_CHECKING:
    from uvmk.facts import Facts


def build_plan(s: Survey, options: Options, facts: Facts) -> MigrationPlan:
    """The steps in the order their decisions depend on: a requirements file still read by a
    kept Makefile line is decided after the Makefile; the schedule comes last."""
    dep = merge_contributions(s, options.override_pins, options.keep_pyproject_pins)
    unmigrated = elsewhere.of_survey(s, dep)  # projects below the root...
    kept_elsewhere = frozenset(u.path for u in unmigrated if u.kept)
    installed = list(facts.pythons) if facts.pythons is not None else None
    python = choose_python(
        s, installed, options.python, facts.python_downloads, pins_install_on=facts.pins_install_on
    )
    draft = Draft(notes=list(python.notes), tools=installed_tools(dep))
    if s.members:  # a workspace's root: uv.mk's daily targets learn its members
        draft.knobs["WORKSPACE"] = " ".join(s.members)
    doc, final, pyproject_changed = plan_pyproject(draft, s, dep, python)
    plan_python_version(draft, s, python)
    draft.dependency_names = dependency_names(doc)
    if s.converted is not None:
        # Poetry's or Pipenv's venv held every dependency: a kept recipe's bare `honcho start`
        # (nyu-devops' Pipfile apps) ran from it as a requirements file's tools did
        draft.tools = sorted(set(draft.tools) | draft.dependency_names)
    draft.notes.extend(dead_markers(dep.additions, _requires_python(doc)))
    relock = pyproject_changed or python.write or not facts.lock_fresh
    seeds, seeded = plan_lock(
        draft, s, dep, final_pyproject=final, relock=relock, tested_python=python.version
    )
    wheels = None
    if seeded:
        wheels = plan_wheel_check(
            draft, s, python, _requires_python(doc) or s.requires_python, facts.python_downloads
        )
    plan_requirement_files(draft, dep, doc, options, s.tree)
    plan_release_files(draft, s)
    plan_setup_py(draft, s)
    plan_venvs(draft, s)
    plan_ini_excludes(draft, s)
    plan_gitignore(draft, s, doc)
    plan_deployment_groups(draft, s, dep, facts.uv_mk)
    plan_conflict_free_flags(draft, s, doc, facts.uv_mk)
    old_tools = old_tools_shape(draft, s, doc)
    plan_makefile(draft, s, options, facts.uv_mk, kept_elsewhere, old_tools)
    plan_unignore(draft, s, facts.git_ignored)
    plan_readme(draft, s, old_tools)
    plan_old_tool_lines(draft, s, old_tools)
    # what the readers' rewrites depend on, worked out only when the tree has a reader
    context = (
        reader_context(s, dep, doc, facts.uv_version, python.version) if any_read(s.tree) else None
    )
    readers = plan_readers(draft, s, options.rewrite, context) if context else []
    plan_retired(draft, s)
    plan_still_read(draft, s, dep, doc)
    if context:
        readers = plan_exported_readers(draft, readers, context)
    draft.changes += [Change(u.path, "keep", u.why) for u in unmigrated if u.kept]
    changes = schedule(
        draft, python_version=python.version, seeds=seeds, seeded=seeded, wheels=wheels
    )
    return MigrationPlan(
        root=s.root,
        options=options,
        dependencies=dep,
        changes=changes,
        routes=routes_of(dep),
        python=python,
        seed_pins=seeds,
        notes=draft.notes,
        contents=draft.contents,
        unmigrated=unmigrated,
        readers=readers,
    )


def _requires_python(doc: Any) -> str | None:
    """The requires-python the migrated pyproject says (doc: its tomlkit document, or None)."""
    project = doc.get("project") if doc is not None else None
    value = project.get("requires-python") if project is not None else None
    return str(value) if value is not None else None


def dependency_names(doc: Any) -> set[str]:
    """The canonical names the migrated pyproject depends on, in any table."""
    if doc is None:
        return set()
    return set(homes(doc.unwrap() if hasattr(doc, "unwrap") else dict(doc)))
