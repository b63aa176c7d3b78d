"""A requirements file regenerated from uv.lock (`uv export`): its arguments, and how it stays
in step with the lock afterwards (`make uv-export`)."""

from __future__ import annotations

from typing import Any

from uvmk import makefile as uvmk_makefile
from uvmk import survey as uvmk_survey
from uvmk.plan.model import Change
from uvmk.survey import Survey


def _refresh_exports(
    regenerated: dict[str, list[str]],
    s: Survey,
    mk_rewrite: uvmk_makefile.MakefileRewrite | None,
    contents: dict[str, bytes],
    changes: list[Change],
    notes: list[str],
) -> uvmk_makefile.MakefileRewrite | None:
    """How a regenerated requirements file stays in step with uv.lock: one file becomes what
    `make uv-export` writes (EXPORT_FILE/EXPORT_FLAGS set in the rewritten Makefile); with
    several, each one's command is in the notes."""
    (path, args), *more = regenerated.items()
    flags = " ".join(args)
    default = path == "requirements.txt" and flags == "--no-default-groups"
    if not more and mk_rewrite is not None and mk_rewrite.include_line and s.makefile is not None:
        knobs = {"EXPORT_FILE": path}
        if flags != "--no-default-groups":
            knobs["EXPORT_FLAGS"] = flags
        rel = s.rel(s.makefile)
        redone = uvmk_makefile.rewrite(
            uvmk_survey.read_text(s.makefile, s.root),
            include_path=mk_rewrite.include_line.removeprefix("include "),
            venv_dirs={v.path for v in s.venvs},
            target_venv=s.target_venv,
            tests_dir=(s.makefile.parent / "tests").is_dir(),
            extra_knobs={} if default else knobs,
        )
        contents[rel] = redone.text.encode("utf-8")
        for i, c in enumerate(changes):
            if c.path == rel and c.action == "modify":
                changes[i] = Change(c.path, c.action, c.reason, tuple(redone.summary()))
        notes.append(f"`make uv-export` refreshes {path} from uv.lock")
        return redone
    for p, a in regenerated.items():
        cmd = (
            "make uv-export"
            if p == "requirements.txt" and a == ["--no-default-groups"]
            else (f"make uv-export EXPORT_FILE={p} EXPORT_FLAGS='{' '.join(a)}'")
        )
        notes.append(f"`{cmd}` refreshes {p} from uv.lock")
    return mk_rewrite


def _export_args(doc: Any, f: Any) -> list[str]:
    """`uv export` arguments regenerating requirements file `f` from the lock: its selection,
    and no hashes when the export holds a line pip cannot hash (the project itself when it is
    a package, a local path): pip refuses the whole file in hash-checking mode then."""
    groups = doc.get("dependency-groups") or {}
    args = ["--no-default-groups"]
    if f.role == "group" and f.group and f.group in groups:
        args += ["--group", f.group]
    tool_uv = (doc.get("tool") or {}).get("uv") or {}
    sources = tool_uv.get("sources") or {}
    local = any(isinstance(v, dict) and "path" in v for v in sources.values())
    packaged = "build-system" in doc and tool_uv.get("package") is not False
    if local or packaged or tool_uv.get("package") is True:
        args.append("--no-hashes")
    return args
