"""A `uv python find` that does not answer says nothing of what is installed: the migration
goes on with the evidence's Python instead of refusing it as missing. A uv waits that way for
as long as another uv holds its cache (`uv cache clean` or `prune` on a shared machine);
that is what made test_architecture's walk count fail once with "Python 3.11 is not installed
here" on a machine that has 3.11."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from test_migrate_helpers import FIXTURES, UV_MK, copy_repo, run
from uvmk import facts


def stalled_find_uv(tmp_path: Path) -> Path:
    """The real uv, but `uv python find` hangs (a stand-in for one waiting on uv's cache lock,
    which cannot be held here without stalling every other uv on the machine)."""
    real = shutil.which("uv")
    assert real is not None
    stub = tmp_path / "stalled-uv"
    stub.write_text(
        "#!/bin/sh\n"
        f'if [ "$1 $2" = "python find" ]; then echo >> "{tmp_path}/finds"; exec sleep 30; fi\n'
        f'exec "{real}" "$@"\n'
    )
    stub.chmod(0o755)
    return stub


def test_a_python_find_that_does_not_answer_is_no_missing_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny = copy_repo(FIXTURES / "tiny", tmp_path / "tiny")  # its Makefile says Python 3.11
    monkeypatch.setenv("UV", str(stalled_find_uv(tmp_path)))
    monkeypatch.setattr(facts, "PYTHON_FIND_TIMEOUT", 1.0)
    started = time.monotonic()
    result = run(capsys, "migrate", "--apply", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert result.code == 0, result.err
    assert "not installed" not in result.out + result.err
    assert (tiny / ".python-version").read_text() == "3.11\n"
    assert (tiny / "uv.lock").is_file()
    # one unanswered question is enough: the other requests are not each waited for
    assert (tmp_path / "finds").read_text().count("\n") == 1
    assert time.monotonic() - started < 60
