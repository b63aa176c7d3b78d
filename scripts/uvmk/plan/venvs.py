"""Legacy venv folders: deleted (uv's .venv replaces them), except a symlink or one that
resolves outside the repository, which are said and left."""

from __future__ import annotations

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.survey.snapshot import Survey
from uvmk.survey.venvs import human_size


def plan_venvs(draft: Draft, s: Survey) -> None:
    for v in s.venvs:
        if v.is_target:
            continue
        if v.is_symlink:
            draft.notes.append(
                f"{v.path} is a symlink to a venv: not deleted (remove the link yourself)"
            )
            continue
        if v.outside_root:
            draft.notes.append(f"{v.path} resolves outside the repository: not deleted")
            continue
        used = f"; was referenced at {', '.join(v.used_by)}" if v.used_by else ""
        draft.changes.append(
            Change(
                v.path + "/",
                "delete-dir",
                f"legacy venv (Python {v.python or '?'}, {human_size(v.size)}){used}",
                size=v.size,
            )
        )
