"""The operations apply performs, one kind a class, each attached to the change it carries out:
the plan's changes, in order, with their operations, are the whole of what apply does. Apply
walks them and knows no file by name; the preview and the JSON walk the same list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change


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


def schedule(
    draft: Draft,
    *,
    python_version: str | None,
    seeds: dict[str, str],
    seeded: tuple[tuple[str, str], ...],
) -> list[Change]:
    """The draft's changes, each with the operations that carry it out, in the order apply
    performs them: the files, the lock, the requirements files, the rest; venvs last."""
    out = [
        _with_operations(c, draft, python_version=python_version, seeds=seeds, seeded=seeded)
        for c in draft.changes
    ]
    return [c for c in out if c.action != "delete-dir"] + [
        c for c in out if c.action == "delete-dir"
    ]


def _with_operations(
    c: Change,
    draft: Draft,
    *,
    python_version: str | None,
    seeds: dict[str, str],
    seeded: tuple[tuple[str, str], ...],
) -> Change:
    ops: tuple[Operation, ...] = ()
    if c.action == "delete-dir":
        ops = (RemoveVenv(c.path, c.size or 0, c.reason),)
    elif c.action == "delete":
        ops = (Delete(c.path),)
    elif c.action == "export":
        ops = (Export(c.path, tuple(draft.exports[c.path]), draft.installed.get(c.path, ())),)
    elif c.path in draft.contents and c.action != "keep":
        said = f" ({python_version})" if c.path == ".python-version" else ""
        ops = (Write(c.path, draft.contents[c.path], f"wrote {c.path}{said}"),)
    elif c.path == "uv.lock":
        ops = _lock_operations(draft, seeds, seeded)
    elif c.path in draft.copies and c.action == "create":
        vendored = tuple(draft.copies.items())
        ops = (Vendor(vendored),)
    return Change(c.path, c.action, c.reason, c.details, c.size, ops)


def _lock_operations(
    draft: Draft, seeds: dict[str, str], seeded: tuple[tuple[str, str], ...]
) -> tuple[Operation, ...]:
    """uv lock with the requirements pins as temporary constraints, then again with the final
    pyproject (the versions locked stay as preferences); then check the pins survived."""
    said = f" (seeded with {len(seeds)} pin(s))" if seeds else ""
    final = Lock("uv lock failed", seeds, "locked: uv.lock" + said)
    if not seeded:
        return (final,)
    final_pyproject = draft.contents.get("pyproject.toml")
    return (
        SeededLock(tuple((how, text.encode("utf-8")) for how, text in seeded)),
        Write("pyproject.toml", final_pyproject)
        if final_pyproject is not None
        else Restore("pyproject.toml"),
        final,
    )
