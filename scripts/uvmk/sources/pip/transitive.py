"""pip-compile output and pip freeze dumps: which pins are direct dependencies, which only
seed uv.lock."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from uvmk.diagnostics import Where
from uvmk.sources.pip.compiled import (
    FileKind,
    has_via,
    is_pkg_resources_artefact,
    kind_evidence,
    via_direct_lines,
)
from uvmk.sources.pip.grammar import ReqLine
from uvmk.sources.pip.lines import is_self
from uvmk.sources.pip.planning import Planning
from uvmk.sources.pip.roles import CONSTRAINTS_TABLE, RUNTIME_TABLE


def split_transitive(
    ctx: Planning, visits: list[tuple[ReqLine, str]], kinds: dict[str, FileKind]
) -> tuple[list[tuple[ReqLine, str]], list[tuple[ReqLine, str]]]:
    """Lines of compiled/frozen files that are not direct dependencies only seed the lock.
    Direct = annotated `# via -r ...` (pip-compile), or already declared in pyproject; when
    a frozen file has neither and pyproject declares nothing for its table, all its pins are
    kept as direct dependencies (and we say so), because dropping them would break installs."""
    direct: list[tuple[ReqLine, str]] = []
    transitive: list[tuple[ReqLine, str]] = []
    by_file: dict[str, list[tuple[ReqLine, str]]] = {}
    for line, table in visits:
        if table == CONSTRAINTS_TABLE:
            direct.append((line, table))  # a constraint pin is a constraint, frozen or not
        else:
            by_file.setdefault(line.where.path, []).append((line, table))
    for rel, items in by_file.items():
        kind = kinds[rel]
        if kind == "hand-written":
            direct.extend(items)
            continue
        parsed = ctx.parsed[rel]
        if rel in ctx.lock_only:
            seed_only(ctx, rel, items, direct, transitive)
            continue
        via_direct = via_direct_lines(parsed)
        annotated = has_via(parsed)
        keep_all = not annotated and not any(declared_for(ctx, t) for _, t in items)
        kept: list[tuple[ReqLine, str]] = []
        seeded: list[tuple[ReqLine, str]] = []
        for line, table in items:
            if is_pkg_resources_artefact(line):
                ctx.note(
                    "pkg-resources-dropped",
                    "pkg-resources==0.0.0 is an artefact of Debian/Ubuntu pip freeze: dropped",
                    line.where,
                )
                continue
            is_direct = (
                keep_all
                or not line.name
                or bool(line.link)
                or line.where.line in via_direct
                or bool(ctx.view.lookup(canonicalize_name(line.name)))
                or is_self(ctx, line)
            )
            (kept if is_direct else seeded).append((line, table))
        direct.extend(kept)
        transitive.extend(seeded)
        what = "pip-compile output" if kind == "compiled" else "a pip freeze dump"
        first = Where(rel, 1)
        ctx.note(
            f"{kind}-file",
            f"{rel} is read as {what} ({kind_evidence(parsed, kind)}): its exact pins seed "
            f"uv.lock; only direct requirements go to pyproject",
            first,
        )
        if keep_all:
            ctx.note(
                "freeze-all-added",
                f"{rel} looks like {what} and pyproject declares nothing to tell direct "
                f"from transitive: all {len(kept)} pins are added as direct dependencies "
                f"(as >= bounds; uv.lock keeps the exact versions): remove the transitive ones",
                first,
            )
        elif seeded:
            names = ", ".join(line.name or "?" for line, _ in seeded[:8])
            more = f" and {len(seeded) - 8} more" if len(seeded) > 8 else ""
            basis = "`# via` annotations" if annotated else "what pyproject declares"
            ctx.note(
                "transitive-pins-seeded",
                f"{rel} is {what}: {len(seeded)} transitive pins ({names}{more}) seed uv.lock "
                f"instead of becoming dependencies (direct ones told by {basis})",
                first,
            )
    return direct, transitive


def seed_only(
    ctx: Planning,
    rel: str,
    items: list[tuple[ReqLine, str]],
    direct: list[tuple[ReqLine, str]],
    transitive: list[tuple[ReqLine, str]],
) -> None:
    """Every pin of a .txt compiled from a .in seeds uv.lock; its direct dependencies come
    from the .in, with the ranges written there. A path/URL line has no pin: kept direct."""
    seeded = [(line, table) for line, table in items if line.name and not line.link]
    direct.extend((line, table) for line, table in items if not line.name or line.link)
    transitive.extend(seeded)
    source = rel.removesuffix(".txt") + ".in"
    names = ", ".join(line.name or "?" for line, _ in seeded[:8])
    more = f" and {len(seeded) - 8} more" if len(seeded) > 8 else ""
    ctx.note(
        "transitive-pins-seeded",
        f"{rel} is pip-compile output of {source}: its {len(seeded)} pins ({names}{more}) "
        f"seed uv.lock; the direct dependencies are read from {source}, as written there",
        Where(rel, 1),
    )


def declared_for(ctx: Planning, table: str) -> bool:
    """Does pyproject already declare dependencies for this table's purpose? (If not, a
    frozen file is the only record of what the project needs.)"""
    if table == CONSTRAINTS_TABLE:
        return bool(ctx.view.constraints)
    if table == RUNTIME_TABLE:
        return any(d.table == RUNTIME_TABLE for d in ctx.view.declared)
    group = table.split(".", 1)[1]
    places = {table, f"project.optional-dependencies.{group}"}
    if group == "dev":
        places.add("tool.uv.dev-dependencies")
    return any(d.table in places for d in ctx.view.declared)
