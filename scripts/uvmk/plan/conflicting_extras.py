"""A project whose `[tool.uv] conflicts` declare extras (or groups) that cannot be installed
together (feast-dev/feast: `flink` with `ge`, `ci`, `dev`, `docs`): uv.mk's `--all-extras
--all-groups` would make `make dev-install`, every kept recipe's `$(UV) run` and the quick
start fail. The Makefile gets SYNC_DEV_FLAGS (and API_PROD_FLAGS) that leave out as few as keep
each set from being installed whole, and says which."""

from __future__ import annotations

from typing import Any

from uvmk import uv_conflicts
from uvmk.contract import UvMkDeclarations
from uvmk.plan.draft import Draft
from uvmk.survey.snapshot import Survey


def plan_conflict_free_flags(draft: Draft, s: Survey, doc: Any, declares: UvMkDeclarations) -> None:
    """`doc`: pyproject.toml as the migration writes it."""
    tool = doc.get("tool", {}) if doc is not None else {}
    raw = tool.get("uv", {}).get("conflicts") if isinstance(tool, dict) else None
    sets = uv_conflicts.conflict_sets(_plain(raw))
    if not sets:
        return
    changed = []
    for knob in ("SYNC_DEV_FLAGS", "API_PROD_FLAGS"):
        base = draft.knobs.get(knob) or declares.default(knob)
        flags = uv_conflicts.conflict_free(base, sets)
        if flags != base:
            draft.knobs[knob] = flags
            changed.append((knob, uv_conflicts.left_out(base, sets)))
    if not changed:
        return
    draft.run_flags = draft.knobs.get("SYNC_DEV_FLAGS")
    out = sorted({f"{kind} {name}" for _, items in changed for kind, name in items})
    where = s.rel(s.makefile) if s.makefile is not None else None
    said = ", ".join(f"{k}='{draft.knobs[k]}'" for k, _ in changed)
    draft.notes.append(
        f"pyproject.toml's [tool.uv] conflicts keep {', '.join(out)} from being installed with "
        "the others: `--all-extras --all-groups` would fail, so "
        + (f"{where} sets {said}" if where else f"run `make dev-install {said}`")
        + " (`uv sync --extra NAME` installs one left out, without what it conflicts with)"
    )


def _plain(value: Any) -> Any:
    """tomlkit's items as plain lists and dicts."""
    unwrap = getattr(value, "unwrap", None)
    return unwrap() if callable(unwrap) else value
