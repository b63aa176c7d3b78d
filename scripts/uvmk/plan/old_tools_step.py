"""The lines that ran Poetry or Pipenv (in docs, tox.ini, shell scripts; the Makefile's recipes
are its own step's) run uv once the migration converts that tool's files: the project's shape
(its groups, extras, uv.mk's targets) decides each command's exact uv form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.rewriters.makefile.scan import MAKEFILE_NAMES
from uvmk.survey import readers
from uvmk.survey.snapshot import Survey
from uvmk.survey.text_files import decode_text

if TYPE_CHECKING:
    from uvmk.rewriters.old_tools import Shape


def converted_tools(s: Survey) -> frozenset[str]:
    """The old tools whose files the migration converts (their commands get uv's form)."""
    return frozenset(
        name for name, project in (("poetry", s.poetry), ("pipenv", s.pipenv)) if project
    )


def old_tools_shape(draft: Draft, s: Survey, doc: Any) -> Shape | None:
    """What the migrated pyproject (`doc`) and Makefile offer; None when no tool is converted."""
    tools = converted_tools(s)
    if not tools:
        return None
    # the old tools' table loads only for a converted Poetry or Pipenv project (most have none)
    from uvmk.rewriters.old_tools import Shape

    data = doc.unwrap() if doc is not None and hasattr(doc, "unwrap") else dict(doc or {})
    groups = frozenset((data.get("dependency-groups") or {}).keys())
    chosen = ((data.get("tool") or {}).get("uv") or {}).get("default-groups", ["dev"])
    default = groups if chosen == "all" else frozenset(chosen) & groups
    extras = frozenset(((data.get("project") or {}).get("optional-dependencies") or {}).keys())
    knobs = draft.knobs
    return Shape(
        groups=groups,
        default_groups=default,
        extras=extras,
        make_targets=s.makefile is not None,
        dev_flags=knobs.get("SYNC_DEV_FLAGS", "--all-extras --all-groups"),
        prod_flags=knobs.get("SYNC_PROD_FLAGS", "--no-default-groups"),
        poetry_lock_upgrades=s.poetry is not None and s.poetry.written_by.startswith("1."),
        converted=tools,
    )


def plan_old_tool_lines(draft: Draft, s: Survey, shape: Shape | None) -> None:
    """Each docs page, tox.ini and shell script that runs a converted tool: rewritten (on top of
    what an earlier step wrote there); a command with no exact uv form said, kept."""
    if shape is None:
        return
    from uvmk.rewriters.old_tool_lines import KINDS, OLD_TOOL_LINES, is_setup_page
    from uvmk.rewriters.old_tools import calls

    pages: list[str] = []  # docs pages about the tool, not the setup: left, counted
    for rel, _kind in readers.scan(s.tree).files:
        kind = s.tree.kind(rel) or ("shell" if _kind == "shell" else None)
        if kind not in KINDS or rel in MAKEFILE_NAMES:
            continue
        if kind == "docs" and not is_setup_page(rel):
            if any(c.tool in shape.converted for ln in s.tree.lines(rel) for c in calls(ln)):
                pages.append(rel)
            continue
        before = draft.contents.get(rel)
        text = decode_text(before if before is not None else s.tree.data(rel) or b"", rel)
        done = OLD_TOOL_LINES.rewrite(text, {"shape": shape, "kind": kind, "path": rel})
        draft.notes += _left_notes(done.readers_left)
        if not done.changed:
            continue
        draft.contents[rel] = done.new_text.encode("utf-8")
        details = tuple(f"{rel}:{d.removeprefix('line ')}" for d in done.details)
        for i, c in enumerate(draft.changes):
            if c.path == rel:
                draft.changes[i] = Change(
                    rel, c.action, f"{c.reason}; {done.what}", c.details + details
                )
                break
        else:
            draft.changes.append(Change(rel, "modify", done.what, details))
    if pages:
        more = f" and {len(pages) - 3} more" if len(pages) > 3 else ""
        draft.notes.append(
            f"{', '.join(pages[:3])}{more} show {' or '.join(sorted(shape.converted))} commands "
            "outside the setup steps (README, CONTRIBUTING, install pages): left as they are"
        )


def _left_notes(left: tuple[str, ...]) -> list[str]:
    """One note a command kept; a file keeping more than three says them in one note."""
    if len(left) <= 3:
        return [f"{one}: no exact uv form; kept as written" for one in left]
    path = left[0].split(":", 1)[0]
    shown = ", ".join(one.split(" ", 1)[1] for one in left[:3])
    lines = ", ".join(one.split(" ", 1)[0].rsplit(":", 1)[1] for one in left)
    return [
        f"{path}: {len(left)} commands with no exact uv form kept as written ({shown}, …; "
        f"lines {lines})"
    ]
