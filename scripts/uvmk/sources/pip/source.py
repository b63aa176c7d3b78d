"""pip as a Source: the requirements files discovery finds (by name, under requirements/, or
because something installs them with -r/-c), planned against pyproject as the sources before
it leave it (the planner: roles, drift, conflicts, seeds, groups)."""

from __future__ import annotations

from uvmk.diagnostics import Diagnostic, Severity
from uvmk.sources.contribution import Contribution, Dependency, Fate
from uvmk.sources.pip import planner
from uvmk.sources.pip.grammar import Note
from uvmk.sources.pip.roles import CONSTRAINTS_TABLE, discover_requirement_files
from uvmk.sources.protocol import Reading
from uvmk.survey.tree import Tree


class _Pip:
    name = "pip"

    def detect(self, tree: Tree) -> tuple[str, ...]:
        found = discover_requirement_files(tree)
        return tuple(p.relative_to(tree.root).as_posix() for p in found)

    def read(self, tree: Tree, owned: tuple[str, ...], reading: Reading) -> Contribution:
        dep = planner.plan_dependencies(
            tree.root,
            reading.pyproject_text,
            [tree.root / rel for rel in owned],
            override_pins=reading.override_pins,
            keep_pyproject_pins=reading.keep_pyproject_pins,
            roles=reading.named,
            extra_files=reading.extra_files,
            locked=reading.locked,
            tree=tree,
        )
        dependencies = tuple(
            Dependency(a.requirement, str(a.where), _role(a.table), a.table) for a in dep.additions
        )
        notes = (
            *(_diagnostic("refusal", n) for n in dep.refusals),
            *(_diagnostic("blocks-apply", n) for n in dep.conflicts),
            *(_diagnostic("info", n) for n in dep.notes),
        )
        fates = tuple(Fate(f.path, _fate(f.role), _why(f.role, f.group)) for f in dep.files)
        return Contribution(
            self.name,
            owned,
            dependencies=dependencies,
            indexes=tuple(dep.indexes),
            sources=dep.sources,
            constraints=tuple(d.requirement for d in dependencies if d.table == CONSTRAINTS_TABLE),
            seeds=dep.seed_pins,
            fates=fates,
            notes=notes,
            detail=dep,
        )


def _role(table: str) -> str:
    if table == CONSTRAINTS_TABLE:
        return "constraints"
    return "group" if table.startswith("dependency-groups.") else "runtime"


def _fate(role: str) -> str:
    return "read-through" if role == "include-only" else "migrated"


def _why(role: str, group: str | None) -> str:
    return {
        "runtime": "into [project].dependencies",
        "group": f"into [dependency-groups] {group}",
        "constraints": "into [tool.uv] constraint-dependencies",
        "include-only": "its lines belong to the file that -r's it",
    }.get(role, role)


def _diagnostic(severity: Severity, note: Note) -> Diagnostic:
    where = str(note.where) if note.where is not None else None
    return Diagnostic(severity, note.code, note.message, where)


PIP = _Pip()
