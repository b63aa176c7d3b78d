"""The audit as JSON (the plan's own JSON is MigrationPlan.to_json)."""

from __future__ import annotations

from typing import Any

from uvmk.audit import Audit
from uvmk.report.rows import _file_rows, summary_line


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
