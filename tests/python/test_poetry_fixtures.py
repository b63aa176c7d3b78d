"""Poetry fixtures (each poetry.lock written by the real Poetry) converted, then locked by the real
uv seeded with poetry.lock's versions: `uv export` of every group and extra must name exactly the
packages and versions poetry.lock holds (it locks every group and extra), and the converted
project's wheel must hold the files and entry points Poetry's own build put in it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import tomlkit

from uvmk.plan.pyproject import with_seeds
from uvmk.sources.poetry.convert import convert
from uvmk.sources.poetry.lock import read

FIXTURES = Path(__file__).parent.parent / "fixtures" / "poetry"
SCENARIOS = sorted(p.name for p in FIXTURES.iterdir() if (p / "poetry.lock").is_file())


def _run(*args: str, cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _converted_copy(scenario: str, tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / scenario
    shutil.copytree(FIXTURES / scenario, root)
    conversion = convert((root / "pyproject.toml").read_text())
    assert conversion.refusals() == []
    return root, conversion.text


def _poetry_lock_set(root: Path) -> set[str]:
    lock = tomlkit.parse((root / "poetry.lock").read_text()).unwrap()
    return {
        f"{p['name']}=={p['version']}"
        for p in lock["package"]
        if p.get("source", {}).get("type", "legacy") == "legacy"
    }


def _uv_export_set(root: Path) -> set[str]:
    out = _run(
        "uv",
        "export",
        "--all-groups",
        "--all-extras",
        "--no-hashes",
        "--no-emit-project",
        "--no-header",
        "--no-annotate",
        "--frozen",
        cwd=root,
    )
    return {
        line.split(";")[0].strip()
        for line in out.splitlines()
        if line.strip() and not line.startswith((" ", "-e ", "#", "./", "--"))
    }


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_converted_project_locks_exactly_what_poetry_locked(
    scenario: str, tmp_path: Path
) -> None:
    root, text = _converted_copy(scenario, tmp_path)
    seeds = read((root / "poetry.lock").read_text()).seeds
    (root / "pyproject.toml").write_text(with_seeds(text, seeds))
    _run("uv", "lock", cwd=root)
    assert _uv_export_set(root) == _poetry_lock_set(root)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_note_names_a_line_of_the_original(scenario: str) -> None:
    text = (FIXTURES / scenario / "pyproject.toml").read_text()
    lines = text.count("\n") + 1
    conversion = convert(text)
    assert conversion.said
    assert all(1 <= s.line <= lines for s in conversion.said)


def _wheel(dist: Path) -> tuple[list[str], str]:
    [wheel] = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = sorted(n for n in z.namelist() if not n.endswith("/RECORD"))
        entry_points = next(
            (z.read(n).decode() for n in names if n.endswith("entry_points.txt")), ""
        )
    return names, entry_points


@pytest.mark.parametrize(
    ("scenario", "poetry"),
    [("poetry1-app", "poetry<2"), ("poetry-sources", "poetry<2"), ("poetry2-project", "poetry")],
)
def test_uv_build_of_the_converted_project_makes_the_wheel_poetry_built(
    scenario: str, poetry: str, tmp_path: Path
) -> None:
    original = tmp_path / "original"
    shutil.copytree(FIXTURES / scenario, original)
    root, text = _converted_copy(scenario, tmp_path)
    (root / "pyproject.toml").write_text(text)
    _run("uv", "tool", "run", "--from", poetry, "poetry", "build", "-f", "wheel", cwd=original)
    _run("uv", "build", "--wheel", cwd=root)
    assert _wheel(root / "dist") == _wheel(original / "dist")
