"""Poetry: a pyproject.toml whose [tool.poetry] table holds the project (no [project] table), or
a Poetry 2 one ([project] beside it) whose [tool.poetry] dependency tables uv does not read.
Detected only: uv reads [project] and [dependency-groups], so the project is converted first
(uvx migrate-to-uv) and the migration refuses until then, at each table's line."""

from __future__ import annotations

from typing import Any

from uvmk.diagnostics import Diagnostic
from uvmk.sources.contribution import Contribution, Fate
from uvmk.sources.protocol import Reading
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import key_line, parse_pyproject, table
from uvmk.survey.tree import Tree


def owns_metadata(doc: Any) -> bool:
    """[tool.poetry] holds the project's metadata: no [project] table beside it."""
    return doc is not None and "project" not in doc and table(doc, "tool", "poetry") is not None


class _Poetry:
    name = "poetry"

    def detect(self, tree: Tree) -> tuple[str, ...]:
        text = tree.read("pyproject.toml")
        if text is None:
            return ()
        try:
            doc = parse_pyproject(text)
        except SurveyError:
            return ()  # the survey refuses the unreadable pyproject itself
        if not owns_metadata(doc) and not poetry_dependency_tables(doc):
            return ()
        return ("pyproject.toml", *(["poetry.lock"] if tree.has_file("poetry.lock") else []))

    def read(self, tree: Tree, owned: tuple[str, ...], reading: Reading) -> Contribution:
        if not owned:
            return Contribution(self.name)
        text = reading.pyproject_text or ""
        tables = poetry_dependency_tables(reading.doc)
        if not owns_metadata(reading.doc) and tables:
            wheres = [f"pyproject.toml:{key_line(text, *t.rsplit('.', 1)) or 1}" for t in tables]
            where = ", ".join(f"[{t}] ({w})" for t, w in zip(tables, wheres, strict=True))
            refusal = Diagnostic(
                "refusal",
                "poetry-dependency-tables",
                f"pyproject.toml: {where} {'list' if len(tables) > 1 else 'lists'} "
                "dependencies only Poetry reads (uv reads "
                "[project] and [dependency-groups]): move them there first (e.g. uvx "
                "migrate-to-uv), then run uv-migrate again",
                wheres[0],
            )
        else:
            line = key_line(text, "tool", "poetry") or 1
            refusal = Diagnostic(
                "refusal",
                "poetry-project",
                "pyproject.toml: [tool.poetry] holds the project's metadata and dependencies, "
                "and uv reads a [project] table: convert it first (e.g. uvx migrate-to-uv), "
                f"then run uv-migrate again (pyproject.toml:{line})",
                f"pyproject.toml:{line}",
            )
        fates = tuple(Fate(rel, "refused", "Poetry's: converted first") for rel in owned)
        return Contribution(self.name, owned, fates=fates, notes=(refusal,))


def poetry_dependency_tables(doc: Any) -> list[str]:
    """With [project] (Poetry 2): [tool.poetry.dependencies], [tool.poetry.dev-dependencies]
    and each [tool.poetry.group.<name>.dependencies] that lists a package (not only `python`),
    which uv does not read: the migration would lose them (pytest in
    [tool.poetry.group.dev.dependencies])."""
    if doc is None or "project" not in doc:
        return []
    poetry = table(doc, "tool", "poetry")
    if not isinstance(poetry, dict):
        return []
    found = [
        (f"tool.poetry.{key}", poetry.get(key)) for key in ("dependencies", "dev-dependencies")
    ]
    groups = poetry.get("group")
    if isinstance(groups, dict):
        found += [
            (f"tool.poetry.group.{name}.dependencies", g.get("dependencies"))
            for name, g in groups.items()
            if isinstance(g, dict)
        ]
    return [t for t, deps in found if isinstance(deps, dict) and set(deps) - {"python"}]


POETRY = _Poetry()
