"""Python version strings read the way uv and the migration need them: the X.Y a text names,
the .python-version request uv understands, the versions a requires-python allows."""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version


def major_minor(text: str) -> str | None:
    match = re.search(r"(?<![\d.])(3)\.(\d{1,2})(?![\d])", text)
    return f"{match.group(1)}.{match.group(2)}" if match else None


_UV_VERSION = r"\d+(?:\.\d+){0,2}(?:(?:a|b|rc)\d+)?(?:t|\+freethreaded|\+gil|\+debug)?"
_UV_IMPL = r"(?:cpython|cp|pypy|pp|graalpy|gp|python)"
_UV_REQUEST = re.compile(
    rf"{_UV_VERSION}|{_UV_IMPL}(?:@|-)?{_UV_VERSION}|{_UV_IMPL}"
    rf"|{_UV_IMPL}-{_UV_VERSION}(?:-[\w.]+){{1,3}}",
    re.I,
)


def uv_reads_python_request(text: str) -> bool:
    """Is this .python-version line a request uv understands (3.11, 3.11.7, cpython@3.11,
    pypy3.10, 3.13t, >=3.11, a path)? A pyenv-virtualenv name ('weatherbot-3.11') is not:
    uv ignores the file with a warning on every command."""
    text = text.strip()
    if _UV_REQUEST.fullmatch(text) or text.startswith(("/", "./", "../", "~")):
        return True
    if text[:1] in "<>=!~":
        try:
            SpecifierSet(text)
        except InvalidSpecifier:
            return False
        return True
    return False


def requires_lower_bound(requires: str | None) -> str | None:
    if not requires:
        return None
    try:
        spec = SpecifierSet(requires)
    except InvalidSpecifier:
        return None
    for minor in range(6, 30):
        if allows(spec, f"3.{minor}"):
            return f"3.{minor}"
    return None


def allows(spec: SpecifierSet | str | None, xy: str) -> bool:
    """Does requires-python allow some 3.X.* release of `xy`?"""
    if spec is None:
        return True
    if isinstance(spec, str):
        try:
            spec = SpecifierSet(spec)
        except InvalidSpecifier:
            return True
    return any(
        spec.contains(Version(f"{xy}.{patch}"), prereleases=True) for patch in (0, 1, 5, 10, 20, 99)
    )


def first_line(text: str) -> str:
    """The version a .python-version names: its first line that is not blank or a comment."""
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    return ""
