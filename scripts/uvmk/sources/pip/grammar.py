"""Read one pip requirements file the way pip reads it, into plain records.

pip's own grammar comes from `pip-requirements-parser` (BOM, CRLF, tabs, `\\` continuations also
in the middle of a requirement, comments, every option spelling such as `-rfile.txt` and
`--requirement=file`). We drive it one logical line at a time instead of calling its file-level
API because that API follows `-r` forever on a cycle, cannot tell a missing file from a bad line,
and rejects `--config-settings`, which pip accepts. Following `-r`/`-c` is the caller's job.

Nothing here decides what a line *means* for pyproject: that is uvmk.sources.pip.planner' plan.
Every line ends up in exactly one list of `ParsedFile`, or raises RequirementsError.
"""

from __future__ import annotations

import codecs
import optparse
import os
import re
import shlex
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from uvmk.diagnostics import Where
from uvmk.lazy_module import defer

# before pip_requirements_parser imports them (uvmk.lazy_module says why)
defer("urllib.request")
defer("tempfile")
import pip_requirements_parser as pip_rp  # noqa: E402


@dataclass(frozen=True)
class Note:
    """Something the migration did or could not do, for the report. `code` is a stable id."""

    code: str
    message: str  # one line
    where: Where | None


class RequirementsError(Exception):
    """A refusal: the input cannot be migrated without losing meaning. str() is one line."""


_TRAILING_WHERE = re.compile(r"\s*\(([^()\s]+):(\d+)\)$")


def where_of(message: str) -> tuple[Where | None, str]:
    """A refusal's `... (file:line)` split into its place and the rest of the message."""
    match = _TRAILING_WHERE.search(message)
    if match is None:
        return None, message
    return Where(match.group(1), int(match.group(2))), message[: match.start()]


@dataclass(frozen=True)
class ReqLine:
    """One requirement line (named, path, URL or VCS), as pip understood it."""

    where: Where
    text: str  # the logical line, continuations joined, comment removed
    name: str | None  # as written; None for an unnamed path/URL
    extras: tuple[str, ...]  # as written, sorted case-insensitively
    specifier: str  # "" when unpinned
    marker: str | None  # packaging's normalised text
    link: str | None  # the path or URL when the requirement is not a plain name
    editable: bool
    hashes: tuple[str, ...]
    config_settings: tuple[tuple[str, str], ...] = ()
    build_options: tuple[str, ...] = ()  # --global-option / --install-option: no uv equivalent
    ignored_options: tuple[str, ...] = ()  # global options on a requirement line: pip ignores them
    comment: str | None = None  # `Django==5.0  # why it is here`: the text after the #


@dataclass(frozen=True)
class OptionLine:
    """One global option (`--index-url`, `--pre`, `--no-binary`...), keyed by pip's dest name."""

    where: Where
    text: str
    option: str  # pip's dest: index_url, extra_index_urls, find_links, pre, no_binary...
    value: Any  # str, bool or list[str], as pip stores it


@dataclass(frozen=True)
class Include:
    """A `-r`/`-c` line. `target` is as written; `resolved` is relative to the including file."""

    where: Where
    kind: Literal["requirement", "constraint"]
    target: str
    resolved: Path


@dataclass(frozen=True)
class Comment:
    where: Where
    text: str


@dataclass
class ParsedFile:
    path: str  # posix, relative to the repo root
    physical_lines: int
    requirements: list[ReqLine] = field(default_factory=list)
    options: list[OptionLine] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # (where, note code, why): lines that change nothing, to report
    ignored: list[tuple[Where, str, str]] = field(default_factory=list)
    # lines pip would reject or uv cannot take (their RequirementsError): the rest is read on
    refused: list[RequirementsError] = field(default_factory=list)


def relative_posix(root: Path, path: Path) -> str:
    """The path relative to the repo root, posix; `..` when outside (never absolute)."""
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()


def decode_requirements(data: bytes) -> tuple[str, bool]:
    """pip's decoding (BOM, `# coding:` line), but UTF-8 rather than the locale as fallback:
    a C locale in CI must not turn a non-ASCII comment into a refusal. Returns the text and
    whether it had to be read as Latin-1 (not UTF-8), which the caller reports."""
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            return str(pip_rp.auto_decode(data)), False
    declared = any(
        line[:1] == b"#" and pip_rp.ENCODING_RE.search(line) for line in data.split(b"\n")[:2]
    )
    try:
        return (str(pip_rp.auto_decode(data)) if declared else data.decode("utf-8")), False
    except (UnicodeDecodeError, LookupError):
        return data.decode("latin-1"), True


def parse_requirements_file(
    root: Path, path: Path, *, read_on: bool = False, data: bytes | None = None
) -> ParsedFile:
    """Parse one file (its bytes `data` when the caller has them: the survey's Tree). Raises
    RequirementsError naming `file:line` for what pip would reject; with `read_on`, such lines
    go to `refused` and the rest of the file is read."""
    rel = relative_posix(root, path)
    try:
        content, latin1 = decode_requirements(path.read_bytes() if data is None else data)
    except OSError as exc:
        raise RequirementsError(f"cannot read {rel}: {exc.strerror}") from exc
    physical = content.splitlines()
    parsed = ParsedFile(path=rel, physical_lines=len(physical))
    if latin1:
        parsed.ignored.append((Where(rel, 1), "not-utf8", f"{rel} is not UTF-8: read as Latin-1"))
    for numbered in pip_rp.preprocess(content):
        number, text = int(numbered[0]), str(numbered[1])
        where = Where(rel, number)
        if isinstance(numbered, pip_rp.CommentLine):
            parsed.comments.append(Comment(where, text))
            continue
        before = len(parsed.requirements)
        try:
            _parse_logical_line(parsed, path, where, text)
        except RequirementsError as exc:
            if not read_on:
                raise
            parsed.refused.append(exc)
        comment = inline_comment(physical[number - 1]) if number <= len(physical) else None
        if comment and len(parsed.requirements) == before + 1:
            parsed.requirements[-1] = replace(parsed.requirements[-1], comment=comment)
    return parsed


def inline_comment(line: str) -> str | None:
    """The comment after a requirement (pip drops ` #...` to the end of the line), not
    pip-compile's `# via` annotations."""
    m = re.search(r"\s#\s*(.*?)\s*$", line)
    if m is None or not m.group(1) or m.group(1).startswith("via "):
        return None
    return m.group(1)


def _parse_logical_line(parsed: ParsedFile, path: Path, where: Where, text: str) -> None:
    try:
        stripped, settings = split_config_settings(text)
    except ValueError as exc:
        raise RequirementsError(f"{exc} ({where})") from exc
    if not stripped:  # the line held only --config-settings: a global build setting
        parsed.options.append(OptionLine(where, text, "config_settings", list(settings)))
        return
    try:
        req_string, opts, args = _split_line(stripped)
        requirement_line = pip_rp.RequirementLine(
            line=stripped, line_number=where.line, filename=str(path)
        )
        parsed_line = pip_rp.ParsedLine(
            requirement_line=requirement_line,
            requirement_string=req_string,
            options=opts,
            is_constraint=False,
            arguments=args,
        )
        items = list(pip_rp.handle_line(parsed_line))
    except Exception as exc:  # the parser raises optparse/pip errors of many types
        raise RequirementsError(f"{_why_invalid(exc, text)} ({where})") from exc
    for item in items:
        if isinstance(item, pip_rp.ParsedRequirement):
            parsed.requirements.append(_requirement(item, where, stripped, settings))
        elif isinstance(item, pip_rp.IncorrectRequirementLine):
            raise RequirementsError(f"{item.error_message} ({where})")
        else:
            _option_line(parsed, path, where, stripped, dict(item.options))


@cache
def _option_parser() -> optparse.OptionParser:
    parser: optparse.OptionParser = pip_rp.build_parser()
    return parser


def _split_line(line: str) -> tuple[str, optparse.Values, list[str]]:
    """pip_rp.get_line_parser()'s parse, with one option parser for every line: the library
    builds a new one per line (20-odd add_option calls, most of the parse) only so that options
    appending to a list start from fresh defaults; copying the list defaults does that too."""
    parser = _option_parser()
    args, options = pip_rp.break_args_options(line)
    fresh = parser.get_default_values()  # a shallow copy: its lists are still the parser's
    for name, default in vars(fresh).items():
        if isinstance(default, list):
            setattr(fresh, name, list(default))
    values, arguments = parser.parse_args(shlex.split(options), fresh)
    return args, values, arguments


def _requirement(
    item: Any, where: Where, text: str, settings: tuple[tuple[str, str], ...]
) -> ReqLine:
    try:
        req = pip_rp.build_req_from_parsedreq(item)
    except Exception as exc:
        raise RequirementsError(f"{_why_invalid(exc, text)} ({where})") from exc
    packaging_req = req.req
    name = packaging_req.name if packaging_req is not None else None
    link = req.link.url if req.link is not None else None
    specifier = (
        written_specifier(str(item.requirement_string), packaging_req.specifier)
        if packaging_req is not None
        else ""
    )
    if link is not None and req.link.is_wheel:
        specifier = ""  # the library invents `name==version` from the wheel file name
    extras_written = (
        packaging_req.extras if packaging_req is not None and packaging_req.extras else req.extras
    )
    options = dict(item.options or {})
    build_options = [*options.get("global_options", []), *options.get("install_options", [])]
    return ReqLine(
        where=where,
        text=text,
        name=name,
        extras=tuple(sorted(extras_written, key=str.lower)),
        specifier=specifier,
        marker=str(req.marker) if req.marker is not None else None,
        link=link,
        editable=bool(req.is_editable),
        hashes=tuple(options.get("hashes", [])),
        config_settings=settings,
        build_options=tuple(build_options),
        ignored_options=tuple(sorted(item.invalid_options or {})),
    )


def _option_line(
    parsed: ParsedFile, path: Path, where: Where, text: str, options: dict[str, Any]
) -> None:
    if not options:
        parsed.ignored.append(
            (where, "ignored-option", f"`{redact(text)}` has no effect outside a requirement line")
        )
        return
    for dest, value in options.items():
        if dest in ("requirements", "constraints"):
            targets = list(value)
            if len(targets) != 1:
                raise RequirementsError(
                    f"several files on one -r/-c line; pip reads only the first: "
                    f"put each on its own line ({where})"
                )
            _include(parsed, path, where, dest, targets[0])
        elif dest in pip_rp.LEGACY_OPTIONS_DEST:
            parsed.ignored.append(
                (where, "ignored-option", f"legacy pip option `{redact(text)}` has no effect")
            )
        else:
            parsed.options.append(OptionLine(where, text, dest, value))


def _include(parsed: ParsedFile, path: Path, where: Where, dest: str, target: str) -> None:
    if pip_rp.SCHEME_RE.search(target):
        raise RequirementsError(f"including a requirements file by URL is not supported ({where})")
    kind: Literal["requirement", "constraint"] = (
        "requirement" if dest == "requirements" else "constraint"
    )
    parsed.includes.append(Include(where, kind, target, path.parent / target))


def written_specifier(requirement_string: str, parsed: SpecifierSet) -> str:
    """The specifier in the order the user wrote it (packaging sorts it), spaces removed;
    packaging's text when the two would not mean the same."""
    text = requirement_string.split(";", 1)[0].split(" @ ", 1)[0]
    head = re.match(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?", text)
    rest = text[head.end() :] if head else ""
    parts = [re.sub(r"\s+", "", p) for p in rest.strip().strip("()").split(",") if p.strip()]
    joined = ",".join(parts)
    try:
        if SpecifierSet(joined) == parsed:
            return joined
    except InvalidSpecifier:
        pass
    return str(parsed)


_CONFIG_SETTINGS_FLAGS = ("--config-settings", "-C")


def split_config_settings(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Take `--config-settings KEY=VALUE` (pip >= 23.1, also `-C`) out of a line.

    The library predates the option and would reject the whole line. We remove only these
    tokens, from the options part of the line (pip's own split), and keep the rest as written.
    """
    args, options = pip_rp.break_args_options(text)
    if not any(flag in options for flag in _CONFIG_SETTINGS_FLAGS):
        return text, ()
    kept: list[str] = []
    settings: list[tuple[str, str]] = []
    tokens = iter(shlex.split(options))
    for token in tokens:
        if token in _CONFIG_SETTINGS_FLAGS:
            value = next(tokens, "")
        elif token.startswith("--config-settings="):
            value = token.split("=", 1)[1]
        elif token.startswith("-C") and len(token) > 2:
            value = token[2:]
        else:
            kept.append(token)
            continue
        key, sep, setting = value.partition("=")
        if not key or not sep:
            raise ValueError(f"--config-settings needs KEY=VALUE, got {value!r}")
        settings.append((key, setting))
    rest = shlex.join(kept) if kept else ""
    return " ".join(part for part in (args.strip(), rest) if part), tuple(settings)


_ENV_VAR = re.compile(r"\$\{[A-Z0-9_]+\}")
_USERINFO = re.compile(r"(?<=://)([^/@\s]+)@")


def redact(text: str) -> str:
    """`https://user:token@host` -> `https://***@host` for messages and reports: a secret in a
    requirements file must not travel further. (`ssh://git@host` names no secret: kept.)"""
    return _USERINFO.sub(lambda m: m.group(0) if m.group(1) == "git" else "***@", text)


def toml_text(value: Any) -> str:
    """A value as TOML inline text, for messages (`{ path = "libs/a", editable = true }`)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_text(v)}" for k, v in value.items()) + " }"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def env_vars_in(text: str) -> list[str]:
    """The `${VAR}` references pip would expand in this text."""
    return _ENV_VAR.findall(text)


def _why_invalid(exc: BaseException, text: str) -> str:
    variables = env_vars_in(text)
    if variables:
        return f"`{redact(text)}` uses {', '.join(variables)}, which pyproject.toml cannot expand"
    return f"invalid requirements line `{redact(text)}`: {redact(_one_line(exc))}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text.removeprefix("pip_requirements_parser: error: ") or type(exc).__name__
