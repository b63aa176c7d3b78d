"""The reader rewriters, one module a kind of file that reads what the migration moved (a CI
workflow, tox.ini, Dependabot, Renovate, pre-commit, a Dockerfile), behind one protocol
(readers/protocol.py). READERS lists them; KNOBS are the names REWRITE= takes. A new one is one
module and one line here."""

from __future__ import annotations

from uvmk.rewriters.readers.dependabot import DEPENDABOT
from uvmk.rewriters.readers.dockerfile import DOCKERFILE
from uvmk.rewriters.readers.github_actions import GITHUB_ACTIONS
from uvmk.rewriters.readers.gitlab_ci import GITLAB_CI
from uvmk.rewriters.readers.pre_commit import PRE_COMMIT
from uvmk.rewriters.readers.protocol import Finding, ReaderContext, ReaderRewrite, ReaderRewriter
from uvmk.rewriters.readers.renovate import RENOVATE
from uvmk.rewriters.readers.tox import TOX

READERS: tuple[ReaderRewriter, ...] = (
    GITHUB_ACTIONS,
    GITLAB_CI,
    TOX,
    DEPENDABOT,
    RENOVATE,
    PRE_COMMIT,
    DOCKERFILE,
)

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
    "parse_rewrite",
]
