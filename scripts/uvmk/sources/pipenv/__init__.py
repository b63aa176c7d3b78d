"""Pipenv: a Pipfile (and its Pipfile.lock) at the root → uv's pyproject. The survey converts the
project through project.pipenv_project (the converted text is what every later source reads,
Pipfile.lock's versions seed uv.lock, [scripts] become make targets); this Source names the
files Pipenv owns, so the registry, the audit and the tests see the format like every other."""

from __future__ import annotations

from uvmk.sources.contribution import Contribution, Fate
from uvmk.sources.protocol import Reading
from uvmk.survey.tree import Tree


class _Pipenv:
    name = "pipenv"

    def detect(self, tree: Tree) -> tuple[str, ...]:
        if not tree.has_file("Pipfile"):
            return ()
        return ("Pipfile", *(["Pipfile.lock"] if tree.has_file("Pipfile.lock") else []))

    def read(self, tree: Tree, owned: tuple[str, ...], reading: Reading) -> Contribution:
        if not owned:
            return Contribution(self.name)
        fates = tuple(Fate(rel, "converted", "Pipenv's: converted by the survey") for rel in owned)
        return Contribution(self.name, owned, fates=fates)


PIPENV = _Pipenv()
