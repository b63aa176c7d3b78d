"""Who still reads a requirements file the migration would delete (a Dockerfile, CI, tox, a
kept Makefile target...): such a file is regenerated from uv.lock or kept, never broken."""

from __future__ import annotations

import re
from pathlib import Path

_REF_FILES = (
    "Dockerfile*",
    "*.Dockerfile",
    "docker-compose*.y*ml",
    "compose*.y*ml",
    "tox.ini",
    "noxfile.py",
    "setup.py",
    "setup.cfg",
    "MANIFEST.in",
    "Procfile",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    "*.sh",
    ".github/workflows/*.y*ml",
    "GNUmakefile",
    "makefile",
    "Makefile",
)


def requirement_references(
    root: Path,
    rel: str,
    final_texts: dict[str, str],
    kept_lines: dict[str, frozenset[int]] | None = None,
) -> list[str]:
    """file:line of the lines outside requirements files that name `rel` (a requirements file
    about to be deleted). `final_texts` are files as the plan will leave them; a file in
    `kept_lines` (the rewritten Makefile) is read as it is today, counting only the lines the
    rewrite keeps, so the line numbers are the ones the user sees in the file now."""
    kept_lines = kept_lines or {}
    name = Path(rel).name
    # a name on its own, or glued to pip's -r/-c (`deps = -rrequirements-dev.txt` in tox.ini)
    start = r"(?:(?<![\w.-])|(?<![\w-])-[rc])"
    pattern = re.compile(
        start
        + re.escape(rel)
        + r"(?![\w.-])"
        + (
            r"|" + start + re.escape(name) + r"(?![\w.-])"
            if "requirements" in name or "constraints" in name
            else ""
        )
    )
    seen: set[Path] = set()
    refs: list[str] = []
    for glob in _REF_FILES:
        for path in sorted(root.glob(glob)):
            if path in seen or not path.is_file():
                continue
            seen.add(path)
            frel = path.relative_to(root).as_posix()
            text = None if frel in kept_lines else final_texts.get(frel)
            if text is None:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
            for n, line in enumerate(text.splitlines(), 1):
                if frel in kept_lines and n not in kept_lines[frel]:
                    continue  # a line the rewrite removes
                if pattern.search(line) and not line.lstrip().startswith("#"):
                    refs.append(f"{frel}:{n}")
    return refs
