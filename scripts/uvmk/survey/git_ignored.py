"""Which paths git ignores, asked of git itself (`git check-ignore`): a git-ignored requirements
file is a developer's own, and what the migration writes must not be hidden from a fresh clone."""

from __future__ import annotations

from pathlib import Path

from uvmk import proc


def git_ignored(root: Path, paths: list[Path]) -> list[Path]:
    """The paths git ignores (none when root is not in a git work tree or git is missing)."""
    if not paths:
        return []
    rels = [p.relative_to(root).as_posix() for p in paths]
    try:
        out = proc.git("check-ignore", "--", *rels, cwd=root, timeout=30)
    except proc.ProcessFailure:
        return []
    if out.returncode != 0:  # 1: none ignored; 128: not a git work tree
        return []
    hit = {line.strip() for line in out.stdout.splitlines()}
    return [p for p, rel in zip(paths, rels, strict=True) if rel in hit]
