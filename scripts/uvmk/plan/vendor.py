"""A uv.mk outside the repository is vendored beside the Makefile: that one file, stamped, as
`uv-mk init` writes it (uvmk.vendor); the engine is not copied (uv.mk finds the release)."""

from __future__ import annotations

from pathlib import Path

from uvmk import vendor as uvmk_vendor
from uvmk.plan.model import Change
from uvmk.vendor import vendor_sources


def vendor_copies(
    root: Path, uv_mk: Path, notes: list[str], changes: list[Change]
) -> dict[str, Path]:
    """The file to copy (destination -> source): uv.mk, unless one is there already."""
    if not uv_mk.is_file():
        notes.append(f"uv.mk not found at {uv_mk}: cannot vendor it (pass --uv-mk)")
        return {}
    copies = {dest: src for dest, src in vendor_sources(uv_mk) if not (root / dest).exists()}
    for dest, src in copies.items():
        changes.append(Change(dest, "create", uvmk_vendor.describe_copy(src)))
    return copies
