"""Why uv-migrate stops before changing anything, all at once: every refusal (what cannot be
migrated) and, when applying, a Python uv could not lock with and every unresolved conflict
between a requirements pin and pyproject's range, each at its file:line, with the flags that
resolve a conflict."""

from __future__ import annotations

from uvmk.contract import error_line
from uvmk.plan import MigrationPlan
from uvmk.sources.pip.grammar import Note

# a conflict is resolved by picking a side: the flag, then the make knob
RESOLVE_HINT = (
    "resolve with OVERRIDE_PINS=1 (--override-pins: the requirements pins are written into "
    "pyproject) or KEEP_PYPROJECT_PINS=1 (--keep-pyproject-pins: pyproject's ranges are kept "
    "and the pins dropped)"
)


def refusal(plan: MigrationPlan, *, applying: bool) -> str | None:
    """The `uv.mk: error: ...` text (without a final newline), None when nothing blocks.
    One problem is one line, as before; several are a head line and one line each."""
    refused = plan.dependencies.refusal_lines()
    listed = [_placed(n) for n in plan.refusals]
    # a preview shows the conflicts and a Python uv cannot use in its plan; one that refuses
    # names them with the rest. An apply with nothing to do deletes no pin (KEEP_REQUIREMENTS=1
    # left the files) and locks nothing: no refusal.
    blocking = (applying and not plan.empty) or refused
    if blocking and plan.python.blocker:
        refused = [*refused, plan.python.blocker]
        listed.append(plan.python.blocker)
    conflicts = [_placed(c) for c in plan.conflicts] if blocking else []
    if not refused and not conflicts:
        return None
    if len(refused) == 1 and not conflicts:
        return error_line(refused[0])
    if refused:
        what = _count(len(refused), "problem")
        if conflicts:
            what += " and " + _count(len(conflicts), "conflicting pin")
        head = error_line(f"{what} stop uv-migrate; nothing was changed:")
    else:
        head = error_line(
            f"{_count(len(conflicts), 'requirements pin')} outside "
            f"pyproject.toml's range; nothing was changed:"
        )
    lines = [head, *(f"  {line}" for line in listed + conflicts)]
    if conflicts:
        lines.append(f"  {RESOLVE_HINT}")
    return "\n".join(lines)


def _placed(note: Note) -> str:
    """`file:line: message` (a message that names its own place is kept as it is)."""
    if note.where is None or str(note.where) in note.message:
        return note.message
    path = f"{note.where.path}:"
    if note.message.startswith(path):  # "pyproject.toml: ..." -> "pyproject.toml:4: ..."
        return f"{note.where}:{note.message[len(path) :]}"
    return f"{note.where}: {note.message}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
