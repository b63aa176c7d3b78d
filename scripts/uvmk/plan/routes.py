"""The route of each requirement line shown in the preview: where it went, or why not."""

from __future__ import annotations

from uvmk.plan.model import Route
from uvmk.sources.pip import planner as req

# notes that only repeat an addition's row; any other note at an added line is shown too
_SAID_BY_ADDITION = frozenset({"added", "constraint-added", "weakened"})


def routes_of(dep: req.DependencyPlan) -> list[Route]:
    rows: list[Route] = []
    added_at = set()
    weakened_at = {str(n.where) for n in dep.notes if n.code == "weakened"}
    for a in dep.additions:
        status = "weakened" if str(a.where) in weakened_at else "added"
        rows.append(Route(a.requirement, str(a.where), a.table, status))
        added_at.add(str(a.where))
    for d in dep.drift:
        if d.requirements_where is None or str(d.requirements_where) in added_at:
            continue
        status = {
            "consistent": "already in pyproject (kept)",
            "pin-outside-range": "DRIFT: pin outside pyproject's range, not written",
            "extras-differ": "extras differ: reported, not written",
            "marker-differs": "marker differs: reported",
            "only-requirements": "only in requirements",
            "only-pyproject": "only in pyproject",
        }.get(d.kind, d.kind)
        dest = f"pyproject keeps {d.pyproject}" if d.pyproject else "not written"
        rows.append(Route(d.requirements or d.name, str(d.requirements_where), dest, status))
    drift_at = {(str(d.requirements_where), d.kind) for d in dep.drift}
    for n in dep.notes:
        if n.where is None or (str(n.where), n.code) in drift_at:
            continue
        if n.code in _SAID_BY_ADDITION and str(n.where) in added_at:
            continue  # "X added to [table]": the addition's own row says it
        rows.append(Route(n.message, str(n.where), "reported", n.code))
    rows.sort(key=lambda r: _where_key(r.source))
    return rows


def _where_key(where: str) -> tuple[str, int]:
    path, _, line = where.rpartition(":")
    return (path, int(line)) if line.isdigit() else (where, 0)
