"""The exact pins the team tested that seed uv.lock."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from uvmk.diagnostics import Where
from uvmk.sources.pip.grammar import ReqLine
from uvmk.sources.pip.planning import Planning
from uvmk.sources.pip.specifiers import exact_pin, specifier_within
from uvmk.sources.pip.wanted import _requirement_key, _Wanted


def seed_pins(ctx: Planning, wanted: list[_Wanted], transitive: list[tuple[ReqLine, str]]) -> None:
    """Every exact pin the team tested that pyproject's range allows seeds uv.lock."""
    pins: dict[str, tuple[str, Where]] = {}
    conflicts: set[str] = set()
    candidates = [(w.key, w.specifier, w.marker, w.line.where) for w in wanted if not w.source] + [
        (canonicalize_name(line.name), line.specifier, line.marker, line.where)
        for line, _ in transitive
        if line.name
    ]
    rewritten_keys = {_requirement_key(r.new) for r in ctx.plan.rewrites}
    # Ranges the lock must also respect: requirements and constraints from the old files
    # (a transitive pin can contradict a direct requirement elsewhere).
    bounds: dict[str, list[tuple[str, str | None, Where]]] = {}
    for w in wanted:
        if w.specifier:
            bounds.setdefault(w.key, []).append((w.specifier, w.marker, w.line.where))
    for d in ctx.view.constraints:
        if d.specifier:
            bounds.setdefault(d.key, []).append((d.specifier, d.marker, Where("pyproject.toml", 0)))
    for key, specifier, marker, where in candidates:
        version = exact_pin(specifier)
        if version is None:
            continue
        if not all(
            specifier_within(specifier, d.specifier)
            for d in ctx.view.lookup(key)
            if key not in rewritten_keys
        ):
            continue
        against = [
            (b, w)
            for b, m, w in bounds.get(key, [])
            if (m is None or m == marker) and not specifier_within(specifier, b)
        ]
        if against:
            bound, bound_where = against[0]
            ctx.note(
                "seed-skipped",
                f"{key}=={version} is not kept in uv.lock: {bound} ({bound_where}) excludes it",
                where,
            )
            continue
        if key in pins and pins[key][0] != version:
            conflicts.add(key)
            ctx.note(
                "seed-conflict",
                f"{key} is pinned to {pins[key][0]} ({pins[key][1]}) and {version}: "
                f"uv lock chooses",
                where,
            )
        pins.setdefault(key, (version, where))
    ctx.plan.seed_pins = {k: v for k, (v, _) in sorted(pins.items()) if k not in conflicts}
