"""Poetry fixtures (each poetry.lock written by the real Poetry) converted, then locked by the real
uv seeded with poetry.lock's versions: `uv export` of every group and extra must name exactly the
packages and versions poetry.lock holds (it locks every group and extra), and equal what the real
Poetry's `poetry export` (poetry-plugin-export for Poetry 2, run here through `uv tool run`)
says of the original: its main group, what `poetry install` installs, every group and extra.
The converted project's wheel must hold the files and entry points Poetry's own build put in
it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import tomlkit
from packaging.utils import canonicalize_name

from uvmk.plan.seeded_text import with_seeds
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
        f"{canonicalize_name(p['name'])}=={p['version']}"
        for p in lock["package"]
        if p.get("source", {}).get("type", "legacy") == "legacy"
    }


def _uv_export_set(root: Path, *which: str) -> set[str]:
    """`which`: uv export's group and extra options (none: the default groups)."""
    out = _run(
        "uv",
        "export",
        *which,
        "--no-hashes",
        "--no-emit-project",
        "--no-header",
        "--no-annotate",
        "--frozen",
        cwd=root,
    )
    return _pins(out)


def _pins(export: str) -> set[str]:
    """name==version of each line of a requirements export (not -e, URLs or options)."""
    return {
        canonicalize_name(line.split("==")[0]) + "==" + line.split(";")[0].split("==")[1].strip()
        for line in export.splitlines()
        if "==" in line and not line.startswith((" ", "-e ", "#", "./", "--")) and "@" not in line
    }


def _locked_copy(scenario: str, tmp_path: Path) -> Path:
    root, text = _converted_copy(scenario, tmp_path)
    seeds = read((root / "poetry.lock").read_text()).seeds
    (root / "pyproject.toml").write_text(with_seeds(text, seeds))
    _run("uv", "lock", cwd=root)
    return root


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_converted_project_locks_exactly_what_poetry_locked(
    scenario: str, tmp_path: Path
) -> None:
    root = _locked_copy(scenario, tmp_path)
    assert _uv_export_set(root, "--all-groups", "--all-extras") == _poetry_lock_set(root)


# The Poetry that wrote each fixture's lock, and the groups `poetry install` installs (every one
# not optional = true): what `uv sync` must install by default.
EXPORTS = [
    # with its dev group, poetry export (1.8.5's and the plugin's) fails on this lock (Dependency
    # walk failed at packaging (>=20): the two-constraint packaging): its runtime is compared
    ("poetry1-app", ("--from", "poetry<2"), None),
    ("poetry-sources", ("--from", "poetry", "--with", "poetry-plugin-export"), ["dev"]),
    ("poetry2-project", ("--from", "poetry", "--with", "poetry-plugin-export"), ["test", "typing"]),
]


@pytest.mark.parametrize(("scenario", "poetry", "installed"), EXPORTS)
def test_uv_installs_by_default_what_poetry_install_does_and_the_runtime_what_main_is(
    scenario: str, poetry: tuple[str, ...], installed: list[str] | None, tmp_path: Path
) -> None:
    original = tmp_path / "original"
    shutil.copytree(FIXTURES / scenario, original)
    export = ("uv", "tool", "run", *poetry, "poetry", "export", "--without-hashes")
    main = _pins(_run(*export, cwd=original))
    root = _locked_copy(scenario, tmp_path)
    assert _uv_export_set(root, "--no-default-groups") == main
    if installed is not None:
        default = _pins(_run(*export, "--with", ",".join(installed), cwd=original))
        assert _uv_export_set(root) == default


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


@pytest.mark.parametrize("scenario", ["poetry-sources", "poetry2-project"])
def test_every_group_and_extra_resolve_to_what_poetry_exports_of_them(
    scenario: str, tmp_path: Path
) -> None:
    """The real Poetry 2 (with poetry-plugin-export) exports every group and extra of the
    original; uv exports the same names and versions of the migrated one."""
    original = tmp_path / "original"
    shutil.copytree(FIXTURES / scenario, original)
    export = ("uv", "tool", "run", "--from", "poetry", "--with", "poetry-plugin-export")
    everything = ("poetry", "export", "--all-groups", "--all-extras", "--without-hashes")
    poetry = _pins(_run(*export, *everything, cwd=original))
    root = _locked_copy(scenario, tmp_path)
    assert poetry and _uv_export_set(root, "--all-groups", "--all-extras") == poetry


def test_apply_says_poetry_lock_is_kept_for_a_dockerfile_that_still_runs_poetry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fregatty/integralytix: its Dockerfile runs `poetry install --without dev`, which the
    converted pyproject breaks (poetry.lock stale, the group gone from [tool.poetry]); the
    preview's notes said so, APPLY's output said nothing: poetry.lock is a kept file, why said."""
    from test_migrate_helpers import copy_repo, run

    root = copy_repo(FIXTURES / "poetry2-project", tmp_path / "app", venvs=())
    (root / "Dockerfile").write_text(
        "FROM python:3.12-slim\nCOPY pyproject.toml poetry.lock ./\n"
        "RUN poetry install --only main\n"
    )
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    assert "kept poetry.lock: still read by Dockerfile:3, which still runs poetry" in r.out
    assert (root / "poetry.lock").is_file()
