"""uv.lock: created, or relocked when pyproject, the Python version or the lock's freshness
says so; seeded with the requirements files' exact pins so the tested versions are kept."""

from __future__ import annotations

from uvmk.plan.draft import Draft
from uvmk.plan.model import Action, Change
from uvmk.plan.pyproject import _seeded
from uvmk.requirements import planner as req
from uvmk.survey import Survey


def plan_lock(
    draft: Draft,
    s: Survey,
    dep: req.DependencyPlan,
    *,
    final_pyproject: str,
    relock: bool,
) -> tuple[dict[str, str], str | None]:
    """(the seed pins, the seeded pyproject text or None). `relock`: pyproject or the Python
    version change, or `uv lock --check` failed."""
    seeds = dict(dep.seed_pins)
    lock_action: Action | None
    if not s.has_lock:
        lock_action = "create"
    elif relock:
        lock_action = "modify"
    else:
        lock_action = None
    if lock_action:
        why = "uv lock"
        if seeds:
            why += (
                f", seeded with {len(seeds)} pin(s) from the requirements files so the tested "
                "versions are kept"
            )
        draft.changes.append(
            Change(
                "uv.lock", lock_action, why, tuple(f"{k}=={v}" for k, v in sorted(seeds.items()))
            )
        )
    return seeds, _seeded(final_pyproject, seeds) if seeds and lock_action else None
