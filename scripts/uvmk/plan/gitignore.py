""".gitignore learns uv's project environment (.venv/ or UV_PROJECT_ENVIRONMENT)."""

from __future__ import annotations

from uvmk import survey as uvmk_survey
from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.survey import Survey


def plan_gitignore(draft: Draft, s: Survey) -> None:
    gi_text = (
        uvmk_survey.decode_text(s.gitignore_bytes, ".gitignore")
        if s.gitignore_bytes is not None
        else None
    )
    if gi_text is not None and _gitignore_has(gi_text, s.target_venv):
        return
    line = s.target_venv.strip("/") + "/"
    new = gi_text or ""
    if new and not new.endswith("\n"):
        new += "\n"
    new += line + "\n"
    draft.contents[".gitignore"] = new.encode("utf-8")
    draft.changes.append(
        Change(
            ".gitignore",
            "modify" if gi_text is not None else "create",
            f"ignore {line} (uv's project environment)",
        )
    )


def _gitignore_has(text: str, venv: str) -> bool:
    want = venv.strip("/")
    for line in text.splitlines():
        pat = line.strip()
        if not pat or pat.startswith(("#", "!")):
            continue
        pat = pat.strip("/")
        if pat.endswith("/*"):
            pat = pat[:-2]
        if pat in (want, f"{want}*", "*venv*", ".venv*") or pat == f"**/{want}":
            return True
    return False
