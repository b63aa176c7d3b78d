"""What a MigrationPlan is made of: the options it was asked with, each change to a path (with
why), each requirement line and where it goes, the Python version chosen."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from uvmk.options import Options
from uvmk.sources.pip import planner as req

if TYPE_CHECKING:
    from uvmk.elsewhere import Unmigrated
    from uvmk.plan.operations import Operation
    from uvmk.rewriters.readers import Finding

Action = Literal["create", "modify", "delete", "delete-dir", "export", "keep"]


@dataclass(frozen=True)
class Change:
    path: str  # posix, relative to the root
    action: Action
    reason: str
    details: tuple[str, ...] = ()
    size: int | None = None  # delete-dir: bytes freed
    operations: tuple[Operation, ...] = ()  # what apply does for it, in order

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "action": self.action,
            "reason": self.reason,
            "details": list(self.details),
            "size": self.size,
            "operations": [op.to_json() for op in self.operations],
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
    # why APPLY=1 refuses: uv could not lock with this Python (missing, no downloads), or
    # --python is outside the repo's requires-python; the preview shows it
    blocker: str | None = None
    forced: bool = False  # --python (PYTHON_VERSION) chose it

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "source": self.source,
            "write": self.write,
            "notes": list(self.notes),
            "blocker": self.blocker,
        }


@dataclass(frozen=True)
class ReaderChange:
    """What a reader rewriter does to one file (plan/readers_step.py): `applied` when REWRITE
    names its knob, else the preview only says it."""

    knob: str  # the REWRITE= name ("ci")
    rewriter: str  # its name ("github-actions")
    path: str
    before: str
    after: str
    findings: tuple[Finding, ...]
    applied: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "rewrite": self.knob,
            "path": self.path,
            "applied": self.applied,
            "changes": [
                {"line": f.line, "message": f.message, "rewritten": f.rewritten}
                for f in self.findings
            ],
        }


@dataclass
class MigrationPlan:
    """`changes` is the ordered list apply carries out (each change with its operations)."""

    root: Path
    options: Options
    dependencies: req.DependencyPlan
    changes: list[Change]
    routes: list[Route]
    python: PythonChoice
    seed_pins: dict[str, str]
    notes: list[str]
    # each file as the plan leaves it, by relative path (its Write operation carries it out)
    contents: dict[str, bytes] = field(default_factory=dict)
    # dependencies held where the migration does not reach (uvmk.elsewhere): refused or kept
    unmigrated: list[Unmigrated] = field(default_factory=list)
    # what each reader rewriter changes or leaves, applied or previewed (REWRITE=)
    readers: list[ReaderChange] = field(default_factory=list)
    # a workspace (plan/workspace): its member folders, each with its own pyproject.toml
    members: tuple[str, ...] = ()

    @property
    def actions(self) -> list[Change]:
        return [c for c in self.changes if c.action != "keep"]

    @property
    def empty(self) -> bool:
        return not self.actions

    @property
    def refusals(self) -> list[req.Note]:
        """What uv-migrate cannot carry out (preview and apply refuse with all of them)."""
        return self.dependencies.refusals

    @property
    def conflicts(self) -> list[req.Note]:
        """Requirements pins outside pyproject's range: apply refuses until a flag picks a side."""
        return self.dependencies.conflicts

    def to_json(self) -> dict[str, Any]:
        members = {"workspace_members": list(self.members)} if self.members else {}
        return {
            **members,
            "root": str(self.root),
            "nothing_to_do": self.empty,
            "changes": [c.to_json() for c in self.changes],
            "requirements": [r.to_json() for r in self.routes],
            "python": self.python.to_json(),
            "seed_pins": dict(sorted(self.seed_pins.items())),
            "notes": list(self.notes),
            "refusals": self.dependencies.refusal_lines(),
            "conflicts": [f"{n.where}: {n.message}" for n in self.conflicts],
            "readers": [r.to_json() for r in self.readers],
            "options": {
                "keep_requirements": self.options.keep_requirements,
                "export_requirements": self.options.export_requirements,
                "override_pins": self.options.override_pins,
                "keep_pyproject_pins": self.options.keep_pyproject_pins,
                "rewrite": sorted(self.options.rewrite),
            },
        }
