"""setuptools as a Source: setup.py and setup.cfg, read without running anything (legacy), make
the [project] pyproject.toml lacks; what cannot be read is a refusal at its file:line."""

from __future__ import annotations

from uvmk.diagnostics import Diagnostic
from uvmk.sources.contribution import Contribution, Fate
from uvmk.sources.poetry import owns_metadata
from uvmk.sources.protocol import Reading
from uvmk.survey.pyproject_text import table
from uvmk.survey.tree import Tree


class _Setuptools:
    name = "setuptools"

    def detect(self, tree: Tree) -> tuple[str, ...]:
        return tuple(rel for rel in ("setup.py", "setup.cfg") if tree.has_file(rel))

    def read(self, tree: Tree, owned: tuple[str, ...], reading: Reading) -> Contribution:
        """Only without a [project] table (and not a Poetry project): a bare setup() shim
        leaves every keyword to setup.cfg."""
        doc = reading.doc
        if not owned or (doc is not None and "project" in doc) or owns_metadata(doc):
            return Contribution(self.name, owned)
        # the setup.py evaluator only when there is a setup.py or setup.cfg to read
        from uvmk.sources.setuptools import legacy

        try:
            found = legacy.read_setup_py(tree.root)
        except legacy.SetupPyError as exc:
            refusal = Diagnostic("refusal", "setup-py-unreadable", str(exc))
            return Contribution(self.name, owned, notes=(refusal,))
        if found is None:
            return Contribution(self.name, owned)
        found.beside(table(doc, "tool", "setuptools") if doc is not None else None)
        project = found.toml(build_system=doc is None or "build-system" not in doc)
        fates = tuple(
            Fate(path, "deleted" if action == "delete" else "kept", why)
            for path, action, why, _ in legacy.file_actions(found)
        )
        # the requirements files its extras read are its own now: pip does not read them
        taken = (*owned, *(rel for rel in found.extras_files if rel not in owned))
        return Contribution(self.name, taken, project=project, fates=fates, detail=found)


SETUPTOOLS = _Setuptools()
