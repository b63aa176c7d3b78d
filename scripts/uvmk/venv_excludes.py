"""The tools' excludes learn the new venv: black, ruff, isort, flake8, mypy and pytest settings
that skip `venv/` (or the old venv's folder) but not `.venv/`. A user's `exclude =` replaces
the tool's default one (black's and ruff's skip `.venv`), so once the venv moves, `make style`
would reformat `.venv/`, whose files uv hard-links from its cache, shared by every project on
the machine. Each setting gets `.venv` beside the `venv` it names, in the setting's own form: a
list item, a comma- or space-separated word, or a regex alternative (`\\.?venv`)."""

from __future__ import annotations

import re
from fnmatch import fnmatch
from typing import Any

from tomlkit.items import String, StringType

# (tool table path, key, how the value is read): the settings that replace a default exclude
TOML_SETTINGS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("tool", "black"), "exclude", "regex"),
    (("tool", "black"), "extend-exclude", "regex"),
    (("tool", "black"), "force-exclude", "regex"),
    (("tool", "ruff"), "exclude", "glob"),
    (("tool", "ruff"), "extend-exclude", "glob"),
    (("tool", "isort"), "skip", "glob"),
    (("tool", "isort"), "skip_glob", "glob"),
    (("tool", "isort"), "extend_skip", "glob"),
    (("tool", "isort"), "extend_skip_glob", "glob"),
    (("tool", "mypy"), "exclude", "regex"),
    (("tool", "pytest", "ini_options"), "norecursedirs", "words"),
    (("tool", "flake8"), "exclude", "glob"),
    (("tool", "flake8"), "extend-exclude", "glob"),
)
# INI sections (setup.cfg, tox.ini, .flake8) and their keys
# (a list of one item says no separator: "glob" ones take commas, "words" ones spaces)
INI_SETTINGS: dict[str, dict[str, str]] = {
    "flake8": {"exclude": "glob", "extend-exclude": "glob"},
    "pycodestyle": {"exclude": "glob"},
    "isort": {"skip": "glob", "skip_glob": "glob", "extend_skip": "glob"},
    "tool:isort": {"skip": "glob", "skip_glob": "glob", "extend_skip": "glob"},
    "tool:pytest": {"norecursedirs": "words"},
    "pytest": {"norecursedirs": "words"},
    "mypy": {"exclude": "regex"},
}
INI_FILES = ("setup.cfg", "tox.ini", ".flake8")


def _names_old(item: str, old: set[str]) -> str | None:
    """The old venv name a glob item names as a path component (`venv`, `./venv/*`, `*/env`)."""
    for name in old:
        if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", item):
            return name
    return None


def _glob_covers(items: list[str], target: str) -> bool:
    return any(
        fnmatch(target, i.strip("/").removeprefix("./")) or target in i.split("/") for i in items
    )


def _regex_new(pattern: str, old: set[str], target: str) -> str | None:
    """The regex with the target venv as an alternative, or None when it already matches it
    (or names no old venv)."""
    # black reads a pattern with a newline in it as a verbose regex (`re_compile_maybe_verbose`)
    flags = re.VERBOSE if "\n" in pattern else 0
    try:
        if re.search(pattern, f"/{target}/", flags) or re.search(pattern, f"{target}/", flags):
            return None
    except re.error:
        return None
    for name in sorted(old):
        at = re.search(rf"(?<![\w.\\-]){re.escape(name)}(?![\w-])", pattern)
        if at is None:
            continue
        if target == "." + name:
            return pattern[: at.start()] + r"\.?" + pattern[at.start() :]
        return pattern[: at.start()] + f"{re.escape(target)}|" + pattern[at.start() :]
    return None


def _new_item(item: str, name: str, target: str) -> str:
    return re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", target, item, count=1)


# --- pyproject.toml (tomlkit: comments and layout kept) -------------------------------------


def edit_pyproject(doc: Any, old: set[str], target: str) -> list[str]:
    """Add the target venv to every setting of the planned pyproject that names an old one;
    returns `[tool.x] key` of each setting changed."""
    changed: list[str] = []
    for path, key, kind in TOML_SETTINGS:
        table: Any = doc
        for part in path:
            table = table.get(part) if hasattr(table, "get") else None
        if not hasattr(table, "get") or key not in table:
            continue
        value = table[key]
        if _edit_toml_value(table, key, value, kind, old, target):
            changed.append(f"[{'.'.join(path)}] {key}")
    return changed


def _edit_toml_value(
    table: Any, key: str, value: Any, kind: str, old: set[str], target: str
) -> bool:
    if isinstance(value, String) and kind == "regex":
        new = _regex_new(str(value), old, target)
        if new is None:
            return False
        table[key] = _string_like(value, new, old, target)
        return True
    if isinstance(value, list):  # a tomlkit Array is one
        items = [str(v) for v in value]
        if kind == "regex":
            if any(_regex_new(i, old, target) is None and _names_old(i, old) for i in items):
                return False
            for i, item in enumerate(items):
                new = _regex_new(item, old, target)
                if new is not None:
                    value[i] = new
                    return True
            return False
        if _glob_covers(items, target):
            return False
        for i, item in enumerate(items):
            name = _names_old(item, old)
            if name is not None:
                value.insert(i + 1, _new_item(item, name, target))
                return True
        return False
    if isinstance(value, String):  # a space/comma-separated string of globs
        new = _edit_word_list(str(value), old, target, kind)
        if new is None:
            return False
        table[key] = new
        return True
    return False


def _string_like(value: String, new: str, old: set[str], target: str) -> String:
    """The new regex as the same kind of TOML string: a literal one ('...', '''...''')
    keeps its text as written with the one insertion; a basic one is escaped anew."""
    if value.type in (StringType.SLL, StringType.MLL):
        raw = _regex_new(
            value.as_string()[len(value.type.value) : -len(value.type.value)], old, target
        )
        if raw is not None:
            return String(value.type, new, raw, value.trivia)
    made = String.from_raw(new, value.type)
    made.trivia.comment_ws = value.trivia.comment_ws
    made.trivia.comment = value.trivia.comment
    made.trivia.trail = value.trivia.trail
    return made


def _edit_word_list(text: str, old: set[str], target: str, kind: str) -> str | None:
    """`venv, build` / `venv build` / `venv,\\n  build` -> the target inserted after the old
    name, in the separator the list uses; None when nothing to add."""
    items = [i for i in re.split(r"[,\s]+", text) if i]
    if _glob_covers(items, target):
        return None
    for m in re.finditer(r"[^,\s]+", text):
        name = _names_old(m.group(), old)
        if name is None:
            continue
        item = _new_item(m.group(), name, target)
        if "," in text or (kind == "glob" and not re.search(r"[^,\s]\s+[^,\s]", text)):
            insert = f",{item}" if re.search(r",[^\s]", text) else f", {item}"
        else:
            insert = f" {item}"
        return text[: m.end()] + insert + text[m.end() :]
    return None


# --- INI files (line edits: everything else byte for byte) -----------------------------------


def edit_ini(text: str, old: set[str], target: str) -> tuple[str, list[str]]:
    """The text with the target venv added to each exclude setting naming an old venv, and
    `[section] key` of each one changed."""
    lines = text.splitlines(keepends=True)
    changed: list[str] = []
    section = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        head = re.match(r"\s*\[([^\]]+)\]", line)
        if head:
            section = head.group(1).strip().lower()
            i += 1
            continue
        keys = INI_SETTINGS.get(section, {})
        m = re.match(r"([A-Za-z_][\w-]*)\s*[=:]", line)
        if m is None or m.group(1).lower().replace("-", "_") not in {
            k.replace("-", "_") for k in keys
        }:
            i += 1
            continue
        key = next(k for k in keys if k.replace("-", "_") == m.group(1).lower().replace("-", "_"))
        end = i + 1  # continuation lines are indented
        while end < len(lines) and lines[end].strip() and lines[end][:1] in " \t":
            end += 1
        block = "".join(lines[i:end])
        value_at = m.end()
        value = block[value_at:]
        if keys[key] == "regex":
            new_value = _regex_in_ini(value, old, target)
        else:
            new_value = _edit_word_list(value, old, target, keys[key])
        if new_value is not None:
            lines[i:end] = ["" for _ in range(i, end)]
            lines[i] = block[:value_at] + new_value
            changed.append(f"[{section}] {key}")
        i = end
    return "".join(lines), changed


def _regex_in_ini(value: str, old: set[str], target: str) -> str | None:
    stripped = value.strip()
    new = _regex_new(stripped, old, target)
    if new is None:
        return None
    return value.replace(stripped, new, 1)
