"""The pyproject texts apply locks with, made from the final one: the requirements pins as
temporary [tool.uv] constraint-dependencies (with_seeds, without_seeds), a pin moved up to a
version with a wheel (with_moved_pins), a requires-python that follows the Python
(with_requires_python). Text in, text out: the operations that carry them (plan.operations)
and apply import nothing else of the plan."""

from __future__ import annotations

import re

import tomlkit
from packaging.utils import canonicalize_name

from uvmk.plan.tool_uv import tool_uv


def with_seeds(final_text: str, seeds: dict[str, str], marker: str | None = None) -> str:
    doc = tomlkit.parse(final_text)
    uv = tool_uv(doc)
    existing = uv.get("constraint-dependencies")
    taken = set()
    if existing is not None:
        for item in existing:
            m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", str(item))
            if m:
                taken.add(canonicalize_name(m.group(1)))
    else:
        uv["constraint-dependencies"] = tomlkit.array()
        existing = uv["constraint-dependencies"]
    for name, version in sorted(seeds.items()):
        if canonicalize_name(name) not in taken:
            existing.append(f"{name}=={version}" + (f"; {marker}" if marker else ""))
    return tomlkit.dumps(doc)


def without_seeds(seeded_text: str, seeds: dict[str, str], names: set[str]) -> str:
    """The seeded pyproject without the seed pins of `names`, as `with_seeds` wrote them (a
    constraint of the project's own on the name stays, `with_seeds` never wrote over one; one
    identical to the pin goes too, and then the final lock fails on it anyway)."""
    doc = tomlkit.parse(seeded_text)
    constraints = doc["tool"]["uv"]["constraint-dependencies"]
    wrote = {f"{n}=={seeds[n]}" for n in names if n in seeds}
    for i in reversed(range(len(constraints))):
        if str(constraints[i]).split(";")[0].strip() in wrote:
            del constraints[i]
    return tomlkit.dumps(doc)


def with_moved_pins(text: str, moves: dict[str, tuple[str, str]]) -> str:
    """`text` with every exact pin `name==old` (a seed, or a requirements pin OVERRIDE_PINS wrote
    into the dependencies) as `name==new`: a pin moved because its version has no wheel for
    the pinned Python. Any other requirement on the name is the project's own and stays."""
    doc = tomlkit.parse(text)
    project = doc.get("project") or {}
    arrays = [project.get("dependencies")]
    arrays += list((project.get("optional-dependencies") or {}).values())
    arrays += list((doc.get("dependency-groups") or {}).values())
    arrays.append(((doc.get("tool") or {}).get("uv") or {}).get("constraint-dependencies"))
    for array in arrays:
        if not isinstance(array, list):
            continue
        for i, item in enumerate(array):
            if isinstance(item, str):
                moved = _moved(item, moves)
                if moved != item:
                    array[i] = moved
    return tomlkit.dumps(doc)


def with_requires_python(text: str, spec: str) -> str:
    """`text` with [project] requires-python = `spec`: a requires-python this migration made
    from the Python it pinned, following that Python when apply pins another."""
    doc = tomlkit.parse(text)
    project = doc.get("project")
    if project is not None:
        project["requires-python"] = spec
    return tomlkit.dumps(doc)


def _moved(requirement: str, moves: dict[str, tuple[str, str]]) -> str:
    found = re.match(
        r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\s*(?:\[[^\]]*\])?\s*)==\s*([^\s;,]+)", requirement
    )
    if found is None:
        return requirement
    move = moves.get(canonicalize_name(found[1]))
    if move is None or found[3] != move[0]:
        return requirement
    return requirement[: found.start(3)] + move[1] + requirement[found.end(3) :]
