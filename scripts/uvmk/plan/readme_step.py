"""README.md's setup section runs uv (rewriters.readme rewrites it)."""

from __future__ import annotations

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.rewriters.readme import README
from uvmk.survey.snapshot import Survey
from uvmk.survey.text_files import decode_text


def plan_readme(draft: Draft, s: Survey) -> None:
    if s.readme_bytes is None:
        return
    done = README.rewrite(decode_text(s.readme_bytes, "README.md"), {})
    if done.changed:
        draft.contents["README.md"] = done.new_text.encode("utf-8")
        draft.changes.append(Change("README.md", "modify", done.what, done.details))
