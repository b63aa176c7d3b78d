"""The protocol every source follows (sources/__init__.py lists them): `detect(tree)` names
the files a format owns, `read(tree, owned, reading)` says what they hold; a format another
tool owned also has `convert`, which the survey calls first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from uvmk.sources.contribution import Contribution
    from uvmk.sources.converted import ConvertedProject
    from uvmk.survey.tree import Tree


@dataclass(frozen=True)
class Reading:
    """What a source reads its files against: pyproject as the sources before it leave it
    (its text and parsed document), and what the user asked."""

    pyproject_text: str | None
    doc: Any  # the parsed pyproject (tomlkit), None without one
    named: dict[str, Any] | None = None  # --requirements/--dev-requirements: file -> role
    override_pins: bool = False
    keep_pyproject_pins: bool = False
    # the files an earlier source reads for its extras (setup.py's extras_require files): file
    # -> extras; pyproject's extras hold their lines now
    extra_files: dict[str, list[str]] | None = None
    # the versions the converted project's old lock holds (Pipfile.lock's), when it has one
    locked: dict[str, str] | None = None


class Source(Protocol):
    name: str

    def detect(self, tree: Tree) -> tuple[str, ...]:
        """The files (posix, relative to the root) this format owns; () when it is absent."""
        ...

    def read(self, tree: Tree, owned: tuple[str, ...], reading: Reading) -> Contribution:
        """What the owned files hold."""
        ...


@runtime_checkable
class ConvertedFormat(Source, Protocol):
    """A format another tool owned (Poetry's pyproject, Pipenv's Pipfile): the survey converts
    it into the pyproject uv reads before any source reads, and every source reads that."""

    def convert(self, tree: Tree, text: str | None, doc: Any) -> ConvertedProject | None:
        """The converted project; None when the format is absent (`text`, `doc`: pyproject as
        it is). SurveyError (one line, file:line) when the conversion would lose part of it."""
        ...
