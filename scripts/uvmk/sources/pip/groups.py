"""Dependency groups: one per group file, its {include-group} entries, the project extras it
pulls in; [tool.uv] dev-dependencies moved into [dependency-groups] dev."""

from __future__ import annotations

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from uvmk.diagnostics import Where
from uvmk.sources.pip.dependency_plan import Addition, DriftRow
from uvmk.sources.pip.planning import Planning
from uvmk.sources.pip.roles import RUNTIME_TABLE, file_role


def plan_group_includes(ctx: Planning, includes: dict[str, list[str]]) -> None:
    """Only the {include-group = ...} entries pyproject does not have yet. A group whose file
    is an extra's (requirements-plot.txt, read by setuptools for [plot]) is no group: the
    including group pulls the extra in instead (`mypkg[plot]`)."""
    extra_groups = {
        ctx.roles[rel][1]: (extras, rel)
        for rel, extras in ctx.extra_files.items()
        if rel in ctx.roles and ctx.roles[rel][0] == "group"
    }
    for group, included in list(includes.items()):
        for name in [g for g in included if g in extra_groups and g != "dev"]:
            extras, rel = extra_groups[name]
            want_self_extras(ctx, group, extras, Where(rel, 1))
        includes[group] = [g for g in included if g not in extra_groups or g == "dev"]
    for group, included in includes.items():
        missing = [g for g in included if g not in ctx.view.group_includes.get(group, set())]
        if missing:
            ctx.plan.group_includes[group] = missing


def groups_to_create(ctx: Planning) -> None:
    """Every group file gets its group, even when all its lines are already declared
    elsewhere: `uv sync --group test` / `uv export --group test` must keep working."""
    existing = set(ctx.view.groups)
    if ctx.plan.dev_dependencies_to_group:
        existing.add("dev")
    created: dict[str, str] = {}
    for rel, (role, group) in sorted(ctx.roles.items()):
        if role != "group" or group is None or group in existing or rel in ctx.extra_files:
            continue
        existing.add(group)
        created[group] = rel
        ctx.plan.groups.append(group)
        group_includes_its_extra(ctx, rel, group)
    dev_group_from_extra(ctx, existing)
    plan_self_extras(ctx)
    for group, rel in created.items():
        claim_same_install(ctx, rel, group)
    for group, rel in created.items():
        table = f"dependency-groups.{group}"
        if not any(a.table == table for a in ctx.plan.additions) and not (
            ctx.plan.group_includes.get(group)
        ):
            ctx.note(
                "empty-group",
                f"{rel} adds nothing new: [dependency-groups] {group} is created empty so "
                f"`uv sync --group {group}` keeps working",
                Where(rel, 1),
            )


def dev_group_from_extra(ctx: Planning, existing: set[str]) -> None:
    """requirements-dev.txt read by setuptools for an extra (extras_require["dev"], dynamic
    optional-dependencies): the extra keeps its lines, and [dependency-groups] dev pulls it in
    (`mypkg[dev]`), so `uv sync` and `uv run`, which install the dev group by default, bring
    the tools. Any other extra's file (plot) is that extra alone."""
    if "dev" in existing:
        return
    for rel, extras in sorted(ctx.extra_files.items()):
        if file_role(rel) == ("group", "dev") and ctx.project_name:
            ctx.plan.groups.append("dev")
            want_self_extras(ctx, "dev", extras, Where(rel, 1))
            ctx.note(
                "dev-group-from-extra",
                f"{rel} is [project.optional-dependencies] {', '.join(extras)} (setuptools read "
                "it there): [dependency-groups] dev pulls that in, so `uv sync` installs the "
                "tools, and the lines are written once",
                Where(rel, 1),
            )
            return


def group_includes_its_extra(ctx: Planning, rel: str, group: str) -> None:
    """requirements-dev.txt repeating the packages of [project.optional-dependencies] extras
    (dev, quality, ...): `pip install -r` installed them, so the new group pulls in every extra
    the file repeats whole (`demo[dev,quality]`), and takes the repeated lines themselves from
    an extra it repeats only in part (the extra's other packages were never installed)."""
    extras = ctx.view.project.get("optional-dependencies")
    if not isinstance(extras, dict):
        return
    table = f"dependency-groups.{group}"
    whole: list[str] = []
    for written in extras:
        place = f"project.optional-dependencies.{written}"
        rows = [
            d
            for d in ctx.plan.drift
            if d.pyproject_where == place
            and d.requirements_where
            and d.requirements_where.path == rel
        ]
        if not rows:
            continue
        entries = {d.key for d in ctx.view.declared if d.table == place and d.via is None}
        repeated = {canonicalize_name(d.name) for d in rows}
        if entries <= repeated:
            whole.append(written)
            continue
        for d in rows:
            assert d.pyproject is not None and d.requirements_where is not None
            ctx.plan.additions.append(Addition(table, d.pyproject, d.requirements_where))
            ctx.note(
                "extra-lines-added",
                f"{d.pyproject} added to [{table}]: {rel} repeats only part of [{place}], "
                f"so the group takes the lines it repeats, not the whole extra",
                d.requirements_where,
            )
    if whole:
        want_self_extras(ctx, group, whole, Where(rel, 1))


def claim_same_install(ctx: Planning, rel: str, group: str) -> None:
    """Say that `uv sync --group` installs what `pip install -r rel` did only when every package
    the file names is in the group, the extras it pulls in, or the runtime dependencies."""
    named = {canonicalize_name(d.name) for d in _rows_of(ctx, rel) if d.requirements}
    table = f"dependency-groups.{group}"
    extras, _ = ctx.self_extras.get(group, ([], Where(rel, 1)))
    places = {table, RUNTIME_TABLE} | {f"project.optional-dependencies.{e}" for e in extras}
    covered = {d.key for d in ctx.view.declared if d.table in places}
    covered |= {
        _key(a.requirement) for a in ctx.plan.additions if a.table in (table, RUNTIME_TABLE)
    }
    if not named or not extras or not named <= covered:
        return
    sync = "uv sync" if group == "dev" else f"uv sync --group {group}"
    ctx.note(
        "group-includes-extra",
        f"{rel} repeats [project.optional-dependencies] {', '.join(extras)}: [{table}] pulls "
        f"{'them' if len(extras) > 1 else 'it'} in, so `{sync}` installs every package "
        f"`pip install -r {rel}` named",
        Where(rel, 1),
    )


def _rows_of(ctx: Planning, rel: str) -> list[DriftRow]:
    return [d for d in ctx.plan.drift if d.requirements_where and d.requirements_where.path == rel]


def _key(requirement: str) -> str:
    try:
        return canonicalize_name(Requirement(requirement).name)
    except InvalidRequirement:
        return ""


def want_self_extras(ctx: Planning, group: str, extras: list[str], where: Where) -> None:
    wanted, first = ctx.self_extras.get(group, ([], where))
    known = {canonicalize_name(e) for e in wanted}
    wanted = [*wanted, *(e for e in extras if canonicalize_name(e) not in known)]
    ctx.self_extras[group] = (wanted, first)


def plan_self_extras(ctx: Planning) -> None:
    """One `demo[a,b]` per group for the extras its files asked for, unless the group
    already pulls them in; a group with another self-reference is left to the user."""
    for group, (extras, where) in ctx.self_extras.items():
        present = ctx.view.self_references(group)
        missing = [e for e in extras if canonicalize_name(e) not in present]
        if not missing or not ctx.project_name:
            continue
        table = f"dependency-groups.{group}"
        requirement = f"{ctx.project_name}[{','.join(missing)}]"
        if present:
            ctx.note(
                "self-reference-kept",
                f"[{table}] already refers to the project itself: add the extras "
                f"{', '.join(missing)} to it yourself",
                where,
            )
            continue
        ctx.plan.additions.append(Addition(table, requirement, where))
        ctx.note("added", f"{requirement} added to [{table}]", where)


def dev_dependencies(ctx: Planning) -> None:
    if "dev-dependencies" in ctx.view.tool_uv:
        ctx.plan.dev_dependencies_to_group = True
        ctx.note(
            "dev-dependencies-converted",
            "[tool.uv] dev-dependencies (deprecated) moves into [dependency-groups] dev",
        )
