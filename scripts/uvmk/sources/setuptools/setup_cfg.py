"""setup.cfg's [metadata] and [options] as setup() keywords, for the keys a setup.py with
arguments leaves to it (setuptools reads setup.cfg first, setup.py's keywords win). Once
pyproject has a [project], setuptools ignores setup.cfg's metadata: what it held must be carried
over too, or it is lost."""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Any

# setup.cfg option -> how its text becomes a setup() value
_LISTS = {
    "classifiers",
    "install_requires",
    "setup_requires",
    "tests_require",
    "py_modules",
    "scripts",
    "platforms",
}
_REQUIREMENT_LISTS = {"install_requires", "setup_requires", "tests_require"}
_COMMA_LISTS = {"keywords", "license_files"}
_BOOLS = {"include_package_data", "zip_safe"}
_DICT_SECTIONS = {
    "options.extras_require": "extras_require",
    "options.entry_points": "entry_points",
    "options.package_data": "package_data",
    "options.exclude_package_data": "exclude_package_data",
}


# the keys that become [project] fields; setuptools keeps reading the others from setup.cfg
_METADATA = """
    name version description long_description long_description_content_type author
    author_email maintainer maintainer_email url download_url project_urls license
    keywords classifiers python_requires install_requires extras_require entry_points
"""
METADATA_KEYS = frozenset(_METADATA.split())


class SetupCfgError(Exception):
    """setup.cfg cannot be parsed: one line, with its setup.cfg line."""


def has_setup_cfg_project(root: Path) -> bool:
    """setup.cfg holds a setuptools project ([metadata], [options], [options.*]), not only
    tool settings ([flake8], [tool:pytest]...)."""
    parsed = _parse(root)
    return parsed is not None and _is_project(parsed[1])


def is_setup_cfg_project(text: str) -> bool:
    """has_setup_cfg_project, of setup.cfg's text."""
    return _is_project(_parse_text(text))


def _is_project(parser: configparser.ConfigParser) -> bool:
    return any(
        s == name or s.startswith(f"{name}.")
        for s in parser.sections()
        for name in ("metadata", "options")
    )


def _parse(root: Path) -> tuple[str, configparser.ConfigParser] | None:
    path = root / "setup.cfg"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    return text, _parse_text(text)


def _parse_text(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source="setup.cfg")
    except configparser.MissingSectionHeaderError as exc:
        what = f"{exc.line.strip()!r} comes before any [section]"
        raise SetupCfgError(f"setup.cfg cannot be read: {what} (setup.cfg:{exc.lineno})") from None
    except configparser.ParsingError as exc:
        line = exc.errors[0][0] if exc.errors else 1
        bad = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        what = f"{bad.strip()!r} is neither a [section] nor a `key = value` line"
        raise SetupCfgError(f"setup.cfg cannot be read: {what} (setup.cfg:{line})") from None
    except configparser.Error as exc:
        what = exc.message.splitlines()[0]
        raise SetupCfgError(f"setup.cfg cannot be read: {what} (setup.cfg:1)") from None
    return parser


def cfg_keywords(root: Path) -> dict[str, tuple[Any, int, list[str]]]:
    """{setup() keyword: (value, setup.cfg line, files its `file:` value read)} for the
    metadata keys."""
    parsed = _parse(root)
    if parsed is None:
        return {}
    text, parser = parsed
    out: dict[str, tuple[Any, int, list[str]]] = {}
    for section in ("metadata", "options"):
        if not parser.has_section(section):
            continue
        for key, raw in parser.items(section):
            if key in METADATA_KEYS:
                reads: list[str] = []
                value = _value(root, parser, key, raw.strip(), reads)
                out[key] = (value, _line(text, section, key), reads)
    for section, keyword in _DICT_SECTIONS.items():
        if parser.has_section(section) and keyword in METADATA_KEYS:
            split = _requirements if keyword == "extras_require" else _lines
            entries = {key: split(raw) for key, raw in parser.items(section)}
            out[keyword] = (entries, _line(text, section, None), [])
    return out


def _value(
    root: Path, parser: configparser.ConfigParser, key: str, raw: str, reads: list[str]
) -> Any:
    # setup.py's evaluator, for its value types, only when a setup.cfg project is read
    from uvmk.sources.setuptools.evaluate import FindPackages, ModuleAttr, Unknown

    if raw.startswith("attr:"):
        dotted = raw[5:].strip()
        module, _, attr = dotted.rpartition(".")
        return ModuleAttr(module, attr) if module else Unknown(raw, 0)
    if raw.startswith("file:"):
        texts = []
        for rel in _split(raw[5:]):
            target = root / rel
            if not target.is_file():
                return Unknown(f"{raw} (a file that does not exist)", 0)
            reads.append(rel)
            texts.append(target.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(texts)
    if key == "packages" and raw in ("find:", "find_namespace:"):
        find = (
            dict(parser.items("options.packages.find"))
            if parser.has_section("options.packages.find")
            else {}
        )
        return FindPackages(
            namespaces=raw == "find_namespace:",
            where=find.get("where", ".").strip() or ".",
            include=_split(find.get("include", "")),
            exclude=_split(find.get("exclude", "")),
        )
    if key in _REQUIREMENT_LISTS:
        return _requirements(raw)
    if key in ("packages", *_LISTS):
        return _lines(raw) if key != "packages" else _split(raw)
    if key in _COMMA_LISTS:
        return _split(raw)
    if key in _BOOLS:
        return raw.lower() in ("1", "true", "yes", "on")
    if key in ("package_dir", "project_urls"):
        return {k.strip(): v.strip() for k, _, v in (ln.partition("=") for ln in _lines(raw)) if _}
    return raw


def _lines(raw: str) -> list[str]:
    return [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.strip().startswith("#")]


def _requirements(raw: str) -> list[str]:
    """setuptools drops a requirement line's ` #` comment (a `#` in a URL stays)."""
    return [r for r in (ln.split(" #", 1)[0].strip() for ln in _lines(raw)) if r]


def _split(raw: str) -> list[str]:
    return [p for p in re.split(r"[,\n]\s*", raw.strip()) if p.strip()]


def _line(text: str, section: str, key: str | None) -> int:
    in_section = False
    for n, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            in_section = header.group(1).strip() == section
            if in_section and key is None:
                return n
        elif in_section and key and re.match(rf"\s*{re.escape(key)}\s*[=:]", line):
            return n
    return 1
