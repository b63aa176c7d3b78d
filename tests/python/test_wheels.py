"""The kept pins install on the Python the repo gets: after the seeded lock, every locked package
must install on the pinned Python here from a wheel (uvmk.wheels asks `uv sync --dry-run
--no-build`). The K2 example pins pydantic==2.4.2, whose pydantic-core 2.10.1 has wheels up to
cp312 and none for cp313 (real files on PyPI): on Python 3.13 apply either pins another Python
the pins install on, or moves the pin up to the oldest pydantic with a cp313 wheel, and says
which. Before the check, both pinned 3.13 and kept 2.4.2, and `uv sync` failed building
pydantic-core from source."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import EXAMPLE, UV_MK, copy_repo, run
from uvmk import proc, wheels
from uvmk.plan.seeded_text import with_moved_pins


def _uv(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["uv", *args], cwd=cwd, capture_output=True, text=True, env=proc.child_env(), check=False
    )


def _has_python(version: str) -> bool:
    return _uv("python", "find", "--system", version, cwd=Path("/")).returncode == 0


needs_313 = pytest.mark.skipif(
    not _has_python("3.13"), reason="uv finds no Python 3.13 here (the suite never downloads one)"
)


def _installs_from_wheels(root: Path, python: str) -> subprocess.CompletedProcess[str]:
    return _uv(
        *("sync", "--frozen", "--dry-run", "--no-build", "--all-extras", "--all-groups"),
        *("--no-install-project", "--python", python),
        cwd=root,
    )


def _migrate_k2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[Path, dict]:
    k2 = copy_repo(EXAMPLE, tmp_path / "k2")  # not a git repo: apply's dirty check passes
    r = run(
        capsys,
        *("migrate", "--root", str(k2), "--apply", "--override-pins", "--format", "json"),
        *("--uv-mk", str(UV_MK), *extra),
    )
    assert r.code == 0, r.err
    return k2, json.loads(r.out)


@needs_313
def test_a_pin_without_a_wheel_for_the_chosen_python_moves_the_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the Makefile's python3.13 is installed: chosen, then the check finds pydantic-core 2.10.1
    # has no cp313 wheel, and another installed Python the pins install on is pinned instead
    others = [v for v in ("3.12", "3.11", "3.10") if _has_python(v)]
    if not others:
        pytest.skip("no Python but 3.13 here: the pin moves instead (the test below)")
    k2, result = _migrate_k2(tmp_path, capsys)
    pinned = (k2 / ".python-version").read_text().strip()
    assert pinned != "3.13" and pinned in others
    said = [d for d in result["applied"] if d.startswith("wrote .python-version")]
    assert said == [
        f"wrote .python-version ({pinned}), not 3.13: no cp313 wheel of pydantic-core 2.10.1 "
        f"here; every locked package installs on Python {pinned} from a wheel"
    ]
    assert result["pins_kept"]["pydantic"] == "2.4.2"  # the tested pin held
    assert _installs_from_wheels(k2, pinned).returncode == 0
    assert "pydantic-core" in _installs_from_wheels(k2, "3.13").stderr  # why it moved


@needs_313
def test_a_pin_without_a_wheel_for_the_forced_python_moves_to_the_oldest_with_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PYTHON_VERSION=3.13 is the user's word: the Python stays, the pin moves, named
    k2, result = _migrate_k2(tmp_path, capsys, "--python", "3.13")
    assert (k2 / ".python-version").read_text() == "3.13\n"
    lock = tomlkit.parse((k2 / "uv.lock").read_text()).unwrap()
    versions = {p["name"]: p["version"] for p in lock["package"] if "version" in p}
    moved = versions["pydantic"]
    assert moved != "2.4.2"
    assert result["pins_dropped"]["pydantic"] == (
        "no cp313 wheel for 2.4.2 (it needs pydantic-core 2.10.1, which has none)"
    )
    assert f"moved the pin pydantic 2.4.2 → {moved}: no cp313 wheel for 2.4.2" in "\n".join(
        result["applied"]
    )
    # OVERRIDE_PINS wrote the pin into the dependencies: it moves there too, or the final lock
    # would put 2.4.2 back
    assert f'"pydantic=={moved}",' in (k2 / "pyproject.toml").read_text()
    assert _installs_from_wheels(k2, "3.13").returncode == 0
    # the oldest: uv's lowest-direct resolution against 3.13, asked again here
    assert wheels.oldest_with_wheels("uv", k2, "3.13", "pydantic", "2.4.2", ["pydantic-core"]) == (
        moved
    )
    assert result["pins_kept"]["httpx"] == "0.27.0"  # the other pins held


def test_the_check_names_the_package_uv_would_build_and_why(tmp_path: Path) -> None:
    # a real lock (uv lock, PyPI) of a project pinning pydantic 2.4.2, asked about two Pythons
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["pydantic==2.4.2"]\n'
    )
    assert _uv("lock", cwd=tmp_path).returncode == 0
    lock = tomlkit.parse((tmp_path / "uv.lock").read_text()).unwrap()
    here = _uv("python", "find", "--system", "--show-version", cwd=Path("/")).stdout.strip()
    xy = ".".join(here.split(".")[:2])
    answer = wheels.check("uv", tmp_path, xy, lock)
    if xy in ("3.10", "3.11", "3.12"):
        assert answer.installs and answer.unbuilt == ()
    if _has_python("3.13"):
        missing = wheels.check("uv", tmp_path, "3.13", lock)
        assert missing.error is None
        assert missing.wheel_missing == (wheels.Unbuilt("pydantic-core", "2.10.1", True),)
    assert wheels.seeds_behind(lock, "pydantic-core", {"pydantic"}) == {"pydantic"}
    assert wheels.seeds_behind(lock, "pydantic", {"pydantic"}) == {"pydantic"}


def test_a_python_uv_cannot_find_is_an_error_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\nrequires-python = ">=3.10"\ndependencies = []\n'
    )
    assert _uv("lock", cwd=tmp_path).returncode == 0
    answer = wheels.check("uv", tmp_path, "3.99", {})
    assert not answer.installs and answer.error is not None


def test_a_moved_pin_is_rewritten_where_it_is_exact_and_nowhere_else() -> None:
    text = (
        "[project]\n"
        'dependencies = [\n    # the model\n    "pydantic==2.4.2",\n    "pydantic-core>=2",\n]\n'
        "[project.optional-dependencies]\n"
        "api = [\"Pydantic[email] == 2.4.2 ; python_version > '3'\"]\n"
        '[dependency-groups]\ndev = ["pydantic>=2.4"]\n'
        '[tool.uv]\nconstraint-dependencies = ["pydantic==2.4.2", "pydantic==2.4.20"]\n'
    )
    moved = with_moved_pins(text, {"pydantic": ("2.4.2", "2.8.0")})
    assert moved == text.replace('2.4.2"', '2.8.0"').replace("== 2.4.2 ;", "== 2.8.0 ;")
    assert "# the model" in moved and '"pydantic>=2.4"' in moved and "2.4.20" in moved


@needs_313
def test_with_no_python_evidence_the_made_requires_python_follows_the_python_pinned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # no evidence at all and python3 = 3.13: markupsafe 2.1.3 (found in the re-trial on
    # miguelgrinberg/microblog) has wheels up to cp312 only; apply pins an older installed
    # Python and the requires-python it made from 3.13 starts there instead
    others = [v for v in ("3.12", "3.11", "3.10") if _has_python(v)]
    if not others:
        pytest.skip("no Python but 3.13 here")
    py313 = _uv("python", "find", "--system", "3.13", cwd=Path("/")).stdout.strip()
    monkeypatch.setenv("PATH", f"{Path(py313).parent}:{os.environ['PATH']}")
    (tmp_path / "requirements.txt").write_text("markupsafe==2.1.3\n")
    r = run(capsys, "migrate", "--root", str(tmp_path), "--apply", "--format", "json")
    assert r.code == 0, r.err
    pinned = (tmp_path / ".python-version").read_text().strip()
    assert pinned in others
    project = tomlkit.parse((tmp_path / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={pinned}"
    said = "\n".join(json.loads(r.out)["applied"])
    assert f"requires-python >={pinned} (made here, no evidence), not 3.13" in said
    assert "markupsafe 2.1.3" in said
    assert _installs_from_wheels(tmp_path, pinned).returncode == 0
