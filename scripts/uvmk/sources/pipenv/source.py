"""Pipenv as a converted format (sources.protocol.ConvertedFormat): convert() is the survey's
one door to Pipenv (project.pipenv_project: the converted text is what every later source
reads, Pipfile.lock's versions seed uv.lock, [scripts] become make targets); detect() and read()
name the files Pipenv owns, so the registry, the audit and the tests see the format like every
other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from uvmk.sources.contribution import Contribution, Fate
from uvmk.sources.protocol import Reading
from uvmk.survey.tree import Tree

if TYPE_CHECKING:
    from uvmk.sources.converted import ConvertedProject


class _Pipenv:
    name = "pipenv"

    def detect(self, tree: Tree) -> tuple[str, ...]:
        if not tree.has_file("Pipfile"):
            return ()
        return ("Pipfile", *(["Pipfile.lock"] if tree.has_file("Pipfile.lock") else []))

    def convert(self, tree: Tree, text: str | None, doc: Any) -> ConvertedProject | None:
        if tree.data("Pipfile") is None:
            return None
        # the converter loads only where there is a Pipfile: most repos have none, and every
        # audit would pay for its import
        from uvmk.sources.pipenv.project import pipenv_project

        return pipenv_project(tree, text)

    def read(self, tree: Tree, owned: tuple[str, ...], reading: Reading) -> Contribution:
        if not owned:
            return Contribution(self.name)
        fates = tuple(Fate(rel, "converted", "Pipenv's: converted by the survey") for rel in owned)
        return Contribution(self.name, owned, fates=fates)


PIPENV = _Pipenv()
