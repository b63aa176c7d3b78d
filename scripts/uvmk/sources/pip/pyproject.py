"""What pyproject.toml already declares, read without changing it.

pyproject is the source of truth for the migration, so every place a dependency can live is
looked at: [project] dependencies, every optional-dependencies extra, every dependency group and
the deprecated [tool.uv] dev-dependencies. A self-reference such as `k2-platform[all]` inside an
extra or a group is expanded: it declares the packages of those extras, not a package named
k2-platform.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import tomlkit
from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from tomlkit.exceptions import TOMLKitError

from uvmk.sources.pip.grammar import RequirementsError
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import parse_read_only


@dataclass(frozen=True)
class Declared:
    """One dependency pyproject declares, in the table where it is written."""

    name: str  # as written
    key: str  # PEP 503 normalised
    requirement: str  # the exact string in pyproject
    table: str  # "project.dependencies", "project.optional-dependencies.dev", ...
    extras: frozenset[str]  # normalised
    specifier: str
    marker: str | None  # packaging's normalised text
    via: str | None = None  # the self-reference that brought it in, e.g. "k2-platform[all]"


@dataclass
class PyprojectView:
    data: dict[str, Any]
    project_name: str | None
    text: str = ""
    declared: list[Declared] = field(default_factory=list)
    constraints: list[Declared] = field(default_factory=list)  # [tool.uv] constraint-dependencies
    extras: set[str] = field(default_factory=set)  # normalised extra names
    groups: set[str] = field(default_factory=set)  # normalised group names
    group_includes: dict[str, set[str]] = field(default_factory=dict)  # {include-group = ...}

    def self_references(self, group: str) -> set[str]:
        """Extras of the project that dependency group `group` already pulls in (`demo[dev]`)."""
        groups = self.data.get("dependency-groups")
        entries = groups.get(group, []) if isinstance(groups, dict) else []
        found: set[str] = set()
        for entry in entries if isinstance(entries, list) else []:
            try:
                req = Requirement(entry) if isinstance(entry, str) else None
            except InvalidRequirement:
                req = None
            if req and self.project_name and _same(req.name, self.project_name):
                found |= {canonicalize_name(e) for e in req.extras} or {""}
        return found

    def lookup(self, key: str) -> list[Declared]:
        return [d for d in self.declared if d.key == key]

    @property
    def project(self) -> dict[str, Any]:
        project = self.data.get("project")
        return project if isinstance(project, dict) else {}

    @property
    def tool_uv(self) -> dict[str, Any]:
        tool = self.data.get("tool")
        uv = tool.get("uv") if isinstance(tool, dict) else None
        return uv if isinstance(uv, dict) else {}

    @property
    def setuptools_dynamic(self) -> dict[str, Any]:
        tool = self.data.get("tool")
        setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
        dynamic = setuptools.get("dynamic") if isinstance(setuptools, dict) else None
        return dynamic if isinstance(dynamic, dict) else {}


def _parsed(text: str) -> dict[str, Any]:
    """The document as plain data, of our own: parsed once a text with the survey's readers
    (parse_read_only); a text they refuse is parsed again for tomlkit's own error."""
    if not text.startswith("\ufeff"):  # the survey's parse allows a BOM, tomlkit's not
        try:
            return parse_read_only(text).unwrap()
        except SurveyError:
            pass
    return tomlkit.parse(text).unwrap()


def read_pyproject(text: str | None) -> PyprojectView:
    """Parse pyproject text (None: no pyproject yet). Raises RequirementsError on bad TOML or on
    a dependency string that is not PEP 508."""
    if text is None:
        return PyprojectView(data={}, project_name=None)
    try:
        data = _parsed(text)
    except TOMLKitError as exc:
        line = getattr(exc, "line", 0)
        raise RequirementsError(
            f"pyproject.toml is not valid TOML: {' '.join(str(exc).split())} "
            f"(pyproject.toml:{line})"
        ) from exc
    raw_project = data.get("project")
    project: dict[str, Any] = raw_project if isinstance(raw_project, dict) else {}
    raw_name = project.get("name")
    name = raw_name if isinstance(raw_name, str) else None
    view = PyprojectView(data=data, project_name=name, text=text)
    optional = _str_lists(project.get("optional-dependencies"))
    groups = _str_lists(data.get("dependency-groups"))
    view.extras = {canonicalize_name(extra) for extra in optional}
    view.groups = {canonicalize_name(group) for group in groups}
    raw_groups = data.get("dependency-groups")
    for group, entries in raw_groups.items() if isinstance(raw_groups, dict) else []:
        view.group_includes[canonicalize_name(str(group))] = {
            canonicalize_name(str(e["include-group"]))
            for e in (entries if isinstance(entries, list) else [])
            if isinstance(e, dict) and "include-group" in e
        }
    located = functools.partial(_expand, text_of_file=text)
    tables: list[tuple[str, list[str]]] = [
        ("project.dependencies", _strings(project.get("dependencies"))),
        *((f"project.optional-dependencies.{k}", v) for k, v in optional.items()),
        *((f"dependency-groups.{k}", v) for k, v in groups.items()),
        ("tool.uv.dev-dependencies", _strings(view.tool_uv.get("dev-dependencies"))),
    ]
    optional_by_key: dict[str, list[str]] = {canonicalize_name(k): v for k, v in optional.items()}
    for table, requirements in tables:
        for text_req in requirements:
            view.declared.extend(located(text_req, table, name, optional_by_key, None, set()))
    for text_req in _strings(view.tool_uv.get("constraint-dependencies")):
        view.constraints.extend(
            located(text_req, "tool.uv.constraint-dependencies", None, {}, None, set())
        )
    return view


def _expand(
    text: str,
    table: str,
    project_name: str | None,
    optional: dict[str, list[str]],
    via: str | None,
    seen: set[str],
    *,
    text_of_file: str = "",
) -> list[Declared]:
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        line = pyproject_line(text_of_file, re.escape(text))
        raise RequirementsError(
            f"pyproject.toml [{table}] has an invalid requirement {text!r}: "
            f"{' '.join(str(exc).split())} (pyproject.toml:{line})"
        ) from exc
    key = canonicalize_name(req.name)
    if project_name is None or key != canonicalize_name(project_name):
        return [
            Declared(
                name=req.name,
                key=key,
                requirement=text,
                table=table,
                extras=frozenset(canonicalize_name(e) for e in req.extras),
                specifier=str(req.specifier),
                marker=normalise_marker(req.marker),
                via=via,
            )
        ]
    expanded: list[Declared] = []
    for extra in sorted(canonicalize_name(e) for e in req.extras):
        if extra in seen:
            continue  # k2[all] -> k2[dev] -> k2[all]: each extra once
        seen.add(extra)
        for inner in optional.get(extra, []):
            expanded.extend(
                _expand(
                    inner,
                    table,
                    project_name,
                    optional,
                    via or text,
                    seen,
                    text_of_file=text_of_file,
                )
            )
    return expanded


def _same(a: str, b: str) -> bool:
    return canonicalize_name(a) == canonicalize_name(b)


def pyproject_line(text: str, pattern: str) -> int:
    """The first line of pyproject.toml matching `pattern` (1-based; 0 when none), so a refusal
    about pyproject can still name file:line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(pattern, line):
            return number
    return 0


def normalise_marker(marker: Marker | None) -> str | None:
    return str(marker) if marker is not None else None


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _str_lists(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        return {}
    return {str(k): _strings(v) for k, v in value.items()}
