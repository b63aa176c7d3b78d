"""A requirements file that stays as written still reads the files it includes: openedx's
requirements/*.in, kept for the `make upgrade` that pip-compiles them, each say
`-c constraints.txt`, and pip-compile (and setup.py's load_requirements) open it. On a second
run, with those .in files no longer the migration's, nothing else said so and constraints.txt
was deleted. A file a requirements file that stays includes stays too, said."""

from __future__ import annotations

import posixpath
import re

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.survey.tree import Tree

_INCLUDE = re.compile(r"(?m)^\s*(?:-[rc]\s*|--(?:requirement|constraint)[=\s]\s*)(\S+)")


def keep_what_kept_files_include(draft: Draft, tree: Tree) -> None:
    """Each requirements file the plan deletes that a requirements file it leaves in place
    includes (-r, -c), directly or not, is kept."""
    changed = True
    while changed:  # what a file kept here includes stays in turn
        changed = False
        going = {c.path for c in draft.changes if c.action in ("delete", "export")}
        staying = [r for r in tree.of_kind("requirements", "requirements-in") if r not in going]
        included = {r: _includes(tree, r) for r in staying}
        for i, c in enumerate(draft.changes):
            by = [r for r in staying if c.path in included[r]]
            if c.action != "delete" or not by:
                continue
            draft.changes[i] = Change(c.path, "keep", f"included by {', '.join(by)}, which stays")
            draft.notes.append(
                f"{c.path} is kept: {', '.join(by)} stays and includes it (what reads that "
                "one opens it too)"
            )
            changed = True


def _includes(tree: Tree, rel: str) -> set[str]:
    text = tree.read(rel) or ""
    folder = posixpath.dirname(rel)
    return {posixpath.normpath(posixpath.join(folder, t)) for t in _INCLUDE.findall(text)}
