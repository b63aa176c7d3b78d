"""The tools' exclude settings learn uv's venv folder where they skip the old one (see
uvmk.venv_excludes): pyproject's within its planned document, setup.cfg / tox.ini / .flake8 by
line edits."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.survey.snapshot import Survey
from uvmk.venv_excludes import edit_ini, edit_pyproject


def venv_names(s: Survey) -> tuple[set[str], str] | None:
    """(the old venv folder names an exclude may name, the new one), or None when uv's venv
    lies outside the repository (no exclude can name it)."""
    target = s.target_venv.strip("/")
    if not target or PurePosixPath(target).is_absolute() or target.startswith(".."):
        return None
    old = {"venv"} | {PurePosixPath(v.path.rstrip("/")).name for v in s.venvs if not v.is_target}
    return old - {target}, target


def pyproject_excludes(s: Survey, doc: Any) -> list[str]:
    """Edit the planned pyproject in place; the settings changed, said as change details."""
    names = venv_names(s)
    if names is None or s.pyproject_text is None:
        return []
    old, target = names
    return [
        f"{where} += {target} (uv's venv; the setting skips {'/'.join(sorted(old))})"
        for where in edit_pyproject(doc, old, target)
    ]


def plan_ini_excludes(draft: Draft, s: Survey) -> None:
    names = venv_names(s)
    if names is None:
        return
    old, target = names
    planned = {c.path for c in draft.changes}
    for rel, data in sorted(s.ini_configs.items()):
        if rel in planned:  # deleted or rewritten by another step: theirs
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            draft.notes.append(
                f"{rel} is not UTF-8: not edited; if its tools exclude "
                f"{'/'.join(sorted(old))}/, add {target} there by hand"
            )
            continue
        new, changed = edit_ini(text, old, target)
        if not changed:
            continue
        draft.contents[rel] = new.encode("utf-8")
        draft.changes.append(
            Change(
                rel,
                "modify",
                f"the tools' excludes skip {target}/ as they skipped "
                f"{'/'.join(sorted(old))}/: " + ", ".join(changed),
                tuple(f"{where} += {target}" for where in changed),
            )
        )
