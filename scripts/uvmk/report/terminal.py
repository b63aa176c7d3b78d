"""The audit and the migrate preview as terminal tables."""

from __future__ import annotations

from collections.abc import Sequence

from uvmk.audit import Audit
from uvmk.plan import MigrationPlan, Route
from uvmk.report.rows import (
    _change_rows,
    _drift_rows,
    _evidence_rows,
    _file_rows,
    _missing_rows,
    _route_rows,
    _venv_rows,
    summary_line,
)
from uvmk.report.style import Style, table


def audit_table(a: Audit, st: Style) -> str:
    s, plan = a.survey, a.plan
    out: list[str] = [st.bold(f"uv-audit: {s.root}"), ""]

    def section(title: str, lines: list[str]) -> None:
        out.append(st.bold(title))
        out.extend(lines)
        out.append("")

    section(
        "Environment files",
        table(["file", "lines", "purpose", "duplicates"], _file_rows(s, plan.dependencies))
        if _file_rows(s, plan.dependencies)
        else ["  (none)"],
    )
    drift = _drift_rows(plan.dependencies)
    if drift:
        section(
            "Drift: pyproject <-> requirements",
            table(["package", "pyproject", "requirements", "class"], drift, 48),
        )
    section(
        "Virtual environments",
        table(["folder", "size", "python", "status"], _venv_rows(s)) if s.venvs else ["  (none)"],
    )
    section("Missing components", table(["component", "status", "risk"], _missing_rows(s)))
    section(
        "Python version evidence",
        table(["source", "version", "where"], _evidence_rows(s)) if s.evidence else ["  (none)"],
    )
    hits = [[h.where, h.kind, h.text] for h in s.makefile_hits]
    if hits:
        section(
            "Makefile: hard-coded interpreters and pip calls",
            table(["where", "kind", "line"], hits),
        )
    fixes = [f for f in a.findings if f.severity == "fix"]
    section(
        "Findings to fix",
        [
            f"  {st.red('✗')} {f.message}"
            + (f"  ({f.where})" if f.where and f.where not in f.message else "")
            for f in fixes
        ]
        if fixes
        else [f"  {st.green('✓')} none"],
    )
    out.append(st.bold("Plan (make uv-migrate)"))
    out.extend(plan_lines(plan, st))
    out.append("")
    line = summary_line(a)
    out.append(st.green(line) if a.clean else st.yellow(line))
    return "\n".join(out) + "\n"


ROUTE_WIDTH = 44  # the requirement column of the line-by-line table


def _cut_notes(routes: Sequence[Route]) -> list[str]:
    """The table cuts long cells: a note the user must act on (which variable to set, what to
    remove) is printed whole below it, under its file:line."""
    cut = [
        r
        for r in routes
        if max(len(r.requirement), len(r.destination), len(r.status)) > ROUTE_WIDTH
    ]
    if not cut:
        return []
    out = ["", "  In full:"]
    for r in cut:
        if r.destination == "reported":
            out.append(f"    {r.source}  {r.status}: {r.requirement}")
        else:
            out.append(f"    {r.source}  {r.requirement} -> {r.destination}: {r.status}")
    return out


def plan_lines(plan: MigrationPlan, st: Style) -> list[str]:
    if plan.empty:
        return ["  nothing to do"]
    out = table(["action", "path", "why"], _change_rows(plan), 90)
    for c in plan.changes:
        if c.details and c.action in ("modify", "create") and c.path != "uv-mk/":
            out.append(f"  {c.path}:")
            out += [f"    - {d}" for d in c.details]
    if plan.routes:
        out.append("")
        out.append("  Requirements, line by line:")
        out += [
            "  " + ln
            for ln in table(
                ["from", "requirement", "goes to", "status"], _route_rows(plan), ROUTE_WIDTH
            )
        ]
        out += _cut_notes(plan.routes)
    if plan.seed_pins:
        out.append("")
        out.append(
            "  Lock seeds (kept versions): "
            + ", ".join(f"{k}=={v}" for k, v in sorted(plan.seed_pins.items()))
        )
    if plan.python.version:
        out.append(f"  Python: {plan.python.version} ({plan.python.source})")
    for n in plan.notes:
        out.append(f"  {st.yellow('!')} {n}")
    return out


def migrate_table(plan: MigrationPlan, st: Style, applied: bool = False) -> str:
    title = "uv-migrate (APPLY)" if applied else "uv-migrate (preview: nothing is changed)"
    out = [st.bold(f"{title}: {plan.root}"), ""]
    if plan.empty:
        out.append("nothing to do: the repository is already on uv")
        return "\n".join(out) + "\n"
    out += plan_lines(plan, st)
    out.append("")
    if not applied:
        out.append(
            st.yellow(
                f"{len(plan.actions)} change(s) planned; carry them out with "
                "`make uv-migrate APPLY=1` (uvmk_migrate.py migrate --apply)"
            )
        )
    return "\n".join(out) + "\n"
