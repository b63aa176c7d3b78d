""".gitignore learns uv's project environment (.venv/ or UV_PROJECT_ENVIRONMENT) and, for a
setuptools project, the egg-info folder an editable install writes."""

from __future__ import annotations

from typing import Any

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.survey.pyproject_text import table
from uvmk.survey.snapshot import Survey
from uvmk.survey.text_files import decode_text


def plan_gitignore(draft: Draft, s: Survey, doc: Any) -> None:
    """`doc`: the planned pyproject."""
    gi_text = (
        decode_text(s.gitignore_bytes, ".gitignore") if s.gitignore_bytes is not None else None
    )
    wanted = []
    if gi_text is None or not _gitignore_has(gi_text, s.target_venv):
        wanted.append((s.target_venv.strip("/") + "/", "uv's project environment"))
    backend = str(table(doc, "build-system", "build-backend") or "")
    if backend.startswith("setuptools") and not _ignores_egg_info(gi_text or ""):
        # uv sync installs the project editable: setuptools writes <name>.egg-info/ beside it
        wanted.append(("*.egg-info/", "setuptools writes it when uv installs the project"))
    if not wanted:
        return
    new = gi_text or ""
    if new and not new.endswith("\n"):
        new += "\n"
    new += "".join(line + "\n" for line, _ in wanted)
    draft.contents[".gitignore"] = new.encode("utf-8")
    draft.changes.append(
        Change(
            ".gitignore",
            "modify" if gi_text is not None else "create",
            "ignore " + ", ".join(f"{line} ({why})" for line, why in wanted),
        )
    )


def _ignores_egg_info(text: str) -> bool:
    return any(
        "egg-info" in line and not line.lstrip().startswith(("#", "!"))
        for line in text.splitlines()
    )


def plan_unignore(draft: Draft, s: Survey, ignored: frozenset[str]) -> None:
    """What the migration writes must reach a fresh clone: a `!` rule for each file it creates
    that git ignores (`.python-version` or `uv.lock` listed, a `scripts/` pattern over the
    vendored helpers); an ignored folder is re-included as a folder."""
    written = [c.path for c in draft.changes if c.action == "create" and not c.path.endswith("/")]
    written += ["uv.lock"] if any(c.path == "uv.lock" for c in draft.changes) else []
    written += sorted(draft.copies)
    rules: list[str] = []
    for rel in sorted(set(written)):
        if rel not in ignored:
            continue
        parts = rel.split("/")
        folders = ["/".join(parts[:k]) for k in range(1, len(parts))]
        folder = next((f for f in folders if f"{f}/.uvmk-probe" in ignored), None)
        rule = f"!{folder}/" if folder is not None else f"!{rel}"
        if rule not in rules:
            rules.append(rule)
    if not rules:
        return
    if ".gitignore" in draft.contents:
        text = draft.contents[".gitignore"].decode("utf-8")
    else:
        text = decode_text(s.gitignore_bytes, ".gitignore") if s.gitignore_bytes is not None else ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += "# written by uv-migrate: a fresh clone needs them\n" + "".join(r + "\n" for r in rules)
    draft.contents[".gitignore"] = text.encode("utf-8")
    why = "un-ignore what the migration writes: " + " ".join(rules)
    for i, c in enumerate(draft.changes):
        if c.path == ".gitignore":
            draft.changes[i] = Change(c.path, c.action, f"{c.reason}; {why}", c.details)
            return
    draft.changes.append(
        Change(".gitignore", "modify" if s.gitignore_bytes is not None else "create", why)
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
