"""What a Dockerfile's build stage looks like at each instruction, as far as where pip installs:
its base image and that image's Python, WORKDIR, ENV, USER, the venvs it made, and which
requirements files its COPY lines brought in from the build context (and to where)."""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import shlex
from dataclasses import dataclass, field, replace

from uvmk.rewriters.readers.dockerfile.instructions import Instruction

# the official image (docker.io/library/python, also through a registry mirror's library/):
# its Python is /usr/local/bin/python, what `pip` installs into
_OFFICIAL = re.compile(r"(?:[\w.-]+(?::\d+)?/)?(?:library/)?python(?::(?P<tag>[\w.-]+))?(?:@\S+)?")
_VENV_MADE = re.compile(
    r"(?:^|&&|;)\s*(?:\S*python[\d.]*\s+-m\s+venv|virtualenv|uv\s+venv)\s+"
    r"(?:--?[\w-]+(?:=\S+)?\s+)*(?P<dir>[^\s;&|-]\S*)"
)
_VAR = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)")


@dataclass(frozen=True)
class Copied:
    """A requirements file (or a glob of them) a COPY/ADD line brought into the image."""

    at: int  # the instruction's index
    source: str  # as written
    rel: str  # where it is in the repository (posix; a glob stays a glob)
    image_path: str  # where it lands in the image


@dataclass
class Stage:
    base: str  # the FROM image, variables expanded
    name: str | None = None
    line: int = 0  # its FROM line
    python: str | None = None  # the image's Python version from its tag (3.12, 3.11.4)
    official: bool = False  # the official python image: its Python lives in /usr/local
    workdir: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    venvs_made: set[str] = field(default_factory=set)
    copied: list[Copied] = field(default_factory=list)
    # the folders the whole build context was copied to (COPY . /app)
    context_copies: list[str] = field(default_factory=list)
    has_uv: bool = False  # uv's binaries are in the image already
    uv_environment: str | None = None  # the UV_PROJECT_ENVIRONMENT this rewrite set

    def inherit(self, base: str, name: str | None) -> Stage:
        return replace(
            self,
            base=base,
            name=name,
            env=dict(self.env),
            venvs_made=set(self.venvs_made),
            copied=list(self.copied),
            context_copies=list(self.context_copies),
        )

    def expand(self, text: str, args: dict[str, str]) -> str:
        """$VAR and ${VAR:-default} from the stage's ENV, then the build ARGs' defaults; an
        unknown one stays as written."""

        def value(m: re.Match[str]) -> str:
            name = m.group(1) or m.group(3)
            found = self.env.get(name, args.get(name))
            if found is None and m.group(2) is not None:
                return m.group(2)
            return found if found is not None else m.group(0)

        return _VAR.sub(value, text)

    def path(self, where: str) -> str:
        """An image path written relative to WORKDIR, made absolute."""
        return posixpath.normpath(posixpath.join(self.workdir, where))

    @property
    def venv(self) -> str | None:
        """The venv the stage's `pip` and `python` are: VIRTUAL_ENV, or a venv it made whose
        bin/ leads PATH."""
        if self.env.get("VIRTUAL_ENV"):
            return self.env["VIRTUAL_ENV"].rstrip("/") or None
        first = self.env.get("PATH", "").split(":")[0].rstrip("/")
        if first.endswith("/bin") and posixpath.dirname(first) in self.venvs_made:
            return posixpath.dirname(first)
        return None


def from_line(body: str, args: dict[str, str], stages: list[Stage]) -> Stage:
    """The stage a FROM line starts: a fresh one, or a copy of the earlier stage it names."""
    words = [w for w in body.split() if not w.startswith("--")]
    image = _expand_args(words[0], args) if words else ""
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    parent = next((s for s in reversed(stages) if s.name and s.name == image), None)
    if parent is not None:
        return parent.inherit(image, name)
    stage = Stage(base=image, name=name)
    m = _OFFICIAL.fullmatch(image)
    if m is not None:
        stage.official = True
        version = re.match(r"\d+(?:\.\d+){0,2}(?![\w])", m.group("tag") or "")
        if version is None:
            version = re.match(r"\d+(?:\.\d+){0,2}(?=[.-])", m.group("tag") or "")
        stage.python = version.group() if version else None
        return stage
    # another image that says its Python in its tag (tiangolo/uvicorn-gunicorn:python3.11-slim)
    tagged = re.search(r":(?:[\w.-]*-)?py(?:thon)?(\d\.\d+(?:\.\d+)?)(?![\d.])", image)
    stage.python = tagged.group(1) if tagged else None
    return stage


def _expand_args(text: str, args: dict[str, str]) -> str:
    return Stage(base="").expand(text, args)


def arg_defaults(body: str) -> dict[str, str]:
    """`ARG A=1 B` -> {"A": "1"}: the defaults a build uses unless told otherwise."""
    out = {}
    for word in _words(body):
        name, eq, value = word.partition("=")
        if eq:
            out[name] = value
    return out


def apply(
    stage: Stage, ins: Instruction, index: int, args: dict[str, str], files: list[str]
) -> None:
    """What instruction `ins` changes in the stage (`files`: the repository's requirements
    files the plan knows, to tell which COPY sources are theirs)."""
    if ins.keyword == "WORKDIR":
        stage.workdir = stage.path(stage.expand(ins.body.strip(), args))
    elif ins.keyword == "ENV":
        for key, value in env_pairs(ins.body):
            stage.env[key] = stage.expand(value, args)
    elif ins.keyword == "ARG":
        for key, value in arg_defaults(ins.body).items():
            args.setdefault(key, value)
    elif ins.keyword == "USER":
        stage.user = ins.body.split(":")[0].strip() or None
    elif ins.keyword == "RUN":
        for m in _VENV_MADE.finditer(ins.body):
            stage.venvs_made.add(stage.path(stage.expand(m.group("dir"), args)).rstrip("/"))
    elif ins.keyword in ("COPY", "ADD"):
        _copy(stage, ins, index, args, files)


def env_pairs(body: str) -> list[tuple[str, str]]:
    """`ENV A=1 B="x y"` and the old `ENV A 1 2`."""
    words = _words(body)
    if words and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    return [tuple(w.split("=", 1)) for w in words if "=" in w]  # type: ignore[misc]


def copy_parts(body: str) -> tuple[list[str], list[str], str] | None:
    """(flags, sources, destination) of a COPY/ADD line, shell or JSON form."""
    text = body.strip()
    flags: list[str] = []
    while text.startswith("--"):
        flag, _, text = text.partition(" ")
        flags.append(flag)
        text = text.strip()
    if text.startswith("["):
        try:
            words = [str(w) for w in json.loads(text)]
        except ValueError:
            return None
    else:
        words = _words(text)
    if len(words) < 2:
        return None
    return flags, words[:-1], words[-1]


def _copy(
    stage: Stage, ins: Instruction, index: int, args: dict[str, str], files: list[str]
) -> None:
    parts = copy_parts(ins.body)
    if parts is None or ins.heredoc:
        return
    flags, sources, dest = parts
    if any(f.startswith("--from") for f in flags):
        return  # from another stage or image, not from the build context
    dest = stage.expand(dest, args)
    into_folder = dest.endswith("/") or dest in (".", "..") or len(sources) > 1
    dest_path = stage.path(dest)
    for source in sources:
        src = posixpath.normpath(stage.expand(source, args).removeprefix("./"))
        if src == ".":
            stage.context_copies.append(dest_path)
            continue
        is_glob = any(c in src for c in "*?[")
        inside = [] if is_glob else [f for f in files if f.startswith(src + "/")]
        if inside:
            # a folder (COPY requirements/ /requirements/): its contents land in dest, below
            # it as they were below the folder, not the folder itself
            for rel in inside:
                landed = posixpath.join(dest_path, rel[len(src) + 1 :])
                stage.copied.append(Copied(index, source, rel, landed))
            continue
        matched = [f for f in files if fnmatch.fnmatchcase(f, src)] if is_glob else [src]
        for rel in matched:
            named_file = not into_folder and (
                posixpath.basename(dest_path) == posixpath.basename(rel) or "." in dest_path[-5:]
            )
            landed = dest_path if named_file else posixpath.join(dest_path, posixpath.basename(rel))
            stage.copied.append(Copied(index, source, rel, landed))


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:
        return text.split()
