"""Requirements files -> a dependency plan against pyproject.toml (pure: reads, never writes).

parse -> plan -> apply, one idea a module (all under uvmk.requirements):
  grammar     one file, pip's grammar (via pip-requirements-parser) -> records
  roles       which files, what each is for, which line goes to which table
  compiled    pip-compile output and pip freeze dumps: direct vs transitive pins
  sources     path / git / URL requirements -> [tool.uv.sources]
  options     pip options -> [tool.uv] settings and [[tool.uv.index]]
  pyproject   what pyproject already declares (self-referencing extras expanded)
  specifiers  version arithmetic (pins, overlap, merging)
  planner     the contract types and the planner (this module)
  toml_edit   writing the plan with tomlkit (re-exported here)
The rule for every kind of line is shared/facts/requirements-syntax.md: each line is migrated,
reported as a Note naming file:line, or refused with a RequirementsError naming file:line.
pyproject is the source of truth: what it declares is never added again, and its specifiers
are only rewritten when the caller passes override_pins.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from uvmk.requirements.compiled import (
    FREEZE_MIN_PINS,
    FileKind,
    has_via,
    is_pkg_resources_artefact,
    kind_evidence,
    pin_file_kind,
    via_direct_lines,
)
from uvmk.requirements.grammar import (
    Note,
    OptionLine,
    ParsedFile,
    ReqLine,
    RequirementsError,
    Where,
    env_vars_in,
    parse_requirements_file,
    redact,
    relative_posix,
    toml_text,
)
from uvmk.requirements.options import map_pip_options
from uvmk.requirements.pyproject import Declared, PyprojectView, pyproject_line, read_pyproject
from uvmk.requirements.roles import (
    CONSTRAINTS_TABLE,
    RUNTIME_TABLE,
    Role,
    assign_roles,
    discover_requirement_files,
    file_role,
    walk_roles,
)
from uvmk.requirements.sources import (
    Located,
    absolute_path_of,
    git_source,
    is_local,
    local_path,
    package_name_at,
    path_source,
    url_source,
)
from uvmk.requirements.specifiers import (
    exact_pin,
    merge_specifiers,
    specifier_within,
    specifiers_compatible,
)
from uvmk.requirements.toml_edit import apply_dependency_plan

__all__ = [
    "FREEZE_MIN_PINS",
    "Addition",
    "DependencyPlan",
    "DriftRow",
    "Note",
    "ReqFile",
    "RequirementsError",
    "SpecifierRewrite",
    "Where",
    "apply_dependency_plan",
    "discover_requirement_files",
    "file_role",
    "merge_specifiers",
    "plan_dependencies",
    "specifiers_compatible",
]

DriftKind = Literal[
    "consistent",
    "pin-outside-range",
    "extras-differ",
    "marker-differs",
    "only-pyproject",
    "only-requirements",
]


# --- the contract (notes/interface.md) ------------------------------------------------------


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
    seed_pins: dict[str, str] = field(default_factory=dict)
    rewrites: list[SpecifierRewrite] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # dependency groups to create, maybe empty
    group_includes: dict[str, list[str]] = field(default_factory=dict)  # {include-group = ...}
    static_dependencies: bool = False  # dynamic = ["dependencies"] (setuptools) becomes static
    # dynamic = ["optional-dependencies"] read from files: the static lists, by extra
    static_optional: dict[str, list[str]] = field(default_factory=dict)
    dev_dependencies_to_group: bool = False  # [tool.uv] dev-dependencies -> [dependency-groups] dev

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
            "seed_pins": self.seed_pins,
            "rewrites": [asdict(r) | {"where": where(r.where)} for r in self.rewrites],
            "groups": self.groups,
            "group_includes": self.group_includes,
            "static_dependencies": self.static_dependencies,
            "static_optional": self.static_optional,
            "dev_dependencies_to_group": self.dev_dependencies_to_group,
        }


# --- planning ----------------------------------------------------------------------------------


def plan_dependencies(
    root: Path,
    pyproject_text: str | None,
    files: list[Path] | None = None,
    *,
    override_pins: bool = False,
) -> DependencyPlan:
    """Read the requirements files (discovered when `files` is None) and plan what pyproject
    needs. Raises RequirementsError (one line naming file:line) on anything it cannot migrate."""
    view = read_pyproject(pyproject_text)
    planner = _Planner(root, view, override_pins)
    found = files if files is not None else discover_requirement_files(root)
    starts = [_given_path(root, path) for path in found]
    return planner.run(starts)


@dataclass(frozen=True)
class _Wanted:
    """One requirement line, understood, headed for one table."""

    line: ReqLine
    table: str
    name: str
    key: str
    extras: tuple[str, ...]
    specifier: str
    marker: str | None
    source: dict[str, Any] | None = None
    compiled: bool = False  # a direct pin from pip-compile/freeze output, not a user's choice

    @property
    def text(self) -> str:
        return requirement_text(self.name, self.extras, self.specifier, self.marker)

    @property
    def added_text(self) -> str:
        """What goes into pyproject: a compiled `==X` pin becomes `>=X` (uv add's own style);
        the exact version still reaches uv.lock through seed_pins."""
        version = exact_pin(self.specifier) if self.compiled else None
        specifier = f">={version}" if version else self.specifier
        return requirement_text(self.name, self.extras, specifier, self.marker)


def requirement_text(name: str, extras: Iterable[str], specifier: str, marker: str | None) -> str:
    """PEP 508 text with the name and extras as written. Marker strings take single quotes, as
    uv writes them, so TOML needs no escaping."""
    extras_text = ",".join(extras)
    if marker and "'" not in marker:
        marker = marker.replace('"', "'")
    return (
        name
        + (f"[{extras_text}]" if extras_text else "")
        + specifier
        + (f"; {marker}" if marker else "")
    )


class _Planner:
    def __init__(self, root: Path, view: PyprojectView, override_pins: bool) -> None:
        self.root = root
        self.view = view
        self.override_pins = override_pins
        self.plan = DependencyPlan()
        self.parsed: dict[str, ParsedFile] = {}
        self.roles: dict[str, tuple[Role, str | None]] = {}
        # Without [project] name (no pyproject yet, setup.py/setup.cfg projects) the project's
        # own name still tells its lines apart (`-e .`, or a frozen `pollsite==1.4.2`).
        name = view.project_name or package_name_at(root)
        self.project_name = name
        self.project_key = canonicalize_name(name) if name else None
        self.self_extras: dict[str, tuple[list[str], Where]] = {}  # group -> extras, first line
        self.compiled_files: set[str] = set()
        self.lock_only: frozenset[str] = frozenset()  # compiled .txt -> its .in

    def note(self, code: str, message: str, where: Where | None = None) -> None:
        self.plan.notes.append(Note(code, message, where))

    # -- orchestration --

    def run(self, starts: list[Path]) -> DependencyPlan:
        dynamic_files = self._dynamic_dependency_files()
        self._load([*starts, *dynamic_files])
        start_rels = [relative_posix(self.root, p) for p in [*starts, *dynamic_files]]
        forced = {relative_posix(self.root, p) for p in dynamic_files}
        kinds = {rel: pin_file_kind(self.parsed[rel]) for rel in self.parsed}
        self.compiled_files = {rel for rel, kind in kinds.items() if kind != "hand-written"}
        self.lock_only = self._compiled_from_in(kinds)
        self.roles = assign_roles(self.root, self.parsed, start_rels, forced, self.lock_only)
        walked = walk_roles(self.root, self.parsed, self.roles, self.lock_only)
        visits = walked.lines
        self.plan.notes.extend(walked.notes)
        self._note_includes()
        self._plan_group_includes(walked.group_includes)
        self._note_hashes()
        direct, transitive = self._split_transitive(visits, kinds)
        wanted = [w for w in (self._understand(line, table) for line, table in direct) if w]
        self._check_conflicts(wanted)
        merged = self._merge_duplicates(wanted)
        self._compare_with_pyproject(merged)
        self._only_pyproject(wanted, transitive)
        self._seed_pins(wanted, transitive)
        self._map_options()
        self._describe_files(kinds)
        self._dev_dependencies()
        self._groups_to_create()
        self.plan.notes.sort(key=_note_order)  # stable: file order, notes about pyproject first
        return self.plan

    # -- loading the -r/-c graph --

    def _load(self, starts: list[Path]) -> None:
        pending = [p for p in starts]
        while pending:
            path = pending.pop(0)
            rel = relative_posix(self.root, path)
            if rel in self.parsed:
                continue
            if not path.is_file():
                raise RequirementsError(f"requirements file {rel} does not exist")
            parsed = parse_requirements_file(self.root, path)
            self.parsed[rel] = parsed
            for include in parsed.includes:
                if not include.resolved.is_file():
                    what = "-r" if include.kind == "requirement" else "-c"
                    raise RequirementsError(
                        f"{what} {include.target}: file not found ({include.where})"
                    )
                pending.append(include.resolved)

    def _compiled_from_in(self, kinds: dict[str, FileKind]) -> frozenset[str]:
        """pip-compile output whose requirements.in is read too: the .in lists the direct
        dependencies as the user wrote them (click>=8.1), the .txt only seeds uv.lock."""
        found = set()
        for rel, kind in kinds.items():
            source = rel.removesuffix(".txt") + ".in"
            if kind == "compiled" and rel.endswith(".txt") and source in self.parsed:
                found.add(rel)
        return frozenset(found)

    def _note_includes(self) -> None:
        """Every -r/-c line is accounted for at its own file:line, also when the walk said
        nothing there (a runtime file -r'ing another, a -c already followed from elsewhere)."""
        said = {n.where for n in self.plan.notes if n.where is not None}
        for parsed in self.parsed.values():
            for include in parsed.includes:
                if include.where in said:
                    continue
                target = relative_posix(self.root, include.resolved)
                if include.kind == "constraint":
                    self.note(
                        "include-constraints",
                        f"-c {include.target}: the pins of {target} become [tool.uv] "
                        f"constraint-dependencies (limit versions, install nothing)",
                        include.where,
                    )
                else:
                    self.note(
                        "include-requirements",
                        f"-r {include.target}: {target} is read too; each of its lines is "
                        f"listed at its own file:line",
                        include.where,
                    )

    def _note_hashes(self) -> None:
        """Once per file, at its first hashed line: direct and transitive lines alike."""
        for rel, parsed in self.parsed.items():
            hashed = [r for r in parsed.requirements if r.hashes]
            if hashed:
                self.note(
                    "hashes-dropped",
                    f"--hash options in {rel} ({len(hashed)} requirements) dropped: "
                    f"uv.lock records its own hashes",
                    hashed[0].where,
                )

    def _note_once(self, code: str, message: str, where: Where | None) -> None:
        if not any(n.code == code and n.message == message for n in self.plan.notes):
            self.note(code, message, where)

    # -- compiled / frozen files --

    def _split_transitive(
        self, visits: list[tuple[ReqLine, str]], kinds: dict[str, FileKind]
    ) -> tuple[list[tuple[ReqLine, str]], list[tuple[ReqLine, str]]]:
        """Lines of compiled/frozen files that are not direct dependencies only seed the lock.
        Direct = annotated `# via -r ...` (pip-compile), or already declared in pyproject; when
        a frozen file has neither and pyproject declares nothing for its table, all its pins are
        kept as direct dependencies (and we say so), because dropping them would break installs."""
        direct: list[tuple[ReqLine, str]] = []
        transitive: list[tuple[ReqLine, str]] = []
        by_file: dict[str, list[tuple[ReqLine, str]]] = {}
        for line, table in visits:
            if table == CONSTRAINTS_TABLE:
                direct.append((line, table))  # a constraint pin is a constraint, frozen or not
            else:
                by_file.setdefault(line.where.path, []).append((line, table))
        for rel, items in by_file.items():
            kind = kinds[rel]
            if kind == "hand-written":
                direct.extend(items)
                continue
            parsed = self.parsed[rel]
            if rel in self.lock_only:
                self._seed_only(rel, items, direct, transitive)
                continue
            via_direct = via_direct_lines(parsed)
            annotated = has_via(parsed)
            keep_all = not annotated and not any(self._declared_for(t) for _, t in items)
            kept: list[tuple[ReqLine, str]] = []
            seeded: list[tuple[ReqLine, str]] = []
            for line, table in items:
                if is_pkg_resources_artefact(line):
                    self.note(
                        "pkg-resources-dropped",
                        "pkg-resources==0.0.0 is an artefact of Debian/Ubuntu pip freeze: dropped",
                        line.where,
                    )
                    continue
                is_direct = (
                    keep_all
                    or not line.name
                    or bool(line.link)
                    or line.where.line in via_direct
                    or bool(self.view.lookup(canonicalize_name(line.name)))
                    or self._is_self(line)
                )
                (kept if is_direct else seeded).append((line, table))
            direct.extend(kept)
            transitive.extend(seeded)
            what = "pip-compile output" if kind == "compiled" else "a pip freeze dump"
            first = Where(rel, 1)
            self.note(
                f"{kind}-file",
                f"{rel} is read as {what} ({kind_evidence(parsed, kind)}): its exact pins seed "
                f"uv.lock; only direct requirements go to pyproject",
                first,
            )
            if keep_all:
                self.note(
                    "freeze-all-added",
                    f"{rel} looks like {what} and pyproject declares nothing to tell direct "
                    f"from transitive: all {len(kept)} pins are added as direct dependencies "
                    f"(as >= bounds; uv.lock keeps the exact versions): remove the transitive ones",
                    first,
                )
            elif seeded:
                names = ", ".join(line.name or "?" for line, _ in seeded[:8])
                more = f" and {len(seeded) - 8} more" if len(seeded) > 8 else ""
                basis = "`# via` annotations" if annotated else "what pyproject declares"
                self.note(
                    "transitive-pins-seeded",
                    f"{rel} is {what}: {len(seeded)} transitive pins ({names}{more}) seed uv.lock "
                    f"instead of becoming dependencies (direct ones told by {basis})",
                    first,
                )
        return direct, transitive

    def _seed_only(
        self,
        rel: str,
        items: list[tuple[ReqLine, str]],
        direct: list[tuple[ReqLine, str]],
        transitive: list[tuple[ReqLine, str]],
    ) -> None:
        """Every pin of a .txt compiled from a .in seeds uv.lock; its direct dependencies come
        from the .in, with the ranges written there. A path/URL line has no pin: kept direct."""
        seeded = [(line, table) for line, table in items if line.name and not line.link]
        direct.extend((line, table) for line, table in items if not line.name or line.link)
        transitive.extend(seeded)
        source = rel.removesuffix(".txt") + ".in"
        names = ", ".join(line.name or "?" for line, _ in seeded[:8])
        more = f" and {len(seeded) - 8} more" if len(seeded) > 8 else ""
        self.note(
            "transitive-pins-seeded",
            f"{rel} is pip-compile output of {source}: its {len(seeded)} pins ({names}{more}) "
            f"seed uv.lock; the direct dependencies are read from {source}, as written there",
            Where(rel, 1),
        )

    def _declared_for(self, table: str) -> bool:
        """Does pyproject already declare dependencies for this table's purpose? (If not, a
        frozen file is the only record of what the project needs.)"""
        if table == CONSTRAINTS_TABLE:
            return bool(self.view.constraints)
        if table == RUNTIME_TABLE:
            return any(d.table == RUNTIME_TABLE for d in self.view.declared)
        group = table.split(".", 1)[1]
        places = {table, f"project.optional-dependencies.{group}"}
        if group == "dev":
            places.add("tool.uv.dev-dependencies")
        return any(d.table in places for d in self.view.declared)

    # -- one line -> what it wants --

    def _is_self(self, line: ReqLine) -> bool:
        if line.name and self.project_key and canonicalize_name(line.name) == self.project_key:
            return True
        path = local_path(self.root, line)
        return path is not None and path.resolve() == self.root.resolve()

    def _understand(self, line: ReqLine, table: str) -> _Wanted | None:
        self._common_line_notes(line)
        if line.where.path in self.compiled_files and absolute_path_of(line):
            self._frozen_local_install(line)
            return None
        if self._is_self(line):
            self._project_itself(line, table)
            return None
        if line.link is None:
            return self._named(line, table)
        if is_local(line.link):
            return self._sourced(line, table, path_source(self.root, line))
        scheme = line.link.split(":", 1)[0].lower()
        if scheme.startswith("git+"):
            return self._sourced(line, table, git_source(line))
        if "+" in scheme:
            raise RequirementsError(
                f"{scheme.split('+')[0]} requirements are not supported by uv (git only): "
                f"`{redact(line.text)}` ({line.where})"
            )
        return self._sourced(line, table, url_source(line))

    def _common_line_notes(self, line: ReqLine) -> None:
        if line.build_options:
            self.note(
                "build-option",
                f"--global-option/--install-option {' '.join(line.build_options)} have no uv "
                f"equivalent: not migrated",
                line.where,
            )
        if line.ignored_options:
            self.note(
                "ignored-option",
                f"{', '.join(line.ignored_options)} on a requirement line is ignored by pip: "
                f"not migrated",
                line.where,
            )
        if env_vars_in(line.text) and line.link is None:
            raise RequirementsError(
                f"`{redact(line.text)}` uses {', '.join(env_vars_in(line.text))}, which "
                f"pyproject.toml cannot expand ({line.where})"
            )

    def _frozen_local_install(self, line: ReqLine) -> None:
        """pip freeze records packages installed from a local folder with the absolute path of
        the machine it ran on: that says how one venv was built, not what the project needs."""
        if line.name and self.project_key and canonicalize_name(line.name) == self.project_key:
            self._project_itself(line, None)
            return
        self.note(
            "frozen-local-path",
            f"`{redact(line.text)}` is a local install pip freeze recorded with this machine's "
            f"path: not migrated (add a relative path source if the project needs it)",
            line.where,
        )

    def _project_itself(self, line: ReqLine, table: str | None) -> None:
        unknown = [e for e in line.extras if canonicalize_name(e) not in self.view.extras]
        if unknown:
            self.note(
                "unknown-extra",
                f"`{redact(line.text)}` asks for extra {', '.join(unknown)}, which "
                f"[project.optional-dependencies] does not define",
                line.where,
            )
        known = [e for e in line.extras if e not in unknown]
        if known and table and table.startswith("dependency-groups."):
            # `-e .[test]` in a group file: the group pulls the extra in (`demo[test]`).
            self._want_self_extras(table.split(".", 1)[1], known, line.where)
            hint = f" (with its extras {', '.join(known)} through [{table}])"
        else:
            hint = f" (uv sync --extra {' --extra '.join(known)})" if known else ""
        self.note(
            "project-itself",
            f"`{redact(line.text)}` installs the project itself: uv sync does that by "
            f"default{hint}",
            line.where,
        )

    def _named(self, line: ReqLine, table: str) -> _Wanted:
        assert line.name is not None
        for version in re.findall(r"===\s*([^,;\s]*)", line.specifier):
            if not _is_pep440(version):
                raise RequirementsError(
                    f"`{redact(line.text)}`: uv only reads PEP 440 versions and {version!r} is "
                    f"not one; pin a real release or use a URL source ({line.where})"
                )
        return _Wanted(
            line=line,
            table=table,
            name=line.name,
            key=canonicalize_name(line.name),
            extras=line.extras,
            specifier=line.specifier,
            marker=line.marker,
            compiled=line.where.path in self.compiled_files and table != CONSTRAINTS_TABLE,
        )

    def _sourced(self, line: ReqLine, table: str, located: Located) -> _Wanted:
        for note in located.notes:
            if note.code == "hashes-dropped":
                self._note_once(note.code, note.message, note.where)  # once per file
            else:
                self.plan.notes.append(note)
        return _Wanted(
            line=line,
            table=table,
            name=located.name,
            key=canonicalize_name(located.name),
            extras=line.extras,
            specifier="" if line.link else line.specifier,
            marker=line.marker,
            source=located.source,
        )

    # -- duplicates --

    def _check_conflicts(self, wanted: list[_Wanted]) -> None:
        """uv resolves every table together: the same package under the same marker must be
        satisfiable by one version, wherever it is listed."""
        by_key: dict[tuple[str, str | None], list[_Wanted]] = {}
        for w in wanted:
            by_key.setdefault((w.key, w.marker), []).append(w)
        for group in by_key.values():
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    if not specifiers_compatible(a.specifier, b.specifier):
                        raise RequirementsError(
                            f"{a.name}{a.specifier} ({a.line.where}) and {b.name}{b.specifier} "
                            f"({b.line.where}) cannot both hold"
                        )
                    if a.source and b.source and a.source != b.source:
                        raise RequirementsError(
                            f"{a.name} comes from two different places: {a.line.where} and "
                            f"{b.line.where} ({b.line.where})"
                        )

    def _merge_duplicates(self, wanted: list[_Wanted]) -> list[_Wanted]:
        merged: dict[tuple[str, str, str | None], _Wanted] = {}
        for w in wanted:
            slot = (w.table, w.key, w.marker)
            first = merged.get(slot)
            if first is None:
                merged[slot] = w
                continue
            specifier = merge_specifiers(first.specifier, w.specifier)
            extras = _union_extras(first.extras, w.extras)
            if {canonicalize_name(e) for e in first.extras} != {
                canonicalize_name(e) for e in w.extras
            }:
                self.note(
                    "extras-merged",
                    f"{w.name} asks for extras [{','.join(first.extras)}] at "
                    f"{first.line.where} and [{','.join(w.extras)}]: both kept as "
                    f"[{','.join(extras)}]",
                    w.line.where,
                )
            self.note(
                "duplicate-merged",
                f"{w.text} repeats {first.text} ({first.line.where}): merged as "
                f"{requirement_text(first.name, extras, specifier, first.marker)}",
                w.line.where,
            )
            merged[slot] = _Wanted(
                line=first.line,
                table=first.table,
                name=first.name,
                key=first.key,
                extras=extras,
                specifier=specifier,
                marker=first.marker,
                source=first.source or w.source,
                compiled=first.compiled and w.compiled,
            )
        return list(merged.values())

    # -- against pyproject --

    def _compare_with_pyproject(self, merged: list[_Wanted]) -> None:
        runtime_keys = {d.key for d in self.view.declared if d.table == RUNTIME_TABLE}
        runtime_keys |= {w.key for w in merged if w.table == RUNTIME_TABLE}
        for w in merged:
            if w.source is not None:
                self._plan_source(w)
            self._plan_config_settings(w)
            if w.table == CONSTRAINTS_TABLE:
                self._plan_constraint(w)
                continue
            declared = self._matching_declared(w)
            if declared is None and w.table != RUNTIME_TABLE and w.key in runtime_keys:
                self.note(
                    "already-runtime",
                    f"{w.text} is a runtime dependency already: not repeated in [{w.table}]",
                    w.line.where,
                )
                continue
            if declared is None:
                text = w.added_text
                self.plan.additions.append(Addition(w.table, text, w.line.where))
                self.plan.drift.append(
                    DriftRow(w.name, None, None, w.text, w.line.where, "only-requirements")
                )
                how = f" (compiled pin {w.specifier} kept in uv.lock)" if text != w.text else ""
                self.note("added", f"{text} added to [{w.table}]{how}", w.line.where)
                continue
            self._drift(w, declared)

    def _matching_declared(self, w: _Wanted) -> Declared | None:
        found = self.view.lookup(w.key)
        if not found:
            return None

        def rank(d: Declared) -> tuple[bool, bool, bool]:
            return (d.marker != w.marker, d.table != w.table, d.via is not None)

        return sorted(found, key=rank)[0]

    def _drift(self, w: _Wanted, d: Declared) -> None:
        if w.table == RUNTIME_TABLE and d.table != RUNTIME_TABLE:
            self.note(
                "declared-elsewhere",
                f"{w.text} is a runtime requirement but pyproject declares it only in "
                f"[{d.table}]: not made a runtime dependency (move it yourself if production "
                f"needs it)",
                w.line.where,
            )
        kind: DriftKind
        if d.marker != w.marker:
            kind = "marker-differs"
            why = f"marker `{w.marker or 'none'}` vs pyproject `{d.marker or 'none'}`"
        elif d.extras != {canonicalize_name(e) for e in w.extras}:
            kind = "extras-differ"
            why = f"extras [{','.join(w.extras)}] vs pyproject [{','.join(sorted(d.extras))}]"
        elif w.specifier and not specifier_within(w.specifier, d.specifier):
            kind = "pin-outside-range"
            why = f"{w.specifier} is outside pyproject's {d.specifier or '(any)'}"
        else:
            kind = "consistent"
            why = ""
        place = f"{d.table} via {d.via}" if d.via else d.table
        self.plan.drift.append(DriftRow(w.name, d.requirement, place, w.text, w.line.where, kind))
        if kind == "consistent":
            return
        literal = d if d.via is None else self._literal(d)
        if kind == "pin-outside-range" and self.override_pins and literal is not None:
            d = literal  # rewrite the string where it is written, not the self-reference
            new = _with_specifier(d.requirement, w.specifier)
            self.plan.rewrites.append(SpecifierRewrite(d.table, d.requirement, new, w.line.where))
            self.note(
                "override-pin",
                f"--override-pins: [{d.table}] {d.requirement} -> {new}",
                w.line.where,
            )
            return
        flag = " (--override-pins rewrites it)" if kind == "pin-outside-range" else ""
        self.note(
            kind,
            f"{w.text}: {why}; pyproject's [{d.table}] {d.requirement} kept{flag}",
            w.line.where,
        )

    def _literal(self, expanded: Declared) -> Declared | None:
        """The entry, as written in its own extra, that a self-reference expanded into."""
        return next(
            (
                d
                for d in self.view.lookup(expanded.key)
                if d.via is None and d.requirement == expanded.requirement
            ),
            None,
        )

    def _plan_constraint(self, w: _Wanted) -> None:
        for d in self.view.constraints:
            if d.key == w.key and d.marker == w.marker:
                inside = not w.specifier or specifier_within(w.specifier, d.specifier)
                kind: DriftKind = "consistent" if inside else "pin-outside-range"
                self.plan.drift.append(
                    DriftRow(w.name, d.requirement, d.table, w.text, w.line.where, kind)
                )
                if not inside:
                    self.note(
                        "constraint-differs",
                        f"constraint {w.text} differs from [tool.uv] constraint-dependencies "
                        f"{d.requirement}: pyproject kept",
                        w.line.where,
                    )
                return
        self.plan.additions.append(Addition(CONSTRAINTS_TABLE, w.text, w.line.where))
        self.note(
            "constraint-added",
            f"{w.text} -> [tool.uv] constraint-dependencies (limits versions, installs nothing)",
            w.line.where,
        )

    def _plan_source(self, w: _Wanted) -> None:
        assert w.source is not None
        existing = self.view.tool_uv.get("sources")
        existing = existing if isinstance(existing, dict) else {}
        for name, value in existing.items():
            if canonicalize_name(name) == w.key:
                if value != w.source:
                    self.note(
                        "source-kept",
                        f"[tool.uv.sources] {name} already set to {toml_text(value)}: kept",
                        w.line.where,
                    )
                return
        self.plan.sources.setdefault(w.name, w.source)

    def _plan_config_settings(self, w: _Wanted) -> None:
        if not w.line.config_settings:
            return
        current = self.view.tool_uv.get("config-settings-package")
        current = current.get(w.name, {}) if isinstance(current, dict) else {}
        wanted = {k: v for k, v in w.line.config_settings if current.get(k) != v}
        if wanted:
            per_package = self.plan.tool_uv.setdefault("config-settings-package", {})
            per_package.setdefault(w.name, {}).update(wanted)
            self.note(
                "config-settings",
                f"--config-settings of {w.name} -> [tool.uv] config-settings-package",
                w.line.where,
            )

    def _only_pyproject(self, wanted: list[_Wanted], transitive: list[tuple[ReqLine, str]]) -> None:
        runtime_files = [r for r, (role, _) in self.roles.items() if role == "runtime"]
        if not runtime_files:
            return
        seen = {w.key for w in wanted if w.table == RUNTIME_TABLE} | {
            canonicalize_name(line.name)
            for line, table in transitive
            if line.name and table == RUNTIME_TABLE
        }
        for d in self.view.declared:
            if d.table == RUNTIME_TABLE and d.via is None and d.key not in seen:
                self.plan.drift.append(
                    DriftRow(d.name, d.requirement, d.table, None, None, "only-pyproject")
                )

    def _seed_pins(self, wanted: list[_Wanted], transitive: list[tuple[ReqLine, str]]) -> None:
        """Every exact pin the team tested that pyproject's range allows seeds uv.lock."""
        pins: dict[str, tuple[str, Where]] = {}
        conflicts: set[str] = set()
        candidates = [
            (w.key, w.specifier, w.marker, w.line.where) for w in wanted if not w.source
        ] + [
            (canonicalize_name(line.name), line.specifier, line.marker, line.where)
            for line, _ in transitive
            if line.name
        ]
        rewritten_keys = {_requirement_key(r.new) for r in self.plan.rewrites}
        # Ranges the lock must also respect: requirements and constraints from the old files
        # (a transitive pin can contradict a direct requirement elsewhere).
        bounds: dict[str, list[tuple[str, str | None, Where]]] = {}
        for w in wanted:
            if w.specifier:
                bounds.setdefault(w.key, []).append((w.specifier, w.marker, w.line.where))
        for d in self.view.constraints:
            if d.specifier:
                bounds.setdefault(d.key, []).append(
                    (d.specifier, d.marker, Where("pyproject.toml", 0))
                )
        for key, specifier, marker, where in candidates:
            version = exact_pin(specifier)
            if version is None:
                continue
            if not all(
                specifier_within(specifier, d.specifier)
                for d in self.view.lookup(key)
                if key not in rewritten_keys
            ):
                continue
            against = [
                (b, w)
                for b, m, w in bounds.get(key, [])
                if (m is None or m == marker) and not specifier_within(specifier, b)
            ]
            if against:
                bound, bound_where = against[0]
                self.note(
                    "seed-skipped",
                    f"{key}=={version} is not kept in uv.lock: {bound} ({bound_where}) excludes it",
                    where,
                )
                continue
            if key in pins and pins[key][0] != version:
                conflicts.add(key)
                self.note(
                    "seed-conflict",
                    f"{key} is pinned to {pins[key][0]} ({pins[key][1]}) and {version}: "
                    f"uv lock chooses",
                    where,
                )
            pins.setdefault(key, (version, where))
        self.plan.seed_pins = {k: v for k, (v, _) in sorted(pins.items()) if k not in conflicts}

    # -- options, files, pyproject housekeeping --

    def _map_options(self) -> None:
        options: list[OptionLine] = []
        # Runtime files first: their --index-url and friends are what production used.
        rank = {"runtime": 0, "group": 1, "constraints": 2, "include-only": 3}
        for rel in sorted(self.parsed, key=lambda r: (rank[self.roles[r][0]], r)):
            options.extend(self.parsed[rel].options)
            for where, code, why in self.parsed[rel].ignored:
                self.note(code, why, where)
        settings = map_pip_options(options, self.root, self.view.tool_uv)
        self.plan.indexes.extend(settings.indexes)
        for key, value in settings.tool_uv.items():
            self.plan.tool_uv[key] = value
        self.plan.notes.extend(settings.notes)

    def _describe_files(
        self, kinds: dict[str, Literal["hand-written", "compiled", "freeze"]]
    ) -> None:
        for rel, parsed in self.parsed.items():
            role, group = self.roles[rel]
            includes = tuple(relative_posix(self.root, i.resolved) for i in parsed.includes)
            self.plan.files.append(
                ReqFile(
                    path=rel,
                    role=role,
                    group=group if role == "group" else None,
                    lines=parsed.physical_lines,
                    includes=includes,
                    duplicates=self._duplicates_text(parsed),
                    kind="compile-input"
                    if rel.endswith(".in") and rel.removesuffix(".in") + ".txt" in self.lock_only
                    else kinds[rel],
                )
            )
            if role == "include-only":
                self.note(
                    "include-only",
                    f"{rel} is only used through -r: its requirements belong to the including file",
                    Where(rel, 1),
                )

    def _duplicates_text(self, parsed: ParsedFile) -> str | None:
        named = [r for r in parsed.requirements if r.name]
        tables = Counter(self._matching_table(canonicalize_name(r.name)) for r in named if r.name)
        tables.pop(None, None)
        count = sum(tables.values())
        if not count:
            return None
        where = ", ".join(f"[{t}]" for t, _ in tables.most_common())
        return f"{count}/{len(parsed.requirements)} requirements duplicate {where}"

    def _matching_table(self, key: str) -> str | None:
        found = self.view.lookup(key)
        return found[0].table if found else None

    def _dynamic_dependency_files(self) -> list[Path]:
        """dynamic = ["dependencies"] read from requirements files by setuptools: those files
        become the static list; any other dynamic source is refused (we cannot keep both)."""
        dynamic = self.view.project.get("dynamic")
        dynamic = dynamic if isinstance(dynamic, list) else []
        setuptools = self.view.setuptools_dynamic
        text = self.view.text
        if "optional-dependencies" in dynamic and "optional-dependencies" in setuptools:
            self.plan.static_optional = self._static_extras(setuptools["optional-dependencies"])
        if "dependencies" not in dynamic:
            return []
        spec = setuptools.get("dependencies")
        files = spec.get("file") if isinstance(spec, dict) else None
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not files:
            line = pyproject_line(text, r"^\s*dynamic\s*=")
            raise RequirementsError(
                'pyproject.toml has dynamic = ["dependencies"] that is not read from files by '
                "[tool.setuptools.dynamic]: it cannot be made static together with the migration "
                f"(pyproject.toml:{line})"
            )
        paths = [self.root / str(f) for f in files]
        for path in paths:
            if not path.is_file():
                rel = relative_posix(self.root, path)
                line = pyproject_line(text, re.escape(str(files[paths.index(path)])))
                raise RequirementsError(
                    f"[tool.setuptools.dynamic] dependencies reads {rel}, which does not exist "
                    f"(pyproject.toml:{line})"
                )
        self.plan.static_dependencies = True
        self.note(
            "dynamic-dependencies",
            f'dynamic = ["dependencies"] from {", ".join(str(f) for f in files)} becomes a static '
            f"[project] dependencies list; the [tool.setuptools.dynamic] entry is removed",
        )
        return paths

    def _static_extras(self, spec: Any) -> dict[str, list[str]]:
        """[tool.setuptools.dynamic] optional-dependencies.<extra> = {file = [...]}: each file's
        requirements become that extra's static list (setuptools reads plain requirement lines
        there, so an option, include or URL line cannot be one of them)."""
        text = self.view.text
        # the [tool.setuptools.dynamic] entry, not the `dynamic = [...]` list
        line = pyproject_line(
            text, r"^\s*\[?(tool\.setuptools\.dynamic\.)?optional-dependencies[\].=\s]"
        )
        line = line or pyproject_line(text, r"optional-dependencies")
        if not isinstance(spec, dict):
            raise RequirementsError(
                "[tool.setuptools.dynamic] optional-dependencies is not a table of "
                f"{{file = [...]}} entries (pyproject.toml:{line})"
            )
        extras: dict[str, list[str]] = {}
        for extra, entry in spec.items():
            files = entry.get("file") if isinstance(entry, dict) else None
            files = [files] if isinstance(files, str) else files
            if not isinstance(files, list) or not files:
                raise RequirementsError(
                    f"[tool.setuptools.dynamic] optional-dependencies.{extra} is not read from "
                    f"files (pyproject.toml:{line})"
                )
            items = extras.setdefault(str(extra), [])
            for rel in files:
                path = self.root / str(rel)
                if not path.is_file():
                    raise RequirementsError(
                        f"[tool.setuptools.dynamic] optional-dependencies.{extra} reads {rel}, "
                        f"which does not exist (pyproject.toml:{line})"
                    )
                parsed = parse_requirements_file(self.root, path)
                odd: list[Where] = [
                    *(o.where for o in parsed.options),
                    *(i.where for i in parsed.includes),
                    *(r.where for r in parsed.requirements if r.link or not r.name),
                ]
                if odd:
                    raise RequirementsError(
                        f"{rel} holds a line setuptools cannot read as an optional dependency "
                        f"of [{extra}] ({min(odd, key=lambda w: w.line)})"
                    )
                items += [
                    requirement_text(r.name or "", r.extras, r.specifier, r.marker)
                    for r in parsed.requirements
                ]
        files_text = ", ".join(
            f"{k} <- {', '.join(map(str, v.get('file', [])))}" if isinstance(v, dict) else k
            for k, v in spec.items()
        )
        self.note(
            "dynamic-optional-dependencies",
            f'dynamic = ["optional-dependencies"] ({files_text}) becomes static '
            "[project.optional-dependencies]; the [tool.setuptools.dynamic] entry is removed",
            Where("pyproject.toml", line),
        )
        return extras

    def _plan_group_includes(self, includes: dict[str, list[str]]) -> None:
        """Only the {include-group = ...} entries pyproject does not have yet."""
        for group, included in includes.items():
            missing = [g for g in included if g not in self.view.group_includes.get(group, set())]
            if missing:
                self.plan.group_includes[group] = missing

    def _groups_to_create(self) -> None:
        """Every group file gets its group, even when all its lines are already declared
        elsewhere: `uv sync --group test` / `uv export --group test` must keep working."""
        existing = set(self.view.groups)
        if self.plan.dev_dependencies_to_group:
            existing.add("dev")
        created: dict[str, str] = {}
        for rel, (role, group) in sorted(self.roles.items()):
            if role != "group" or group is None or group in existing:
                continue
            existing.add(group)
            created[group] = rel
            self.plan.groups.append(group)
            self._group_includes_its_extra(rel, group)
        self._plan_self_extras()
        for group, rel in created.items():
            table = f"dependency-groups.{group}"
            if not any(a.table == table for a in self.plan.additions) and not (
                self.plan.group_includes.get(group)
            ):
                self.note(
                    "empty-group",
                    f"{rel} adds nothing new: [dependency-groups] {group} is created empty so "
                    f"`uv sync --group {group}` keeps working",
                    Where(rel, 1),
                )

    def _group_includes_its_extra(self, rel: str, group: str) -> None:
        """requirements-dev.txt repeating [project.optional-dependencies] dev: `pip install -r`
        installed those packages, so the new dev group pulls the extra in (`demo[dev]`) rather
        than staying empty; nothing is declared twice."""
        extras = self.view.project.get("optional-dependencies")
        written = (
            next((k for k in extras or {} if canonicalize_name(k) == group), None)
            if isinstance(extras, dict)
            else None
        )
        if written is None:
            return
        table = f"project.optional-dependencies.{written}"
        if any(
            d.pyproject_where == table and d.requirements_where and d.requirements_where.path == rel
            for d in self.plan.drift
        ):
            self.note(
                "group-includes-extra",
                f"{rel} repeats [{table}]: [dependency-groups] {group} pulls the extra in, so "
                f"`uv sync` installs what `pip install -r {rel}` did",
                Where(rel, 1),
            )
            self._want_self_extras(group, [written], Where(rel, 1))

    def _want_self_extras(self, group: str, extras: list[str], where: Where) -> None:
        wanted, first = self.self_extras.get(group, ([], where))
        known = {canonicalize_name(e) for e in wanted}
        wanted = [*wanted, *(e for e in extras if canonicalize_name(e) not in known)]
        self.self_extras[group] = (wanted, first)

    def _plan_self_extras(self) -> None:
        """One `demo[a,b]` per group for the extras its files asked for, unless the group
        already pulls them in; a group with another self-reference is left to the user."""
        for group, (extras, where) in self.self_extras.items():
            present = self.view.self_references(group)
            missing = [e for e in extras if canonicalize_name(e) not in present]
            if not missing or not self.project_name:
                continue
            table = f"dependency-groups.{group}"
            requirement = f"{self.project_name}[{','.join(missing)}]"
            if present:
                self.note(
                    "self-reference-kept",
                    f"[{table}] already refers to the project itself: add the extras "
                    f"{', '.join(missing)} to it yourself",
                    where,
                )
                continue
            self.plan.additions.append(Addition(table, requirement, where))
            self.note("added", f"{requirement} added to [{table}]", where)

    def _dev_dependencies(self) -> None:
        if "dev-dependencies" in self.view.tool_uv:
            self.plan.dev_dependencies_to_group = True
            self.note(
                "dev-dependencies-converted",
                "[tool.uv] dev-dependencies (deprecated) moves into [dependency-groups] dev",
            )


# --- small pure helpers ------------------------------------------------------------------------


def _given_path(root: Path, path: Path) -> Path:
    """A relative path as discovered (relative to the working directory, like `root`) or, when
    it is not there, relative to the repo root."""
    if path.is_absolute() or path.exists():
        return path
    return root / path


def _is_pep440(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


def _note_order(note: Note) -> tuple[str, int]:
    return (note.where.path, note.where.line) if note.where else ("", 0)


def _union_extras(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    seen = {canonicalize_name(e) for e in a}
    return tuple(sorted([*a, *(e for e in b if canonicalize_name(e) not in seen)], key=str.lower))


def _with_specifier(requirement: str, specifier: str) -> str:
    req = Requirement(requirement)
    marker = str(req.marker) if req.marker else None
    return requirement_text(req.name, sorted(req.extras), specifier, marker)


def _requirement_key(requirement: str) -> str:
    return canonicalize_name(Requirement(requirement).name)
