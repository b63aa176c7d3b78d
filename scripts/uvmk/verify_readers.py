"""uv-verify's look at the readers (CI workflows, GitLab CI, tox, Dependabot, Renovate,
pre-commit: the files uvmk.rewriters.readers rewrites), whether or not REWRITE rewrote them:
the ways a hand-made or half-done move breaks, each one line at its file:line. A requirements
file a reader still installs must exist; `--frozen` checks nothing about uv.lock (`--locked`
does); a uv the readers pin (setup-uv's version, uv-pre-commit's rev, `pip install uv==`) must
satisfy the repo's required-version; Dependabot's root update must be `uv` once uv.lock is the
lock. Reads only."""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from uvmk.rewriters.readers import READERS
from uvmk.survey.tree import Tree

_INSTALLS = re.compile(r"pip3?\s+install\b.*?(?:-r\s*|--requirement[=\s]\s*)(?P<file>[^\s'\"]+)")
_TOX_DEPS = re.compile(r"^\s*(?:deps\s*=)?\s*-r\s*(?:\{toxinidir\}/)?(?P<file>[^\s,]+)\s*$")
_FROZEN = re.compile(r"\buv\s+(?:sync|run|export)\b[^\n#]*--frozen\b")
_PINS = (
    re.compile(r"^\s*version:\s*[\"']?(?P<v>\d+\.\d+\.\d+)[\"']?\s*$"),  # setup-uv's input
    re.compile(r"pip3?\s+install\s+[\"']?uv==(?P<v>\d+\.\d+\.\d+)"),
)
_UV_PRE_COMMIT = re.compile(r"astral-sh/uv-pre-commit")
_REV = re.compile(r"^\s*rev:\s*[\"']?v?(?P<v>\d+\.\d+\.\d+)[\"']?\s*$")


def reader_files(tree: Tree) -> list[str]:
    """The readers' files but the Dockerfiles, whose -r paths are paths in the image: verify's
    Dockerfiles line checks those (rewriters/readers/dockerfile/check.py)."""
    readers = [r for r in READERS if r.knob != "docker"]
    return [rel for rel in tree.files if any(r.reads(rel, tree.kind(rel)) for r in readers)]


def problems(tree: Tree, required_version: str | None, has_lock: bool) -> list[str]:
    """Each problem of the readers, "file:line: what (the fix)"."""
    out: list[str] = []
    for rel in reader_files(tree):
        lines = tree.lines(rel)
        for n, line in enumerate(lines, 1):
            out += _line_problems(tree, rel, n, line, lines, required_version, has_lock)
    return out


def _line_problems(
    tree: Tree,
    rel: str,
    n: int,
    line: str,
    lines: list[str],
    required: str | None,
    has_lock: bool,
) -> list[str]:
    out = []
    where = f"{rel}:{n}"
    code = line.split(" #", 1)[0]
    m = _INSTALLS.search(code) or (_TOX_DEPS.match(code) if rel.endswith("tox.ini") else None)
    if m and "$" not in m["file"] and "{" not in m["file"]:
        target = m["file"].removeprefix("./")  # CI, tox and the bots run from the root
        if not tree.has_file(target) and tree.data(target) is None:
            out.append(f"{where}: installs {m['file']}, which no longer exists (REWRITE=ci,tox)")
    if _FROZEN.search(code):
        out.append(f"{where}: --frozen checks nothing about uv.lock: use --locked")
    for pin in _pins(rel, n, code, lines):
        if required and not _satisfies(pin, required):
            out.append(f"{where}: uv {pin} is outside the repo's required-version {required}")
    if has_lock and rel.startswith(".github/dependabot.y") and _pip_at_root(lines, n, code):
        out.append(f"{where}: Dependabot's pip ecosystem never updates uv.lock: use uv")
    return out


def _pins(rel: str, n: int, code: str, lines: list[str]) -> list[str]:
    """The uv versions line `n` pins: a setup-uv `version:` input, `pip install uv==X`, the
    `rev:` of the uv-pre-commit repository."""
    before = "\n".join(lines[max(0, n - 6) : n - 1])
    found = []
    setup = _PINS[0].match(code)
    if setup and "setup-uv" in before:
        found.append(setup["v"])
    found += [m["v"] for m in [_PINS[1].search(code)] if m]
    rev = _REV.match(code)
    if rev and _UV_PRE_COMMIT.search("\n".join(lines[max(0, n - 3) : n - 1])):
        found.append(rev["v"])
    return found


def _satisfies(version: str, required: str) -> bool:
    try:
        return Version(version) in SpecifierSet(required)
    except (InvalidSpecifier, InvalidVersion):
        return True


def _pip_at_root(lines: list[str], n: int, code: str) -> bool:
    if not re.search(r"package-ecosystem:\s*[\"']?pip[\"']?\s*$", code):
        return False
    following = "\n".join(lines[n : n + 4])
    return re.search(r"directory:\s*[\"']?(?:/|\.)[\"']?\s*$", following, re.M) is not None
