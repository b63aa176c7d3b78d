"""The parts of the PEP 508 requirement a Pipfile or Poetry dependency entry becomes, the same
for both tools (each reads its own keys into them): the name with its extras, a version only
where an index serves the package, the markers joined."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def with_extras(name: str, extras: Iterable[Any]) -> str:
    """`name[a,b]`."""
    named = [str(e) for e in extras]
    return name + (f"[{','.join(named)}]" if named else "")


def checkout_versioned(source: Mapping[str, Any] | None) -> bool:
    """A git, path or URL source: what installs is whatever version the checkout (the file)
    says, so the entry's own version is not written; an index source serves versions."""
    return source is not None and not {"index"} >= set(source)


def all_of(markers: Iterable[str]) -> str:
    """The marker true when each one is: PEP 508's `and` binds tighter than `or`, so beside
    others a marker with an `or` is parenthesized; one alone stands as written."""
    parts = [m for m in markers if m]
    if len(parts) == 1:
        return parts[0]
    return " and ".join(f"({p})" if " or " in p else p for p in parts)


def requirement(head: str, specifier: str, marker: str) -> str:
    """`head<specifier>; marker`."""
    return head + specifier + (f"; {marker}" if marker else "")
