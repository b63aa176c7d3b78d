"""The tables a converter writes, as a person would: requirement lists one a line, sources and
authors inline, indexes as `[[tool.uv.index]]`, [tool.uv] merged into the one already there."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import tomlkit


def folder_project_name(folder: str) -> str:
    """The [project] name made for a project that has none (a Pipenv app, a requirements-only
    repo): its folder's name, as a valid project name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", folder).strip("-._") or "project"


def array(values: list[Any]) -> Any:
    out = tomlkit.array()
    out.extend(values)
    if len(values) > 1 or any(isinstance(v, dict) or len(str(v)) > 40 for v in values):
        out.multiline(True)
    return out


def inline(values: Mapping[str, Any]) -> Any:
    out = tomlkit.inline_table()
    out.update(values)
    return out


def project_table(project: Mapping[str, Any]) -> Any:
    table = tomlkit.table()
    for key, value in project.items():
        if key in ("authors", "maintainers"):
            table.add(key, array([inline(p) for p in value]))
        elif isinstance(value, list):
            table.add(key, array(value))
        elif key == "optional-dependencies":
            extras = tomlkit.table()
            for extra, requirements in value.items():
                extras.add(extra, array(requirements))
            table.add(key, extras)
        elif key == "license" and isinstance(value, dict):
            table.add(key, inline(value))
        else:
            table.add(key, value)
    return table


def groups_table(existing: Mapping[str, Any], groups: Mapping[str, list[Any]]) -> Any:
    """[dependency-groups]: the pyproject's own first, the converted entries after them."""
    table = tomlkit.table()
    for name, entries in existing.items():
        table.add(name, entries)
    for name, entries in groups.items():
        if name in table:
            table[name].extend(entries)
        else:
            table.add(name, array([inline(e) if isinstance(e, dict) else e for e in entries]))
    return table


def uv_table(existing: Any, uv: Mapping[str, Any]) -> Any:
    """[tool.uv]: the pyproject's own (`existing`, or None) with the converted keys set."""
    table = existing if existing is not None else tomlkit.table()
    for key, value in uv.items():
        if key == "sources":
            sources = table.get("sources") or tomlkit.table()
            for name, entry in value.items():
                entries = [inline(e) for e in (entry if isinstance(entry, list) else [entry])]
                sources[name] = entries[0] if len(entries) == 1 else array(entries)
            table[key] = sources
        elif key == "index":
            aot = tomlkit.aot()
            for index in value:
                aot.append(tomlkit.item(index))
            table[key] = aot
        else:
            table[key] = value
    return table
