"""One CI job's shell lines moved to uv, whatever the CI system: its `pip install` lines become
one `uv sync --locked` with the job's selection (the first one that installs anything; the
rest, and `pip install -U pip`, go), each Python tool line `uv run --no-sync ...`. All or
nothing: a job with one pip line uv sync cannot say stays as it is, that line said, since half
a job on uv and half on pip would run its tools without their packages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from uvmk.rewriters.readers.commands import (
    PipInstall,
    Selection,
    mentions_pip,
    pip_install,
    select,
    uv_run,
)
from uvmk.rewriters.readers.protocol import Finding, ReaderContext


@dataclass(frozen=True)
class ShellLine:
    index: int  # 0-based line of the file
    command: str  # the whole command (a `\`-continued one joined)
    end: int = -1  # after its last line, when it spans several (-1: this line only)

    @property
    def lines(self) -> range:
        return range(self.index, self.end if self.end > self.index else self.index + 1)


@dataclass
class JobRewrite:
    sync: str  # the `uv sync --locked ...` line
    first: int  # the line that becomes it
    dropped: list[int] = field(default_factory=list)  # pip lines the sync replaces
    runs: dict[int, str] = field(default_factory=dict)  # tool line -> its `uv run` form
    findings: list[Finding] = field(default_factory=list)


@dataclass
class JobLeft:
    findings: list[Finding]


def rewrite_job(
    name: str, shell: list[ShellLine], context: ReaderContext, sync_extra: tuple[str, ...] = ()
) -> JobRewrite | JobLeft | None:
    """None: the job installs nothing of the project's with pip."""
    installs = [(s, pip_install(s.command)) for s in shell]
    pips: list[tuple[ShellLine, PipInstall]] = [(s, i) for s, i in installs if i is not None]
    substantive = [s for s, i in pips if not i.packaging_only]
    if not substantive:
        return None
    selection = Selection()
    left = []
    for s, install in pips:
        why = select(install, context, selection)
        if why:
            left.append(Finding(s.index + 1, f"`{s.command}` stays: {why}", rewritten=False))
    moved = next((s for s in shell if re.match(r"(?:cd|pushd)\s", s.command)), None)
    if moved is not None and moved.index < substantive[-1].index:
        why = f"`{moved.command}` first: its pip lines run in another folder"
        left.append(Finding(moved.index + 1, why, rewritten=False))
    for s, other in installs:
        if other is None and mentions_pip(s.command) and "pip cache dir" not in s.command:
            left.append(Finding(s.index + 1, f"`{s.command}` stays: pip used otherwise", False))
    if left:
        head = Finding(
            substantive[0].index + 1,
            f"job {name} stays on pip: uv sync cannot say the line(s) said here",
            rewritten=False,
        )
        return JobLeft([head, *left])
    sync = " ".join(["uv sync --locked", *selection.flags(), *sync_extra])
    done = JobRewrite(sync, substantive[0].index)
    for s, install in pips:
        if s.index == done.first:
            done.findings.append(Finding(s.index + 1, f"`{s.command}` → `{sync}`"))
            continue
        done.dropped.append(s.index)
        why = "not needed with uv" if install.packaging_only else "the uv sync installs it"
        done.findings.append(Finding(s.index + 1, f"`{s.command}` dropped: {why}"))
    for s, maybe in installs:
        new = uv_run(s.command, context) if maybe is None else None
        if new is not None:
            done.runs[s.index] = new
            done.findings.append(Finding(s.index + 1, f"`{s.command}` → `{new}`"))
    return done
