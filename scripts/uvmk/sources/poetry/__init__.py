"""Poetry 1.x ([tool.poetry]) and 2.x (PEP 621 + [tool.poetry.*]) → uv's pyproject. The survey
converts the project through project.poetry_project (the converted text is what every later
source reads, poetry.lock's versions seed uv.lock); this Source names the files Poetry owns, so
the registry, the audit and the tests see the format like every other."""

from __future__ import annotations

from typing import Any

from uvmk.sources.contribution import Contribution, Fate
from uvmk.sources.protocol import Reading
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import parse_read_only, table
from uvmk.survey.tree import Tree

# The [tool.poetry] tables that say what installs (a Poetry 2 [project] with only `packages` or
# `include` there is PEP 621 already: nothing to convert).
SAYS_WHAT_INSTALLS = ("dependencies", "dev-dependencies", "group", "source", "extras")


def owns_metadata(doc: Any) -> bool:
    """[tool.poetry] holds the project's metadata: no [project] table beside it."""
    return doc is not None and "project" not in doc and table(doc, "tool", "poetry") is not None


def says_what_installs(doc: Any) -> bool:
    """Poetry decides what installs: it owns the metadata, or (Poetry 2) lists dependencies,
    groups, sources or extras beside [project], which uv does not read."""
    poetry = table(doc, "tool", "poetry") if doc is not None else None
    if not isinstance(poetry, dict):
        return False
    return "project" not in doc or any(k in poetry for k in SAYS_WHAT_INSTALLS)


class _Poetry:
    name = "poetry"

    def detect(self, tree: Tree) -> tuple[str, ...]:
        text = tree.read("pyproject.toml")
        if text is None:
            return ()
        try:
            doc = parse_read_only(text)
        except SurveyError:
            return ()  # the survey refuses the unreadable pyproject itself
        if not says_what_installs(doc):
            return ()
        return ("pyproject.toml", *(["poetry.lock"] if tree.has_file("poetry.lock") else []))

    def read(self, tree: Tree, owned: tuple[str, ...], reading: Reading) -> Contribution:
        if not owned:
            return Contribution(self.name)
        fates = tuple(Fate(rel, "converted", "Poetry's: converted by the survey") for rel in owned)
        return Contribution(self.name, owned, fates=fates)


POETRY = _Poetry()
