"""Nothing the old files installed is lost: extras asked in another file, the extras a dev file
pulls in, the tested pins that cannot hold on every Python, stale extras and dead markers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, UV_MK, copy_repo, run

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
