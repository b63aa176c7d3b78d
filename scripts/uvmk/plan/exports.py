"""A requirements file regenerated from uv.lock (`uv export`): its arguments, and how it stays
in step with the lock afterwards (`make uv-export`)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.rewriters.makefile.later_knobs import add_knobs
from uvmk.sources.pip.grammar import RequirementsError, parse_requirements_file, relative_posix
from uvmk.sources.pip.specifiers import exact_pin
from uvmk.survey.snapshot import Survey
from uvmk.survey.tree import Tree


def keep_exports_in_step(draft: Draft, s: Survey, regenerated: dict[str, list[str]]) -> None:
    """How a regenerated requirements file stays in step with uv.lock: one file becomes what
    `make uv-export` writes (EXPORT_FILE/EXPORT_FLAGS set in the rewritten Makefile's include
    block); with several, each one's command is in the notes."""
    (path, args), *more = regenerated.items()
    flags = " ".join(args)
    done = draft.makefile
    if not more and done is not None and done.include_line and s.makefile is not None:
        knobs = (
            {}
            if path == "requirements.txt" and flags == "--no-default-groups"
            else {
                "EXPORT_FILE": path,
                **({} if flags == "--no-default-groups" else {"EXPORT_FLAGS": flags}),
            }
        )
        rel = s.rel(s.makefile)
        text, draft.makefile = add_knobs(draft.contents[rel].decode("utf-8"), done, knobs)
        draft.contents[rel] = text.encode("utf-8")
        own, now = done.summary(), draft.makefile.summary()
        for i, c in enumerate(draft.changes):
            if c.path == rel and c.action == "modify":  # the script targets' lines follow
                draft.changes[i] = Change(
                    c.path, c.action, c.reason, (*now, *c.details[len(own) :])
                )
        draft.notes.append(f"`make uv-export` refreshes {path} from uv.lock")
        return
    for p, a in regenerated.items():
        cmd = (
            "make uv-export"
            if p == "requirements.txt" and a == ["--no-default-groups"]
            else (f"make uv-export EXPORT_FILE={p} EXPORT_FLAGS='{' '.join(a)}'")
        )
        draft.notes.append(f"`{cmd}` refreshes {p} from uv.lock")


def _export_args(
    doc: Any, f: Any, tree: Tree | None = None, files: Iterable[Any] = ()
) -> list[str] | None:
    """`uv export` arguments regenerating requirements file `f` from the lock, faithful to what
    it was: its selection (the runtime file the runtime only; a group file its group, plus the
    runtime when it -r'd the runtime file), the project itself only if it listed it, hashes only
    if it had them (and pip can check them: not with a local path). None when it listed nothing
    of its own (an empty file stays empty rather than becoming the whole lock)."""
    shape = _original_shape(tree, f.path) if tree is not None else _Shape(False, False, False)
    groups = doc.get("dependency-groups") or {}
    args = ["--no-default-groups"]
    if f.role == "group":
        # prod.txt listing flask beside gunicorn installed the app too, as one that -r's the
        # runtime file did: its export is the runtime and its group, not the group alone
        with_runtime = tree is not None and (
            _includes_runtime(f, list(files), tree) or _lists_runtime(f, doc, tree)
        )
        if f.group and f.group in groups:
            args = (
                ["--no-default-groups", "--group", f.group]
                if with_runtime
                else ["--only-group", f.group]
            )
        elif not with_runtime:
            return None
    elif shape.empty and not f.includes:
        return None
    else:  # a runtime file that -r's a deployment group (heroku.txt) installed that group too
        for group in included_groups(f, list(files), tree) if tree is not None else []:
            if group in groups:
                args += ["--group", group]
    if not shape.project:
        args.append("--no-emit-project")
    tool_uv = (doc.get("tool") or {}).get("uv") or {}
    sources = tool_uv.get("sources") or {}
    local = any(isinstance(v, dict) and "path" in v for v in sources.values())
    packaged = "build-system" in doc and tool_uv.get("package") is not False
    if not shape.hashed or local or (shape.project and (packaged or tool_uv.get("package"))):
        args.append("--no-hashes")
    for name in shape.left_out:
        args += ["--no-emit-package", name]
    return args


def _includes_runtime(f: Any, files: list[Any], tree: Tree) -> bool:
    """Did file `f` (or the .in it was compiled from) pull in the runtime file through -r (not
    -c, which installs nothing)?"""
    return any(r.role == "runtime" for r in _pulled_in(f, files, tree))


def _lists_runtime(f: Any, doc: Any, tree: Tree) -> bool:
    """Does file `f` (or what it -r's) list a package of [project] dependencies? A file
    pip-compile wrote from a .in lists what the .in asked for there: its other pins are their
    dependencies (pip-tools.txt pins click for pip-tools, not for the project that has it)."""
    project = doc.get("project") or {}
    runtime = set()
    for entry in project.get("dependencies") or []:
        with contextlib.suppress(InvalidRequirement):
            runtime.add(canonicalize_name(Requirement(str(entry)).name))
    source = f.path.removesuffix(".txt") + ".in"
    listed = installed_before(tree, source if tree.read(source) is not None else f.path)
    return any(name in runtime for name, _ in listed)


def installed_before(
    tree: Tree, rel: str, project: str | None = None
) -> tuple[tuple[str, str | None], ...]:
    """The packages requirements file `rel` installed, through its -r files too (canonical
    name, its `==` pin or None), the project itself (`project`) left out: what its export
    must still install."""
    found: dict[str, str | None] = {}
    pending, seen = [rel], set()
    while pending:
        path = pending.pop(0)
        data = tree.data(path) if path not in seen else None
        if data is None:
            continue
        seen.add(path)
        try:
            parsed = parse_requirements_file(tree.root, tree.root / path, read_on=True, data=data)
        except RequirementsError:
            continue
        for line in parsed.requirements:
            if line.name and not line.link and not line.editable:
                name = canonicalize_name(line.name)
                found.setdefault(name, exact_pin(line.specifier))
        pending += [
            relative_posix(tree.root, i.resolved)
            for i in parsed.includes
            if i.kind == "requirement"
        ]
    own = canonicalize_name(project) if project else None
    return tuple(sorted((n, pin) for n, pin in found.items() if n != own))


def included_groups(f: Any, files: list[Any], tree: Tree) -> list[str]:
    """The groups whose files `f` pulls in through -r."""
    return [r.group for r in _pulled_in(f, files, tree) if r.role == "group" and r.group]


def _pulled_in(f: Any, files: list[Any], tree: Tree) -> list[Any]:
    """The runtime and group files `f` (or the .in it was compiled from) pulls in through -r,
    directly or not, in the order met, each once."""
    by_path = {r.path: r for r in files}
    pending = [f.path, f.path.removesuffix(".txt") + ".in"]
    seen: set[str] = set()
    found: list[Any] = []
    while pending:
        path = pending.pop(0)
        text = tree.read(path) if path not in seen else None
        if text is None:
            continue
        seen.add(path)
        for target in re.findall(r"(?m)^\s*(?:-r\s*|--requirement[=\s]\s*)(\S+)", text):
            rel = Path(os.path.normpath(os.path.join(os.path.dirname(path), target))).as_posix()
            met = by_path.get(rel)
            if met is not None and met.role in ("runtime", "group") and met not in found:
                found.append(met)
            if met is None or met.role != "runtime":
                pending.append(rel)
    return found


@dataclass(frozen=True)
class _Shape:
    hashed: bool  # --hash options
    project: bool  # `-e .` / `.`: the project itself
    empty: bool  # no requirement line of its own
    left_out: tuple[str, ...] = ()  # what pip-compile's output depends on and does not pin


def _original_shape(tree: Tree, rel: str) -> _Shape:
    text = tree.read(rel)
    if text is None:
        return _Shape(False, False, False)
    left_out = _left_out(text)
    lines = [ln.split(" #", 1)[0].strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    project = any(
        re.fullmatch(r"(?:(?:-e|--editable)\s+)?(?:file:)?\.(?:/)?(?:\[[^\]]*\])?", ln)
        for ln in lines
    )
    own = [ln for ln in lines if not re.match(r"-[rc]\b|--requirement|--constraint|-[rc]\S", ln)]
    return _Shape("--hash" in text, project, not own, left_out)


def _left_out(text: str) -> tuple[str, ...]:
    """The packages a pip-compile output names in its `# via` notes but does not pin: taken
    out on purpose (openedx's `make upgrade` deletes test.txt's `django==` line so that tox's
    django42/django52 factors choose it), so its export leaves them out too."""
    pinned = {
        canonicalize_name(m[1])
        for m in re.finditer(r"(?m)^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==", text)
    }
    named = re.findall(r"(?m)^[ \t]+#[ \t]+(?:via[ \t]+)?([A-Za-z0-9][A-Za-z0-9._-]*)[ \t]*$", text)
    return tuple(sorted({canonicalize_name(n) for n in named} - pinned - {"via"}))


def installed_tools(dep: Any) -> list[str]:
    """What the requirements files installed into the old venv, by name: a package's command
    is usually its name (curlylint, djhtml), which a kept recipe may call bare."""
    names = {d.name.lower() for d in dep.drift}
    names |= {
        re.split(r"[^A-Za-z0-9._-]", a.requirement, maxsplit=1)[0].lower() for a in dep.additions
    }
    return sorted(n for n in names - _SYSTEM_COMMANDS if n and re.fullmatch(r"[a-z][\w.-]*", n))


# packages named like a command the system provides (the docker SDK is no `docker` command)
_SYSTEM_COMMANDS = frozenset(
    {
        "docker", "git", "make", "npm", "node", "yarn", "sh", "bash", "curl", "wget", "ls",
        "cp", "rm", "mv", "echo", "cat", "awk", "sed", "grep", "find", "xargs", "tar", "zip",
        "unzip", "ssh", "sudo", "env", "mkdir", "touch", "test", "python", "pip", "setuptools",
        "wheel", "uv",
    }
)  # fmt: skip
