"""The same package listed twice: refused when no version satisfies both, else merged."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from uvmk.sources.pip.planning import Planning
from uvmk.sources.pip.specifiers import merge_specifiers, specifiers_compatible
from uvmk.sources.pip.wanted import _union_extras, _Wanted, requirement_text


def check_conflicts(ctx: Planning, wanted: list[_Wanted]) -> None:
    """uv resolves every table together: the same package under the same marker must be
    satisfiable by one version, wherever it is listed. Every pair that cannot is refused (all
    of them, each at the later line)."""
    by_key: dict[tuple[str, str | None], list[_Wanted]] = {}
    for w in wanted:
        by_key.setdefault((w.key, w.marker), []).append(w)
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if not specifiers_compatible(a.specifier, b.specifier):
                    ctx.refuse(
                        f"{a.name}{a.specifier} ({a.line.where}) and {b.name}{b.specifier} "
                        f"({b.line.where}) cannot both hold",
                        b.line.where,
                    )
                elif a.source and b.source and a.source != b.source:
                    ctx.refuse(
                        f"{a.name} comes from two different places: {a.line.where} and "
                        f"{b.line.where}",
                        b.line.where,
                    )


def merge_duplicates(ctx: Planning, wanted: list[_Wanted]) -> list[_Wanted]:
    merged: dict[tuple[str, str, str | None], _Wanted] = {}
    for w in wanted:
        slot = (w.table, w.key, w.marker)
        first = merged.get(slot)
        if first is None:
            merged[slot] = w
            continue
        specifier = merge_specifiers(first.specifier, w.specifier)
        extras = _union_extras(first.extras, w.extras)
        if {canonicalize_name(e) for e in first.extras} != {canonicalize_name(e) for e in w.extras}:
            ctx.note(
                "extras-merged",
                f"{w.name} asks for extras [{','.join(first.extras)}] at "
                f"{first.line.where} and [{','.join(w.extras)}]: both kept as "
                f"[{','.join(extras)}]",
                w.line.where,
            )
        ctx.note(
            "duplicate-merged",
            f"{w.text} repeats {first.text} ({first.line.where}): merged as "
            f"{requirement_text(first.name, extras, specifier, first.marker)}",
            w.line.where,
        )
        merged[slot] = _Wanted(
            line=first.line,
            table=first.table,
            name=first.name,
            key=first.key,
            extras=extras,
            specifier=specifier,
            marker=first.marker,
            source=first.source or w.source,
            compiled=first.compiled and w.compiled,
        )
    return list(merged.values())
