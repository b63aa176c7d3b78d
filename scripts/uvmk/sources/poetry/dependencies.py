"""A Poetry dependency table → PEP 508 requirements plus the `[tool.uv.sources]` they need.

`foo = "^1.2"`, `foo = {version, python, platform, markers, extras, optional, source}`,
`foo = {git, branch|tag|rev, subdirectory}`, `foo = {path, develop}`, `foo = {url}`, and a list of
such tables (one per Python or platform: one requirement each, its markers on its source too).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from packaging.markers import InvalidMarker, Marker

from uvmk.poetry_constraints import ConstraintError, python_marker, specifier
from uvmk.sources.entry_parts import all_of, checkout_versioned, requirement, with_extras
from uvmk.sources.notes import Note, mapped, refused, reported

_SOURCE_KEYS = ("git", "path", "url")
_GIT_REFS = ("branch", "tag", "rev")
_KNOWN = {
    "version",
    "python",
    "platform",
    "markers",
    "extras",
    "optional",
    "source",
    "develop",
    "subdirectory",
    "allow-prereleases",
    "allows-prereleases",
    *_SOURCE_KEYS,
    *_GIT_REFS,
}
_SCP_GIT = re.compile(r"^(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<path>(?!//).+)$")


@dataclass(frozen=True)
class Requirement:
    name: str
    pep508: str
    source: dict[str, Any] | None = None  # this entry's [tool.uv.sources] table
    optional: bool = False


@dataclass
class Converted:
    requirements: list[Requirement] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def sources(self) -> dict[str, Any]:
        """[tool.uv.sources]: a name with several entries gets a list (each with its marker)."""
        by_name: dict[str, list[dict[str, Any]]] = {}
        for r in self.requirements:
            if r.source is not None:
                by_name.setdefault(r.name, []).append(r.source)
        return {n: s[0] if len(s) == 1 else s for n, s in by_name.items()}


def convert_table(deps: Mapping[str, Any], table: str) -> Converted:
    """Every entry of the Poetry dependency table `table` (its dotted name, for the notes);
    `python` is the project's Python, read by the metadata, not a dependency."""
    out = Converted()
    for name, spec in deps.items():
        if name == "python":
            continue
        entries = spec if isinstance(spec, list) else [spec]
        several = len(entries) > 1
        for entry in entries:
            try:
                out.requirements.append(_requirement(name, entry, several))
            except ConstraintError as e:
                out.notes.append(refused(table, name, f"{name}: {e}"))
                continue
            out.notes.extend(_entry_notes(name, entry, table))
        if several:
            out.notes.append(
                mapped(table, name, f"{name}: {len(entries)} alternatives, one requirement each")
            )
    return out


def _requirement(name: str, entry: Any, several: bool) -> Requirement:
    if isinstance(entry, str):
        return Requirement(name, name + specifier(entry))
    if not isinstance(entry, Mapping):
        raise ConstraintError(f"{entry!r} is neither a version constraint nor a table")
    marker = _marker(entry)
    head = with_extras(name, entry.get("extras") or [])
    source = _source(entry)
    version = None if checkout_versioned(source) else entry.get("version")
    pep508 = requirement(head, specifier(str(version)) if version is not None else "", marker)
    if marker and source is not None and several:
        source = {**source, "marker": marker}
    return Requirement(name, pep508, source, bool(entry.get("optional", False)))


def _marker(entry: Mapping[str, Any]) -> str:
    parts = []
    if "python" in entry:
        parts.append(python_marker(str(entry["python"])))
    if "markers" in entry:
        markers = str(entry["markers"])
        try:
            Marker(markers)
        except InvalidMarker as e:
            raise ConstraintError(f"markers {markers!r}: {e}") from e
        parts.append(markers)
    if "platform" in entry:
        platforms = [p.strip() for p in re.split(r"\|\|?", str(entry["platform"])) if p.strip()]
        parts.append(" or ".join(f'sys_platform == "{p}"' for p in platforms))
    return all_of(parts)


def _source(entry: Mapping[str, Any]) -> dict[str, Any] | None:
    if "git" in entry:
        source: dict[str, Any] = {"git": _git_url(str(entry["git"]))}
        for ref in _GIT_REFS:
            if ref in entry:
                source[ref] = str(entry[ref])
        if "subdirectory" in entry:
            source["subdirectory"] = str(entry["subdirectory"])
        return source
    if "path" in entry:
        source = {"path": str(entry["path"])}
        if entry.get("develop"):
            source["editable"] = True
        return source
    if "url" in entry:
        source = {"url": str(entry["url"])}
        if "subdirectory" in entry:
            source["subdirectory"] = str(entry["subdirectory"])
        return source
    if "source" in entry:
        return {"index": str(entry["source"])}
    return None


def _git_url(url: str) -> str:
    """uv takes URLs: scp-like `git@github.com:o/r.git` is `ssh://git@github.com/o/r.git`."""
    scp = _SCP_GIT.match(url)
    if scp and "://" not in url:
        return f"ssh://{scp['user']}@{scp['host']}/{scp['path']}"
    return url


def _local_range(name: str, entry: Any, table: str) -> list[Note]:
    """A range bounded by a local version (`^2.1.2+cpu`): PEP 440 bounds by public versions."""
    version = str(entry.get("version", "") if isinstance(entry, Mapping) else entry)
    if "+" not in version or specifier(version).startswith(("==", "!=")):
        return []
    return [
        reported(
            table,
            name,
            f"{name}: {version!r} is `{specifier(version)}`: PEP 440 bounds a range by public "
            "versions; every local build Poetry allowed still is (the index and the lock's "
            "pin choose which)",
        )
    ]


def _entry_notes(name: str, entry: Any, table: str) -> list[Note]:
    notes = _local_range(name, entry, table)
    if not isinstance(entry, Mapping):
        return notes
    for key in entry:
        if key not in _KNOWN:
            notes.append(reported(table, name, f"{name}: `{key}` has no uv equivalent; left out"))
    if entry.get("allow-prereleases") or entry.get("allows-prereleases"):
        notes.append(
            reported(
                table,
                name,
                f"{name}: allow-prereleases: uv takes a prerelease of it only when the "
                'specifier names one, or with [tool.uv] prerelease = "allow"',
            )
        )
    if sum(k in entry for k in _SOURCE_KEYS) > 1:
        notes.append(refused(table, name, f"{name}: more than one of git/path/url"))
    if "source" in entry and any(k in entry for k in _SOURCE_KEYS):
        notes.append(reported(table, name, f"{name}: `source` beside git/path/url is ignored"))
    if "version" in entry and any(k in entry for k in _SOURCE_KEYS):
        notes.append(
            reported(
                table,
                name,
                f"{name}: version {entry['version']!r} beside git/path/url: "
                "the checkout's own version is what installs, as with Poetry",
            )
        )
    return notes
