"""Reading the -r/-c graph of requirements files, and what is said about every include and hash."""

from __future__ import annotations

import re
from pathlib import Path

from uvmk.diagnostics import Where
from uvmk.sources.pip.compiled import FileKind
from uvmk.sources.pip.dynamic_extras import static_extras
from uvmk.sources.pip.grammar import RequirementsError, parse_requirements_file, relative_posix
from uvmk.sources.pip.planning import Planning
from uvmk.sources.pip.pyproject import pyproject_line


def load(ctx: Planning, starts: list[Path]) -> None:
    pending = [p for p in starts]
    while pending:
        path = pending.pop(0)
        rel = relative_posix(ctx.root, path)
        if rel in ctx.parsed:
            continue
        if not path.is_file():
            ctx.refuse(f"requirements file {rel} does not exist")
            continue
        inside = ctx.tree is not None and path.is_relative_to(ctx.root)
        data = ctx.tree.data(rel) if ctx.tree is not None and inside else None
        try:
            parsed = parse_requirements_file(ctx.root, path, read_on=True, data=data)
        except RequirementsError as exc:  # the file itself cannot be read
            ctx.refuse(exc)
            continue
        for refused in parsed.refused:
            ctx.refuse(refused)
        ctx.parsed[rel] = parsed
        for include in list(parsed.includes):
            if not include.resolved.is_file():
                what = "-r" if include.kind == "requirement" else "-c"
                ctx.refuse(f"{what} {include.target}: file not found", include.where)
                parsed.includes.remove(include)  # the walk follows only what exists
                continue
            pending.append(include.resolved)


def compiled_from_in(ctx: Planning, kinds: dict[str, FileKind]) -> frozenset[str]:
    """pip-compile output whose requirements.in is read too: the .in lists the direct
    dependencies as the user wrote them (click>=8.1), the .txt only seeds uv.lock."""
    found = set()
    for rel, kind in kinds.items():
        source = rel.removesuffix(".txt") + ".in"
        if kind == "compiled" and rel.endswith(".txt") and source in ctx.parsed:
            found.add(rel)
    return frozenset(found)


def note_includes(ctx: Planning) -> None:
    """Every -r/-c line is accounted for at its own file:line, also when the walk said
    nothing there (a runtime file -r'ing another, a -c already followed from elsewhere)."""
    said = {n.where for n in ctx.plan.notes if n.where is not None}
    for parsed in ctx.parsed.values():
        for include in parsed.includes:
            if include.where in said:
                continue
            target = relative_posix(ctx.root, include.resolved)
            if include.kind == "constraint":
                ctx.note(
                    "include-constraints",
                    f"-c {include.target}: the pins of {target} become [tool.uv] "
                    f"constraint-dependencies (limit versions, install nothing)",
                    include.where,
                )
            else:
                ctx.note(
                    "include-requirements",
                    f"-r {include.target}: {target} is read too; each of its lines is "
                    f"listed at its own file:line",
                    include.where,
                )


def note_hashes(ctx: Planning) -> None:
    """Once per file, at its first hashed line: direct and transitive lines alike."""
    for rel, parsed in ctx.parsed.items():
        hashed = [r for r in parsed.requirements if r.hashes]
        if hashed:
            ctx.note(
                "hashes-dropped",
                f"--hash options in {rel} ({len(hashed)} requirements) dropped: "
                f"uv.lock records its own hashes",
                hashed[0].where,
            )


def dynamic_dependency_files(ctx: Planning) -> list[Path]:
    """dynamic = ["dependencies"] read from requirements files by setuptools: those files
    become the static list; any other dynamic source is refused (we cannot keep both)."""
    dynamic = ctx.view.project.get("dynamic")
    dynamic = dynamic if isinstance(dynamic, list) else []
    setuptools = ctx.view.setuptools_dynamic
    text = ctx.view.text
    if "optional-dependencies" in dynamic and "optional-dependencies" in setuptools:
        ctx.plan.static_optional = static_extras(ctx, setuptools["optional-dependencies"])
    if "dependencies" not in dynamic:
        return []
    spec = setuptools.get("dependencies")
    files = spec.get("file") if isinstance(spec, dict) else None
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not files:
        line = pyproject_line(text, r"^\s*dynamic\s*=")
        raise RequirementsError(
            'pyproject.toml has dynamic = ["dependencies"] that is not read from files by '
            "[tool.setuptools.dynamic]: it cannot be made static together with the migration "
            f"(pyproject.toml:{line})"
        )
    paths = [ctx.root / str(f) for f in files]
    for path in paths:
        if not path.is_file():
            rel = relative_posix(ctx.root, path)
            line = pyproject_line(text, re.escape(str(files[paths.index(path)])))
            raise RequirementsError(
                f"[tool.setuptools.dynamic] dependencies reads {rel}, which does not exist "
                f"(pyproject.toml:{line})"
            )
    ctx.plan.static_dependencies = True
    ctx.note(
        "dynamic-dependencies",
        f'dynamic = ["dependencies"] from {", ".join(str(f) for f in files)} becomes a static '
        f"[project] dependencies list; the [tool.setuptools.dynamic] entry is removed",
    )
    return paths


def drop_stale_dynamic(ctx: Planning) -> None:
    """A [tool.setuptools.dynamic] dependencies / optional-dependencies entry whose field is not
    in project.dynamic is ignored by setuptools; when it reads a requirements file this
    migration replaces, it would be left naming a deleted file: the entry goes, said so."""
    dynamic = ctx.view.project.get("dynamic")
    dynamic = dynamic if isinstance(dynamic, list) else []
    for field_name, spec in ctx.view.setuptools_dynamic.items():
        if field_name not in ("dependencies", "optional-dependencies") or field_name in dynamic:
            continue
        specs = spec.values() if field_name == "optional-dependencies" else [spec]
        named = [
            relative_posix(ctx.root, ctx.root / str(f))
            for one in specs
            if isinstance(one, dict)
            for f in _file_list(one.get("file"))
        ]
        read = [rel for rel in named if rel in ctx.parsed]
        if not read:
            continue
        ctx.plan.stale_dynamic.append(field_name)
        line = pyproject_line(ctx.view.text or "", re.escape(read[0]))
        ctx.note(
            "stale-dynamic-dropped",
            f"[tool.setuptools.dynamic] {field_name} reads {', '.join(read)}, but "
            f"{field_name} is not in project.dynamic (setuptools ignores the entry): the entry "
            "is removed with the file",
            Where("pyproject.toml", line),
        )


def _file_list(value: object) -> list[object]:
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list) else []
