"""What becomes of each requirements file: deleted (migrated into pyproject), regenerated from
uv.lock (--export-requirements, or something that stays still reads it), or kept."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from uvmk.options import Options
from uvmk.plan.draft import Draft
from uvmk.plan.edited_in_place import edits_in_place, keep_edited, keep_includers
from uvmk.plan.exports import _export_args, installed_before, keep_exports_in_step
from uvmk.plan.kept_includes import keep_what_kept_files_include
from uvmk.plan.model import Change
from uvmk.plan.references import report_other_readers, requirement_readers
from uvmk.rewriters.protocol import lines_left
from uvmk.rewriters.setup_py_shim import SETUP_PY_SHIM
from uvmk.sources.pip import planner as req
from uvmk.survey import readers as uvmk_references
from uvmk.survey.snapshot import Survey
from uvmk.survey.tree import Tree

if TYPE_CHECKING:
    from uvmk.sources.converted import Running


def plan_requirement_files(
    draft: Draft, dep: req.DependencyPlan, doc: Any, options: Options, tree: Tree
) -> None:
    for f in dep.files:
        if options.keep_requirements:
            draft.changes.append(Change(f.path, "keep", "--keep-requirements"))
        elif options.export_requirements and f.role in ("runtime", "group"):
            args = _export_args(doc, f, tree, dep.files)
            if args is None:
                draft.changes.append(Change(f.path, "keep", "lists no requirement of its own"))
                continue
            draft.exports[f.path] = args
            draft.installed[f.path] = installed_before(tree, f.path, project_name(doc))
            draft.changes.append(
                Change(
                    f.path,
                    "export",
                    "regenerated from uv.lock: uv export --format requirements.txt "
                    + " ".join(args),
                )
            )
        else:
            dup = f"; {f.duplicates}" if f.duplicates else ""
            extras = dep.extra_files.get(f.path)
            role = (
                f"extra={','.join(extras)}"
                if extras
                else f"{f.role}{'=' + f.group if f.group else ''}"
            )
            draft.changes.append(
                Change(f.path, "delete", f"migrated into pyproject.toml ({role}{dup})")
            )


def project_name(doc: Any) -> str | None:
    name = (doc.get("project") or {}).get("name")
    return str(name) if name else None


def plan_release_files(draft: Draft, s: Survey) -> None:
    """A requirements file that installs a release of the project (deploy/requirements.txt:
    `myapp==0.1.0`, read by deploy/Dockerfile) is the deployment's: kept as written (the
    requirement line's note says it at its file:line)."""
    for where in s.release_lines:
        draft.changes.append(Change(where.path, "keep", f"installs a release ({where})"))
        draft.notes.append(
            f"{where.path} is kept as written: it installs a released version of the project "
            f"({where}), not this checkout, which uv.lock cannot regenerate"
        )


def plan_setup_py(draft: Draft, s: Survey) -> None:
    """setup.py and the extras files it read: gone once pyproject says it all, or kept and why."""
    if s.setup_py is not None:
        from uvmk.sources.setuptools.legacy import file_actions  # the evaluator with a setup.py

        draft.changes += [Change(*action) for action in file_actions(s.setup_py)]


def plan_retired(draft: Draft, s: Survey) -> None:
    """The old tool's files (Pipfile, Pipfile.lock) go once pyproject and uv.lock say it all:
    apply deletes them after the lock (a failed lock restores every file). A line that stays
    and still runs the old tool (a Dockerfile's `pipenv install --deploy`, CI, a kept Makefile
    line) reads them: they are kept, and said, until it is rewritten; so are they where a
    line names them (`COPY Pipfile Pipfile.lock ./`: plan_still_read)."""
    converted = s.converted
    if converted is None:
        return
    staying = [str(r) for r in converted.runners if r.kind != "docs" and _stays(draft, s, r)]
    for rel in converted.retired:
        if staying:
            draft.changes.append(Change(rel, "keep", f"still read by {', '.join(staying)}"))
            draft.notes.append(
                f"{rel} is kept: {', '.join(staying)} still "
                f"{'runs' if len(staying) == 1 else 'run'} {converted.tool}, which reads "
                "it; rewrite those with uv (each is named above), then delete it"
            )
        else:
            why = (
                "converted into pyproject.toml"
                if rel == converted.config
                else "its versions seed uv.lock"
            )
            draft.changes.append(Change(rel, "delete", f"{why} (deleted after the lock)"))
    lock = converted.lock
    if lock and lock not in converted.retired and staying:
        # integralytix' Dockerfile: `poetry install --without dev` against the converted
        # pyproject finds poetry.lock stale and no dev group: the line breaks, so it is said
        # where APPLY's output says what it kept, not only in the preview's notes
        draft.changes.append(
            Change(
                lock,
                "keep",
                f"still read by {', '.join(staying)}, which still "
                f"{'runs' if len(staying) == 1 else 'run'} {converted.tool}: stale against the "
                f"converted pyproject.toml ({converted.tool} refuses it); rewrite those with uv",
            )
        )


def _stays(draft: Draft, s: Survey, runner: Running) -> bool:
    """Is the line still there as written once the plan's rewrites are done (the Makefile's
    rewriter drops a target uv.mk takes over; a reader rewrite may turn it into uv's)?"""
    if runner.path not in draft.contents:
        return True
    line = s.tree.lines(runner.path)[runner.line - 1].rstrip()
    final = draft.contents[runner.path].decode("utf-8", "replace").splitlines()
    return line in (f.rstrip() for f in final)


def plan_still_read(draft: Draft, s: Survey, dep: req.DependencyPlan, doc: Any) -> None:
    """A requirements file something that stays still reads (a kept Makefile target,
    Dockerfile, CI, tox...) is not deleted: regenerated from uv.lock, so nothing that uses it
    breaks."""
    final_texts = {k: v.decode("utf-8", "replace") for k, v in draft.contents.items()}
    left_at = _left_at(draft)
    roles = {f.path: f for f in dep.files}
    kept_setup_py = s.setup_py is not None and s.setup_py.keep_setup_py
    if s.setup_py is not None and not kept_setup_py:
        final_texts["setup.py"] = ""  # deleted: what it read no longer matters
    tree = uvmk_references.scan(s.tree)
    around = s.readers_around  # ROOT=services/api: the top's readers too
    _shim_setup_py_still_run(draft, tree, final_texts, left_at)
    read_by: dict[str, set[str]] = {}  # requirements file -> the files that read it
    for i, c in enumerate(draft.changes):
        if c.action != "delete" or c.path.endswith("/"):
            continue
        if kept_setup_py and s.setup_py is not None and c.path in s.setup_py.reads:
            # the setup.py that stays opens it when it runs: neither deleted nor regenerated
            draft.changes[i] = Change(c.path, "keep", "still read by setup.py, which stays")
            continue
        found = requirement_readers(tree, c.path, final_texts, left_at)
        if around is not None:
            found += [
                r
                for r in uvmk_references.readers_around(around, s.root, c.path)
                if r.kind != "docs"
            ]
        read_by[c.path] = {r.path for r in found}
        code = [str(r) for r in found if r.kind == "code"]
        edits = [str(r) for r in found if edits_in_place(r.text, c.path)]
        if code:
            draft.changes[i] = _read_by_code(draft, c, [str(r) for r in found], code)
        elif edits:
            draft.changes[i] = keep_edited(draft, c, edits)
        elif found:
            draft.changes[i] = _still_read(draft, s, dep, c, [str(r) for r in found], doc)
    keep_includers(draft, dep, read_by)
    keep_what_kept_files_include(draft, s.tree)
    if dep.files:
        report_other_readers(
            tree, draft.changes, final_texts, left_at, draft.notes, draft.contents, roles
        )
        if around is not None:
            draft.notes.append(
                f"and, outside {s.root.name}/, in {len(around.files)} file(s) of the repository "
                f"around it ({around.root}): its Makefile, CI and Dockerfiles may install these"
            )
    regenerated = {c.path: draft.exports[c.path] for c in draft.changes if c.action == "export"}
    if regenerated:
        keep_exports_in_step(draft, s, regenerated)


def _left_at(draft: Draft) -> dict[str, frozenset[int]]:
    """Each file a rewriter rewrote in place -> the lines of today's text its rewriter left
    reading a file (its readers_left): the only lines of it still read for readers."""
    return {
        path: lines_left(left).get(path, frozenset()) for path, left in draft.readers_left.items()
    }


def _shim_setup_py_still_run(
    draft: Draft,
    tree: uvmk_references.Scan,
    final_texts: dict[str, str],
    left_at: dict[str, frozenset[int]],
) -> None:
    """A setup.py pyproject now says everything of, that something still runs (`python setup.py
    sdist` in a kept target, CI, a script): a bare setup() shim instead of deleting it, so those
    commands keep working with setuptools reading pyproject.toml."""
    at = next(
        (i for i, c in enumerate(draft.changes) if c.path == "setup.py" and c.action == "delete"),
        None,
    )
    if at is None:
        return
    runners = uvmk_references.setup_py_runners(tree, final_texts, left_at)
    done = SETUP_PY_SHIM.rewrite("", {"runners": runners})
    if not done.changed:
        return
    draft.contents["setup.py"] = done.new_text.encode("utf-8")
    carried = draft.changes[at].details
    draft.changes[at] = Change("setup.py", "modify", done.what, carried)
    draft.notes.extend(done.notes)


def _read_by_code(draft: Draft, c: Change, refs: list[str], code: list[str]) -> Change:
    """Python code that opens the file parses it as the hand-written list it was (yolov5's
    check_requirements installs what is missing): an export of the lock, every transitive
    package pinned for every platform, would change what that code does, so the file stays
    as written."""
    draft.notes.append(
        f"{c.path} is read by Python code ({', '.join(code)}): kept as written, not "
        "regenerated from uv.lock (that code reads it as a hand-written list); its "
        "requirements are in pyproject.toml now: keep the two in step, or point that code at "
        "pyproject.toml"
    )
    return Change(c.path, "keep", f"read by {', '.join(refs)}")


def _still_read(
    draft: Draft, s: Survey, dep: req.DependencyPlan, c: Change, refs: list[str], doc: Any
) -> Change:
    # A pip-tools input (requirements.in) holds ranges, not pins: exporting the lock over it
    # would lose them, so it is kept as it is, like any file that is not a pin list (or that
    # lists nothing of its own).
    rf = next((f for f in dep.files if f.path == c.path), None)
    args = (
        _export_args(doc, rf, s.tree, dep.files)
        if rf is not None and rf.role in ("runtime", "group") and rf.kind != "compile-input"
        else None
    )
    if args is not None:
        draft.exports[c.path] = args
        draft.installed[c.path] = installed_before(s.tree, c.path, project_name(doc))
        draft.notes.append(
            f"{c.path} is still read by {', '.join(refs)}: regenerated from uv.lock "
            "(uv export) instead of deleted, so those keep working"
        )
        return Change(
            c.path,
            "export",
            f"still read by {', '.join(refs)}: regenerated from uv.lock",
            (c.reason, "uv export --format requirements.txt " + " ".join(args)),
        )
    draft.notes.append(
        f"{c.path} is still read by {', '.join(refs)}: kept as it is (its "
        "requirements are in pyproject.toml now); update those, then delete it"
    )
    return Change(c.path, "keep", f"still read by {', '.join(refs)}")
