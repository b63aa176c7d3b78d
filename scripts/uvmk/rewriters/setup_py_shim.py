"""A setup.py whose metadata pyproject.toml now says, that something still runs (`python setup.py
sdist` in a kept target, CI, a script): a bare setup() shim instead of deleting it, so those
commands keep working with setuptools reading pyproject.toml."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from uvmk.rewriters.protocol import Rewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

_SETUP_PY_SHIM = """\
# The project's metadata and build settings are in pyproject.toml, which setuptools reads.
# This shim stays for what still runs setup.py ({where});
# `uv build` makes the sdist and wheel without it.
from setuptools import setup

setup()
"""


class _SetupPyShim:
    """context: runners, the "path:line" of each line that still runs setup.py."""

    name = "setup-py-shim"

    def applies_to(self, rel: str, kind: FileKind | None) -> bool:
        return rel == "setup.py"

    def rewrite(self, file_text: str, context: Mapping[str, Any]) -> Rewrite:
        runners = [str(r) for r in context["runners"]]
        if not runners:
            return Rewrite(file_text, False)
        where = ", ".join(runners[:4]) + (" ..." if len(runners) > 4 else "")
        note = (
            f"setup.py is still run ({where}): it becomes a bare setup() shim (setuptools reads "
            "the project from pyproject.toml); `uv build` makes the sdist and wheel without it"
        )
        return Rewrite(
            _SETUP_PY_SHIM.format(where=where),
            True,
            f"a bare setup() shim: still run by {where}",
            notes=(note,),
        )


SETUP_PY_SHIM = _SetupPyShim()
