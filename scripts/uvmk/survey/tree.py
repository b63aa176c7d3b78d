"""The repository, walked once: every folder and file below the root outside the trees no
project file lives in (SKIP_DIRS, virtual environments, *.egg-info, symlinked folders), within
bounds (MAX_DIRS folders, MAX_DEPTH levels) so a large monorepo stays fast; each file with its
kind (one classifier: kind_of), the virtual environments met on the way, the project roots, and
each text read at most once. The readers scan, the Python evidence, the venvs and requirements
discovery are views of one Tree; nothing else walks the disk for them. Reads only."""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

FileKind = Literal[
    "requirements", "requirements-in", "dockerfile", "compose", "readthedocs", "ci", "tox",
    "nox", "task-runner", "setup-py", "setup-cfg", "pyproject", "pipfile", "pipfile-lock",
    "poetry-lock", "shell", "makefile", "heroku", "config", "code", "docs",
]  # fmt: skip

MAX_DIRS = 20000  # folders walked
MAX_DEPTH = 10  # folders below the root walked into

# never a place a project file lives: version control, caches, installed or vendored code
SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", "bower_components", ".tox", ".nox",
        "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "site-packages",
        ".cache", ".eggs", "vendor", "vendored", "_vendor", "third_party", "third-party",
        "htmlcov", ".idea", ".venv", "venv", "uv-mk",
    }
)  # fmt: skip
# build output and a venv's usual names: trees some views leave out on top of SKIP_DIRS (a
# copy of the project's files, not the project's own), though a reader may live there
BUILD_OUTPUT = frozenset({"build", "dist", "env"})

_CI_DIRS = (
    ".github/workflows/",
    ".github/actions/",
    ".gitlab/",
    ".circleci/",
    ".azure-pipelines/",
    ".buildkite/",
    ".woodpecker/",
)
_CI_NAMES = frozenset(
    {
        ".gitlab-ci.yml", ".taskcluster.yml", "bitbucket-pipelines.yml", ".travis.yml",
        "appveyor.yml", ".appveyor.yml", ".drone.yml", ".woodpecker.yml", "codemagic.yaml",
    }
)  # fmt: skip
_TASK_RUNNERS = frozenset({"tasks.py", "fabfile.py", "dodo.py"})
_DOCS_STEMS = ("readme", "contributing", "install", "hacking", "development", "developing")
_REQUIREMENTS_NAME = re.compile(r"(requirements.*|.*[-_]requirements|constraints.*)", re.I)
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


def kind_of(rel: str) -> FileKind | None:
    """What a file is, by its path (posix, relative to the root); None: nothing the engine
    reads."""
    name = posixpath.basename(rel)
    low = name.lower()
    stem, ext = posixpath.splitext(low)
    if low.startswith(("dockerfile", "containerfile")) or ext in (".dockerfile", ".containerfile"):
        return "dockerfile"
    if re.fullmatch(r"(docker-)?compose([.-][\w.-]*)?\.ya?ml", low):
        return "compose"
    if re.fullmatch(r"\.?readthedocs\.ya?ml", low):
        return "readthedocs"
    if (
        low in _CI_NAMES
        or rel.startswith(_CI_DIRS)
        or low.startswith("jenkinsfile")
        or re.fullmatch(r"(\.)?azure-pipelines[\w.-]*\.ya?ml|cloudbuild[\w.-]*\.ya?ml", low)
        or re.fullmatch(r"buildspec[\w.-]*\.ya?ml", low)
    ):
        return "ci"
    if low == "tox.ini":
        return "tox"
    named: dict[str, FileKind] = {
        "setup.py": "setup-py", "setup.cfg": "setup-cfg", "noxfile.py": "nox",
        "pyproject.toml": "pyproject", "pipfile": "pipfile", "pipfile.lock": "pipfile-lock",
        "poetry.lock": "poetry-lock",
    }  # fmt: skip
    if low in named:
        return named[low]
    if low in _TASK_RUNNERS:
        return "task-runner"
    if ext in (".sh", ".bash", ".zsh", ".ps1", ".bat", ".cmd"):
        return "shell"
    if low in ("makefile", "gnumakefile") or low.startswith(("makefile.", "gnumakefile.")):
        return "makefile"
    if ext in (".mk", ".make"):
        return "makefile"
    if "/" not in rel and name in ("Procfile", "runtime.txt", "app.json", "app.yaml"):
        return "heroku"
    if ext in (".yml", ".yaml", ".ini", ".cfg"):
        return "config"
    if ext == ".py":
        return "code"
    if (ext in (".md", ".rst", "") and stem.startswith(_DOCS_STEMS)) or low == "readme.txt":
        return "docs"
    if ext in (".md", ".rst") and rel.split("/", 1)[0] in ("docs", "doc"):
        return "docs"
    if ext in (".txt", ".in", ".pip") and (
        _REQUIREMENTS_NAME.fullmatch(stem) or "requirements" in rel.lower().split("/")[:-1]
    ):
        return "requirements-in" if ext == ".in" else "requirements"
    return None


@dataclass(frozen=True)
class Venv:
    rel: str  # posix, relative to the root
    is_symlink: bool
    depth: int  # 1: a folder of the root


@dataclass
class Tree:
    """One walk's result. files and dirs are in walk order (folders top-down, names sorted);
    dirs holds "" for the root."""

    root: Path
    dirs: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    venvs: list[Venv] = field(default_factory=list)
    truncated: bool = False  # stopped at MAX_DIRS: files further in are missing
    root_entries: frozenset[str] = frozenset()  # every name in the root, skipped or not
    # walk_within's root seen from the top: every name in it (None: not reached)
    inner_entries: frozenset[str] | None = None
    _data: dict[str, bytes | None] = field(default_factory=dict, repr=False)
    _kinds: dict[str, FileKind | None] = field(default_factory=dict, repr=False)
    views: dict[str, object] = field(default_factory=dict, repr=False)  # views computed once

    def kind(self, rel: str) -> FileKind | None:
        if rel not in self._kinds:
            self._kinds[rel] = kind_of(rel)
        return self._kinds[rel]

    def of_kind(self, *kinds: FileKind) -> list[str]:
        return [rel for rel in self.files if self.kind(rel) in kinds]

    def glob(self, folder: str, pattern: str) -> list[str]:
        """The files directly in `folder` ("" the root) whose name matches `pattern` (as
        Path.glob: case-sensitive, a dot file matches too), sorted."""
        return [rel for rel in self.files_in(folder) if fnmatch.fnmatchcase(_name(rel), pattern)]

    def files_in(self, folder: str) -> list[str]:
        """The files directly in `folder` ("" the root), sorted."""
        if "by-folder" not in self.views:
            index: dict[str, list[str]] = {}
            for rel in self.files:
                index.setdefault(posixpath.dirname(rel), []).append(rel)
            self.views["by-folder"] = index
        found = self.views["by-folder"]
        assert isinstance(found, dict)
        return list(found.get(folder, []))

    def below(self, folder: str) -> list[str]:
        """The files in `folder` and its subfolders."""
        return [rel for rel in self.files if rel.startswith(folder + "/")]

    def has_file(self, rel: str) -> bool:
        return rel in self._file_set

    def walked(self, folder: str) -> bool:
        """The walk listed `folder` ("" the root): has_file answers for the files in it."""
        if "dir-set" not in self.views:
            self.views["dir-set"] = frozenset(self.dirs)
        found = self.views["dir-set"]
        assert isinstance(found, frozenset)
        return folder in found

    @property
    def _file_set(self) -> frozenset[str]:
        if "file-set" not in self.views:
            self.views["file-set"] = frozenset(self.files)
        found = self.views["file-set"]
        assert isinstance(found, frozenset)
        return found

    def data(self, rel: str) -> bytes | None:
        """The bytes of the file at `rel` (None when there is no such file), read once. Any
        path below the root, walked or not (an -r target)."""
        if rel not in self._data:
            try:
                self._data[rel] = (self.root / rel).read_bytes()
            except OSError:
                self._data[rel] = None
        return self._data[rel]

    def read(self, rel: str) -> str | None:
        """The file's text as Path.read_text(errors="replace") reads it (UTF-8, undecodable
        bytes replaced, newlines made \\n); None when there is no such file."""
        data = self.data(rel)
        if data is None:
            return None
        return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")

    def text(self, rel: str) -> str:
        """The file's text, "" when it cannot be read."""
        return self.read(rel) or ""

    def lines(self, rel: str) -> list[str]:
        return self.text(rel).splitlines()

    def rel(self, path: Path) -> str:
        """`path` (below the root) as the posix path the tree names it by."""
        return path.relative_to(self.root).as_posix()

    def project_roots(self) -> list[str]:
        """The folders holding a project's own files (pyproject.toml, setup.py, setup.cfg, a
        Pipfile or requirements files): "" for the root."""
        kinds = ("pyproject", "setup-py", "setup-cfg", "pipfile", "requirements")
        found = {posixpath.dirname(rel) for rel in self.files if self.kind(rel) in kinds}
        return [d for d in self.dirs if d in found]


def tree_lines(tree: Tree, path: Path) -> list[str]:
    """The lines of the file at `path` (below the tree's root), from the walk's reads; [] when
    it cannot be read."""
    return tree.lines(tree.rel(path))


def _name(rel: str) -> str:
    return rel.rpartition("/")[2]


WALKS = [0]  # walks made in this process (a test counts them)


def walk(root: Path) -> Tree:
    """The one walk of the repository below `root` (resolved)."""
    return _walk(root, "")


def walk_within(root: Path) -> tuple[Tree, Tree | None]:
    """The walk of `root`, and of the git work tree around it when `root` is a folder inside one
    (ROOT=services/api: the top's Makefile, CI and Dockerfiles may read the folder's files), from
    one walk of the top: `root`'s tree is the part of it below `root`, as walk(root) makes it.
    Walked twice only when the top's walk cannot hold `root`'s (stopped at MAX_DIRS, or `root`
    inside a folder no walk enters)."""
    if (root / ".git").exists():
        return walk(root), None
    top = next((p for p in root.parents if (p / ".git").exists()), None)
    if top is None:
        return walk(root), None
    inner = root.relative_to(top).as_posix()
    around = _walk(top, inner)
    if around.truncated or around.inner_entries is None:
        return walk(root), around
    return _below(around, inner, root), around


def _below(tree: Tree, inner: str, root: Path) -> Tree:
    """The part of `tree` below its folder `inner`, rooted there."""
    cut = len(inner) + 1
    return Tree(
        root,
        dirs=[""] + [d[cut:] for d in tree.dirs if d.startswith(inner + "/")],
        files=[rel[cut:] for rel in tree.below(inner)],
        # their depth is counted from `inner` already (_walk)
        venvs=[
            Venv(v.rel[cut:], v.is_symlink, v.depth)
            for v in tree.venvs
            if v.rel[:cut] == inner + "/"
        ],
        root_entries=tree.inner_entries or frozenset(),
    )


def _walk(root: Path, inner: str) -> Tree:
    """walk(root); with `inner` (a folder below root, posix) the folders below `inner` count
    their depth from it, as a walk of `inner` would, and its entries are kept."""
    WALKS[0] += 1
    tree = Tree(root)
    base = len(root.parts)
    restart = len(inner.split("/")) if inner else 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        depth = len(here.parts) - base
        rel = here.relative_to(root).as_posix() if depth else ""
        if not depth:
            tree.root_entries = frozenset(dirnames) | frozenset(filenames)
        if inner and (rel == inner or rel.startswith(inner + "/")):
            depth -= restart
            if not depth:
                tree.inner_entries = frozenset(dirnames) | frozenset(filenames)
        tree.dirs.append(rel)
        dirnames[:] = [d for d in sorted(dirnames) if _walked_into(tree, here, d, depth)]
        prefix = rel + "/" if rel else ""
        tree.files.extend(prefix + name for name in sorted(filenames))
        if len(tree.dirs) >= MAX_DIRS:
            tree.truncated = True
            break
    return tree


def _walked_into(tree: Tree, here: Path, name: str, depth: int) -> bool:
    """Is the folder `name` in `here` walked? A virtual environment is noted, never entered."""
    child = here / name
    if (child / "pyvenv.cfg").is_file():
        rel = child.relative_to(tree.root).as_posix()
        tree.venvs.append(Venv(rel, child.is_symlink(), depth + 1))
        return False
    return (
        name not in SKIP_DIRS
        and not name.endswith(".egg-info")
        and depth < MAX_DEPTH
        and not child.is_symlink()
        and not (child / "pyvenv.cfg").exists()
    )
