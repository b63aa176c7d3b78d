"""The audit and the migrate preview as terminal tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from uvmk.audit import Audit
from uvmk.diagnostics import Diagnostic
from uvmk.plan import MigrationPlan, Route
from uvmk.refusals import RESOLVE_HINT
from uvmk.report.readers import reader_lines
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


def audit_table(a: Audit, st: Style, verbose: bool = False) -> str:
    """Findings first, one line each at its file:line, then the plan one line a file;
    `verbose` adds the tables the findings come from and the plan's detail."""
    s, plan = a.survey, a.plan
    out: list[str] = [st.bold(f"uv-migrate-audit: {s.root}"), ""]

    def section(title: str, lines: list[str]) -> None:
        out.append(st.bold(title))
        out.extend(lines)
        out.append("")

    if verbose:
        _audit_tables(a, section)
    fixes = [f for f in a.findings if f.severity == "fix"]
    section(
        f"Findings to fix ({len(fixes)})" if fixes else "Findings to fix",
        [f"  {st.red('✗')} {finding_line(f)}" for f in fixes]
        if fixes
        else [f"  {st.green('✓')} none"],
    )
    out.append(st.bold("Plan (make uv-migrate)"))
    out.extend(plan_lines(plan, st, verbose=verbose))
    if not verbose and s.evidence:
        out.append("  Python evidence: " + ", ".join(f"{r[1]} ({r[2]})" for r in _evidence_rows(s)))
    out.append("")
    line = summary_line(a)
    out.append(st.green(line) if a.clean else st.yellow(line))
    if not verbose and not a.clean:
        out.append(st.dim(_MORE))
    return "\n".join(out) + "\n"


_MORE = (
    "(each requirement line and each file's change in detail: VERBOSE=1 / --verbose, "
    "or FORMAT=json|markdown)"
)


def finding_line(f: Diagnostic) -> str:
    """`file:line: message`; a message that starts with or names its place is kept as is."""
    if not f.where or f.where in f.message:
        return f.message
    path = _file_of(f.where)
    if f.message.startswith(path):  # "Makefile: ..." at Makefile:6 -> "Makefile:6: ..."
        return f"{f.where}:{f.message[len(path) :]}"
    return f"{f.where}: {f.message}"


def _file_of(where: str) -> str:
    path, _, line = where.rpartition(":")
    return f"{path}:" if line.isdigit() else f"{where}:"


def _audit_tables(a: Audit, section: Callable[[str, list[str]], None]) -> None:
    s, plan = a.survey, a.plan
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


def plan_lines(plan: MigrationPlan, st: Style, verbose: bool = True) -> list[str]:
    """The plan: one line a file; `verbose` adds each file's detail and every requirement
    line's route."""
    if plan.empty:
        return ["  nothing to do"]
    out = table(["action", "path", "why"], _change_rows(plan), 90)
    if verbose:
        out += _plan_detail(plan)
    else:
        # the side a pin flag picked, and where a file's lines went against its name, are
        # said even without the detail
        out += [
            f"  {st.yellow('!')} {n.where}: {n.message}"
            for n in plan.dependencies.notes
            if n.code in _SAID_ALWAYS
        ]
        out += _weakened_summary(plan, st)
        if plan.seed_pins:
            out.append(f"  Lock seeds: {len(plan.seed_pins)} pinned version(s) from the old files")
    if plan.python.version:
        out.append(f"  Python: {plan.python.version} ({plan.python.source})")
    for n in plan.notes:
        out.append(f"  {st.yellow('!')} {n}")
    return out


_SAID_ALWAYS = frozenset(
    {
        "override-pin",
        "keep-pyproject-pin",
        "folder-runtime",
        "deployment-group",
        "commented-out",
        "freeze-all-added",
        # a pin another file's range excludes: what the image or CI installed changes version
        "seed-skipped",
    }
)


def _weakened_summary(plan: MigrationPlan, st: Style) -> list[str]:
    """An `==` the project wrote that becomes a `>=` bound changes what it asks for: said
    without VERBOSE, in one line (the detail names each)."""
    weakened = [n for n in plan.dependencies.notes if n.code == "weakened"]
    if not weakened:
        return []
    by_file: dict[str, int] = {}
    for n in weakened:
        if n.where:
            by_file[n.where.path] = by_file.get(n.where.path, 0) + 1
    files = ", ".join(f"{path} ({count})" for path, count in by_file.items())
    return [
        f"  {st.yellow('!')} {len(weakened)} exact pin(s) become >= bounds in pyproject "
        f"(uv.lock keeps each version): {files}; VERBOSE=1 names each"
    ]


def _plan_detail(plan: MigrationPlan) -> list[str]:
    out: list[str] = []
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
    return out


def conflict_lines(plan: MigrationPlan, st: Style) -> list[str]:
    """The preview's conflicts: apply refuses while one is unresolved; the flags that pick a
    side."""
    if not plan.conflicts:
        return []
    out = [st.bold(f"Conflicts ({len(plan.conflicts)}): APPLY=1 refuses until a side is picked")]
    out += [f"  {st.red('✗')} {c.where}: {c.message}" for c in plan.conflicts]
    out.append(f"  {RESOLVE_HINT}")
    return [*out, ""]


def python_blocker_lines(plan: MigrationPlan, st: Style) -> list[str]:
    """The preview's Python that uv cannot use here: apply refuses with this line."""
    if not plan.python.blocker:
        return []
    head = st.bold("Python: APPLY=1 refuses until this is resolved")
    return [head, f"  {st.red('✗')} {plan.python.blocker}", ""]


def _knobs(plan: MigrationPlan) -> str:
    """The pin knob the preview was asked with, which apply needs again."""
    if plan.options.override_pins:
        return " OVERRIDE_PINS=1"
    if plan.options.keep_pyproject_pins:
        return " KEEP_PYPROJECT_PINS=1"
    return ""


def _rewrite_knob(plan: MigrationPlan) -> str:
    """REWRITE, which apply needs again to write the readers the preview showed rewritten."""
    asked = sorted(plan.options.rewrite)
    return f" REWRITE={','.join(asked)}" if asked else ""


def migrate_table(
    plan: MigrationPlan, st: Style, applied: bool = False, verbose: bool = False
) -> str:
    title = "uv-migrate (APPLY)" if applied else "uv-migrate (preview: nothing is changed)"
    out = [st.bold(f"{title}: {plan.root}"), ""]
    if not applied and not plan.empty:  # with nothing to do, apply deletes no pin
        out += conflict_lines(plan, st) + python_blocker_lines(plan, st)
    if plan.empty:
        out.append("nothing to do: the repository is already on uv")
        out += reader_lines(plan, st, verbose=verbose)
        return "\n".join(out) + "\n"
    out += plan_lines(plan, st, verbose=verbose)
    out += reader_lines(plan, st, verbose=verbose)
    out.append("")
    if not applied and plan.python.blocker:
        out.append(
            st.yellow(
                f"{len(plan.actions)} change(s) planned; `make uv-migrate APPLY=1` refuses until "
                "the Python problem above is resolved"
            )
        )
    elif not applied and plan.conflicts:
        out.append(
            st.yellow(
                f"{len(plan.actions)} change(s) planned; `make uv-migrate APPLY=1` refuses until "
                "OVERRIDE_PINS=1 or KEEP_PYPROJECT_PINS=1 resolves the conflicts above"
            )
        )
    elif not applied:
        out.append(
            st.yellow(
                f"{len(plan.actions)} change(s) planned; carry them out with "
                f"`make uv-migrate APPLY=1{_knobs(plan)}{_rewrite_knob(plan)}` "
                "(uvmk_migrate.py migrate --apply)"
            )
        )
    if not applied and not verbose:
        out.append(st.dim(_MORE))
    return "\n".join(out) + "\n"
