"""The host Makefile as a Rewriter: rewrite() (rewrite.py) with the plan's decisions as its
context; the lines it keeps as written that still read a file the plan deletes (a kept target's
`pip install -r requirements.txt`, `python setup.py sdist`) come back as its readers_left."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from uvmk.rewriters.makefile.rewrite import rewrite
from uvmk.rewriters.makefile.scan import MAKEFILE_NAMES
from uvmk.rewriters.protocol import Rewrite
from uvmk.survey import readers

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind


class _Makefile:
    """context: rewrite()'s keyword arguments (include_path, venv_dirs, target_venv, ...), and
    `read_files`: the files the plan deletes, whose readers among the kept lines are left."""

    name = "makefile"

    def applies_to(self, rel: str, kind: FileKind | None) -> bool:
        return rel in MAKEFILE_NAMES  # the one make reads in the root

    def rewrite(self, file_text: str, context: Mapping[str, Any]) -> Rewrite:
        read_files = tuple(context.get("read_files", ()))
        done = rewrite(file_text, **{k: v for k, v in context.items() if k != "read_files"})
        kept = [
            (n, line) for n, line in enumerate(file_text.splitlines(), 1) if n in done.kept_lines
        ]
        return Rewrite(
            done.text,
            done.changed,
            "run the daily targets through uv.mk",
            tuple(done.summary()),
            notes=tuple(done.headline),
            readers_left=_readers_left(context.get("name", "Makefile"), kept, read_files),
            detail=done,
        )


def _readers_left(
    name: str, kept: list[tuple[int, str]], read_files: Iterable[str]
) -> tuple[str, ...]:
    """`Makefile:N` of each kept line that reads one of `read_files` (or runs setup.py)."""
    lines = {
        r.line for rel in read_files for r in readers.line_readers(rel, name, "makefile", kept)
    }
    if "setup.py" in read_files:
        lines |= {n for n, line in kept if readers.runs_setup_py(line, "makefile")}
    return tuple(f"{name}:{n}" for n in sorted(lines))


MAKEFILE = _Makefile()
