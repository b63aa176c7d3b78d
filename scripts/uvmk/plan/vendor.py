"""A uv.mk outside the repository is vendored into uv-mk/ with the engine beside it."""

from __future__ import annotations

from pathlib import Path

from uvmk.plan.model import Change


def vendor_sources(uv_mk: Path) -> list[tuple[str, Path]]:
    """(destination under uv-mk/, source) for uv.mk and the engine beside it."""
    scripts = uv_mk.parent / "scripts"
    sources = [uv_mk, scripts / "uvmk_migrate.py", *sorted((scripts / "uvmk").rglob("*.py"))]
    return [("uv-mk/" + src.relative_to(uv_mk.parent).as_posix(), src) for src in sources]


def vendor_copies(
    root: Path, uv_mk: Path, notes: list[str], changes: list[Change]
) -> dict[str, Path]:
    """The files to copy into uv-mk/ (destination -> source); the change and notes said."""
    copies: dict[str, Path] = {}
    if not uv_mk.is_file():
        notes.append(f"uv.mk not found at {uv_mk}: cannot vendor it (pass --uv-mk)")
    else:
        for dest, src in vendor_sources(uv_mk):
            if not (root / dest).exists():
                copies[dest] = src
        if copies:
            changes.append(
                Change(
                    "uv-mk/",
                    "create",
                    f"vendored copy of {uv_mk} and its helpers "
                    f"({len(copies)} files), included by the Makefile",
                    tuple(sorted(copies)),
                )
            )
    return copies
