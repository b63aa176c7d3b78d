"""Pipfile → uv's pyproject, one Pipenv feature at a time, and the fixture (its Pipfile.lock
written by the real pipenv) locked by the real uv to the versions Pipenv pinned."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from uvmk.plan.seeded_text import with_seeds
from uvmk.sources.pipenv.convert import Conversion, convert
from uvmk.sources.pipenv.lock import read

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pipenv"
PYPI = '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n'


def _convert(body: str, pyproject: str | None = None) -> tuple[dict[str, Any], Conversion]:
    conversion = convert(PYPI + body, "app", pyproject)
    return tomlkit.parse(conversion.text).unwrap(), conversion


def _said(conversion: Conversion, kind: str) -> list[str]:
    return [s.note.text for s in conversion.said if s.note.kind == kind]


def test_packages_are_the_projects_dependencies_and_dev_packages_the_dev_group() -> None:
    doc, _ = _convert(
        '[packages]\nrequests = "*"\ndjango = ">= 4.2, < 5"\nflask = {version = "==3.0", '
        'extras = ["async"]}\n[dev-packages]\npytest = "*"\n'
    )
    assert doc["project"]["dependencies"] == ["requests", "django>=4.2,<5", "flask[async]==3.0"]
    assert doc["dependency-groups"] == {"dev": ["pytest"]}
    assert "build-system" not in doc  # an application: uv installs its dependencies only


def test_marker_keys_and_markers_become_one_pep_508_marker() -> None:
    doc, _ = _convert(
        "[packages]\n"
        'pywin32 = {version = "*", sys_platform = "== \'win32\'"}\n'
        'tomli = {version = ">=2", markers = "python_version < \'3.11\'", '
        "platform_machine = \"!= 'arm64'\"}\n"
    )
    assert doc["project"]["dependencies"] == [
        "pywin32; sys_platform == 'win32'",
        "tomli>=2; python_version < '3.11' and platform_machine != 'arm64'",
    ]


def test_git_path_and_file_packages_become_uv_sources() -> None:
    doc, _ = _convert(
        "[packages]\n"
        'lib = {git = "https://github.com/o/lib.git", ref = "v1.2", editable = true}\n'
        'local = {path = "./local", editable = true}\n'
        'wheel = {file = "https://x.org/wheel-1.0-py3-none-any.whl"}\n'
    )
    assert doc["project"]["dependencies"] == ["lib", "local", "wheel"]
    assert doc["tool"]["uv"]["sources"] == {
        "lib": {"git": "https://github.com/o/lib.git", "rev": "v1.2"},
        "local": {"path": "./local", "editable": True},
        "wheel": {"url": "https://x.org/wheel-1.0-py3-none-any.whl"},
    }


def test_an_empty_dev_packages_table_makes_no_empty_group() -> None:
    doc, _ = _convert('[packages]\nsix = "*"\n[dev-packages]\n')
    assert "dependency-groups" not in doc


def test_an_editable_git_package_is_said_uv_installs_it_from_git_not_editable() -> None:
    _, conversion = _convert(
        '[packages]\nlib = {git = "https://g.example/lib.git", ref = "v1", editable = true}\n'
    )
    assert any("editable git checkout" in t for t in _said(conversion, "reported"))


def test_a_second_source_is_explicit_and_pinned_where_a_package_names_it() -> None:
    doc, conversion = _convert(
        '[[source]]\nurl = "https://${USER}:${TOKEN}@corp.example/simple"\n'
        'verify_ssl = false\nname = "corp"\n'
        '[packages]\nprivate = {version = "*", index = "corp"}\npublic = {version = "*", '
        'index = "pypi"}\n'
    )
    assert doc["tool"]["uv"]["index"] == [
        {"name": "corp", "url": "https://corp.example/simple", "explicit": True}
    ]
    assert doc["tool"]["uv"]["sources"] == {"private": {"index": "corp"}}
    assert doc["tool"]["uv"]["allow-insecure-host"] == ["corp.example"]
    assert "TOKEN" not in conversion.text
    assert any("credentials not written" in t for t in _said(conversion, "reported"))


def test_a_first_source_that_is_not_pypi_is_uvs_default() -> None:
    conversion = convert(
        '[[source]]\nurl = "https://corp/simple"\nname = "corp"\n[packages]\nx = "*"\n', "app"
    )
    doc = tomlkit.parse(conversion.text).unwrap()
    assert doc["tool"]["uv"]["index"] == [
        {"name": "corp", "url": "https://corp/simple", "default": True}
    ]


def test_requires_python_and_custom_categories_and_scripts_are_said() -> None:
    doc, conversion = _convert(
        '[packages]\n[docs]\nsphinx = "*"\n[requires]\npython_version = "3.11"\n'
        '[scripts]\ntest = "pytest -q"\n'
    )
    assert doc["project"]["requires-python"] == ">=3.11"
    assert doc["dependency-groups"] == {"docs": ["sphinx"]}
    assert "default-groups" not in doc.get("tool", {}).get("uv", {})
    assert conversion.scripts == {"test": "pytest -q"}
    reported = _said(conversion, "reported")
    assert any("uv sync --group docs" in t for t in reported)
    # a script's fate (a make target, or said) is the plan's, which knows the Makefile
    assert not any("script test" in t for t in reported)
    _, called = _convert('[packages]\n[scripts]\nserve = {call = "app.main:run()"}\n')
    assert called.scripts == {}
    assert any(
        "uv run python -c 'import app.main; app.main.run()'" in t for t in _said(called, "reported")
    )


def test_a_bad_specifier_and_an_unknown_index_are_refused_naming_the_line() -> None:
    _, conversion = _convert('[packages]\nx = "=>1"\ny = {version = "*", index = "nope"}\n')
    refusals = conversion.refusals()
    assert [s.line for s in refusals] == [6, 7]


def test_a_pyproject_beside_keeps_its_tool_tables_and_one_with_project_is_refused() -> None:
    doc, _ = _convert('[packages]\nx = "*"\n', "[tool.ruff]\nline-length = 100\n")
    assert doc["tool"]["ruff"] == {"line-length": 100}
    _, conversion = _convert('[packages]\nx = "*"\n', '[project]\nname = "x"\n')
    assert any("[project] already" in t for t in _said(conversion, "refused"))


def test_the_lock_seeds_pinned_versions_and_says_the_rest() -> None:
    locked = read(
        '{"_meta": {}, "default": {"six": {"version": "==1.16.0"}, "win": {"version": "*", '
        '"markers": "sys_platform == \'win32\'"}, "lib": {"git": "https://g/lib.git", '
        '"ref": "abc"}, "shared": {"version": "==1.0"}}, "develop": {"shared": '
        '{"version": "==2.0"}}}'
    )
    assert locked.seeds == {"six": "1.16.0"}
    assert locked.elsewhere == {"lib": "git https://g/lib.git@abc"}
    texts = " ".join(n.text for n in locked.notes)
    assert "win" in texts and "shared is locked at 1.0, 2.0" in texts


def _run(*args: str, cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("scenario", sorted(p.name for p in FIXTURES.iterdir()))
def test_the_converted_project_locks_the_versions_pipenv_pinned(
    scenario: str, tmp_path: Path
) -> None:
    root = tmp_path / scenario
    shutil.copytree(FIXTURES / scenario, root)
    conversion = convert((root / "Pipfile").read_text(), scenario)
    assert conversion.refusals() == []
    locked = read((root / "Pipfile.lock").read_text())
    (root / "pyproject.toml").write_text(with_seeds(conversion.text, locked.seeds))
    _run("uv", "lock", cwd=root)
    out = _run(
        "uv", "export", "--all-groups", "--no-hashes", "--no-emit-project", "--no-header",
        "--no-annotate", "--frozen", cwd=root,
    )  # fmt: skip
    exported = dict(
        line.split(";")[0].strip().split("==")
        for line in out.splitlines()
        if "==" in line and not line.startswith((" ", "-e"))
    )
    pinned = {n: v for pins in locked.categories.values() for n, v in pins.items()}
    assert {n: exported.get(n) for n in pinned} == pinned
    # what uv adds is what Pipenv left unpinned (markers false where it ran: win32 only)
    assert set(exported) - set(pinned) == {"colorama"}
