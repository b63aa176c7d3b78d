"""Terminal output: colour only on a terminal (not under NO_COLOR or CI), aligned tables."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") is not None:
        return False
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def _c(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def bold(self, t: str) -> str:
        return self._c("1", t)

    def red(self, t: str) -> str:
        return self._c("31", t)

    def green(self, t: str) -> str:
        return self._c("32", t)

    def yellow(self, t: str) -> str:
        return self._c("33", t)

    def dim(self, t: str) -> str:
        return self._c("2", t)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 70) -> list[str]:
    """A plain aligned table; long cells are cut with an ellipsis so a terminal stays readable."""
    cells = [
        [(c if len(c) <= max_width else c[: max_width - 1] + "…") for c in row] for row in rows
    ]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))

    def fmt(row: Sequence[str]) -> str:
        return "  " + "  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip()

    out = [fmt(headers), "  " + "  ".join("-" * w for w in widths)]
    out += [fmt(r) for r in cells]
    return out


def write(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False) + "\n"
