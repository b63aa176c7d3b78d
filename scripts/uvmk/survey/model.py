"""The records a survey is made of (a venv folder, a piece of Python-version evidence, a
Makefile line that runs pip or a venv) and SurveyError, the one-line refusal its readers raise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


class SurveyError(Exception):
    """A refusal: the repository cannot be read (str(e) is one line naming file:line)."""


@dataclass(frozen=True)
class VenvInfo:
    path: str  # posix, relative to the root
    size: int  # bytes, without following symlinks
    python: str | None  # from pyvenv.cfg
    is_symlink: bool
    is_target: bool  # the project environment uv uses (.venv or UV_PROJECT_ENVIRONMENT)
    used_by: tuple[str, ...]  # file:line of references in Makefile / tooling
    outside_root: bool = False  # resolves outside the repository (not ours to delete)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "python": self.python,
            "is_symlink": self.is_symlink,
            "is_target": self.is_target,
            "used_by": list(self.used_by),
        }


@dataclass(frozen=True)
class PythonEvidence:
    source: str  # ".python-version", "runtime.txt", "Makefile", "Dockerfile", "CI", ...
    where: str  # file:line
    version: str  # "3.13" (major.minor); for requires-python the lower bound
    strength: int

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "where": self.where,
            "version": self.version,
            "strength": self.strength,
        }


@dataclass(frozen=True)
class MakefileHit:
    where: str
    kind: Literal["interpreter", "pip", "venv"]
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"where": self.where, "kind": self.kind, "text": self.text}
