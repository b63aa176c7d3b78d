"""`$(lastword $(MAKEFILE_LIST))` names the makefile make read last. In a Makefile that
includes nothing, that is the Makefile itself; once `include uv.mk` sits near its top it is
uv.mk (a recipe expands it after every file is read). The rewrite takes the host's own name
before the include, in HOST_MAKEFILE, and the host's occurrences read that instead."""

from __future__ import annotations

import re

from uvmk.rewriters.makefile.blocks import Block

HOST_MAKEFILE = "UVMK_HOST_MAKEFILE"
# the include block's lines that take the name (its comment says why it is there)
CAPTURE = [
    "# this Makefile's own name, taken before uv.mk joins MAKEFILE_LIST (its recipes read it)",
    f"{HOST_MAKEFILE} := $(lastword $(MAKEFILE_LIST))",
]

_LIST = r"\$[({]MAKEFILE_LIST[)}]"
# $(lastword $(MAKEFILE_LIST)), ${lastword ${MAKEFILE_LIST}},
# $(word $(words $(MAKEFILE_LIST)),$(MAKEFILE_LIST))
LAST_MAKEFILE = re.compile(
    r"\$[({]lastword\s+" + _LIST + r"\s*[)}]"
    r"|\$[({]word\s+\$[({]words\s+" + _LIST + r"\s*[)}]\s*,\s*" + _LIST + r"\s*[)}]"
)
_HOST_INCLUDE = re.compile(r"^\s*-?s?include\s")


def read_own_name(body: list[Block], name: str) -> list[str]:
    """Replace the last-makefile expressions in `body` by $(HOST_MAKEFILE); the notes saying
    where (empty: nothing to do). Not in a Makefile that includes files of its own: there the
    expression named the last of those, which the include of uv.mk before them leaves as is."""
    if any(b.kind == "other" and _HOST_INCLUDE.match(b.lines[0]) for b in body):
        return []
    where: list[str] = []
    for b in body:
        for k, line in enumerate(b.lines):
            new = LAST_MAKEFILE.sub(f"$({HOST_MAKEFILE})", line)
            if new != line:
                b.lines[k] = new
                where.append(f"{name}:{b.start + k}")
        if b.kind == "rule":
            b.recipe = b.lines[len(b.lines) - len(b.recipe) :]
    if not where:
        return []
    return [
        f"{', '.join(where)}: `$(lastword $(MAKEFILE_LIST))` would name uv.mk once it is "
        f"included: now `$({HOST_MAKEFILE})`, this Makefile's name taken before the include"
    ]
