"""A Dockerfile's instructions as BuildKit reads them: one logical instruction a line or a run of
lines continued by the escape character (`\\`, or what a `# escape=` directive says), comment
lines inside a continuation dropped, each with the physical lines it spans so a rewrite can
replace exactly those and keep everything between them as written."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIRECTIVE = re.compile(r"#\s*(\w+)\s*=\s*(\S+)\s*$")
_HEREDOC = re.compile(r"<<-?\s*[\"']?[A-Za-z_]\w*")


@dataclass(frozen=True)
class Instruction:
    start: int  # first physical line, 0-based
    end: int  # one past the last
    keyword: str  # upper case: FROM, RUN, COPY...
    body: str  # the arguments, continuations joined with one space

    @property
    def line(self) -> int:
        """The 1-based line a user sees it start on."""
        return self.start + 1

    @property
    def heredoc(self) -> bool:
        return self.keyword in ("RUN", "COPY", "ADD") and bool(_HEREDOC.search(self.body))


def escape_char(lines: list[str]) -> str:
    """The escape character the parser directives at the top set (`\\` unless told)."""
    for line in lines:
        m = _DIRECTIVE.match(line.strip())
        if m is None:
            break
        if m.group(1).lower() == "escape":
            return m.group(2)[:1] or "\\"
    return "\\"


def instructions(text: str) -> list[Instruction]:
    """Every instruction of the Dockerfile `text`, in order. A heredoc body (RUN <<EOF ... EOF)
    is taken as part of its instruction."""
    lines = text.splitlines()
    escape = escape_char(lines)
    out: list[Instruction] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = i
        pieces: list[str] = []
        while True:
            line = lines[i].rstrip()
            continued = line.endswith(escape)
            piece = line[:-1] if continued else line
            if pieces and piece[:1] not in (" ", "\t", "") and pieces[-1][-1:] not in (" ", ""):
                pieces[-1] += piece.strip()  # a word split across lines stays one word
            else:
                pieces.append(piece.strip())
            i += 1
            if not continued:
                break
            while i < len(lines) and lines[i].strip().startswith("#"):
                i += 1  # a comment inside a continuation is not part of the instruction
            if i >= len(lines):
                break
        joined = " ".join(p for p in pieces if p)
        keyword, _, body = joined.partition(" ")
        found = Instruction(start, i, keyword.upper(), body.strip())
        if found.heredoc:
            i = _heredoc_end(lines, i, found.body)
            found = Instruction(start, i, found.keyword, found.body)
        out.append(found)
    return out


def _heredoc_end(lines: list[str], i: int, body: str) -> int:
    """The line after the last heredoc terminator that `body` opens."""
    for m in re.finditer(r"<<(-?)\s*[\"']?([A-Za-z_]\w*)", body):
        dash, word = m.group(1), m.group(2)
        while i < len(lines):
            line = lines[i].lstrip("\t") if dash else lines[i]
            i += 1
            if line.rstrip() == word:
                break
    return i
