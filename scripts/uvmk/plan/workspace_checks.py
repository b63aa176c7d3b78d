"""Can the members share one uv.lock? Two ways they cannot that the plan sees before any lock:
one package pinned exactly (`==`) to two versions by two members, and Python ranges with no
version in common. Each is a refusal naming the members and their lines, with the ways out;
what only uv's resolver finds comes back from `uv lock` at apply, every file restored."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from uvmk.sources.pip import planner as req

if TYPE_CHECKING:
    from uvmk.plan.member import MemberPlan

_WAYS_OUT = (
    "one uv.lock cannot hold both: align the pins, or keep them apart — uv `conflicts` "
    '([tool.uv] conflicts = [[{ package = "%s" }, { package = "%s" }]], experimental in uv '
    "0.13: uv locks both, but `uv sync --all-packages` cannot install them together, nor can "
    "the virtual root's `uv sync`), or each as its own project "
    "(make uv-migrate ROOT=%s), or MEMBERS= without one of them"
)
# the Pythons a range is tried against: the ones uv can lock for today
_PYTHONS = [f"3.{minor}" for minor in range(8, 15)]


def shared_lock_refusals(parts: list[MemberPlan]) -> list[req.Note]:
    return [*_pin_clashes(parts), *_python_gap(parts)]


def _pin_clashes(parts: list[MemberPlan]) -> list[req.Note]:
    pins: dict[str, tuple[str, str, MemberPlan, str]] = {}  # key -> (version, line, member)
    out: list[req.Note] = []
    said: set[str] = set()
    for part in parts:
        for version, key, where in _exact_pins(part):
            if key not in pins:
                pins[key] = (version, where, part, key)
                continue
            held, held_where, other, _ = pins[key]
            if held == version or other is part or key in said:
                continue
            said.add(key)
            message = (
                f"{other.path}/ pins {key}=={held} ({held_where}) and {part.path}/ pins "
                f"{key}=={version} ({where}): " + _WAYS_OUT % (other.name, part.name, part.path)
            )
            path, _, line = where.rpartition(":")
            out.append(req.Note("workspace-pins", message, req.Where(path, int(line or 1))))
    return out


def _exact_pins(part: MemberPlan) -> list[tuple[str, str, str]]:
    """(version, canonical name, file:line) of each `==` runtime pin the member's pyproject
    holds, at the requirements line it came from when it came from one."""
    came_from = {
        canonicalize_name(a.requirement.split("=")[0].strip("<>!~ [")): str(a.where)
        for a in part.dependencies.additions
        if a.table == "project.dependencies"
    }
    project = part.document.get("project") or {}
    found: list[tuple[str, str, str]] = []
    for text in project.get("dependencies") or []:
        try:
            requirement = Requirement(str(text))
        except InvalidRequirement:
            continue
        specs = list(requirement.specifier)
        if len(specs) == 1 and specs[0].operator == "==" and requirement.marker is None:
            key = canonicalize_name(requirement.name)
            where = came_from.get(key, f"{part.path}/pyproject.toml:1")
            found.append((specs[0].version, key, where))
    return found


def _python_gap(parts: list[MemberPlan]) -> list[req.Note]:
    ranges = []
    for part in parts:
        if part.requires_python:
            try:
                ranges.append((part, SpecifierSet(part.requires_python)))
            except InvalidSpecifier:
                continue
    if len(ranges) < 2 or any(all(v in spec for _, spec in ranges) for v in _PYTHONS):
        return []
    said = ", ".join(f"{p.path}/ requires-python {p.requires_python}" for p, _ in ranges)
    first = ranges[0][0]
    return [
        req.Note(
            "workspace-pythons",
            f"the members' Python ranges share no version ({said}): one uv.lock needs one "
            f"Python range; migrate each as its own project (make uv-migrate ROOT={first.path}), "
            "or MEMBERS= the ones that meet",
            req.Where(f"{first.path}/pyproject.toml", 1),
        )
    ]
