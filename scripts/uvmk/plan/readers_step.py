"""The readers of what the migration moved (CI workflows, tox, the bots, pre-commit,
Dockerfiles): each reader rewriter (uvmk.rewriters.readers) runs on the files it reads; the
preview lists every change it would make, and the ones REWRITE names are written. Runs before
plan_still_read, which then sees the rewritten texts: a requirements file only they read is
deleted instead of regenerated."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from uvmk.plan.docker_context import docker_fields
from uvmk.plan.draft import Draft
from uvmk.plan.exports import _export_args
from uvmk.plan.model import Change, ReaderChange
from uvmk.rewriters.readers import READERS
from uvmk.sources.pip import planner as req
from uvmk.survey.snapshot import Survey
from uvmk.survey.text_files import decode_text

if TYPE_CHECKING:
    from uvmk.rewriters.readers.protocol import ReaderContext

# the flags of `uv export` that say what a file installed (the rest say how it is written)
_SELECTING = frozenset({"--no-default-groups", "--group", "--only-group", "--extra"})


def plan_readers(
    draft: Draft, s: Survey, rewrite: frozenset[str], context: ReaderContext
) -> list[ReaderChange]:
    found: list[ReaderChange] = []
    for rewriter in READERS:
        for rel in s.tree.files:
            if not rewriter.reads(rel, s.tree.kind(rel)):
                continue
            before = _text(draft, s, rel)
            done = rewriter.rewrite(rel, before, context)
            if not done.findings:
                continue
            applied = rewriter.knob in rewrite and done.new_text != before
            found.append(
                ReaderChange(
                    rewriter.knob, rewriter.name, rel, before, done.new_text, done.findings, applied
                )
            )
            if applied:
                _write(draft, rel, done.new_text, rewriter.knob, len(done.rewritten))
    return found


def plan_exported_readers(
    draft: Draft, found: list[ReaderChange], context: ReaderContext
) -> list[ReaderChange]:
    """The second pass, once plan_still_read has said which requirements files are still
    regenerated from uv.lock: a reader that keeps such a file in step (pre-commit's uv-export)
    says so."""
    exported = {c.path: tuple(draft.exports[c.path]) for c in draft.changes if c.action == "export"}
    if not exported:
        return found
    again = replace(context, exported=exported)
    by_name = {r.name: r for r in READERS}
    out = []
    for r in found:
        done = by_name[r.rewriter].rewrite(r.path, r.before, again)
        if done.new_text != r.after:
            r = replace(r, after=done.new_text, findings=done.findings)
            if r.applied:
                draft.contents[r.path] = done.new_text.encode("utf-8")
        out.append(r)
    return out


def _text(draft: Draft, s: Survey, rel: str) -> str:
    """The file as the plan leaves it so far (tox.ini's excludes may have learnt .venv)."""
    if rel in draft.contents:
        return draft.contents[rel].decode("utf-8")
    return decode_text(s.tree.data(rel) or b"", rel).replace("\r\n", "\n")


def _write(draft: Draft, rel: str, text: str, knob: str, count: int) -> None:
    draft.contents[rel] = text.encode("utf-8")
    why = f"REWRITE={knob}: {count} change(s) to uv"
    for i, c in enumerate(draft.changes):
        if c.path == rel and c.action == "modify":
            draft.changes[i] = Change(rel, "modify", f"{c.reason}; {why}", c.details)
            return
    draft.changes.append(Change(rel, "modify", why))


def reader_context(
    s: Survey, dep: req.DependencyPlan, doc: Any, uv_version: str | None, python: str | None
) -> ReaderContext:
    from uvmk.rewriters.readers.protocol import ReaderContext  # only with a reader to rewrite

    data = doc.unwrap() if doc is not None and hasattr(doc, "unwrap") else {}
    project = data.get("project") or {}
    return ReaderContext(
        selections=selections(s, dep, doc),
        uv_version=repo_uv(
            ((data.get("tool") or {}).get("uv") or {}).get("required-version"), uv_version
        ),
        python=python,
        project=project.get("name"),
        extras=frozenset(project.get("optional-dependencies") or {}),
        groups=frozenset(data.get("dependency-groups") or {}),
        homes=homes(data),
        scripts=frozenset(project.get("scripts") or {}),
        **docker_fields(s, dep, doc),
    )


def homes(data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each dependency's canonical name -> the `uv sync` flags that install it (the runtime
    wins over an extra, an extra over a group)."""
    project = data.get("project") or {}
    tables: list[tuple[tuple[str, ...], Any]] = [
        (("--group", g), items) for g, items in (data.get("dependency-groups") or {}).items()
    ]
    tables += [(("--extra", e), v) for e, v in (project.get("optional-dependencies") or {}).items()]
    tables.append((("--no-default-groups",), project.get("dependencies") or []))
    out: dict[str, tuple[str, ...]] = {}
    for flags, items in tables:
        for item in items if isinstance(items, list) else []:
            m = (
                re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", item)
                if isinstance(item, str)
                else None
            )
            if m:
                out[canonicalize_name(m.group(1))] = flags
    return out


def selections(s: Survey, dep: req.DependencyPlan, doc: Any) -> dict[str, tuple[str, ...]]:
    """Each migrated requirements file -> the `uv sync` flags installing what it installed:
    its export's selection (plan/exports.py), or its extras."""
    out: dict[str, tuple[str, ...]] = {}
    if doc is None:
        return out
    for f in dep.files:
        extras = dep.extra_files.get(f.path)
        if extras:
            out[f.path] = ("--no-default-groups", *(a for e in extras for a in ("--extra", e)))
            continue
        if f.role not in ("runtime", "group"):
            continue
        args = _export_args(doc, f, s.tree, dep.files)
        if args is not None:
            out[f.path] = _selecting(args)
    return out


def _selecting(args: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    it = iter(args)
    for a in it:
        if a in _SELECTING:
            out.append(a)
            if a != "--no-default-groups":
                out.append(next(it))
    return tuple(out)


def repo_uv(required: object, running: str | None) -> str | None:
    """The uv version the readers pin: the repo's `required-version` when it names one exactly,
    else the uv running the migration when it satisfies it (None: it does not)."""
    if isinstance(required, str) and required.strip():
        exact = re.fullmatch(r"\s*==\s*([0-9][0-9.]*)\s*", required)
        if exact:
            return exact.group(1)
        try:
            if running is not None and running not in SpecifierSet(required):
                return None
        except InvalidSpecifier:
            return None
    return running
