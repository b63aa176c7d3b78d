"""Nothing the old files installed is lost: extras asked in another file, the extras a dev file
pulls in, the tested pins that cannot hold on every Python, stale extras and dead markers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, copy_repo, run

LOSE_NOTHING = REPO / "tests" / "fixtures" / "losenothing"


@pytest.fixture(autouse=True)
def _no_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    # this machine cannot download Pythons: the installed ones must do
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")


def scenario(name: str, tmp_path: Path) -> Path:
    return copy_repo(LOSE_NOTHING / name, tmp_path / name, venvs=())


def locked_names(root: Path) -> set[str]:
    data = tomlkit.parse((root / "uv.lock").read_text()).unwrap()
    return {p["name"] for p in data["package"]}


def test_the_same_package_with_other_extras_in_the_dev_file_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = scenario("extras-two-files", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--format", "json")
    assert r.code == 0, r.err
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert "psycopg[c]==3.1.19" in data["project"]["dependencies"]
    assert "psycopg[binary]==3.1.19" in data["dependency-groups"]["local"]
    assert {"psycopg-c", "psycopg-binary"} <= locked_names(root)
    assert json.loads(r.out)["pins_kept"]["psycopg"] == "3.1.19"


def test_pins_compiled_for_a_newer_python_seed_the_lock_where_they_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # numpy==2.1.0 (compiled with Python 3.13) needs Python>=3.10; requires-python is >=3.9:
    # as constraints on every Python the lock fails, so they hold on the tested Python only
    root = scenario("seeds-older-python", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--format", "json")
    assert r.code == 0, r.err
    result = json.loads(r.out)
    held = [d for d in result["applied"] if "pins hold on Python" in d]
    assert held and "python_full_version == '3.9.*'" in held[0]
    data = tomlkit.parse((root / "uv.lock").read_text()).unwrap()
    numpy = sorted(p["version"] for p in data["package"] if p["name"] == "numpy")
    assert "2.1.0" in numpy and len(numpy) == 2  # the tested pin, and one for Python 3.9
    assert result["pins_kept"]["pandas"] == "2.2.3"
    pyproject = (root / "pyproject.toml").read_text()
    assert "constraint-dependencies" not in pyproject  # the seeds were temporary
