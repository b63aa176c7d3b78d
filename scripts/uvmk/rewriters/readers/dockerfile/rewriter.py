"""A Dockerfile's `pip install -r FILE` steps become uv's Docker pattern: uv copied from its
image at the version the repo requires, `uv sync --locked --no-install-project` with the
selection FILE had, into the environment pip installed into (the image's /usr/local, or the
venv the stage uses), with a cache mount; the COPY of FILE copies pyproject.toml and uv.lock
instead; a later `pip install .` becomes the project's sync. A step it cannot rewrite safely
stays as written and comes back in readers_left with the reason."""

from __future__ import annotations

import fnmatch
import posixpath
import shlex
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from uvmk.rewriters.readers.dockerfile.instructions import Instruction, instructions
from uvmk.rewriters.readers.dockerfile.shell import (
    PipInstall,
    other_pip,
    parse_pip,
    requirement_paths,
    split_chain,
)
from uvmk.rewriters.readers.dockerfile.stages import Copied, Stage, apply, copy_parts, from_line
from uvmk.rewriters.readers.files import dockerfile as dockerfile_path
from uvmk.rewriters.readers.protocol import Finding, ReaderContext, ReaderRewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

CACHE_MOUNT = "--mount=type=cache,target=/root/.cache/uv"
PROJECT_FILES = ("pyproject.toml", "uv.lock")


@dataclass(frozen=True)
class Context:
    """What the plan decided that a Dockerfile's rewrite depends on."""

    path: str  # the Dockerfile, posix, relative to the root
    # each migrated requirements file -> the `uv sync` selection installing what it installed
    # (["--no-default-groups"], ["--only-group", "dev"]...)
    selections: Mapping[str, Sequence[str]]
    # the uv the image copies in: the repo's required-version, else this uv (None: this uv
    # does not meet required-version, and nothing is rewritten)
    uv_version: str | None
    with_project: Collection[str] = ()  # the files that listed the project itself (`-e .`)
    python_version: str | None = None  # .python-version's request, if the repo has one
    requires_python: str | None = None
    packaged: bool = False  # the project builds and installs itself ([build-system])
    dockerignore: str | None = None  # the root's .dockerignore
    # why the dependencies cannot be synced before the source is copied (path sources, a
    # workspace), or None
    needs_tree: str | None = None


@dataclass(frozen=True)
class Step:
    """A `pip install` step the rewrite met: rewritten, or left and why."""

    line: int
    files: tuple[str, ...]  # the requirements files it reads (repository paths)
    why_left: str | None = None  # None: rewritten
    now: str = ""  # what it runs instead (rewritten)
    command: str = "install"  # pip's: install, or wheel

    def message(self) -> str:
        read = f"pip {self.command} -r {', '.join(self.files)}" if self.files else "pip install ."
        if self.why_left is None:
            return f"{read} → {self.now}"
        kept = f" ({', '.join(self.files)} stays for it)" if self.files else ""
        return f"{self.why_left}{kept}"


@dataclass
class DockerfileRewrite:
    path: str
    new_text: str = ""
    steps: list[Step] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what to know)

    @property
    def changed(self) -> bool:
        return any(step.why_left is None for step in self.steps)

    @property
    def readers_left(self) -> tuple[str, ...]:
        """Each step left as written, as "path:line why"."""
        return tuple(f"{self.path}:{s.line} {s.why_left}" for s in self.steps if s.why_left)


@dataclass
class _Edit:
    before: list[str] = field(default_factory=list)  # instructions inserted before it
    replace: list[str] | None = None  # its replacement (None: kept; []: removed)


class _Rewriting:
    """One pass over one Dockerfile's stages."""

    def __init__(self, text: str, ctx: Context) -> None:
        self.ctx = ctx
        self.text = text
        self.lines = text.splitlines()
        self.ins = instructions(text)
        self.here = posixpath.dirname(ctx.path)
        self.edits: dict[int, _Edit] = {}
        self.record = DockerfileRewrite(ctx.path)
        self.consumed: dict[int, set[str]] = {}  # COPY index -> sources the rewrite replaced
        self.landed: dict[tuple[int, str], str] = {}  # (COPY index, source) -> its image path
        self.still_read: set[str] = set()  # repo files a step left as written still reads
        self.selection: dict[int, list[str]] = {}  # stage id -> its last synced selection

    def run(self) -> None:
        args: dict[str, str] = {}
        stages: list[Stage] = []
        stage: Stage | None = None
        names = list(self.ctx.selections)
        for n, ins in enumerate(self.ins):
            if ins.keyword == "FROM":
                stage = from_line(ins.body, args, stages)
                stage.line = ins.line
                stages.append(stage)
                continue
            if stage is None:
                if ins.keyword == "ARG":
                    apply(Stage(base=""), ins, n, args, names)
                continue
            if ins.keyword == "RUN":
                self._run_step(stage, n, ins, args)
            elif ins.keyword == "COPY" and "astral-sh/uv" in ins.body:
                stage.has_uv = True
            apply(stage, ins, n, args, names + [self._local(f) for f in names])
        self._follow_copies()

    def _local(self, rel: str) -> str:
        return posixpath.relpath(rel, self.here) if self.here else rel

    # -- a RUN with pip in it ---------------------------------------------------------------

    def _run_step(self, stage: Stage, n: int, ins: Instruction, args: dict[str, str]) -> None:
        flags, command = _run_flags(ins.body)
        links = split_chain(command) if not ins.heredoc and not command.startswith("[") else None
        if links is None:
            script = "\n".join(self.lines[ins.start : ins.end])
            if "pip" in script and requirement_paths(script.replace('", "', " ")):
                form = "a heredoc" if ins.heredoc else "the exec (JSON) form"
                self._leave(
                    n, [], f"a RUN in {form}, whose pip step the rewrite does not take apart"
                )
            return
        pips = [
            (i, parse_pip(link) or parse_pip(link, "wheel")) for i, link in enumerate(links or [])
        ]
        pips = [(i, p) for i, p in pips if p is not None]
        reading = [(i, p) for i, p in pips if p is not None and p.files]
        for link in links or []:
            other = other_pip(link)
            if other is not None:
                cwd = stage.workdir
                named = [self._repo_file(stage, f, cwd) for f in requirement_paths(link)]
                self._leave(n, [r for r in named if r], other)
                return
        if not reading:
            if pips and links is not None:
                self._project_step(stage, n, flags, links, pips)  # type: ignore[arg-type]
            return
        if not self.ctx.uv_version:
            self._leave(n, [], "no uv version to copy in: this uv does not meet required-version")
            return
        # every link decided before anything changes: one that cannot be rewritten leaves the
        # whole step as written
        cwd = stage.workdir
        decided: list[tuple[int, PipInstall, tuple[str, ...], str, str, Copied | None, str]] = []
        for i, pip in reading:
            for link in links[:i]:
                cwd = _cd(link, cwd)
            files = [self._repo_file(stage, stage.expand(f, args), cwd) for f in pip.files]
            rels = tuple(f for f in files if f is not None and not f.startswith("$"))
            why = self._why_not(stage, pip, files)
            target = self._target(stage, pip, links[:i]) if why is None else None
            if pip.command == "wheel" and why is None:
                target = "wheels"  # no environment: the wheels of the locked export
            if why is None and target is None:
                why = f"installs as USER {stage.user}, outside a venv: pip fell back to --user"
            found = self._project_folder(stage, rels, cwd) if why is None else None
            if why is None and found is None:
                why = self._no_project_files(rels)
            if why is None and found is not None and found[1] is None:
                why = self._context_python_version(stage)
            if why is not None or found is None or target is None:
                self._leave(n, list(rels), why or "", pip)
                return
            decided.append((i, pip, rels, target, found[0], found[1], cwd))
        new_links = list(links)
        done: list[str] = []
        now: list[str] = []
        for i, pip, rels, target, folder, copied, at in decided:
            if copied is not None:
                self.consumed.setdefault(copied.at, set()).add(copied.source)
                self.landed[(copied.at, copied.source)] = copied.image_path
            selection = _merged(self.ctx.selections[r] for r in rels)
            self.selection[id(stage)] = selection
            new_links[i] = " && ".join(
                self._sync_command(stage, pip, target, selection, rels, folder, at)
            )
            if pip.packages and pip.command == "install":
                # what it named beside the files is no part of uv.lock: pip still adds it,
                # after the sync, into the same environment (--inexact keeps it there)
                new_links[i] += " && " + pip.beside()
            now.append(new_links[i])
            done += rels
            self._prelude(stage, n, target, folder, rels)
        links_out = [part for link in new_links for part in split_chain(link) or [link]]
        self.edits.setdefault(n, _Edit()).replace = _render_run(
            self._run_flags(stage, flags), links_out
        )
        commands = {pip.command for _, pip, *_ in decided}
        command = "wheel" if commands == {"wheel"} else "install"
        self.record.steps.append(Step(ins.line, tuple(done), now=" && ".join(now), command=command))

    def _run_flags(self, stage: Stage, flags: list[str]) -> list[str]:
        """The RUN's flags: uv's cache mount in place of pip's; none for a non-root USER,
        whose uv cache is not /root's (its sync runs with --no-cache instead)."""
        kept = [f for f in flags if ".cache/pip" not in f]
        return kept if _non_root(stage) else [CACHE_MOUNT, *kept]

    def _ignored(self, name: str) -> bool:
        return self.ctx.dockerignore is not None and _ignored(self.ctx.dockerignore, name)

    def _context_python_version(self, stage: Stage) -> str | None:
        """A COPY of the whole context brings .python-version along: where the image's Python
        is known not to be the one it asks for, uv sync would refuse that environment."""
        asked = self.ctx.python_version
        if not asked or self._ignored(".python-version") or not stage.python:
            return None
        if _meets(stage.python, asked):
            return None
        return (
            f"the image runs Python {stage.python} ({stage.base}), and the .python-version its "
            f"COPY of the build context brings asks for {asked}: uv sync would refuse"
        )

    def _no_project_files(self, rels: Sequence[str]) -> str:
        if self.here and any(r.startswith(self.here + "/") for r in rels):
            return (
                f"its build context is {self.here}/ (it copies {self._local(rels[0])} from "
                "there), which holds no pyproject.toml and uv.lock"
            )
        return "its requirements file does not come from a COPY of the repository root"

    def _why_not(self, stage: Stage, pip: PipInstall, files: list[str | None]) -> str | None:
        if pip.why_not:
            return pip.why_not
        for written, rel in zip(pip.files, files, strict=True):
            if "$" in written:
                return f"a build argument chooses the file ({written})"
            if rel is None:
                return f"reads {written}, which no COPY of this stage brings from the repository"
            if rel not in self.ctx.selections:
                return f"reads {rel}, which the migration does not move into pyproject.toml"
        if pip.project is not None:
            return "installs the project in the same step"
        if self.ctx.needs_tree:
            return self.ctx.needs_tree
        hidden = [f for f in PROJECT_FILES if self._ignored(f)]
        if hidden:
            return f".dockerignore leaves {hidden[0]} out of the build context"
        if (
            stage.python
            and self.ctx.requires_python
            and not _allows(self.ctx.requires_python, stage.python)
        ):
            return (
                f"the image's Python {stage.python} ({stage.base}) is outside requires-python "
                f"{self.ctx.requires_python}: uv sync would refuse it"
            )
        return None

    def _repo_file(self, stage: Stage, written: str, cwd: str) -> str | None:
        """The repository file an image path (-r x, from `cwd`) is, through the stage's COPY
        lines; "$..." when a variable is still in it."""
        if "$" in written:
            return written
        where = posixpath.normpath(posixpath.join(cwd, written))
        for c in reversed(stage.copied):
            if c.image_path == where:
                return self._in_repo(c.rel)
        for folder in reversed(stage.context_copies):
            if where.startswith(folder.rstrip("/") + "/"):
                return self._in_repo(posixpath.relpath(where, folder))
        return None

    def _in_repo(self, rel: str) -> str:
        """A build-context path as the repository's: the context is the root, or the
        Dockerfile's folder (`docker build docker/`) when only that makes it a known file."""
        if rel in self.ctx.selections or not self.here:
            return rel
        local = posixpath.normpath(posixpath.join(self.here, rel))
        return local if local in self.ctx.selections else rel

    def _target(self, stage: Stage, pip: PipInstall, before: list[str]) -> str | None:
        """Where pip installed: a venv's folder, "/usr/local" (the official image's Python),
        "system" (another image's Python: the uv pip --system form); None: a user's."""
        for link in before:
            words = link.split()
            if (
                words[:1] in (["."], ["source"])
                and len(words) == 2
                and words[1].endswith("/bin/activate")
            ):
                return posixpath.dirname(posixpath.dirname(stage.path(words[1])))
        if pip.placement:
            return "system"  # uv pip install --prefix/--target, as pip did
        venv = pip.environment or stage.venv
        if venv:
            return stage.path(venv)
        if _non_root(stage):
            return None
        return "/usr/local" if stage.official else "system"

    def _project_folder(
        self, stage: Stage, rels: Sequence[str], cwd: str
    ) -> tuple[str, Copied | None] | None:
        """Where pyproject.toml and uv.lock go in the image: beside the context root as the
        requirements file's COPY placed it (or where the whole context was copied)."""
        for rel in rels:
            copied = next((c for c in reversed(stage.copied) if self._in_repo(c.rel) == rel), None)
            if copied is None:
                folder = next(
                    (
                        f
                        for f in reversed(stage.context_copies)
                        if cwd == f or cwd.startswith(f + "/")
                    ),
                    None,
                )
                if folder is None or (self.here and rel.startswith(self.here + "/")):
                    return None
                return folder, None
            if self._in_repo(copied.rel) != copied.rel:
                return None  # the context is the Dockerfile's folder: no pyproject.toml in it
            folder = posixpath.dirname(copied.image_path)
            depth = rel.count("/")
            if copied.image_path.endswith("/" + rel) and depth:
                folder = copied.image_path[: -len(rel) - 1] or "/"
            return folder, copied
        return None

    def _sync_command(
        self,
        stage: Stage,
        pip: PipInstall,
        target: str,
        selection: list[str],
        rels: Sequence[str],
        folder: str,
        cwd: str,
    ) -> list[str]:
        """The uv links replacing a pip link: `uv sync` into the project environment, or
        for another image's system Python an export of the lock `uv pip install --system`
        installs."""
        project = any(r in self.ctx.with_project for r in rels)
        where = [] if folder == cwd else ["--project", folder]
        quiet = ["--quiet"] if pip.quiet else []
        quiet += ["--no-cache"] if _non_root(stage) else []
        export = ["uv", "export", "--locked", "--format", "requirements.txt", *selection]
        export += ["--no-emit-project", "--quiet", *where, "-o", "/tmp/uv-requirements.txt"]
        if target == "wheels":
            wheel = [*pip.program, "wheel", *pip.options, "-r", "/tmp/uv-requirements.txt"]
            return [" ".join(export), shlex.join([*wheel, *pip.packages])]
        if target == "system":
            python = ["--python", pip.interpreter] if pip.interpreter else []
            venv = pip.environment or stage.venv
            if not python and venv:
                python = ["--python", posixpath.join(stage.path(venv), "bin", "python")]
            install = ["uv", "pip", "install", *([] if python else ["--system"]), *python]
            install += [*pip.placement, *quiet]
            if pip.breaks_system:
                install.append("--break-system-packages")
            return [" ".join(export), " ".join([*install, "-r", "/tmp/uv-requirements.txt"])]
        # --inexact: pip only ever added to the environment; an exact sync would remove what
        # the image's earlier steps installed there (a `pip install gunicorn`, apt's packages)
        words = ["uv", "sync", "--locked", "--inexact"]
        words += [] if project else ["--no-install-project"]
        return [" ".join([*words, *selection, *where, *quiet])]

    def _prelude(self, stage: Stage, n: int, target: str, folder: str, rels: Sequence[str]) -> None:
        """uv and its settings before the first rewritten step of a stage, and the project's
        files where the requirements file's COPY was."""
        anchor = next((c.at for c in reversed(stage.copied) if self._in_repo(c.rel) in rels), n)
        before = self.edits.setdefault(anchor, _Edit()).before
        if not stage.has_uv:
            before.append(f"COPY --from=ghcr.io/astral-sh/uv:{self.ctx.uv_version} /uv /uvx /bin/")
            stage.has_uv = True
        if stage.uv_environment != target and not (target == "wheels" and stage.uv_environment):
            env = ["UV_COMPILE_BYTECODE=1", "UV_LINK_MODE=copy"]
            env += [] if target in ("system", "wheels") else [f"UV_PROJECT_ENVIRONMENT={target}"]
            env += ["UV_PYTHON_DOWNLOADS=never"]
            before.append("ENV " + " \\\n    ".join(env))
            stage.uv_environment = target
        if anchor != n:
            copy_flags = copy_parts(self.ins[anchor].body)
            flags = [f for f in (copy_flags[0] if copy_flags else []) if not f.startswith("--from")]
            files = list(PROJECT_FILES)
            if self._copies_python_version(stage):
                files.append(".python-version")
            dest = "./" if folder == stage.workdir else folder.rstrip("/") + "/"
            line = " ".join(["COPY", *flags, *files, dest])
            if line not in before:
                before.append(line)

    def _copies_python_version(self, stage: Stage) -> bool:
        """Copy .python-version only where the image's Python is the one it asks for: a
        request the image does not meet would make uv sync refuse (or pick another Python)."""
        asked = self.ctx.python_version
        if not asked or self._ignored(".python-version"):
            return False
        if stage.python and _meets(stage.python, asked):
            return True
        note = (
            f".python-version ({asked}) not copied into the image: FROM {stage.base} runs "
            f"Python {stage.python} (uv syncs the image's Python, as pip did); make the two agree"
            if stage.python
            else f".python-version ({asked}) not copied into the image: FROM {stage.base} does "
            "not say its Python version (uv syncs the Python the image has, as pip did)"
        )
        where = stage.line
        if (where, note) not in self.record.notes:
            self.record.notes.append((where, note))
        return False

    def _project_step(
        self,
        stage: Stage,
        n: int,
        flags: list[str],
        links: list[str],
        pips: list[tuple[int, PipInstall]],
    ) -> None:
        """`pip install .` after a rewritten step of the stage: the project's own sync, with
        the same selection (non-editable unless it was -e)."""
        selection = self.selection.get(id(stage))
        if selection is None or stage.uv_environment in (None, "system", "wheels"):
            return
        new_links = list(links)
        for i, pip in pips:
            if pip.project is None or pip.packages or pip.files:
                return
            if pip.why_not and pip.why_not != "installs without dependencies (--no-deps)":
                self._leave(n, [], f"installs the project but {pip.why_not}", pip)
                return
            if not self.ctx.packaged:
                self._leave(
                    n, [], "installs the project, which has no [build-system] to build it", pip
                )
                return
            words = ["uv", "sync", "--locked", "--inexact", *selection]
            words += [] if pip.editable else ["--no-editable"]
            where = stage.path(pip.project)
            words += [] if where == stage.workdir else ["--project", where]
            new_links[i] = " ".join(words)
        self.edits.setdefault(n, _Edit()).replace = _render_run(
            self._run_flags(stage, flags), new_links
        )
        now = " && ".join(link for link in new_links if link not in links)
        self.record.steps.append(Step(self.ins[n].line, (), now=now))

    def _leave(self, n: int, rels: list[str], why: str, pip: PipInstall | None = None) -> None:
        self.still_read.update(rels)
        self.record.steps.append(Step(self.ins[n].line, tuple(rels), why))

    # -- the COPY lines of the requirements files -------------------------------------------

    def _follow_copies(self) -> None:
        """A COPY of requirements files only rewritten steps read copies the project's files
        instead; one a kept step (or nothing) reads stays as it is, and so does one a later
        stage copies out of this one by path (`COPY --from=builder /app/requirements.txt .`)."""
        taken = _copied_from_stages(self.ins)
        for at, sources in self.consumed.items():
            parts = copy_parts(self.ins[at].body)
            if parts is None:
                continue
            flags, all_sources, dest = parts
            read_elsewhere = {
                s
                for s in sources
                if self._in_repo(posixpath.normpath(s.removeprefix("./"))) in self.still_read
                or self.landed.get((at, s)) in taken
            }
            dropped = [s for s in all_sources if s in sources and s not in read_elsewhere]
            kept = [s for s in all_sources if s not in dropped]
            edit = self.edits.setdefault(at, _Edit())
            edit.replace = [" ".join(["COPY", *flags, *kept, dest])] if kept else []

    def render(self) -> str:
        out: list[str] = []
        last = 0
        for n, ins in enumerate(self.ins):
            out.extend(self.lines[last : ins.start])
            edit = self.edits.get(n)
            original = self.lines[ins.start : ins.end]
            if edit is None:
                out.extend(original)
            else:
                out.extend(edit.before)
                out.extend(original if edit.replace is None else edit.replace)
            last = ins.end
        out.extend(self.lines[last:])
        ending = "\n" if self.text.endswith("\n") else ""
        return "\n".join(out) + ending


def _non_root(stage: Stage) -> bool:
    return stage.user not in (None, "root", "0")


def _copied_from_stages(found: list[Instruction]) -> set[str]:
    """The image paths COPY --from=<stage> lines take out of another stage."""
    out: set[str] = set()
    for ins in found:
        parts = copy_parts(ins.body) if ins.keyword in ("COPY", "ADD") else None
        if parts is not None and any(f.startswith("--from=") for f in parts[0]):
            out |= {posixpath.normpath(src) for src in parts[1] if src.startswith("/")}
    return out


def _run_flags(body: str) -> tuple[list[str], str]:
    """RUN's own flags (--mount=..., --network=...) and its command."""
    flags: list[str] = []
    text = body.strip()
    while text.startswith("--"):
        flag, _, text = text.partition(" ")
        flags.append(flag)
        text = text.strip()
    return flags, text


def _render_run(flags: list[str], links: list[str]) -> list[str]:
    """RUN [flags] with one link of the chain a line."""
    body = [f"    {links[0]}"] + [f"    && {link}" for link in links[1:]]
    if not flags:
        body[0] = "RUN " + links[0]
        return [*[line + " \\" for line in body[:-1]], body[-1]]
    head = "RUN " + " ".join(flags) + " \\"
    return [head, *[line + " \\" for line in body[:-1]], body[-1]]


def _cd(link: str, cwd: str) -> str:
    words = link.split()
    if len(words) == 2 and words[0] == "cd":
        return posixpath.normpath(posixpath.join(cwd, words[1]))
    return cwd


def _merged(selections: Any) -> list[str]:
    """One `uv sync` selection installing what several requirements files did together."""
    runtime, groups, extras = False, [], []
    for sel in selections:
        words = list(sel)
        runtime = runtime or "--only-group" not in words
        for flag, value in pairwise(words):
            if flag in ("--group", "--only-group") and value not in groups:
                groups.append(value)
            if flag == "--extra" and value not in extras:
                extras.append(value)
    out = ["--no-default-groups"] if runtime else []
    for g in groups:
        out += ["--group", g] if runtime else ["--only-group", g]
    for e in extras:
        out += ["--extra", e]
    return out


def _meets(image: str, asked: str) -> bool:
    """Does the image's Python (3.12, 3.12.4) meet .python-version's request (3.12, 3.12.4)?
    Only at the precision both say: a 3.12 image does not meet 3.12.4."""
    got, want = image.split("."), asked.strip().split(".")
    return len(got) >= len(want) and got[: len(want)] == want


def _allows(requires: str, version: str) -> bool:
    try:
        spec = SpecifierSet(requires)
    except InvalidSpecifier:
        return True
    probe = version if version.count(".") >= 2 else version + ".0"
    return spec.contains(probe, prereleases=True) or (
        version.count(".") == 1 and spec.contains(version + ".99", prereleases=True)
    )


def _ignored(dockerignore: str, name: str) -> bool:
    """Does .dockerignore leave `name` (a file at the context's root) out? The last pattern
    that matches wins; `!` lets it back in."""
    out = False
    for raw in dockerignore.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip().lstrip("/").removeprefix("./").rstrip("/")
        if (
            pattern in ("**", "*")
            or fnmatch.fnmatchcase(name, pattern)
            or (pattern.startswith("**/") and fnmatch.fnmatchcase(name, pattern[3:]))
        ):
            out = not negate
    return out


def rewrite_dockerfile(file_text: str, ctx: Context) -> DockerfileRewrite:
    """The Dockerfile as the migration leaves it, each pip step met, and what to say."""
    work = _Rewriting(file_text, ctx)
    work.run()
    if any(step.why_left is None for step in work.record.steps):
        work.record.new_text = work.render()
    else:
        work.record.new_text = file_text
    return work.record


class _Dockerfile:
    """The reader rewriter REWRITE=docker turns on: every Dockerfile, any spelling, any
    folder (the survey's kind "dockerfile")."""

    name = "dockerfile"
    knob = "docker"

    def reads(self, rel: str, kind: FileKind | None) -> bool:
        return dockerfile_path(rel, kind)

    def rewrite(self, rel: str, text: str, context: ReaderContext) -> ReaderRewrite:
        ctx = Context(
            path=rel,
            selections=context.selections,
            uv_version=context.uv_version,
            with_project=context.with_project,
            python_version=context.python,
            requires_python=context.requires_python,
            packaged=context.packaged,
            dockerignore=context.dockerignore,
            needs_tree=context.needs_tree,
        )
        done = rewrite_dockerfile(text, ctx)
        findings = [
            Finding(step.line, step.message(), rewritten=step.why_left is None)
            for step in done.steps
        ]
        findings += [Finding(line, note, rewritten=False) for line, note in done.notes]
        return ReaderRewrite(done.new_text, tuple(sorted(findings, key=lambda f: f.line)))


DOCKERFILE = _Dockerfile()
