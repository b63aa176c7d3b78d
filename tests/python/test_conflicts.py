"""Conflicts stop apply, every one named at once; the audit lists what migrate would refuse and
never gives up (tests/fixtures/conflicts/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, UV_MK, checksums, copy_repo, run
from uvmk.apply import same_version

CONFLICTS = REPO / "tests" / "fixtures" / "conflicts"


def fixture(tmp_path: Path, name: str) -> Path:
    return copy_repo(CONFLICTS / name, tmp_path / name, venvs=())


def migrate(capsys: pytest.CaptureFixture[str], root: Path, *flags: str) -> tuple[int, str, str]:
    r = run(capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK), *flags)
    return r.code, r.out, r.err


def test_apply_refuses_every_conflict_at_once_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture(tmp_path, "two-pins")
    before = checksums(root)
    code, out, err = migrate(capsys, root, "--apply")
    assert code == 2 and out == ""
    assert checksums(root) == before
    lines = err.splitlines()
    assert lines[0].startswith("uv.mk: error: 2 requirements pins outside pyproject.toml's range")
    assert "requirements.txt:1: iniconfig==1.1.1 is outside pyproject's" in err
    assert "requirements-dev.txt:2: packaging==23.2 is outside pyproject's" in err
    assert "--override-pins" in lines[-1] and "--keep-pyproject-pins" in lines[-1]


def test_the_preview_shows_the_conflicts_and_how_to_resolve_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture(tmp_path, "two-pins")
    before = checksums(root)
    code, out, _ = migrate(capsys, root)
    assert code == 0 and checksums(root) == before
    assert "Conflicts (2): APPLY=1 refuses until a side is picked" in out
    assert "requirements.txt:1: iniconfig==1.1.1" in out
    assert "OVERRIDE_PINS=1" in out and "KEEP_PYPROJECT_PINS=1" in out
    code, out, _ = migrate(capsys, root, "--format", "json")
    plan = json.loads(out)
    assert [c.split(":")[0] for c in plan["conflicts"]] == [
        "requirements-dev.txt",
        "requirements.txt",
    ]


def test_keep_pyproject_pins_drops_the_pins_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture(tmp_path, "two-pins")
    code, out, _ = migrate(capsys, root, "--keep-pyproject-pins")
    assert code == 0
    assert "--keep-pyproject-pins: iniconfig==1.1.1 dropped" in out
    assert "APPLY=1 KEEP_PYPROJECT_PINS=1" in out
    code, out, err = migrate(capsys, root, "--apply", "--keep-pyproject-pins")
    assert code == 0, err
    pyproject = (root / "pyproject.toml").read_text()
    assert '"iniconfig>=2",' in pyproject and "1.1.1" not in pyproject
    assert '"packaging>=24",' in pyproject and "23.2" not in pyproject
    assert not (root / "requirements.txt").exists()
    # apply says what it did, not the plan again
    assert "Done:" in out and "action  path" not in out


def test_override_pins_takes_the_requirements_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture(tmp_path, "two-pins")
    code, _, err = migrate(capsys, root, "--apply", "--override-pins")
    assert code == 0, err
    doc = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert "iniconfig==1.1.1" in doc["project"]["dependencies"]
    assert "packaging==23.2" in doc["dependency-groups"]["dev"]


def test_the_two_pin_flags_exclude_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture(tmp_path, "two-pins")
    code, _, err = migrate(capsys, root, "--override-pins", "--keep-pyproject-pins")
    assert code == 2 and "not allowed with argument" in err


def test_a_dev_tool_only_in_dependency_groups_is_a_pyproject_only_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture(tmp_path, "two-pins")
    r = run(capsys, "audit", "--root", str(root), "--format", "json")
    rows = {d["name"]: d for d in json.loads(r.out)["drift"]}
    assert rows["pluggy"]["kind"] == "only-pyproject"
    assert rows["pluggy"]["pyproject_where"] == "dependency-groups.dev"
    table = run(capsys, "audit", "--root", str(root), "--verbose").out
    assert any("pluggy" in line and "only-pyproject" in line for line in table.splitlines())


def test_the_audit_lists_everything_migrate_would_refuse_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture(tmp_path, "between-files")
    r = run(capsys, "audit", "--root", str(root))
    assert r.code == 1, r.err
    assert r.err == ""
    for expected in (
        "six==1.16.0 (requirements.txt:1) and six==1.15.0 (requirements-dev.txt:2) cannot both",
        "requirements-dev.txt:3: -r missing.txt: file not found",
        "requirements.txt:3: invalid requirements line `requests[socks=1.0`",
        "requirements.txt:2: iniconfig==1.1.1 is outside pyproject's",
    ):
        assert expected in r.out, expected
    assert "Plan (make uv-migrate)" in r.out  # the audit went on to the plan
    found = json.loads(run(capsys, "audit", "--root", str(root), "--format", "json").out)
    codes = [f["code"] for f in found["findings"]]
    assert codes.count("refused") == 3 and codes.count("conflict") == 1
    assert all(f["where"] for f in found["findings"] if f["code"] in ("refused", "conflict"))
    markdown = run(capsys, "audit", "--root", str(root), "--format", "markdown").out
    assert "`requirements-dev.txt:3`" in markdown and "`requirements.txt:2`" in markdown


def test_migrate_refuses_with_every_problem_in_one_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture(tmp_path, "between-files")
    before = checksums(root)
    for flags in ((), ("--apply",)):
        code, out, err = migrate(capsys, root, *flags)
        assert code == 2 and out == ""
        assert err.startswith("uv.mk: error: 3 problems and 1 conflicting pin stop uv-migrate")
        assert len(err.splitlines()) == 6  # head, 3 problems, 1 conflict, how to resolve it
        assert checksums(root) == before


def test_an_unreadable_setup_py_is_an_audit_finding_not_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    (tmp_path / "requirements.txt").write_text("six==1.16.0\n")
    r = run(capsys, "audit", "--root", str(tmp_path))
    assert r.code == 1 and "setup.py:2" in r.out and "uv-migrate refuses this" in r.out
    code, _, err = migrate(capsys, tmp_path)
    assert code == 2 and err.startswith("uv.mk: error: ") and "setup.py:2" in err


def test_a_malformed_pyproject_is_the_one_audit_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["a",\n')
    r = run(capsys, "audit", "--root", str(tmp_path))
    assert r.code == 2 and r.err.startswith("uv.mk: error: pyproject.toml")


def test_a_pin_written_differently_is_the_same_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert same_version("5.0", "5.0.0") and same_version("2.0", "2.0.0")
    assert not same_version("5.0", "5.0.1") and same_version("not-a-version", "not-a-version")
    root = fixture(tmp_path, "same-version")
    code, out, err = migrate(capsys, root, "--apply", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["pins_moved"] == {} and result["pins_kept"] == {"iniconfig": "2.0"}


def test_a_second_apply_with_the_requirements_kept_has_nothing_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture(tmp_path, "two-pins")
    flags = ("--apply", "--keep-requirements")
    code, _, err = migrate(capsys, root, *flags, "--keep-pyproject-pins")
    assert code == 0, err
    after = checksums(root)
    code, out, err = migrate(capsys, root, *flags)  # the kept files still disagree: no deletion
    assert code == 0 and "nothing to do" in out, err
    assert "Conflicts" not in out and checksums(root) == after
