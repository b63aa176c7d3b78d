"""Which requirements files the migration takes: the ones discovered, or the ones the user
named (which must exist), less what `uv export` wrote (uv.lock is its source) and the files git
ignores (a developer's own, left alone)."""

from __future__ import annotations

from pathlib import Path

from packaging.utils import canonicalize_name

from uvmk.diagnostics import Where
from uvmk.sources.pip import roles as req_roles
from uvmk.sources.pip.compiled import is_uv_export_header, pin_file_kind
from uvmk.sources.pip.grammar import RequirementsError, parse_requirements_file
from uvmk.survey.git_ignored import git_ignored
from uvmk.survey.model import SurveyError
from uvmk.survey.tree import Tree

NamedFiles = dict[str, tuple[req_roles.Role, str | None]]  # file -> (runtime | group, group)


def requirement_files(
    tree: Tree, named: NamedFiles | None, discovered: tuple[str, ...], project: str | None = None
) -> tuple[list[Path], list[Path], list[Where]]:
    """(the legacy requirements files to migrate, the git-ignored ones left alone, the line of
    each file that installs a release of `project`, left as written), of the ones the user
    named, else of the ones discovered (sources.pip detects them)."""
    root = tree.root
    found = named_files(root, named) if named else [root / rel for rel in discovered]
    # an image folder's file (deploy/ beside its Dockerfile, no code) may install a release too:
    # said as that, the more telling reason to keep it
    images = [root / rel for rel, _ in req_roles.referenced_files(tree)[1]] if project else []
    candidates = found + [f for f in images if f not in found and f.is_file()]
    releases = [w for f in candidates if (w := release_line(tree, f, project)) is not None]
    released = {root / w.path for w in releases}
    found = [f for f in found if f not in released]
    generated = {f for f in found if is_uv_export_header(tree.text(tree.rel(f))[:1000])}
    # a requirements.in kept next to the requirements.txt uv export wrote is migrated already
    files = [
        f
        for f in found
        if f not in generated and not (f.suffix == ".in" and f.with_suffix(".txt") in generated)
    ]
    ignored = git_ignored(root, files)
    return [f for f in files if f not in ignored], ignored, releases


def release_line(tree: Tree, path: Path, project: str | None) -> Where | None:
    """Where `path` installs a released version of the project by name (`myapp==0.1.0` in
    deploy/requirements.txt): a deployment installing a release from an index, not this
    checkout. Exported from uv.lock, which has no release of the project, the line would go."""
    data = tree.data(path.relative_to(tree.root).as_posix()) if project else None
    if project is None or data is None:
        return None
    try:
        parsed = parse_requirements_file(tree.root, path, read_on=True, data=data)
    except RequirementsError:
        return None
    if pin_file_kind(parsed) != "hand-written":
        return None  # a freeze of a venv the project was installed into: migrated as one
    own = canonicalize_name(project)
    for line in parsed.requirements:
        named = line.name and canonicalize_name(line.name) == own
        if named and line.specifier and not line.link and not line.editable:
            return line.where
    return None


def with_compiled_partners(tree: Tree, named: NamedFiles) -> NamedFiles:
    """The named files, each named pip-compile input (requirements-dev.in:dev) with the .txt
    compiled from it, in the same role: the .in is what was asked for, its .txt's pins seed
    uv.lock (as when both are discovered), and neither becomes `uv export` output."""
    root = tree.root
    out = dict(named)
    for rel, role in named.items():
        partner = (root / rel).with_suffix(".txt")
        key = partner.relative_to(root).as_posix() if partner.is_relative_to(root) else None
        if rel.endswith(".in") and key and key not in out and _is_compiled(tree, key):
            out[key] = role
    return out


def _is_compiled(tree: Tree, rel: str) -> bool:
    data = tree.data(rel)
    if data is None:
        return False
    try:
        parsed = parse_requirements_file(tree.root, tree.root / rel, read_on=True, data=data)
    except RequirementsError:
        return False
    return pin_file_kind(parsed) == "compiled"


def named_files(root: Path, named: NamedFiles) -> list[Path]:
    """The files the user named, which must exist inside the repository."""
    paths = []
    for rel in named:
        path = (root / rel).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise SurveyError(f"requirements file {rel} (named on the command line) does not exist")
        paths.append(path)
    return paths


def is_uv_generated(path: Path) -> bool:
    """A file written by `uv export` (uv.lock is its source: not a legacy file to migrate). A
    `uv pip compile` header is pip-tools-style output, to migrate: told by the header's
    command, not by the word "uv"."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:1000]
    except OSError:
        return False
    return is_uv_export_header(head)
