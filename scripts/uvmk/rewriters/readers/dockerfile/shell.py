"""The shell of a RUN instruction, as far as the rewrite needs it: the `&&` chain it is split
into, and which link of it is a `pip install` of requirements files (its interpreter, its
options, the files it reads), or why that link cannot become uv."""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field

# pip options with no effect on what ends up installed, or whose effect uv has anyway
# (bytecode: UV_COMPILE_BYTECODE; no cache: the cache mount; --upgrade: the lock's versions)
_HARMLESS = frozenset(
    {
        "--no-cache-dir", "--no-cache", "-U", "--upgrade", "--disable-pip-version-check",
        "--no-warn-script-location", "--prefer-binary", "--compile", "--require-hashes",
        "--no-input", "-I", "--ignore-installed", "--no-color", "--isolated", "-v",
        "--verbose", "--break-system-packages", "--force-reinstall", "--no-python-version-warning",
    }
)  # fmt: skip
_HARMLESS_VALUED = frozenset(
    {
        "--root-user-action", "--progress-bar", "--default-timeout", "--timeout", "--retries",
        "--upgrade-strategy", "--cache-dir",
    }
)  # fmt: skip
_QUIET = frozenset({"-q", "--quiet", "-qq", "-qqq"})
_PLACEMENT = frozenset({"--prefix", "--target"})
_WHEEL_KEPT = frozenset({"--wheel-dir", "--no-deps"})
# options that put packages somewhere other than the interpreter's environment, or choose what
# is installed in a way uv.lock does not say: the step stays as it is
_WHY_NOT = {
    "--user": "installs into the user's site-packages (--user), which uv sync cannot target",
    "--root": "installs under another root (--root)",
    "-c": "applies a constraints file (-c) uv.lock does not record",
    "--constraint": "applies a constraints file (--constraint) uv.lock does not record",
    "--no-deps": "installs without dependencies (--no-deps)",
    "--pre": "allows pre-releases (--pre)",
    "-i": "names its own index (-i)",
    "--index-url": "names its own index (--index-url)",
    "--extra-index-url": "names another index (--extra-index-url)",
    "-f": "names its own find-links (-f)",
    "--find-links": "names its own find-links (--find-links)",
    "--no-index": "installs without an index (--no-index)",
    "--trusted-host": "trusts a host (--trusted-host)",
    "--no-binary": "builds from source (--no-binary)",
    "--only-binary": "restricts binaries (--only-binary)",
    "--no-build-isolation": "builds without isolation (--no-build-isolation)",
}
_PIP = re.compile(r"(?:.*/)?pip(?:3(?:\.\d+)?)?")
_PYTHON = re.compile(r"(?:.*/)?python(?:3(?:\.\d+)?)?")


@dataclass
class PipInstall:
    """One `pip install` link of a RUN's chain."""

    program: list[str]  # the words that run pip: ["pip"], ["/opt/venv/bin/python", "-m", "pip"]
    command: str = "install"  # or "wheel": wheels built for a later stage to install
    files: list[str] = field(default_factory=list)  # the -r paths, as written
    project: str | None = None  # `.` / `-e .`: the folder installed as a project
    editable: bool = False
    quiet: bool = False
    breaks_system: bool = False  # --break-system-packages: the system form says it too
    # --prefix DIR / --target DIR: where pip put the packages instead of an environment (a
    # builder stage's /install, copied into the final image's /usr/local); uv pip has both
    placement: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)  # names given beside the files
    options: list[str] = field(default_factory=list)  # the harmless ones, as written
    why_not: str | None = None  # why this link cannot become uv (None: it can)

    @property
    def environment(self) -> str | None:
        """The venv a pip or python given by path belongs to (/opt/venv/bin/pip: /opt/venv)."""
        first = self.program[0]
        if "/" not in first or first.rstrip("/").split("/")[-2:-1] != ["bin"]:
            return None
        prefix = posixpath.dirname(posixpath.dirname(first))
        return None if prefix in ("/usr", "/usr/local", "/", "") else prefix

    def beside(self) -> str:
        """The pip command installing only the packages named beside the files, into the
        same environment, with the same options."""
        return shlex.join([*self.program, self.command, *self.options, *self.packages])

    @property
    def interpreter(self) -> str | None:
        """The python that runs pip, when the link names one (python3.11 -m pip)."""
        return self.program[0] if len(self.program) > 1 else None


def split_chain(command: str) -> list[str] | None:
    """`a && b && c` -> ["a", "b", "c"], split only where `&&` is outside quotes; None when
    the command cannot be read (an open quote)."""
    parts: list[str] = []
    quote = ""
    start = i = 0
    while i < len(command):
        ch = command[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "\\":
            i += 1
        elif command.startswith("&&", i):
            parts.append(command[start:i].strip())
            start = i + 2
            i += 1
        i += 1
    if quote:
        return None
    parts.append(command[start:].strip())
    return parts


_OTHER_PIP = re.compile(r"\bpip[\d.]*\s+download\b|\bpip-sync\b")


def other_pip(link: str) -> str | None:
    """What a link that reads requirements files but installs none of them does: `pip wheel`
    builds wheels (for a later stage to install), `pip download` fetches files, pip-sync."""
    m = _OTHER_PIP.search(link)
    if m is None or not requirement_paths(link):
        return None
    return f"runs `{m.group(0)}`, whose output a later step installs: uv sync has no such step"


def requirement_paths(link: str) -> list[str]:
    """The paths a link gives pip's -r (in any spelling)."""
    return re.findall(r"(?:^|\s)(?:-r\s*|--requirement[=\s]\s*)([^\s;&|]+)", link)


def parse_pip(link: str, command: str = "install") -> PipInstall | None:
    """The `pip install` (or `pip wheel`) this link of a chain runs, or None if it runs none."""
    if "pip" not in link or command not in link:
        return None
    try:
        words = shlex.split(link)
    except ValueError:
        return None
    program: list[str] = []
    prefix: list[str] = []
    for n, word in enumerate(words):
        if _PIP.fullmatch(word):
            prefix, program, rest = words[:n], [word], words[n + 1 :]
            break
        if _PYTHON.fullmatch(word) and words[n + 1 : n + 3] == ["-m", "pip"]:
            prefix, program, rest = words[:n], words[n : n + 3], words[n + 3 :]
            break
    else:
        return None
    if not rest or rest[0] != command:
        return None
    found = PipInstall(program=program, command=command)
    if prefix[-1:] == ["uv"]:
        found.why_not = "runs `uv pip install` already (the rewrite leaves uv's own steps be)"
    elif re.search(r"[;|<>`(){}]", re.sub(r"\$\{\w+\}", "", link)):
        found.why_not = "is part of a shell construct the rewrite does not take apart"
    elif prefix:
        found.why_not = f"runs pip behind `{' '.join(prefix)}`"
    _read_arguments(found, rest[1:])
    return found


def _read_arguments(found: PipInstall, args: list[str]) -> None:
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if arg in ("-r", "--requirement") and i + 1 < len(args):
            found.files.append(args[i + 1])
            i += 2
            continue
        if name == "--requirement" and eq:
            found.files.append(value)
        elif arg.startswith("-r") and len(arg) > 2 and not arg.startswith("--"):
            found.files.append(arg[2:])
        elif arg in ("-e", "--editable") and i + 1 < len(args):
            _project(found, args[i + 1], editable=True)
            i += 2
            continue
        elif arg in _QUIET:
            found.quiet = True
            found.options.append(arg)
        elif name in _PLACEMENT or arg in ("-t",) or (arg.startswith("-t") and len(arg) > 2):
            flag = "--target" if name in ("-t", "--target") or arg.startswith("-t") else name
            value = value if eq else (arg[2:] if arg.startswith("-t") and len(arg) > 2 else "")
            if not value and i + 1 < len(args):
                value = args[i + 1]
                i += 1
            found.placement = [flag, value]
            found.options += found.placement
        elif found.command == "wheel" and (name in _WHEEL_KEPT or arg in ("-w", "--no-deps")):
            # where the wheels go, and whether pip resolves again: the same on the export
            found.options.append(arg)
            if arg == "-w" or (name == "--wheel-dir" and not eq):
                found.options.append(args[i + 1] if i + 1 < len(args) else "")
                i += 1
        elif arg == "--break-system-packages":
            found.breaks_system = True
            found.options.append(arg)
        elif arg in _HARMLESS or (name in _HARMLESS_VALUED and eq):
            found.options.append(arg)
        elif arg in _HARMLESS_VALUED:
            found.options += args[i : i + 2]
            i += 1  # its value follows
        elif name in _WHY_NOT or (arg[:2] in ("-c", "-i", "-f") and not arg.startswith("--")):
            found.why_not = found.why_not or _WHY_NOT.get(name, _WHY_NOT.get(arg[:2], arg))
        elif arg.startswith("-"):
            found.why_not = found.why_not or f"passes pip's {name} option, which uv sync has not"
        else:
            _project(found, arg, editable=False)
        i += 1


def _project(found: PipInstall, target: str, *, editable: bool) -> None:
    """A positional target: a folder (`.`, `/app`) is the project; anything else a package."""
    if target in (".", "./") or (target.startswith(("/", "./")) and "[" not in target):
        found.project = target
        found.editable = editable
    else:
        found.packages.append(target)
