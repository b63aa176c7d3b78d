"""Render the audit (Survey + MigrationPlan + findings) and the plan: a terminal table
(terminal), JSON (as_json) or a markdown review document (markdown), from the same rows (rows).

Each name is imported from its module when first used: an audit table needs neither the
markdown review nor the applied report, and every engine run pays for what it imports."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from uvmk.report.applied import applied_json, applied_table
    from uvmk.report.as_json import audit_json
    from uvmk.report.checklist import verify_checklist
    from uvmk.report.markdown import audit_markdown
    from uvmk.report.style import Style, dumps, table, use_colour, write
    from uvmk.report.terminal import (
        _cut_notes,
        audit_table,
        finding_line,
        migrate_table,
        plan_lines,
    )

_HOMES = {
    "applied_json": "applied",
    "applied_table": "applied",
    "audit_json": "as_json",
    "audit_markdown": "markdown",
    "verify_checklist": "checklist",
    "Style": "style",
    "dumps": "style",
    "table": "style",
    "use_colour": "style",
    "write": "style",
    "_cut_notes": "terminal",
    "audit_table": "terminal",
    "finding_line": "terminal",
    "migrate_table": "terminal",
    "plan_lines": "terminal",
}

__all__ = [
    "Style",
    "_cut_notes",
    "applied_json",
    "applied_table",
    "audit_json",
    "audit_markdown",
    "audit_table",
    "dumps",
    "finding_line",
    "migrate_table",
    "plan_lines",
    "table",
    "use_colour",
    "verify_checklist",
    "write",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'uvmk.report' has no attribute {name!r}")
    return getattr(importlib.import_module(f"uvmk.report.{home}"), name)
