"""Markers the chosen requires-python makes dead: `tomli; python_version < "3.11"` under
`>=3.11` never installs. Said with the line that asked for it, so it can be dropped."""

from __future__ import annotations

from packaging.markers import Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from uvmk.sources.pip.dependency_plan import Addition

_PLATFORMS = (
    {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
)
_MACHINES = ("x86_64", "aarch64", "AMD64", "arm64")
_IMPLEMENTATIONS = (("cpython", "CPython"), ("pypy", "PyPy"))


def dead_markers(additions: list[Addition], requires_python: str | None) -> list[str]:
    """One note per added requirement whose marker no Python requires-python allows meets."""
    if not requires_python:
        return []
    try:
        allowed = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return []
    pythons = [
        f"3.{minor}.{patch}"
        for minor in range(0, 30)
        for patch in (0, 1, 5, 10, 30)
        if allowed.contains(f"3.{minor}.{patch}", prereleases=True)
    ]
    notes = []
    for a in additions:
        try:
            marker = Requirement(a.requirement).marker
        except InvalidRequirement:
            continue
        if marker is not None and pythons and not _ever_true(marker, pythons):
            notes.append(
                f"{a.where}: `{a.requirement}` never installs: its marker is false on every "
                f"Python requires-python {requires_python} allows (drop the line, or widen "
                f"requires-python)"
            )
    return notes


def _ever_true(marker: Marker, pythons: list[str]) -> bool:
    for full in pythons:
        for platform in _PLATFORMS:
            for machine in _MACHINES:
                for implementation, python_implementation in _IMPLEMENTATIONS:
                    env = {
                        **platform,
                        "python_version": ".".join(full.split(".")[:2]),
                        "python_full_version": full,
                        "implementation_version": full,
                        "platform_machine": machine,
                        "implementation_name": implementation,
                        "platform_python_implementation": python_implementation,
                        "extra": "",
                    }
                    try:
                        if marker.evaluate(env):
                            return True
                    except (UndefinedComparison, UndefinedEnvironmentName):
                        return True  # cannot tell: never call it dead
    return False
