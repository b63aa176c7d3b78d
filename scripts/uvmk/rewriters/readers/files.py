"""Which files each reader rewriter reads, by path (and the survey's kind), apart from the
rewriters themselves: the registry (readers/__init__.py) asks these of every file of the tree,
and a rewriter's module is imported only once one of them says yes."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from uvmk.survey.readers import is_dockerfile

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

RENOVATE_FILES = frozenset(
    {"renovate.json", ".renovaterc", ".renovaterc.json", ".github/renovate.json",
     ".gitlab/renovate.json"}
)  # fmt: skip


def github_workflow(rel: str, kind: FileKind | None) -> bool:
    return re.fullmatch(r"\.github/workflows/[^/]+\.ya?ml", rel) is not None


def gitlab_ci(rel: str, kind: FileKind | None) -> bool:
    return rel == ".gitlab-ci.yml" or (
        rel.startswith(".gitlab/") and rel.endswith((".yml", ".yaml"))
    )


def tox_ini(rel: str, kind: FileKind | None) -> bool:
    return rel == "tox.ini"


def dependabot(rel: str, kind: FileKind | None) -> bool:
    return rel in (".github/dependabot.yml", ".github/dependabot.yaml")


def renovate(rel: str, kind: FileKind | None) -> bool:
    return rel in RENOVATE_FILES


def pre_commit(rel: str, kind: FileKind | None) -> bool:
    return rel in (".pre-commit-config.yaml", ".pre-commit-config.yml")


def dockerfile(rel: str, kind: FileKind | None) -> bool:
    """Every Dockerfile, any spelling, any folder (the survey's kind "dockerfile")."""
    return kind == "dockerfile" or is_dockerfile(posixpath.basename(rel))
