"""Which of the lock's seed pins uv's resolver blames when `uv lock` finds no solution, and
uv's reason for each in one line. uv explains the conflict in words ("Because
mkdocs-rss-plugin==1.17.9 depends on tzdata{sys_platform == 'win32'}>=2024,<2026 and
tzdata{sys_platform == 'win32'}==2026.2, we can conclude ..."): a package there is a name with
a version range, a `{marker}` or both, or follows "version(s) of"."""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name

from uvmk.sources.pip.options import PACKAGE_NAME

_NAME = PACKAGE_NAME.pattern
_TERM = re.compile(
    rf"(?P<name>{_NAME})(?P<extras>\[[^\]]*\])?(?P<marker>\{{[^}}]*\}})?"
    r"(?P<spec>(?:===|==|!=|<=|>=|~=|<|>)[^\s]*)?"
)
_OF = re.compile(rf"\bversions? of ({_NAME})")
# "A==1 depends on B...": B is the one A's dependency pins against; a project (`your project`,
# `app:docs`, `app[dev]`) depending on something is the user's requirement, not a pin's
_DEPENDS = re.compile(
    rf"(?P<by>(?:all versions of )?{_NAME}(?:\[[^\]]*\])?(?:\{{[^}}]*\}})?[^\s]*) "
    rf"depends? on (?P<on>{_NAME})"
)
_SENTENCE = re.compile(r"(?:Because|because) (.+?), we can conclude", re.S)


def explanation(stderr: str) -> str:
    """uv's error and cause, whitespace collapsed (uv breaks the cause over lines)."""
    return " ".join(stderr.split())


def named(stderr: str) -> set[str]:
    """Every package uv's explanation names (canonical names)."""
    # the explanation after "cause:": the error line before it names the fork's markers
    text = explanation(stderr).split(" cause: ", 1)[-1]
    terms = [m for m in _TERM.finditer(text) if m["spec"] or m["marker"]]
    found: set[str] = {canonicalize_name(m["name"]) for m in terms}
    found |= {canonicalize_name(n) for n in _OF.findall(text)}
    return found


def _depended_on(text: str) -> set[str]:
    out: set[str] = set()
    for m in _DEPENDS.finditer(text):
        by = m["by"]
        if ":" in by or by.startswith("your") or not re.search(r"[=<>~{]|^all versions", by):
            continue
        out.add(canonicalize_name(m["on"]))
    return out


def blamed(stderr: str, seeds: dict[str, str]) -> dict[str, str]:
    """The seeds to drop, each with uv's reason: the pins a pinned package's dependency
    contradicts (drop the pin the dependency needs moved, keep the package that needs it),
    else every seed uv names. Empty: uv blames none of them (the project's own conflict)."""
    text = explanation(stderr)
    by_name: dict[str, str] = {canonicalize_name(k): k for k in seeds}
    in_text = named(text) & by_name.keys()
    targets = _depended_on(text) & in_text
    return {by_name[n]: reason(text, n) for n in sorted(targets or in_text)}


def reason(text: str, name: str) -> str:
    """uv's words about `name`: the first sentence naming it when a Python version is to
    blame, else the clause that says what depends on it (markers spelt `on <marker>`), else the
    first sentence naming it, else uv's error line."""
    sentences = [
        s
        for s in _SENTENCE.findall(text)
        if name in {canonicalize_name(t["name"]) for t in _TERM.finditer(s)}
    ]
    if sentences and "Python version" in sentences[0]:
        return _plain(sentences[0])
    for m in _DEPENDS.finditer(text):
        if canonicalize_name(m["on"]) == name:
            rest = text[m.end() :]
            spec = re.match(r"(\[[^\]]*\])?(\{[^}]*\})?([^\s]*)", rest)
            marker = spec[2][1:-1] if spec and spec[2] else ""
            ranges = spec[3].rstrip(",") if spec else ""
            said = f"{_plain(m['by'])} depends on {m['on']}{ranges}"
            return said + (f" on {marker}" if marker else "")
    if sentences:
        return _plain(sentences[0])
    return text.split(" cause: ")[0].removeprefix("error: ")


def _plain(term: str) -> str:
    """`tzdata{sys_platform == 'win32'}==2026.2` as `tzdata==2026.2 (on sys_platform == ...)`."""
    return re.sub(
        rf"({_NAME})\{{([^}}]*)\}}([^\s,]*)",
        lambda m: f"{m[1]}{m[3]} (on {m[2]})",
        term,
    )
