"""One folder per input format the engine migrates from, each a Source behind one protocol:
`detect(tree)` names the files it owns, `read(tree, owned, reading)` says what they hold as a
Contribution (sources/contribution.py). REGISTRY lists them, one line each, in the order the
survey reads them: a format that owns the project's metadata first (Poetry, which the survey
converts; setuptools, whose [project] pip's requirements are then compared with), Pipenv, then pip.
A format another tool owned (Poetry, Pipenv) is a ConvertedFormat: its convert() makes the
pyproject uv reads before any source reads. A new format is one folder and one line here."""

from __future__ import annotations

from uvmk.sources.pip.source import PIP
from uvmk.sources.pipenv.source import PIPENV
from uvmk.sources.poetry.source import POETRY
from uvmk.sources.protocol import ConvertedFormat, Reading, Source
from uvmk.sources.setuptools.source import SETUPTOOLS

REGISTRY: tuple[Source, ...] = (
    POETRY,
    SETUPTOOLS,
    PIPENV,
    PIP,
)


def converted_formats() -> tuple[ConvertedFormat, ...]:
    """The registry's formats another tool owned, which the survey converts first."""
    return tuple(s for s in REGISTRY if isinstance(s, ConvertedFormat))


__all__ = ["REGISTRY", "ConvertedFormat", "Reading", "Source", "converted_formats"]
