"""Dependabot (.github/dependabot.yml): an update of the `pip` ecosystem in the root, where
uv.lock now lives, becomes the `uv` one, its directory, schedule, groups and every other key
kept as they are: with `pip`, Dependabot would bump the requirements files the migration
removed and never uv.lock. A `pip` update of another folder (a requirements file kept there)
stays, said."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from uvmk.rewriters.readers import files
from uvmk.rewriters.readers.protocol import Finding, ReaderContext, ReaderRewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

_ECOSYSTEM = re.compile(
    r"^(?P<lead>\s*(?:-\s+)?package-ecosystem:\s*)(?P<q>[\"']?)pip(?P=q)(?P<rest>\s*(?:#.*)?)$"
)
_DIRECTORY = re.compile(r"^\s*(?:-\s+)?director(?:y|ies):\s*(?P<value>.*?)\s*(?:#.*)?$")
_ROOTS = frozenset({"/", ".", "./", ""})


class _Dependabot:
    name = "dependabot"
    knob = "bots"

    def reads(self, rel: str, kind: FileKind | None) -> bool:
        return files.dependabot(rel, kind)

    def rewrite(self, rel: str, text: str, context: ReaderContext) -> ReaderRewrite:
        lines = text.splitlines(keepends=True)
        findings: list[Finding] = []
        for i, line in enumerate(lines):
            m = _ECOSYSTEM.match(line.rstrip("\n"))
            if m is None:
                continue
            folders = _directories(lines, i)
            if folders and all(f in _ROOTS for f in folders):
                eol = line[len(line.rstrip("\n")) :]
                lines[i] = f"{m['lead']}{m['q']}uv{m['q']}{m['rest']}{eol}"
                findings.append(Finding(i + 1, "package-ecosystem pip → uv (updates uv.lock)"))
            else:
                where = ", ".join(folders) or "no directory"
                findings.append(
                    Finding(
                        i + 1,
                        f"package-ecosystem pip kept: it updates {where}, not the root's uv.lock",
                        rewritten=False,
                    )
                )
        return ReaderRewrite("".join(lines), tuple(findings))


def _directories(lines: list[str], at: int) -> list[str]:
    """The `directory` (or `directories`) of the update entry whose ecosystem line is `at`:
    the entry runs from its `- ` line to the next line indented no deeper than that dash."""
    start = at
    while start > 0 and not lines[start].lstrip().startswith("- "):
        start -= 1
    dash = _indent(lines[start])
    found: list[str] = []
    for j in range(start, len(lines)):
        line = lines[j]
        ends = line.strip() and not line.lstrip().startswith("#") and _indent(line) <= dash
        if j > start and ends:
            break
        m = _DIRECTORY.match(line.rstrip("\n"))
        if m is None:
            continue
        if m["value"]:
            found += _values(m["value"])
            continue
        for below in lines[j + 1 :]:  # `directories:` and a block list under it
            item = re.match(r"^\s*-\s+(.*?)\s*(?:#.*)?$", below)
            if item is None:
                break
            found += _values(item.group(1))
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _values(value: str) -> list[str]:
    value = value.strip()
    if value.startswith("["):
        return [_values(v)[0] for v in value.strip("[]").split(",") if v.strip()]
    return [value.strip("\"'")]


DEPENDABOT = _Dependabot()
