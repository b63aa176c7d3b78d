"""Poetry 1.x ([tool.poetry]) and 2.x (PEP 621 + [tool.poetry.*]) → uv's pyproject: the Source is
source.POETRY (the survey converts the project through it: project.poetry_project); here is
what says a pyproject is Poetry's, which setuptools' source asks too."""

from __future__ import annotations

from typing import Any

from uvmk.survey.pyproject_text import table

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
