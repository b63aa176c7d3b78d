"""The protocol every rewriter follows (rewriters/__init__.py lists them): `applies_to` says
whether it rewrites a file, `rewrite` turns today's text into the migrated one. What it cannot
rewrite comes back as readers_left, for the plan to keep the file it reads or to say so."""

from __future__ import annotations

from collections.abc import Mapping
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
    # the lines of today's text the rewrite keeps as written (None: not said), so a reader of
    # a requirements file is looked for where the user sees it now
    kept_lines: frozenset[int] | None = None
    notes: tuple[str, ...] = ()
    # what still does the old thing after the rewrite ("path:line" and why), for the plan to
    # keep or regenerate what it reads, or to say it
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
