"""Extras that no longer exist (`typer[all]` once typer dropped `all`): uv lock only warns, and
the extra silently installs nothing. Read from uv's warnings, named at the requirement's
file:line."""

from __future__ import annotations

import re

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from uvmk.sources.pip.dependency_plan import Addition

_WARNING = re.compile(r"The package `([^`=]+)==([^`]+)` does not have an extra named `([^`]+)`")


def stale_extras(uv_output: str, additions: list[Addition]) -> list[str]:
    """One line per extra uv says the locked version lacks, where the requirement came from."""
    found: list[str] = []
    for name, version, extra in dict.fromkeys(_WARNING.findall(uv_output)):
        where = _asked_at(additions, name, extra)
        found.append(
            f"stale extra: {name} {version} has no extra `{extra}` ({where}): it installs "
            f"nothing; drop [{extra}] or name the packages it used to pull in"
        )
    return found


def _asked_at(additions: list[Addition], name: str, extra: str) -> str:
    for a in additions:
        try:
            req = Requirement(a.requirement)
        except InvalidRequirement:
            continue
        if canonicalize_name(req.name) == canonicalize_name(name) and any(
            canonicalize_name(e) == canonicalize_name(extra) for e in req.extras
        ):
            return str(a.where)
    return "pyproject.toml"
