"""One requirement line, understood and headed for a table; small pure helpers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from uvmk.sources.pip.grammar import Note, ReqLine
from uvmk.sources.pip.specifiers import exact_pin


@dataclass(frozen=True)
class _Wanted:
    """One requirement line, understood, headed for one table."""

    line: ReqLine
    table: str
    name: str
    key: str
    extras: tuple[str, ...]
    specifier: str
    marker: str | None
    source: dict[str, Any] | None = None
    compiled: bool = False  # a direct pin from pip-compile/freeze output, not a user's choice

    @property
    def text(self) -> str:
        return requirement_text(self.name, self.extras, self.specifier, self.marker)

    @property
    def added_text(self) -> str:
        """What goes into pyproject: a compiled `==X` pin becomes `>=X` (uv add's own style);
        the exact version still reaches uv.lock through seed_pins."""
        version = exact_pin(self.specifier) if self.compiled else None
        specifier = f">={version}" if version else self.specifier
        return requirement_text(self.name, self.extras, specifier, self.marker)


def requirement_text(name: str, extras: Iterable[str], specifier: str, marker: str | None) -> str:
    """PEP 508 text with the name and extras as written. Marker strings take single quotes, as
    uv writes them, so TOML needs no escaping."""
    extras_text = ",".join(extras)
    if marker and "'" not in marker:
        marker = marker.replace('"', "'")
    return (
        name
        + (f"[{extras_text}]" if extras_text else "")
        + specifier
        + (f"; {marker}" if marker else "")
    )


def _given_path(root: Path, path: Path) -> Path:
    """A relative path as discovered (relative to the working directory, like `root`) or, when
    it is not there, relative to the repo root."""
    if path.is_absolute() or path.exists():
        return path
    return root / path


def _is_pep440(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


def _note_order(note: Note) -> tuple[str, int]:
    return (note.where.path, note.where.line) if note.where else ("", 0)


def _union_extras(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    seen = {canonicalize_name(e) for e in a}
    return tuple(sorted([*a, *(e for e in b if canonicalize_name(e) not in seen)], key=str.lower))


def _with_specifier(requirement: str, specifier: str) -> str:
    req = Requirement(requirement)
    marker = str(req.marker) if req.marker else None
    return requirement_text(req.name, sorted(req.extras), specifier, marker)


def _requirement_key(requirement: str) -> str:
    return canonicalize_name(Requirement(requirement).name)
