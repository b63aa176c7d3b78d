"""Which requirements files the migration takes: the ones discovered, or the ones the user
named (which must exist), less what `uv export` wrote (uv.lock is its source) and the files git
ignores (a developer's own, left alone)."""

from __future__ import annotations

from pathlib import Path

from uvmk.sources.pip import roles as req_roles
from uvmk.sources.pip.compiled import is_uv_export_header
from uvmk.survey.git_ignored import git_ignored
from uvmk.survey.model import SurveyError
from uvmk.survey.tree import Tree

NamedFiles = dict[str, tuple[req_roles.Role, str | None]]  # file -> (runtime | group, group)


def requirement_files(
    tree: Tree, named: NamedFiles | None, discovered: tuple[str, ...]
) -> tuple[list[Path], list[Path]]:
    """(the legacy requirements files to migrate, the git-ignored ones left alone), of the
    ones the user named, else of the ones discovered (sources.pip detects them)."""
    root = tree.root
    found = named_files(root, named) if named else [root / rel for rel in discovered]
    generated = {f for f in found if is_uv_generated(f)}
    # a requirements.in kept next to the requirements.txt uv export wrote is migrated already
    files = [
        f
        for f in found
        if f not in generated and not (f.suffix == ".in" and f.with_suffix(".txt") in generated)
    ]
    ignored = git_ignored(root, files)
    return [f for f in files if f not in ignored], ignored


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
