"""YAML read as lines, for rewriters that must keep every other line, comment and quote of a
file as it is (no YAML library round-trips those): a mapping's keys by indentation, a block
list's items, a key's value inline or as a block scalar. Enough for CI and bot configs;
anything odder (flow mappings, anchors on a step) is left alone by the callers."""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = re.compile(
    r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[A-Za-z0-9_.$/-]+|\"[^\"]+\"|'[^']+'):(?:\s+(?P<value>.*?))?\s*$"
)


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def is_content(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith("#")


def block_end(lines: list[str], at: int, level: int) -> int:
    """The index after the block that starts at line `at`: the next content line indented no
    deeper than `level`."""
    for j in range(at + 1, len(lines)):
        if is_content(lines[j]) and indent(lines[j]) <= level:
            return j
    return len(lines)


@dataclass(frozen=True)
class Key:
    name: str
    value: str  # inline value ("" when a block follows)
    line: int  # index of the key's line
    end: int  # index after its block
    column: int  # where the key starts


def key_of(line: str) -> tuple[str, str, int] | None:
    """(key, inline value, column) of a `key: value` or `- key: value` line."""
    m = _KEY.match(line.rstrip("\n"))
    if m is None:
        return None
    value = m["value"] or ""
    value = "" if value.startswith("#") else re.sub(r"\s+#.*$", "", value)
    return m["key"].strip("\"'"), value, len(m["lead"])


def keys(lines: list[str], start: int, end: int) -> list[Key]:
    """The mapping keys in lines[start:end] at the column of the first one (a `- ` item's keys:
    its first line's key and the ones below it in line)."""
    out: list[Key] = []
    column: int | None = None
    for j in range(start, end):
        found = key_of(lines[j]) if is_content(lines[j]) else None
        if found is None:
            continue
        name, value, col = found
        column = col if column is None else column
        if col == column:
            out.append(Key(name, value, j, _end(lines, j, col, end, bool(value)), col))
    return out


def _end(lines: list[str], at: int, column: int, limit: int, inline: bool) -> int:
    """After key `at`: the next content line at its column or left of it, but a `- ` item at
    the column of a key with no inline value is its list (YAML allows `steps:` and its items
    at one indentation)."""
    for j in range(at + 1, limit):
        line = lines[j]
        if not is_content(line) or indent(line) > column:
            continue
        if not inline and indent(line) == column and line.lstrip().startswith("- "):
            continue
        return _trim(lines, at, j)
    return _trim(lines, at, limit)


def items(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """The `- ` items of the block list in lines[start:end]: (first line, end) each."""
    first = next((j for j in range(start, end) if is_content(lines[j])), None)
    if first is None or not lines[first].lstrip().startswith("- "):
        return []
    level = indent(lines[first])
    heads = [
        j
        for j in range(first, end)
        if is_content(lines[j]) and indent(lines[j]) == level and lines[j].lstrip().startswith("-")
    ]
    bounds = []
    for n, head in enumerate(heads):
        stop = heads[n + 1] if n + 1 < len(heads) else end
        bounds.append((head, _trim(lines, head, stop)))
    return bounds


def _trim(lines: list[str], start: int, stop: int) -> int:
    """Leave the blank lines and comments before the next item out of this one."""
    while stop > start + 1 and not is_content(lines[stop - 1]):
        stop -= 1
    return stop


def block_scalar(lines: list[str], key: Key) -> list[int] | None:
    """The content lines of a `key: |` (or `>`) block scalar; None when the value is inline."""
    if not re.fullmatch(r"[|>][-+]?\d*", key.value):
        return None
    return [j for j in range(key.line + 1, key.end) if lines[j].strip()]
