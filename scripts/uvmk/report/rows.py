"""The rows every format renders: environment files, drift, venvs, missing components,
Python evidence, the plan's changes and requirement routes; the one-line summary."""

from __future__ import annotations

from uvmk.audit import Audit
from uvmk.plan import MigrationPlan
from uvmk.sources.pip.planner import DependencyPlan
from uvmk.survey.snapshot import Survey
from uvmk.survey.venvs import human_size


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
