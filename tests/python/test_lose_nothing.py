"""Nothing the old files installed is lost: extras asked in another file, the extras a dev file
pulls in, the tested pins that cannot hold on every Python, stale extras and dead markers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, copy_repo, make_venv, run
from uvmk import proc

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
    assert "psycopg[binary]==3.1.19" in data["dependency-groups"]["dev"]
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


def installed_python() -> str:
    """The X.Y of a Python uv can use here (the suite cannot download one)."""
    found = subprocess.run(
        ["uv", "python", "find", "--system", "--show-version"],
        capture_output=True,
        text=True,
        check=True,
        env=proc.child_env(),
    ).stdout.strip()
    return ".".join(found.split(".")[:2])


def uv_not_pyenv_selected(monkeypatch: pytest.MonkeyPatch, outside: Path) -> None:
    """Where uv itself is a pyenv shim, a .python-version naming a Python pyenv lacks breaks
    every `uv` call in that folder: keep pyenv on the version selected outside the repo."""
    if shutil.which("pyenv") is None:
        return
    selected = subprocess.run(
        ["pyenv", "version-name"], cwd=outside, capture_output=True, text=True, check=False
    ).stdout.strip()
    if selected:
        monkeypatch.setenv("PYENV_VERSION", selected)


def test_without_downloads_the_installed_version_the_evidence_names_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # .tool-versions says 3.19 (no such Python here), services/api/Dockerfile 3.18, the CI
    # workflow's PYTHON_VERSION the installed one: that one is chosen, every source listed
    root = scenario("python-evidence", tmp_path)
    here = installed_python()
    ci = root / ".github" / "workflows" / "ci.yml"
    ci.write_text(ci.read_text().replace("INSTALLED", here))
    r = run(capsys, "migrate", "--root", str(root), "--format", "json")
    assert r.code == 0, r.err
    python = json.loads(r.out)["python"]
    assert python["version"] == here
    notes = " ".join(python["notes"])
    assert "the Python evidence disagrees" in notes
    assert "3.19 (.tool-versions:1)" in notes and "3.18 (services/api/Dockerfile:1)" in notes
    assert f"{here} (.github/workflows/ci.yml:4)" in notes and ".python-version >" in notes
    assert "Python 3.19 (.tool-versions:1) is not installed here" in notes
    assert "UV_PYTHON_DOWNLOADS=never" in notes and "(.github/workflows/ci.yml:4)" in notes
    applied = run(capsys, "migrate", "--root", str(root), "--apply")
    assert applied.code == 0, applied.err
    assert (root / ".python-version").read_text() == f"{here}\n"


def test_a_python_version_patch_uv_cannot_find_is_pinned_only_when_uv_may_download_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = scenario("extras-two-files", tmp_path)
    here = installed_python()
    uv_not_pyenv_selected(monkeypatch, tmp_path)
    (root / ".python-version").write_text(f"{here}.99\n")  # the minor is here, the patch not
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "automatic")
    r = run(capsys, "migrate", "--root", str(root), "--format", "json")
    python = json.loads(r.out)["python"]
    assert python["version"] == here and not python["write"]
    assert any(
        f"Python {here}.99 (.python-version) is not installed here: uv downloads it" in n
        for n in python["notes"]
    )
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--format", "json")
    assert r.code == 0, r.err  # the lock does not fail on the missing patch release
    assert (root / ".python-version").read_text() == f"{here}\n"
    assert any("UV_PYTHON_DOWNLOADS=never" in n for n in json.loads(r.out)["python"]["notes"])


def test_python_evidence_from_mise_ci_env_and_dockerfiles_below_the_root(tmp_path: Path) -> None:
    from uvmk.survey.python_evidence import gather_evidence
    from uvmk.survey.tree import walk

    (tmp_path / "mise.toml").write_text(
        '[env]\npython = "2.7"\n[tools]\npython = ["3.12", "3.11"]\n'
    )
    (tmp_path / ".gitlab-ci.yml").write_text('variables:\n  PYTHON_VERSION: "3.10"\n')
    (tmp_path / "deploy" / "worker").mkdir(parents=True)
    (tmp_path / "deploy" / "worker" / "Dockerfile").write_text("ARG PYTHON_VERSION=3.9.18\n")
    (tmp_path / "deploy" / "Dockerfile.web").write_text("FROM docker.io/python:3.11-slim\n")
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "venv" / "Dockerfile").write_text("FROM python:3.6\n")  # inside a venv: skipped
    got = {(e.source, e.where, e.version) for e in gather_evidence(walk(tmp_path), None, None)}
    assert got == {
        ("mise.toml", "mise.toml:4", "3.12"),
        ("CI", ".gitlab-ci.yml:2", "3.10"),
        ("Dockerfile", "deploy/worker/Dockerfile:1", "3.9"),
        ("Dockerfile", "deploy/Dockerfile.web:1", "3.11"),
    }


def test_a_matrix_keyed_python_version_is_evidence_once_a_line(tmp_path: Path) -> None:
    # pypa/bandersnatch: `python-version: ["3.12", "3.13"]` in the matrix, read once as a
    # literal and again as the values `python-version: ${{ matrix.python-version }}` names:
    # each line was evidence twice ("ci.yml:24, ci.yml:24 +3 more" in the disagreement note)
    from uvmk.survey.python_evidence import gather_evidence
    from uvmk.survey.tree import walk

    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(
        "jobs:\n  t:\n    strategy:\n      matrix:\n"
        '        python-version: ["3.12", "3.13"]\n'
        "    steps:\n      - uses: actions/setup-python@v5\n        with:\n"
        "          python-version: ${{ matrix.python-version }}\n"
    )
    got = [(e.where, e.version) for e in gather_evidence(walk(tmp_path), None, None)]
    assert got == [(".github/workflows/ci.yml:5", "3.12"), (".github/workflows/ci.yml:5", "3.13")]


def test_stale_extras_and_markers_requires_python_makes_dead_are_named_at_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = scenario("stale-extra-dead-marker", tmp_path)
    preview = run(capsys, "migrate", "--root", str(root), "--format", "json")
    notes = json.loads(preview.out)["notes"]
    dead = [n for n in notes if "never installs" in n]
    assert len(dead) == 2
    assert dead[0].startswith("requirements.txt:2: `tomli==2.0.1; python_version < '3.11'`")
    assert "requirements.txt:3" in dead[1] and ">=3.11" in dead[1]
    applied = run(capsys, "migrate", "--root", str(root), "--apply", "--format", "json")
    assert applied.code == 0, applied.err
    stale = [d for d in json.loads(applied.out)["applied"] if d.startswith("stale extra")]
    assert stale == [
        "stale extra: typer 0.12.3 has no extra `all` (requirements.txt:1): it installs "
        "nothing; drop [all] or name the packages it used to pull in"
    ]


def test_a_marker_is_dead_only_when_no_allowed_python_meets_it() -> None:
    from uvmk.diagnostics import Where
    from uvmk.plan.dead_markers import dead_markers
    from uvmk.sources.pip.dependency_plan import Addition

    def dead(requirement: str, requires: str) -> bool:
        return bool(dead_markers([Addition("t", requirement, Where("r.txt", 1))], requires))

    assert dead("tomli; python_version < '3.11'", ">=3.11")
    assert not dead("tomli; python_version < '3.11'", ">=3.10")
    assert not dead("pywin32; sys_platform == 'win32'", ">=3.11")
    assert dead("a; python_full_version >= '3.8' and python_version < '3.9'", ">=3.9,<4")
    assert not dead("tomli; python_version < '3.11'", "")


def resolved_names(args: list[str], cwd: Path) -> set[str]:
    out = subprocess.run(
        ["uv", *args], cwd=cwd, capture_output=True, text=True, check=True, env=proc.child_env()
    ).stdout
    return {
        line.split("==")[0].split(" ")[0].lower()
        for line in out.splitlines()
        if line and not line.startswith((" ", "#", "-e", "."))
    }


@pytest.mark.parametrize(
    ("dev_file", "group", "not_installed"),
    [
        ("pytest>=8\nruff>=0.5\nmypy>=1.10\n", ["proj[dev,quality]"], {"mkdocs"}),
        # quality repeated only in part: its line is taken, not the whole extra (no mypy)
        ("pytest>=8\nruff>=0.5\n", ["ruff>=0.5", "proj[dev]"], {"mkdocs", "mypy"}),
    ],
)
def test_a_dev_file_repeating_several_extras_installs_all_it_named(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    dev_file: str,
    group: list[str],
    not_installed: set[str],
) -> None:
    root = scenario("dev-file-two-extras", tmp_path)
    (root / "requirements-dev.txt").write_text(dev_file)
    old = tmp_path / "old-requirements-dev.txt"
    old.write_text(dev_file)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--format", "json")
    assert r.code == 0, r.err
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert sorted(data["dependency-groups"]["dev"]) == sorted(group)
    # the resolved sets: what `uv sync` installs covers what `pip install -r` did, on a Python
    # the project allows (requires-python >=3.11: on 3.10 pytest also pulls tomli and
    # exceptiongroup, which no environment of this project installs)
    pip_installed = resolved_names(
        ["pip", "compile", "-q", "--python-version", "3.11", str(old)], root
    )
    synced = resolved_names(
        ["export", "--frozen", "--no-hashes", "--no-emit-project", "--format", "requirements.txt"],
        root,
    )
    assert pip_installed and pip_installed <= synced
    assert not (not_installed & synced)
    rows = json.loads(r.out)["requirements"]
    claim = [row for row in rows if row["status"] == "group-includes-extra"]
    assert len(claim) == 1 and "installs every package" in claim[0]["requirement"]
    # and apply checked the claim the same way, on the resolved sets
    checked = [d for d in json.loads(r.out)["applied"] if d.startswith("checked:")]
    assert checked and "`pip install -r requirements-dev.txt` did" in checked[0]


def test_the_fallback_respects_the_requires_python_a_new_project_gets(tmp_path: Path) -> None:
    # no [project]: requires-python becomes >=3.12 (runtime.txt); an installed 3.11 cannot be
    # the fallback, or `uv lock` fails on .python-version
    from uvmk import plan as uvmk_plan
    from uvmk.facts import Facts
    from uvmk.survey import snapshot as uvmk_survey

    (tmp_path / "requirements.txt").write_text("six==1.16.0\n")
    (tmp_path / "runtime.txt").write_text("python-3.12.4\n")
    offline = Facts(pythons=("3.11.7",), python_downloads="never")
    plan = uvmk_plan.build_plan(uvmk_survey.survey(tmp_path), uvmk_plan.Options(), offline)
    assert 'requires-python = ">=3.12"' in plan.contents["pyproject.toml"].decode()
    assert plan.contents[".python-version"] == b"3.12\n"
    assert any("no installed Python fits requires-python" in n for n in plan.python.notes)


def test_one_pin_that_cannot_hold_on_one_platform_drops_only_that_pin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # pip-compile on Linux pinned tzdata==2026.2; mkdocs-rss-plugin==1.17.9 needs tzdata<2026
    # on win32 only: uv's universal lock cannot hold that one pin, every other pin holds
    root = scenario("seeds-one-platform", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--format", "json")
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert result["pins_kept"] == {
        "mkdocs-rss-plugin": "1.17.9",
        "numpy": "2.1.3",
        "pandas": "2.2.3",
        "python-dateutil": "2.9.0.post0",
        "pytz": "2024.2",
        "six": "1.16.0",
    }
    assert list(result["pins_moved"]) == list(result["pins_dropped"]) == ["tzdata"]
    assert "mkdocs-rss-plugin==1.17.9 depends on tzdata" in result["pins_dropped"]["tzdata"]
    assert result["pins_unexplained"] == []
    dropped = [w for w in result["warnings"] if w.startswith("the pin tzdata==2026.2 ")]
    assert dropped and dropped[0].endswith("seeded without it")
    assert "locked: uv.lock (seeded with 6 of 7 pin(s))" in result["applied"]
    assert "constraint-dependencies" not in (root / "pyproject.toml").read_text()


def test_the_dropped_pin_ends_the_apply_output_as_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = scenario("seeds-one-platform", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert any(ln.startswith("  ! the pin tzdata==2026.2 cannot hold") for ln in lines)
    assert not any("✓" in ln and "locked without them" in ln for ln in lines)
    warning = lines.index(next(ln for ln in lines if ln.startswith("Warning: 1 pinned")))
    assert lines[warning + 1].startswith("  ! tzdata: 2026.2 -> ")
    assert "its pin could not hold" in lines[warning + 1]


def test_two_pins_that_cannot_hold_are_dropped_one_round_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # hand-edited pins below what requests==2.31.0 needs: uv explains one conflict a lock, so
    # a round drops charset-normalizer, the next urllib3; the rest hold on every Python
    root = scenario("seeds-two-conflicts", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--format", "json")
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert result["pins_kept"] == {"certifi": "2024.2.2", "idna": "3.7", "requests": "2.31.0"}
    assert sorted(result["pins_dropped"]) == ["charset-normalizer", "urllib3"]
    assert result["pins_dropped"]["urllib3"] == "requests==2.31.0 depends on urllib3>=1.21.1,<3"
    assert result["pins_unexplained"] == []
    assert "locked: uv.lock (seeded with 3 of 5 pin(s))" in result["applied"]
    assert not any("pins hold on Python" in d for d in result["applied"])  # on every Python


def test_the_tools_excludes_learn_the_venvs_new_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """black/ruff/isort/flake8/pytest settings that skip venv/ but not .venv/: once the venv
    moves, `make style` would reformat .venv (hard links into the shared uv cache). Each
    setting gets .venv beside venv in its own form; the rest of each file is byte-identical."""
    root = copy_repo(LOSE_NOTHING / "venv-excludes", tmp_path / "venv-excludes", venvs=("venv",))
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    pyproject = (root / "pyproject.toml").read_text()
    assert "  | \\.?venv\n" in pyproject  # black's regex, a literal string as written
    assert 'exclude = ["venv", ".venv", "build"]  # the old venv and the build output' in pyproject
    assert 'skip = ["venv", ".venv"]' in pyproject
    setup_cfg = (LOSE_NOTHING / "venv-excludes" / "setup.cfg").read_text()
    assert (root / "setup.cfg").read_text() == setup_cfg.replace(
        "venv,build", "venv,.venv,build"
    ).replace("    venv\n", "    venv .venv\n")
    assert (root / "tox.ini").read_text().endswith("[flake8]\nexclude = venv, .venv\n")
    # the real ruff, with the migrated settings, no longer reaches into uv's venv
    make_venv(root / ".venv")  # as `make install` makes it
    (root / ".venv" / "lib" / "stray.py").write_text("x=1\n")
    files = subprocess.run(
        # the dev environment's ruff, beside the Python running the suite (tests/on-python.sh
        # runs it from .cache/venv-pyX.Y, not .venv)
        [str(Path(sys.executable).parent / "ruff"), "check", "--show-files"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "app/__init__.py" in files and ".venv" not in files
    # a second run has nothing more to add
    assert "nothing to do" in run(capsys, "migrate", "--root", str(root)).out
