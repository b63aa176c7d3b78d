"""Who still reads a requirements file the migration would delete (a Dockerfile, CI, tox, a
kept Makefile target... anywhere in the repository: uvmk.survey.readers): such a file is
regenerated from uv.lock or kept, never broken. Docs lines and Heroku are said (or the docs
line rewritten), not readers that keep a file."""

from __future__ import annotations

from typing import Any

from uvmk.plan.exports import included_groups
from uvmk.plan.model import Change
from uvmk.sources.pip.roles import DEPLOY_STEMS
from uvmk.survey import readers as uvmk_references
from uvmk.survey.text_files import decode_text


def requirement_references(
    found: uvmk_references.Scan,
    rel: str,
    final_texts: dict[str, str],
    left_at: dict[str, frozenset[int]] | None = None,
) -> list[str]:
    """file:line of each line requirement_readers finds."""
    return [str(r) for r in requirement_readers(found, rel, final_texts, left_at)]


def requirement_readers(
    found: uvmk_references.Scan,
    rel: str,
    final_texts: dict[str, str],
    left_at: dict[str, frozenset[int]] | None = None,
) -> list[uvmk_references.Reader]:
    """The lines anywhere in the repository that still read `rel` (a requirements
    file about to be deleted). `final_texts` are files as the plan will leave them; a file in
    `left_at` (the rewritten Makefile) is read as it is today, at the lines its rewriter left
    reading a file (its readers_left), so the line numbers are the ones the user sees in the
    file now. Docs lines
    are not readers (nothing breaks): report_other_readers says them. `found`: the scan of
    the tree."""
    return [
        r for r in uvmk_references.readers(found, rel, final_texts, left_at) if r.kind != "docs"
    ]


def report_other_readers(
    found: uvmk_references.Scan,
    changes: list[Change],
    final_texts: dict[str, str],
    left_at: dict[str, frozenset[int]],
    notes: list[str],
    contents: dict[str, bytes],
    roles: dict[str, Any],
) -> None:
    """Which files were read for readers; a Heroku app's requirements.txt (the buildpack reads
    it unnamed, and refuses it next to uv.lock); each docs line that still tells people to
    `pip install -r` a file the migration deletes: rewritten as the uv step when it is only
    that command, else reported."""
    notes.append(found.summary())
    heroku = uvmk_references.heroku_app(found)
    runtime_file = next((c for c in changes if c.path == "requirements.txt"), None)
    if heroku and runtime_file is not None:
        if runtime_file.action == "delete":
            notes.append(
                f"{heroku}: Heroku's Python buildpack installs from uv.lock now (it needs "
                ".python-version; it does not read runtime.txt with uv)"
            )
        else:
            notes.append(
                f"{heroku}: Heroku's Python buildpack refuses requirements.txt next to uv.lock "
                '("Multiple Python package manager files were found"): requirements.txt stays '
                "for its other readers; move them to uv, then delete it before deploying"
            )
    runtime_rf = roles.get("requirements.txt")
    included = included_groups(runtime_rf, list(roles.values()), found.tree) if runtime_rf else []
    deployed = [g for g in included if g in DEPLOY_STEMS]
    if heroku and deployed:
        names = ", ".join(deployed)
        notes.append(
            f"{heroku}: requirements.txt installed [dependency-groups] {names} on Heroku, whose "
            "buildpack syncs uv.lock without dependency groups: move what the app needs there "
            "(its web server, database driver) into [project] dependencies before deploying"
        )
    rewritten: dict[str, str] = {}
    why: dict[str, str] = {}
    for c in list(changes):
        if c.action != "delete" or c.path.endswith("/"):
            continue
        for r in uvmk_references.readers(found, c.path, final_texts, left_at):
            if r.kind != "docs":
                continue
            text = rewritten.get(r.path) or (
                final_texts.get(r.path) or decode_text(found.tree.data(r.path) or b"", r.path)
            )
            rf = roles.get(c.path)
            context = {
                "line": r.line,
                "role": rf.role if rf else "",
                "group": rf.group if rf else None,
                "where": str(r),
            }
            from uvmk.rewriters.docs_lines import DOCS_LINES  # a docs page read a deleted file

            done = DOCS_LINES.rewrite(text, context)
            for left in done.readers_left:
                notes.append(
                    f"{left} still says `{r.text}`, and {c.path} is deleted: update that line "
                    "(`make dev-install` installs every group, `make install` the runtime)"
                )
            if done.changed:
                rewritten[r.path] = done.new_text
                why[r.path] = done.what
    for path, text in rewritten.items():
        contents[path] = text.encode("utf-8")
        if not any(c.path == path for c in changes):
            changes.append(Change(path, "modify", why[path]))
