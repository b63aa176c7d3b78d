"""The plan is the ordered list apply performs; the facts it needs are gathered once, before
planning, and the audit asks uv for no Python."""

from __future__ import annotations

import stat
from pathlib import Path

from test_migrate_helpers import EXAMPLE, UV_MK, copy_repo
from uvmk import facts as uvmk_facts
from uvmk.plan import MigrationPlan, Options, build_plan
from uvmk.plan.operations import Lock, Operation, SeededLock, Write
from uvmk.plan.python import python_requests
from uvmk.survey import snapshot as uvmk_survey


def recording_uv(tmp_path: Path) -> tuple[str, Path]:
    """A uv that only logs what it was asked (and finds no Python, locks nothing)."""
    log = tmp_path / "uv-argv.log"
    stub = tmp_path / "uv"
    stub.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexit 1\n')
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    return str(stub), log


def test_the_plan_lists_what_apply_does_in_the_order_it_does_it(tmp_path: Path) -> None:
    k2 = copy_repo(EXAMPLE, tmp_path / "k2")
    s = uvmk_survey.survey(k2)
    plan = build_plan(s, Options(uv_mk=UV_MK), uvmk_facts.Facts(pythons=("3.11",)))
    ops = [(c.path, type(op).__name__) for c in plan.changes for op in c.operations]
    paths = [p for p, _ in ops]
    # pyproject and .python-version are written before the lock reads them
    assert paths.index("pyproject.toml") < paths.index(".python-version") < paths.index("uv.lock")
    lock = [op for c in plan.changes if c.path == "uv.lock" for op in c.operations]
    seeded, then_final = lock[0], lock[-1]
    # the pins seed on every Python, else on the development Python only (never a failed lock)
    assert isinstance(seeded, SeededLock)
    assert [a.how for a in seeded.attempts] == ["on every Python", "on Python 3.13 only"]
    assert isinstance(then_final, Lock) and then_final.seeds == plan.seed_pins
    # the venvs go last: the one step that cannot be undone
    assert ops[-1] == ("venv/", "RemoveVenv")
    assert all(op.undoable for op in _flat(plan)[:-1])
    # a written file's bytes are what the plan shows
    writes = {op.path: op.data for op in _flat(plan) if isinstance(op, Write) and op.done}
    assert writes["pyproject.toml"] == plan.contents["pyproject.toml"]
    json_ops = {c["path"]: c["operations"] for c in plan.to_json()["changes"]}
    assert json_ops["venv/"] == [{"do": "remove-venv", "path": "venv/"}]


def _flat(plan: MigrationPlan) -> list[Operation]:
    return [op for c in plan.changes for op in c.operations]


def test_the_audit_asks_uv_for_no_python(tmp_path: Path) -> None:
    k2 = copy_repo(EXAMPLE, tmp_path / "k2")
    (k2 / "uv.lock").write_text("version = 1\n")
    uv, log = recording_uv(tmp_path)
    s = uvmk_survey.survey(k2)
    found = uvmk_facts.gather(s, Options(uv=uv), pythons=None)
    assert found.pythons is None and not found.lock_fresh
    assert log.read_text().splitlines() == ["lock --check"]


def test_migrate_asks_for_the_evidence_s_version_then_requires_python_then_any(
    tmp_path: Path,
) -> None:
    k2 = copy_repo(EXAMPLE, tmp_path / "k2")
    uv, log = recording_uv(tmp_path)
    s = uvmk_survey.survey(k2)
    found = uvmk_facts.gather(s, Options(uv=uv), pythons=python_requests(s, None))
    assert found.pythons == ()  # this uv finds nothing
    assert log.read_text().splitlines() == [
        "python find --system --show-version 3.13",  # Makefile:6
        "python find --system --show-version >=3.11",  # requires-python: the fallback
        "python find --system --show-version",  # any: the refusal names it as a way out
    ]
