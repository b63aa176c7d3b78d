"""The [tool.uv] table of a pyproject being written, made when missing."""

from __future__ import annotations

from typing import Any

import tomlkit


def tool_uv(doc: Any) -> Any:
    """doc's [tool.uv] (doc: a tomlkit document), added with a [tool] header when missing."""
    tool = doc.get("tool")
    if tool is None:
        tool = tomlkit.table(is_super_table=True)
        doc.add("tool", tool)
    uv = tool.get("uv")
    if uv is None:
        # item assignment, not .add(): [tool.*] tables split around [project] come back as an
        # out-of-order proxy, which has no .add (gfloat: [tool.setuptools] above [project])
        tool["uv"] = tomlkit.table()
        uv = tool["uv"]
    return uv
