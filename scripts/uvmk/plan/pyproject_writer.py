"""The one pyproject writer: a merged ProjectModel (plan/merge) written into its document with
tomlkit, comments, order and layout kept. A workspace writes each member's model this way, and
its root's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tomlkit
from packaging.utils import canonicalize_name

from uvmk.plan.merge import ProjectModel
from uvmk.plan.tool_uv import tool_uv
from uvmk.sources.pip import planner as req


@dataclass(frozen=True)
class Written:
    document: Any  # the tomlkit document, written
    text: str
    changed: bool
    refusal: req.Note | None = None  # the plan cannot be written into this document


def write_pyproject(model: ProjectModel) -> Written:
    """The model's dependencies written into its document (which it mutates): what a layout
    tomlkit cannot extend faithfully comes back as a refusal at its file:line, the text left
    as far as it got."""
    refusal = None
    try:
        req.apply_dependency_plan(model.document, model.dependencies)
    except req.RequirementsError as exc:
        where, message = req.where_of(str(exc))
        refusal = req.Note("refused", message, where)
    if model.workspace_sources and refusal is None:
        _workspace_sources(model.document, model.workspace_sources)
    text = tomlkit.dumps(model.document)
    return Written(model.document, text, text != model.original, refusal)


def _workspace_sources(doc: Any, names: tuple[str, ...]) -> None:
    """`{ workspace = true }` for each member used, in place of any path source to it."""
    uv = tool_uv(doc)
    sources = uv.get("sources")
    if sources is None:
        sources = tomlkit.table()
        uv.add("sources", sources)
    for name in names:
        for key in [k for k in sources if canonicalize_name(k) == canonicalize_name(name)]:
            del sources[key]
        entry = tomlkit.inline_table()
        entry.append("workspace", True)
        sources[name] = entry
