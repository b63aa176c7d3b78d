"""The protocol every rewriter follows (rewriters/__init__.py lists them): `applies_to` says
whether it rewrites a file, `rewrite` turns today's text into the migrated one. What it cannot
rewrite comes back as readers_left, for the plan to keep the file it reads or to say so."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind


@dataclass(frozen=True)
class Rewrite:
    new_text: str  # the file as the migration leaves it (today's text: nothing to do)
    changed: bool
    what: str = ""  # why the file changes, one line for the plan
    details: tuple[str, ...] = ()  # each change, for the preview's --verbose
    notes: tuple[str, ...] = ()
    # what still does the old thing after the rewrite ("path:line", today's line numbers, and
    # why), for the plan to keep or regenerate what it reads, or to say it
    readers_left: tuple[str, ...] = ()
    detail: Any = None  # the rewriter's own record (the Makefile's MakefileRewrite)


class Rewriter(Protocol):
    name: str

    def applies_to(self, rel: str, kind: FileKind | None) -> bool:
        """Does it rewrite the file at `rel` (posix, relative to the root) of this kind?"""
        ...

    def rewrite(self, file_text: str, context: Mapping[str, Any]) -> Rewrite:
        """The migrated text; `context` is what the plan decided that the text depends on."""
        ...


def lines_left(readers_left: Iterable[str]) -> dict[str, frozenset[int]]:
    """Each file's line numbers in `readers_left` (`Makefile:12`, `Dockerfile:4 why`)."""
    out: dict[str, set[int]] = {}
    for left in readers_left:
        path, _, line = left.split(" ", 1)[0].rpartition(":")
        out.setdefault(path, set()).add(int(line))
    return {path: frozenset(lines) for path, lines in out.items()}
