"""The host Makefile runs its daily targets through uv.mk (rewriters.makefile rewrites it); a uv.mk
outside the repository is vendored beside it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from uvmk import vendor as uvmk_vendor
from uvmk.contract import UvMkDeclarations, bundled_uv_mk
from uvmk.options import Options
from uvmk.plan.draft import Draft
from uvmk.plan.model import Change
from uvmk.plan.vendor import vendor_copies
from uvmk.rewriters import makefile as uvmk_makefile
from uvmk.rewriters.makefile.knobs import knobs_from_dependencies
from uvmk.rewriters.makefile.rewriter import MAKEFILE
from uvmk.rewriters.makefile.scripts import script_targets
from uvmk.survey.snapshot import Survey
from uvmk.survey.text_files import decode_text

if TYPE_CHECKING:
    from uvmk.rewriters.old_tools import Shape


def plan_makefile(
    draft: Draft,
    s: Survey,
    options: Options,
    declares: UvMkDeclarations,
    kept_elsewhere: frozenset[str] = frozenset(),
    old_tools: Shape | None = None,
) -> None:
    """`kept_elsewhere`: files of the projects below the root left as they are: a target that
    installs them does what uv.mk's does not, and stays. `old_tools`: the project's shape, for
    its recipes' Poetry/Pipenv commands (None: no such tool converted)."""
    scripts = s.pipenv.scripts if s.pipenv is not None else {}
    if s.makefile is None or s.makefile_bytes is None:
        draft.notes.append(
            "no Makefile: `uvx uv-mk init` adds uv.mk and a Makefile that includes it (or run "
            "its targets with `make -f <path>/uv.mk <target>`)"
        )
        draft.notes += [
            f"Pipfile [scripts] {name}: no Makefile to make it a target of; with uv it is "
            f"`uv run {command}` (was `pipenv run {name}`)"
            for name, command in scripts.items()
        ]
        return
    uv_mk = (options.uv_mk or bundled_uv_mk()).resolve()
    mk_text = decode_text(s.makefile_bytes, s.rel(s.makefile))
    vendored = s.root / uvmk_vendor.DEST  # a uv.mk from elsewhere is copied here
    include_path = os.path.relpath(
        uv_mk if uv_mk.is_relative_to(s.root) else vendored, s.makefile.parent
    )
    context = {
        "include_path": include_path,
        "venv_dirs": {v.path for v in s.venvs},
        "target_venv": s.target_venv,
        "tests_dir": s.has_tests_dir,
        "declares": declares,
        "entries": s.root_entries,
        "tools": draft.tools,
        "extra_knobs": draft.knobs,
        "default_knobs": knobs_from_dependencies(draft.dependency_names),
        "name": s.rel(s.makefile),
        "foreign_files": kept_elsewhere,
        "old_tools": old_tools,
        "run_flags": draft.run_flags,
        "read_files": _deleted(draft, s),
    }
    done = MAKEFILE.rewrite(mk_text, context)
    rewrite: uvmk_makefile.MakefileRewrite = done.detail
    draft.makefile = rewrite
    draft.readers_left[s.rel(s.makefile)] = done.readers_left
    draft.notes.extend(done.notes)
    targets = script_targets(done.new_text, scripts, set(declares.aliases))
    draft.notes.extend(targets.notes)
    if not (done.changed or targets.added):
        return
    rel = s.rel(s.makefile)
    draft.contents[rel] = targets.text.encode("utf-8")
    details = done.details + tuple(
        f"add target `{name}`: $(UV) run {scripts[name]} (Pipfile [scripts])"
        for name in targets.added
    )
    draft.changes.append(Change(rel, "modify", done.what, details))
    if rewrite.include_line and not uv_mk.is_relative_to(s.root):
        draft.copies = vendor_copies(s.root, uv_mk, draft.notes, draft.changes)


def _deleted(draft: Draft, s: Survey) -> tuple[str, ...]:
    """The files the plan may delete, whose readers a kept line may be: the requirements
    files and setup.py so far, and the old tool's files (plan_retired decides them later)."""
    retired = s.converted.retired if s.converted is not None else ()
    deleted = [c.path for c in draft.changes if c.action == "delete"]
    return tuple(dict.fromkeys([*deleted, *retired]))
