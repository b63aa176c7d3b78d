"""Messages that were false or contradicted each other: a lock error cut mid-word, an echo line
read as venv creation, "added requires-python" beside "has no requires-python"."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from test_migrate_helpers import UV_MK, run
from uvmk.apply import _last_error
from uvmk.rewriters.makefile.scan import scan_makefile

UV_NO_SOLUTION = """\
  \u00d7 No solution found when resolving dependencies for split (python_full_version >= '3.14'):
  ╰─▶ Because only the following versions of numpy are available:
          numpy<=1.26.4
          numpy==2.0.0
      and numpy==1.26.4 has no wheels with a matching Python ABI tag, we can conclude that
      numpy==1.26.4 cannot be used. And because your project depends on numpy==1.26.4, we can
      conclude that your project's requirements are unsatisfiable.

      hint: You require CPython 3.14 (`cp314`), but we only found wheels for `numpy` (v1.26.4)
      with the following Python ABI tags: `cp312`, `cp313`
"""


def test_a_lock_error_keeps_uv_s_last_lines_and_its_hint_whole() -> None:
    message = _last_error(subprocess.CompletedProcess(["uv", "lock"], 1, "", UV_NO_SOLUTION))
    assert message.startswith("\u00d7 No solution found when resolving dependencies")
    assert "conclude that your project's requirements are unsatisfiable." in message
    assert message.endswith(
        "hint: You require CPython 3.14 (`cp314`), but we only found wheels for `numpy` "
        "(v1.26.4) with the following Python ABI tags: `cp312`, `cp313` (every file restored)"
    )
    assert "\n" not in message


# uv lock on dinov2 once its pyproject held package-data "" (abridged: traceback and schema)
UV_BUILD_FAILED = """\
error: Failed to build `dinov2 @ file:///tmp/dinov2`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta.get_requires_for_build_editable` failed (exit status: 1)

         [stdout]
         configuration error: `tool.setuptools.package-data` keys must be named by:
                   - {type: string, format: 'pep561-stub-name'}
               - {predefined value: '*'}

         [stderr]
         Traceback (most recent call last):
           File "<string>", line 14, in <module>
           File "/root/.cache/uv/builds-v0/.tmpD2eZWV/setuptools/config/pyprojecttoml.py", line 61
             raise ValueError(f"{error}\\n{summary}") from None
         ValueError: invalid pyproject.toml config: `tool.setuptools.package-data`.
         configuration error: `tool.setuptools.package-data` keys must be named by:
                   - {type: string, format: 'pep561-stub-name'}
               - {predefined value: '*'}

hint: Build failures usually indicate a problem with the package or the build environment
"""


def test_a_build_backend_failure_is_said_by_the_exception_it_raised() -> None:
    message = _last_error(subprocess.CompletedProcess(["uv", "lock"], 1, "", UV_BUILD_FAILED))
    assert message == (
        "error: Failed to build `dinov2 @ file:///tmp/dinov2` — ValueError: invalid "
        "pyproject.toml config: `tool.setuptools.package-data`. — hint: Build failures usually "
        "indicate a problem with the package or the build environment (every file restored)"
    )


def test_an_echo_that_names_virtualenv_or_pip_is_not_flagged(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text(
        "install:\n"
        '\t@echo "make a virtualenv first, then pip install -r requirements.txt"\n'
        "\tprintf 'python3 -m venv .venv\\n'\n"
        "\tvirtualenv venv\n"
    )
    hits = scan_makefile(tmp_path, tmp_path / "Makefile")
    assert [(h.where, h.kind) for h in hits] == [("Makefile:4", "venv")]


def test_a_pyproject_given_requires_python_is_not_told_it_has_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    (tmp_path / "requirements.txt").write_text("six==1.16.0\n")
    r = run(capsys, "migrate", "--root", str(tmp_path), "--uv-mk", str(UV_MK))
    assert r.code == 0, r.err
    assert "added one (name, version, requires-python, dependencies)" in r.out
    assert "has no requires-python" not in r.out
