"""README.md's setup section: its pip/venv lines become uv's quick start, the rest stays (a
Rewriter: README)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from uvmk.contract import DEV_SYNC
from uvmk.patterns import README_ENV_STEP, README_PIPISH
from uvmk.rewriters.protocol import Rewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind


UV_QUICKSTART = f"""# Install uv (if not already installed)
curl -LsSf https://astral.sh/uv/install.sh | sh

# Install dependencies, dev tools included (creates .venv automatically)
{DEV_SYNC}

# Optional: activate the venv
source .venv/bin/activate
"""


# The same steps for a Windows block (```bat / ```cmd / ```powershell / ```ps1): comment prefix,
# then the lines.
_WINDOWS_STEPS = (
    (
        "Install uv (if not already installed)",
        'powershell -ExecutionPolicy ByPass -c "irm https://astral.sh/uv/install.ps1 | iex"',
    ),
    ("Install dependencies, dev tools included (creates .venv automatically)", DEV_SYNC),
    ("Optional: activate the venv", r".venv\Scripts\activate"),
)


_WINDOWS_FENCES = {
    "bat": "REM",
    "batch": "REM",
    "cmd": "REM",
    "dos": "REM",
    "doscon": "REM",
    "powershell": "#",
    "ps1": "#",
    "ps": "#",
    "pwsh": "#",
}


_SECTION = re.compile(r"^(#{1,6})\s+(.*)$")


_SETUP_WORDS = re.compile(r"install|set ?up|quick ?start|getting started", re.I)


_COMMENT = re.compile(r"^(?:#|REM\b|::|//)", re.I)


def _quickstart_lines(fence_info: str) -> list[str]:
    lang = fence_info.strip().lower().split()[0] if fence_info.strip() else ""
    prefix = _WINDOWS_FENCES.get(lang)
    if prefix is None:
        return UV_QUICKSTART.splitlines()
    out: list[str] = []
    for comment, command in _WINDOWS_STEPS:
        if out:
            out.append("")
        out += [f"{prefix} {comment}", command]
    return out


def _replace_env_steps(
    body: list[str], quick: list[str], indent: str
) -> tuple[list[str], list[str], list[str]]:
    """(new body lines, the lines dropped): the pip/venv/activate lines (and the comments and
    blank lines that only go with them) make way for the quick start, at the first of them;
    every other line stays where it was."""
    code = [ln.rstrip("\r\n") for ln in body]
    stripped = [ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in code]
    cmd = [re.sub(r"^(?:\$|>|PS>|C:\\>)\s+", "", t.strip()) for t in stripped]
    drop = [bool(c) and not _COMMENT.match(c) and bool(README_ENV_STEP.search(c)) for c in cmd]
    # a comment goes with the commands right after it when they are all dropped
    for i in range(len(cmd) - 1, -1, -1):
        if cmd[i] and _COMMENT.match(cmd[i]):
            j = i + 1
            while j < len(cmd) and cmd[j] and _COMMENT.match(cmd[j]):
                j += 1
            drop[i] = j < len(cmd) and bool(cmd[j]) and drop[j]
    # a blank line between dropped lines (or at an edge) goes too
    for i, c in enumerate(cmd):
        if c:
            continue
        before = next((drop[k] for k in range(i - 1, -1, -1) if cmd[k]), True)
        after = next((drop[k] for k in range(i + 1, len(cmd)) if cmd[k]), True)
        drop[i] = before and after
    prompt = (
        "$ "
        if any(t.strip().startswith("$ ") for t, d in zip(stripped, drop, strict=True) if d)
        else ""
    )
    inserted = [
        (indent + (prompt if q and not _COMMENT.match(q) else "") + q) if q else ""
        for q in quick
        if q or not indent  # an indented block: no blank lines inside
    ]
    new: list[str] = []
    for i, line in enumerate(code):
        if drop[i]:
            if inserted:
                new += inserted
                inserted = []
            continue
        new.append(line)
    dropped = [code[i].strip() for i in range(len(code)) if drop[i] and cmd[i]]
    kept = [code[i].strip() for i in range(len(code)) if not drop[i] and cmd[i]]
    return new, dropped, kept


def readme_quickstart(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(new text, what changed, the lines replaced and kept) or None when there is nothing to
    do. Only the pip/venv lines of a setup block are replaced; its other lines stay."""
    if re.search(r"\buv sync\b", text):
        return None
    lines = text.splitlines(keepends=True)
    nl = "\r\n" if "\r\n" in text else "\n"
    in_fence = False
    sect_start = sect_level = None
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = _SECTION.match(line.rstrip("\r\n"))
        if m and _SETUP_WORDS.search(m.group(2)):
            sect_start, sect_level = i, len(m.group(1))
            break
    if sect_start is None or sect_level is None:
        return None
    heading = lines[sect_start].strip()
    end = len(lines)
    in_fence = False
    for i in range(sect_start + 1, len(lines)):
        if lines[i].lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        m = _SECTION.match(lines[i].rstrip("\r\n"))
        if not in_fence and m and len(m.group(1)) <= sect_level:
            end = i
            break

    def replaced(first: int, last: int, info: str, indent: str) -> tuple[str, str, tuple[str, ...]]:
        """lines[first:last] is a block body: its pip/venv lines become the quick start."""
        quick = _quickstart_lines(info)
        body, dropped, kept = _replace_env_steps(lines[first:last], quick, indent)
        new = "".join(lines[:first]) + "".join(b + nl for b in body) + "".join(lines[last:])
        what = f"replace the pip commands under `{heading}` by the uv quick start"
        if (info.lower().split() or [""])[0] in _WINDOWS_FENCES:
            what += f" (Windows commands: a {info} block)"
        details = tuple(f"replaced: {d}" for d in dropped) + tuple(f"kept: {k}" for k in kept)
        return new, what, details

    # the first code block in the section (fenced or indented) that installs with pip
    i = sect_start + 1
    prev_blank = True
    while i < end:
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            info = stripped.rstrip("\r\n")[3:].strip("`~ ")
            j = i + 1
            while j < end and not lines[j].lstrip().startswith(fence):
                j += 1
            body = "".join(lines[i + 1 : j])
            if README_PIPISH.search(body) and j < end:
                indent = line[: len(line) - len(stripped)]
                return replaced(i + 1, j, info, indent)
            i = j + 1
            prev_blank = False
            continue
        indent_m = re.match(r"^( {4,}|\t)\S", line)
        if indent_m and prev_blank:
            indent = indent_m.group(1)
            j = i
            while j < end and (
                lines[j].startswith(indent)
                or (not lines[j].strip() and j + 1 < end and lines[j + 1].startswith(indent))
            ):
                j += 1
            if README_PIPISH.search("".join(lines[i:j])):
                return replaced(i, j, "", indent)
            i = j
            continue
        prev_blank = not line.strip()
        i += 1
    block = f"```bash{nl}{UV_QUICKSTART.replace(chr(10), nl)}```{nl}{nl}"
    new = "".join(lines[: sect_start + 1]) + nl + block + "".join(lines[sect_start + 1 :])
    return new, f"add the uv quick start under `{heading}`", ()


class _Readme:
    """README.md at the root: its setup section's pip/venv lines become uv's quick start."""

    name = "readme"

    def applies_to(self, rel: str, kind: FileKind | None) -> bool:
        return rel == "README.md"

    def rewrite(self, file_text: str, context: Mapping[str, Any]) -> Rewrite:
        found = readme_quickstart(file_text)
        if found is None:
            return Rewrite(file_text, False)
        new, what, details = found
        return Rewrite(new, True, what, details)


README = _Readme()
