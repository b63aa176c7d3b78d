"""The one door the survey opens to Poetry: is this a Poetry project, and if so the pyproject it
becomes, the versions poetry.lock tested (seeds for uv.lock) and what the conversion said."""

from __future__ import annotations

import re
from typing import Any

from tomlkit.exceptions import ParseError

from uvmk.rewriters.makefile.scan import MAKEFILE_NAMES
from uvmk.rewriters.old_tool_lines import KINDS
from uvmk.rewriters.old_tools import Shape, calls, translate
from uvmk.sources.converted import (
    ConvertedProject,
    locked_elsewhere,
    refused,
    said_line,
    still_running,
)
from uvmk.sources.poetry import says_what_installs
from uvmk.sources.poetry.settings import settings_notes
from uvmk.survey import readers
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import key_line
from uvmk.survey.tree import Tree

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
        raise refused(refusals, "pyproject.toml", "Poetry")
    notes = [said_line(s) for s in conversion.said if s.note.kind == "reported"]
    seeds: dict[str, str] = {}
    written_by = ""
    has_lock = tree.has_file("poetry.lock")
    if has_lock:
        try:
            locked = lock.read((tree.data("poetry.lock") or b"").decode("utf-8"))
        except (ParseError, KeyError, UnicodeDecodeError) as e:
            raise SurveyError(f"poetry.lock: cannot be read ({e}) (poetry.lock:1)") from None
        seeds = locked.seeds
        written_by = locked.poetry_version or ""
        notes += [f"poetry.lock: {n.text}" for n in locked.notes]
        notes += locked_elsewhere("poetry.lock", locked.elsewhere)
    if tree.has_file("poetry.toml"):
        notes += settings_notes(tree.text("poetry.toml"))
    notes += _still_poetry(tree, has_lock=has_lock)
    notes += _reads_tool_poetry(tree)
    where = key_line(text, "tool", "poetry") or 1
    return ConvertedProject(
        conversion.text,
        seeds,
        tuple(notes),
        where,
        lock="poetry.lock" if has_lock else None,
        runners=tuple(still_running(readers.scan(tree), "poetry", _UV_FOR)),
        written_by=written_by,
    )


# the Poetry commands that read the project's pyproject.toml and poetry.lock (for the plan to
# know who still does; each line's exact uv form is _still_poetry's to say)
_UV_FOR = {"install": "uv sync", "sync": "uv sync", "run": "uv run", "export": "uv export"}
_UV_FOR |= {"lock": "uv lock", "update": "uv lock --upgrade", "build": "uv build"}


def _still_poetry(tree: Tree, *, has_lock: bool) -> list[str]:
    """The lines the migration does not rewrite that still run Poetry or read poetry.lock (a
    Dockerfile, CI: readers, their rewrite is their own): kept as they are, each said with its
    uv equivalent (rewriters.old_tools, the one table), so nothing breaks unseen. The root
    Makefile's recipes, docs, tox.ini and shell scripts are rewritten by the plan."""
    found = readers.scan(tree)
    notes = []
    if has_lock:
        reading = [str(r) for r in readers.readers(found, "poetry.lock")]
        where = f", read by {', '.join(reading)}" if reading else ""
        notes.append(f"poetry.lock kept{where}: delete it once nothing reads it")
    shape = Shape(converted=frozenset({"poetry"}))
    for rel, kind in found.files:
        if rel in MAKEFILE_NAMES or tree.kind(rel) in KINDS or kind in ("shell", "docs", "code"):
            continue
        runs = []
        for number, line in enumerate(tree.lines(rel), 1):
            if line.lstrip().startswith("#"):
                continue
            for call in calls(line):
                if call.tool == "poetry":
                    done = translate(call, shape)
                    uv = f"`{done.shell()}`" if done else "no exact uv form"
                    runs.append((number, line[call.start : call.end], uv))
        notes += _runs_note(rel, runs)
    return notes


# code reading the pyproject's [tool.poetry] table: `data["tool"]["poetry"]`, `.get("tool",
# {}).get("poetry")`
_TOOL_POETRY = re.compile(
    r"""\[\s*["']tool["']\s*\]\s*\[\s*["']poetry["']\s*\]"""
    r"""|\.get\(\s*["']tool["'][^)]*\)\s*\.get\(\s*["']poetry["']"""
)
_MAX_CODE = 3000  # .py files looked at: a big repo's far corners are not read


def _reads_tool_poetry(tree: Tree) -> list[str]:
    """The Python files that read pyproject.toml's [tool.poetry] (a test comparing its version
    with the package's): the keys it reads are in [project] after the migration."""
    found = []
    code = [rel for rel in tree.files if rel.endswith(".py")][:_MAX_CODE]
    for rel in code:
        text = tree.text(rel)
        if "pyproject" not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if _TOOL_POETRY.search(line):
                found.append(
                    f"{rel}:{number} reads pyproject.toml's [tool.poetry] (`{line.strip()}`): "
                    "its metadata and dependencies are in [project] (and [dependency-groups]) "
                    "after the migration: read them there"
                )
                break
    return found


def _runs_note(rel: str, runs: list[tuple[int, str, str]]) -> list[str]:
    """A reader's lines that run Poetry: one note each, or one for the file past three."""
    if len(runs) <= 3:
        return [
            f"{rel}:{n} still runs `{command}`: "
            + (f"with uv it is {uv}" if uv.startswith("`") else uv)
            + " (a reader: kept as it is)"
            for n, command, uv in runs
        ]
    shown = "; ".join(f"{n}: `{command}` → {uv}" for n, command, uv in runs[:3])
    return [
        f"{rel}: {len(runs)} lines still run Poetry (a reader: kept as it is): {shown}; lines "
        + ", ".join(str(n) for n, _, _ in runs)
    ]
