"""Telling pip-compile output and `pip freeze` dumps from hand-written requirements files.

A compiled or frozen file pins every transitive dependency. Those pins must seed uv.lock, not
become direct dependencies, so the planner needs to know which files they are and which of
their lines the user asked for directly.
"""

from __future__ import annotations

import re
from typing import Literal

from packaging.utils import canonicalize_name

from uvmk.requirements.grammar import ParsedFile, ReqLine
from uvmk.requirements.specifiers import exact_pin

FileKind = Literal["hand-written", "compiled", "freeze"]

# A hand-pinned file of direct dependencies is usually short; a freeze of a real environment
# is not. Below this many pins, an all-`==` file without other evidence is hand-written.
FREEZE_MIN_PINS = 15


def pin_file_kind(parsed: ParsedFile) -> FileKind:
    """pip-compile / uv pip compile output (header or `# via` annotations) is "compiled";
    a `pip freeze` dump is recognised by `pkg-resources==0.0.0`, or by being only exact `==`
    pins without extras or markers, at least FREEZE_MIN_PINS of them."""
    first = min((r.where.line for r in parsed.requirements), default=parsed.physical_lines + 1)
    header = " ".join(c.text.lower() for c in parsed.comments if c.where.line < first)
    if "pip-compile" in header or "uv pip compile" in header or has_via(parsed):
        return "compiled"
    named = [r for r in parsed.requirements if r.name and not r.link]
    if any(is_pkg_resources_artefact(r) for r in named):
        return "freeze"
    pinned = all(exact_pin(r.specifier) and not r.extras and not r.marker for r in named)
    # pip freeze writes local and VCS installs as `-e <where>` or `name @ <url>`.
    others_frozen = all(
        r.editable or r.name for r in parsed.requirements if not (r.name and not r.link)
    )
    if pinned and others_frozen and len(named) >= FREEZE_MIN_PINS:
        return "freeze"
    return "hand-written"


def kind_evidence(parsed: ParsedFile, kind: FileKind) -> str:
    if kind == "compiled":
        return "`# via` annotations" if has_via(parsed) else "a pip-compile header"
    if any(is_pkg_resources_artefact(r) for r in parsed.requirements):
        return "pkg-resources==0.0.0"
    return f"only exact pins, {len(parsed.requirements)} of them, no extras or markers"


def has_via(parsed: ParsedFile) -> bool:
    return any(re.match(r"#\s*via\b", c.text) for c in parsed.comments)


def via_direct_lines(parsed: ParsedFile) -> set[int]:
    """Line numbers of requirements pip-compile annotated `# via -r <file>` (or via the project's
    own pyproject/setup): those were asked for directly."""
    starts = sorted(r.where.line for r in parsed.requirements)
    direct: set[int] = set()
    for comment in parsed.comments:
        owner = max((s for s in starts if s <= comment.where.line), default=None)
        if owner is None:
            continue
        text = comment.text.lstrip("#").strip()
        text = text.removeprefix("via").strip()
        if text.startswith("-r ") or re.search(r"\((pyproject\.toml|setup\.(py|cfg))\)", text):
            direct.add(owner)
    return direct


def is_pkg_resources_artefact(line: ReqLine) -> bool:
    return (
        bool(line.name)
        and canonicalize_name(line.name or "") == "pkg-resources"
        and (line.specifier == "==0.0.0")
    )
