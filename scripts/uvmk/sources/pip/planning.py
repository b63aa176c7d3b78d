"""The state of one requirements planning run."""

from __future__ import annotations

from pathlib import Path

from packaging.utils import canonicalize_name

from uvmk.diagnostics import Where
from uvmk.sources.pip.dependency_plan import DependencyPlan
from uvmk.sources.pip.grammar import Note, ParsedFile, RequirementsError, where_of
from uvmk.sources.pip.pyproject import PyprojectView
from uvmk.sources.pip.roles import Role, Roles
from uvmk.sources.pip.sources import package_name_at
from uvmk.survey.model import SurveyError
from uvmk.survey.tree import Tree


class Planning:
    """What one planning run knows and has decided so far (shared by the planner's steps)."""

    def __init__(
        self,
        root: Path,
        view: PyprojectView,
        override_pins: bool,
        keep_pyproject_pins: bool = False,
    ) -> None:
        self.root = root
        self.view = view
        self.override_pins = override_pins
        self.keep_pyproject_pins = keep_pyproject_pins
        self.plan = DependencyPlan()
        self.parsed: dict[str, ParsedFile] = {}
        self.roles: dict[str, tuple[Role, str | None]] = {}
        # Without [project] name (no pyproject yet, setup.py/setup.cfg projects) the project's
        # own name still tells its lines apart (`-e .`, or a frozen `pollsite==1.4.2`).
        name = view.project_name or _own_name(root)
        self.project_name = name
        self.project_key = canonicalize_name(name) if name else None
        self.self_extras: dict[str, tuple[list[str], Where]] = {}  # group -> extras, first line
        self.compiled_files: set[str] = set()
        self.lock_only: frozenset[str] = frozenset()  # compiled .txt -> its .in
        self.given_roles: Roles = {}  # --requirements / --dev-requirements
        self.tree: Tree | None = None  # the survey's walk: each file's bytes read once
        # file -> the extras setuptools reads it for (setup.py extras_require, dynamic
        # optional-dependencies): the extra is its one home, not also a dependency group
        self.extra_files: dict[str, list[str]] = {}
        # the converted project's old lock ({name: version}: Pipfile.lock's): a file of its
        # pins alone is its export, compiled output
        self.locked: dict[str, str] = {}

    def note(self, code: str, message: str, where: Where | None = None) -> None:
        self.plan.notes.append(Note(code, message, where))

    def refuse(self, problem: RequirementsError | str, where: Where | None = None) -> None:
        """Record what cannot be migrated and go on: the audit lists every one, migrate
        refuses with all of them at once."""
        message = str(problem)
        if where is None:
            where, message = where_of(message)
        self.plan.refusals.append(Note("refused", message, where))

    def note_once(self, code: str, message: str, where: Where | None) -> None:
        if not any(n.code == code and n.message == message for n in self.plan.notes):
            self.note(code, message, where)


def _own_name(root: Path) -> str | None:
    """The root project's name from setup.cfg/setup.py; None when they cannot be read (the
    survey refuses those at their file:line)."""
    try:
        return package_name_at(root, root)
    except SurveyError:
        return None
