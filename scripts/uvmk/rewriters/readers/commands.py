"""The shell lines readers run, as the reader rewriters see them: a `pip install` and what it
selects (requirements files, the project and its extras, named packages), the `uv sync` that
installs the same from uv.lock, and a tool line (`pytest -q`, `python -m mypy`) that runs from
the project environment under `uv run`. Pure functions of text."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from packaging.utils import canonicalize_name

from uvmk.rewriters.readers.protocol import ReaderContext

_PIP = re.compile(r"^(?:(?:python(?:3(?:\.\d+)?)?|py)\s+-m\s+)?pip3?\s+install\b")
# options pip takes that change nothing uv sync does differently (or that uv does by itself)
_HARMLESS = frozenset(
    {
        "-U", "--upgrade", "-q", "--quiet", "-v", "--verbose", "--no-cache-dir",
        "--disable-pip-version-check", "--prefer-binary", "--upgrade-strategy", "--user",
        "--no-warn-script-location", "--progress-bar", "--root-user-action", "--compile",
        "--use-pep517", "--no-build-isolation", "--exists-action",
    }
)  # fmt: skip
_TAKES_VALUE = frozenset({"--upgrade-strategy", "--progress-bar", "--root-user-action",
                          "--exists-action"})  # fmt: skip
# what a job installs for installing, not for the project: with uv, none is needed (uv itself
# comes from setup-uv, or from the `pip install uv==` the GitLab rewrite puts first)
_PACKAGING = frozenset({"pip", "setuptools", "wheel", "pip-tools", "uv"})
_PROJECT = re.compile(r"^(?:file:)?\.(?:/)?(?:\[(?P<extras>[^\]]*)\])?$")
# commands named unlike their package
_COMMAND_PACKAGE = {
    "py.test": "pytest", "sphinx-build": "sphinx", "sphinx-autobuild": "sphinx-autobuild",
    "stubtest": "mypy", "dmypy": "mypy", "coverage": "coverage", "pybabel": "babel",
    "django-admin": "django", "alembic": "alembic", "nosetests": "nose", "pylint": "pylint",
    "mkdocs": "mkdocs", "pre-commit": "pre-commit", "flask": "flask", "uvicorn": "uvicorn",
    "gunicorn": "gunicorn", "celery": "celery", "behave": "behave", "bandit": "bandit",
}  # fmt: skip


@dataclass(frozen=True)
class PipInstall:
    """What one `pip install` line installs."""

    files: tuple[str, ...] = ()  # -r FILE, as written
    project: bool = False  # `.` / `-e .`
    extras: tuple[str, ...] = ()  # `.[test,docs]`
    packages: tuple[str, ...] = ()  # named requirements (canonical names)
    packaging_only: bool = False  # `pip install -U pip setuptools wheel`: uv needs none
    problem: str | None = None  # why uv sync cannot say it (an index option, a --target)
    constraints: tuple[str, ...] = ()  # -c FILE: pins uv.lock holds once FILE is migrated


@dataclass
class Selection:
    """A job's installs, summed up: what `uv sync` selects for it."""

    runtime: bool = False  # the project's dependencies (a runtime file, `.`, a runtime package)
    groups: set[str] = field(default_factory=set)
    only_groups: set[str] = field(default_factory=set)
    extras: set[str] = field(default_factory=set)

    def add_flags(self, flags: tuple[str, ...]) -> None:
        it = iter(flags)
        for flag in it:
            if flag == "--no-default-groups":
                self.runtime = True
            elif flag == "--group":
                self.groups.add(next(it))
            elif flag == "--only-group":
                self.only_groups.add(next(it))
            elif flag == "--extra":
                self.extras.add(next(it))
                self.runtime = True

    def flags(self) -> list[str]:
        """The `uv sync` flags: the default sync (the project and the dev group) says none."""
        if self.only_groups and not (self.runtime or self.groups or self.extras):
            return [a for g in sorted(self.only_groups) for a in ("--only-group", g)]
        groups = self.groups | self.only_groups
        extras = [a for e in sorted(self.extras) for a in ("--extra", e)]
        if groups == {"dev"}:
            return extras
        return [
            "--no-default-groups",
            *(a for g in sorted(groups) for a in ("--group", g)),
            *extras,
        ]


def pip_install(line: str) -> PipInstall | None:
    """The `pip install` on this shell line (None: the line installs nothing with pip)."""
    text = line.strip()
    if not _PIP.match(text):
        return None
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError:
        return PipInstall(problem="unbalanced quotes")
    operators = [t for t in tokens if t and all(c in "();<>|&" for c in t)]
    if operators:
        return PipInstall(problem=f"more than a pip install on the line (`{operators[0]}`)")
    if re.search(r"\$|`", re.sub(r"'[^']*'", "", text)):
        return PipInstall(problem="a value the shell or the CI computes when it runs")
    words = tokens[tokens.index("install") + 1 :]
    files: list[str] = []
    constraints: list[str] = []
    project = False
    extras: tuple[str, ...] = ()
    named: list[str] = []
    it = iter(words)
    for word in it:
        option, _, value = word.partition("=")
        if word in ("-r", "--requirement") or word.startswith("-r"):
            files.append(next(it, "") if word in ("-r", "--requirement") else word[2:])
        elif option == "--requirement":
            files.append(value)
        elif word in ("-c", "--constraint") or word.startswith("-c") or option == "--constraint":
            bound = next(it, "") if word in ("-c", "--constraint") else value or word[2:]
            constraints.append(bound)
        elif word in ("-e", "--editable"):
            target = _PROJECT.match(next(it, ""))
            if target is None:
                return PipInstall(problem="an editable install of another folder")
            project, extras = True, _split(target["extras"])
        elif option in _HARMLESS:
            if option in _TAKES_VALUE and not value:
                next(it, None)
        elif word.startswith("-"):
            return PipInstall(problem=f"pip's {option} option")
        elif (found := _PROJECT.match(word)) is not None:
            project, extras = True, _split(found["extras"])
        else:
            m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)", word)
            if "/" in word or word.endswith((".whl", ".tar.gz", ".zip")):
                return PipInstall(
                    problem=f"installs a file ({word}), not a requirement uv.lock holds"
                )
            if m is None:
                return PipInstall(problem=f"{word} is no package name")
            name = canonicalize_name(m.group(1))
            if _asks_a_version(word) and name not in _PACKAGING:
                # psf/requests' `pip install "urllib3<2"`: the job tests urllib3 1.x, which
                # `uv sync` (uv.lock's urllib3 2.x) would quietly stop doing
                return PipInstall(problem=f"asks for {word}, not the version uv.lock holds")
            named.append(name)
    packages = [n for n in named if n not in _PACKAGING]
    only_packaging = bool(named) and not packages and not files and not project
    return PipInstall(
        tuple(files),
        project,
        extras,
        tuple(packages),
        only_packaging,
        constraints=tuple(constraints),
    )


def _asks_a_version(word: str) -> bool:
    """`urllib3<2`, `black==24.1.1`: a version specifier after the name (and its extras)."""
    rest = re.sub(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?", "", word).split(";")[0]
    return bool(re.search(r"[<>=!~]", rest))


def _split(extras: str | None) -> tuple[str, ...]:
    return tuple(e.strip() for e in (extras or "").split(",") if e.strip())


def select(install: PipInstall, context: ReaderContext, selection: Selection) -> str | None:
    """Add what `install` installs to `selection`; the reason it cannot, else None."""
    if install.problem:
        return install.problem
    for rel in install.constraints:
        if rel.removeprefix("./") not in context.selections:
            return f"-c {rel} is not a file the migration moved (its pins are not in uv.lock)"
    for rel in install.files:
        flags = context.selections.get(rel.removeprefix("./"))
        if flags is None:
            return f"{rel} is not a requirements file the migration moved into pyproject.toml"
        selection.add_flags(flags)
    if install.project:
        selection.runtime = True
        unknown = [e for e in install.extras if e not in context.extras]
        if unknown:
            return f"the project has no extra {', '.join(unknown)}"
        selection.extras.update(install.extras)
    for name in install.packages:
        home = context.homes.get(name)
        if home is None:
            return f"{name} is not a dependency of the project (add it: uv add --dev {name})"
        selection.add_flags(home)
    return None


def uv_run(line: str, context: ReaderContext) -> str | None:
    """The line run from the project environment (`uv run --no-sync ...`: what the job's
    `uv sync --locked` installed, nothing re-locked), or None when it runs no Python tool of the
    project (a `make`, a `curl`, a tool the project does not depend on)."""
    m = re.match(r"^(?P<lead>\s*(?:[A-Z_][A-Z0-9_]*=\S*\s+)*)(?P<cmd>\S+)(?P<rest>.*)$", line)
    if m is None:
        return None
    cmd = m["cmd"]
    if re.fullmatch(r"python(?:3(?:\.\d+)?)?", cmd):
        if re.match(r"\s+-m\s+pip\b", m["rest"]):
            return None
        runs = True
    else:
        package = _COMMAND_PACKAGE.get(cmd, cmd)
        runs = canonicalize_name(package) in context.homes or cmd in context.scripts
    if not runs:
        return None
    return f"{m['lead']}uv run --no-sync {cmd}{m['rest']}"


def mentions_pip(line: str) -> bool:
    return re.search(r"(?:^|[\s;&|(])(?:python3?\s+-m\s+)?pip3?\s", line + " ") is not None
