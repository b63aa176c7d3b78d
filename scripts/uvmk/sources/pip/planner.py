"""Requirements files -> a dependency plan against pyproject.toml (pure: reads, never writes).

parse -> plan -> apply, one idea a module (all under uvmk.sources.pip):
  grammar       one file, pip's grammar (via pip-requirements-parser) -> records
  roles         which files, what each is for, which line goes to which table
  compiled      pip-compile output and pip freeze dumps: direct vs transitive pins
  sources       path / git / URL requirements -> [tool.uv.sources]
  options       pip options -> [tool.uv] settings and [[tool.uv.index]]
  pyproject     what pyproject already declares (self-referencing extras expanded)
  specifiers    version arithmetic (pins, overlap, merging)
  contract      the DependencyPlan handed over, and its rows
  planner       plan_dependencies: the planning steps in order (this module), each in its own
                module: loading, transitive, lines, duplicates, compare, seeds, groups,
                file_summary, sharing one Planning state (planning) and _Wanted (wanted)
  toml_edit     writing the plan with tomlkit (re-exported here)
The rule for every kind of line is shared/facts/requirements-syntax.md: each line is migrated,
reported as a Note naming file:line, or refused with a RequirementsError naming file:line.
pyproject is the source of truth: what it declares is never added again, and its specifiers
are only rewritten when the caller passes override_pins.
"""

from __future__ import annotations

from pathlib import Path

from uvmk.diagnostics import Where
from uvmk.sources.pip.compare import compare_with_pyproject, only_pyproject
from uvmk.sources.pip.compiled import exports_lock, pin_file_kind
from uvmk.sources.pip.dependency_plan import (
    Addition,
    DependencyPlan,
    DriftRow,
    ReqFile,
    SpecifierRewrite,
)
from uvmk.sources.pip.duplicates import check_conflicts, merge_duplicates
from uvmk.sources.pip.file_summary import describe_files, map_options, note_commented_out
from uvmk.sources.pip.grammar import Note, ReqLine, RequirementsError, relative_posix, where_of
from uvmk.sources.pip.groups import dev_dependencies, groups_to_create, plan_group_includes
from uvmk.sources.pip.lines import understand
from uvmk.sources.pip.loading import (
    compiled_from_in,
    drop_stale_dynamic,
    dynamic_dependency_files,
    load,
    note_hashes,
    note_includes,
)
from uvmk.sources.pip.planning import Planning
from uvmk.sources.pip.pyproject import read_pyproject
from uvmk.sources.pip.roles import (
    Roles,
    assign_roles,
    discover_requirement_files,
    file_role,
    is_folder_requirements,
    walk_roles,
)
from uvmk.sources.pip.seeds import seed_pins
from uvmk.sources.pip.specifiers import merge_specifiers, specifiers_compatible
from uvmk.sources.pip.toml_edit import apply_dependency_plan
from uvmk.sources.pip.transitive import split_transitive
from uvmk.sources.pip.wanted import _given_path, _note_order, _Wanted
from uvmk.survey.tree import Tree, walk

__all__ = [
    "Addition",
    "DependencyPlan",
    "DriftRow",
    "Note",
    "ReqFile",
    "RequirementsError",
    "SpecifierRewrite",
    "Where",
    "apply_dependency_plan",
    "discover_requirement_files",
    "file_role",
    "merge_specifiers",
    "plan_dependencies",
    "specifiers_compatible",
    "where_of",
]


def plan_dependencies(
    root: Path,
    pyproject_text: str | None,
    files: list[Path] | None = None,
    *,
    override_pins: bool = False,
    keep_pyproject_pins: bool = False,
    roles: Roles | None = None,
    extra_files: dict[str, list[str]] | None = None,
    locked: dict[str, str] | None = None,
    tree: Tree | None = None,
) -> DependencyPlan:
    """Read the requirements files (discovered when `files` is None) and plan what pyproject
    needs; `roles` are the ones the user gave, over what the names say. What it cannot migrate
    is in `refusals` (each naming file:line), and it reads on; only a pyproject.toml it cannot
    read raises RequirementsError. `extra_files`: the files setup.py reads for its extras
    (file -> extras), which pyproject's extras hold now; `locked`: the converted project's old
    lock, whose export a requirements file may be. `tree`: the survey's walk of `root`, whose
    reads the files' texts come from."""
    view = read_pyproject(pyproject_text)
    ctx = Planning(root, view, override_pins, keep_pyproject_pins)
    ctx.tree = tree
    ctx.given_roles = dict(roles or {})
    ctx.extra_files = {rel: list(extras) for rel, extras in (extra_files or {}).items()}
    ctx.locked = dict(locked or {})
    found = files if files is not None else discover_requirement_files(walk(root))
    starts = [_given_path(root, path) for path in found]
    return run(ctx, starts)


def run(ctx: Planning, starts: list[Path]) -> DependencyPlan:
    """The planning steps, in the order their findings depend on."""
    try:
        dynamic_files = dynamic_dependency_files(ctx)
    except RequirementsError as exc:
        ctx.refuse(exc)
        dynamic_files = []
    load(ctx, [*starts, *dynamic_files])
    drop_stale_dynamic(ctx)
    start_rels = [relative_posix(ctx.root, p) for p in [*starts, *dynamic_files]]
    forced = {relative_posix(ctx.root, p) for p in dynamic_files}
    kinds = {rel: pin_file_kind(ctx.parsed[rel]) for rel in ctx.parsed}
    kinds |= {  # the old lock's export (`pipenv requirements > requirements.txt`)
        rel: "compiled"
        for rel, kind in kinds.items()
        if kind == "hand-written" and ctx.locked and exports_lock(ctx.parsed[rel], ctx.locked)
    }
    ctx.compiled_files = {rel for rel, kind in kinds.items() if kind != "hand-written"}
    ctx.lock_only = compiled_from_in(ctx, kinds)
    ctx.roles = assign_roles(ctx.root, ctx.parsed, start_rels, forced, ctx.lock_only)
    ctx.roles.update(ctx.given_roles)
    note_folder_runtime(ctx, forced)
    walked = walk_roles(ctx.root, ctx.parsed, ctx.roles, ctx.lock_only)
    # an extra's file: [project.optional-dependencies] holds its lines, no group repeats them
    visits = [
        (line, table)
        for line, table in walked.lines
        if not (line.where.path in ctx.extra_files and table.startswith("dependency-groups."))
    ]
    ctx.plan.notes.extend(walked.notes)
    note_includes(ctx)
    plan_group_includes(ctx, walked.group_includes)
    note_hashes(ctx)
    direct, transitive = split_transitive(ctx, visits, kinds)
    wanted = [w for w in (_understood(ctx, line, table) for line, table in direct) if w]
    check_conflicts(ctx, wanted)
    merged = merge_duplicates(ctx, wanted)
    compare_with_pyproject(ctx, merged)
    only_pyproject(ctx, wanted, transitive)
    seed_pins(ctx, wanted, transitive)
    try:
        map_options(ctx)
    except RequirementsError as exc:
        ctx.refuse(exc)
    describe_files(ctx, kinds)
    note_commented_out(ctx)
    dev_dependencies(ctx)
    groups_to_create(ctx)
    ctx.plan.extra_files = dict(ctx.extra_files)
    ctx.plan.notes.sort(key=_note_order)  # stable: file order, notes about pyproject first
    ctx.plan.refusals.sort(key=_note_order)
    ctx.plan.conflicts.sort(key=_note_order)
    return ctx.plan


def note_folder_runtime(ctx: Planning, forced: set[str]) -> None:
    """Say why a subfolder's requirements.txt became [project] dependencies."""
    for rel, (role, _) in sorted(ctx.roles.items()):
        if role == "runtime" and rel not in forced and is_folder_requirements(rel):
            ctx.note(
                "folder-runtime",
                f"{rel} is the runtime requirements ([project] dependencies): the repository "
                "has none at its root, and no other folder has a requirements.txt",
                Where(rel, 1),
            )


def _understood(ctx: Planning, line: ReqLine, table: str) -> _Wanted | None:
    """The line's meaning; a line that cannot be migrated is a refusal, and the rest reads on."""
    try:
        return understand(ctx, line, table)
    except RequirementsError as exc:
        ctx.refuse(exc)
        return None
