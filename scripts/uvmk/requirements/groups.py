"""Dependency groups: one per group file, its {include-group} entries, the project extras it
pulls in; [tool.uv] dev-dependencies moved into [dependency-groups] dev."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from uvmk.requirements.contract import Addition
from uvmk.requirements.grammar import Where
from uvmk.requirements.planning import Planning


def plan_group_includes(ctx: Planning, includes: dict[str, list[str]]) -> None:
    """Only the {include-group = ...} entries pyproject does not have yet."""
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
        if role != "group" or group is None or group in existing:
            continue
        existing.add(group)
        created[group] = rel
        ctx.plan.groups.append(group)
        group_includes_its_extra(ctx, rel, group)
    plan_self_extras(ctx)
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


def group_includes_its_extra(ctx: Planning, rel: str, group: str) -> None:
    """requirements-dev.txt repeating [project.optional-dependencies] dev: `pip install -r`
    installed those packages, so the new dev group pulls the extra in (`demo[dev]`) rather
    than staying empty; nothing is declared twice."""
    extras = ctx.view.project.get("optional-dependencies")
    written = (
        next((k for k in extras or {} if canonicalize_name(k) == group), None)
        if isinstance(extras, dict)
        else None
    )
    if written is None:
        return
    table = f"project.optional-dependencies.{written}"
    if any(
        d.pyproject_where == table and d.requirements_where and d.requirements_where.path == rel
        for d in ctx.plan.drift
    ):
        ctx.note(
            "group-includes-extra",
            f"{rel} repeats [{table}]: [dependency-groups] {group} pulls the extra in, so "
            f"`uv sync` installs what `pip install -r {rel}` did",
            Where(rel, 1),
        )
        want_self_extras(ctx, group, [written], Where(rel, 1))


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
