"""Render the audit (Survey + MigrationPlan) and the plan as a terminal table, JSON or a
markdown review document in the spirit of the K2 review: summary, findings tables, the plan."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from uvmk.audit import Audit
from uvmk.plan import MigrationPlan, Route
from uvmk.requirements.planner import DependencyPlan
from uvmk.survey import Survey, human_size


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") is not None:
        return False
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def _c(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def bold(self, t: str) -> str:
        return self._c("1", t)

    def red(self, t: str) -> str:
        return self._c("31", t)

    def green(self, t: str) -> str:
        return self._c("32", t)

    def yellow(self, t: str) -> str:
        return self._c("33", t)

    def dim(self, t: str) -> str:
        return self._c("2", t)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 70) -> list[str]:
    """A plain aligned table; long cells are cut with an ellipsis so a terminal stays readable."""
    cells = [
        [(c if len(c) <= max_width else c[: max_width - 1] + "…") for c in row] for row in rows
    ]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))

    def fmt(row: Sequence[str]) -> str:
        return "  " + "  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip()

    out = [fmt(headers), "  " + "  ".join("-" * w for w in widths)]
    out += [fmt(r) for r in cells]
    return out


def _venv_rows(s: Survey) -> list[list[str]]:
    rows = []
    for v in s.venvs:
        if v.is_target:
            status = "target (uv's project environment)"
        elif v.is_symlink:
            status = "symlink: kept"
        else:
            status = "legacy" + (", used by " + ", ".join(v.used_by) if v.used_by else ", unused")
        rows.append(
            [v.path + "/", "-" if v.is_symlink else human_size(v.size), v.python or "?", status]
        )
    return rows


def _file_rows(s: Survey, dep: DependencyPlan) -> list[list[str]]:
    rows: list[list[str]] = []
    if s.pyproject_text is not None:
        rows.append(
            [
                "pyproject.toml",
                str(len(s.pyproject_text.splitlines())),
                "primary config (PEP 621)",
                "source of truth",
            ]
        )
    for f in dep.files:
        purpose = f.role + (f" ({f.group})" if f.group else "")
        if f.includes:
            purpose += ", -r " + " ".join(f.includes)
        rows.append([f.path, str(f.lines), purpose, f.duplicates or "-"])
    return rows


def _drift_rows(dep: DependencyPlan) -> list[list[str]]:
    rows = []
    for d in dep.drift:
        if d.kind == "only-pyproject":
            continue
        rows.append(
            [
                d.name,
                f"{d.pyproject or '-'}" + (f" ({d.pyproject_where})" if d.pyproject_where else ""),
                f"{d.requirements or '-'}"
                + (f" ({d.requirements_where})" if d.requirements_where else ""),
                d.kind,
            ]
        )
    return rows


def _missing_rows(s: Survey) -> list[list[str]]:
    return [
        [
            "uv.lock",
            "present" if s.has_lock else "MISSING",
            "-" if s.has_lock else "high: no reproducible builds",
        ],
        [
            ".python-version",
            s.python_version_file or "MISSING",
            "-" if s.python_version_file else "medium: version drift",
        ],
        ["[tool.uv]", "present" if s.has_tool_uv else "absent", "only needed for uv settings"],
        [
            "[dependency-groups]",
            "present" if s.has_dependency_groups else "absent",
            "deprecated [tool.uv] dev-dependencies" if s.has_deprecated_dev_dependencies else "-",
        ],
    ]


def _evidence_rows(s: Survey) -> list[list[str]]:
    return [[e.source, e.version, e.where] for e in sorted(s.evidence, key=lambda e: -e.strength)]


def _change_rows(plan: MigrationPlan) -> list[list[str]]:
    return [[c.action, c.path, c.reason] for c in plan.changes]


def _route_rows(plan: MigrationPlan) -> list[list[str]]:
    return [[r.source, r.requirement, r.destination, r.status] for r in plan.routes]


def summary_line(a: Audit) -> str:
    if a.clean:
        return "clean: nothing to fix"
    return (
        f"{a.fix_count} finding(s) to fix; uv-migrate would change {len(a.plan.actions)} path(s) "
        f"(preview: make uv-migrate; apply: make uv-migrate APPLY=1)"
    )


# ----------------------------------------------------------------------------- table


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


# ----------------------------------------------------------------------------- json


def audit_json(a: Audit) -> dict[str, Any]:
    s, plan = a.survey, a.plan
    return {
        "root": str(s.root),
        "clean": a.clean,
        "summary": summary_line(a),
        "files": [
            {"path": r[0], "lines": int(r[1]), "purpose": r[2], "duplicates": r[3]}
            for r in _file_rows(s, plan.dependencies)
        ],
        "drift": [
            {
                "name": d.name,
                "pyproject": d.pyproject,
                "pyproject_where": d.pyproject_where,
                "requirements": d.requirements,
                "requirements_where": str(d.requirements_where) if d.requirements_where else None,
                "kind": d.kind,
            }
            for d in plan.dependencies.drift
        ],
        "venvs": [v.to_json() for v in s.venvs],
        "missing": {
            "uv.lock": not s.has_lock,
            ".python-version": s.python_version_file is None,
            "tool.uv": not s.has_tool_uv,
            "dependency-groups": not s.has_dependency_groups,
        },
        "python_evidence": [e.to_json() for e in s.evidence],
        "makefile": [h.to_json() for h in s.makefile_hits],
        "findings": [f.to_json() for f in a.findings],
        "plan": plan.to_json(),
    }


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


# ----------------------------------------------------------------------------- markdown


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def esc(c: str) -> str:
        return c.replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return out


def audit_markdown(a: Audit) -> str:
    s, plan = a.survey, a.plan
    name = s.project_name or s.root.name
    out = [
        f"# Python Environment Review: {name}",
        "",
        "**Generated by**: `make uv-audit FORMAT=markdown` (uv.mk)  ",
        f"**Status**: {'Clean' if a.clean else 'Migration needed'}",
        "",
        "## Executive Summary",
        "",
        summary_line(a) + ".",
        "",
    ]
    fixes = [f for f in a.findings if f.severity == "fix"]
    if fixes:
        out += _md_table(
            ["Finding", "Where"], [[f.message, f"`{f.where}`" if f.where else "-"] for f in fixes]
        )
        out.append("")
    out += ["## Current State Assessment", "", "### Environment Files Audit", ""]
    out += _md_table(
        ["File", "Lines", "Purpose", "Issue"],
        [
            [
                f"`{r[0]}`",
                r[1],
                r[2],
                f"**{r[3]}**" if r[3] not in ("-", "source of truth") else r[3],
            ]
            for r in _file_rows(s, plan.dependencies)
        ],
    )
    drift = _drift_rows(plan.dependencies)
    if drift:
        out += ["", "### Drift between pyproject.toml and requirements", ""]
        out += _md_table(
            ["Package", "pyproject.toml", "requirements", "Class"],
            [
                [f"`{r[0]}`", r[1], r[2], f"**{r[3]}**" if r[3] != "consistent" else r[3]]
                for r in drift
            ],
        )
    out += ["", "### Virtual Environment Directories", ""]
    out += (
        _md_table(
            ["Directory", "Size", "Python", "Status"],
            [
                [f"`{r[0]}`", r[1], r[2], r[3] if r[3].startswith("target") else f"**{r[3]}**"]
                for r in _venv_rows(s)
            ],
        )
        if s.venvs
        else ["(none)"]
    )
    out += ["", "### Missing Components", ""]
    out += _md_table(["Component", "Status", "Risk"], _missing_rows(s))
    out += ["", "### Python Version Evidence", ""]
    out += (
        _md_table(
            ["Source", "Version", "Where"], [[r[0], r[1], f"`{r[2]}`"] for r in _evidence_rows(s)]
        )
        if s.evidence
        else ["(none)"]
    )
    if s.makefile_hits:
        out += ["", "### Hard-coded Interpreters and pip Calls", ""]
        out += _md_table(
            ["Where", "Kind", "Line"],
            [[f"`{h.where}`", h.kind, f"`{h.text}`"] for h in s.makefile_hits],
        )
    out += [
        "",
        "## Implementation Plan",
        "",
        "Preview with `make uv-migrate`, carry out with `make uv-migrate APPLY=1`.",
        "",
    ]
    if plan.empty:
        out.append("Nothing to do.")
    else:
        out += _md_table(
            ["Action", "Path", "Why"], [[c.action, f"`{c.path}`", c.reason] for c in plan.changes]
        )
        for c in plan.changes:
            if c.details and c.path != "uv-mk/":
                out += ["", f"**`{c.path}`**", ""] + [f"- {d}" for d in c.details]
        if plan.routes:
            out += ["", "### Requirements, line by line", ""]
            out += _md_table(
                ["From", "Requirement", "Goes to", "Status"],
                [
                    [f"`{r.source}`", f"`{r.requirement}`", r.destination, r.status]
                    for r in plan.routes
                ],
            )
        if plan.seed_pins:
            out += [
                "",
                "The lock is seeded with the versions pinned in the old files: "
                + ", ".join(f"`{k}=={v}`" for k, v in sorted(plan.seed_pins.items()))
                + ".",
            ]
        if plan.python.version:
            out += ["", f"`.python-version`: **{plan.python.version}** ({plan.python.source})."]
        if plan.notes:
            out += ["", "### Notes", ""] + [f"- {n}" for n in plan.notes]
    out += [
        "",
        "## Post-Migration Checklist",
        "",
        "Run `make uv-verify`: it checks each line.",
        "",
        "- [ ] `uv --version` shows installed",
        "- [ ] `.python-version` present and within requires-python",
        "- [ ] `uv.lock` exists, is fresh (`uv lock --check`) and committed",
        "- [ ] No `requirements*.txt`",
        "- [ ] No legacy venv folder (only `.venv/`)",
        "- [ ] `uv sync --locked` works",
        "- [ ] `make install`, `make dev-install`, `make test`, `make lint`, `make format` exist",
        "- [ ] console scripts answer `--help`",
        "",
    ]
    return "\n".join(out)


def write(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text)
