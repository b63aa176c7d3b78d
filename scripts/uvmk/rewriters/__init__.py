"""One module per kind of file the migration rewrites in place, each a Rewriter behind one
protocol (rewriters/protocol.py): applies_to(rel, kind), rewrite(file_text, context) -> Rewrite
(the new text, notes, and readers_left: what still reads what the plan moves, at today's lines).
REGISTRY lists them, one line each. A new rewriter is one module and one line here."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from uvmk.rewriters.protocol import Rewrite, Rewriter

    REGISTRY: tuple[Rewriter, ...]

# (module, name) of each, in order. Importing any rewriter imports this package first: the
# registry is made on first access, so a Makefile's rewrite loads no docs or old-tools one.
_LISTED = (
    ("makefile.rewriter", "MAKEFILE"),
    ("readme", "README"),
    ("docs_lines", "DOCS_LINES"),
    ("old_tool_lines", "OLD_TOOL_LINES"),
    ("setup_py_shim", "SETUP_PY_SHIM"),
)


def __getattr__(name: str) -> Any:
    if name == "REGISTRY":
        return tuple(
            getattr(importlib.import_module(f"{__name__}.{module}"), attr)
            for module, attr in _LISTED
        )
    if name in ("Rewrite", "Rewriter"):
        return getattr(importlib.import_module(f"{__name__}.protocol"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["REGISTRY", "Rewrite", "Rewriter"]
