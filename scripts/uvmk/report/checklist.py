"""uv-verify's checklist, one line a check: ✓, ✗ or - (could not run here), then the tally."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from uvmk.report.style import Style

if TYPE_CHECKING:
    from uvmk.verify import Check


def verify_checklist(root: Path, results: list[Check], st: Style) -> str:
    lines = [st.bold(f"uv-verify: {root}")]
    width = max(len(c.name) for c in results)
    for c in results:
        mark = "-" if c.skipped else st.green("✓") if c.ok else st.red("✗")
        first, *more = c.reason.splitlines() or [""]
        lines.append(f"  {mark} {c.name.ljust(width)}  {first}")
        lines.extend(f"      {'':{width}}  │ {ln}" for ln in more)
    counted = [c for c in results if not c.skipped]
    bad = sum(1 for c in counted if not c.ok)
    total = len(counted)
    skipped = len(results) - total
    tail = f" ({skipped} skipped)" if skipped else ""
    lines.append("")
    lines.append(
        st.green(f"{total}/{total} checks passed{tail}")
        if not bad
        else st.red(f"{bad} of {total} checks failed{tail}")
    )
    return "\n".join(lines) + "\n"
