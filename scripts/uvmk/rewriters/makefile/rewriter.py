"""The host Makefile as a Rewriter: rewrite() (rewrite.py) with the plan's decisions as its
context; the lines it keeps as written are where a reader of a requirements file still is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from uvmk.rewriters.makefile.rewrite import rewrite
from uvmk.rewriters.makefile.scan import MAKEFILE_NAMES
from uvmk.rewriters.protocol import Rewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind


class _Makefile:
    """context: rewrite()'s keyword arguments (include_path, venv_dirs, target_venv, ...)."""

    name = "makefile"

    def applies_to(self, rel: str, kind: FileKind | None) -> bool:
        return rel in MAKEFILE_NAMES  # the one make reads in the root

    def rewrite(self, file_text: str, context: Mapping[str, Any]) -> Rewrite:
        done = rewrite(file_text, **context)
        return Rewrite(
            done.text,
            done.changed,
            "run the daily targets through uv.mk",
            tuple(done.summary()),
            kept_lines=done.kept_lines,
            notes=tuple(done.headline),
            detail=done,
        )


MAKEFILE = _Makefile()
