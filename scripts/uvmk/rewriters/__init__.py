"""One module per kind of file the migration rewrites in place, each a Rewriter behind one
protocol (rewriters/protocol.py): applies_to(rel, kind), rewrite(file_text, context) -> Rewrite
(the new text, notes, and readers_left: what still reads what the plan moves, at today's lines).
REGISTRY lists them, one line each. A new rewriter is one module and one line here."""

from __future__ import annotations

from uvmk.rewriters.docs_lines import DOCS_LINES
from uvmk.rewriters.makefile.rewriter import MAKEFILE
from uvmk.rewriters.old_tool_lines import OLD_TOOL_LINES
from uvmk.rewriters.protocol import Rewrite, Rewriter
from uvmk.rewriters.readme import README
from uvmk.rewriters.setup_py_shim import SETUP_PY_SHIM

REGISTRY: tuple[Rewriter, ...] = (
    MAKEFILE,
    README,
    DOCS_LINES,
    OLD_TOOL_LINES,
    SETUP_PY_SHIM,
)

__all__ = ["REGISTRY", "Rewrite", "Rewriter"]
