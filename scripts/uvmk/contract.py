"""uv.mk's facts the engine needs, in one home. What uv.mk declares is read from the uv.mk in
use rather than copied into Python: the short target names it offers (UVMK_ALIASES) and its
knobs (`NAME ?= default`), whose defaults the Makefile rewrite compares a legacy recipe's paths
with. What the engine says of its targets is here too: the daily targets uv-verify checks, and
what `make dev-install` runs (tests/python/test_uvmk_contract.py holds both to uv.mk)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

# The targets every migrated project has, whose recipes uv-verify dry-runs (make -n).
DAILY_TARGETS = ("install", "dev-install", "test", "lint", "format", "uv-lock")
# What `make dev-install` runs (uv.mk's SYNC_DEV_FLAGS default), so a newcomer following the
# README gets the same environment as one typing make.
DEV_SYNC = "uv sync --all-extras --all-groups"
# How uv.mk's refusals begin (its uvmk_die): the engine's own say it the same way.
ERROR = "uv.mk: error: "
# What uv.mk's test-unit says in a repository with no unit/integration split (uvmk_pytest_kind):
# uv-verify then runs the whole suite as the unit check.
NO_UNIT_TESTS = f"{ERROR}no unit tests"


def error_line(message: str) -> str:
    """One refusal as uv.mk says it: `uv.mk: error: <message>`."""
    return ERROR + message


_ALIASES = re.compile(r"^UVMK_ALIASES\s*:?=(.*)$", re.MULTILINE)
_KNOB = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)[ \t]*\?=[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_REF = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]")
_IF_WILDCARD = re.compile(r"\$\(if \$\(wildcard ([^()$,\s]+)\),([^(),$]*),([^(),$]*)\)")


class DeclarationError(Exception):
    """The uv.mk given is not one (no UVMK_ALIASES)."""


@dataclass(frozen=True)
class UvMkDeclarations:
    aliases: tuple[str, ...]
    knobs: dict[str, str]  # NAME -> its default, as uv.mk writes it

    def default(self, knob: str, entries: frozenset[str] = frozenset()) -> str:
        """A knob's default as make would expand it in a folder holding `entries`: other knobs
        substituted, `$(if $(wildcard X),A,B)` decided; anything else is left as written."""
        return self._expand(self.knobs.get(knob, ""), entries, depth=0)

    def _expand(self, text: str, entries: frozenset[str], depth: int) -> str:
        if depth > 8:
            return text
        text = _IF_WILDCARD.sub(
            lambda m: m.group(2) if m.group(1).rstrip("/") in entries else m.group(3), text
        )
        return _REF.sub(
            lambda m: (
                self._expand(self.knobs[m.group(1)], entries, depth + 1)
                if m.group(1) in self.knobs
                else m.group(0)
            ),
            text,
        )


def parse(text: str) -> UvMkDeclarations:
    joined = re.sub(r"\\\r?\n", " ", text)
    aliases = _ALIASES.search(joined)
    if aliases is None:
        raise DeclarationError("no UVMK_ALIASES")
    knobs = {m.group(1): m.group(2) for m in _KNOB.finditer(joined)}
    return UvMkDeclarations(tuple(aliases.group(1).split()), knobs)


def read(path: Path) -> UvMkDeclarations:
    """The declarations of the uv.mk at `path`."""
    try:
        return parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, DeclarationError) as exc:
        raise DeclarationError(f"{path} is not a readable uv.mk ({exc})") from None


def bundled_uv_mk() -> Path:
    """The uv.mk this engine ships: inside the installed package (the wheel puts it beside this
    module), else the checkout's (scripts/uvmk/ -> the repository root)."""
    here = Path(__file__).resolve().parent
    inside = here / "uv.mk"
    return inside if inside.is_file() else here.parent.parent / "uv.mk"


@functools.cache
def bundled() -> UvMkDeclarations:
    """The declarations of the uv.mk beside this engine (when no other uv.mk is given)."""
    return read(bundled_uv_mk())
