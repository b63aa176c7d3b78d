"""A project another tool owned (Poetry's pyproject, Pipenv's Pipfile), converted by the survey:
the pyproject uv reads, the versions its lock tested (seeds for uv.lock), what the conversion
said, and the lines that still run the old tool, each with its uv command."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from uvmk.rewriters.makefile.scan import MAKEFILE_NAMES
from uvmk.rewriters.old_tool_lines import KINDS
from uvmk.sources.notes import Said
from uvmk.survey import readers
from uvmk.survey.model import SurveyError


def refused(refusals: list[Said], config: str, tool: str) -> SurveyError:
    """The one line a conversion's refusals make: the first, naming how many more."""
    first = refusals[0]
    more = f" (and {len(refusals) - 1} more)" if len(refusals) > 1 else ""
    return SurveyError(
        f"{config}: {first.note.text}{more}: {tool} reads it, uv cannot be told the same "
        f"({first.file}:{first.line})"
    )


@dataclass(frozen=True)
class ConvertedProject:
    text: str  # pyproject.toml as uv reads it
    seeds: dict[str, str] = field(default_factory=dict)  # the old lock's registry versions
    notes: tuple[str, ...] = ()  # what was reported, each naming file:line
    line: int = 1  # where the old tool's configuration starts
    tool: str = "poetry"
    config: str = "pyproject.toml"  # the file the old tool's configuration is in
    lock: str | None = None  # the old tool's lock file, when there
    # the old tool's files the migration deletes once uv.lock is written (kept, said, while a
    # Dockerfile, CI or a kept Makefile line still reads them)
    retired: tuple[str, ...] = ()
    scripts: dict[str, str] = field(default_factory=dict)  # Pipenv's [scripts]: name → command
    runners: tuple[Running, ...] = ()  # the lines that still run the old tool
    written_by: str = ""  # the version of the old tool that wrote its lock ("" when unsaid)


@dataclass(frozen=True)
class Running:
    """A line that runs the old tool (`pipenv install` in a Dockerfile)."""

    path: str
    line: int
    kind: str  # the file's kind (readers.Kind): a docs line breaks nothing
    command: str  # the old tool's subcommand: install, run...
    uv: str  # what it is with uv

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def still_running(found: readers.Scan, tool: str, uv_for: dict[str, str]) -> list[Running]:
    """The lines of the files that may run tools (`found`: the Makefile, CI, Dockerfiles,
    scripts, docs) that run `tool <one of uv_for's subcommands>`, comments left out."""
    # `pipenv run x`, or a Dockerfile's exec form: CMD ["pipenv", "run", "x"]
    commands = "|".join(map(re.escape, uv_for))
    runs = re.compile(rf"(?<![\w-]){tool}(?:\s+|[\"']\s*,\s*[\"'])({commands})\b")
    running = []
    for rel, kind in found.files:
        for number, line in enumerate(found.tree.lines(rel), 1):
            m = runs.search(line)
            if m and not line.lstrip().startswith("#"):
                running.append(Running(rel, number, kind, m.group(1), uv_for[m.group(1)]))
    return running


def not_rewritten(tool: str, running: list[Running]) -> list[str]:
    """One note a line that still runs the old tool: kept as it is, its uv command said. The
    root Makefile's recipes, docs, tox.ini and shell scripts are the plan's to rewrite (their
    rewriters say what they keep), so their lines are not said here."""
    return [
        f"{r} still runs `{tool} {r.command}`: with uv it is `{r.uv}` (not rewritten yet)"
        for r in running
        if r.path not in MAKEFILE_NAMES and r.kind not in KINDS
    ]


def locked_elsewhere(lock: str, elsewhere: dict[str, str]) -> list[str]:
    """One note a package the old lock took from git, a path or a URL ({name: "git url@ref"}):
    no version seeds it; uv.lock resolves its [tool.uv.sources] entry again."""
    return [
        f"{lock}: {name} is locked from {where}: uv.lock takes it from its [tool.uv.sources] "
        "entry, resolved again (a branch moves: set its rev to that commit to keep it)"
        for name, where in sorted(elsewhere.items())
    ]


def said_line(said: Said) -> str:
    """A conversion's note with the file:line it is about."""
    return f"{said.note.text} ({said.file}:{said.line})"
