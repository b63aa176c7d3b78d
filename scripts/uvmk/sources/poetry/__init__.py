"""Poetry: a pyproject.toml whose [tool.poetry] table holds the project (no [project] table).
Detected only: uv reads [project], so the project is converted first (uvx migrate-to-uv) and
the migration refuses until then, at the table's line."""

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
        if not owns_metadata(doc):
            return ()
        return ("pyproject.toml", *(["poetry.lock"] if tree.has_file("poetry.lock") else []))

    def read(self, tree: Tree, owned: tuple[str, ...], reading: Reading) -> Contribution:
        if not owned:
            return Contribution(self.name)
        line = key_line(reading.pyproject_text or "", "tool", "poetry") or 1
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


POETRY = _Poetry()
