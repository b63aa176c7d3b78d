"""[tool.setuptools.dynamic] optional-dependencies.<extra> = {file = [...]}: each file's
requirements become that extra's static list in [project.optional-dependencies]. setuptools reads
plain requirement lines there, so an option, include or URL line cannot be one of them."""

from __future__ import annotations

from typing import Any

from uvmk.diagnostics import Where
from uvmk.sources.pip.grammar import RequirementsError, parse_requirements_file, relative_posix
from uvmk.sources.pip.planning import Planning
from uvmk.sources.pip.pyproject import pyproject_line
from uvmk.sources.pip.wanted import requirement_text


def static_extras(ctx: Planning, spec: Any) -> dict[str, list[str]]:
    text = ctx.view.text
    # the [tool.setuptools.dynamic] entry, not the `dynamic = [...]` list
    line = pyproject_line(
        text, r"^\s*\[?(tool\.setuptools\.dynamic\.)?optional-dependencies[\].=\s]"
    ) or pyproject_line(text, r"optional-dependencies")
    if not isinstance(spec, dict):
        raise RequirementsError(
            "[tool.setuptools.dynamic] optional-dependencies is not a table of "
            f"{{file = [...]}} entries (pyproject.toml:{line})"
        )
    extras: dict[str, list[str]] = {}
    for extra, entry in spec.items():
        files = entry.get("file") if isinstance(entry, dict) else None
        files = [files] if isinstance(files, str) else files
        if not isinstance(files, list) or not files:
            raise RequirementsError(
                f"[tool.setuptools.dynamic] optional-dependencies.{extra} is not read from "
                f"files (pyproject.toml:{line})"
            )
        items = extras.setdefault(str(extra), [])
        for rel in files:
            items += _plain_requirements(ctx, str(extra), str(rel), line)
            path = relative_posix(ctx.root, ctx.root / str(rel))
            ctx.extra_files.setdefault(path, []).append(str(extra))
    sources = ", ".join(
        f"{k} <- {', '.join(map(str, v.get('file', [])))}" if isinstance(v, dict) else k
        for k, v in spec.items()
    )
    ctx.note(
        "dynamic-optional-dependencies",
        f'dynamic = ["optional-dependencies"] ({sources}) becomes static '
        "[project.optional-dependencies]; the [tool.setuptools.dynamic] entry is removed",
        Where("pyproject.toml", line),
    )
    return extras


def _plain_requirements(ctx: Planning, extra: str, rel: str, line: int) -> list[str]:
    path = ctx.root / rel
    if not path.is_file():
        raise RequirementsError(
            f"[tool.setuptools.dynamic] optional-dependencies.{extra} reads {rel}, "
            f"which does not exist (pyproject.toml:{line})"
        )
    parsed = parse_requirements_file(ctx.root, path)
    odd: list[Where] = [
        *(o.where for o in parsed.options),
        *(i.where for i in parsed.includes),
        *(r.where for r in parsed.requirements if r.link or not r.name),
    ]
    if odd:
        raise RequirementsError(
            f"{rel} holds a line setuptools cannot read as an optional dependency "
            f"of [{extra}] ({min(odd, key=lambda w: w.line)})"
        )
    return [
        requirement_text(r.name or "", r.extras, r.specifier, r.marker) for r in parsed.requirements
    ]
