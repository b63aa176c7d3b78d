"""The operations apply performs, one kind a class, each attached to the change it carries out:
the plan's changes, in order, with their operations, are the whole of what apply does. Apply
walks them and knows no file by name; the preview and the JSON walk the same list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class _OnFile:
    """An undoable operation on one file of the repository (the journal remembers it first)."""

    path: str

    verb = ""  # its name in the JSON plan
    undoable = True

    @property
    def touches(self) -> tuple[str, ...]:
        return (self.path,)

    def to_json(self) -> dict[str, Any]:
        return {"do": self.verb, "path": self.path}


@dataclass(frozen=True)
class Write(_OnFile):
    """Write a file (in the line endings and BOM of the one it replaces)."""

    data: bytes
    done: str | None = None  # what the summary says; None: a step of a larger operation

    verb = "write"


@dataclass(frozen=True)
class Restore(_OnFile):
    """Put a file back as it was before apply began (the seeded pyproject, once locked)."""

    verb = "restore"


@dataclass(frozen=True)
class Lock:
    """`uv lock`; with `seeds`, then check that uv.lock kept each pinned version."""

    failure: str  # "uv lock failed" / "uv lock (seeded with the requirements pins) failed"
    seeds: dict[str, str] = field(default_factory=dict)
    done: str | None = None

    undoable = True

    @property
    def touches(self) -> tuple[str, ...]:
        return ("uv.lock",)

    def to_json(self) -> dict[str, Any]:
        return {"do": "lock", "path": "uv.lock", "check_seeds": sorted(self.seeds)}


@dataclass(frozen=True)
class SeededLock:
    """`uv lock` with the requirements pins as temporary constraints, trying each way of
    seeding in turn (every Python, then only the Python the pins were tested on) and, when uv
    cannot lock with any of them, none: the pins are preferences, they never make the lock
    fail where it succeeds without them. Leaves the last seeded pyproject behind (the next
    operation writes the final one)."""

    attempts: tuple[tuple[str, bytes], ...]  # (how the pins hold, the seeded pyproject)

    undoable = True

    @property
    def touches(self) -> tuple[str, ...]:
        return ("pyproject.toml", "uv.lock")

    def to_json(self) -> dict[str, Any]:
        return {"do": "seeded-lock", "path": "uv.lock", "attempts": [a for a, _ in self.attempts]}


@dataclass(frozen=True)
class Export(_OnFile):
    """Regenerate a requirements file from uv.lock (`uv export`)."""

    args: tuple[str, ...]
    # what the file installed before (canonical name, `==` pin or None): the regenerated one
    # must still install each package uv.lock holds
    installed: tuple[tuple[str, str | None], ...] = ()

    verb = "export"

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "args": list(self.args)}


@dataclass(frozen=True)
class Delete(_OnFile):
    """Delete a file, and the folder it leaves empty."""

    verb = "delete"


@dataclass(frozen=True)
class Vendor:
    """Copy uv.mk into the repository, stamped as `uv-mk init` writes it (uvmk.vendor)."""

    copies: tuple[tuple[str, Path], ...]  # (destination, source)

    undoable = True

    @property
    def touches(self) -> tuple[str, ...]:
        return tuple(dest for dest, _ in self.copies)

    def to_json(self) -> dict[str, Any]:
        return {"do": "vendor", "paths": [dest for dest, _ in self.copies]}


@dataclass(frozen=True)
class RemoveVenv:
    """Delete a legacy venv folder: cannot be undone, so apply does it last."""

    path: str  # "venv/"
    size: int
    reason: str

    undoable = False

    @property
    def touches(self) -> tuple[str, ...]:
        return ()

    def to_json(self) -> dict[str, Any]:
        return {"do": "remove-venv", "path": self.path}


Operation = Write | Restore | Lock | SeededLock | Export | Delete | Vendor | RemoveVenv
