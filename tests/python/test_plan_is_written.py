"""What the plan says it writes, apply writes. For every migrating fixture, each `TABLE += REQ`
the preview lists is, as written, in the pyproject.toml the plan writes, and each change carries
the operation its action names (delete: Delete, export: Export, keep: none). For the fixtures
whose files have fates (silent-losses, readers), apply then runs: each addition is in the
written pyproject.toml, each file the plan deletes is gone, each it keeps is byte-identical,
each it regenerates is `uv export` output. (A planned addition apply silently skipped, the
package being listed already without its extras, exited 0 and lost uvloop.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, commit_all, run
from uvmk.facts import gather
from uvmk.plan import MigrationPlan, Options, build_plan
from uvmk.plan.operations import Delete, Export, Write
from uvmk.sources.pip.grammar import RequirementsError
from uvmk.survey.model import SurveyError
from uvmk.survey.snapshot import survey

FIXTURES = REPO / "tests" / "fixtures"
# the folders whose fixtures are repos to migrate (bad-input, uv-no-solution: refusals, tested
# on their own; app: a uv project already)
_KINDS = ("requirements", "readers", "losenothing", "unseen", "setuppy", "legacy", "silent-losses")
SHAPES = sorted(
    f"{kind}/{p.name}"
    for kind in _KINDS
    for p in (FIXTURES / kind).iterdir()
    if p.is_dir() and not p.name.endswith(".expected")
)


def committed_copy(shape: str, tmp_path: Path) -> Path:
    root = tmp_path / shape.replace("/", "-")
    subprocess.run(["cp", "-r", str(FIXTURES / shape), str(root)], check=True)
    for extra in ("uv.lock", "expected.toml", "expected-notes.txt", "expected-error.txt"):
        (root / extra).unlink(missing_ok=True)
    commit_all(root)
    return root


def table_of(doc: dict[str, object], table: str) -> list[object]:
    node: object = doc
    for prefix in ("tool.uv.", "dependency-groups.", "project.optional-dependencies.", "project."):
        if table.startswith(prefix):
            keys = [*prefix.rstrip(".").split("."), table[len(prefix) :]]
            break
    else:
        keys = table.split(".")
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, list) else []


def table_entries(text: str, table: str) -> list[object]:
    return table_of(tomlkit.parse(text).unwrap(), table)


# the operation each action is carried out by (create/modify: a write, or a lock, a vendoring)
_OPERATION = {"delete": Delete, "export": Export}


def planned(root: Path) -> MigrationPlan:
    """The plan of `root` as the preview builds it (pytest.skip when the survey refuses: no plan
    exists; a plan that refuses still says what it would write, and must say it truly)."""
    try:
        s = survey(root)
        plan = build_plan(s, Options(), gather(s, Options(), pythons=None))
    except (SurveyError, RequirementsError) as exc:
        pytest.skip(f"the survey refuses: {exc}")
    return plan


def missing_additions(plan: MigrationPlan, pyproject: str) -> list[str]:
    """The additions the plan lists that are not, as written, in `pyproject`."""
    return [
        f"{a.table} += {a.requirement}"
        for a in plan.dependencies.additions
        if a.requirement not in table_entries(pyproject, a.table)
    ]


@pytest.mark.parametrize("shape", SHAPES)
def test_the_plan_writes_what_it_lists(shape: str, tmp_path: Path) -> None:
    plan = planned(committed_copy(shape, tmp_path))
    pyproject = plan.contents.get("pyproject.toml", b"").decode("utf-8")
    assert not missing_additions(plan, pyproject)
    for change in plan.changes:
        ops = [type(op) for op in change.operations]
        if change.action == "keep":
            assert not ops, change
        elif change.action in _OPERATION:
            assert _OPERATION[change.action] in ops, change
        if change.path == "pyproject.toml" and change.action != "keep":
            assert Write in ops, change


APPLIED = [s for s in SHAPES if s.startswith(("silent-losses/", "readers/"))]


@pytest.mark.parametrize("shape", APPLIED)
def test_apply_writes_what_the_plan_says(
    shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy(shape, tmp_path)
    plan = planned(root)
    if plan.empty or plan.conflicts:
        pytest.skip("nothing to apply" if plan.empty else "pins in conflict")
    before = {c.path: (root / c.path).read_bytes() for c in plan.changes
              if c.action == "keep" and (root / c.path).is_file()}  # fmt: skip
    applied = run(capsys, "migrate", "--root", str(root), "--apply", "--format", "json")
    assert applied.code in (0, 1), applied.err  # 1: pins moved, written all the same
    assert not missing_additions(plan, (root / "pyproject.toml").read_text())
    for change in plan.changes:
        path = root / change.path
        if change.action == "delete":
            assert not path.exists(), change
        elif change.action == "keep" and change.path in before:
            assert path.read_bytes() == before[change.path], change
        elif change.action == "export":
            assert "autogenerated by uv" in path.read_text(), change
        elif change.action in ("create", "modify"):
            assert path.exists(), change
