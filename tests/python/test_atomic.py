"""uvmk.atomic: atomic replace (old or new bytes, never half) and the byte-exact rollback."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from uvmk.atomic import Journal, atomic_write

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "Makefile"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o754)
    atomic_write(target, "new\r\ncontent\n")
    assert target.read_bytes() == b"new\r\ncontent\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o754
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Makefile"]  # no temp file left


def test_atomic_write_creates_missing_file_and_folder(tmp_path: Path) -> None:
    target = tmp_path / "uv-mk" / "scripts" / "x.py"
    atomic_write(target, b"print(1)\n")
    assert target.read_bytes() == b"print(1)\n"


def test_journal_restores_every_file_byte_identical(tmp_path: Path) -> None:
    changed = tmp_path / "pyproject.toml"
    changed.write_bytes(b"[project]\r\nname = 'x'\r\n# comment\n")
    os.chmod(changed, 0o600)
    deleted = tmp_path / "requirements.txt"
    deleted.write_bytes(b"\xef\xbb\xbfsix==1.16.0\n")
    created = tmp_path / ".python-version"
    journal = Journal()
    journal.write(changed, "[project]\nname = 'y'\n")
    journal.delete(deleted)
    journal.write(created, "3.11\n")
    journal.write(changed, "twice\n")  # the first original is what counts
    assert journal.restore() == []
    assert changed.read_bytes() == b"[project]\r\nname = 'x'\r\n# comment\n"
    assert stat.S_IMODE(changed.stat().st_mode) == 0o600
    assert deleted.read_bytes() == b"\xef\xbb\xbfsix==1.16.0\n"
    assert not created.exists()


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {scripts!r})
    from pathlib import Path
    from uvmk.atomic import atomic_write
    target = Path({target!r})
    a, b = b"A" * 8_000_000, b"B" * 8_000_000
    print("ready", flush=True)
    i = 0
    while True:
        atomic_write(target, a if i % 2 else b)
        i += 1
    """
)


def test_sigkill_mid_write_leaves_old_or_new_never_half(tmp_path: Path) -> None:
    target = tmp_path / "pyproject.toml"
    target.write_bytes(b"A" * 8_000_000)
    script = WRITER.format(scripts=str(SCRIPTS), target=str(target))
    for delay in (0.05, 0.13, 0.21, 0.34):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        data = target.read_bytes()
        assert data in (b"A" * 8_000_000, b"B" * 8_000_000), f"torn file after {delay}s"
    # a killed writer may leave its temp file behind, never a torn target
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "pyproject.toml"]
    assert all(name.endswith(".uvmk-tmp") for name in leftovers)
