"""What a failed apply must not leave behind: paths that appeared in the repo while it ran.

The journal restores every file apply meant to touch; a build backend run by `uv lock` (a
dynamic-metadata project) also writes files apply never named, such as `src/pkg.egg-info/`,
often git-ignored, so `git status` would not show them. A refused apply leaves no new file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Never walked: git's own data, and trees no lock writes into but that can be huge.
_SKIP = frozenset({".git", "node_modules", ".tox", ".nox"})


def snapshot(root: Path) -> frozenset[str]:
    """Every path under root (relative, POSIX), except inside skipped folders and venvs."""
    seen: set[str] = set()
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        keep = []
        for d in dirs:
            if d in _SKIP or (here / d / "pyvenv.cfg").exists():
                continue
            keep.append(d)
            seen.add((here / d).relative_to(root).as_posix())
        dirs[:] = keep
        seen.update((here / f).relative_to(root).as_posix() for f in files)
    return frozenset(seen)


def remove_new(root: Path, before: frozenset[str]) -> list[str]:
    """Remove what appeared since `before` (a new folder whole); the paths removed."""
    removed: list[str] = []
    for rel in sorted(snapshot(root) - before):
        if any(rel.startswith(gone + "/") for gone in removed):
            continue
        path = root / rel
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(rel)
    return removed
