"""A Makefile as blocks: each assignment, rule (with its recipe) or other line, with its
physical lines kept byte for byte; small edits of those lines."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

_ASSIGN = re.compile(
    r"^(?P<prefix>(?:(?:override|export)\s+)*)(?P<name>[A-Za-z_][\w.-]*)\s*"
    r"(?P<op>:::=|::=|:=|\?=|\+=|!=|=)(?P<value>.*)$"
)


_RULE = re.compile(r"^(?P<targets>[^\t#:=][^#:=]*?)\s*(?P<colons>::?)(?!=)(?P<rest>.*)$")


_REF = re.compile(r"\$[({]([A-Za-z_][\w.-]*)[)}]")


_INCLUDE_UVMK = re.compile(r"^\s*-?s?include\s+\S*uv\.mk\s*$")


@dataclass
class Block:
    """One logical unit of the Makefile: its physical lines and what it is."""

    kind: str  # "assign" | "rule" | "other"
    lines: list[str]  # physical lines, each with its newline
    start: int  # 1-based line number of the first line
    name: str = ""  # assign: variable name
    op: str = ""
    value: str = ""
    prefix: str = ""
    targets: list[str] = field(default_factory=list)
    recipe: list[str] = field(default_factory=list)  # rule: recipe lines (within `lines`)
    head: str = ""  # rule: the joined header line
    removed: bool = False

    @property
    def text(self) -> str:
        return "".join(self.lines)


def split_blocks(text: str) -> list[Block]:
    physical = text.splitlines(keepends=True)
    blocks: list[Block] = []
    i = 0
    in_define = False
    while i < len(physical):
        start = i
        # a logical line: follow backslash continuations
        while physical[i].rstrip("\r\n").endswith("\\") and i + 1 < len(physical):
            i += 1
        lines = physical[start : i + 1]
        i += 1
        logical = " ".join(ln.rstrip("\r\n").rstrip("\\").strip() for ln in lines)
        first = lines[0]
        stripped = first.strip()
        if in_define:
            blocks.append(Block("other", lines, start + 1))
            if re.match(r"^\s*endef\b", first):
                in_define = False
            continue
        if re.match(r"^\s*(?:override\s+|export\s+)*define\b", first):
            in_define = True
            blocks.append(Block("other", lines, start + 1))
            continue
        if first.startswith("\t") or not stripped or stripped.startswith("#"):
            blocks.append(Block("other", lines, start + 1))
            continue
        m = _ASSIGN.match(logical)
        if m and not re.match(
            r"^\s*(?:ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|"
            r"sinclude|vpath|unexport)\b",
            logical,
        ):
            blocks.append(
                Block(
                    "assign",
                    lines,
                    start + 1,
                    name=m.group("name"),
                    op=m.group("op"),
                    value=m.group("value").strip(),
                    prefix=m.group("prefix"),
                )
            )
            continue
        r = _RULE.match(logical)
        if r and not re.match(
            r"^\s*(?:ifeq|ifneq|ifdef|ifndef|else|endif|include|-include)\b", logical
        ):
            block = Block(
                "rule", list(lines), start + 1, targets=r.group("targets").split(), head=logical
            )
            # recipe: following lines that start with a tab (with their continuations), and
            # the blank and comment lines make lets sit among them
            while (k := _next_recipe_line(physical, i)) < len(physical):
                block.lines += physical[i:k]
                block.recipe += physical[i:k]
                i = j = k
                while physical[j].rstrip("\r\n").endswith("\\") and j + 1 < len(physical):
                    j += 1
                block.lines += physical[i : j + 1]
                block.recipe += physical[i : j + 1]
                i = j + 1
            blocks.append(block)
            continue
        blocks.append(Block("other", lines, start + 1))
    return blocks


def _next_recipe_line(physical: list[str], i: int) -> int:
    """The index of the recipe line at or after `i` past blank and comment lines, which make
    ignores inside a recipe; len(physical) when the recipe has ended."""
    j = i
    while j < len(physical) and (not physical[j].strip() or physical[j].startswith("#")):
        j += 1
    return j if j < len(physical) and physical[j].startswith("\t") else len(physical)


def _refs(text: str) -> set[str]:
    return set(_REF.findall(text))


# `$(NAME:.c=.o)`, `$(origin NAME)`, `ifdef NAME`: reads of a variable _REF does not see
_SUBST_REF = re.compile(r"\$[({]([A-Za-z_][\w.-]*):")
_BY_NAME = re.compile(
    r"\$[({](?:origin|value|flavor)\s+([A-Za-z_][\w.-]*)[)}]|^\s*ifn?def\s+([A-Za-z_][\w.-]*)",
    re.M,
)
# a computed name: `$(prefix_$*)`, `${prefix_$(LANG)}` (every variable named prefix_...) and
# `$($(LANG)_suffix)`
_COMPUTED_PREFIX = re.compile(r"\$[({]([A-Za-z_][\w.-]*)\$")
_COMPUTED_SUFFIX = re.compile(r"\$[({]\$(?:[({][^(){}]*[)}]|[^({])([\w.-]+)[)}]")


def references(text: str, name: str) -> bool:
    """`text` may read variable `name`: by name, or through a computed name it could be."""
    named, prefixes, suffixes = _reads(text)
    return (
        name in named
        or any(name.startswith(p) for p in prefixes)
        or any(name.endswith(sfx) for sfx in suffixes)
    )


@functools.lru_cache(maxsize=4096)
def _reads(text: str) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """What `text` reads, once a text (the rewrite asks each block about every variable): the
    names it reads, and the prefixes and suffixes of the names it computes."""
    named = _refs(text) | set(_SUBST_REF.findall(text))
    named |= {n for groups in _BY_NAME.findall(text) for n in groups if n}
    return (
        frozenset(named),
        tuple(_COMPUTED_PREFIX.findall(text)),
        tuple(_COMPUTED_SUFFIX.findall(text)),
    )


def _logical_lines(physical: list[str]) -> list[str]:
    out: list[str] = []
    buf = ""
    for line in physical:
        body = line.rstrip("\r\n")
        if body.endswith("\\"):
            buf += body[:-1] + " "
            continue
        out.append(buf + body)
        buf = ""
    if buf:
        out.append(buf)
    return out


def _prereqs(head: str) -> list[str]:
    _, _, rest = head.partition(":")
    rest = rest.lstrip(":")
    return rest.split(";", 1)[0].split("#", 1)[0].replace("|", " ").split()


def _replace_value(line: str, old: str, new: str) -> str:
    idx = line.rfind(old) if old else -1
    if idx < 0:
        m = _ASSIGN.match(line.rstrip("\r\n"))
        eol = line[len(line.rstrip("\r\n")) :]
        return f"{m.group('prefix')}{m.group('name')} {m.group('op')} {new}{eol}" if m else line
    return line[:idx] + new + line[idx + len(old) :]


def _drop_words(line: str, words: set[str]) -> str:
    eol = line[len(line.rstrip("\r\n")) :]
    body = line[: len(line) - len(eol)]
    if body.lstrip().startswith(".PHONY"):
        head, _, rest = body.partition(":")
        head += ":"
    else:
        head = body[: len(body) - len(body.lstrip())]
        rest = body[len(head) :]
    cont = rest.rstrip().endswith("\\")
    toks = rest.rstrip().rstrip("\\").split()
    kept = [t for t in toks if t not in words]
    if kept == toks:
        return line
    new = " ".join(kept)
    if head.endswith(":"):
        new = " " + new if new else ""
    if cont:
        new += " \\"
    return head + new + eol


def _insert_after_leading_comments(body: list[Block], header: str, nl: str) -> str:
    idx = 0
    while (
        idx < len(body)
        and body[idx].kind == "other"
        and body[idx].lines[0].lstrip().startswith("#")
    ):
        idx += 1
    before = "".join(b.text for b in body[:idx])
    after = "".join(b.text for b in body[idx:])
    if before and not before.endswith("\n"):
        before += nl
    sep_before = nl if before and before.strip() and not before.endswith(nl + nl) else ""
    sep_after = "" if after.startswith(("\n", "\r\n")) or not after else nl
    return before + sep_before + header + sep_after + after


_DEFAULT_GOAL = re.compile(r"^\s*(?:override\s+)?\.DEFAULT_GOAL\s*:{0,3}=\s*([^#\r\n]*)")


def legacy_default_goal(blocks: list[Block]) -> str:
    """The goal a bare `make` ran: `.DEFAULT_GOAL`, else the first ordinary target."""
    for b in blocks:
        m = _DEFAULT_GOAL.match(b.lines[0]) if b.kind != "rule" else None
        if m and m.group(1).strip():
            return m.group(1).strip()
    for b in blocks:
        if b.kind == "rule" and b.targets:
            first = b.targets[0]
            if (first.startswith(".") and "/" not in first) or "%" in first:
                continue
            return first
    return ""
