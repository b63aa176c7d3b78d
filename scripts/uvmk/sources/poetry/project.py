"""The one door the survey opens to Poetry: is this a Poetry project, and if so the pyproject it
becomes, the versions poetry.lock tested (seeds for uv.lock) and what the conversion said."""

from __future__ import annotations

from typing import Any

from tomlkit.exceptions import ParseError

from uvmk.sources.converted import (
    ConvertedProject,
    locked_elsewhere,
    not_rewritten,
    said_line,
    still_running,
)
from uvmk.sources.poetry import says_what_installs
from uvmk.survey import readers
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import key_line
from uvmk.survey.tree import Tree

# what each Poetry command is with uv (uv.mk's targets do the first two)
_UV_FOR = {"install": "uv sync", "sync": "uv sync", "run": "uv run", "shell": "uv run $SHELL"}
_UV_FOR |= {"add": "uv add", "remove": "uv remove", "lock": "uv lock", "update": "uv lock -U"}
_UV_FOR |= {"export": "uv export"}


PoetryProject = ConvertedProject  # what the survey gets for a Poetry project


def poetry_project(tree: Tree, text: str | None, doc: Any) -> PoetryProject | None:
    """None when Poetry does not own the project; SurveyError (one line, file:line) when the
    conversion would lose something."""
    poetry = (doc.get("tool") or {}).get("poetry") if doc is not None else None
    if text is None or poetry is None:
        return None
    if not says_what_installs(doc):
        return None
    # the converter and poetry.lock's reader only for a Poetry project: every survey asks
    from uvmk.sources.poetry import lock
    from uvmk.sources.poetry.convert import convert

    conversion = convert(text)
    if refusals := conversion.refusals():
        first = refusals[0]
        more = f" (and {len(refusals) - 1} more)" if len(refusals) > 1 else ""
        raise SurveyError(
            f"pyproject.toml: {first.note.text}{more}: Poetry reads it, uv cannot be told the "
            f"same ({first.file}:{first.line})"
        )
    notes = [said_line(s) for s in conversion.said if s.note.kind == "reported"]
    seeds: dict[str, str] = {}
    has_lock = tree.has_file("poetry.lock")
    if has_lock:
        try:
            locked = lock.read((tree.data("poetry.lock") or b"").decode("utf-8"))
        except (ParseError, KeyError, UnicodeDecodeError) as e:
            raise SurveyError(f"poetry.lock: cannot be read ({e}) (poetry.lock:1)") from None
        seeds = locked.seeds
        notes += [f"poetry.lock: {n.text}" for n in locked.notes]
        notes += locked_elsewhere("poetry.lock", locked.elsewhere)
    if tree.has_file("poetry.toml"):
        notes.append(
            "poetry.toml (Poetry's own settings: virtualenvs, repositories) kept: uv reads none "
            "of it (uv's venv is .venv in the project; index credentials: UV_INDEX_<NAME>_*)"
        )
    notes += _still_poetry(tree, has_lock=has_lock)
    where = key_line(text, "tool", "poetry") or 1
    return ConvertedProject(
        conversion.text, seeds, tuple(notes), where, lock="poetry.lock" if has_lock else None
    )


def _still_poetry(tree: Tree, *, has_lock: bool) -> list[str]:
    """The lines that still run Poetry or read poetry.lock: kept as they are (not rewritten
    yet), each said with its uv equivalent, so nothing breaks unseen."""
    found = readers.scan(tree)
    notes = []
    if has_lock:
        reading = [str(r) for r in readers.readers(found, "poetry.lock")]
        where = f", read by {', '.join(reading)}" if reading else ""
        notes.append(f"poetry.lock kept{where}: delete it once nothing reads it")
    return notes + not_rewritten("poetry", still_running(found, "poetry", _UV_FOR))
