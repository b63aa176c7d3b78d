"""Pipenv's [scripts] as targets of the migrated Makefile: `make <name>` runs `$(UV) run <command>`
where `pipenv run <name>` ran the command in Pipenv's environment. A name the Makefile or uv.mk
has already, or one make cannot take as a target, gets no target: said with its uv command."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from uvmk.rewriters.makefile.blocks import _logical_lines

_TARGET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PIPENV_RUN = re.compile(r"(?<![\w-])pipenv\s+run\s+")
_DEFINES = re.compile(r"^([^\s:#=][^:#=]*?)\s*::?(?![=])")


@dataclass
class ScriptTargets:
    text: str  # the Makefile with a target for each script it takes
    added: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def script_targets(text: str, scripts: dict[str, str], uv_mk_targets: set[str]) -> ScriptTargets:
    """`text`: the migrated Makefile; `uv_mk_targets`: the targets its uv.mk declares."""
    taken = uv_mk_targets | _targets(text) | {"help"}
    out = ScriptTargets(text)
    blocks = []
    for name, command in scripts.items():
        run = f"uv run {command}"
        if not _TARGET_NAME.match(name):
            out.notes.append(f"Pipfile [scripts] {name}: no make target of that name; run `{run}`")
            continue
        if name in taken or name.startswith(("uv-", "_uvmk")):
            out.notes.append(
                f"Pipfile [scripts] {name}: `make {name}` is the Makefile's or uv.mk's own "
                f"target already: kept it; the script is `{run}`"
            )
            continue
        one_line = command.replace("\n", " ")
        blocks.append(
            f".PHONY: {name}\n{name}: ## Pipfile [scripts] {name}: {one_line}\n"
            f"\t{_recipe(one_line)}\n"
        )
        out.added.append(name)
    if blocks:
        body = text if text.endswith("\n") or not text else text + "\n"
        out.text = body + "\n# Pipenv's [scripts], run with uv (were `pipenv run <name>`)\n"
        out.text += "\n".join(blocks)
    return out


def _recipe(command: str) -> str:
    """`$(UV) run <command>`, `$` kept for the shell; a script that runs `pipenv run` itself
    (`pipenv run isort . && pipenv run black .`) has each of those run through uv instead."""
    escaped = command.replace("$", "$$")
    if _PIPENV_RUN.search(escaped):
        return _PIPENV_RUN.sub("$(UV) run ", escaped)
    return f"$(UV) run {escaped}"


def _targets(text: str) -> set[str]:
    """The targets the Makefile defines (rules at the start of a line, not recipes)."""
    found: set[str] = set()
    for line in _logical_lines(text.splitlines()):
        if line.startswith("\t"):
            continue
        m = _DEFINES.match(line)
        if m and "$" not in m.group(1):
            found |= set(m.group(1).split())
    return found
