"""What the conversion says about each thing it read: mapped, reported (kept some other way or
left for the user, said), refused (cannot be converted without losing it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from uvmk.survey.pyproject_text import key_line

Kind = Literal["mapped", "reported", "refused"]


@dataclass(frozen=True)
class Note:
    kind: Kind
    table: str  # the dotted TOML table the key is in: "tool.poetry.dependencies"
    key: str  # the key in it ("" for the table itself)
    text: str


def mapped(table: str, key: str, text: str) -> Note:
    return Note("mapped", table, key, text)


def reported(table: str, key: str, text: str) -> Note:
    return Note("reported", table, key, text)


def refused(table: str, key: str, text: str) -> Note:
    return Note("refused", table, key, text)


@dataclass(frozen=True)
class Said:
    """A note where it applies: the file the converter read, and the line in it."""

    note: Note
    file: str
    line: int


def line_of(text: str, note: Note) -> int:
    """The line of the note's key in `text` (a TOML file), else of its table, else 1."""
    parts = note.table.split(".") if note.table else []
    if note.key:
        found = key_line(text, note.table, note.key)
        if found:
            return found
    while parts:
        found = key_line(text, ".".join(parts[:-1]), parts[-1])
        if found:
            return found
        parts.pop()
    return 1


def seeds_of(
    versions: dict[str, set[str]], table: str, apart: str
) -> tuple[dict[str, str], list[Note]]:
    """A lock's registry versions ({canonical name: the versions locked}) → the seeds for uv.lock:
    a name locked at one version seeds it; one locked at several (`apart`: what locked them
    apart) cannot be one seed, and is said, since uv.lock is one resolution."""
    seeds: dict[str, str] = {}
    notes: list[Note] = []
    for name, found in sorted(versions.items()):
        if len(found) == 1:
            seeds[name] = next(iter(found))
        else:
            notes.append(
                reported(
                    table,
                    name,
                    f"{name} is locked at {', '.join(sorted(found))} ({apart}): no one seed; "
                    "uv lock chooses within the project's ranges",
                )
            )
    return seeds, notes
