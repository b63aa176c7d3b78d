"""One shape for what the engine says about a repository: a Diagnostic is a note, a warning,
a refusal (what uv-migrate will not carry out) or an audit's finding, with a stable code and
the file:line it is about (a Where, or its text). Sources hand theirs over in a Contribution,
the audit lists its findings as Diagnostics; the report renders them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

# refusal: uv-migrate will not plan it; blocks-apply: the preview says it, APPLY refuses; fix:
# an audit's finding that uv-migrate changes
Severity = Literal["info", "warning", "blocks-apply", "refusal", "fix"]


@dataclass(frozen=True)
class Where:
    """A place in a file, as `path:line` (path posix, relative to the repo root)."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str  # a stable id, e.g. "poetry-project"
    message: str  # one line
    where: str | None = None  # "path:line", posix, relative to the root

    def line(self) -> str:
        """The message, ending with its file:line when the message does not say it."""
        if self.where is None or self.where in self.message:
            return self.message
        return f"{self.message} ({self.where})"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "where": self.where,
        }
