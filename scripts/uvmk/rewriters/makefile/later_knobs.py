"""Knobs the plan decides after the Makefile's rewrite, from what its readers_left led to
(EXPORT_FILE for the one requirements file a kept line still reads, regenerated from uv.lock):
set in the include block the rewrite wrote, where the rewrite itself would have put them."""

from __future__ import annotations

import dataclasses

from uvmk.rewriters.makefile.rewrite import MakefileRewrite


def add_knobs(
    text: str, done: MakefileRewrite, knobs: dict[str, str]
) -> tuple[str, MakefileRewrite]:
    """`text` (the rewritten Makefile, `done` its rewrite) with `knobs` set just before the
    include line, after the knobs already there; a variable the host assigns stays its own."""
    new = {k: v for k, v in knobs.items() if k not in done.assigned and done.knobs.get(k) != v}
    if not done.include_line or not new:
        return text, done
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.rstrip("\r\n") == done.include_line)
    merged = {**done.knobs, **new}
    lines[at - len(done.knobs) : at] = [f"{k} := {v}{nl}" for k, v in merged.items()]
    return "".join(lines), dataclasses.replace(done, knobs=merged)
