"""Poetry as a converted format (sources.protocol.ConvertedFormat): convert() is the survey's
one door to Poetry (project.poetry_project: the converted text is what every later source reads,
poetry.lock's versions seed uv.lock); detect() and read() name the files Poetry owns, so the
registry, the audit and the tests see the format like every other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from uvmk.sources.contribution import Contribution, Fate
from uvmk.sources.poetry import says_what_installs
from uvmk.sources.protocol import Reading
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import parse_read_only
from uvmk.survey.tree import Tree

if TYPE_CHECKING:
    from uvmk.sources.converted import ConvertedProject


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

    def convert(self, tree: Tree, text: str | None, doc: Any) -> ConvertedProject | None:
        if doc is None or (doc.get("tool") or {}).get("poetry") is None:
            return None
        # the converter loads only for a Poetry project: most repos have none, and every
        # audit would pay for its import
        from uvmk.sources.poetry.project import poetry_project

        return poetry_project(tree, text, doc)

    def read(self, tree: Tree, owned: tuple[str, ...], reading: Reading) -> Contribution:
        if not owned:
            return Contribution(self.name)
        fates = tuple(Fate(rel, "converted", "Poetry's: converted by the survey") for rel in owned)
        return Contribution(self.name, owned, fates=fates)


POETRY = _Poetry()
