"""What a MigrationPlan is made of: the options it was asked with, each change to a path (with
why), each requirement line and where it goes, the Python version chosen."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from uvmk import makefile as uvmk_makefile
from uvmk.requirements import planner as req

Action = Literal["create", "modify", "delete", "delete-dir", "export", "keep"]


@dataclass(frozen=True)
class Options:
    keep_requirements: bool = False
    export_requirements: bool = False
    override_pins: bool = False
    uv_mk: Path | None = None
    python: str | None = None
    uv: str = "uv"


@dataclass(frozen=True)
class Change:
    path: str  # posix, relative to the root
    action: Action
    reason: str
    details: tuple[str, ...] = ()
    size: int | None = None  # delete-dir: bytes freed

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "action": self.action,
            "reason": self.reason,
            "details": list(self.details),
            "size": self.size,
        }


@dataclass(frozen=True)
class Route:
    """One requirement line and where it goes."""

    requirement: str
    source: str  # file:line
    destination: str  # a pyproject table, or "not written"
    status: str  # added | kept pyproject's | reported | ...

    def to_json(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "source": self.source,
            "destination": self.destination,
            "status": self.status,
        }


@dataclass(frozen=True)
class PythonChoice:
    version: str | None  # "3.11" — what .python-version will contain
    source: str  # why: "Makefile:6 (python3.13)" / ".python-version" ...
    write: bool  # .python-version is created/changed
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "source": self.source,
            "write": self.write,
            "notes": list(self.notes),
        }


@dataclass
class MigrationPlan:
    root: Path
    options: Options
    dependencies: req.DependencyPlan
    changes: list[Change]
    routes: list[Route]
    python: PythonChoice
    seed_pins: dict[str, str]
    notes: list[str]
    # what apply writes, by relative path (never shown raw; summarised in `changes`)
    contents: dict[str, bytes] = field(default_factory=dict)
    seeded_pyproject: str | None = None
    exports: dict[str, list[str]] = field(default_factory=dict)  # file -> uv export arguments
    copies: dict[str, Path] = field(default_factory=dict)  # vendored file -> source
    makefile: uvmk_makefile.MakefileRewrite | None = None

    @property
    def actions(self) -> list[Change]:
        return [c for c in self.changes if c.action != "keep"]

    @property
    def empty(self) -> bool:
        return not self.actions

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "nothing_to_do": self.empty,
            "changes": [c.to_json() for c in self.changes],
            "requirements": [r.to_json() for r in self.routes],
            "python": self.python.to_json(),
            "seed_pins": dict(sorted(self.seed_pins.items())),
            "notes": list(self.notes),
            "options": {
                "keep_requirements": self.options.keep_requirements,
                "export_requirements": self.options.export_requirements,
                "override_pins": self.options.override_pins,
            },
        }
