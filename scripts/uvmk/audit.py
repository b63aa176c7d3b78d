"""The audit's verdict: the findings to fix (and the ones only worth knowing) about a surveyed
repository and its dependency plan, and the Audit the reports render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from uvmk import elsewhere
from uvmk.diagnostics import Diagnostic
from uvmk.plan import MigrationPlan
from uvmk.sources.pip.planner import DependencyPlan, DriftRow
from uvmk.survey import readers as uvmk_references
from uvmk.survey.python_versions import allows, first_line, major_minor, uv_reads_python_request
from uvmk.survey.snapshot import Survey
from uvmk.survey.tree import Tree
from uvmk.survey.venvs import human_size


def finding(
    code: str, severity: Literal["fix", "info"], message: str, where: str | None = None
) -> Diagnostic:
    """An audit's finding: `fix`, what uv-migrate changes; `info`, what it only says."""
    return Diagnostic(severity, code, message, where)


@dataclass(frozen=True)
class Audit:
    survey: Survey
    plan: MigrationPlan
    findings: list[Diagnostic]

    @property
    def fix_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "fix")

    @property
    def clean(self) -> bool:
        return self.fix_count == 0 and self.plan.empty


def audit(s: Survey, plan: MigrationPlan) -> Audit:
    return Audit(s, plan, findings(s, plan.dependencies, plan.unmigrated))


def findings(
    s: Survey, dep: DependencyPlan, unmigrated: list[elsewhere.Unmigrated] | None = None
) -> list[Diagnostic]:
    """Every finding, in the order the reports list them (`unmigrated`: what the plan found
    uv-migrate does not reach, when it is at hand)."""
    out: list[Diagnostic] = []
    out += _blocking_findings(dep)
    if s.pyproject_text is None:
        out.append(finding("no-pyproject", "fix", "pyproject.toml is missing"))
    if s.poetry is not None:
        out.append(
            finding(
                "poetry",
                "fix",
                "[tool.poetry] says what installs, and uv reads [project], [dependency-groups] "
                "and [tool.uv]: uv-migrate converts it (poetry.lock's versions seed uv.lock)",
                f"pyproject.toml:{s.poetry.line}",
            )
        )
    if s.pipenv is not None:
        out.append(
            finding(
                "pipenv",
                "fix",
                "Pipfile says what installs (Pipenv), and uv reads [project], [dependency-groups] "
                "and [tool.uv]: uv-migrate converts it (Pipfile.lock's versions seed uv.lock, "
                "[scripts] become make targets)",
                "Pipfile:1",
            )
        )
    out += _requirements_findings(dep, s.tree)
    if unmigrated is None:
        unmigrated = elsewhere.of_survey(s, dep)
    for u in unmigrated:  # dependencies uv-migrate does not reach yet
        severity: Literal["fix", "info"] = "fix" if u.blocks_apply else "info"
        out.append(finding("not-migrated", severity, u.why, f"{u.path}:1"))
    out += _venv_findings(s)
    if not s.has_lock:
        out.append(finding("no-lock", "fix", "uv.lock is missing: no reproducible builds"))
    out += _python_version_findings(s)
    out += _pyproject_findings(s)
    out += _makefile_findings(s)
    for note in dep.notes:
        out.append(
            finding(
                f"req-{note.code}", "info", note.message, str(note.where) if note.where else None
            )
        )
    return out


def _blocking_findings(dep: DependencyPlan) -> list[Diagnostic]:
    """What uv-migrate would refuse, and the pins apply refuses until a side is picked."""
    out = [
        finding("refused", "fix", f"{r.message} (uv-migrate refuses this)", _where(r.where))
        for r in dep.refusals
    ]
    out += [
        finding(
            "conflict",
            "fix",
            f"{c.message}: uv-migrate APPLY=1 refuses until OVERRIDE_PINS=1 or "
            f"KEEP_PYPROJECT_PINS=1 picks a side",
            _where(c.where),
        )
        for c in dep.conflicts
    ]
    return out


def _where(where: object | None) -> str | None:
    return str(where) if where is not None else None


def _requirements_findings(dep: DependencyPlan, tree: Tree) -> list[Diagnostic]:
    """Each requirements file (one Python code opens is kept as written: said, not to fix),
    and each drift between it and pyproject (a conflict is said once, by _blocking_findings)."""
    out: list[Diagnostic] = []
    conflicts = {str(c.where) for c in dep.conflicts}
    found = uvmk_references.scan(tree) if dep.files else None
    for f in dep.files:
        dup = f" ({f.duplicates})" if f.duplicates else ""
        message = f"{f.path}: {f.lines} lines, role {f.role}{dup}"
        code = uvmk_references.code_readers(found, f.path) if found else []
        if code:
            message += f"; kept as written: read by {', '.join(map(str, code))}"
        out.append(finding("requirements-file", "info" if code else "fix", message, f.path))
    out += _only_in_requirements(dep)
    for row in dep.drift:
        if row.kind in ("consistent", "only-pyproject", "only-requirements"):
            continue
        if str(row.requirements_where) in conflicts:
            continue
        where = str(row.requirements_where) if row.requirements_where else row.pyproject_where
        message = (
            f"{row.requirements or row.name} vs pyproject's {row.pyproject or '-'} ({row.kind})"
        )
        out.append(finding(f"drift-{row.kind}", "fix", message, where))
    return out


_NAMED = 5  # requirements named in one finding; the JSON and --verbose have every one


def _only_in_requirements(dep: DependencyPlan) -> list[Diagnostic]:
    """One finding a file for what pyproject lacks: a repo without pyproject has them all."""
    by_file: dict[str, list[DriftRow]] = {}
    for row in dep.drift:
        if row.kind == "only-requirements" and row.requirements_where is not None:
            by_file.setdefault(row.requirements_where.path, []).append(row)
    out = []
    for rows in by_file.values():
        names = ", ".join(r.requirements or r.name for r in rows[:_NAMED])
        more = f" and {len(rows) - _NAMED} more" if len(rows) > _NAMED else ""
        out.append(
            finding(
                "drift-only-requirements",
                "fix",
                f"not in pyproject.toml ({len(rows)}, uv-migrate adds them): {names}{more}",
                str(rows[0].requirements_where),
            )
        )
    return out


def _venv_findings(s: Survey) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for v in s.venvs:
        if v.is_target:
            continue
        use = f", used by {', '.join(v.used_by)}" if v.used_by else ", unused"
        kind = (
            "symlink to a venv: uv-migrate leaves it to you"
            if v.is_symlink
            else f"{human_size(v.size)}"
        )
        out.append(finding("stray-venv", "fix", f"{v.path}/: legacy venv ({kind}{use})", v.path))
    return out


def _python_version_findings(s: Survey) -> list[Diagnostic]:
    """.python-version missing, unreadable by uv, or outside requires-python."""
    out: list[Diagnostic] = []
    if s.python_version_file is None:
        out.append(finding("no-python-version", "fix", ".python-version is missing"))
    elif not uv_reads_python_request(first_line(s.python_version_file)):
        out.append(
            finding(
                "python-version-unreadable",
                "fix",
                f".python-version {first_line(s.python_version_file)!r} is not a Python version "
                f"uv understands: uv ignores it",
                ".python-version:1",
            )
        )
    elif (
        s.requires_python
        and (xy := major_minor(s.python_version_file))
        and not allows(s.requires_python, xy)
    ):
        out.append(
            finding(
                "python-version-outside",
                "fix",
                f".python-version {s.python_version_file} is outside requires-python "
                f"{s.requires_python}",
                ".python-version:1",
            )
        )
    return out


def _pyproject_findings(s: Survey) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if s.has_deprecated_dev_dependencies:
        out.append(
            finding(
                "deprecated-dev-dependencies",
                "fix",
                "[tool.uv] dev-dependencies is deprecated: use [dependency-groups] dev",
            )
        )
    if not s.has_tool_uv:
        out.append(
            finding("no-tool-uv", "info", "no [tool.uv] table (only needed for uv settings)")
        )
    if not s.has_dependency_groups:
        out.append(finding("no-dependency-groups", "info", "no [dependency-groups] table"))
    return out


def _makefile_findings(s: Survey) -> list[Diagnostic]:
    """One finding a kind of Makefile hit (interpreter, pip, venv), naming its lines."""
    out: list[Diagnostic] = []
    for kind, what in (
        ("interpreter", "hard-coded interpreter"),
        ("pip", "pip call"),
        ("venv", "venv path or venv creation"),
    ):
        hits = [h for h in s.makefile_hits if h.kind == kind]
        if hits:
            lines = ", ".join(h.where.rsplit(":", 1)[1] for h in hits)
            out.append(
                finding(
                    f"makefile-{kind}",
                    "fix",
                    f"{len(hits)} line(s) with a {what} (lines {lines})",
                    hits[0].where,
                )
            )
    return out
