"""uv-verify's look at a Dockerfile, rewritten or moved to uv by hand: the ways such a move
breaks an image, each one line at its file:line. A stage that syncs into uv's default `.venv`
while its CMD/ENTRYPOINT runs another Python (the dependencies land where nothing imports
them: the crash loop on start); uv copied from its image unpinned, or at a version outside the
repo's required-version; `--frozen`, which checks nothing about uv.lock. Reads only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from uvmk.rewriters.readers.dockerfile.instructions import Instruction, instructions
from uvmk.rewriters.readers.dockerfile.stages import env_pairs

_UV_IMAGE = re.compile(r"--from=ghcr\.io/astral-sh/uv(?::(?P<tag>[\w.-]+))?(?:@\S+)?\s")
_SYNC = re.compile(r"\buv\s+sync\b")
_FROZEN = re.compile(r"\buv\s+(?:sync|run|export)\b[^&;|]*--frozen\b")


@dataclass
class _Stage:
    line: int
    name: str | None
    syncs: int = 0  # the line of its first `uv sync` (0: none)
    environment: str | None = None  # UV_PROJECT_ENVIRONMENT
    path: str = ""
    workdir: str = "/"
    command: tuple[int, str] | None = None  # (line, CMD/ENTRYPOINT text)


def problems(rel: str, text: str, required_version: str | None) -> list[str]:
    """Each problem of the Dockerfile at `rel`, "rel:line: what (the fix)"."""
    out: list[str] = []
    stages: list[_Stage] = []
    for ins in instructions(text):
        if ins.keyword == "FROM":
            stages.append(_from(ins, stages))
            continue
        out += _pin_problems(rel, ins, required_version)
        if not stages:
            continue
        stage = stages[-1]
        if ins.keyword == "ENV":
            for key, value in env_pairs(ins.body):
                if key == "UV_PROJECT_ENVIRONMENT":
                    stage.environment = value
                elif key == "PATH":
                    stage.path = value
        elif ins.keyword == "WORKDIR":
            stage.workdir = ins.body.strip()
        elif ins.keyword == "RUN":
            if _SYNC.search(ins.body) and not stage.syncs:
                stage.syncs = ins.line
            if _FROZEN.search(ins.body):
                out.append(f"{rel}:{ins.line}: --frozen checks nothing about uv.lock: use --locked")
        elif ins.keyword in ("CMD", "ENTRYPOINT"):
            stage.command = (ins.line, ins.body)
    out += [p for s in stages for p in _venv_problems(rel, s)]
    return out


def _from(ins: Instruction, stages: list[_Stage]) -> _Stage:
    words = [w for w in ins.body.split() if not w.startswith("--")]
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    parent = next((s for s in stages if s.name and words and s.name == words[0]), None)
    stage = _Stage(ins.line, name)
    if parent is not None:
        stage.syncs, stage.environment = parent.syncs, parent.environment
        stage.path, stage.workdir, stage.command = parent.path, parent.workdir, parent.command
    return stage


def _pin_problems(rel: str, ins: Instruction, required: str | None) -> list[str]:
    if ins.keyword not in ("COPY", "RUN"):
        return []
    m = _UV_IMAGE.search(ins.body + " ")
    if m is None:
        return []
    tag = m.group("tag")
    where = f"{rel}:{ins.line}"
    if not tag or not re.fullmatch(r"\d+\.\d+\.\d+", tag):
        return [f"{where}: uv is copied from ghcr.io/astral-sh/uv:{tag or 'latest'}: pin a version"]
    if required and not _satisfies(tag, required):
        return [f"{where}: uv {tag} is outside the repo's required-version {required}"]
    return []


def _venv_problems(rel: str, stage: _Stage) -> list[str]:
    """A stage that syncs into the default .venv and runs a command that is not from it."""
    if not stage.syncs or stage.environment or stage.command is None:
        return []
    line, command = stage.command
    if ".venv/bin" in stage.path or re.search(r"\buv\s+run\b|\.venv/bin/", command):
        return []
    return [
        f"{rel}:{stage.syncs}: uv sync installs into {stage.workdir.rstrip('/')}/.venv, but "
        f"the command at line {line} runs a Python from PATH that does not see it: set "
        "UV_PROJECT_ENVIRONMENT (the image's /usr/local, or the venv), or put .venv/bin first "
        "on PATH"
    ]


def _satisfies(version: str, required: str) -> bool:
    try:
        return Version(version) in SpecifierSet(required)
    except (InvalidSpecifier, InvalidVersion):
        return True
