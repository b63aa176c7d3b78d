"""uv.lock: created, or relocked when pyproject, the Python version or the lock's freshness
says so; seeded with the requirements files' exact pins so the tested versions are kept."""

from __future__ import annotations

from uvmk.plan.draft import Draft
from uvmk.plan.model import Action, Change, PythonChoice
from uvmk.plan.operations import Seeding, WheelCheck
from uvmk.plan.python import forced_version, lowest_evidenced
from uvmk.sources.pip import planner as req
from uvmk.survey.python_versions import allows, major_minor
from uvmk.survey.snapshot import Survey

_NO_DOWNLOADS = ("never", "manual")


def plan_lock(
    draft: Draft,
    s: Survey,
    dep: req.DependencyPlan,
    *,
    final_pyproject: str,
    relock: bool,
    tested_python: str | None = None,
) -> tuple[dict[str, str], tuple[Seeding, ...]]:
    """(the seed pins, the ways of seeding the lock to try in turn). `relock`: pyproject or
    the Python version change, or `uv lock --check` failed.
    The pins first hold on every Python; where that makes the lock fail (pins compiled for
    an older Python than a fork needs), only on `tested_python`, the development version the
    pins were tested with; apply locks without them when neither works."""
    converted = s.converted
    locked = converted.seeds if converted is not None else {}
    lock_file = converted.lock if converted is not None else None
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
            origin = f"{lock_file}" if locked and not dep.seed_pins else "the requirements files"
            if locked and dep.seed_pins:
                origin = f"{lock_file} and the requirements files"
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
    attempts = [Seeding("on every Python", final_pyproject, seeds)]
    if tested_python:
        marker = f"python_version == '{tested_python}'"
        attempts.append(Seeding(f"on Python {tested_python} only", final_pyproject, seeds, marker))
    return seeds, tuple(attempts)


def plan_wheel_check(
    draft: Draft,
    s: Survey,
    python: PythonChoice,
    requires_python: str | None,
    downloads: str,
) -> WheelCheck | None:
    """What apply checks after the seeded lock (see WheelCheck), said in the preview: the Python
    may move only when .python-version is written here and --python did not choose it."""
    if python.version is None:
        return None
    may_switch = python.write and not python.forced
    evidenced = {e.version for e in s.evidence if e.source != "requires-python"}
    evidenced |= {xy for v in s.venvs if v.python and (xy := major_minor(v.python))}
    others = tuple(
        sorted(
            (v for v in evidenced if not requires_python or allows(requires_python, v)),
            key=lambda v: tuple(int(p) for p in v.split(".")),
            reverse=True,
        )
    )
    instead = "another Python they install on, else " if may_switch else ""
    draft.notes.append(
        f"APPLY=1 checks after the seeded lock that every locked package installs on Python "
        f"{python.version} here from a wheel; where one cannot: {instead}the pin holding it "
        "moves up to the oldest version that can, said"
    )
    # made here from the pinned Python alone: no evidence says which Pythons the repo runs on
    made_here = s.requires_python is None and s.setup_project is None
    made_here = made_here and lowest_evidenced(s, forced_version(python)) is None
    return WheelCheck(
        python.version,
        may_switch,
        requires_python,
        others,
        downloads=downloads not in _NO_DOWNLOADS,
        requires_follows=made_here,
    )
