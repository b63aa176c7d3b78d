"""What a repository has today: environment files, venv folders, Python-version evidence,
hard-coded interpreters and pip calls, missing uv components. Reads only, never writes.
survey() puts one snapshot together from the readers beside it (pyproject_text,
requirement_files, venvs, python_evidence, makefile.scan, setup_py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uvmk.diagnostics import Where
from uvmk.options import Options
from uvmk.rewriters.makefile.scan import find_makefile, scan_makefile
from uvmk.sources import REGISTRY, Reading, converted_formats
from uvmk.sources.contribution import Contribution
from uvmk.survey.model import MakefileHit, PythonEvidence, SurveyError, VenvInfo
from uvmk.survey.pyproject_text import (
    parse_pyproject,
    read_pyproject,
    requires_python,
    table,
)
from uvmk.survey.python_evidence import gather_evidence
from uvmk.survey.readers import Scan, scan_around
from uvmk.survey.requirement_files import NamedFiles, requirement_files, with_compiled_partners
from uvmk.survey.tree import Tree, tree_lines, walk, walk_within
from uvmk.survey.venvs import describe_venvs, target_venv_name
from uvmk.venv_excludes import INI_FILES

if TYPE_CHECKING:
    from uvmk.sources.converted import ConvertedProject
    from uvmk.sources.setuptools import legacy


@dataclass
class Survey:
    root: Path
    pyproject_text: str | None
    requires_python: str | None
    project_name: str | None
    scripts: list[str]
    makefile: Path | None
    requirement_files: list[Path]  # the legacy files to migrate (not git-ignored ones)
    ignored_requirement_files: list[Path]  # git-ignored: a developer's own, left alone
    pyproject_with_setup: str | None  # pyproject text + the [project] made from setup.cfg
    venvs: list[VenvInfo]
    evidence: list[PythonEvidence]
    makefile_hits: list[MakefileHit]
    has_lock: bool
    python_version_file: str | None  # content of .python-version (stripped) or None
    has_tool_uv: bool
    has_dependency_groups: bool
    has_deprecated_dev_dependencies: bool
    target_venv: str
    tree: Tree  # the one walk of the repository the views above come from
    # each source's files (sources.REGISTRY: pip's are the ones to migrate) and what it read
    owned: dict[str, tuple[str, ...]]
    contributions: dict[str, Contribution]
    read_pins: tuple[bool, bool]  # (override_pins, keep_pyproject_pins) pip's read used
    # no pyproject [project]: the one made from setup.cfg (TOML text), and what it carries over
    setup_project: str | None = None
    setup_py: legacy.SetupPyProject | None = None  # the setup.py that made setup_project
    # the files the plan rewrites, as they are today (decoded by the plan: refusing a non-UTF-8
    # one is the plan's business, after the requirements files were read)
    makefile_bytes: bytes | None = None
    has_tests_dir: bool = False  # the Makefile's folder has tests/ (uv.mk's TESTS default)
    root_entries: frozenset[str] = frozenset()  # names in the root (uv.mk's `$(wildcard src)`)
    gitignore_bytes: bytes | None = None
    readme_bytes: bytes | None = None
    # setup.cfg, tox.ini, .flake8 as they are: their tools' excludes learn the new venv
    ini_configs: dict[str, bytes] = field(default_factory=dict)
    # what uv-migrate would refuse about the project's metadata (a setup.py it cannot read, a
    # poetry project): one line each, naming file:line
    refused: list[str] = field(default_factory=list)
    # the requirements files and roles the user named (--requirements/--dev-requirements)
    named_roles: NamedFiles | None = None
    # the project another tool owned, converted (a sources.ConvertedFormat's convert(): the
    # pyproject it becomes, its old lock's versions, Pipenv's [scripts])
    converted: ConvertedProject | None = None
    # where a requirements file installs a release of the project (a deployment's): left as is
    release_lines: list[Where] = field(default_factory=list)
    # the projects below the root are left as they are (--subprojects keep), not refused
    keep_subprojects: bool = False
    # ROOT=services/api inside a bigger work tree: the candidate readers outside the root (the
    # top's Makefile, CI, Dockerfiles), None when the root is the top
    readers_around: Scan | None = None
    # a workspace's root (uvmk.workspace): the member folders, whose files are theirs, not the
    # root's; each is migrated by its own survey
    members: tuple[str, ...] = ()
    # a workspace's root: the Python range every member's requires-python allows (uvmk.workspace
    # sets it), since the root's one .python-version serves them all
    members_python: str | None = None

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @property
    def poetry(self) -> ConvertedProject | None:
        """A Poetry project, as converted (sources/poetry)."""
        return self._converted_by("poetry")

    @property
    def pipenv(self) -> ConvertedProject | None:
        """A Pipenv project, as converted (sources/pipenv)."""
        return self._converted_by("pipenv")

    def _converted_by(self, tool: str) -> ConvertedProject | None:
        return self.converted if self.converted and self.converted.tool == tool else None


def survey(
    root: Path,
    named: NamedFiles | None = None,
    options: Options | None = None,
    keep_subprojects: bool = False,
    members: tuple[str, ...] = (),
    top_tree: Tree | None = None,
) -> Survey:
    """One read-only snapshot of the repository (SurveyError: a one-line refusal). `named`: the
    requirements files and roles the user gave, instead of discovering them; `options`: how
    pip's requirements meet pyproject's pins (--override-pins, --keep-pyproject-pins);
    `keep_subprojects`: the projects below the root stay as they are; `members`: the folders a
    workspace's root leaves to their own surveys; `top_tree`: the enclosing repository's tree,
    when the caller walked it already (a workspace's members share the root's one walk)."""
    root = root.resolve()
    tree, around = (walk(root), top_tree) if top_tree is not None else walk_within(root)
    if named:
        named = with_compiled_partners(tree, named)
    text, doc = read_pyproject(root, tree)
    converted, early = _converted(tree, text, doc)
    base = text
    if converted:  # every later source reads the pyproject uv will read
        base, doc = converted.text, parse_pyproject(converted.text)
    owned = {source.name: source.detect(tree) for source in REGISTRY}
    owned["pip"] = tuple(rel for rel in owned["pip"] if not _in_member(rel, members))
    pip = _PipFiles(tree, named, owned["pip"], members)
    pins = (options.override_pins, options.keep_pyproject_pins) if options else (False, False)
    locked = converted.seeds if converted else None
    contributions, plan_text, refused = _read_sources(tree, owned, base, doc, pip, pins, locked)
    refused = early + refused
    files, ignored, releases = pip.files, pip.ignored, pip.releases
    owned["pip"] = tuple(p.relative_to(root).as_posix() for p in files)
    setup_py = contributions["setuptools"].detail
    setup_project = contributions["setuptools"].project
    if setup_project is not None:
        doc = parse_pyproject(plan_text or "")
    requires = requires_python(doc, text)
    name = table(doc, "project", "name") if doc is not None else None
    scripts_table = table(doc, "project", "scripts") if doc is not None else None
    tool_uv = table(doc, "tool", "uv") if doc is not None else None
    if setup_py is not None:  # their lines are setup.py's extras now
        files = [f for f in files if f.relative_to(root).as_posix() not in setup_py.extras_files]
    makefile = find_makefile(root)
    target = target_venv_name(root)
    return Survey(
        root=root,
        pyproject_text=text,
        requires_python=requires,
        project_name=str(name) if name is not None else None,
        scripts=[str(k) for k in scripts_table] if isinstance(scripts_table, dict) else [],
        makefile=makefile,
        requirement_files=files,
        ignored_requirement_files=ignored,
        release_lines=releases,
        pyproject_with_setup=plan_text,
        venvs=describe_venvs(tree, makefile, target),
        evidence=gather_evidence(tree, makefile, requires),
        makefile_hits=scan_makefile(root, makefile, tree_lines(tree, makefile)) if makefile else [],
        has_lock=(root / "uv.lock").is_file(),
        python_version_file=_python_version_file(root),
        has_tool_uv=tool_uv is not None,
        has_dependency_groups=doc is not None and doc.get("dependency-groups") is not None,
        has_deprecated_dev_dependencies=tool_uv is not None and "dev-dependencies" in tool_uv,
        target_venv=target,
        tree=tree,
        owned=owned,
        contributions=contributions,
        read_pins=pins,
        setup_project=setup_project,
        setup_py=setup_py,
        makefile_bytes=tree.data(tree.rel(makefile)) if makefile else None,
        has_tests_dir=makefile is not None and (makefile.parent / "tests").is_dir(),
        gitignore_bytes=_bytes_of(root / ".gitignore"),
        readme_bytes=_bytes_of(root / "README.md"),
        ini_configs={rel: data for rel in INI_FILES if (data := tree.data(rel)) is not None},
        root_entries=tree.root_entries,
        refused=refused,
        named_roles=named,
        converted=converted,
        keep_subprojects=keep_subprojects,
        members=members,
        readers_around=scan_around(around, root),
    )


def _converted(tree: Tree, text: str | None, doc: Any) -> tuple[ConvertedProject | None, list[str]]:
    """(the project the first converted format present makes, the refusals): a project the
    conversion would lose part of is listed by the audit, and migrate refuses it; so is a
    second such format beside the first (a Pipfile beside Poetry's pyproject)."""
    converted: ConvertedProject | None = None
    for source in converted_formats():
        if converted is not None:
            if beside := source.detect(tree):
                return converted, [
                    f"{beside[0]}: {source.name.title()} and {converted.tool.title()} "
                    f"({converted.config}) both say what installs: keep one, then run "
                    f"uv-migrate again ({beside[0]}:1)"
                ]
            continue
        try:
            converted = source.convert(tree, text, doc)
        except SurveyError as exc:
            return None, [str(exc)]
    return converted, []


@dataclass
class _PipFiles:
    """pip's files, chosen once the sources before it named the project (setuptools' [project]
    from setup.py): a file that installs a release of the project (a deployment's) is said and
    kept, not migrated; git-ignored ones are a developer's own."""

    tree: Tree
    named: NamedFiles | None
    discovered: tuple[str, ...]
    members: tuple[str, ...] = ()
    files: list[Path] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)
    releases: list[Where] = field(default_factory=list)

    def choose(self, doc: Any) -> tuple[str, ...]:
        name = table(doc, "project", "name") if doc is not None else None
        self.files, self.ignored, self.releases = requirement_files(
            self.tree, self.named, self.discovered, str(name) if name else None
        )
        root = self.tree.root
        self.files = [
            f for f in self.files if not _in_member(f.relative_to(root).as_posix(), self.members)
        ]
        return tuple(p.relative_to(self.tree.root).as_posix() for p in self.files)


def _read_sources(
    tree: Tree,
    owned: dict[str, tuple[str, ...]],
    text: str | None,
    doc: Any,
    pip: _PipFiles,
    pins: tuple[bool, bool],
    locked: dict[str, str] | None = None,
) -> tuple[dict[str, Contribution], str | None, list[str]]:
    """Each source reads its files in the registry's order, against pyproject as the ones before
    it leave it (setuptools' [project] joins the text pip compares with); a file an earlier
    source took (setup.py's extras files) is not read again, and pip is told which files those
    extras read. (contributions, pyproject's text with what the sources made, the refusals
    about the project's metadata.) `locked`: the converted project's old lock."""
    contributions: dict[str, Contribution] = {}
    taken: set[str] = set()
    refused: list[str] = []
    for source in REGISTRY:
        setup_py = contributions.get("setuptools")
        extras = setup_py.detail.extras_files if setup_py and setup_py.detail else None
        reading = Reading(text, doc, pip.named, *pins, extra_files=extras, locked=locked)
        candidates = pip.choose(doc) if source.name == "pip" else owned[source.name]
        mine = tuple(rel for rel in candidates if rel not in taken)
        found = source.read(tree, mine, reading)
        contributions[source.name] = found
        taken |= set(found.owned)
        if source.name != "pip":  # pip's refusals are its plan's (DependencyPlan.refusals)
            refused += [n.line() for n in found.said("refusal")]
        if found.project is not None:
            text = (text + "\n" if text else "") + found.project
            doc = parse_pyproject(text)
    return contributions, text, refused


def _in_member(rel: str, members: tuple[str, ...]) -> bool:
    return any(rel.startswith(m.rstrip("/") + "/") for m in members)


def _python_version_file(root: Path) -> str | None:
    if not (root / ".python-version").is_file():
        return None
    return (root / ".python-version").read_text(encoding="utf-8", errors="replace").strip()


def _bytes_of(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
