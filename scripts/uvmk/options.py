"""What the user asked of uv-audit / uv-migrate on the command line, as the survey, the facts
and the plan read it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    keep_requirements: bool = False
    export_requirements: bool = False
    override_pins: bool = False
    keep_pyproject_pins: bool = False
    uv_mk: Path | None = None
    python: str | None = None
    uv: str = "uv"
    # REWRITE: the readers (uvmk.rewriters.readers KNOBS) whose files are rewritten, not only
    # previewed
    rewrite: frozenset[str] = frozenset()
