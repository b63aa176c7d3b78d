"""The protocol every reader rewriter follows (readers/__init__.py lists them): the files that
read what the migration moved (CI workflows, tox, the bots' configs, pre-commit, Dockerfiles)
still `pip install -r` a requirements file; a reader rewriter turns such a file's text into the
uv form, pure text to text, and says each line it changed or left (a Finding). The plan runs it
on every file `reads` names in the survey's tree: the preview lists the findings, and only the
names in REWRITE (options.rewrite) are written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based, in today's text
    message: str  # what changes there ("pip install -r requirements.txt → uv sync --locked")
    rewritten: bool = True  # False: left as it is, and why (message)


@dataclass(frozen=True)
class ReaderContext:
    """What the plan decided that a reader's rewrite depends on."""

    # requirements file (posix, relative to the root) -> the `uv sync` flags selecting what it
    # installed (`--no-default-groups`, `--group dev`, `--only-group lint`, `--extra test`)
    selections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    uv_version: str | None = None  # the uv the repo runs (required-version, else this one)
    python: str | None = None  # what .python-version says after the migration
    make_targets: frozenset[str] = frozenset()  # the host Makefile's targets, uv.mk's included
    project: str | None = None  # [project] name
    # extras of the project, for `pip install -e .[test]`
    extras: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()  # [dependency-groups] names
    # each dependency of the migrated pyproject (canonical name) -> the `uv sync` flags that
    # install it: ("--no-default-groups",) a runtime one, ("--group", "dev"), ("--extra", "x")
    homes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    scripts: frozenset[str] = frozenset()  # [project.scripts] names
    # the requirements files the plan still regenerates from uv.lock (-> their `uv export`
    # flags): known on the plan's second pass over the readers (plan/readers_step.py)
    exported: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # for the Dockerfile rewriter: the files that listed the project itself (`-e .`), the
    # migrated requires-python, whether the project builds itself ([build-system]), the root's
    # .dockerignore, why the dependencies need the source tree to sync (path sources, a
    # workspace) or None
    with_project: frozenset[str] = frozenset()
    requires_python: str | None = None
    packaged: bool = False
    dockerignore: str | None = None
    needs_tree: str | None = None


@dataclass(frozen=True)
class ReaderRewrite:
    new_text: str  # today's text when nothing changes
    findings: tuple[Finding, ...] = ()

    @property
    def rewritten(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rewritten)

    @property
    def left(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.rewritten)


class ReaderRewriter(Protocol):
    name: str  # its own name ("github-actions")
    knob: str  # the REWRITE= name that turns it on ("ci")

    def reads(self, rel: str, kind: FileKind | None) -> bool:
        """Is the file at `rel` (posix, relative to the root) of this kind one it rewrites?"""
        ...

    def rewrite(self, rel: str, text: str, context: ReaderContext) -> ReaderRewrite:
        """The file as the migration leaves it, and each line changed or left."""
        ...
