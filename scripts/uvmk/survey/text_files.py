"""Reading a repository's text files: strictly as UTF-8 where the migration may rewrite the file
(anything else is a one-line refusal naming file:line), leniently where it only looks through it;
and the line a text says something on, for a refusal's file:line."""

from __future__ import annotations

from pathlib import Path

from uvmk.survey.model import SurveyError


def read_text(path: Path, root: Path) -> str:
    """A text file the migration reads (and may rewrite): UTF-8, or a one-line refusal."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return decode_text(path.read_bytes(), rel)


def decode_text(data: bytes, rel: str) -> str:
    """A file's bytes as UTF-8 text, or a one-line refusal naming rel:line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SurveyError(
            f"{rel} is not UTF-8 (byte 0x{data[exc.start]:02x}): save it as UTF-8 first "
            f"({rel}:{line})"
        ) from None


def lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def line_of(text: str, needle: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    return 1
