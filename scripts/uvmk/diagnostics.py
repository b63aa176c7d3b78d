"""One shape for what the engine says about a repository: a Diagnostic is a note, a warning
or a refusal (what uv-migrate will not carry out), with a stable code and the file:line it is
about. Sources hand theirs over in a Contribution; the report renders them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# refusal: uv-migrate will not plan it; blocks-apply: the preview says it, APPLY refuses
Severity = Literal["info", "warning", "blocks-apply", "refusal"]


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
