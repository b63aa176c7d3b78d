"""README.md's setup section runs uv (rewriters.readme rewrites it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from uvmk.contract import DEV_SYNC
from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.rewriters.readme import README
from uvmk.survey.snapshot import Survey
from uvmk.survey.text_files import decode_text

if TYPE_CHECKING:
    from uvmk.rewriters.old_tools import Shape


def plan_readme(draft: Draft, s: Survey, old_tools: Shape | None = None) -> None:
    if s.readme_bytes is None:
        return
    # the quick start runs what make dev-install runs (--no-group prod when the plan sets it)
    flags = draft.knobs.get("SYNC_DEV_FLAGS")
    dev_sync = f"uv sync {flags}" if flags is not None else DEV_SYNC
    done = README.rewrite(
        decode_text(s.readme_bytes, "README.md"),
        {"dev_sync": dev_sync, "old": old_tools.converted if old_tools else ()},
    )
    if done.changed:
        draft.contents["README.md"] = done.new_text.encode("utf-8")
        draft.changes.append(Change("README.md", "modify", done.what, done.details))
