"""pip's options mapped to [tool.uv], and each requirements file described (role, duplicates)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from uvmk.diagnostics import Where
from uvmk.sources.pip.dependency_plan import ReqFile
from uvmk.sources.pip.grammar import OptionLine, ParsedFile, relative_posix
from uvmk.sources.pip.options import map_pip_options
from uvmk.sources.pip.planning import Planning


def map_options(ctx: Planning) -> None:
    options: list[OptionLine] = []
    # Runtime files first: their --index-url and friends are what production used.
    rank = {"runtime": 0, "group": 1, "constraints": 2, "include-only": 3}
    for rel in sorted(ctx.parsed, key=lambda r: (rank[ctx.roles[r][0]], r)):
        options.extend(ctx.parsed[rel].options)
        for where, code, why in ctx.parsed[rel].ignored:
            ctx.note(code, why, where)
    settings = map_pip_options(options, ctx.root, ctx.view.tool_uv)
    ctx.plan.indexes.extend(settings.indexes)
    for key, value in settings.tool_uv.items():
        ctx.plan.tool_uv[key] = value
    ctx.plan.notes.extend(settings.notes)


def describe_files(
    ctx: Planning, kinds: dict[str, Literal["hand-written", "compiled", "freeze"]]
) -> None:
    for rel, parsed in ctx.parsed.items():
        role, group = ctx.roles[rel]
        includes = tuple(relative_posix(ctx.root, i.resolved) for i in parsed.includes)
        ctx.plan.files.append(
            ReqFile(
                path=rel,
                role=role,
                group=group if role == "group" else None,
                lines=parsed.physical_lines,
                includes=includes,
                duplicates=duplicates_text(ctx, parsed),
                kind="compile-input"
                if rel.endswith(".in") and rel.removesuffix(".in") + ".txt" in ctx.lock_only
                else kinds[rel],
            )
        )
        if role == "include-only":
            ctx.note(
                "include-only",
                f"{rel} is only used through -r: its requirements belong to the including file",
                Where(rel, 1),
            )


def note_commented_out(ctx: Planning) -> None:
    """`# onnx>=1.10.0  # ONNX export`: an optional requirement documented in a comment has no
    place in pyproject's arrays (a comment there would not say which table it was meant for),
    so each file says how many it leaves behind, and which."""
    for rel, parsed in ctx.parsed.items():
        if rel in ctx.compiled_files:
            continue  # pip-compile's `#   via pkg` annotations, not requirements put aside
        found = [(c.where, r) for c in parsed.comments if (r := commented_requirement(c.text))]
        if not found:
            continue
        shown = ", ".join(r for _, r in found[:5]) + (" …" if len(found) > 5 else "")
        ctx.note(
            "commented-out",
            f"{len(found)} commented-out requirement line(s) not carried over into "
            f"pyproject.toml ({shown}): add the ones you want to a group",
            found[0][0],
        )


def commented_requirement(comment: str) -> str | None:
    """The requirement a comment line holds (`# onnx>=1.10.0  # optional`), if it is one: a
    name with a version, extras, a marker or a URL; a bare name only with a why beside it
    (`# mss  # screenshots`) or spelled like no word of prose (`# comet_ml`): a lone
    capitalised word is more often a heading."""
    body, *why = re.split(r"\s#", comment.strip().lstrip("#").strip(), maxsplit=1)
    body = body.strip()
    try:
        req = Requirement(body)
    except InvalidRequirement:
        return None
    if req.specifier or req.extras or req.marker or req.url:
        return body
    return body if why or (body.islower() and re.search(r"[-_\d]", body)) else None


def duplicates_text(ctx: Planning, parsed: ParsedFile) -> str | None:
    named = [r for r in parsed.requirements if r.name]
    tables = Counter(matching_table(ctx, canonicalize_name(r.name)) for r in named if r.name)
    tables.pop(None, None)
    count = sum(tables.values())
    if not count:
        return None
    where = ", ".join(f"[{t}]" for t, _ in tables.most_common())
    return f"{count}/{len(parsed.requirements)} requirements duplicate {where}"


def matching_table(ctx: Planning, key: str) -> str | None:
    found = ctx.view.lookup(key)
    return found[0].table if found else None
