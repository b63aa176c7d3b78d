"""Version specifier arithmetic for the planner: pins, overlap, merging (PEP 440, `packaging`)."""

from __future__ import annotations

import re
from functools import cache

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

# The functions below are pure functions of their strings, and the planner asks them the same
# question once per pair of lines naming a package: a repo with 200 requirements files asks
# tens of thousands of times about a handful of distinct specifiers. Each is answered once.


@cache
def exact_pin(specifier: str) -> str | None:
    """The version of a single `==X` pin (no wildcard), else None."""
    match = re.fullmatch(r"==\s*([^,*\s]+)", specifier.strip())
    return match.group(1) if match else None


def _versions_around(specifier: SpecifierSet) -> list[Version]:
    """Versions at and just around every bound: enough to find one that satisfies a set of
    ordinary specifiers when one exists."""
    found: list[Version] = []
    for spec in specifier:
        text = spec.version.removesuffix(".*")
        try:
            base = Version(text)
        except InvalidVersion:
            continue
        release = list(base.release)
        found.append(base)
        found.append(Version(".".join(map(str, [*release, 1]))))
        for i in range(len(release)):
            bumped = [*release[:i], release[i] + 1]
            found.append(Version(".".join(map(str, bumped))))
            if release[i] > 0:
                lower = [*release[:i], release[i] - 1, 999]
                found.append(Version(".".join(map(str, lower))))
    return found


@cache
def specifiers_compatible(a: str, b: str) -> bool:
    """Can one version satisfy both? (Exact answer for pins; for ranges, checked at the bounds.)"""
    if not a or not b:
        return True
    if a.startswith("===") or b.startswith("==="):
        return a == b or not (a.startswith("===") and b.startswith("==="))
    try:
        both = SpecifierSet(a) & SpecifierSet(b)
    except InvalidSpecifier:
        return a == b
    candidates = _versions_around(both)
    if not candidates:
        return True
    return any(both.contains(v, prereleases=True) for v in candidates)


@cache
def specifier_within(requirement: str, pyproject: str) -> bool:
    """Is the requirements specifier inside pyproject's range? A pin must satisfy it; a range
    must at least overlap it."""
    if not pyproject:
        return True
    version = exact_pin(requirement)
    if version is not None:
        try:
            return SpecifierSet(pyproject).contains(Version(version), prereleases=True)
        except (InvalidVersion, InvalidSpecifier):
            return False
    return specifiers_compatible(requirement, pyproject)


def merge_specifiers(a: str, b: str) -> str:
    """Both specifiers as one, in written order, without bounds the other side makes redundant
    (`>=5` and `>=5.3` -> `>=5.3`; a pin inside the other range -> the pin)."""
    if not a or a == b:
        return b
    if not b:
        return a
    if exact_pin(a) and specifier_within(a, b):
        return a
    if exact_pin(b) and specifier_within(b, a):
        return b
    specs = [Specifier(s) for s in dict.fromkeys(f"{a},{b}".split(","))]
    kept = [s for s in specs if not any(_tighter(other, s) for other in specs if other != s)]
    return ",".join(str(s) for s in kept)


def _tighter(other: Specifier, spec: Specifier) -> bool:
    """Does `other` make `spec` redundant? Only for same-direction bounds."""
    lower, upper = (">=", ">"), ("<=", "<")
    for side in (lower, upper):
        if spec.operator in side and other.operator in side:
            try:
                mine, theirs = Version(spec.version), Version(other.version)
            except InvalidVersion:
                return False
            if mine == theirs:
                return other.operator in (">", "<") and spec.operator in (">=", "<=")
            return theirs > mine if side is lower else theirs < mine
    return False
