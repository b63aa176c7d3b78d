"""A Pipfile package table (`[packages]`, `[dev-packages]`, a category) → PEP 508 requirements
plus the `[tool.uv.sources]` they need.

`name = "*"`, `name = ">=1,<2"`, `name = {version, extras, markers, <marker key> = "== 'x'",
index}`, `{git, ref, subdirectory, editable}`, `{path, editable}`, `{file}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from packaging.markers import InvalidMarker, Marker
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from uvmk.sources.entry_parts import all_of, checkout_versioned, requirement, with_extras
from uvmk.sources.notes import Note, refused, reported

# The marker variables Pipenv takes as keys of their own: `sys_platform = "== 'win32'"`.
MARKER_KEYS = (
    "os_name",
    "sys_platform",
    "platform_machine",
    "platform_python_implementation",
    "platform_release",
    "platform_system",
    "platform_version",
    "python_version",
    "python_full_version",
    "implementation_name",
    "implementation_version",
)
_KNOWN = {"version", "extras", "markers", "index", "git", "ref", "subdirectory", "editable"}
_KNOWN |= {"path", "file", "hashes", *MARKER_KEYS}
_COMPARISON = re.compile(r"^\s*(===|==|!=|<=|>=|~=|<|>|in|not in)\s*(.+?)\s*$")


class PackageError(ValueError):
    """A Pipfile entry that cannot be said as a PEP 508 requirement (the message says why)."""


@dataclass(frozen=True)
class Requirement:
    name: str
    pep508: str
    source: dict[str, Any] | None = None
    table: str = ""  # the Pipfile table it is in


@dataclass
class Packages:
    requirements: list[Requirement] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def convert_packages(packages: Mapping[str, Any], table: str) -> Packages:
    out = Packages()
    for name, spec in packages.items():
        if _is_the_project(spec):  # `-e .`: uv installs the project as the project
            extras = ", ".join(spec.get("extras") or [])
            out.notes.append(
                reported(
                    table,
                    name,
                    f"{name} (path .) is the project itself: uv installs it as the project "
                    "(editable, when it has a build system)"
                    + (f"; its extras {extras}: `uv sync --extra …`" if extras else ""),
                )
            )
            continue
        try:
            out.requirements.append(_requirement(str(name), spec, table))
        except PackageError as e:
            out.notes.append(refused(table, name, f"{name}: {e}"))
            continue
        if isinstance(spec, Mapping):
            out.notes.extend(
                reported(table, name, f"{name}: `{k}` has no uv equivalent; left out")
                for k in spec
                if k not in _KNOWN
            )
            out.notes.extend(reported(table, name, f"{name}: {t}") for t in _pipenv_misreads(spec))
    return out


def _pipenv_misreads(spec: Mapping[str, Any]) -> list[str]:
    """Where Pipenv installs the entry elsewhere than it says (its translate_markers): the
    marker is written as the Pipfile says, and the difference said."""
    said = []
    if "git" in spec and spec.get("editable"):
        said.append(
            "an editable git checkout (Pipenv clones it into src/): uv installs it from git, "
            "not editable; a `path = …, editable = true` source for a clone of your own"
        )
    if "os_name" in spec:
        said.append("Pipenv ignores its os_name marker (installs it everywhere); uv follows it")
    keys = [k for k in MARKER_KEYS if k in spec and k != "os_name"]
    if " or " in str(spec.get("markers", "")) and keys:
        said.append(
            "Pipenv joins its markers and marker keys without parentheses (so `or` binds last); "
            "uv reads them as the Pipfile groups them"
        )
    return said


def _is_the_project(spec: Any) -> bool:
    return isinstance(spec, Mapping) and str(spec.get("path", "")).rstrip("/") in (".", "./")


def _requirement(name: str, spec: Any, table: str) -> Requirement:
    if isinstance(spec, str):
        return Requirement(name, name + _specifier(spec), None, table)
    if not isinstance(spec, Mapping):
        raise PackageError(f"{spec!r} is neither a version nor a table")
    head = with_extras(name, spec.get("extras") or [])
    source = _source(spec)
    version = "" if checkout_versioned(source) else spec.get("version", "*")
    pep508 = requirement(head, _specifier(str(version)), _marker(spec))
    return Requirement(name, pep508, source, table)


def _specifier(text: str) -> str:
    text = text.strip()
    if text in ("", "*"):
        return ""
    if re.match(r"^\d", text):  # `"1.2"`: pip would reject it; Pipenv means that release
        text = "==" + text
    try:
        SpecifierSet(text)
    except InvalidSpecifier as e:
        raise PackageError(f"{text!r} is no PEP 440 specifier") from e
    return text.replace(" ", "")


def _marker(spec: Mapping[str, Any]) -> str:
    parts = []
    if "markers" in spec:
        parts.append(str(spec["markers"]))
    for key in MARKER_KEYS:
        if key in spec:
            m = _COMPARISON.match(str(spec[key]))
            if m is None:
                raise PackageError(f"{key} = {spec[key]!r} is no comparison")
            value = m.group(2).strip("'\"")
            parts.append(f"{key} {m.group(1)} '{value}'")
    marker = all_of(parts)
    if marker:
        try:
            Marker(marker)
        except InvalidMarker as e:
            raise PackageError(f"markers {marker!r}: {e}") from e
    return marker


def _source(spec: Mapping[str, Any]) -> dict[str, Any] | None:
    if "git" in spec:
        url = str(spec["git"]).removeprefix("git+")
        source: dict[str, Any] = {"git": url}
        if "ref" in spec:
            source["rev"] = str(spec["ref"])
        if "subdirectory" in spec:
            source["subdirectory"] = str(spec["subdirectory"])
        return source
    if "path" in spec:
        source = {"path": str(spec["path"])}
        if spec.get("editable"):
            source["editable"] = True
        return source
    if "file" in spec:
        target = str(spec["file"])
        return {"url": target} if "://" in target else {"path": target}
    if "index" in spec:
        return {"index": str(spec["index"])}
    return None
