"""Pipenv: a Pipfile (and its Pipfile.lock) at the root. Detected only, for now: the audit lists
it and APPLY refuses while it is there, since migrating the rest would leave the Pipfile's
dependencies behind unsaid. The converter beside this file (convert, packages, indexes, lock:
Pipfile → uv's pyproject, tested against the real pipenv) is not plugged into the survey yet."""

from __future__ import annotations

from uvmk.diagnostics import Diagnostic
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
        lock = " and Pipfile.lock" if "Pipfile.lock" in owned else ""
        refusal = Diagnostic(
            "blocks-apply",
            "pipenv-project",
            f"Pipfile{lock} hold the dependencies (Pipenv), which uv-migrate does not convert "
            "yet: convert them first (e.g. uvx migrate-to-uv), then run uv-migrate again",
        )
        fates = tuple(Fate(rel, "refused", "Pipenv's: converted first") for rel in owned)
        return Contribution(self.name, owned, fates=fates, notes=(refusal,))


PIPENV = _Pipenv()
