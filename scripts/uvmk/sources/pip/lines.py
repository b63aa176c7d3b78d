"""One requirement line understood: a named requirement, a path/git/URL source, or the
project itself."""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name

from uvmk.sources.pip.grammar import ReqLine, RequirementsError, env_vars_in, redact
from uvmk.sources.pip.groups import want_self_extras
from uvmk.sources.pip.planning import Planning
from uvmk.sources.pip.roles import CONSTRAINTS_TABLE
from uvmk.sources.pip.sources import (
    Located,
    absolute_path_of,
    git_source,
    is_local,
    local_path,
    path_source,
    url_source,
)
from uvmk.sources.pip.wanted import _is_pep440, _Wanted


def is_self(ctx: Planning, line: ReqLine) -> bool:
    if line.name and ctx.project_key and canonicalize_name(line.name) == ctx.project_key:
        return True
    path = local_path(ctx.root, line)
    return path is not None and path.resolve() == ctx.root.resolve()


def understand(ctx: Planning, line: ReqLine, table: str) -> _Wanted | None:
    common_line_notes(ctx, line)
    if line.where.path in ctx.compiled_files and absolute_path_of(line):
        frozen_local_install(ctx, line)
        return None
    if is_self(ctx, line):
        project_itself(ctx, line, table)
        return None
    if line.link is None:
        return named(ctx, line, table)
    if is_local(line.link):
        return sourced(ctx, line, table, path_source(ctx.root, line))
    scheme = line.link.split(":", 1)[0].lower()
    if scheme.startswith("git+"):
        return sourced(ctx, line, table, git_source(line))
    if "+" in scheme:
        raise RequirementsError(
            f"{scheme.split('+')[0]} requirements are not supported by uv (git only): "
            f"`{redact(line.text)}` ({line.where})"
        )
    return sourced(ctx, line, table, url_source(line))


def common_line_notes(ctx: Planning, line: ReqLine) -> None:
    if line.build_options:
        ctx.note(
            "build-option",
            f"--global-option/--install-option {' '.join(line.build_options)} have no uv "
            f"equivalent: not migrated",
            line.where,
        )
    if line.ignored_options:
        ctx.note(
            "ignored-option",
            f"{', '.join(line.ignored_options)} on a requirement line is ignored by pip: "
            f"not migrated",
            line.where,
        )
    if env_vars_in(line.text) and line.link is None:
        raise RequirementsError(
            f"`{redact(line.text)}` uses {', '.join(env_vars_in(line.text))}, which "
            f"pyproject.toml cannot expand ({line.where})"
        )


def frozen_local_install(ctx: Planning, line: ReqLine) -> None:
    """pip freeze records packages installed from a local folder with the absolute path of
    the machine it ran on: that says how one venv was built, not what the project needs."""
    if line.name and ctx.project_key and canonicalize_name(line.name) == ctx.project_key:
        project_itself(ctx, line, None)
        return
    ctx.note(
        "frozen-local-path",
        f"`{redact(line.text)}` is a local install pip freeze recorded with this machine's "
        f"path: not migrated (add a relative path source if the project needs it)",
        line.where,
    )


def project_itself(ctx: Planning, line: ReqLine, table: str | None) -> None:
    unknown = [e for e in line.extras if canonicalize_name(e) not in ctx.view.extras]
    if unknown:
        ctx.note(
            "unknown-extra",
            f"`{redact(line.text)}` asks for extra {', '.join(unknown)}, which "
            f"[project.optional-dependencies] does not define",
            line.where,
        )
    known = [e for e in line.extras if e not in unknown]
    if known and table and table.startswith("dependency-groups."):
        # `-e .[test]` in a group file: the group pulls the extra in (`demo[test]`).
        want_self_extras(ctx, table.split(".", 1)[1], known, line.where)
        hint = f" (with its extras {', '.join(known)} through [{table}])"
    else:
        hint = f" (uv sync --extra {' --extra '.join(known)})" if known else ""
    ctx.note(
        "project-itself",
        f"`{redact(line.text)}` installs the project itself: uv sync does that by default{hint}",
        line.where,
    )


def named(ctx: Planning, line: ReqLine, table: str) -> _Wanted:
    assert line.name is not None
    for version in re.findall(r"===\s*([^,;\s]*)", line.specifier):
        if not _is_pep440(version):
            raise RequirementsError(
                f"`{redact(line.text)}`: uv only reads PEP 440 versions and {version!r} is "
                f"not one; pin a real release or use a URL source ({line.where})"
            )
    return _Wanted(
        line=line,
        table=table,
        name=line.name,
        key=canonicalize_name(line.name),
        extras=line.extras,
        specifier=line.specifier,
        marker=line.marker,
        compiled=line.where.path in ctx.compiled_files and table != CONSTRAINTS_TABLE,
    )


def sourced(ctx: Planning, line: ReqLine, table: str, located: Located) -> _Wanted:
    for note in located.notes:
        if note.code == "hashes-dropped":
            ctx.note_once(note.code, note.message, note.where)  # once per file
        else:
            ctx.plan.notes.append(note)
    return _Wanted(
        line=line,
        table=table,
        name=located.name,
        key=canonicalize_name(located.name),
        extras=line.extras,
        specifier="" if line.link else line.specifier,
        marker=line.marker,
        source=located.source,
    )
