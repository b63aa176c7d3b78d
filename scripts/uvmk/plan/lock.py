"""uv.lock: created, or relocked when pyproject, the Python version or the lock's freshness
says so; seeded with the requirements files' exact pins so the tested versions are kept."""

from __future__ import annotations

from uvmk.plan.draft import Draft
from uvmk.plan.model import Action, Change
from uvmk.plan.pyproject import with_seeds
from uvmk.sources.pip import planner as req
from uvmk.survey.snapshot import Survey


def plan_lock(
    draft: Draft,
    s: Survey,
    dep: req.DependencyPlan,
    *,
    final_pyproject: str,
    relock: bool,
    tested_python: str | None = None,
) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(the seed pins, the seeded pyproject texts to try in turn, each with how the pins
    hold). `relock`: pyproject or the Python version change, or `uv lock --check` failed.
    The pins first hold on every Python; where that makes the lock fail (pins compiled for
    an older Python than a fork needs), only on `tested_python`, the development version the
    pins were tested with; apply locks without them when neither works."""
    locked = s.poetry.seeds if s.poetry is not None else {}
    seeds = {**locked, **dep.seed_pins}
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
            origin = "poetry.lock" if locked and not dep.seed_pins else "the requirements files"
            if locked and dep.seed_pins:
                origin = "poetry.lock and the requirements files"
            why += (
                f", seeded with {len(seeds)} pin(s) from {origin} so the tested versions are kept"
            )
        draft.changes.append(
            Change(
                "uv.lock", lock_action, why, tuple(f"{k}=={v}" for k, v in sorted(seeds.items()))
            )
        )
    if not (seeds and lock_action):
        return seeds, ()
    attempts = [("on every Python", with_seeds(final_pyproject, seeds))]
    if tested_python:
        marker = f"python_version == '{tested_python}'"
        only_there = with_seeds(final_pyproject, seeds, marker)
        attempts.append((f"on Python {tested_python} only", only_there))
    return seeds, tuple(attempts)
