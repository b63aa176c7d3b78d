"""What a Makefile runs that uv should: the lines that call a hard-coded interpreter, pip or a
venv's tools (an echo that only names them is not a call), each at its file:line; and which
Makefile make reads in the root (GNUmakefile, makefile, Makefile)."""

from __future__ import annotations

import re
from pathlib import Path

from uvmk.patterns import INTERPRETER, PIP_CALL, VENV_USE, strip_uv_run
from uvmk.survey.model import MakefileHit
from uvmk.survey.text_files import lines

MAKEFILE_NAMES = ("GNUmakefile", "makefile", "Makefile")


def find_makefile(root: Path) -> Path | None:
    for name in MAKEFILE_NAMES:
        if (root / name).is_file():
            return root / name
    return None


_ECHO = re.compile(r"\t[@+-]*\s*(?:echo|printf)\b")


def scan_makefile(
    root: Path, makefile: Path, text_lines: list[str] | None = None
) -> list[MakefileHit]:
    """The Makefile's hard-coded interpreters, pip calls and venv paths (`text_lines`: its lines
    when the caller has read them)."""
    hits: list[MakefileHit] = []
    rel = makefile.relative_to(root).as_posix()
    for n, line in enumerate(lines(makefile) if text_lines is None else text_lines, 1):
        code = line.split("#", 1)[0] if not line.startswith("\t") else line
        if not code.strip() or code.lstrip().startswith("#"):
            continue
        text = line.strip()
        if _ECHO.match(code):  # a message that names pip or virtualenv runs neither
            continue
        code = strip_uv_run(code)
        if INTERPRETER.search(code):
            hits.append(MakefileHit(f"{rel}:{n}", "interpreter", text))
        if PIP_CALL.search(code):
            hits.append(MakefileHit(f"{rel}:{n}", "pip", text))
        elif VENV_USE.search(code):
            hits.append(MakefileHit(f"{rel}:{n}", "venv", text))
    return hits
