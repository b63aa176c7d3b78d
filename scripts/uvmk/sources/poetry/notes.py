"""What the conversion says about each thing it read: mapped, reported (kept some other way or
left for the user, said), refused (cannot be converted without losing it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
