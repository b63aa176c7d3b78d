"""The claim "`uv sync` installs what `pip install -r requirements-dev.txt` did", checked the
only way that proves it: the old file's resolution (`uv pip compile`) against the new
selection's (`uv export` of the group), once uv.lock exists and the old file is still there."""

from __future__ import annotations

import re
from pathlib import Path

from uvmk import proc as uvmk_proc
from uvmk.sources.pip.grammar import Note

_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==", re.M)


def check_claims(uv: str, root: Path, notes: list[Note], python: str | None = None) -> list[str]:
    """One line per claim the plan made: confirmed, or the packages the group misses, both
    resolved for `python` (the X.Y uv sync will use; else the Python uv finds), since a package
    pulled in on another Python only (tomli on 3.10) is none the group misses."""
    out = []
    for note in notes:
        if note.code != "group-includes-extra" or note.where is None:
            continue
        group = re.search(r"\[dependency-groups\.([^\]]+)\]", note.message)
        if group is None:
            continue
        out.append(_check(uv, root, note.where.path, group.group(1), python))
    return out


def _check(uv: str, root: Path, rel: str, group: str, python: str | None) -> str:
    on = ("--python-version", python) if python else ()
    old = _names(uv, root, "pip", "compile", "-q", "--no-header", "--no-annotate", *on, rel)
    new = _names(
        uv, root, "export", "--frozen", "--no-hashes", "--no-emit-project", "--group", group
    )
    if old is None or new is None:
        return f"{rel}: could not compare what pip and uv install (uv pip compile/export failed)"
    missing = sorted(old - new)
    if missing:
        return (
            f"{rel}: `uv sync --group {group}` misses {', '.join(missing)}, which "
            f"`pip install -r {rel}` installed: add them to [dependency-groups] {group}"
        )
    return (
        f"checked: `uv sync --group {group}` installs every package `pip install -r {rel}` "
        f"did ({len(old)} resolved)"
    )


def _names(uv: str, root: Path, *args: str) -> set[str] | None:
    try:
        # runs right after `uv lock` fetched these packages' index pages
        done = uvmk_proc.uv_from_cache_first(uv, *args, cwd=root, timeout=300)
    except uvmk_proc.ProcessFailure:
        return None
    if done.returncode != 0:
        return None
    return {m.lower().replace("_", "-").replace(".", "-") for m in _PINNED.findall(done.stdout)}
