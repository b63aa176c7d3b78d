"""Dependencies uv-migrate does not migrate yet (a monorepo's services/*/requirements.txt): the
audit lists each with its file, APPLY refuses naming them all and changes nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from test_migrate_helpers import git_copy

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "setuppy"


def _legacy(tmp_path: Path, fixture: str) -> Path:
    return git_copy(FIXTURES / fixture, tmp_path / fixture)


def _engine(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["uv", "run", "--quiet", "--script", str(ROOT / "scripts" / "uvmk_migrate.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("fixture", "named", "reported_only", "says"),
    [
        (
            "monorepo",
            ["services/api/requirements.txt", "services/worker/requirements.txt"],
            ["examples/chat/requirements.txt"],  # docs/requirements.txt: the docs group
            "services/api/ and services/worker/ are projects of their own",
        ),
    ],
)
def test_audit_lists_them_and_apply_refuses_naming_every_file(
    tmp_path: Path, fixture: str, named: list[str], reported_only: list[str], says: str
) -> None:
    root = _legacy(tmp_path, fixture)
    audit = _engine(root, "audit")
    assert audit.returncode == 1
    for rel in named:
        assert f"{rel}:1: " in audit.stdout
    found = json.loads(_engine(root, "audit", "--format", "json").stdout)["findings"]
    wheres = {f["where"]: f["severity"] for f in found if f["code"] == "not-migrated"}
    assert wheres == {f"{r}:1": "fix" for r in named} | {f"{r}:1": "info" for r in reported_only}
    preview = _engine(root, "migrate")  # one verdict: the preview refuses as APPLY=1 does
    assert preview.returncode == 2 and "carry them out" not in preview.stdout
    applied = _engine(root, "migrate", "--apply")
    assert applied.stderr == preview.stderr
    assert applied.returncode == 2
    message = applied.stderr.strip()
    assert message.startswith(f"uv.mk: error: {says}")
    assert "\n" not in message
    for rel in named:
        assert rel in message
    for rel in reported_only:
        assert rel not in message
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
    )
    assert status.stdout == ""
