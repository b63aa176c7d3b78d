"""Atomic file writes and a byte-exact rollback journal.

`atomic_write` writes to a temp file in the same folder, fsyncs it, keeps the mode of the file it
replaces and renames it over the target (`os.replace`), so a reader (or a crash) sees the old
bytes or the new bytes, never a mix. `Journal` remembers the original bytes (or absence) of every
path before the first write and `restore()` puts them back exactly.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes | str, *, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically (temp file in the same folder + fsync + rename).

    The mode of an existing file is kept; a new file gets `mode` or 0o644 (minus the umask).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o644 & ~umask
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".uvmk-tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


def atomic_delete(path: Path) -> None:
    """Delete a file (no-op when it is already gone)."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    _fsync_dir(path.parent)


@dataclass
class Journal:
    """Original bytes of every file touched, so a failed apply can restore them byte-identical."""

    saved: dict[Path, tuple[bytes, int] | None] = field(default_factory=dict)

    def remember(self, path: Path) -> None:
        if path in self.saved:
            return
        try:
            self.saved[path] = (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
        except FileNotFoundError:
            self.saved[path] = None

    def write(self, path: Path, data: bytes | str) -> None:
        self.remember(path)
        atomic_write(path, data)

    def delete(self, path: Path) -> None:
        self.remember(path)
        atomic_delete(path)

    def restore(self) -> list[str]:
        """Put every remembered file back; return the problems (empty when all went well)."""
        problems: list[str] = []
        for path, original in reversed(list(self.saved.items())):
            try:
                if original is None:
                    atomic_delete(path)
                else:
                    content, mode = original
                    if not path.exists() or path.read_bytes() != content:
                        atomic_write(path, content, mode=mode)
            except OSError as exc:
                problems.append(f"{path}: {exc}")
        return problems
