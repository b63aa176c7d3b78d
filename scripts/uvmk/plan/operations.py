"""The operations apply performs, one kind a class, each attached to the change it carries out:
the plan's changes, in order, with their operations, are the whole of what apply does. Apply
walks them and knows no file by name; the preview and the JSON walk the same list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from uvmk.plan.seeded_text import with_seeds


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


class Seeding(NamedTuple):
    """One way to seed the lock: the final pyproject with the pins as constraints (`marker`:
    where they hold, None: on every Python). The text is made when apply needs it, so an audit
    or a preview parses and writes no pyproject it never shows."""

    how: str  # "on every Python", "on Python 3.13 only"
    final: str
    seeds: dict[str, str]
    marker: str | None = None

    def text(self) -> str:
        return with_seeds(self.final, self.seeds, self.marker)


@dataclass(frozen=True)
class WheelCheck:
    """After the seeded lock, before anything is deleted: every locked package must install on
    the pinned Python here from a wheel. Where one has no wheel for it, apply moves in this
    order: to the newest other Python the pins install on (`others`, when .python-version is
    ours to write), else the pins that hold such a package move up to the oldest version with a
    wheel. Never a silent source build."""

    python: str  # the X.Y .python-version names
    may_switch: bool  # .python-version is written here (not the repo's own, not --python)
    requires_python: str | None  # what another Python must satisfy
    others: tuple[str, ...] = ()  # evidenced X.Y (old venvs', the repo's) to try besides installed
    downloads: bool = False  # an evidenced Python not installed may be fetched by uv
    # requires-python was made here from `python` alone (no evidence): it follows the Python
    requires_follows: bool = False


@dataclass(frozen=True)
class SeededLock:
    """`uv lock` with the requirements pins as temporary constraints, trying each way of
    seeding in turn (every Python, then only the Python the pins were tested on) and, when uv
    cannot lock with any of them, none: the pins are preferences, they never make the lock
    fail where it succeeds without them. Leaves the last seeded pyproject behind (the next
    operation writes the final one)."""

    attempts: tuple[Seeding, ...]
    wheels: WheelCheck | None = None

    undoable = True

    @property
    def touches(self) -> tuple[str, ...]:
        return ("pyproject.toml", "uv.lock")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "do": "seeded-lock",
            "path": "uv.lock",
            "attempts": [a.how for a in self.attempts],
        }
        if self.wheels is not None:
            out["wheel_check"] = {
                "python": self.wheels.python,
                "may_switch": self.wheels.may_switch,
            }
        return out


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
