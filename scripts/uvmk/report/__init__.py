"""Render the audit (Survey + MigrationPlan + findings) and the plan: a terminal table
(terminal), JSON (as_json) or a markdown review document (markdown), from the same rows (rows)."""

from uvmk.report.applied import applied_json, applied_table
from uvmk.report.as_json import audit_json
from uvmk.report.checklist import render as verify_checklist
from uvmk.report.markdown import audit_markdown
from uvmk.report.style import Style, dumps, table, use_colour, write
from uvmk.report.terminal import (
    _cut_notes,
    audit_table,
    finding_line,
    migrate_table,
    plan_lines,
)

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
