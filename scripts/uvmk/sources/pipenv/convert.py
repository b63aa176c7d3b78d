"""A Pipenv project's Pipfile → uv's pyproject.toml: `[packages]` the project's dependencies,
`[dev-packages]` the dev group, every other category a group, `[requires]` requires-python,
`[[source]]` indexes, `[scripts]` the commands of make targets, and a note for each thing read.

A Pipenv project is an application: no build system, so uv installs its dependencies only, as
`pipenv install` did. A pyproject beside it keeps every table of its own; one that has a
[project] already is refused (which of the two says what installs is the team's call).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import tomlkit

from uvmk.sources.notes import Note, Said, line_of, mapped, refused, reported
from uvmk.sources.pipenv.indexes import convert_indexes
from uvmk.sources.pipenv.packages import Packages, convert_packages
from uvmk.sources.toml_tables import groups_table, project_table, uv_table

_NOT_CATEGORIES = ("source", "requires", "scripts", "pipenv", "pipfile")
_GROUP = {"packages": None, "dev-packages": "dev"}  # None: the project's own dependencies


@dataclass
class Conversion:
    text: str
    said: list[Said] = field(default_factory=list)
    scripts: dict[str, str] = field(default_factory=dict)  # [scripts]: for make targets

    def refusals(self) -> list[Said]:
        return [s for s in self.said if s.note.kind == "refused"]


def convert(pipfile: str, name: str, pyproject: str | None = None) -> Conversion:
    """The pyproject.toml for the Pipfile's project `name` (pyproject: the one beside it)."""
    doc = tomlkit.parse(pipfile).unwrap()
    notes: list[Note] = []
    settings = doc.get("pipenv") or {}
    indexes = convert_indexes(
        list(doc.get("source") or []), settings.get("install_search_all_sources") is True
    )
    notes += indexes.notes
    project: dict[str, Any] = {"name": name, "version": "0.1.0"}
    if requires := _requires_python(doc.get("requires") or {}, notes):
        project["requires-python"] = requires
    groups: dict[str, list[str]] = {}
    every = Packages()
    for category, table in doc.items():
        if category in _NOT_CATEGORIES or not isinstance(table, Mapping):
            continue
        converted = convert_packages(table, category)
        every.requirements += converted.requirements
        notes += converted.notes
        entries = [r.pep508 for r in converted.requirements]
        group = _GROUP.get(category, _group_name(category))
        if group is None:
            project["dependencies"] = entries
            notes.append(mapped(category, "", "[packages] → [project] dependencies"))
        elif not entries:  # an empty [dev-packages], as `pipenv install` writes it
            notes.append(mapped(category, "", f"[{category}] is empty: no group"))
        else:
            groups[group] = entries
            notes.append(mapped(category, "", f"[{category}] → [dependency-groups] {group}"))
            if group != "dev":  # uv's default-groups is dev only, as `pipenv install --dev`
                notes.append(
                    reported(
                        category,
                        "",
                        f"group {group}: installed only when asked (`uv sync --group {group}`), "
                        f"as with `pipenv install --categories {category}`",
                    )
                )
    project.setdefault("dependencies", [])
    uv = _uv(every, indexes.names, indexes.indexes, indexes.insecure_hosts, settings, notes)
    scripts = _scripts(doc.get("scripts") or {}, notes)
    text = _document(pyproject, project, groups, uv, notes)
    said = [Said(n, "Pipfile", line_of(pipfile, n)) for n in notes]
    return Conversion(text, said, scripts)


def _scripts(table: Mapping[str, Any], notes: list[Note]) -> dict[str, str]:
    """[scripts] commands, for make targets (`make <name>` runs `uv run <command>`); a
    `{call = "module:function"}` one is said with its uv command."""
    scripts = {}
    for name, command in table.items():
        if isinstance(command, str):
            scripts[str(name)] = command
            continue
        call = command.get("call") if isinstance(command, Mapping) else None
        module, _, function = str(call or "").partition(":")
        run = f"uv run python -c 'import {module}; {module}.{function or 'main()'}'"
        notes.append(
            reported(
                "scripts",
                name,
                f"script {name} = {command!r}: no make target made; with uv it is `{run}`",
            )
        )
    return scripts


def _requires_python(requires: Mapping[str, Any], notes: list[Note]) -> str | None:
    version = requires.get("python_full_version") or requires.get("python_version")
    if version is None:
        return None
    key = "python_full_version" if "python_full_version" in requires else "python_version"
    if not re.fullmatch(r"\d+(\.\d+){0,2}", str(version)):
        notes.append(refused("requires", key, f"{key} = {version!r} is no Python version"))
        return None
    minor = ".".join(str(version).split(".")[:2])
    notes.append(
        mapped(
            "requires",
            key,
            f"{key} {version} → requires-python >={minor} (and evidence for .python-version)",
        )
    )
    return f">={minor}"


def _group_name(category: str) -> str:
    return re.sub(r"[-_.]+", "-", category).lower()


def _uv(
    every: Packages,
    index_names: dict[str, str],
    indexes: list[dict[str, Any]],
    insecure: list[str],
    settings: Mapping[str, Any],
    notes: list[Note],
) -> dict[str, Any]:
    uv: dict[str, Any] = {}
    sources = {}
    for r in every.requirements:
        name, source = r.name, r.source
        if source is None:
            continue
        if "index" in source:
            mapped_name = index_names.get(source["index"])
            if mapped_name is None:
                notes.append(
                    refused(r.table, name, f"{name}: index {source['index']} is no [[source]]")
                )
                continue
            if not mapped_name:
                continue  # the first source is PyPI: uv's default already
            source = {"index": mapped_name}
        sources[name] = source
    if sources:
        uv["sources"] = sources
    if indexes:
        uv["index"] = indexes
    if insecure:
        uv["allow-insecure-host"] = insecure
    if settings.get("allow_prereleases") is True:
        uv["prerelease"] = "allow"
        notes.append(
            mapped("pipenv", "allow_prereleases", 'allow_prereleases → prerelease "allow"')
        )
    for key in settings:
        if key not in ("allow_prereleases", "install_search_all_sources"):
            notes.append(reported("pipenv", key, f"[pipenv] {key}: Pipenv's own, not uv's"))
    return uv


def _document(
    pyproject: str | None,
    project: dict[str, Any],
    groups: dict[str, list[str]],
    uv: dict[str, Any],
    notes: list[Note],
) -> str:
    doc = tomlkit.parse(pyproject) if pyproject else tomlkit.document()
    if "project" in doc:
        notes.append(refused("", "", "pyproject.toml has a [project] already: merge it by hand"))
        return pyproject or ""
    out = tomlkit.document()
    out.add("project", project_table(project))
    if groups:
        out.add("dependency-groups", groups_table({}, groups))
    for key, value in doc.items():
        if key != "tool":
            out.add(key, value)
    tool = doc.get("tool") or tomlkit.table(is_super_table=True)
    if uv:
        settings = uv_table(tool.get("uv"), uv)
        if "uv" not in tool:
            tool.add("uv", settings)
    if tool:
        out.add("tool", tool)
    return tomlkit.dumps(out)
