"""Who still reads a requirements file: every line in the repository that installs it, copies it
or names it, wherever it is (Dockerfiles and Containerfiles in any folder, compose files, Read the
Docs, every CI system's config, tox, nox, setup.py/setup.cfg, shell scripts, makefiles, Heroku's
implicit `requirements.txt`, docs lines that tell people to `pip install -r` it, and Python code
that opens it by name: `check_requirements(ROOT / "requirements.txt")`).

A file something reads must not be deleted by the migration. The scan is bounded (a file count,
a file size, a folder count) so a large monorepo stays fast, and it says which files it read.
Reads only, never writes.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from uvmk.survey.tree import MAX_DIRS, FileKind, Tree
from uvmk.survey.tree import kind_of as tree_kind_of

Kind = Literal[
    "dockerfile", "compose", "readthedocs", "ci", "tox", "python", "shell", "makefile",
    "config", "heroku", "docs", "code", "tasks",
]  # fmt: skip

MAX_FILES = 3000  # candidate files read
MAX_CODE_FILES = 3000  # .py files looked into, a budget of their own (a repo has many)
MAX_BYTES = 512 * 1024  # a bigger file is listed as skipped, not read

_READER_KIND: dict[FileKind, Kind] = {
    "dockerfile": "dockerfile", "compose": "compose", "readthedocs": "readthedocs", "ci": "ci",
    "tox": "tox", "nox": "python", "task-runner": "python", "setup-py": "python",
    "setup-cfg": "python", "shell": "shell", "makefile": "makefile", "heroku": "heroku",
    "config": "config", "code": "code", "docs": "docs",
}  # fmt: skip
_TEST_DIRS = frozenset({"tests", "test", "testing"})
_SCRIPT_DIRS = frozenset({"bin", "scripts", "script", "tools", "utils", "ci", "docker"})


def is_dockerfile(name: str) -> bool:
    """Dockerfile, Dockerfile.prod, dockerfile.base, builder.dockerfile, Containerfile..."""
    low = name.lower()
    ext = posixpath.splitext(low)[1]
    return low.startswith(("dockerfile", "containerfile")) or ext in (
        ".dockerfile",
        ".containerfile",
    )


def kind_of(rel: str) -> Kind | None:
    """What kind of file may read a requirements file, by its path (posix, relative)."""
    if rel == "pyproject.toml":
        return "tasks"  # only its task runners' scripts are read (see _task_lines)
    file_kind = tree_kind_of(rel)
    kind = _READER_KIND.get(file_kind) if file_kind else None
    if kind == "code":
        # tests name requirements files as data (a package-name blocklist, a pip tool's
        # cases) far more often than they read one, and a test that does fails loudly
        low = posixpath.basename(rel).lower()
        parts = rel.lower().split("/")
        is_test = bool(set(parts[:-1]) & _TEST_DIRS) or re.fullmatch(r"test_.*|.*_test\.py", low)
        return None if is_test or low == "conftest.py" else "code"
    return kind


@dataclass
class Scan:
    """The files read for references (path, kind), and what the bounds left out."""

    tree: Tree
    files: list[tuple[str, Kind]] = field(default_factory=list)
    too_big: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def root(self) -> Path:
        return self.tree.root

    def summary(self) -> str:
        """One line for the plan: which files were read for references."""
        names = [rel for rel, _ in self.files]
        shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        text = f"looked for readers of the requirements files in {len(names)} file(s)"
        text += f": {shown}" if names else ""
        if self.too_big:
            text += f"; not read (over {MAX_BYTES // 1024} KB): {', '.join(self.too_big[:5])}"
        if self.truncated:
            text += (
                f"; stopped at {MAX_FILES} files / {MAX_DIRS} folders: readers further in "
                "may be missed"
            )
        return text


def scan(tree: Tree) -> Scan:
    """Every candidate reader in the repository's tree, within the bounds (computed once a
    tree)."""
    found = tree.views.get("readers")
    if isinstance(found, Scan):
        return found
    found = Scan(tree, truncated=tree.truncated)
    tree.views["readers"] = found
    code = 0
    for rel in tree.files:
        kind = kind_of(rel)
        if kind is None and _is_script(tree.root, rel):
            kind = "shell"
        if kind is None:
            continue
        try:
            size = (tree.root / rel).stat().st_size
        except OSError:
            continue
        if size > MAX_BYTES:
            found.too_big.append(rel)
            continue
        if kind == "tasks" and not _task_lines(tree.lines(rel)):
            continue  # a pyproject without task-runner scripts reads nothing
        if kind == "code":
            # only code that names a requirements file is a candidate: the many others
            # neither count against MAX_FILES nor slow each file's search
            code += 1
            if code > MAX_CODE_FILES or not any(w in tree.text(rel) for w in _CODE_HINTS):
                continue
        found.files.append((rel, kind))
        if len(found.files) >= MAX_FILES:
            found.truncated = True
            break
    return found


def scan_around(around: Tree | None, root: Path) -> Scan | None:
    """When `root` is a folder inside a bigger git work tree (ROOT=services/api), the candidate
    readers outside it in that tree (tree.walk_within): the top's Makefile, CI and Dockerfiles
    may install the folder's files. None when `root` is the top (or no work tree is found)."""
    if around is None:
        return None
    inside = root.relative_to(around.root).as_posix() + "/"
    outside = Tree(
        around.root,
        dirs=[d for d in around.dirs if not (d + "/").startswith(inside)],
        files=[rel for rel in around.files if not rel.startswith(inside)],
        truncated=around.truncated,
    )
    return scan(outside)


def readers_around(around: Scan, root: Path, rel: str) -> list[Reader]:
    """The lines outside `root` (scan_around) that read `root`'s file `rel`, each named by its
    path from `root` (../../Makefile:3)."""
    inside = root.relative_to(around.root).as_posix()
    return [
        replace(r, path=posixpath.relpath(r.path, inside))
        for r in readers(around, f"{inside}/{rel}")
    ]


_CODE_HINTS = ("requirements", "constraints", ".txt", ".pip", "setup.py")


def _is_script(root: Path, rel: str) -> bool:
    """An extension-less executable script in bin/, scripts/...: a shebang on its first line."""
    folder, _, name = rel.rpartition("/")
    if "." in name or not folder or posixpath.basename(folder) not in _SCRIPT_DIRS:
        return False
    try:
        with open(root / rel, "rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False


@dataclass(frozen=True)
class Reader:
    """One line that reads a requirements file."""

    path: str  # the reading file, posix, relative to the root
    line: int
    kind: Kind
    text: str  # the line, stripped
    installs: bool  # pip installs it there (-r/-c/requirements:), not only names or copies it

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


_PATH_CHARS = re.compile(r"[\w./$@{}~+-]")
# right before a path: pip's -r/-c in every spelling, nox's session.install("-r", ...), Read the
# Docs' `requirements:` key
_INSTALL_BEFORE = re.compile(
    r"(?:(?<![\w-])(?:-[rc]|--requirements?|--constraints?)[\"']?\s*[=,]?\s*[\"']?"
    r"|\brequirements\s*:\s*[\"']?)$"
)
_COPY = re.compile(r"^\s*(?:COPY|ADD)\s", re.I)
_PIP = re.compile(r"\bpip3?\b|\bpip-sync\b|\buv\b")


def _comment(line: str, kind: Kind) -> bool:
    stripped = line.lstrip()
    if kind in ("docs", "heroku"):
        return False
    return stripped.startswith(("#", "//")) or (kind == "shell" and stripped.lower()[:4] == "rem ")


def _distinctive(name: str) -> bool:
    """A name no one mistakes for something else: requirements-dev.txt, constraints.txt."""
    low = name.lower()
    return "requirements" in low or "constraints" in low


def _token_at(line: str, start: int, end: int) -> tuple[str, bool]:
    """The path token that ends with the match at `start`, and whether pip installs it there
    (`-r x`, `-rx`, `--requirement=x`, `requirements: x`)."""
    j = start
    while j > 0 and _PATH_CHARS.match(line[j - 1]):
        j -= 1
    token = line[j:end]
    glued = re.match(r"-[rc](?=[\w./$~{])", token)
    if glued:
        return token[2:], True
    if token.startswith("-"):
        return "", False
    return token, bool(_INSTALL_BEFORE.search(line[:j]))


def _points_at(token: str, rel: str, reader: str, named_ok: bool) -> bool:
    """Does the path `token`, written in `reader`, name the file `rel`? A relative path is read
    from the root or from the reader's folder (a Docker build context or a CI step's cwd may be
    either); a container path (/app/requirements/prod.txt) or one through a variable matches by
    its last two segments or more; a bare name only when `named_ok` (a distinctive name, or pip
    installs it there) and the file is at the root or next to the reader."""
    token = token.removeprefix("./")
    name = posixpath.basename(rel)
    here = posixpath.dirname(reader)
    parts = token.split("/")
    if "/" not in token:
        if token != name or not named_ok:
            return False
        return posixpath.dirname(rel) in ("", here)
    anchored = not token.startswith(("/", "~")) and not any(
        c in p for p in parts[:-1] for c in "${}"
    )
    if anchored:
        return rel in (posixpath.normpath(token), posixpath.normpath(posixpath.join(here, token)))
    tails = ["/".join(parts[k:]) for k in range(len(parts) - 1) if "$" not in "".join(parts[k:])]
    return any(len(t.split("/")) >= 2 and (rel == t or rel.endswith("/" + t)) for t in tails) or (
        parts[-1] == name and named_ok and posixpath.dirname(rel) == ""
    )


def _line_readers(
    rel: str, reader: str, kind: Kind, lines: Iterator[tuple[int, str]], root: Path
) -> Iterator[Reader]:
    name = posixpath.basename(rel)
    at_name = re.compile(re.escape(name) + r"(?![\w.-])")
    numbered = list(lines)
    for i, (n, line) in enumerate(numbered):
        if _comment(line, kind):
            continue
        if kind == "dockerfile" and _copies_by_glob(line, rel, reader):
            yield Reader(reader, n, kind, line.strip(), False)
            continue
        if name not in line:
            if kind not in ("docs", "code") and _computed_read(line, rel, reader):
                yield Reader(reader, n, kind, line.strip(), True)
            continue
        for m in at_name.finditer(line):
            token, installs = _token_at(line, m.start(), m.end())
            if not token:
                continue
            if kind == "code" and not _in_string(line, m.end() - len(token), m.end()):
                continue  # a docstring's `pip install -r requirements.txt` opens nothing
            if kind == "code" and _dict_entry(line, m.end() - len(token), m.end()):
                continue  # {"requirements.txt": "pip"}: a name in a table, not a file opened
            start = m.end() - len(token)
            if kind == "code" and _item(line, start, m.end()) and _among_manifests(numbered, i):
                continue  # ("yarn.lock", "requirements.txt", "go.sum"): names, not a read
            if kind == "docs" and not (installs and _PIP.search(line)):
                continue  # prose that names the file is not an install step
            copied = kind == "dockerfile" and bool(_COPY.match(line))
            named_ok = installs or copied or _distinctive(name)
            if _points_at(token, rel, reader, named_ok):
                yield Reader(reader, n, kind, line.strip(), installs)
                break


# a name computed when the line runs: ${{ matrix.x }} (CI), ${x} / $x (shell), $(X) (make),
# {x} (hatch, tox), %x% (cmd)
_COMPUTED = re.compile(r"\$\{\{[^}]*\}\}|\$\{[^}]*\}|\$\(\w+\)|\$\w+|\{[\w:.-]+\}|%\w+%")
_HOLE = "\x00"
_COMPUTED_TOKEN = re.compile(rf"[\w./~+{_HOLE}-]*{_HOLE}[\w./~+{_HOLE}-]*")
_REQUIREMENTS_TOOL = re.compile(r"\bpip3?\b|\bpip-(?:compile|sync)\b|\buv\b|(?<![\w-])-[rc]\b")
# pip-compile with no source file reads requirements.in (beside it: the folder it runs in)
_PIP_COMPILE = re.compile(r"\bpip-compile\b|\buv\s+pip\s+compile\b")


# what a line needs to compute a name or read one unnamed: a computed part, a loop, pip-compile
_MAY_COMPUTE = ("$", "{", "%", "for", "compile")


def _computed_read(line: str, rel: str, reader: str) -> bool:
    """Does the line read `rel` through a name it computes? A path with a variable in it
    (`requirements/${{ matrix.requirements-file }}.txt`, `pip-compile "$name.in"` in a loop) reads
    every file its pattern can match, as does a `for` loop over a glob of them; a bare
    `pip-compile` reads requirements.in."""
    if not any(mark in line for mark in _MAY_COMPUTE):
        return False  # most lines: asked for every file of every member of a monorepo
    here = posixpath.dirname(reader)
    if rel in ("requirements.in", posixpath.join(here, "requirements.in")) and _bare_compile(line):
        return True
    # `for f in requirements/*.in; do pip-compile "$f"`: the loop's glob names the files (a
    # `.in` glob is pip-tools' inputs; a `.txt` one when it says requirements)
    loop = re.match(r"\s*for\s+\w+\s+in\s+(.+?)\s*(?:;|$)", line)
    for token in loop.group(1).split() if loop else []:
        pattern = token.strip("\"'").removeprefix("./")
        inputs = pattern.endswith(".in") or ("requirements" in pattern and pattern.endswith(".txt"))
        if (
            "*" in pattern
            and inputs
            and any(_glob_names(rel, c) for c in _pattern_places(pattern, here))
        ):
            return True
    for m in _COMPUTED_TOKEN.finditer(_COMPUTED.sub(_HOLE, line)):
        pattern = m.group().removeprefix("./").replace(_HOLE, "*")
        if not re.search(r"\.(?:txt|in|pip)$", pattern):
            continue
        if "/" not in pattern and not _REQUIREMENTS_TOOL.search(line):
            continue  # `cp "$f.txt" ...`: a bare pattern counts only where pip reads it
        if any(_glob_names(rel, c) for c in _pattern_places(pattern, here)):
            return True
    return False


def _bare_compile(line: str) -> bool:
    """`pip-compile` (or `uv pip compile`) given no source file: it reads requirements.in."""
    if not _PIP_COMPILE.search(line):
        return False
    args = _PIP_COMPILE.split(line, 1)[-1].split(";")[0]
    args = re.sub(r"(?:-o|--output-file)[=\s]+\S+", "", args)
    return not [a for a in args.split() if not a.startswith("-")]


def _pattern_places(pattern: str, here: str) -> list[str]:
    """Where a path pattern may point, as _points_at reads a path: from the root or the
    reader's folder; a container path (/app/...) or one under a variable by its tail."""
    parts = pattern.split("/")
    if not pattern.startswith(("/", "~", "*/")):
        return [posixpath.normpath(pattern), posixpath.normpath(posixpath.join(here, pattern))]
    return ["**/" + "/".join(parts[k:]) for k in range(1, len(parts) - 1) if "*" not in parts[k]]


def _glob_names(rel: str, pattern: str) -> bool:
    """fnmatch, but `*` stays within a path segment (a leading `**/`: any folders above)."""
    if pattern.startswith("**/"):
        tail = pattern[3:]
        n = len(tail.split("/"))
        return len(rel.split("/")) >= n and _glob_names("/".join(rel.split("/")[-n:]), tail)
    rel_parts, parts = rel.split("/"), pattern.split("/")
    return len(rel_parts) == len(parts) and all(
        fnmatch.fnmatchcase(a, b) for a, b in zip(rel_parts, parts, strict=True)
    )


def _in_string(line: str, start: int, end: int) -> bool:
    """Is line[start:end] a whole string literal of the code, or the end of one
    (`"requirements.txt"`, `f"{ROOT}/requirements-dev.txt"`)?"""
    before = re.sub(r"\{[^{}]*\}/?$", "", line[:start])
    quote = before[-1:]
    if quote not in ("'", '"') or line[end : end + 1] != quote:
        return False
    # not a literal inside another string: `op.execute("... VALUES ('requirements.txt')")`
    other = "'" if quote == '"' else '"'
    return before[:-1].count(other) % 2 == 0


def _dict_entry(line: str, start: int, end: int) -> bool:
    """Is the string literal at line[start:end] a dict's key (`"requirements.txt": ...`) or the
    value of a string key (`"file": "requirements.txt"`)?"""
    key = re.match(r"[\'\"]\s*:(?!=)", line[end:])
    value = re.search(r"[\'\"]\s*:\s*[\'\"]$", line[:start])
    return key is not None or value is not None


# other ecosystems' manifests and locks: a string beside one of these names a kind of file (a
# scanner's table of package files), it does not open this repository's requirements file
_OTHER_MANIFESTS = re.compile(
    r"""["'](?:package(?:-lock)?\.json|yarn\.lock|pnpm-lock\.yaml|pom\.xml|build\.gradle"""
    r"""|go\.(?:mod|sum)|Gemfile(?:\.lock)?|Cargo\.(?:toml|lock)|composer\.(?:json|lock)"""
    r"""|Pipfile(?:\.lock)?|poetry\.lock)["']"""
)


def _among_manifests(numbered: list[tuple[int, str]], i: int) -> bool:
    """Does a line within three of line `i` (a collection written one item a line) name
    another ecosystem's manifest as a string?"""
    near = numbered[max(0, i - 3) : i + 4]
    return any(_OTHER_MANIFESTS.search(line) for _, line in near)


def _item(line: str, start: int, end: int) -> bool:
    """Is the string literal at line[start:end] a bare item of a list, tuple, set or dict (not
    a call's argument: `open("requirements.txt")`, `ROOT / "requirements.txt"`)?"""
    before = line[: start - 1].rstrip()
    after = line[end + 1 :].lstrip()
    opened = (
        before == "" or before.endswith(("[", "{", ",")) or re.search(r"(?<![\w.)\]])\($", before)
    )
    return bool(opened) and (after == "" or after[0] in ",]})")


def _copies_by_glob(line: str, rel: str, reader: str) -> bool:
    """`COPY requirements*.txt ./`: a glob source that matches the file (from the root or the
    Dockerfile's folder, either may be the build context)."""
    if not _COPY.match(line):
        return False
    here = posixpath.dirname(reader)
    for token in line.split()[1:-1]:
        token = token.strip("\"'[],").removeprefix("./")
        if token.startswith("--") or not any(c in token for c in "*?["):
            continue
        if fnmatch.fnmatchcase(rel, token) or fnmatch.fnmatchcase(
            rel, posixpath.normpath(posixpath.join(here, token))
        ):
            return True
    return False


def readers(
    found: Scan,
    rel: str,
    final_texts: dict[str, str] | None = None,
    left_at: dict[str, frozenset[int]] | None = None,
) -> list[Reader]:
    """Every line that reads the requirements file `rel`. `final_texts` are files as the plan
    will leave them (a rewritten README); a file in `left_at` (the rewritten Makefile) is read
    as it is today, at the lines its rewriter left reading a file (its readers_left), so the
    line numbers are the ones the user sees in the file now."""
    out: list[Reader] = []
    for path, kind, numbered in _final_lines(found, final_texts, left_at):
        if path == rel:
            continue
        if kind == "heroku":
            # Heroku's buildpack installs the root requirements.txt without naming it, but it
            # refuses one next to uv.lock and installs uv.lock itself: see heroku_app()
            continue
        out.extend(_line_readers(rel, path, kind, numbered, found.root))
    return out


def line_readers(
    rel: str, path: str, kind: Kind, numbered: Iterable[tuple[int, str]]
) -> list[Reader]:
    """The lines of `numbered` (file `path`, of this kind) that read the file `rel`."""
    return list(_line_readers(rel, path, kind, iter(numbered), Path()))


def runs_setup_py(line: str, kind: Kind) -> bool:
    """Does the line run the root setup.py as a command (docs only tell people to)?"""
    return (
        kind not in ("docs", "heroku")
        and not _comment(line, kind)
        and bool(_RUNS_SETUP_PY.search(line))
    )


def _final_lines(
    found: Scan,
    final_texts: dict[str, str] | None,
    left_at: dict[str, frozenset[int]] | None,
) -> Iterator[tuple[str, Kind, Iterator[tuple[int, str]]]]:
    """Each scanned file's numbered lines as the plan leaves them (see readers())."""
    final_texts = final_texts or {}
    left_at = left_at or {}
    for path, kind in found.files:
        if path in final_texts and path not in left_at:
            text_lines = final_texts[path].splitlines()
        else:
            text_lines = found.tree.lines(path)
        keep = left_at.get(path)
        if kind == "tasks":
            keep = _task_lines(text_lines)
        yield (
            path,
            kind,
            ((n, ln) for n, ln in enumerate(text_lines, 1) if keep is None or n in keep),
        )


# pyproject's task runners: hatch's env scripts, poe, taskipy, pdm scripts
_TASK_TABLE = re.compile(
    r"\s*\[+\s*tool\.(?:hatch\.envs\.[\w.\"-]+\.scripts|poe(?:\.[\w.\"-]+)?|taskipy\.[\w.-]+|"
    r"pdm\.scripts(?:\.[\w.\"-]+)?)\s*\]"
)


def _task_lines(text_lines: list[str]) -> frozenset[int]:
    """The lines of pyproject.toml inside a task runner's table: the rest of it (the
    [tool.setuptools.dynamic] file names) is the requirements planner's business."""
    inside = False
    out: set[int] = set()
    for n, line in enumerate(text_lines, 1):
        if re.match(r"\s*\[", line):
            inside = bool(_TASK_TABLE.match(line))
        elif inside:
            out.add(n)
    return frozenset(out)


# `python setup.py sdist`, `./setup.py bdist_wheel`, `setup.py --version`: a command run; in
# Python code also an argv list, `[sys.executable, "setup.py", "bdist_wheel"]`
_RUNS_SETUP_PY = re.compile(r"(?<![\w.-])(?:\./)?setup\.py(?:\s+|['\"]\s*,\s*['\"])-{0,2}[A-Za-z]")


def setup_py_runners(
    found: Scan,
    final_texts: dict[str, str] | None = None,
    left_at: dict[str, frozenset[int]] | None = None,
) -> list[Reader]:
    """The lines that still run the root setup.py as a command (a kept Makefile target, CI, a
    script, tox, a Dockerfile, Python code): docs only tell people to."""
    out: list[Reader] = []
    for path, kind, numbered in _final_lines(found, final_texts, left_at):
        if path == "setup.py":
            continue
        for n, line in numbered:
            if runs_setup_py(line, kind):
                out.append(Reader(path, n, kind, line.strip(), False))
    return out


def code_readers(found: Scan, rel: str) -> list[Reader]:
    """The Python code that opens `rel` by name: the migration keeps such a file as written."""
    code = Scan(found.tree, [(path, kind) for path, kind in found.files if kind == "code"])
    return readers(code, rel)


def heroku_app(found: Scan) -> str | None:
    """The file that says the repo deploys with a Heroku-style Python buildpack (Procfile,
    runtime.txt, app.json at the root), if any; none when the app deploys a container image
    (app.json's `"stack": "container"`, heroku.yml's `build: docker:`): no buildpack runs."""
    if _deploys_container(found.tree):
        return None
    return next((rel for rel, kind in found.files if kind == "heroku" and rel != "app.yaml"), None)


def _deploys_container(tree: Tree) -> bool:
    data = tree.data("app.json")
    try:
        app = json.loads(data.decode("utf-8")) if data is not None else None
    except ValueError:
        app = None
    if isinstance(app, dict) and app.get("stack") == "container":
        return True
    manifest = tree.read("heroku.yml")
    if manifest is None:
        return False
    return re.search(r"(?m)^build\s*:(?:\s*\n[ \t]+.*)*?\n[ \t]+docker\s*:", manifest) is not None


def installed_files(found: Scan) -> list[tuple[str, Reader]]:
    """Files in the repository that pip installs with -r/-c somewhere (CI, a Dockerfile, a
    Makefile, tox, a script, docs), whatever their name: (the file, its first reader)."""
    seen: dict[str, Reader] = {}
    root = found.root
    option = re.compile(
        r"(?:(?<![\w-])(?:-[rc]|--requirements?|--constraints?)[\"']?\s*[=,]?\s*[\"']?"
        r"|\brequirements\s*:\s*[\"']?)([\w./$@{}~+-]+)"
    )
    for path, kind in found.files:
        if kind in ("heroku", "docs"):
            continue
        for n, line in enumerate(found.tree.lines(path), 1):
            if _comment(line, kind):
                continue
            for m in option.finditer(line):
                for rel in _resolve(m.group(1).rstrip(".,;:)'\""), path, root):
                    seen.setdefault(rel, Reader(path, n, kind, line.strip(), True))
    return sorted(seen.items())


def _resolve(token: str, reader: str, root: Path) -> list[str]:
    """The existing files a path written in `reader` may be (see _points_at)."""
    token = token.removeprefix("./")
    if not token or token.endswith("/"):
        return []
    parts = token.split("/")
    here = posixpath.dirname(reader)
    if token.startswith(("/", "~")) or any(c in token for c in "${}"):
        tails = ["/".join(parts[k:]) for k in range(1, len(parts))]
        candidates = [t for t in tails if "$" not in t and "{" not in t]
    else:
        candidates = [posixpath.join(here, token), token]
    out = []
    for c in candidates:
        norm = posixpath.normpath(c)
        if norm.startswith("..") or norm == ".":
            continue
        if (root / norm).is_file():
            out.append(norm)
            break
    return out
