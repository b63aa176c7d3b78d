"""Rewrite a legacy pip Makefile so that uv.mk's targets take over.

- `include <uv.mk>` is added after the leading comment block, preceded by `UVMK_SKIP_TARGETS := ...`
  (host targets named like uv.mk aliases whose recipes are not pip/venv based are kept and listed
  there) and by the uv.mk knobs carried over from the legacy recipes (API_APP, FORMATTER, ...).
- Host targets named like uv.mk aliases whose recipes use pip, `python -m venv`, a hard-coded
  interpreter or venv paths are removed; their names leave `.PHONY` too.
- `PYTEST := $(VENV)/bin/pytest` becomes `PYTEST := $(UV) run pytest`; interpreter/pip/venv
  variables (a whole value that is the command: `python3 -u`, not `python javascript`) whose
  every use the rewrite removed go; one read through a computed name (`$(x_$*)`) is read.
- Kept targets run their bare interpreter, old-venv commands and `$(VENV)/bin/<tool>` through
  `$(UV) run`; what reads make's own view of the host after the include (`$(lastword
  $(MAKEFILE_LIST))`, a grep of `$(MAKEFILE_LIST)`, the `make -p` listing idiom) is kept working,
  each change said in the plan with its line.
- Every other line is kept byte for byte.

blocks (the Makefile as blocks), legacy (what is environment management), knobs (uv.mk knobs
read off the legacy recipes), host_name and database_listing (a host reading its own name or
make's database), rewrite (the phases). scan, for the survey, only reads: the lines that run
pip, a venv or a hard-coded interpreter.
"""

from uvmk.rewriters.makefile.blocks import Block, legacy_default_goal, split_blocks
from uvmk.rewriters.makefile.legacy import classify_variables
from uvmk.rewriters.makefile.rewrite import MakefileRewrite, rewrite

__all__ = [
    "Block",
    "MakefileRewrite",
    "classify_variables",
    "legacy_default_goal",
    "rewrite",
    "split_blocks",
]
