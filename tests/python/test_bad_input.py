"""Regressions found by tests/bats/bad-input.bats: each bad pyproject is a one-line refusal with
file:line (never a traceback, never a silent preview), and a failed apply names the real file."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from test_migrate_helpers import FIXTURES, UV_MK, checksums, copy_repo, run
from uvmk import apply as uvmk_apply
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import check_types, duplicate_key, parse_pyproject
from uvmk.survey.text_files import read_text

HEAD = '[project]\nname = "tiny"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[project]\nname = "a"\nversion = "1"\nname = "b"\n',
            'pyproject.toml is not valid TOML: key "name" is defined twice (pyproject.toml:4)',
        ),
        (
            '[tool.x]\nk = [\n  "name = 1",\n]\nk = 2\n',
            'pyproject.toml is not valid TOML: key "k" is defined twice (pyproject.toml:5)',
        ),
        (
            HEAD + 'dependencies = "requests"\n',
            "pyproject.toml: [project] dependencies must be an array of strings, not a string "
            "(pyproject.toml:5)",
        ),
        (
            '[project]\nname = "tiny"\nrequires-python = 3\n',
            "pyproject.toml: [project] requires-python must be a string, not an integer "
            "(pyproject.toml:3)",
        ),
        (
            HEAD + 'dependencies = [\n  "a",\n  3,\n]\n',
            "pyproject.toml: [project] dependencies must be an array of strings, not an array "
            "holding an integer (pyproject.toml:5)",
        ),
        (
            HEAD + 'dependencies = []\n\n[project.optional-dependencies]\napi = "uvicorn"\n',
            "pyproject.toml: [project.optional-dependencies] api must be an array of strings, "
            "not a string (pyproject.toml:8)",
        ),
        (
            HEAD + 'dependencies = []\n\n[dependency-groups]\ndev = "pytest"\n',
            "pyproject.toml: [dependency-groups] dev must be an array, not a string "
            "(pyproject.toml:8)",
        ),
        (
            HEAD + "dependencies = []\n\n[tool]\nuv = 3\n",
            "pyproject.toml: [tool] uv must be a table, not an integer (pyproject.toml:8)",
        ),
        (
            "project = 3\n",
            "pyproject.toml: [project] must be a table, not an integer (pyproject.toml:1)",
        ),
    ],
)
def test_bad_pyproject_is_one_line_with_its_line(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_repo(FIXTURES / "tiny", tmp_path / "tiny", venvs=())
    (repo / "pyproject.toml").write_text(text)
    before = checksums(repo)
    for args in (["audit"], ["migrate"], ["migrate", "--apply"]):
        r = run(capsys, *args, "--root", str(repo), "--uv-mk", str(UV_MK))
        assert (r.code, r.err) == (2, f"uv.mk: error: {message}\n")
    assert checksums(repo) == before


def test_good_dependency_groups_pass_the_type_check() -> None:
    text = HEAD + (
        'dependencies = ["a>=1"]\n[project.optional-dependencies]\napi = ["b"]\n'
        '[dependency-groups]\ndev = ["c", {include-group = "lint"}]\nlint = []\n'
        "[tool.uv]\nmanaged = true\n"
    )
    check_types(parse_pyproject(text), text)


def test_array_of_tables_may_repeat_keys() -> None:
    text = '[[tool.uv.index]]\nname = "a"\nurl = "x"\n\n[[tool.uv.index]]\nname = "b"\nurl = "y"\n'
    assert duplicate_key(text) is None


def test_non_utf8_files_are_refused_with_their_line(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_bytes(b"all:\n\t@echo caf\xe9\n")
    with pytest.raises(SurveyError) as exc:
        read_text(tmp_path / "Makefile", tmp_path)
    assert str(exc.value) == (
        "Makefile is not UTF-8 (byte 0xe9): save it as UTF-8 first (Makefile:2)"
    )


@pytest.mark.parametrize("name", ["Makefile", "README.md", ".gitignore", "pyproject.toml"])
def test_migrate_refuses_a_non_utf8_file_it_would_rewrite(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_repo(FIXTURES / "tiny", tmp_path / "tiny", venvs=())
    with (repo / name).open("ab") as f:
        f.write(b"# caf\xe9\n")
    before = checksums(repo)
    r = run(capsys, "migrate", "--root", str(repo), "--uv-mk", str(UV_MK))
    assert r.code == 2
    assert r.err.startswith(f"uv.mk: error: {name} is not UTF-8 (byte 0xe9)")
    assert r.err.count("\n") == 1
    assert checksums(repo) == before


def test_pyproject_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_repo(FIXTURES / "tiny", tmp_path / "tiny", venvs=())
    (repo / "pyproject.toml").unlink()
    (repo / "pyproject.toml").mkdir()
    r = run(capsys, "migrate", "--root", str(repo))
    assert r.code == 2
    assert r.err.startswith("uv.mk: error: pyproject.toml is not a regular file")


def test_a_failed_replace_names_the_target_not_the_temp_file(tmp_path: Path) -> None:
    exc = OSError(
        errno.EPERM,
        "Operation not permitted",
        str(tmp_path / ".pyproject.toml.k2j3.uvmk-tmp"),
        None,
        str(tmp_path / "pyproject.toml"),
    )
    assert uvmk_apply._describe(exc, tmp_path) == (
        "cannot write pyproject.toml: Operation not permitted"
    )
    mkstemp_failed = PermissionError(
        errno.EACCES, "Permission denied", str(tmp_path / ".uv.lock.abcd.uvmk-tmp")
    )
    assert uvmk_apply._describe(mkstemp_failed, tmp_path) == (
        "cannot write uv.lock: Permission denied"
    )


def test_an_unexpected_error_mid_apply_restores_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = copy_repo(FIXTURES / "tiny", tmp_path / "tiny", venvs=())
    before = checksums(repo)

    def broken(lock: Path) -> dict[str, list[str]]:
        raise TypeError("a bug after the lock")

    monkeypatch.setattr(uvmk_apply, "locked_versions", broken)
    with pytest.raises(TypeError):
        run(capsys, "migrate", "--root", str(repo), "--apply", "--uv-mk", str(UV_MK))
    assert checksums(repo) == before
    assert not (repo / "uv.lock").exists()


@pytest.mark.parametrize("value", ["banana", "2.7", "3.11'; touch pwned; echo '", "3", ""])
def test_python_that_is_not_a_python3_version_is_refused(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    r = run(capsys, "migrate", "--python", value)
    assert r.code == 2
    assert r.err.startswith("uv.mk: error: argument --python: ")
    assert "is not a Python 3 version (X.Y, e.g. 3.12)" in r.err and r.err.count("\n") == 1


def test_pyproject_with_a_bom_is_read_like_uv_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_repo(FIXTURES / "tiny", tmp_path / "tiny", venvs=())
    pyproject = repo / "pyproject.toml"
    pyproject.write_bytes(b"\xef\xbb\xbf" + pyproject.read_bytes())
    before = checksums(repo)
    r = run(capsys, "migrate", "--root", str(repo), "--uv-mk", str(UV_MK), "--verbose")
    assert r.code == 0, r.err
    assert "project.dependencies += six==1.16.0  (requirements.txt:3)" in r.out
    assert checksums(repo) == before


def test_a_setup_cfg_without_a_section_header_is_a_finding_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The planner asked setup.cfg for the project's name with configparser, which raised on
    the header the survey had already refused: uv-audit crashed instead of listing it."""
    (tmp_path / "setup.cfg").write_text("[metadata\nname = pollsite\n")
    (tmp_path / "requirements.txt").write_text("Django==4.2.16\n")
    before = checksums(tmp_path)
    r = run(capsys, "audit", "--root", str(tmp_path), "--uv-mk", str(UV_MK))
    assert r.code == 1, r.err
    assert "setup.cfg:1: setup.cfg cannot be read: '[metadata' comes before any [section]" in r.out
    assert checksums(tmp_path) == before


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            "pyproject-not-toml",
            "uv.mk: error: `-e ./lib` (requirements.txt:2): lib/pyproject.toml is not valid TOML: ",
        ),
        (
            "setup-py-latin1",
            "uv.mk: error: `-e ./lib` (requirements.txt:2): lib/setup.py is not UTF-8 (byte "
            "0xe9): save it as UTF-8 first (lib/setup.py:1)",
        ),
    ],
)
def test_a_local_project_that_cannot_be_read_is_one_line_with_its_line(
    tmp_path: Path, broken: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-e ./lib`: its name is read from lib/pyproject.toml or lib/setup.py, which died with a
    tomlkit / UnicodeDecodeError traceback."""
    repo = copy_repo(FIXTURES / "tiny", tmp_path / "tiny", venvs=())
    shutil.copytree(FIXTURES.parent / "bad-input" / "local-project" / broken, repo / "lib")
    (repo / "requirements.txt").write_text("six==1.16.0\n-e ./lib\n")
    before = checksums(repo)
    for args in (["migrate"], ["migrate", "--apply"]):
        r = run(capsys, *args, "--root", str(repo), "--uv-mk", str(UV_MK))
        assert r.code == 2 and r.err.startswith(message), r.err
        assert len(r.err.splitlines()) == 1
    audit = run(capsys, "audit", "--root", str(repo))
    assert audit.code == 1 and "(uv-migrate refuses this)" in audit.out
    assert checksums(repo) == before
