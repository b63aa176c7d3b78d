"""What the Dockerfile rewriter (rewriters/readers/dockerfile/) needs from the plan beyond the
readers' shared context: which requirements files listed the project itself, the migrated
requires-python, whether the project builds, the root's .dockerignore, and why the locked
dependencies could not be synced before the source is copied into the image."""

from __future__ import annotations

from typing import Any

from uvmk.plan.exports import _export_args
from uvmk.sources.pip import planner as req
from uvmk.survey.snapshot import Survey
from uvmk.survey.text_files import decode_text


def docker_fields(s: Survey, dep: req.DependencyPlan, doc: Any) -> dict[str, Any]:
    """The ReaderContext fields the Dockerfile rewriter reads (an empty dict without a
    migrated pyproject)."""
    if doc is None:
        return {}
    data = doc.unwrap() if hasattr(doc, "unwrap") else dict(doc)
    tool_uv = (data.get("tool") or {}).get("uv") or {}
    with_project = set()
    for f in dep.files:
        args = _export_args(doc, f, s.tree, dep.files) if f.role in ("runtime", "group") else None
        if args is not None and "--no-emit-project" not in args:
            with_project.add(f.path)
    ignore = s.tree.data(".dockerignore")
    requires = (data.get("project") or {}).get("requires-python")
    return {
        "with_project": frozenset(with_project),
        "requires_python": str(requires) if requires else None,
        "packaged": "build-system" in data and tool_uv.get("package") is not False,
        "dockerignore": decode_text(ignore, ".dockerignore") if ignore is not None else None,
        "needs_tree": _needs_tree(tool_uv),
    }


def _needs_tree(tool_uv: dict[str, Any]) -> str | None:
    """Why `uv sync --no-install-project` cannot run on pyproject.toml and uv.lock alone: a
    path source or a workspace member is part of what it installs."""
    if tool_uv.get("workspace"):
        return "the project is a uv workspace: its members must be in the image to sync"
    sources = tool_uv.get("sources") or {}
    local = sorted(k for k, v in sources.items() if isinstance(v, dict) and "path" in v)
    if local:
        return (
            f"uv.lock installs {', '.join(local)} from a path (tool.uv.sources): that folder "
            "must be in the image before uv sync"
        )
    return None
