"""The reader rewriters, one module a kind of file that reads what the migration moved (a CI
workflow, tox.ini, Dependabot, Renovate, pre-commit, a Dockerfile), behind one protocol
(readers/protocol.py). READERS lists them; KNOBS are the names REWRITE= takes. A new one is one
module and one line here."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from uvmk.rewriters.readers import files

if TYPE_CHECKING:
    from uvmk.rewriters.readers.protocol import (
        Finding,
        ReaderContext,
        ReaderRewrite,
        ReaderRewriter,
    )
    from uvmk.survey.tree import FileKind, Tree

_PROTOCOL = frozenset({"Finding", "ReaderContext", "ReaderRewrite", "ReaderRewriter"})


def __getattr__(name: str) -> Any:
    # the protocol's dataclasses only once a reader is there to rewrite (see _Registered)
    if name in _PROTOCOL:
        return getattr(importlib.import_module(f"{__name__}.protocol"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Registered:
    """A reader rewriter as READERS holds it: its names and which files it reads (files.py),
    with its module imported on its first rewrite. Most trees have none of these files, and
    importing every rewriter cost ~15 ms of each audit (python -X importtime)."""

    def __init__(
        self, name: str, knob: str, reads: Callable[[str, FileKind | None], bool], where: str
    ) -> None:
        self.name = name
        self.knob = knob
        self._reads = reads
        self._module, _, self._attr = where.partition(":")

    def reads(self, rel: str, kind: FileKind | None) -> bool:
        return self._reads(rel, kind)

    def rewrite(self, rel: str, text: str, context: ReaderContext) -> ReaderRewrite:
        return self.loaded().rewrite(rel, text, context)

    def loaded(self) -> ReaderRewriter:
        """The rewriter itself (its module's object)."""
        rewriter: ReaderRewriter = getattr(
            importlib.import_module(f"{__name__}.{self._module}"), self._attr
        )
        return rewriter


READERS: tuple[ReaderRewriter, ...] = (
    _Registered("github-actions", "ci", files.github_workflow, "github_actions:GITHUB_ACTIONS"),
    _Registered("gitlab-ci", "ci", files.gitlab_ci, "gitlab_ci:GITLAB_CI"),
    _Registered("tox", "tox", files.tox_ini, "tox:TOX"),
    _Registered("dependabot", "bots", files.dependabot, "dependabot:DEPENDABOT"),
    _Registered("renovate", "bots", files.renovate, "renovate:RENOVATE"),
    _Registered("pre-commit", "pre-commit", files.pre_commit, "pre_commit:PRE_COMMIT"),
    _Registered("dockerfile", "docker", files.dockerfile, "dockerfile:DOCKERFILE"),
)  # fmt: skip


def any_read(tree: Tree) -> bool:
    """Does a reader rewriter read a file of the tree?"""
    return any(r.reads(rel, tree.kind(rel)) for r in READERS for rel in tree.files)


# REWRITE's names, in the order the preview lists them; `all` is every one
KNOBS: tuple[str, ...] = ("docker", "ci", "tox", "bots", "pre-commit")


class UnknownReader(ValueError):
    pass


def parse_rewrite(value: str) -> frozenset[str]:
    """REWRITE's value (`ci,tox`, `all`, spaces or commas) as a set of KNOBS names; an unknown
    name is one line naming it and the known ones."""
    names = {n for n in value.replace(",", " ").split() if n}
    if "all" in names:
        return frozenset(KNOBS)
    unknown = sorted(names - set(KNOBS))
    if unknown:
        raise UnknownReader(
            f"REWRITE: unknown reader {', '.join(repr(n) for n in unknown)} "
            f"(known: {', '.join(KNOBS)}, or all)"
        )
    return frozenset(names)


__all__ = [
    "KNOBS",
    "READERS",
    "Finding",
    "ReaderContext",
    "ReaderRewrite",
    "ReaderRewriter",
    "UnknownReader",
    "any_read",
    "parse_rewrite",
]
