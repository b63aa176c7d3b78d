"""pyproject.toml read and checked the way uv reads it: parsed with tomlkit (a BOM allowed),
a repeated key found by line, the [project] / [dependency-groups] / [tool.uv] values uv would
reject refused at their file:line, requires-python checked as a specifier."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from uvmk.survey.model import SurveyError
from uvmk.survey.text_files import decode_text, line_of, read_text
from uvmk.survey.tree import Tree


def parse_pyproject(text: str, name: str = "pyproject.toml") -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text.removeprefix("\ufeff"))  # a BOM: uv reads it, tomlkit not
    except tomlkit.exceptions.TOMLKitError as exc:
        # A repeated key is said in our own words at its line: tomlkit <0.15.3 raises
        # KeyAlreadyPresent without a position, 0.15.3 a ParseError at the table's end.
        dup = duplicate_key(text)
        if dup is not None:
            key, line = dup
            raise SurveyError(
                f'{name} is not valid TOML: key "{key}" is defined twice ({name}:{line})'
            ) from None
        if isinstance(exc, tomlkit.exceptions.ParseError):
            raise SurveyError(
                f"{name} is not valid TOML: {exc.args[0] if exc.args else exc} "
                f"({name}:{exc.line}:{exc.col})"
            ) from None
        raise SurveyError(f"{name} is not valid TOML: {exc}") from None


@lru_cache(maxsize=8)
def parse_read_only(text: str) -> tomlkit.TOMLDocument:
    """parse_pyproject for the readers that only look (a detector, a role guess): one parse a
    text for all of them. The document is shared: never change it (parse_pyproject gives one
    of your own)."""
    return parse_pyproject(text)


def plain_values(text: str) -> dict[str, Any]:
    """A TOML text's values as plain Python, for a reader that needs no layout: tomllib where
    the Python has one (3.11+: ~10x faster than tomlkit, and as strict as uv), else tomlkit."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib.loads(text)
    values: dict[str, Any] = tomlkit.parse(text).unwrap()  # Python 3.10
    return values


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(?:#.*)?$")


_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def _norm_key(key: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def duplicate_key(text: str) -> tuple[str, int] | None:
    """The first key written twice in one table (line-based; multi-line values are skipped by
    only looking at lines that start a key outside an open bracket), with its second line."""
    seen: set[tuple[str, str]] = set()
    table = ""
    depth = 0
    for n, line in enumerate(text.splitlines(), 1):
        if depth == 0:
            header = _HEADER.match(line)
            if header:
                table = _norm_key(header.group(2))
                if header.group(1) == "[[":
                    seen = {k for k in seen if not k[0].startswith(table)}
                continue
            key = _KEY.match(line)
            if key:
                ident = (table, _norm_key(key.group(1)))
                if ident in seen:
                    return ident[1], n
                seen.add(ident)
        code = re.sub(r"\"(?:\\.|[^\"\\])*\"|'[^']*'", "", line).split("#", 1)[0]
        depth = max(
            0, depth + code.count("[") + code.count("{") - code.count("]") - code.count("}")
        )
    return None


def _type_name(value: Any) -> str:
    plain = value.unwrap() if hasattr(value, "unwrap") else value
    if isinstance(plain, bool):
        return "a boolean"
    if isinstance(plain, int):
        return "an integer"
    if isinstance(plain, float):
        return "a number"
    if isinstance(plain, str):
        return "a string"
    if isinstance(plain, list):
        return "an array"
    if isinstance(plain, dict):
        return "a table"
    return "a date" if plain is not None else "empty"


def key_line(text: str, table: str, key: str) -> int | None:
    """The line of `key = ...` in [table] (or `table.key = ...` / `key = {...}` forms)."""
    current = ""
    fallback = None
    for n, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            current = _norm_key(header.group(2))
            if current == f"{table}.{key}" if table else current == key:
                return n
            continue
        found = _KEY.match(line)
        if not found:
            continue
        name = _norm_key(found.group(1))
        if current == table and name == key:
            return n
        full = f"{current}.{name}" if current else name
        if full == (f"{table}.{key}" if table else key) and fallback is None:
            fallback = n
    return fallback


def check_types(doc: Any, text: str, name: str = "pyproject.toml") -> None:
    """Refuse, with file:line, the [project] / [dependency-groups] / [tool.uv] values uv would
    reject and the migration would otherwise misread (a string where an array belongs...)."""

    def refuse(table: str, key: str, want: str, value: Any, *, holding: bool = False) -> None:
        line = key_line(text, table, key)
        got = f"an array holding {_type_name(value)}" if holding else _type_name(value)
        where = f"{name}:{line}" if line else name
        label = f"[{table}] {key}" if table else f"[{key}]"
        raise SurveyError(f"{name}: {label} must be {want}, not {got} ({where})")

    def strings(table: str, key: str, value: Any) -> None:
        if not isinstance(value, list):
            refuse(table, key, "an array of strings", value)
        for item in value:
            if not isinstance(item, str):
                refuse(table, key, "an array of strings", item, holding=True)

    for key in ("project", "dependency-groups", "tool"):
        if key in doc and not isinstance(doc[key], dict):
            refuse("", key, "a table", doc[key])
    project = doc.get("project")
    if project is not None:
        for key in ("name", "version", "requires-python"):
            if key in project and not isinstance(project[key], str):
                refuse("project", key, "a string", project[key])
        for key in ("dependencies", "dynamic"):
            if key in project:
                strings("project", key, project[key])
        extras = project.get("optional-dependencies")
        if extras is not None:
            if not isinstance(extras, dict):
                refuse("project", "optional-dependencies", "a table", extras)
            for extra, value in extras.items():
                strings("project.optional-dependencies", str(extra), value)
    groups = doc.get("dependency-groups")
    if groups is not None:
        for group, value in groups.items():
            if not isinstance(value, list):
                refuse("dependency-groups", str(group), "an array", value)
            for item in value:
                if not isinstance(item, (str, dict)):
                    refuse(
                        "dependency-groups",
                        str(group),
                        "an array of strings and {include-group = ...} tables",
                        item,
                        holding=True,
                    )
    tool = doc.get("tool")
    if tool is not None and "uv" in tool and not isinstance(tool["uv"], dict):
        refuse("tool", "uv", "a table", tool["uv"])


def table(doc: Any, *keys: str) -> Any:
    cur = doc
    for key in keys:
        if not hasattr(cur, "get"):
            return None
        cur = cur.get(key)
        if cur is None:
            return None
    return cur


def read_pyproject(root: Path, tree: Tree | None = None) -> tuple[str | None, Any]:
    """pyproject.toml's text (without a BOM) and document, (None, None) when there is none
    (`tree`: the walk of `root`, whose read it is). The document is parse_read_only's: shared,
    never to be changed."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_symlink() and not pyproject.exists():
        raise SurveyError("pyproject.toml is a broken symlink: point it at a file or remove it")
    if pyproject.exists() and not pyproject.is_file():
        raise SurveyError(
            "pyproject.toml is not a regular file (a folder?): move it away or make it a file"
        )
    if not pyproject.is_file():
        return None, None
    # without a UTF-8 BOM (uv accepts one): the rewritten pyproject.toml is written without
    data = tree.data("pyproject.toml") if tree is not None else None
    text = (
        decode_text(data, "pyproject.toml") if data is not None else read_text(pyproject, root)
    ).removeprefix("\ufeff")
    # the detectors and role guesses that look at pyproject parse it again through
    # parse_read_only: this survey's document is theirs too (one tomlkit parse, ~4 ms, fewer)
    doc = parse_read_only(text)
    check_types(doc, text)
    return text, doc


def requires_python(doc: Any, text: str | None) -> str | None:
    requires = table(doc, "project", "requires-python") if doc is not None else None
    if requires is None:
        return None
    try:
        SpecifierSet(str(requires))
    except InvalidSpecifier:
        raise SurveyError(
            f"requires-python {str(requires)!r} is not a valid specifier "
            f"(pyproject.toml:{line_of(text or '', 'requires-python')})"
        ) from None
    return str(requires)
