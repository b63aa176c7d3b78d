"""A Poetry project's pyproject.toml → uv's: `[project]`, `[dependency-groups]`, `[tool.uv]`,
`[build-system]`, every other tool's table kept, and a note for each thing read.

Poetry 1.x holds everything in `[tool.poetry]`; 2.x has a PEP 621 `[project]` (kept as it is)
and `[tool.poetry.*]` for groups, sources and per-dependency details. The build backend stays
poetry-core, at ≥ 2 (it reads `[project]`): `packages`/`include`/`exclude`/`build` and file
scripts keep meaning what they meant, so the wheel is the one Poetry built; classifiers stay
dynamic in `[tool.poetry]`, where poetry-core adds the Python and license ones as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from uvmk.sources.notes import Note, Said, line_of, mapped, refused, reported
from uvmk.sources.poetry.dependencies import Converted, convert_table
from uvmk.sources.poetry.dependencies import Requirement as PoetryRequirement
from uvmk.sources.poetry.groups import convert_groups
from uvmk.sources.poetry.metadata import BUILD_KEYS, convert_metadata
from uvmk.sources.poetry.sources import convert_sources
from uvmk.sources.toml_tables import groups_table, project_table, uv_table

POETRY_BACKEND = "poetry.core.masonry.api"
POETRY_CORE = "poetry-core>=2.0,<3"


@dataclass
class Conversion:
    text: str
    said: list[Said] = field(default_factory=list)

    def refusals(self) -> list[Said]:
        return [s for s in self.said if s.note.kind == "refused"]


def convert(text: str) -> Conversion:
    """The converted pyproject.toml of a project whose [tool.poetry] says what it is."""
    # a file without a newline at its end (integralytix') ends its last table on that line:
    # a table added after it ([tool.uv]) would start on no line of its own
    doc = tomlkit.parse(text if text.endswith("\n") else text + "\n")
    poetry: dict[str, Any] = doc["tool"]["poetry"].unwrap()
    notes: list[Note] = []
    project = _project(doc, poetry, notes)
    groups = convert_groups(poetry)
    notes += groups.notes + groups.converted.notes
    converted = Converted(
        _main_requirements(doc, poetry, notes).requirements + groups.converted.requirements
    )
    named = {
        str(r.source["index"]) for r in converted.requirements if r.source and "index" in r.source
    }
    indexes = convert_sources(list(poetry.get("source") or []), named)
    notes += indexes.notes
    package = poetry.get("package-mode", True) is not False
    uv: dict[str, Any] = {}
    if not package:
        uv["package"] = False
        notes.append(mapped("tool.poetry", "package-mode", "package-mode = false → no package"))
    if groups.default_groups is not None:
        uv["default-groups"] = groups.default_groups
    if sources := _sources(converted, indexes.names):
        uv["sources"] = sources
    if indexes.indexes:
        uv["index"] = indexes.indexes
    kept = _kept_poetry(doc, poetry, package, project.get("dynamic", []))
    if package:
        notes += _old_pythons(str(project.get("requires-python", "")))
    out = _document(doc, project, groups.groups, uv, kept, package)
    return Conversion(
        tomlkit.dumps(out), [Said(n, "pyproject.toml", line_of(text, n)) for n in notes]
    )


def _project(doc: Any, poetry: dict[str, Any], notes: list[Note]) -> dict[str, Any]:
    if "project" in doc:  # Poetry 2: PEP 621 already
        project: dict[str, Any] = doc["project"].unwrap()
        notes.append(mapped("project", "", "[project] kept as it is (Poetry 2)"))
        return project
    meta = convert_metadata(poetry, _version_plugin(doc))
    notes += meta.notes
    project = meta.project
    main = convert_table(poetry.get("dependencies") or {}, "tool.poetry.dependencies")
    notes += main.notes
    project["dependencies"] = [r.pep508 for r in main.requirements if not r.optional]
    extras = _extras(poetry, main.requirements, notes)
    if extras:
        project["optional-dependencies"] = extras
    project["dynamic"] = [*project.get("dynamic", []), "classifiers"]
    return project


def _main_requirements(doc: Any, poetry: dict[str, Any], notes: list[Note]) -> Converted:
    """[tool.poetry.dependencies] for their sources; in Poetry 2 only the details it adds to
    [project]'s (a `source`, `develop`, a git or path) count, the rest is said."""
    main = convert_table(poetry.get("dependencies") or {}, "tool.poetry.dependencies")
    if "project" not in doc:
        return main
    declared = {_name(str(r)) for r in doc["project"].get("dependencies", [])}
    notes += main.notes
    for r in main.requirements:
        if r.source is None:
            notes.append(
                reported(
                    "tool.poetry.dependencies",
                    r.name,
                    f"{r.name}: Poetry 2 reads this beside [project] only for locking; "
                    "[project] dependencies say what installs",
                )
            )
        elif canonicalize_name(r.name) not in declared:
            notes.append(
                refused(
                    "tool.poetry.dependencies",
                    r.name,
                    f"{r.name}: a source for a dependency [project] does not declare",
                )
            )
    return Converted([r for r in main.requirements if r.source is not None])


def _name(requirement: str) -> str:
    try:
        return canonicalize_name(Requirement(requirement).name)
    except InvalidRequirement:
        return canonicalize_name(re.split(r"[^A-Za-z0-9._-]", requirement.strip(), maxsplit=1)[0])


def _extras(
    poetry: dict[str, Any], requirements: list[PoetryRequirement], notes: list[Note]
) -> dict[str, list[str]]:
    by_name: dict[str, list[PoetryRequirement]] = {}
    for r in requirements:
        by_name.setdefault(canonicalize_name(r.name), []).append(r)
    extras: dict[str, list[str]] = {}
    in_extras: set[str] = set()
    for extra, names in (poetry.get("extras") or {}).items():
        extras[str(extra)] = []
        for name in names:
            wanted = canonicalize_name(str(name).split("[")[0])
            if wanted not in by_name:
                notes.append(
                    refused("tool.poetry.extras", extra, f"extra {extra}: {name} is no dependency")
                )
                continue
            in_extras.add(wanted)
            extras[str(extra)].extend(r.pep508 for r in by_name[wanted])
        notes.append(mapped("tool.poetry.extras", extra, f"extra {extra} → optional-dependencies"))
    for key, rs in by_name.items():
        if rs[0].optional and key not in in_extras:
            notes.append(
                reported(
                    "tool.poetry.dependencies",
                    rs[0].name,
                    f"{rs[0].name}: optional and in no extra: Poetry never installs it; left out",
                )
            )
    return extras


def _sources(converted: Converted, index_names: dict[str, str]) -> dict[str, Any]:
    sources = converted.sources()
    for name, entry in sources.items():
        for e in entry if isinstance(entry, list) else [entry]:
            if "index" in e:
                e["index"] = index_names.get(e["index"], e["index"])
        sources[name] = entry
    return sources


def _old_pythons(requires: str) -> list[Note]:
    """poetry-core 2 (the backend that reads [project]) installs on Python 3.9 and later: a
    project that still supports 3.8 cannot be built there, from its sdist nor as `uv sync`'s
    editable install (uv builds it with the Python it installs into)."""
    old = [
        v
        for v in ("2.7", "3.6", "3.7", "3.8")
        if not requires or SpecifierSet(requires).contains(v + ".99")
    ]
    if not old:
        return []
    return [
        reported(
            "tool.poetry.dependencies",
            "python",
            f"python: supports {', '.join(old)}, where poetry-core >= 2 (the build backend that "
            "reads [project]) does not install: the project builds, and `uv sync` installs it, "
            "on Python 3.9 or later only; pin .python-version to 3.9+ (PYTHON_VERSION=3.9) or "
            "drop those Pythons",
        )
    ]


def _version_plugin(doc: Any) -> str | None:
    """The plugin that computes the version at build time, when one does."""
    tool = doc.get("tool", {})
    backend = str(doc.get("build-system", {}).get("build-backend", ""))
    for plugin in ("poetry-dynamic-versioning", "poetry-version-plugin"):
        table = tool.get(plugin)
        if (table is not None and table.get("enable", True)) or plugin.replace("-", "_") in backend:
            return plugin
    return None


def _kept_poetry(
    doc: Any, poetry: dict[str, Any], package: bool, dynamic: list[str]
) -> dict[str, Any]:
    """What stays in [tool.poetry]: what poetry-core, the build backend, still reads."""
    if not package:
        return {}
    original = doc["tool"]["poetry"]
    keep = {k: original[k] for k in BUILD_KEYS if k in poetry}
    scripts = {
        n: s
        for n, s in (poetry.get("scripts") or {}).items()
        if isinstance(s, Mapping) and s.get("type") == "file"
    }
    if scripts:
        keep["scripts"] = scripts
    for key in ("version", "readme"):
        if key in dynamic and key in poetry:
            keep[key] = original[key]
    return keep


def _document(
    doc: Any,
    project: dict[str, Any],
    groups: dict[str, list[Any]],
    uv: dict[str, Any],
    kept_poetry: dict[str, Any],
    package: bool,
) -> tomlkit.TOMLDocument:
    out = tomlkit.document()
    # the document is built anew: the file's leading comments (above its first table) would go
    for key, item in doc.body:
        if key is not None:
            break
        out.add(item)
    build = _build_system(doc, package)
    if build is not None:
        out.add("build-system", build)
    out.add("project", project_table(project))
    if groups or "dependency-groups" in doc:
        out.add("dependency-groups", groups_table(doc.get("dependency-groups", {}), groups))
    tool = tomlkit.table(is_super_table=True)
    for key, value in doc.get("tool", {}).items():
        if key == "poetry":
            if kept_poetry:
                kept = tomlkit.table()
                for k, v in kept_poetry.items():
                    kept.add(k, v)
                tool.add("poetry", kept)
        elif key != "uv":
            tool.add(key, value)
    if uv_settings := uv_table(doc.get("tool", {}).get("uv"), uv):
        tool.add("uv", uv_settings)
    for key, value in doc.items():
        if key not in ("build-system", "project", "dependency-groups", "tool"):
            out.add(key, value)
    if tool:
        out.add("tool", tool)
    return out


def _build_system(doc: Any, package: bool) -> Any:
    old = doc.get("build-system")
    if not package:
        return None
    if old is None or old.get("build-backend") == POETRY_BACKEND:
        table = tomlkit.table()
        requires = [
            r
            for r in (old or {}).get("requires", [])
            if _name(str(r)) not in ("poetry-core", "poetry")
        ]
        table.add("requires", [POETRY_CORE, *requires])
        table.add("build-backend", POETRY_BACKEND)
        return table
    # another backend (poetry-dynamic-versioning's wraps poetry-core): the project's choice, its
    # poetry-core at ≥ 2 so that it reads [project]
    requires = old.get("requires")
    if requires is not None:
        for i, r in enumerate(list(requires)):
            if _name(str(r)) == "poetry-core":
                requires[i] = POETRY_CORE
    return old
