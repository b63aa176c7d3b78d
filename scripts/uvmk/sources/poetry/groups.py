"""Poetry's groups (`[tool.poetry.group.X.dependencies]`, 1.x `dev-dependencies`) → PEP 735
`[dependency-groups]`; Poetry installs every group not `optional = true`, uv only
`default-groups`, so that list is written whenever it differs from uv's `["dev"]`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from uvmk.sources.notes import Note, mapped, reported
from uvmk.sources.poetry.dependencies import Converted, convert_table


@dataclass
class Groups:
    groups: dict[str, list[Any]] = field(default_factory=dict)  # PEP 735 entries
    default_groups: list[str] | None = None  # None: uv's own default (["dev"]) is right
    converted: Converted = field(default_factory=Converted)  # every group's, for the sources
    notes: list[Note] = field(default_factory=list)


def convert_groups(poetry: Mapping[str, Any]) -> Groups:
    out = Groups()
    optional: list[str] = []
    if "dev-dependencies" in poetry:
        _add(out, "dev", poetry["dev-dependencies"], "tool.poetry.dev-dependencies")
    for name, group in (poetry.get("group") or {}).items():
        table = f"tool.poetry.group.{name}"
        _add(out, str(name), group.get("dependencies") or {}, f"{table}.dependencies")
        for included in group.get("include-groups") or []:
            out.groups[str(name)].append({"include-group": str(included)})
        if group.get("optional"):
            optional.append(str(name))
            out.notes.append(
                reported(
                    table,
                    "optional",
                    f"group {name} is optional: left out of [tool.uv] default-groups "
                    f"(`uv sync --group {name}` installs it)",
                )
            )
    installed = [g for g in out.groups if g not in optional]
    if installed != ["dev"] and (installed or "dev" in out.groups):
        out.default_groups = installed
    return out


def _add(out: Groups, name: str, deps: Mapping[str, Any], table: str) -> None:
    converted = convert_table(deps, table)
    entries = out.groups.setdefault(name, [])
    entries.extend(r.pep508 for r in converted.requirements)
    out.converted.requirements.extend(converted.requirements)
    out.converted.notes.extend(converted.notes)
    for r in converted.requirements:
        if r.optional:
            out.notes.append(
                reported(table, r.name, f"{r.name}: optional in a group means nothing; installed")
            )
    out.notes.append(mapped(table, "", f"{table} → [dependency-groups] {name}"))
