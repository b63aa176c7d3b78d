"""A requirements file that a reader edits before it installs it (a Dockerfile's `sed -i
"s|wagtail>=.*|$NIGHTLY_URL|" /requirements/base.txt`): the edit matches the lines as written.
Regenerated from uv.lock the pattern matches nothing (every line is an `==` pin, and the file
another one `-r`s is flattened into it), so the build silently installs something else. Such a
file stays as written, and so does every still-read file that includes it; their requirements
are in pyproject.toml all the same."""

from __future__ import annotations

import posixpath
import re

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.sources.pip import planner as req

# a command that rewrites a file in place: sed -i / --in-place (GNU and BSD spellings), perl -pi
_EDITED = "edited in place by "
_IN_PLACE = re.compile(
    r"(?<![\w-])(?:sed\s+(?:[^|;&]*\s)?(?:-[a-zA-Z]*i\S*|--in-place)|perl\s+-\w*i)"
)


def edits_in_place(text: str, rel: str) -> bool:
    """Does the reader's line rewrite `rel` in place: a sed -i / perl -pi command naming the
    file (by its path's tail, as a Dockerfile names it where it copied it)?"""
    name = posixpath.basename(rel)
    tail = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])")
    return any(_IN_PLACE.search(cmd) and tail.search(cmd) for cmd in _commands(text))


def _commands(text: str) -> list[str]:
    """The line's commands, split at `&&`, `||`, `;` and `|` outside quotes (a sed script's
    `s|a|b|` is one argument)."""
    out, start, quote = [], 0, ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in ";&|":
            out.append(text[start:i])
            start = i + 1
    return [*out, text[start:]]


def keep_edited(draft: Draft, c: Change, edits: list[str]) -> Change:
    draft.notes.append(
        f"{c.path} is kept as written: {', '.join(edits)} edits it in place, by its lines as "
        "written, which a regenerated file (uv.lock's pins) would not match; its requirements "
        "are in pyproject.toml now: keep the two in step"
    )
    return Change(c.path, "keep", f"{_EDITED}{', '.join(edits)}")


def keep_includers(draft: Draft, dep: req.DependencyPlan, read_by: dict[str, set[str]]) -> None:
    """A file regenerated for the reader that edits a file it includes (`-r base.txt`) would be
    flattened: the edit would reach nothing it installs. It stays as written too. `read_by`:
    each requirements file's readers (their paths)."""
    editors = {
        c.path: {w.rpartition(":")[0] for w in c.reason.removeprefix(_EDITED).split(", ")}
        for c in draft.changes
        if c.action == "keep" and c.reason.startswith(_EDITED)
    }
    if not editors:
        return
    includes = {f.path: f.includes for f in dep.files}
    for i, c in enumerate(draft.changes):
        if c.action != "export":
            continue
        readers = read_by.get(c.path, set())
        reached = sorted(e for e in _included(c.path, includes) if editors.get(e, set()) & readers)
        if not reached:
            continue
        draft.exports.pop(c.path, None)
        draft.installed.pop(c.path, None)
        names = ", ".join(reached)
        draft.notes[:] = [n for n in draft.notes if not n.startswith(f"{c.path} is still read by")]
        draft.notes.append(
            f"{c.path} is kept as written: it includes {names}, which its reader edits in "
            "place first (a regenerated file would not read it)"
        )
        draft.changes[i] = Change(c.path, "keep", f"includes {names}, edited in place")


def _included(rel: str, includes: dict[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    todo = list(includes.get(rel, ()))
    while todo:
        nxt = todo.pop()
        if nxt not in seen:
            seen.add(nxt)
            todo.extend(includes.get(nxt, ()))
    return seen
