"""Docs, tox.ini and shell scripts that run Poetry or Pipenv run uv instead, each command
translated by the one table (rewriters/old_tools.py). A command the table has no exact uv form
for is kept as written and comes back as a reader left, for the plan to say.

Docs: only what a reader would type (a code block, a `$ ` line, an inline `code` span), and a
uv.mk target where one does the same. tox.ini: tox runs its commands in the env it made, which
Poetry and Pipenv installed into (VIRTUAL_ENV): uv does with `--active`; `allowlist_externals`
names uv then. Shell scripts: every line but comments."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from uvmk.rewriters.protocol import Rewrite

if TYPE_CHECKING:
    from uvmk.rewriters.old_tools import Call, Shape, Translation
    from uvmk.survey.tree import FileKind

KINDS = ("docs", "tox", "shell")
# the docs pages that tell the project's own people how to set it up: the ones rewritten (a page
# documenting Poetry's commands, docs/cli.md of Poetry itself, is about the tool, not the setup)
SETUP_DOCS = re.compile(
    r"(?:readme|contributing|install|hacking|develop|setup|getting[-_ ]?started|quick[-_]?start)",
    re.I,
)


def is_setup_page(rel: str) -> bool:
    return SETUP_DOCS.match(rel.rsplit("/", 1)[-1]) is not None


_FENCE = re.compile(r"^\s*(```|~~~)")
_PROMPT = re.compile(r"^\s*(?:[$>]\s+|PS>\s*)?")
_ALLOWLIST = re.compile(r"^\s*(?:allowlist|whitelist)_externals\s*=")
_TOX_ACTIVE = re.compile(r"(^|&& )uv (sync|run)\b")


class _OldToolLines:
    """context: `shape` (old_tools.Shape: what the migrated project has, which tools were
    converted) and `kind` (docs, tox or shell)."""

    name = "old-tool-lines"

    def applies_to(self, rel: str, kind: FileKind | None) -> bool:
        return kind in KINDS

    def rewrite(self, file_text: str, context: Mapping[str, Any]) -> Rewrite:
        # the old tools' table loads only for a converted Poetry or Pipenv project (most have none)
        from uvmk.rewriters.old_tools import rewrite_line

        shape: Shape = context["shape"]
        kind = str(context["kind"])
        lines = file_text.splitlines(keepends=True)
        details: list[str] = []
        left: list[str] = []
        fenced = False
        readme = str(context.get("path", "")).rsplit("/", 1)[-1].lower().startswith("readme")
        setup_section = not readme
        for n, line in enumerate(lines, 1):
            if kind == "docs" and _FENCE.match(line):
                fenced = not fenced
                continue
            if kind == "docs" and not fenced and (heading := _heading(lines, n - 1)):
                # a README also tells its users how to use the project (a Poetry plugin's
                # `poetry export`): only its setup and development sections are the setup
                setup_section = not readme or _SETUP_SECTION.search(heading) is not None
            if not setup_section:
                continue
            if kind == "shell" and line.lstrip().startswith(("#", "REM ", "rem ", "::")):
                continue
            if kind == "tox" and line.lstrip().startswith(("#", ";")):
                continue
            done = rewrite_line(line, shape, _render(kind, shape), _wanted(kind, line, fenced))
            lines[n - 1] = done.text
            details += [f"line {n}: `{old}` → `{new}`" for old, new in done.done]
            left += [f"{context.get('path', '')}:{n} `{old}`" for old in done.left]
        if kind == "tox" and details and not left:
            _allowlist_uv(lines, shape)
        text = "".join(lines)
        if text == file_text:
            return Rewrite(file_text, False, readers_left=tuple(left))
        tools = " and ".join(sorted(t.capitalize() for t in shape.converted))
        return Rewrite(
            text, True, f"its {tools} commands now run uv", tuple(details), readers_left=tuple(left)
        )


_SETUP_SECTION = re.compile(
    r"install|set ?up|quick ?start|getting started|develop|contribut|hack|test|local|environment"
    r"|build|requirement|depend",
    re.I,
)
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*\S)")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")


def _heading(lines: list[str], i: int) -> str | None:
    """The heading line i is (a Markdown `## Install`, or an RST title over its underline)."""
    m = _MD_HEADING.match(lines[i])
    if m:
        return m.group(1)
    if i + 1 < len(lines) and lines[i].strip() and _RST_UNDERLINE.match(lines[i + 1]):
        return lines[i].strip()
    return None


def _render(kind: str, shape: Shape) -> Callable[[Translation], str]:
    if kind == "docs":
        return lambda t: t.for_people(shape)
    if kind == "tox":
        return lambda t: _TOX_ACTIVE.sub(r"\1uv \2 --active", t.shell())
    return lambda t: t.shell()


def _wanted(kind: str, line: str, fenced: bool) -> Callable[[Call], bool]:
    """Docs: a command someone types (in a code block, first on its line, or opening a `code`
    span: `uv tool run poetry lock` in one is something else)."""
    if kind != "docs" or fenced:
        return lambda call: True
    lead = len(_PROMPT.match(line).group(0))  # type: ignore[union-attr]

    def typed(call: Call) -> bool:
        before = line[: call.start]
        return call.start == lead or (before.count("`") % 2 == 1 and before.endswith("`"))

    return typed


def _allowlist_uv(lines: list[str], shape: Shape) -> None:
    """`allowlist_externals = poetry` (or on the lines below it) names uv now."""
    inside = False
    word = re.compile(r"(?<![\w./-])(" + "|".join(sorted(shape.converted)) + r")(?![\w./-])")
    for i, line in enumerate(lines):
        if _ALLOWLIST.match(line):
            inside = True
            lines[i] = word.sub("uv", line)
        elif inside and line[:1] in (" ", "\t") and line.strip():
            lines[i] = word.sub("uv", line)
        else:
            inside = False


OLD_TOOL_LINES = _OldToolLines()
