"""README.md's setup section: its pip/venv lines become uv's quick start, the rest stays (a
Rewriter: README)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from packaging.utils import canonicalize_name

from uvmk.contract import DEV_SYNC
from uvmk.rewriters.protocol import Rewrite

if TYPE_CHECKING:
    from uvmk.rewriters.old_tools import Call
    from uvmk.survey.tree import FileKind


def _quickstart_text(dev_sync: str) -> str:
    return f"""# Install uv (if not already installed)
curl -LsSf https://astral.sh/uv/install.sh | sh

# Install dependencies, dev tools included (creates .venv automatically)
{dev_sync}

# Optional: activate the venv
source .venv/bin/activate
"""


UV_QUICKSTART = _quickstart_text(DEV_SYNC)


# The same steps for a Windows block (```bat / ```cmd / ```powershell / ```ps1): comment prefix,
# then the lines.
_WINDOWS_STEPS = (
    (
        "Install uv (if not already installed)",
        'powershell -ExecutionPolicy ByPass -c "irm https://astral.sh/uv/install.ps1 | iex"',
    ),
    ("Install dependencies, dev tools included (creates .venv automatically)", "{dev_sync}"),
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


def _quickstart_lines(fence_info: str, dev_sync: str = DEV_SYNC) -> list[str]:
    lang = fence_info.strip().lower().split()[0] if fence_info.strip() else ""
    prefix = _WINDOWS_FENCES.get(lang)
    if prefix is None:
        return _quickstart_text(dev_sync).splitlines()
    out: list[str] = []
    for comment, command in _WINDOWS_STEPS:
        if out:
            out.append("")
        out += [f"{prefix} {comment}", command.replace("{dev_sync}", dev_sync)]
    return out


_VENV_STEP = re.compile(
    r"-m\s+venv\b|(?<![\w-])virtualenv\b|(?:^|\s)(?:source|\.)\s+\S*/activate\b"
    r"|[/\\](?:bin|Scripts)[/\\]activate(?:\.bat|\.ps1)?\b|^\S*[/\\]Scripts[/\\]activate\b",
    re.I,
)
_PIP_INSTALL = re.compile(
    r"(?:(?<![\w-])pip3?(?:\.\d+)?|-m\s+pip|[/\\](?:bin|Scripts)[/\\]pip3?)\s+install\b(?P<args>.*)$",
    re.I,
)
_SETUP_PY_INSTALL = re.compile(r"(?<![\w.-])setup\.py\s+(?:develop|install)\b")
_WITH_VALUE = frozenset(
    {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target"}
    | {"--prefix", "--root", "--python", "--upgrade-strategy", "--platform", "--src"}
)
_TOOLING = frozenset({"pip", "setuptools", "wheel", "uv", "pip-tools"})

Kind = Literal["checkout", "env", "tooling", "user"]


def _old_tool_call(command: str, old: frozenset[str]) -> Call | None:
    """The converted tool's command `command` starts with, if any."""
    # the old tools' table loads only for a converted Poetry or Pipenv project (most have none)
    from uvmk.rewriters.old_tools import calls

    return next((c for c in calls(command) if c.start == 0 and c.tool in old), None)


def step_kind(command: str, old: frozenset[str] = frozenset()) -> Kind | None:
    """What a README command does: installs the checkout (`pip install -e .`, `-r requirements
    .txt`, `pip install .`, `python setup.py develop`, `poetry install` of a converted tool in
    `old`), makes or activates a venv (`poetry shell`), upgrades pip/setuptools/wheel (or
    installs the old tool), or installs a published package for a user (`pip install mylib`)."""
    if re.match(r"[A-Z]{2,}\s", command):
        return None  # a Dockerfile's `RUN pip install -r ...` shown in the README: not a step
    if _SETUP_PY_INSTALL.search(command):
        return "checkout"
    call = _old_tool_call(command, old) if old else None
    if call is not None:
        from uvmk.rewriters.old_tools import Shape, translate

        done = translate(call, Shape(converted=old))
        if call.verb == "shell":
            return "env"
        return "checkout" if done is not None and done.uv[1] == "sync" else None
    m = _PIP_INSTALL.search(command)
    if m is None:
        return "env" if _VENV_STEP.search(command) else None
    try:
        args = shlex.split(m.group("args"), comments=True)
    except ValueError:
        args = m.group("args").split()
    positional: list[str] = []
    it = iter(args)
    for a in it:
        if re.fullmatch(r"-[rce]|--requirements?|--constraints?|--editable", a):
            return "checkout"
        if re.match(r"-[rce]\S|--(?:requirements?|constraints?|editable)=", a):
            return "checkout"
        if a in _WITH_VALUE:
            next(it, None)
        elif not a.startswith("-"):
            positional.append(a)
    if any(_local(a) for a in positional):
        return "checkout"
    if positional and all(
        canonicalize_name(re.split(r"[<>=!~\[; ]", a)[0]) in _TOOLING | old for a in positional
    ):
        return "tooling"
    return "user" if positional else None


def _local(arg: str) -> bool:
    """`.`, `.[dev]`, `./pkg`, `../lib`, `/abs/path`: the checkout (or a folder of it), not a
    package from an index or a URL."""
    if "://" in arg or arg.startswith(("git+", "hg+", "svn+", "bzr+")):
        return False
    return arg == "." or arg.startswith((".[", "./", "../", "/", "~")) or "/" in arg


def _parts(command: str) -> list[str]:
    return [p for p in re.split(r"\s*&&\s*", command) if p]


def _replace_env_steps(
    body: list[str], quick: list[str], indent: str, old: frozenset[str] = frozenset()
) -> tuple[list[str], list[str], list[str]]:
    """(new body lines, the lines replaced, the lines kept): the steps that install the checkout
    and its venv (and the comments and blank lines that only go with them) make way for the
    quick start, at the first of them (none when `quick` is empty); a chained line keeps its
    other commands (`pip install -r r.txt && pre-commit install`: `pre-commit install`
    stays, after the quick start); every other line stays where it was."""
    code = [ln.rstrip("\r\n") for ln in body]
    stripped = [ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in code]
    cmd = [re.sub(r"^(?:\$|>|PS>|C:\\>)\s+", "", t.strip()) for t in stripped]
    rest: list[str | None] = []  # what stays of a line: None (all of it), "" (none), the rest
    for c in cmd:
        if not c or _COMMENT.match(c):
            rest.append(None)
            continue
        parts = _parts(c)
        kept_parts = [p for p in parts if step_kind(p, old) not in ("checkout", "env", "tooling")]
        rest.append(None if len(kept_parts) == len(parts) else " && ".join(kept_parts))
    drop = [r == "" for r in rest]
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
    touched = [drop[i] or bool(rest[i]) for i in range(len(cmd))]
    prompt = (
        "$ "
        if any(t.strip().startswith("$ ") for t, d in zip(stripped, touched, strict=True) if d)
        else ""
    )
    inserted = [
        (indent + (prompt if q and not _COMMENT.match(q) else "") + q) if q else ""
        for q in quick
        if q or not indent  # an indented block: no blank lines inside
    ]
    new: list[str] = []
    for i, line in enumerate(code):
        if touched[i] and inserted:
            new += inserted
            inserted = []
        if drop[i]:
            continue
        remaining = rest[i]
        if remaining:
            lead = line[: len(line) - len(line.lstrip())]
            new.append(lead + (prompt if stripped[i].strip().startswith("$ ") else "") + remaining)
        else:
            new.append(line)
    dropped = [code[i].strip() for i in range(len(code)) if touched[i] and cmd[i]]
    kept = [code[i].strip() for i in range(len(code)) if not drop[i] and cmd[i]]
    return new, dropped, kept


@dataclass(frozen=True)
class _Block:
    """A code block: lines[first:last] is its body (fenced or indented)."""

    first: int
    last: int
    info: str
    indent: str
    fenced: bool


def _code_blocks(lines: list[str]) -> list[_Block]:
    out: list[_Block] = []
    i = 0
    prev_blank = True
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            info = stripped.rstrip("\r\n")[3:].strip("`~ ")
            j = i + 1
            while j < len(lines) and not lines[j].lstrip().startswith(fence):
                j += 1
            if j < len(lines):
                out.append(_Block(i + 1, j, info, line[: len(line) - len(stripped)], True))
            i = j + 1
            prev_blank = False
            continue
        indent_m = re.match(r"^( {4,}|\t)\S", line)
        if indent_m and prev_blank:
            indent = indent_m.group(1)
            j = i
            while j < len(lines) and (
                lines[j].startswith(indent)
                or (not lines[j].strip() and j + 1 < len(lines) and lines[j + 1].startswith(indent))
            ):
                j += 1
            out.append(_Block(i, j, "", indent, False))
            i = j
            continue
        prev_blank = not line.strip()
        i += 1
    return out


def _headings(lines: list[str], blocks: list[_Block]) -> list[tuple[int, int, str]]:
    """(line, level, text) of each heading outside the code blocks."""
    inside = {n for b in blocks for n in range(b.first - (1 if b.fenced else 0), b.last + 1)}
    out = []
    for i, line in enumerate(lines):
        m = _SECTION.match(line.rstrip("\r\n"))
        if m and i not in inside:
            out.append((i, len(m.group(1)), m.group(2)))
    return out


def _section(headings: list[tuple[int, int, str]], at: int, total: int) -> tuple[int, int, str]:
    """(first line, end, heading) of the section holding line `at`."""
    above = [h for h in headings if h[0] < at]
    if not above:
        return 0, (headings[0][0] if headings else total), ""
    start, level, _ = above[-1]
    end = next((h[0] for h in headings if h[0] > start and h[1] <= level), total)
    return start, end, "#" * level + " " + above[-1][2].strip()


def _commands(lines: list[str], b: _Block) -> list[str]:
    out = []
    for ln in lines[b.first : b.last]:
        t = re.sub(r"^(?:\$|>|PS>|C:\\>)\s+", "", ln.strip())
        if t and not _COMMENT.match(t):
            out += _parts(t)
    return out


def _setup_block(lines: list[str], b: _Block, old: frozenset[str]) -> bool:
    """Installs the checkout, or makes its venv without installing a user's package."""
    kinds = {step_kind(c, old) for c in _commands(lines, b)}
    return "checkout" in kinds or ("env" in kinds and "user" not in kinds)


def readme_quickstart(
    text: str, dev_sync: str = DEV_SYNC, old: frozenset[str] = frozenset()
) -> tuple[str, str, tuple[str, ...]] | None:
    """(new text, what changed, the lines replaced and kept) or None when there is nothing to
    do. The steps that install the checkout, and the venv they go into, become the quick start
    (`dev_sync`: what `make dev-install` runs) under the heading where they were: every such
    block of that section is rewritten, so no `pip install -r` is left below the quick start,
    and one in another section becomes the `uv sync` line.
    A user's `pip install <the package>` stays; a README with no checkout steps gets the quick
    start under its setup heading, unless that section is only the users' install. `old`: the
    tools the migration converts (Poetry, Pipenv), whose install and shell steps go too."""
    if re.search(r"\buv sync\b", text):
        return None
    lines = text.splitlines(keepends=True)
    nl = "\r\n" if "\r\n" in text else "\n"
    blocks = _code_blocks(lines)
    headings = _headings(lines, blocks)
    setup = [b for b in blocks if _setup_block(lines, b, old)]
    if not setup:
        return _add_quickstart(lines, blocks, headings, nl, dev_sync)
    start, end, heading = _section(headings, setup[0].first, len(lines))
    what_heading = f"`{heading}`" if heading else "the top of README.md"
    what = f"replace the pip commands under {what_heading} by the uv quick start"
    dropped_all: list[str] = []
    kept_all: list[str] = []
    out = list(lines)
    for n, b in reversed(list(enumerate(setup))):
        # the section's first block gets the quick start; the section's other blocks lose
        # their steps; a block elsewhere (a "Running tests" section) gets the one uv sync line
        if n == 0:
            quick = _quickstart_lines(b.info, dev_sync)
        else:
            quick = [] if start <= b.first < end else [dev_sync]
        body, dropped, kept = _replace_env_steps(lines[b.first : b.last], quick, b.indent, old)
        dropped_all[:0] = dropped
        kept_all[:0] = kept
        if not body and b.fenced:  # a block left empty goes, fences and all
            out[b.first - 1 : b.last + 1] = []
            continue
        out[b.first : b.last] = [ln + nl for ln in body]
        if n == 0 and (b.info.lower().split() or [""])[0] in _WINDOWS_FENCES:
            what += f" (Windows commands: a {b.info} block)"
    details = tuple(f"replaced: {d}" for d in dropped_all) + tuple(f"kept: {k}" for k in kept_all)
    return "".join(out), what, details


def _add_quickstart(
    lines: list[str],
    blocks: list[_Block],
    headings: list[tuple[int, int, str]],
    nl: str,
    dev_sync: str,
) -> tuple[str, str, tuple[str, ...]] | None:
    """No checkout steps: the quick start as a block of its own right under the first setup
    heading, unless that section only tells users to `pip install` the package (a library's
    README: the quick start for a clone there would read as the way to install it)."""
    first = next((h for h in headings if _SETUP_WORDS.search(h[2])), None)
    if first is None:
        return None
    start, end, heading = _section(headings, first[0] + 1, len(lines))
    for b in blocks:
        if start <= b.first < end and "user" in {step_kind(c) for c in _commands(lines, b)}:
            return None
    quick = _quickstart_text(dev_sync).replace("\n", nl)
    block = f"```bash{nl}{quick}```{nl}{nl}"
    new = "".join(lines[: start + 1]) + nl + block + "".join(lines[start + 1 :])
    return new, f"add the uv quick start under `{heading}`", ()


class _Readme:
    """README.md at the root: its setup section's pip/venv lines become uv's quick start.
    context: `dev_sync`, the command make dev-install runs (uv.mk's default unless the plan
    sets SYNC_DEV_FLAGS); `old`, the tools converted (their install steps go too)."""

    name = "readme"

    def applies_to(self, rel: str, kind: FileKind | None) -> bool:
        return rel == "README.md"

    def rewrite(self, file_text: str, context: Mapping[str, Any]) -> Rewrite:
        found = readme_quickstart(
            file_text, str(context.get("dev_sync", DEV_SYNC)), frozenset(context.get("old", ()))
        )
        if found is None:
            return Rewrite(file_text, False)
        new, what, details = found
        return Rewrite(new, True, what, details)


README = _Readme()
