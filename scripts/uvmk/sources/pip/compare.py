"""Each wanted requirement against what pyproject declares: added, consistent, drift, or kept."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from uvmk.sources.pip.dependency_plan import Addition, DriftKind, DriftRow, SpecifierRewrite
from uvmk.sources.pip.grammar import Note, ReqLine, toml_text
from uvmk.sources.pip.planning import Planning
from uvmk.sources.pip.pyproject import Declared
from uvmk.sources.pip.roles import CONSTRAINTS_TABLE, RUNTIME_TABLE
from uvmk.sources.pip.specifiers import specifier_within
from uvmk.sources.pip.wanted import _Wanted, _with_specifier

GROUP_PREFIX = "dependency-groups."


def compare_with_pyproject(ctx: Planning, merged: list[_Wanted]) -> None:
    runtime: dict[str, set[str]] = {}  # key -> the extras the runtime dependencies ask for
    for d in ctx.view.declared:
        if d.table == RUNTIME_TABLE:
            runtime.setdefault(d.key, set()).update(d.extras)
    for w in merged:
        if w.table == RUNTIME_TABLE:
            runtime.setdefault(w.key, set()).update(canonicalize_name(e) for e in w.extras)
    for w in merged:
        if w.source is not None:
            plan_source(ctx, w)
        plan_config_settings(ctx, w)
        if w.table == CONSTRAINTS_TABLE:
            plan_constraint(ctx, w)
            continue
        if extras_not_declared(ctx, w, runtime):
            continue
        declared = matching_declared(ctx, w)
        if declared is not None and not reaches(ctx, w.table, declared) and within(w, declared):
            add_to_own_group(ctx, w, declared)
            continue
        if declared is None and w.table != RUNTIME_TABLE and w.key in runtime:
            ctx.note(
                "already-runtime",
                f"{w.text} is a runtime dependency already: not repeated in [{w.table}]",
                w.line.where,
            )
            continue
        if declared is None:
            text = _add(ctx, w)
            if text == w.text:
                ctx.note("added", f"{text} added to [{w.table}]", w.line.where)
            else:
                # no .in says what was asked for: an exact compiled pin as the project's own
                # requirement would freeze every later upgrade
                ctx.note(
                    "weakened",
                    f"{text} added to [{w.table}]: weakened from {w.text} because "
                    f"{w.line.where.path} is generated output with no .in beside it; "
                    f"uv.lock keeps {w.specifier.lstrip('=')}",
                    w.line.where,
                )
            continue
        drift(ctx, w, declared)


def extras_not_declared(ctx: Planning, w: _Wanted, runtime: dict[str, set[str]]) -> bool:
    """`psycopg[binary]` in the dev file while the runtime (or pyproject) has `psycopg[c]`:
    the extras install other packages (psycopg-binary), so the line is a requirement of its
    own in its table, never dropped as already declared. True when it was added so."""
    if not w.extras:
        return False
    asked = {canonicalize_name(e) for e in w.extras}
    have = set(runtime.get(w.key, set())) if w.table != RUNTIME_TABLE else set()
    for d in ctx.view.lookup(w.key):
        if d.table in (w.table, RUNTIME_TABLE):
            have |= d.extras
    elsewhere = bool(ctx.view.lookup(w.key)) or (w.table != RUNTIME_TABLE and w.key in runtime)
    if not elsewhere or asked <= have:
        return False
    missing = sorted(asked - have)
    text = _add(ctx, w)
    ctx.note(
        "extras-kept",
        f"{text} added to [{w.table}]: {w.name} is declared elsewhere without the extras "
        f"[{','.join(missing)}], which install packages of their own",
        w.line.where,
    )
    return True


def matching_declared(ctx: Planning, w: _Wanted) -> Declared | None:
    found = ctx.view.lookup(w.key)
    if not found:
        return None

    def rank(d: Declared) -> tuple[bool, bool, bool, bool]:
        return (
            not reaches(ctx, w.table, d),
            d.marker != w.marker,
            d.table != w.table,
            d.via is not None,
        )

    return sorted(found, key=rank)[0]


def within(w: _Wanted, d: Declared) -> bool:
    """Is the line's specifier inside the declared one (a pin outside it is a conflict)?"""
    return not w.specifier or specifier_within(w.specifier, d.specifier)


def reaches(ctx: Planning, table: str, d: Declared) -> bool:
    """Does what installs `table` install `d` too? The runtime is in every export that lists
    one of its packages; a group has its own entries and the groups it includes, not another
    group's (an extra's lines a group file repeats make the group include the extra: a step of
    its own)."""
    if d.table in (table, RUNTIME_TABLE) or not table.startswith(GROUP_PREFIX):
        return True
    group = canonicalize_name(table.removeprefix(GROUP_PREFIX))
    if d.table == "tool.uv.dev-dependencies":  # becomes [dependency-groups] dev
        return group == "dev"
    if not d.table.startswith(GROUP_PREFIX):
        return True
    wanted = canonicalize_name(d.table.removeprefix(GROUP_PREFIX))
    pending: list[str] = [group]
    seen: set[str] = set()
    while pending:
        current = pending.pop()
        if current == wanted:
            return True
        if current not in seen:
            seen.add(current)
            pending += sorted(ctx.view.group_includes.get(current, set()))
    return False


def _add(ctx: Planning, w: _Wanted) -> str:
    """`w` goes into its table as it will be written (that text, returned), drift says the
    line was in the requirements only."""
    text = w.added_text
    ctx.plan.additions.append(Addition(w.table, text, w.line.where, w.line.comment))
    ctx.plan.drift.append(DriftRow(w.name, None, None, w.text, w.line.where, "only-requirements"))
    return text


def add_to_own_group(ctx: Planning, w: _Wanted, d: Declared) -> None:
    """requests: requirements-dev.txt (the dev group) lists pytest, which pyproject declares
    in its test group: the file's export installs the dev group, so pytest joins it too."""
    text = _add(ctx, w)
    ctx.note(
        "added",
        f"{text} added to [{w.table}]: pyproject declares {d.requirement} in [{d.table}], "
        f"which {w.line.where.path} did not install alone",
        w.line.where,
    )


def drift(ctx: Planning, w: _Wanted, d: Declared) -> None:
    if w.table == RUNTIME_TABLE and d.table != RUNTIME_TABLE:
        ctx.note(
            "declared-elsewhere",
            f"{w.text} is a runtime requirement but pyproject declares it only in "
            f"[{d.table}]: not made a runtime dependency (move it yourself if production "
            f"needs it)",
            w.line.where,
        )
    kind: DriftKind
    if d.marker != w.marker:
        kind = "marker-differs"
        why = f"marker `{w.marker or 'none'}` vs pyproject `{d.marker or 'none'}`"
    elif d.extras != {canonicalize_name(e) for e in w.extras}:
        kind = "extras-differ"
        why = f"extras [{','.join(w.extras)}] vs pyproject [{','.join(sorted(d.extras))}]"
    elif w.specifier and not specifier_within(w.specifier, d.specifier):
        kind = "pin-outside-range"
        why = f"{w.specifier} is outside pyproject's {d.specifier or '(any)'}"
    else:
        kind = "consistent"
        why = ""
    place = f"{d.table} via {d.via}" if d.via else d.table
    ctx.plan.drift.append(DriftRow(w.name, d.requirement, place, w.text, w.line.where, kind))
    if kind == "consistent":
        return
    literal = d if d.via is None else written_entry(ctx, d)
    if kind == "pin-outside-range" and ctx.override_pins and literal is not None:
        d = literal  # rewrite the string where it is written, not the self-reference
        new = _with_specifier(d.requirement, w.specifier)
        ctx.plan.rewrites.append(SpecifierRewrite(d.table, d.requirement, new, w.line.where))
        ctx.note(
            "override-pin",
            f"--override-pins: [{d.table}] {d.requirement} -> {new}",
            w.line.where,
        )
        return
    if kind == "pin-outside-range" and not ctx.keep_pyproject_pins:
        ctx.plan.conflicts.append(
            Note(
                "conflict",
                f"{w.text} is outside pyproject's [{d.table}] {d.requirement}",
                w.line.where,
            )
        )
        return
    if kind == "pin-outside-range":
        ctx.note(
            "keep-pyproject-pin",
            f"--keep-pyproject-pins: {w.text} dropped, pyproject's [{d.table}] "
            f"{d.requirement} kept (the lock takes a version inside it)",
            w.line.where,
        )
        return
    ctx.note(
        kind,
        f"{w.text}: {why}; pyproject's [{d.table}] {d.requirement} kept",
        w.line.where,
    )


def written_entry(ctx: Planning, expanded: Declared) -> Declared | None:
    """The entry, as written in its own extra, that a self-reference expanded into."""
    return next(
        (
            d
            for d in ctx.view.lookup(expanded.key)
            if d.via is None and d.requirement == expanded.requirement
        ),
        None,
    )


def plan_constraint(ctx: Planning, w: _Wanted) -> None:
    for d in ctx.view.constraints:
        if d.key == w.key and d.marker == w.marker:
            inside = not w.specifier or specifier_within(w.specifier, d.specifier)
            kind: DriftKind = "consistent" if inside else "pin-outside-range"
            ctx.plan.drift.append(
                DriftRow(w.name, d.requirement, d.table, w.text, w.line.where, kind)
            )
            if not inside:
                ctx.note(
                    "constraint-differs",
                    f"constraint {w.text} differs from [tool.uv] constraint-dependencies "
                    f"{d.requirement}: pyproject kept",
                    w.line.where,
                )
            return
    ctx.plan.additions.append(Addition(CONSTRAINTS_TABLE, w.text, w.line.where))
    ctx.note(
        "constraint-added",
        f"{w.text} -> [tool.uv] constraint-dependencies (limits versions, installs nothing)",
        w.line.where,
    )


def plan_source(ctx: Planning, w: _Wanted) -> None:
    assert w.source is not None
    existing = ctx.view.tool_uv.get("sources")
    existing = existing if isinstance(existing, dict) else {}
    for name, value in existing.items():
        if canonicalize_name(name) == w.key:
            if value != w.source:
                ctx.note(
                    "source-kept",
                    f"[tool.uv.sources] {name} already set to {toml_text(value)}: kept",
                    w.line.where,
                )
            return
    ctx.plan.sources.setdefault(w.name, w.source)


def plan_config_settings(ctx: Planning, w: _Wanted) -> None:
    if not w.line.config_settings:
        return
    current = ctx.view.tool_uv.get("config-settings-package")
    current = current.get(w.name, {}) if isinstance(current, dict) else {}
    wanted = {k: v for k, v in w.line.config_settings if current.get(k) != v}
    if wanted:
        per_package = ctx.plan.tool_uv.setdefault("config-settings-package", {})
        per_package.setdefault(w.name, {}).update(wanted)
        ctx.note(
            "config-settings",
            f"--config-settings of {w.name} -> [tool.uv] config-settings-package",
            w.line.where,
        )


def only_pyproject(
    ctx: Planning, wanted: list[_Wanted], transitive: list[tuple[ReqLine, str]]
) -> None:
    """What pyproject declares in a table the requirements files feed (runtime, a dependency
    group, an extra a group pulls in or a line matched) and no requirements file lists."""
    seen = {w.key for w in wanted} | {
        canonicalize_name(line.name) for line, _ in transitive if line.name
    }
    fed = {w.table for w in wanted} | {table for _, table in transitive}
    if any(role == "runtime" for role, _ in ctx.roles.values()):
        fed.add(RUNTIME_TABLE)
    for group, (extras, _) in ctx.self_extras.items():
        fed.add(f"dependency-groups.{group}")
        fed |= {f"project.optional-dependencies.{canonicalize_name(e)}" for e in extras}
    for group in {t.split(".", 1)[1] for t in fed if t.startswith("dependency-groups.")}:
        fed |= {f"project.optional-dependencies.{e}" for e in ctx.view.self_references(group) if e}
    for w in wanted:
        declared = matching_declared(ctx, w)
        if declared is not None:
            fed.add(declared.table)
    for d in ctx.view.declared:
        if d.via is None and d.table in fed and d.key not in seen and d.key != ctx.project_key:
            seen.add(d.key)
            ctx.plan.drift.append(
                DriftRow(d.name, d.requirement, d.table, None, None, "only-pyproject")
            )
