"""A docs line that tells people to `pip install -r` a requirements file the migration deletes:
alone on its line (a code block, a `$ ` prompt), it becomes the uv step that installs the same
selection; a line with more on it is left for the plan to report (readers_left)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from uvmk.rewriters.protocol import Rewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

# `pip install -r FILE` alone on a docs line (a code block, a `$ ` prompt): the uv step that
# installs the same selection replaces it; a line with more on it is reported instead
_PIP_STEP = re.compile(
    r"^(?P<lead>\s*(?:[$>]\s+)?)(?:python3?\s+-m\s+)?pip3?\s+install\s+"
    r"(?:-r\s*|--requirement[=\s]\s*)\S+(?P<eol>\s*)$"
)


def uv_step(line: str, role: str, group: str | None) -> str | None:
    """The uv line for a `pip install -r` line of a runtime or group file, or None."""
    m = _PIP_STEP.match(line)
    if m is None or role not in ("runtime", "group"):
        return None
    step = (
        f"uv sync --group {group}" if role == "group" and group else "uv sync --no-default-groups"
    )
    return m.group("lead") + step + m.group("eol")


class _DocsLines:
    """context: line (1-based), role and group of the file that line installs, where (the
    reader's "path:line")."""

    name = "docs-lines"

    def applies_to(self, rel: str, kind: FileKind | None) -> bool:
        return kind == "docs"

    def rewrite(self, file_text: str, context: Mapping[str, Any]) -> Rewrite:
        lines = file_text.splitlines(keepends=True)
        at = int(context["line"]) - 1
        step = uv_step(lines[at], str(context["role"]), context.get("group"))
        if step is None:
            return Rewrite(file_text, False, readers_left=(str(context["where"]),))
        lines[at] = step
        why = "its `pip install -r` lines of deleted requirements files now run uv sync"
        return Rewrite("".join(lines), True, why)


DOCS_LINES = _DocsLines()
