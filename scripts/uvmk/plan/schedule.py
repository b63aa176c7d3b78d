"""Each change of the draft gets the operations that carry it out (uvmk.plan.operations), in
the order apply performs them."""

from __future__ import annotations

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.plan.operations import (
    Delete,
    Export,
    Lock,
    Operation,
    RemoveVenv,
    Restore,
    SeededLock,
    Seeding,
    Vendor,
    WheelCheck,
    Write,
)


def schedule(
    draft: Draft,
    *,
    python_version: str | None,
    seeds: dict[str, str],
    seeded: tuple[Seeding, ...],
    wheels: WheelCheck | None = None,
) -> list[Change]:
    """The draft's changes, each with the operations that carry it out, in the order apply
    performs them: the draft's (the files, the lock, the requirements files, the rest), but
    what cannot be undone last (the venvs), once every undoable one is done."""
    out = [
        _with_operations(
            c, draft, python_version=python_version, seeds=seeds, seeded=seeded, wheels=wheels
        )
        for c in draft.changes
    ]
    return sorted(out, key=lambda c: not _undoable(c))


def phases(changes: list[Change]) -> tuple[list[Operation], list[Operation]]:
    """The scheduled changes' operations as apply performs them: first every one a failure can
    undo (under the journal), then the ones it cannot (removing a venv)."""
    operations = [op for c in changes for op in c.operations]
    return [op for op in operations if op.undoable], [op for op in operations if not op.undoable]


def _undoable(c: Change) -> bool:
    return all(op.undoable for op in c.operations)


def _with_operations(
    c: Change,
    draft: Draft,
    *,
    python_version: str | None,
    seeds: dict[str, str],
    seeded: tuple[Seeding, ...],
    wheels: WheelCheck | None,
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
        ops = _lock_operations(draft, seeds, seeded, wheels)
    elif c.path in draft.copies and c.action == "create":
        vendored = tuple(draft.copies.items())
        ops = (Vendor(vendored),)
    return Change(c.path, c.action, c.reason, c.details, c.size, ops)


def _lock_operations(
    draft: Draft,
    seeds: dict[str, str],
    seeded: tuple[Seeding, ...],
    wheels: WheelCheck | None,
) -> tuple[Operation, ...]:
    """uv lock with the requirements pins as temporary constraints, then again with the final
    pyproject (the versions locked stay as preferences); then check the pins survived."""
    said = f" (seeded with {len(seeds)} pin(s))" if seeds else ""
    final = Lock("uv lock failed", seeds, "locked: uv.lock" + said)
    if not seeded:
        return (final,)
    final_pyproject = draft.contents.get("pyproject.toml")
    return (
        SeededLock(seeded, wheels),
        Write("pyproject.toml", final_pyproject)
        if final_pyproject is not None
        else Restore("pyproject.toml"),
        final,
    )
