"""An extra setuptools reads from a requirements file (setup.py's extras_require, pyproject's
[tool.setuptools.dynamic] optional-dependencies) keeps its lines in one place: the extra. The
dev one is also pulled into [dependency-groups] dev (`mypkg[dev]`), so `uv sync` and
`make dev-install` bring the tools; any other (plot) is the extra alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, UV_MK, git_copy, run

SETUPPY = REPO / "tests" / "fixtures" / "setuppy"


def migrated(shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    root = git_copy(SETUPPY / shape, tmp_path / shape)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 0, r.err
    doc: dict[str, object] = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    lock = (root / "uv.lock").read_text()
    assert 'name = "pytest"' in lock  # the tools are locked, through the extra
    return doc


def test_dynamic_extras_read_from_files_are_written_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = migrated("dynamic-extras-files", tmp_path, capsys)
    project = doc["project"]
    assert isinstance(project, dict)
    assert project["optional-dependencies"] == {"dev": ["pytest>=8"], "plot": ["matplotlib>=3.8"]}
    # a group file that -r's an extra's file pulls the extra in: there is no group plot
    assert doc["dependency-groups"] == {
        "ci": [{"include-group": "dev"}, "coverage>=7", "mypkg[plot]"],
        "dev": ["mypkg[dev]"],
    }


def test_a_setup_py_dev_extra_fed_from_requirements_dev_txt_is_the_dev_group_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = migrated("extras-dev-file", tmp_path, capsys)
    project = doc["project"]
    assert isinstance(project, dict)
    assert project["optional-dependencies"] == {"dev": ["pytest>=8", "ruff"]}
    assert doc["dependency-groups"] == {"dev": ["mypkg[dev]"]}
