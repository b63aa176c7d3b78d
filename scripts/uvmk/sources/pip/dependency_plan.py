"""The dependency plan the requirements planner hands over (the contract with uvmk.plan)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from uvmk.diagnostics import Where
from uvmk.sources.pip.compiled import FileKind
from uvmk.sources.pip.grammar import Note
from uvmk.sources.pip.roles import Role

DriftKind = Literal[
    "consistent",
    "pin-outside-range",
    "extras-differ",
    "marker-differs",
    "only-pyproject",
    "only-requirements",
]


@dataclass(frozen=True)
class ReqFile:
    path: str
    role: Role
    group: str | None
    lines: int
    includes: tuple[str, ...]
    duplicates: str | None  # e.g. "14/16 requirements duplicate [project.dependencies]"
    # "compile-input": a requirements.in whose compiled .txt is read too: a source file, never
    # to be regenerated from uv.lock (keep it as it is, or delete it)
    kind: FileKind | Literal["compile-input"] = "hand-written"


@dataclass(frozen=True)
class DriftRow:
    name: str
    pyproject: str | None
    pyproject_where: str | None
    requirements: str | None
    requirements_where: Where | None
    kind: DriftKind


@dataclass(frozen=True)
class Addition:
    # "project.dependencies" | "dependency-groups.<name>" | "tool.uv.constraint-dependencies"
    table: str
    requirement: str  # the name as the user wrote it
    where: Where
    comment: str | None = None  # the line's own comment, carried beside the entry


@dataclass(frozen=True)
class SpecifierRewrite:
    """override_pins only: replace pyproject's `old` requirement string with `new` in `table`."""

    table: str
    old: str
    new: str
    where: Where


@dataclass
class DependencyPlan:
    files: list[ReqFile] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    indexes: list[dict[str, Any]] = field(default_factory=list)
    tool_uv: dict[str, Any] = field(default_factory=dict)
    drift: list[DriftRow] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    # what uv-migrate cannot carry out, each at its file:line (the audit lists them, migrate
    # refuses with all of them at once)
    refusals: list[Note] = field(default_factory=list)
    # requirements pins outside pyproject's range, unresolved: apply refuses until
    # --override-pins (the requirements side) or --keep-pyproject-pins (pyproject's side)
    conflicts: list[Note] = field(default_factory=list)
    seed_pins: dict[str, str] = field(default_factory=dict)
    rewrites: list[SpecifierRewrite] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # dependency groups to create, maybe empty
    group_includes: dict[str, list[str]] = field(default_factory=dict)  # {include-group = ...}
    static_dependencies: bool = False  # dynamic = ["dependencies"] (setuptools) becomes static
    # dynamic = ["optional-dependencies"] read from files: the static lists, by extra
    static_optional: dict[str, list[str]] = field(default_factory=dict)
    # file -> the extras setuptools read it for: their one home (no group repeats the lines)
    extra_files: dict[str, list[str]] = field(default_factory=dict)
    # [tool.setuptools.dynamic] entries of fields not in project.dynamic (setuptools ignores
    # them) that read a requirements file the migration replaces: dropped, not left dangling
    stale_dynamic: list[str] = field(default_factory=list)
    dev_dependencies_to_group: bool = False  # [tool.uv] dev-dependencies -> [dependency-groups] dev

    def refusal_lines(self) -> list[str]:
        """Each refusal as one line, ending with its file:line when the message lacks it."""
        return [_with_where(n) for n in self.refusals]

    @property
    def changes_pyproject(self) -> bool:
        return bool(
            self.additions
            or self.groups
            or self.group_includes
            or self.sources
            or self.indexes
            or self.tool_uv
            or self.rewrites
            or self.static_dependencies
            or self.static_optional
            or self.stale_dynamic
            or self.dev_dependencies_to_group
        )

    def to_json(self) -> dict[str, Any]:
        def where(w: Where | None) -> str | None:
            return str(w) if w is not None else None

        return {
            "files": [asdict(f) | {"includes": list(f.includes)} for f in self.files],
            "additions": [asdict(a) | {"where": where(a.where)} for a in self.additions],
            "sources": self.sources,
            "indexes": self.indexes,
            "tool_uv": self.tool_uv,
            "drift": [
                asdict(d) | {"requirements_where": where(d.requirements_where)} for d in self.drift
            ],
            "notes": [asdict(n) | {"where": where(n.where)} for n in self.notes],
            "refusals": [asdict(n) | {"where": where(n.where)} for n in self.refusals],
            "conflicts": [asdict(n) | {"where": where(n.where)} for n in self.conflicts],
            "seed_pins": self.seed_pins,
            "rewrites": [asdict(r) | {"where": where(r.where)} for r in self.rewrites],
            "groups": self.groups,
            "group_includes": self.group_includes,
            "static_dependencies": self.static_dependencies,
            "static_optional": self.static_optional,
            "stale_dynamic": self.stale_dynamic,
            "dev_dependencies_to_group": self.dev_dependencies_to_group,
        }


def _with_where(note: Note) -> str:
    if note.where is None or str(note.where) in note.message:
        return note.message
    return f"{note.message} ({note.where})"
