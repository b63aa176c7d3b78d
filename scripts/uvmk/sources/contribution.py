"""What one source (an input format: pip's requirements files, setuptools' setup.py...) hands
the plan: the project metadata it makes, its dependencies each with file:line and role, the uv
settings it needs (indexes, sources, constraints), the pins that seed the lock, the Python it
names, each file it owns with its fate, and what it has to say (a refusal is a Diagnostic of
severity "refusal")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from uvmk.diagnostics import Diagnostic
from uvmk.survey.model import PythonEvidence


@dataclass(frozen=True)
class Dependency:
    requirement: str  # as the source wrote it
    where: str  # "path:line"
    role: str  # runtime | group | constraints
    table: str  # where it goes: project.dependencies, dependency-groups.dev, ...


@dataclass(frozen=True)
class Fate:
    path: str  # an owned file, posix, relative to the root
    fate: str  # migrated | converted | kept | deleted | read-through | refused
    why: str


@dataclass
class Contribution:
    source: str  # the Source's name
    owned: tuple[str, ...] = ()
    project: str | None = None  # the [project] TOML it makes (setuptools), if any
    dependencies: tuple[Dependency, ...] = ()
    indexes: tuple[dict[str, Any], ...] = ()
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # [tool.uv.sources]
    constraints: tuple[str, ...] = ()
    seeds: dict[str, str] = field(default_factory=dict)  # package -> pinned version
    python: tuple[PythonEvidence, ...] = ()
    fates: tuple[Fate, ...] = ()
    notes: tuple[Diagnostic, ...] = ()
    # the source's own record, for the plan steps that still read it whole (pip's
    # DependencyPlan, setuptools' SetupPyProject)
    detail: Any = None

    def said(self, severity: str) -> tuple[Diagnostic, ...]:
        return tuple(n for n in self.notes if n.severity == severity)
