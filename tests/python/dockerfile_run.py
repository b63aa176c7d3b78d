"""Run a Dockerfile's rewritten steps for real, without a docker daemon (none on this machine):
a real parser (dockerfile-parse) reads it, and each stage the target needs is played into a
scratch folder standing in for the image's filesystem: WORKDIR and ENV applied, COPY from the
build context, `python -m venv` and every RUN that runs uv executed with uv from this machine,
absolute image paths mapped into the scratch folder (UV_PROJECT_ENVIRONMENT=/usr/local lands in
<scratch>/usr/local). Other RUN steps (apt-get, apk) are skipped, and listed. The stage's CMD or
ENTRYPOINT then runs with the image's PATH, so the test sees which interpreter it resolves."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockerfile_parse import DockerfileParser

_PYENV = Path(
    subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False).stdout.strip()
    or "/root/.pyenv"
)


def stand_in(base: str) -> Path:
    """This machine's stand-in for the image's Python: pyenv's of the X.Y its tag names
    (python:3.10-alpine: 3.10), else 3.11."""
    m = re.search(r"python:?(\d\.\d+)", base)
    wanted = m.group(1) if m else "3.11"
    found = sorted(_PYENV.glob(f"versions/{wanted}.*"))
    return found[-1] if found else _PYENV / "versions" / "3.11.7"


_UV_LINK = re.compile(r"(?:^|\s)uv\s")
_TOOLS = ("sh", "uv", "uvx", "rm", "mkdir", "cp", "mv", "ls", "cat", "echo", "true", "env", "test")


def parse(text: str) -> list[dict[str, Any]]:
    """dockerfile-parse's instructions of `text` (comments left out)."""
    with tempfile.TemporaryDirectory() as folder:
        parser = DockerfileParser(path=folder)
        parser.content = text
        return [i for i in parser.structure if i["instruction"] != "COMMENT"]


@dataclass
class StageRun:
    name: str
    base: str
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    command: list[str] = field(default_factory=list)  # ENTRYPOINT + CMD
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class Image:
    """The scratch filesystem of one build."""

    def __init__(self, context: Path, scratch: Path) -> None:
        self.context = context
        self.root = scratch / "image"
        self.root.mkdir(parents=True)

    def at(self, image_path: str) -> Path:
        return self.root / image_path.lstrip("/")

    def mapped(self, value: str) -> str:
        """A value with its absolute image paths (a PATH's entries too) moved under root."""
        return ":".join(
            str(self.at(p)) if p.startswith("/") and p != "/" else p for p in value.split(":")
        )

    def environ(self, stage: StageRun) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_"))}
        for key, value in stage.env.items():
            env[key] = self.mapped(value) if key not in ("UV_COMPILE_BYTECODE",) else value
        # the image's PATH, then a folder of the few commands a step needs (uv, sh, rm...):
        # never this machine's /usr/bin or pyenv, whose pip and python a step must not reach
        image_path = self.mapped(stage.env.get("PATH", "/usr/local/bin:/usr/bin:/bin"))
        env["PATH"] = f"{image_path}:{self.tools()}"
        return env

    def tools(self) -> Path:
        folder = self.root.parent / "tools"
        if not folder.is_dir():
            folder.mkdir()
            for name in _TOOLS:
                found = shutil.which(name)
                if found:
                    (folder / name).symlink_to(found)
        return folder

    def run_step(self, stage: StageRun, command: str) -> subprocess.CompletedProcess[str]:
        words = command.split()
        while words and words[0].startswith("--"):
            words.pop(0)
        line = " ".join(words)
        line = re.sub(r"(?<=[\s=])/(?=[\w.])", str(self.root) + "/", " " + line).strip()
        cwd = self.at(stage.workdir)
        cwd.mkdir(parents=True, exist_ok=True)
        env = self.environ(stage)
        if "--system" in line or "uv export" in line:
            # uv's search for a system Python passes over a venv: point it at the image's
            # stand-in Python
            found = shutil.which("python3", path=env["PATH"])
            env["UV_PYTHON"] = found or "python3-not-in-the-image"
        return subprocess.run(
            ["sh", "-c", line],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def copy_in(self, stage: StageRun, value: str) -> None:
        words = shlex.split(value)
        flags = [w for w in words if w.startswith("--")]
        paths = [w for w in words if not w.startswith("--")]
        if any(f.startswith("--from=") for f in flags):
            source = next(f for f in flags if f.startswith("--from="))[7:]
            if "astral-sh/uv" in source:
                return  # uv comes from this machine
            for src in paths[:-1]:  # another stage's files: the same scratch filesystem
                if self.at(src) != self.at(paths[-1]) and self.at(src).exists():
                    shutil.copytree(self.at(src), self.at(paths[-1]), dirs_exist_ok=True)
            return
        dest = paths[-1]
        into = dest.endswith("/") or dest == "." or len(paths) > 2
        target = self.at(posixpath_join(stage.workdir, dest))
        for src in paths[:-1]:
            for found in sorted(self.context.glob(src)) if src != "." else [self.context]:
                where = target / found.name if into and found != self.context else target
                if found.is_dir():
                    shutil.copytree(found, where, dirs_exist_ok=True)
                else:
                    where.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(found, where)


def posixpath_join(workdir: str, path: str) -> str:
    import posixpath

    return posixpath.normpath(posixpath.join(workdir, path))


def build(context: Path, text: str, scratch: Path, target: str | None = None) -> StageRun:
    """Play the stages `target` (default: the last) needs; the target stage's record."""
    instructions = parse(text)
    stages: list[tuple[StageRun, list[dict[str, Any]]]] = []
    for ins in instructions:
        if ins["instruction"] == "FROM":
            words = [w for w in ins["value"].split() if not w.startswith("--")]
            name = words[2] if len(words) > 2 else f"stage{len(stages)}"
            stages.append((StageRun(name, words[0]), []))
        elif stages:
            stages[-1][1].append(ins)
    by_name = {s.name: (s, body) for s, body in stages}
    wanted = target or stages[-1][0].name
    needed = _needs(wanted, by_name)
    image = Image(context, scratch)
    done: dict[str, StageRun] = {}
    for stage, body in stages:
        if stage.name not in needed:
            continue
        if stage.base in done:
            parent = done[stage.base]
            stage.env, stage.workdir = dict(parent.env), parent.workdir
            stage.base = parent.base
            stage.command = list(parent.command)
        else:
            # the image's own Python, stood in for by a venv of its own (pip seeded in it, as
            # the image has pip): the official image's at /usr/local, another's (alpine's
            # apk python3) at /usr
            prefix = image.at("/usr/local" if "python:" in stage.base else "/usr")
            if not prefix.exists():
                python = stand_in(stage.base) / "bin" / "python3"
                subprocess.run(
                    ["uv", "venv", "-q", "--seed", "--python", str(python), str(prefix)],
                    check=True,
                    env={k: v for k, v in os.environ.items() if not k.startswith("UV_")},
                )
            stage.env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
        _play(image, stage, body)
        done[stage.name] = stage
    result = done[wanted]
    result.env["__ROOT__"] = str(image.root)
    return result


def _needs(name: str, by_name: dict[str, Any]) -> set[str]:
    stage, body = by_name[name]
    out = {name}
    parents = [stage.base] + [
        f[7:]
        for ins in body
        if ins["instruction"] == "COPY"
        for f in shlex.split(ins["value"])
        if f.startswith("--from=")
    ]
    for parent in parents:
        if parent in by_name and parent not in out:
            out |= _needs(parent, by_name)
    return out


def _play(image: Image, stage: StageRun, body: list[dict[str, Any]]) -> None:
    for ins in body:
        kind, value = ins["instruction"], ins["value"]
        if kind == "WORKDIR":
            stage.workdir = posixpath_join(stage.workdir, value)
        elif kind == "ENV":
            for word in shlex.split(value):
                key, _, val = word.partition("=")
                stage.env[key] = re.sub(
                    r"\$\{?(\w+)\}?",
                    lambda m: stage.env.get(m.group(1), "/usr/local/bin:/usr/bin:/bin"),
                    val,
                )
        elif kind in ("COPY", "ADD"):
            image.copy_in(stage, value)
        elif kind == "RUN":
            venv = re.search(r"python[\d.]*\s+-m\s+venv\s+(\S+)", value)
            if _UV_LINK.search(value) or venv:
                done = image.run_step(stage, value)
                if done.returncode != 0:
                    raise AssertionError(f"RUN {value}\nfailed:\n{done.stdout}{done.stderr}")
                stage.ran.append(value)
            else:
                stage.skipped.append(value)
        elif kind == "ENTRYPOINT":
            stage.command = _argv(value)
        elif kind == "CMD":
            stage.command = [*stage.command[:0], *_argv(value)]


def _argv(value: str) -> list[str]:
    value = value.strip()
    return [str(w) for w in json.loads(value)] if value.startswith("[") else ["sh", "-c", value]


def run_command(stage: StageRun, context_root: str | None = None) -> tuple[str, str]:
    """Run the stage's command in the scratch image: (the program it resolved to, its output)."""
    root = Path(stage.env["__ROOT__"])
    image = Image.__new__(Image)
    image.root = root
    env = image.environ(stage)
    program = shutil.which(stage.command[0], path=env["PATH"]) or stage.command[0]
    cwd = image.at(stage.workdir)
    done = subprocess.run(
        [program, *stage.command[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return program, done.stdout + done.stderr
