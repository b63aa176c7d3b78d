"""The requirements files against pyproject (uvmk.sources.pip plans it), and the route of
each requirement line shown in the preview."""

from __future__ import annotations

import copy

from uvmk.plan.model import Route
from uvmk.sources.pip import planner as req
from uvmk.sources.pip import roles as req_roles
from uvmk.survey.snapshot import Survey
from uvmk.survey.tree import Tree


def plan_dependencies(
    s: Survey, override_pins: bool = False, keep_pyproject_pins: bool = False
) -> req.DependencyPlan:
    """The requirements files against pyproject (what cannot move in `refusals`, the survey's
    own first), with what the survey left aside said at its file:line."""
    if s.read_pins != (override_pins, keep_pyproject_pins):
        raise ValueError("the survey read the requirements with other pin options")
    dep: req.DependencyPlan = copy.deepcopy(s.contributions["pip"].detail)
    for refused in reversed(s.refused):
        where, message = req.where_of(refused)
        dep.refusals.insert(0, req.Note("refused", message, where))
    if not s.named_roles:
        dep.notes += referenced_notes(s.tree)
    if s.setup_py is not None:
        from uvmk.sources.setuptools import legacy  # the evaluator only with a setup.py

        runtime = [f.path for f in dep.files if f.role == "runtime"]
        dep.notes.extend(legacy.notes(s.setup_py, runtime))
    for path in s.ignored_requirement_files:
        rel = path.relative_to(s.root).as_posix()
        dep.notes.append(
            req.Note(
                "git-ignored",
                f"{rel} is ignored by git (a developer's own file?): left alone, neither "
                f"migrated into the shared pyproject.toml nor deleted",
                req.Where(rel, 1),
            )
        )
    for where in s.release_lines:
        line = where_text(s.tree, where)
        dep.notes.append(
            req.Note(
                "installs-release",
                f"{where.path} installs the released `{line}`, not this checkout (a deployment "
                "installing the project from an index): kept as written, neither migrated nor "
                "regenerated from uv.lock (which holds no release of the project)",
                where,
            )
        )
    return dep


def where_text(tree: Tree, where: req.Where) -> str:
    lines = tree.lines(where.path)
    return lines[where.line - 1].split(" #")[0].strip() if where.line <= len(lines) else ""


# notes that only repeat an addition's row; any other note at an added line is shown too
_SAID_BY_ADDITION = frozenset({"added", "constraint-added", "weakened"})


def referenced_notes(tree: Tree) -> list[req.Note]:
    """What discovery by reference found: a file named like no requirements file that something
    installs is migrated (said with its reader); one of a subproject is left, and said."""
    own, others = req_roles.referenced_files(tree)
    notes = []
    for rel, reader in own:
        if not req_roles.is_conventional_name(rel):
            notes.append(
                req.Note(
                    "found-by-reference",
                    f"{rel} is installed by {reader} (`{reader.text}`): migrated like the "
                    f"requirements files",
                    req.Where(rel, 1),
                )
            )
    for rel, reader in others:
        notes.append(
            req.Note(
                "subproject-requirements",
                f"{rel} is installed by {reader} but belongs to a project of its own below the "
                "root (its own pyproject.toml or setup.py, or requirements beside its own code, "
                "or a Docker image's): not migrated here",
                req.Where(rel, 1),
            )
        )
    return notes


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
